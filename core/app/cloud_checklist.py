"""The cloud schedule's checklist: its steps, their states, and the sentence for a step that failed.

Shared by cloud_setup.py (which walks it) and the front ends (which show it). A failure keeps its step's key
and says what to do; Google's own text is added only for steps that carry no secret.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Mapping
from dataclasses import dataclass
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
        "secret_access": msg("cloud.step.secret_access", "Let only t4panel-runner and the Vertex AI job's account "
                             "read those keys"),
        # Settings' "keep the keys in Secret Manager" without the cloud schedule (cloud_keys.py)
        "keys_apis": msg("cloud.step.keys_apis", "Turn on Secret Manager"),
        "keys_access": msg("cloud.step.keys_access", "Let only the Vertex AI job's account read those keys"),
        "run_job": msg("cloud.step.run_job", "Create the Cloud Run job t4panel-runner"),
        "run_invoker": msg("cloud.step.run_invoker", "Let it start that job"),
        "scheduler_job": msg("cloud.step.scheduler_job", "Create the Cloud Scheduler job t4panel-daily"),
    }
    return titles[key]


def plan(cfg: AppConfig) -> list[Step]:
    """The checklist setup will walk, all TODO; no network."""
    del cfg  # every project gets the same steps; the config only fills them in
    return [Step(key, step_title(key), StepState.TODO) for key in STEP_KEYS]


class ChecklistRunner:
    """Walks checklist steps in `cfg`'s project, reporting each as it starts and ends (blocking: call off the
    UI thread). The cloud schedule (cloud_setup.py) and Settings' keys in Secret Manager (cloud_keys.py) share it.

    Args:
        cfg: the settings (Vertex AI backend, a project).
        secrets: {"supabase-url": ..., "supabase-key": ...} from the keyring to copy to Secret Manager; None
            copies nothing.
        progress: called with each step as it starts and as it ends.
    """

    #: What to say when the settings are not Vertex AI with a project.
    needs_vertex: Message

    def __init__(self, cfg: AppConfig, *, secrets: Mapping[str, str] | None = None,
                 progress: Callable[[Step], None] = lambda step: None) -> None:
        self.cfg = cfg
        self.secrets = dict(secrets) if secrets is not None else None
        self.progress = progress

    def _context(self) -> Any:
        from core.app import cloud_steps as st

        if self.cfg.job.backend != "vertex" or not self.cfg.job.project_id:
            raise CloudSetupError(self.needs_vertex, title=msg("cloud.needs_vertex.title", "Vertex AI needed"),
                                  step="config")
        return st.Context(self.cfg, self.secrets)

    def _run(self, ctx: Any, key: str, action: Callable[[], Message | None]) -> Step:
        self.progress(Step(key, step_title(key), StepState.RUNNING))
        try:
            detail = action()
        except Exception as exc:  # every failure becomes a sentence with its fix
            error = explain(key, exc, ctx)
            self.progress(Step(key, step_title(key), StepState.FAILED, error.msg))
            raise error from exc
        step = Step(key, step_title(key), StepState.DONE, detail)
        self.progress(step)
        return step


def explain(step: str, exc: Exception, ctx: Any) -> CloudSetupError:
    """A failure of `step` as a sentence that says what to do. Secret values never reach it: Google's own
    text is shown only for steps that carry none."""
    from google.api_core import exceptions as api_exc
    from google.auth import exceptions as auth_exc

    from core.app import cloud_steps as st
    from core.errors import AuthError

    try:
        title: Message | str = step_title(step)
    except KeyError:  # not a checklist step ("status", "update", "config")
        title = step
    where = {"step": title, "project": ctx.project}
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
        return CloudSetupError(exc.msg, step=step, title=exc.title_msg)
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
