"""The cloud schedule's Google side: set up, inspect, update and remove it in the operator's project.

Cloud Scheduler (`t4panel-daily`) starts the Cloud Run job `t4panel-runner`, which runs `t4panel fire` as
the service account `t4panel-runner`, so the daily run happens with every computer off. Each step of
`CloudSchedule.setup` first looks, then creates only what is missing: running it again changes nothing,
and after a failure it resumes where it stopped. `remove` deletes exactly what setup made (by name and by
the label `t4panel`) and nothing else. The Google calls themselves are in cloud_steps.py.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

from core.errors import Message, T4Error, msg
from core.store.config import AppConfig


class StepState(enum.Enum):
    TODO = "todo"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"
    SKIPPED = "skipped"


@dataclass(frozen=True)
class Step:
    """One line of the checklist. `key` is stable (tests, the GUI's icons); `title` is for people."""

    key: str
    title: Message
    state: StepState
    detail: Message | None = None

    def to_json(self) -> dict[str, Any]:
        return {"key": self.key, "title": self.title.text, "state": self.state.value,
                "detail": self.detail.text if self.detail else None}


class CloudSetupError(T4Error):
    """A step of the cloud schedule failed. `step` is its key; the message says what to do."""

    title_msg = Message("cloud.error.title", "Cloud schedule")

    def __init__(self, message: Message, *, step: str, title: Message | None = None) -> None:
        super().__init__(message, title=title)
        self.step = step


# The checklist, in the order setup runs it (remove walks it backwards).
STEP_KEYS = ("apis", "service_account", "project_roles", "claim_bucket", "secrets", "secret_access",
             "run_job", "run_invoker", "scheduler_job")


def step_title(key: str) -> Message:
    """The checklist line for step `key`."""
    titles = {
        "apis": msg("cloud.step.apis", "Turn on the Google APIs the schedule uses"),
        "service_account": msg("cloud.step.service_account", "Create the service account t4panel-runner"),
        "project_roles": msg("cloud.step.project_roles", "Let it start Vertex AI jobs and read their logs"),
        "claim_bucket": msg("cloud.step.claim_bucket", "Let it record each day's run in the claim bucket"),
        "secrets": msg("cloud.step.secrets", "Copy the Supabase keys to Secret Manager"),
        "secret_access": msg("cloud.step.secret_access", "Let only t4panel-runner read those keys"),
        "run_job": msg("cloud.step.run_job", "Create the Cloud Run job t4panel-runner"),
        "run_invoker": msg("cloud.step.run_invoker", "Let it start that job"),
        "scheduler_job": msg("cloud.step.scheduler_job", "Create the Cloud Scheduler job t4panel-daily"),
    }
    return titles[key]


def plan(cfg: AppConfig) -> list[Step]:
    """The checklist setup will walk, all TODO; no network."""
    del cfg  # every project gets the same steps; the config only fills them in
    return [Step(key, step_title(key), StepState.TODO) for key in STEP_KEYS]


@dataclass(frozen=True)
class CloudStatus:
    """What the operator's project holds of the cloud schedule, in JSON-able form (`to_json`).

    Attributes:
        project, region: where it lives.
        resources: step key -> whether what that step makes is there.
        config_differs: the Cloud Run job's copy of config.toml differs from this computer's (None: no job).
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


class CloudSchedule:
    """Set up, inspect, update and remove the cloud schedule of `cfg`'s project (blocking: call off the UI thread).

    Args:
        cfg: the saved settings (Vertex AI backend, a project).
        secrets: the Supabase URL and key ({"supabase-url": ..., "supabase-key": ...}) to copy to Secret
            Manager; None copies nothing (the secrets must then already be there).
        progress: called with each step as it starts and as it ends.
    """

    def __init__(self, cfg: AppConfig, *, secrets: Mapping[str, str] | None = None,
                 progress: Callable[[Step], None] = lambda step: None) -> None:
        self.cfg = cfg
        self.secrets = dict(secrets) if secrets is not None else None
        self.progress = progress

    def setup(self) -> list[Step]:
        """Make whatever is missing, step by step. Returns the checklist, every step DONE.

        Raises:
            CloudSetupError: a step failed (its key in `.step`; the message names the fix).
        """
        from core.app import cloud_steps as st

        ctx = self._context()
        actions: dict[str, Callable[[], Message | None]] = {
            "apis": lambda: st.ensure_apis(ctx),
            "service_account": lambda: st.ensure_service_account(ctx),
            "project_roles": lambda: _quiet(st.edit_project_roles, ctx, True),
            "claim_bucket": lambda: st.ensure_bucket_role(ctx),
            "secrets": lambda: st.ensure_secrets(ctx),
            "secret_access": lambda: _quiet(st.edit_secret_access, ctx, True),
            "run_job": lambda: st.ensure_run_job(ctx),
            "run_invoker": lambda: _quiet(st.edit_invoker, ctx, True),
            "scheduler_job": lambda: st.ensure_scheduler_job(ctx),
        }
        return [self._run(key, actions[key]) for key in STEP_KEYS]

    def status(self) -> CloudStatus:
        """Read what is there (nothing is changed). Raises CloudSetupError (step "status") when Google refuses."""
        from core.app import cloud_spec as spec
        from core.app import cloud_steps as st

        ctx = self._context()
        try:
            run_job, sched = st.run_job(ctx), st.scheduler_job(ctx)
            resources = {
                "apis": not st.apis_missing(ctx), "service_account": st.service_account(ctx) is not None,
                "project_roles": st.project_roles_present(ctx), "claim_bucket": st.bucket_role_present(ctx),
                "secrets": st.secrets_present(ctx), "secret_access": st.secret_access_present(ctx),
                "run_job": run_job is not None, "run_invoker": st.invoker_present(ctx),
                "scheduler_job": sched is not None}
        except Exception as exc:  # every failure becomes a sentence with its fix
            raise _explain("status", exc, ctx) from exc
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
        from core.app import cloud_steps as st

        ctx = self._context()
        try:
            job_changed = st.update_run_job(ctx)
            cron_changed = st.update_scheduler_job(ctx)
        except Exception as exc:  # every failure becomes a sentence with its fix
            raise _explain("update", exc, ctx) from exc
        return job_changed or cron_changed

    def remove(self) -> list[Step]:
        """Delete what setup made, newest first; what is already gone counts as done.

        The APIs stay on (other work in the project may use them) and the claim bucket stays (it holds
        every computer's claims): only the runner's access to it goes.
        """
        from core.app import cloud_steps as st

        ctx = self._context()
        actions: dict[str, Callable[[], Message | None]] = {
            "scheduler_job": lambda: _quiet(st.remove_scheduler_job, ctx),
            "run_invoker": lambda: None,  # the job's policy goes with the job
            "run_job": lambda: _quiet(st.remove_run_job, ctx),
            "secret_access": lambda: None,  # each secret's policy goes with the secret
            "secrets": lambda: _quiet(st.remove_secrets, ctx),
            "claim_bucket": lambda: _quiet(st.remove_bucket_role, ctx),
            "project_roles": lambda: _quiet(st.edit_project_roles, ctx, False),
            "service_account": lambda: _quiet(st.remove_service_account, ctx),
        }
        steps = []
        for key in reversed(STEP_KEYS):
            if key == "apis":
                step = Step(key, step_title(key), StepState.SKIPPED, msg(
                    "cloud.detail.apis_left", "The APIs stay on: other work in the project may use them."))
                self.progress(step)
                steps.append(step)
                continue
            steps.append(self._run(key, actions[key]))
        return steps

    # ------------------------------------------------------------ helpers

    def _context(self) -> Any:
        from core.app import cloud_steps as st

        if self.cfg.job.backend != "vertex" or not self.cfg.job.project_id:
            raise CloudSetupError(msg(
                "cloud.needs_vertex", "The cloud schedule runs on Vertex AI: choose Vertex AI and a Google "
                "project on the Job page first."), title=msg("cloud.needs_vertex.title", "Vertex AI needed"),
                step="config")
        return st.Context(self.cfg, self.secrets)

    def _run(self, key: str, action: Callable[[], Message | None]) -> Step:
        self.progress(Step(key, step_title(key), StepState.RUNNING))
        try:
            detail = action()
        except Exception as exc:  # every failure becomes a sentence with its fix
            error = _explain(key, exc, self._context())
            self.progress(Step(key, step_title(key), StepState.FAILED, error.msg))
            raise error from exc
        step = Step(key, step_title(key), StepState.DONE, detail)
        self.progress(step)
        return step


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


def _explain(step: str, exc: Exception, ctx: Any) -> CloudSetupError:
    """A failure of `step` as a sentence that says what to do. Secret values never reach it: Google's own
    text is shown only for steps that carry none."""
    from google.api_core import exceptions as api_exc
    from google.auth import exceptions as auth_exc

    from core.app import cloud_steps as st
    from core.errors import AuthError

    where = {"step": step_title(step) if step in STEP_KEYS else step, "project": ctx.project}
    if isinstance(exc, CloudSetupError):
        return exc
    if isinstance(exc, st.NotOurs):
        return CloudSetupError(msg(
            "cloud.not_ours", "Project {project} already has {name}, which T4 Panel did not make, so it was left "
            "alone. Rename or delete it in the Cloud Console, then set up again.", name=exc.what, **where), step=step)
    if isinstance(exc, st.MissingSecret):
        return CloudSetupError(msg(
            "cloud.secret_missing", "Secret Manager has no {name} yet and T4 Panel was not asked to copy it. Save "
            "the Supabase URL and key on this computer and set up again, agreeing to copy them.",
            name=exc.key), step=step)
    if isinstance(exc, AuthError):
        return CloudSetupError(exc.msg, step=step)
    if isinstance(exc, (api_exc.Unauthorized, auth_exc.RefreshError, auth_exc.DefaultCredentialsError)):
        return CloudSetupError(msg(
            "cloud.sign_in", "Google did not accept your sign-in while doing \"{step}\". Sign in with Google "
            "again, then set up again: the steps already done are kept.", **where),
            title=msg("cloud.sign_in.title", "Sign in again"), step=step)
    if isinstance(exc, api_exc.Forbidden):
        return CloudSetupError(msg(
            "cloud.denied", "Google refused \"{step}\" in project {project}: the signed-in account lacks the "
            "permission. Ask the project's Owner to do the setup, or to give you the Owner role (or Project IAM "
            "Admin, Service Account Admin, Secret Manager Admin, Cloud Run Admin and Cloud Scheduler Admin), then "
            "set up again: the steps already done are kept.", **where),
            title=msg("cloud.denied.title", "Permission needed"), step=step)
    code = getattr(exc, "code", None)
    said = "" if step in ("secrets",) else str(getattr(exc, "message", "") or "")[:300]
    if isinstance(exc, api_exc.GoogleAPICallError):
        return CloudSetupError(msg(
            "cloud.google_error", "Google answered {code} while doing \"{step}\" in project {project}. {said} "
            "Try again in a few minutes: the steps already done are kept.", code=code or "", said=said, **where),
            step=step)
    return CloudSetupError(msg(
        "cloud.failed", "\"{step}\" did not finish ({what}). Check the network and try again: the steps already "
        "done are kept.", what=type(exc).__name__, **where), step=step)
