"""A stalled run is noticed: GPU and CPU both near zero, or a job that logs gone silent, for the operator's
stretch while the job RUNS.

A hung job costs as much as a working one until its max runtime stops it. StallWatch reads each running
Vertex run's usage (through core.google.monitoring's one paced reader), warns once per run (the front
end's tray through `warn`, and the webhook), and, only when the operator opted in, cancels exactly that
run. Both GPU and CPU must be idle: a job busy on the CPU (loading data) is working, not stalled.

Log silence counts when Monitoring cannot say (unreachable, or no figures yet) and the job is one that logs:
none of its last successful runs (core.app.log_rhythm) went quiet for more than half the stretch, so a run
silent for the whole stretch is at least twice as quiet as the job has ever been. A job that never logs, or
that sometimes goes quiet for long, is never flagged for silence; nor is one that Monitoring sees working.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from core.app import log_rhythm
from core.app.notify import post_webhook_text
from core.errors import Message, T4Error, msg
from core.google.monitoring import Metric, Usage, UsageNotDue, read_run
from core.store.config import AppConfig
from core.store.runs import Run, RunState, utcnow

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
        clock: now, aware UTC (log silence is measured against it).
    """

    def __init__(self, controller: Any, config: Callable[[], AppConfig],
                 warn: Callable[[Message, Message], None], read: Callable[[Run], Usage | None] = read_run,
                 clock: Callable[[], datetime] = utcnow) -> None:
        self.controller = controller
        self.config = config
        self.warn = warn
        self.read = read
        self.clock = clock
        self._warned: set[str] = set()
        self._rhythm: tuple[tuple[str, ...], timedelta | None] = ((), None)  # (runs read, their usual silence)

    def check(self) -> list[StallVerdict]:
        cfg = self.config().notifications
        if cfg.stall_minutes <= 0:
            return []
        stretch = timedelta(minutes=cfg.stall_minutes)
        out = []
        for run in self.controller.store.active():
            if run.backend != "vertex" or run.state is not RunState.RUNNING or run.id in self._warned:
                continue
            try:
                usage = self.read(run)
            except UsageNotDue:  # read too recently (the run's page, say): no verdict this time
                continue
            except T4Error as exc:  # Monitoring unreachable: never a false alarm from it; the log may still tell
                log.info("stall check of %s: usage unreadable: %s", run.id, exc.message)
                usage = None
            idle = idle_stretch(usage)
            if idle >= stretch:
                out.append(self._stalled(run, self._idle_message(run, idle, cfg.cancel_when_stalled), idle,
                                         cfg.cancel_when_stalled, cfg.webhook_url))
            elif not _has_points(usage):  # Monitoring cannot say whether it works: ask the log
                silent = self._silence(run, stretch)
                if silent is not None:
                    # Monitoring unreadable too: the silence may be our own reads failing (network, the shared
                    # Logging quota), so warn but never cancel a job on that alone.
                    cancel = cfg.cancel_when_stalled and usage is not None
                    out.append(self._stalled(run, self._silent_message(run, silent, cancel), silent[0], cancel,
                                             cfg.webhook_url))
        return out

    def _silence(self, run: Run, stretch: timedelta) -> tuple[timedelta, timedelta] | None:
        """(how long `run` has been silent, the job's usual longest silence) when that counts as a stall."""
        usual = self._usual_silence(run.backend)
        if usual is None or usual * 2 > stretch:
            return None  # a job that does not log, or that goes quiet for long on a good day
        silent = log_rhythm.silent_for(run, self.clock())
        return (silent, usual) if silent >= stretch else None

    def _usual_silence(self, backend: str) -> timedelta | None:
        runs = log_rhythm.sample(self.controller.store, backend)
        key = tuple(r.id for r in runs)
        if key != self._rhythm[0]:  # read the earlier logs again only when a run has been added
            self._rhythm = (key, log_rhythm.usual_silence(runs))
        return self._rhythm[1]

    @staticmethod
    def _idle_message(run: Run, idle: timedelta, cancel: bool) -> Message:
        minutes = int(idle.total_seconds() // 60)
        if cancel:
            return msg("stall.cancelling", "Run {run} has used neither GPU nor CPU for {minutes} minutes, so "
                       "T4 Panel is cancelling it, as set in Settings.", run=run.id, minutes=minutes)
        return msg("stall.warning", "Run {run} has used neither GPU nor CPU for {minutes} minutes and may "
                   "be stuck while it is still billed. Look at its log, or cancel it.", run=run.id, minutes=minutes)

    @staticmethod
    def _silent_message(run: Run, silent: tuple[timedelta, timedelta], cancel: bool) -> Message:
        minutes = int(silent[0].total_seconds() // 60)
        usual = max(1, math.ceil(silent[1].total_seconds() / 60))
        if cancel:
            return msg("stall.silent.cancelling", "Run {run} has written nothing to its log for {minutes} minutes, "
                       "though this job's earlier runs were never quiet for more than {usual} minutes, so T4 Panel "
                       "is cancelling it, as set in Settings.", run=run.id, minutes=minutes, usual=usual)
        return msg("stall.silent.warning", "Run {run} has written nothing to its log for {minutes} minutes, though "
                   "this job's earlier runs were never quiet for more than {usual} minutes. It may be stuck while "
                   "it is still billed. Look at its log, or cancel it.", run=run.id, minutes=minutes, usual=usual)

    def _stalled(self, run: Run, message: Message, idle: timedelta, cancel: bool, webhook: str) -> StallVerdict:
        self._warned.add(run.id)
        title = msg("stall.title", "The T4 looks idle")
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


def _has_points(usage: Usage | None) -> bool:
    """True when Monitoring gave figures for the run (then they, not the log, say whether it works)."""
    return usage is not None and any(usage.series.get(m) for m in (Metric.GPU, Metric.CPU))
