"""A stalled run is noticed: GPU and CPU both near zero for the operator's stretch while the job RUNS.

A hung job costs as much as a working one until its max runtime stops it. StallWatch reads each running
Vertex run's usage (through core.google.monitoring's one paced reader), warns once per run (the front
end's tray through `warn`, and the webhook), and, only when the operator opted in, cancels exactly that
run. Both GPU and CPU must be idle: a job busy on the CPU (loading data) is working, not stalled.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from core.app.notify import post_webhook_text
from core.errors import Message, T4Error, msg
from core.google.monitoring import Metric, Usage, read_run
from core.store.config import AppConfig
from core.store.runs import Run, RunState

log = logging.getLogger(__name__)

#: At or under this fraction of the allocation a resource counts as idle (monitoring's own noise is ~1%).
IDLE_FRACTION = 0.05


def idle_stretch(usage: Usage | None) -> timedelta:
    """How long GPU and CPU have both been idle up to the latest point (zero when either is missing)."""
    if usage is None:
        return timedelta(0)
    gpu = dict(usage.series.get(Metric.GPU) or [])
    cpu = dict(usage.series.get(Metric.CPU) or [])
    times = sorted(set(gpu) & set(cpu))
    if not times:
        return timedelta(0)
    first_idle = None
    for when in reversed(times):
        if gpu[when] > IDLE_FRACTION or cpu[when] > IDLE_FRACTION:
            break
        first_idle = when
    if first_idle is None:
        return timedelta(0)
    # Each point stands for the period that ends at it.
    return times[-1] - first_idle + timedelta(seconds=usage.alignment_seconds)


@dataclass(frozen=True)
class StallVerdict:
    """One stalled run: how long it has been idle, what was said, whether a cancel was asked."""

    run_id: str
    idle: timedelta
    message: Message
    cancelled: bool


class StallWatch:
    """Checks the running Vertex runs; call `check()` about once a minute off the UI thread.

    Args:
        controller: a core.control.controller.RunController (its store and `cancel`).
        config: returns the current AppConfig (the stretch, the opt-in, the webhook).
        warn: shows a (title, message) to the operator (the tray); called from the checking thread.
        read: a run's Usage (the app's Monitoring reader by default).
    """

    def __init__(self, controller: Any, config: Callable[[], AppConfig],
                 warn: Callable[[Message, Message], None], read: Callable[[Run], Usage | None] = read_run) -> None:
        self.controller = controller
        self.config = config
        self.warn = warn
        self.read = read
        self._warned: set[str] = set()

    def check(self) -> list[StallVerdict]:
        cfg = self.config().notifications
        if cfg.stall_minutes <= 0:
            return []
        out = []
        for run in self.controller.store.active():
            if run.backend != "vertex" or run.state is not RunState.RUNNING or run.id in self._warned:
                continue
            try:
                idle = idle_stretch(self.read(run))
            except T4Error as exc:  # Monitoring unreachable: no verdict this time, never a false alarm
                log.info("stall check of %s skipped: %s", run.id, exc.message)
                continue
            if idle >= timedelta(minutes=cfg.stall_minutes):
                out.append(self._stalled(run, idle, cfg.cancel_when_stalled, cfg.webhook_url))
        return out

    def _stalled(self, run: Run, idle: timedelta, cancel: bool, webhook: str) -> StallVerdict:
        self._warned.add(run.id)
        minutes = int(idle.total_seconds() // 60)
        title = msg("stall.title", "The T4 looks idle")
        if cancel:
            message = msg("stall.cancelling", "Run {run} has used neither GPU nor CPU for {minutes} minutes, so "
                          "T4 Panel is cancelling it, as set in Settings.", run=run.id, minutes=minutes)
        else:
            message = msg("stall.warning", "Run {run} has used neither GPU nor CPU for {minutes} minutes and may "
                          "be stuck while it is still billed. Look at its log, or cancel it.",
                          run=run.id, minutes=minutes)
        self.warn(title, message)
        if webhook:
            post_webhook_text(webhook, f"T4 Panel: {title.text}. {message.text}")
        cancelled = False
        if cancel:
            try:
                self.controller.cancel(run.id)
                cancelled = True
            except T4Error as exc:  # it ended meanwhile: nothing left to stop
                log.info("stalled run %s not cancelled: %s", run.id, exc.message)
        return StallVerdict(run.id, idle, message, cancelled)
