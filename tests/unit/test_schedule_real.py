"""The scheduler over the real RunController and LocalBackend: a fire, a skip, and the next fire."""

from __future__ import annotations

from pathlib import Path

from test_schedule_support import FakeClock, utc

from core import paths
from core.backends.local import LocalBackend
from core.control.controller import RunController
from core.schedule.scheduler import SKIPPED_REASON, Scheduler
from core.store.config import AppConfig, JobConfig, ScheduleConfig
from core.store.occurrences import Outcome
from core.store.runs import RunState, RunStore


def test_real_controller_fire_skip_fire():
    cfg = AppConfig(job=JobConfig(env={"SAMPLE_JOB_SECONDS": "0.2"}),
                    schedule=ScheduleConfig(enabled=True, time="01:00", timezone="UTC"))
    store = RunStore(paths.history_path())
    controller = RunController(store, lambda: cfg, backend_factory=lambda name: LocalBackend(poll_seconds=0.05))
    clock = FakeClock(utc(2026, 5, 1, 0, 59))
    notices: list[tuple[str, str]] = []
    sched = Scheduler(controller, lambda: cfg, clock=clock, monotonic=clock.monotonic,
                      notify=lambda t, m: notices.append((t, m)))
    try:
        sched.start(background=False)
        clock.advance_to(utc(2026, 5, 1, 1))
        [first] = sched.fire()
        assert first.outcome == Outcome.LAUNCHED and first.id == "20260501t0100z"
        clock.advance_to(utc(2026, 5, 2, 1))  # the next fire time comes while the first run still goes
        [second] = sched.fire()
        assert second.outcome == Outcome.SKIPPED and second.reason == SKIPPED_REASON
        assert notices[0][0] == "Scheduled run skipped"
        run = controller.wait(first.run_id, timeout=20)
        assert run.state == RunState.SUCCEEDED and run.trigger == "schedule"
        assert run.occurrence == utc(2026, 5, 1, 1)
        assert "predict: wrote predictions" in Path(run.log_path).read_text(encoding="utf-8")
        clock.advance_to(utc(2026, 5, 3, 1))
        [third] = sched.fire()
        assert third.outcome == Outcome.LAUNCHED
        assert controller.wait(third.run_id, timeout=20).state == RunState.SUCCEEDED
        assert store.by_occurrence(utc(2026, 5, 2, 1)) is None  # the skipped one never ran
        assert sched.next_run() == utc(2026, 5, 4, 1)
    finally:
        sched.stop()
        controller.shutdown()
