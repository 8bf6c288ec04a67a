"""The cloud schedule's checklist: its steps, their states, and the sentence for a step that failed.

Shared by cloud_setup.py (which walks it) and the front ends (which show it). A failure keeps its step's key
and says what to do; Google's own text is added only for steps that carry no secret.
"""

from __future__ import annotations

import enum
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


def explain(step: str, exc: Exception, ctx: Any) -> CloudSetupError:
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
