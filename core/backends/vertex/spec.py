"""From a LaunchRequest to a Vertex AI CustomJob, and from a CustomJob back to a BackendStatus.

The aiplatform_v1 types are imported inside the functions: they cost about 1.5 s to import.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from core.backends.base import BackendStatus, LaunchRequest
from core.backends.vertex import bootstrap
from core.errors import BackendError, Message, msg
from core.store.config import MAX_ENV_VARS, valid_label
from core.store.runs import RunState

RUN_LABEL = "t4panel-run"
OCCURRENCE_LABEL = "t4panel-occurrence"
TRIGGER_LABEL = "t4panel-trigger"  # "cloud" on jobs `t4panel fire` launched for the cloud schedule
CLOUD = "cloud"
BOOT_DISK_TYPE = "pd-ssd"  # Vertex's own default; stated so the request says what it runs on
_NAME = re.compile(r"^projects/([^/]+)/locations/([^/]+)/customJobs/([^/]+)$")
_LOCAL_PLACEHOLDERS = ("{sample_job}", "{resources}")

# JobState names are JOB_STATE_<RunState name>; UNSPECIFIED means "not known yet".
_TERMINAL_WITH_END = (RunState.SUCCEEDED, RunState.FAILED, RunState.CANCELLED)


@dataclass(frozen=True)
class JobName:
    """The parts of `projects/P/locations/R/customJobs/ID`."""

    project: str
    region: str
    job_id: str

    @property
    def parent(self) -> str:
        return f"projects/{self.project}/locations/{self.region}"


def parse_name(handle: str) -> JobName:
    """Split a CustomJob resource name.

    Raises:
        BackendError: the text is not a CustomJob name.
    """
    m = _NAME.match(handle or "")
    if not m:
        raise BackendError(msg("vertex.bad_name", '"{name}" is not a Vertex AI job name '
                               "(projects/.../customJobs/...).", name=handle))
    return JobName(*m.groups())


def parent_of(project: str, region: str) -> str:
    return f"projects/{project}/locations/{region}"


def label_filter(key: str, value: str) -> str:
    """A list filter matching one label value (values are [a-z0-9_-], so no quoting issues)."""
    return f'labels.{key}="{value}"'


def console_url(handle: str) -> str:
    """The job's page in the Google Cloud console (same shape as the aiplatform SDK's dashboard link)."""
    n = parse_name(handle)
    return f"https://console.cloud.google.com/agent-platform/locations/{n.region}/training/{n.job_id}?project={n.project}"


def container_command(words: list[str]) -> list[str]:
    """The command for the container: `{python}` becomes `python`; local-only placeholders are refused.

    Raises:
        BackendError: the command names a file that only exists on this computer.
    """
    out = []
    for word in words:
        if any(p in word for p in _LOCAL_PLACEHOLDERS):
            raise BackendError(msg(
                "vertex.local_command", 'The command uses "{word}", a file on this computer; on Vertex AI the '
                "command runs inside the container image. Change the command on the Job page, or leave it empty "
                "to use the image's own entrypoint.", word=word))
        out.append(word.replace("{python}", "python"))
    return out


def build_custom_job(request: LaunchRequest) -> Any:
    """The CustomJob for `request` (FACTS.md: N1 + T4, disk, container, env, scheduling, labels).

    Secrets go into the container's env only; the display name and labels are checked to hold none.

    Raises:
        BackendError: the request cannot be sent as it is (the message names the field).
    """
    from core.google.libraries import importing

    with importing():
        from google.cloud.aiplatform_v1.types import (
            AcceleratorType,
            ContainerSpec,
            CustomJob,
            CustomJobSpec,
            DiskSpec,
            EnvVar,
            MachineSpec,
            Scheduling,
            WorkerPoolSpec,
        )

    job = request.job
    _check_no_secret_leaks(request)
    for key, value in request.labels.items():
        if not valid_label(key, value):
            raise BackendError(msg("vertex.bad_label", 'The label {key}="{value}" is not valid for Vertex AI '
                                   "(lowercase letters, digits, _ and -, at most 64 characters).", key=key,
                                   value=value))
    if request.secret_refs:  # the values are read inside the container: the spec carries names only
        secret_env = {k: v for k, v in request.secret_env.items() if k not in request.secret_refs}
        env = {**job.env, **secret_env, bootstrap.SECRETS_ENV: bootstrap.refs_value(request.secret_refs)}
    else:  # the labelled less-safe choice: the values sit in the job's env, readable by project viewers
        env = {**job.env, **request.secret_env}  # the injected values win over a stale copy in the config
    empty = [name for name, value in env.items() if value == ""]
    if empty:  # Vertex refuses the whole job ("env[i].value ... Required field is not set"); say which
        raise BackendError(msg("vertex.empty_env", "Vertex AI refuses an environment variable without a value: "
                               "give {names} a value on the Job page (or in Settings for the Supabase keys), or "
                               "remove it.", names=", ".join(empty)))
    if len(env) > MAX_ENV_VARS:
        raise BackendError(msg("vertex.too_many_env", "Vertex AI allows at most {max} environment variables; this "
                               "job has {count}. Remove some on the Job page.", max=MAX_ENV_VARS, count=len(env)))
    command = container_command(list(job.command))
    if request.secret_refs:
        command = bootstrap.wrap(command)
    try:
        # __members__ is what Enum[name] reads; mypy takes AcceleratorType[...] for a generic alias
        accelerator = AcceleratorType.__members__[job.accelerator_type]
    except KeyError:
        raise BackendError(msg("vertex.bad_gpu", '"{gpu}" is not a GPU type Vertex AI knows; use NVIDIA_TESLA_T4.',
                               gpu=job.accelerator_type)) from None
    strategy = Scheduling.Strategy.SPOT if job.spot else Scheduling.Strategy.STANDARD
    container = ContainerSpec(
        image_uri=job.image_uri,
        command=command,
        args=list(job.args),
        env=[EnvVar(name=k, value=v) for k, v in env.items()],
    )
    pool = WorkerPoolSpec(
        replica_count=1,
        # No GPU (the CPU-only advice applied): Vertex wants neither accelerator field then.
        machine_spec=(MachineSpec(machine_type=job.machine_type, accelerator_type=accelerator,
                                  accelerator_count=job.accelerator_count) if job.accelerator_count
                      else MachineSpec(machine_type=job.machine_type)),
        disk_spec=DiskSpec(boot_disk_type=BOOT_DISK_TYPE, boot_disk_size_gb=job.boot_disk_gb),
        container_spec=container,
    )
    spec = CustomJobSpec(
        worker_pool_specs=[pool],
        # Vertex's default timeout is 7 days: always bound the bill by the operator's max runtime.
        scheduling=Scheduling(timeout=timedelta(minutes=job.max_runtime_minutes), strategy=strategy),
    )
    if job.service_account:
        spec.service_account = job.service_account
    return CustomJob(display_name=request.display_name[:128], labels=dict(request.labels), job_spec=spec)


def _check_no_secret_leaks(request: LaunchRequest) -> None:
    visible = [request.display_name, *request.labels.keys(), *request.labels.values()]
    for value in request.secret_env.values():
        if len(value) >= 4 and any(value.lower() in text.lower() for text in visible):
            raise BackendError(msg("vertex.secret_in_labels", "A secret value appears in the job name or labels, "
                                   "which anyone with access to the project can read. Change the job name on the "
                                   "Job page."))


def run_state_of(job_state: Any) -> RunState:
    """RunState for a JobState enum value (UNSPECIFIED reads as QUEUED: the job exists, nothing more)."""
    name = getattr(job_state, "name", str(job_state)).removeprefix("JOB_STATE_")
    try:
        return RunState(name)
    except ValueError:
        return RunState.QUEUED


def _aware(value: Any) -> datetime | None:
    """A proto timestamp as an aware UTC datetime (None when unset)."""
    if not value:
        return None
    if isinstance(value, datetime):
        if value.timestamp() <= 0:
            return None
        value = value.astimezone(UTC) if value.tzinfo else value.replace(tzinfo=UTC)
        # A plain datetime: proto-plus hands out a subclass carrying nanoseconds that history has no use for.
        return datetime(value.year, value.month, value.day, value.hour, value.minute, value.second,
                        value.microsecond, tzinfo=UTC)
    return None


def status_of(job: Any) -> BackendStatus:
    """What the operator needs from a CustomJob: state, times and, when it did not succeed, why."""
    state = run_state_of(job.state)
    started = _aware(job.start_time)
    ended = None
    if state.terminal:
        # end_time is set only for SUCCEEDED, FAILED and CANCELLED; update_time is the next best.
        ended = _aware(job.end_time) or _aware(job.update_time)
    error: str | Message | None = None
    message = job.error.message if job.error else ""
    if state == RunState.FAILED:
        error = (explain_job_error(message) if message
                 else msg("vertex.failed_silently", "The job failed on Vertex AI without a message; open it in the "
                          "Cloud console."))
    elif state == RunState.CANCELLED:
        # Vertex's own text is usually just the status name ("CANCELED"): say it in words.
        if message.strip().upper() in ("", "CANCELED", "CANCELLED"):
            error = msg("vertex.cancelled", "The job was cancelled.")
        else:
            error = msg("vertex.cancelled_because", "The job was cancelled ({said}).", said=message.strip())
    elif state == RunState.EXPIRED:
        error = message or msg("vertex.expired", "The job expired before it could run (Vertex AI had no T4 capacity "
                               "in time). Try again later, another region, or Standard instead of Spot.")
    elif state == RunState.PARTIALLY_SUCCEEDED:
        error = message or msg("vertex.partial", "Only part of the job succeeded; see its log.")
    return BackendStatus(state=state, started=started, ended=ended, error=error)


@dataclass(frozen=True)
class Orphan:
    """A job with a t4panel-run label that this history does not know, still costing money."""

    name: str
    display_name: str
    run_label: str
    state: RunState
    create_time: datetime | None


@dataclass(frozen=True)
class CloudJob:
    """A job the cloud schedule launched (label t4panel-trigger=cloud): a run the desktop adopts and follows."""

    name: str
    display_name: str
    run_label: str
    occurrence_label: str
    state: RunState
    create_time: datetime | None


def cloud_jobs_of(jobs: list[Any]) -> list[CloudJob]:
    """The cloud-launched jobs among `jobs`, newest first."""
    out = [CloudJob(name=str(j.name), display_name=str(j.display_name), run_label=j.labels.get(RUN_LABEL, ""),
                    occurrence_label=j.labels.get(OCCURRENCE_LABEL, ""), state=run_state_of(j.state),
                    create_time=_aware(j.create_time))
           for j in jobs if j.labels.get(TRIGGER_LABEL) == CLOUD and j.labels.get(RUN_LABEL)]
    return sorted(out, key=lambda c: (c.create_time.timestamp() if c.create_time else 0.0, c.name), reverse=True)


def orphans_of(jobs: list[Any], known_run_ids: set[str]) -> list[Orphan]:
    """The jobs among `jobs` that have not ended and that no run of history follows: an unknown run label,
    or a second job with a known run's label (a duplicate create: history follows the oldest). A job the
    cloud schedule launched is never an orphan for being unknown: the desktop adopts it as a cloud run."""
    oldest: dict[str, Any] = {}
    for j in jobs:
        run_label = j.labels.get(RUN_LABEL, "")
        if run_label and (run_label not in oldest or _created_key(j) < _created_key(oldest[run_label])):
            oldest[run_label] = j
    orphans = []
    for j in jobs:
        run_label = j.labels.get(RUN_LABEL, "")
        state = run_state_of(j.state)
        known = run_label in known_run_ids
        followed = (known and oldest[run_label] is j) or (not known and j.labels.get(TRIGGER_LABEL) == CLOUD)
        if run_label and not followed and not state.terminal:
            orphans.append(Orphan(name=str(j.name), display_name=str(j.display_name), run_label=run_label,
                                  state=state, create_time=_aware(j.create_time)))
    return orphans


def _created_key(job: Any) -> tuple[float, str]:
    """Oldest first; the name breaks ties (the same order launch.lookup follows)."""
    return (job.create_time.timestamp() if job.create_time else 0.0, str(job.name))


def explain_job_error(message: str) -> str | Message:
    """A job's own error message, with the fix added when it is one we recognise."""
    text = message.strip()
    low = text.lower()
    if "quota" in low and "gpu" in low:
        return msg("vertex.job_quota", "{said} Request more Vertex AI T4 quota for this region (IAM & Admin > "
                   "Quotas), or pick another region.", said=text)
    if "timeout" in low or "exceeded the maximum" in low:
        return msg("vertex.job_timeout", "{said} Raise Max runtime on the Job page if the job needs longer.",
                   said=text)
    return text
