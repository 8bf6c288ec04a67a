"""What the cloud schedule's resources look like: names, the Cloud Run job and the Cloud Scheduler job.

Pure functions of the settings (no network), so what setup creates and what update_config compares
are one and the same. Field names follow run.v2 and cloudscheduler.v1 (Google's discovery documents).
"""

from __future__ import annotations

import functools
import tomllib
from datetime import timedelta
from typing import Any

from core import paths
from core.store import config as config_mod
from core.store.config import WEEKDAYS, AppConfig

SERVICE_ACCOUNT_ID = "t4panel-runner"  # IAM: 6-30 chars, [a-z][a-z0-9-]*[a-z0-9]
RUN_JOB_ID = "t4panel-runner"  # Cloud Run: up to 63 chars, lower case, digits, hyphens
# Cloud Scheduler jobs carry no labels (cloudscheduler.v1 Job has no `labels` field): ours is known by this
# name, which starts with "t4panel-" like everything else T4 Panel makes.
SCHEDULER_JOB_ID = "t4panel-daily"
SECRET_IDS = {"supabase-url": "t4panel-supabase-url", "supabase-key": "t4panel-supabase-key"}
SECRET_ENV = {"supabase-url": "SUPABASE_URL", "supabase-key": "SUPABASE_KEY"}
LABEL_KEY = "t4panel"
LABELS = {LABEL_KEY: "cloud-schedule"}
# Service accounts have no labels either: the description marks ours, and remove deletes only that one.
SA_DESCRIPTION = "Runs the T4 Panel cloud schedule (t4panel fire). Made by T4 Panel; label t4panel."
CONFIG_ENV = "T4PANEL_CONFIG_TOML"
PROJECT_ROLES = ("roles/aiplatform.user", "roles/logging.viewer")
SECRET_ROLE = "roles/secretmanager.secretAccessor"
BUCKET_ROLE = "roles/storage.objectAdmin"
INVOKER_ROLE = "roles/run.invoker"
ACT_AS_ROLE = "roles/iam.serviceAccountUser"  # on the job's own service account only, when it has one
APIS = ("run.googleapis.com", "cloudscheduler.googleapis.com", "secretmanager.googleapis.com",
        "iam.googleapis.com", "aiplatform.googleapis.com", "logging.googleapis.com", "storage.googleapis.com")
CLOUD_PLATFORM = "https://www.googleapis.com/auth/cloud-platform"
# Cloud Run jobs: a task may run up to 168 h (https://cloud.google.com/run/docs/configuring/task-timeout).
MAX_TASK_TIMEOUT = timedelta(hours=168)
TIMEOUT_MARGIN = timedelta(minutes=10)
MAX_RETRIES = 3  # Cloud Run's default; `fire` is idempotent, so a retried task adopts instead of launching


@functools.lru_cache(maxsize=1)
def defaults() -> dict[str, Any]:
    """resources/cloud.toml."""
    return tomllib.loads((paths.resources_dir() / "cloud.toml").read_text(encoding="utf-8"))


def runner_image(cfg: AppConfig) -> str:
    return cfg.cloud.runner_image.strip() or str(defaults()["runner_image"])


def service_account_email(project: str) -> str:
    return f"{SERVICE_ACCOUNT_ID}@{project}.iam.gserviceaccount.com"


def member(project: str) -> str:
    return f"serviceAccount:{service_account_email(project)}"


def location(project: str, region: str) -> str:
    return f"projects/{project}/locations/{region}"


def run_job_name(project: str, region: str) -> str:
    return f"{location(project, region)}/jobs/{RUN_JOB_ID}"


def scheduler_job_name(project: str, region: str) -> str:
    return f"{location(project, region)}/jobs/{SCHEDULER_JOB_ID}"


def secret_name(project: str, key: str) -> str:
    return f"projects/{project}/secrets/{SECRET_IDS[key]}"


def cron(cfg: AppConfig) -> str:
    """unix-cron of the Schedule form: minute hour * * days (0 = Sunday, as cron counts)."""
    hour, minute = (int(x) for x in cfg.schedule.time.split(":"))
    days = [d for d in WEEKDAYS if d in cfg.schedule.weekdays]
    dow = "*" if len(days) == 7 else ",".join(str((WEEKDAYS.index(d) + 1) % 7) for d in days)
    return f"{minute} {hour} * * {dow}"


def task_timeout(cfg: AppConfig) -> timedelta:
    """Max runtime + the catch-up window (fire retries a busy launch until it ends) + a margin, capped."""
    wanted = (timedelta(minutes=cfg.job.max_runtime_minutes) + timedelta(hours=cfg.schedule.catch_up_hours)
              + TIMEOUT_MARGIN)
    return min(wanted, MAX_TASK_TIMEOUT)


def config_text(cfg: AppConfig) -> str:
    """The settings the job reads: config.toml as the forms saved it (no secret is ever in it)."""
    return config_mod.dumps(cfg)


def run_job(cfg: AppConfig, project: str) -> Any:
    """The Cloud Run job (run_v2.Job, no name: create_job takes the id beside it)."""
    from google.cloud import run_v2

    env = [run_v2.EnvVar(name=CONFIG_ENV, value=config_text(cfg))]
    for key, var in SECRET_ENV.items():  # references only: the values stay in Secret Manager
        env.append(run_v2.EnvVar(name=var, value_source=run_v2.EnvVarSource(
            secret_key_ref=run_v2.SecretKeySelector(secret=SECRET_IDS[key], version="latest"))))
    d = defaults()
    container = run_v2.Container(image=runner_image(cfg), args=["fire"], env=env,
                                 resources=run_v2.ResourceRequirements(limits={"cpu": d["cpu"],
                                                                               "memory": d["memory"]}))
    task = run_v2.TaskTemplate(containers=[container], max_retries=MAX_RETRIES, timeout=task_timeout(cfg),
                               service_account=service_account_email(project))
    return run_v2.Job(labels=dict(LABELS), template=run_v2.ExecutionTemplate(
        labels=dict(LABELS), task_count=1, parallelism=1, template=task))


def run_job_shape(job: Any) -> dict[str, Any]:
    """What of a Cloud Run job setup decides (to compare the one in Google with the one wanted)."""
    task = job.template.template
    c = task.containers[0] if task.containers else None
    env = {e.name: (e.value or f"secret:{e.value_source.secret_key_ref.secret}") for e in (c.env if c else [])}
    cfg_text = env.pop(CONFIG_ENV, "")
    try:
        cfg_data = config_mod.to_dict(config_mod.loads(cfg_text)) if cfg_text else {}
    except Exception:  # noqa: BLE001 - a damaged cloud copy simply differs
        cfg_data = {"damaged": cfg_text}
    timeout = task.timeout
    seconds = int(timeout.total_seconds()) if isinstance(timeout, timedelta) else int(getattr(timeout, "seconds", 0))
    return {"image": c.image if c else "", "args": list(c.args) if c else [], "env": env, "config": cfg_data,
            "timeout": seconds, "max_retries": task.max_retries, "service_account": task.service_account,
            "task_count": job.template.task_count}


def cloud_config(job: Any) -> AppConfig | None:
    """The settings the Cloud Run job carries, or None."""
    for c in job.template.template.containers:
        for e in c.env:
            if e.name == CONFIG_ENV:
                try:
                    return config_mod.loads(e.value)
                except Exception:  # noqa: BLE001 - damaged: treated as different
                    return None
    return None


def run_uri(project: str, region: str) -> str:
    """Cloud Run Admin API v2's jobs.run, which the Scheduler calls with the runner's OAuth token."""
    return f"https://run.googleapis.com/v2/{run_job_name(project, region)}:run"


def scheduler_job(cfg: AppConfig, project: str, region: str) -> Any:
    """The Cloud Scheduler job (scheduler_v1.Job)."""
    from google.cloud import scheduler_v1

    return scheduler_v1.Job(
        name=scheduler_job_name(project, region),
        description="T4 Panel: starts the Cloud Run job t4panel-runner at the scheduled time (label t4panel).",
        schedule=cron(cfg), time_zone=cfg.schedule.timezone,
        http_target=scheduler_v1.HttpTarget(
            uri=run_uri(project, region), http_method=scheduler_v1.HttpMethod.POST,
            oauth_token=scheduler_v1.OAuthToken(service_account_email=service_account_email(project),
                                                scope=CLOUD_PLATFORM)),
        # Delivery is at least once anyway and `fire` adopts a second call, so retrying a failed start is
        # safe; the backoff keeps a short Google outage from costing the day.
        retry_config=scheduler_v1.RetryConfig(retry_count=3, min_backoff_duration=timedelta(minutes=1),
                                              max_backoff_duration=timedelta(minutes=10), max_doublings=3),
        attempt_deadline=timedelta(minutes=3))


def scheduler_shape(job: Any) -> dict[str, Any]:
    t = job.http_target
    return {"schedule": job.schedule, "time_zone": job.time_zone, "uri": t.uri,
            "service_account": t.oauth_token.service_account_email}
