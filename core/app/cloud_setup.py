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

    def __init__(self, step: str, message: Message, *, title: Message | None = None) -> None:
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
        raise NotImplementedError

    def status(self) -> CloudStatus:
        raise NotImplementedError

    def update_config(self) -> bool:
        """Bring the Cloud Run job (and the Scheduler's cron) in line with `cfg`. True when something changed."""
        raise NotImplementedError

    def remove(self) -> list[Step]:
        """Delete what setup made, newest first; what is already gone counts as done."""
        raise NotImplementedError
