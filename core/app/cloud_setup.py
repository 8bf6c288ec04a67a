"""The cloud schedule's Google side: set up, inspect, update and remove it in the operator's project.

Cloud Scheduler (`t4panel-daily`) starts the Cloud Run job `t4panel-runner`, which runs `t4panel fire` as
the service account `t4panel-runner`, so the daily run happens with every computer off. Each step of
`CloudSchedule.setup` first looks, then creates only what is missing: running it again changes nothing,
and after a failure it resumes where it stopped. `remove` deletes exactly what setup made (by name and by
the label `t4panel`) and nothing else. The checklist is cloud_checklist.py; the Google calls are in
cloud_steps.py (APIs, service account, secrets), cloud_access.py (IAM bindings) and cloud_jobs.py.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any

from core.app.cloud_checklist import (
    STEP_KEYS,
    ChecklistRunner,
    CloudSetupError,
    Step,
    StepState,
    explain,
    plan,
    step_title,
)
from core.errors import Message, msg
from core.store.config import AppConfig

# The front ends import the checklist from here: one module to know.
__all__ = ["STEP_KEYS", "CloudSchedule", "CloudSetupError", "CloudStatus", "Step", "StepState", "consent_message",
           "plan", "step_title"]


def consent_message(cfg: AppConfig) -> Message:
    """The question asked before the Supabase keys leave this computer (CLI and window alike)."""
    return msg("cloud.consent", "Copy the Supabase URL and key from this computer to Secret Manager in Google project "
               "{project}? There, the service account t4panel-runner can read them to run the schedule, {job} can "
               "read them when each run starts, and so can anyone who holds Owner, Editor or Secret Manager roles in "
               "{project}.", project=cfg.job.project_id, job=job_account_words(cfg))


def job_account_words(cfg: AppConfig) -> Message:
    """Who the Vertex AI job runs as, in words (no network: the service agent is named by its role)."""
    if cfg.job.service_account.strip():
        return msg("cloud.job_account", "the Vertex AI job's service account {account}",
                   account=cfg.job.service_account.strip())
    return msg("cloud.job_service_agent", "the Vertex AI job (as the project's Vertex AI Custom Code Service Agent, "
               "service-PROJECT_NUMBER@gcp-sa-aiplatform-cc.iam.gserviceaccount.com)")


@dataclass(frozen=True)
class CloudStatus:
    """What the operator's project holds of the cloud schedule, in JSON-able form (`to_json`).

    Attributes:
        project, region: where it lives.
        resources: step key -> whether what that step makes is there.
        config_differs: the Cloud Run job differs from what these settings make: its copy of config.toml, or
            the image or timeout that follow from it (None: no job).
        next_fire: Cloud Scheduler's next fire time (ISO 8601 UTC), or None.
        last_attempt: when Cloud Scheduler last fired (ISO 8601 UTC), or None.
        last_status: that attempt's outcome: "ok", or Google's status code name ("PERMISSION_DENIED", ...).
        paused: the Scheduler job is paused.
    """

    project: str
    region: str
    resources: dict[str, bool] = field(default_factory=dict)
    config_differs: bool | None = None
    next_fire: str | None = None
    last_attempt: str | None = None
    last_status: str | None = None
    paused: bool = False

    @property
    def complete(self) -> bool:
        return bool(self.resources) and all(self.resources.values())

    @property
    def missed(self) -> bool:
        """The last fire did not start the Cloud Run job."""
        return self.last_status not in (None, "ok")

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["complete"], data["missed"] = self.complete, self.missed
        return data


class CloudSchedule(ChecklistRunner):
    """Set up, inspect, update and remove the cloud schedule of `cfg`'s project (blocking: call off the UI thread).

    Args: as ChecklistRunner's (`secrets` None copies nothing: the secrets must then already be there).
    """

    needs_vertex = msg("cloud.needs_vertex", "The cloud schedule runs on Vertex AI: choose Vertex AI and a Google "
                       "project on the Job page first.")

    def setup(self) -> list[Step]:
        """Make whatever is missing, step by step. Returns the checklist, every step DONE.

        Raises:
            CloudSetupError: a step failed (its key in `.step`; the message names the fix).
        """
        from core.app import cloud_access as acc
        from core.app import cloud_jobs as jb
        from core.app import cloud_steps as st

        ctx = self._context()
        actions: dict[str, Callable[[], Message | None]] = {
            "apis": lambda: st.ensure_apis(ctx),
            "service_account": lambda: st.ensure_service_account(ctx),
            "project_roles": lambda: _quiet(acc.edit_project_roles, ctx, True),
            "claim_bucket": lambda: acc.ensure_bucket_role(ctx),
            "secrets": lambda: st.ensure_secrets(ctx),
            "secret_access": lambda: acc.edit_secret_access(ctx, True),
            "run_job": lambda: jb.ensure_run_job(ctx),
            "run_invoker": lambda: _quiet(acc.edit_invoker, ctx, True),
            "scheduler_job": lambda: jb.ensure_scheduler_job(ctx),
        }
        return [self._run(ctx, key, actions[key]) for key in STEP_KEYS]

    def status(self) -> CloudStatus:
        """Read what is there (nothing is changed). Raises CloudSetupError (step "status") when Google refuses."""
        from core.app import cloud_access as acc
        from core.app import cloud_jobs as jb
        from core.app import cloud_spec as spec
        from core.app import cloud_steps as st

        ctx = self._context()
        try:
            # An API that is off answers 403 to every call: what it would hold is simply not there yet.
            off = set(st.apis_missing(ctx))
            run_on, secrets_on = "run.googleapis.com" not in off, "secretmanager.googleapis.com" not in off
            run_job = jb.run_job(ctx) if run_on else None
            sched = jb.scheduler_job(ctx) if "cloudscheduler.googleapis.com" not in off else None
            resources = {
                "apis": not off,
                "service_account": "iam.googleapis.com" not in off and st.service_account(ctx) is not None,
                "project_roles": acc.project_roles_present(ctx), "claim_bucket": acc.bucket_role_present(ctx),
                "secrets": secrets_on and st.secrets_present(ctx),
                "secret_access": secrets_on and acc.secret_access_present(ctx),
                "run_job": run_job is not None, "run_invoker": run_job is not None and acc.invoker_present(ctx),
                "scheduler_job": sched is not None}
        except Exception as exc:  # every failure becomes a sentence with its fix
            raise explain("status", exc, ctx) from exc
        differs = None
        if run_job is not None:
            differs = spec.run_job_shape(run_job) != spec.run_job_shape(spec.run_job(self.cfg, ctx.project))
        next_fire = last_attempt = last_status = None
        paused = False
        if sched is not None:
            from google.cloud import scheduler_v1

            next_fire, last_attempt = _iso(sched.schedule_time), _iso(sched.last_attempt_time)
            if last_attempt is not None:
                last_status = "ok" if not sched.status.code else _code_name(sched.status.code)
            paused = sched.state == scheduler_v1.Job.State.PAUSED
        return CloudStatus(ctx.project, ctx.region, resources, differs, next_fire, last_attempt, last_status, paused)

    def update_config(self) -> bool:
        """Bring the Cloud Run job (and the Scheduler's cron) in line with `cfg`. True when something changed."""
        from core.app import cloud_jobs as jb

        ctx = self._context()
        try:
            job_changed = jb.update_run_job(ctx)
            cron_changed = jb.update_scheduler_job(ctx)
        except Exception as exc:  # every failure becomes a sentence with its fix
            raise explain("update", exc, ctx) from exc
        return job_changed or cron_changed

    def remove(self) -> list[Step]:
        """Delete what setup made, newest first; what is already gone counts as done.

        The APIs stay on (other work in the project may use them) and the claim bucket stays (it holds
        every computer's claims): only the runner's access to it goes.
        """
        from core.app import cloud_access as acc
        from core.app import cloud_jobs as jb
        from core.app import cloud_steps as st

        ctx = self._context()
        try:
            off = set(st.apis_missing(ctx))
        except Exception as exc:  # every failure becomes a sentence with its fix
            raise explain("apis", exc, ctx) from exc

        def unless_off(api: str, fn: Callable[..., Any], *args: Any) -> Callable[[], Message | None]:
            # An API that is off holds nothing of ours (setup turns them on first) and answers 403 to every call.
            return (lambda: None) if api in off else (lambda: _quiet(fn, *args))

        actions: dict[str, Callable[[], Message | None]] = {
            "scheduler_job": unless_off("cloudscheduler.googleapis.com", jb.remove_scheduler_job, ctx),
            "run_invoker": lambda: None,  # the job's policy goes with the job
            "run_job": unless_off("run.googleapis.com", jb.remove_run_job, ctx),
            "secret_access": self._secret_access_removal(ctx, off),
            "secrets": self._secrets_removal(ctx, off),
            "claim_bucket": lambda: _quiet(acc.remove_bucket_role, ctx),
            "project_roles": lambda: _quiet(acc.edit_project_roles, ctx, False),
            "service_account": unless_off("iam.googleapis.com", st.remove_service_account, ctx),
        }
        steps = []
        for key in reversed(STEP_KEYS):
            if key == "apis":
                step = Step(key, step_title(key), StepState.SKIPPED, msg(
                    "cloud.detail.apis_left", "The APIs stay on: other work in the project may use them."))
                self.progress(step)
                steps.append(step)
                continue
            steps.append(self._run(ctx, key, actions[key]))
        return steps

    # ------------------------------------------------------------ helpers

    def _keys_stay(self) -> bool:
        """Settings keeps the keys in Secret Manager for this computer's own Vertex AI runs: they outlive the
        cloud schedule, and so does the job's account's access to them."""
        return self.cfg.cloud.keys_in_secret_manager is True

    def _secret_access_removal(self, ctx: Any, off: set[str]) -> Callable[[], Message | None]:
        from core.app import cloud_access as acc

        if "secretmanager.googleapis.com" in off or not self._keys_stay():
            return lambda: None  # each secret's policy goes with the secret
        return lambda: acc.edit_secret_access(ctx, False, runner=True, job=False)

    def _secrets_removal(self, ctx: Any, off: set[str]) -> Callable[[], Message | None]:
        from core.app import cloud_steps as st

        if "secretmanager.googleapis.com" in off:
            return lambda: None
        if self._keys_stay():
            return lambda: msg("cloud.detail.secrets_kept", "Kept: Settings keeps the Supabase keys in Secret "
                               "Manager for this computer's Vertex AI runs.")
        return lambda: _quiet(st.remove_secrets, ctx)


def _quiet(fn: Callable[..., Any], *args: Any) -> None:
    fn(*args)


def _iso(value: Any) -> str | None:
    if not value:
        return None
    from datetime import UTC

    return str(value.astimezone(UTC).isoformat().replace("+00:00", "Z"))


def _code_name(code: int) -> str:
    from google.rpc import code_pb2

    return str(code_pb2.Code.Name(code)) if code in code_pb2.Code.values() else str(code)
