"""A scripted stand-in for core.app.cloud_setup.CloudSchedule, for GUI tests of the switch and the checklist.

It keeps CloudSchedule's contract (steps in STEP_KEYS order, RUNNING then DONE or FAILED through `progress`,
CloudSetupError naming the step, resumable setup, remove newest first) over an in-memory project, so a test
can make any step fail once and watch Retry resume. The Google side itself is tested against the fakes in
tests/integration (and one GUI test drives the real CloudSchedule there).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any

from core.app.cloud_setup import STEP_KEYS, CloudSetupError, CloudStatus, Step, StepState, step_title
from core.errors import msg


@dataclass
class ScriptedProject:
    """What the operator's project holds, and what the test wants to happen."""

    made: set[str] = field(default_factory=set)
    fail_once: set[str] = field(default_factory=set)  # steps that fail the next time they run
    secrets_seen: list[dict[str, str] | None] = field(default_factory=list)
    calls: list[str] = field(default_factory=list)
    config_differs: bool = False
    last_status: str | None = None
    hold: threading.Event | None = None  # set: a step waits here (a screenshot mid-setup)
    updated: list[Any] = field(default_factory=list)

    def factory(self, cfg: Any, *, secrets: Any = None, progress: Any = None) -> ScriptedSchedule:
        return ScriptedSchedule(self, cfg, secrets, progress or (lambda step: None))


class ScriptedSchedule:
    def __init__(self, project: ScriptedProject, cfg: Any, secrets: Any, progress: Any) -> None:
        self.p, self.cfg, self.secrets, self.progress = project, cfg, secrets, progress

    def _step(self, key: str, make: bool) -> Step:
        self.progress(Step(key, step_title(key), StepState.RUNNING))
        if self.p.hold is not None and key == "secrets":
            self.p.hold.wait(30)
        if key in self.p.fail_once:
            self.p.fail_once.discard(key)
            error = CloudSetupError(msg("cloud.denied", "Google refused \"{step}\" in project {project}: the "
                                                    "signed-in account lacks the permission.",
                                        step=step_title(key), project=self.cfg.job.project_id), step=key)
            self.progress(Step(key, step_title(key), StepState.FAILED, error.msg))
            raise error
        (self.p.made.add if make else self.p.made.discard)(key)
        step = Step(key, step_title(key), StepState.DONE)
        self.progress(step)
        return step

    def setup(self) -> list[Step]:
        self.p.calls.append("setup")
        self.p.secrets_seen.append(self.secrets)
        return [self._step(key, True) for key in STEP_KEYS]

    def remove(self) -> list[Step]:
        self.p.calls.append("remove")
        return [self._step(key, False) for key in reversed(STEP_KEYS)]

    def update_config(self) -> bool:
        self.p.calls.append("update_config")
        self.p.updated.append(self.cfg)
        return True

    def status(self) -> CloudStatus:
        self.p.calls.append("status")
        return CloudStatus(self.cfg.job.project_id, self.cfg.job.region, {k: k in self.p.made for k in STEP_KEYS},
                           self.p.config_differs, "2026-12-01T16:00:00Z", "2026-11-30T16:00:00Z",
                           self.p.last_status, False)
