"""The schedule's two windows, at their edges, over the real Scheduler, RunController and LocalBackend.

- On time: a fire time launched at most 5 minutes late is a scheduled run; later it is a catch-up.
- Catch-up: a fire time later than `catch_up_hours` is missed (no run, one notice), never launched.
The operator sees these in history (Scheduled / Catch-up), in the occurrence outcomes and in the tray.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from test_schedule_support import FakeClock, utc

from core import paths
from core.backends.local import LocalBackend
from core.control.controller import RunController
from core.schedule.scheduler import Scheduler
from core.store.config import AppConfig, JobConfig, ScheduleConfig
from core.store.occurrences import Outcome
from core.store.runs import RunState, RunStore

FIRE = utc(2026, 5, 1, 1)  # 01:00 UTC every day
LABEL = "20260501t0100z"


class Rig:
    """A real controller and scheduler; the scheduler's clock is fake, the job really runs (0.2 s)."""

    def __init__(self, start, catch_up_hours: int) -> None:
        self.cfg = AppConfig(job=JobConfig(env={"SAMPLE_JOB_SECONDS": "0.2"}),
                             schedule=ScheduleConfig(enabled=True, time="01:00", timezone="UTC",
                                                     catch_up_hours=catch_up_hours))
        self.store = RunStore(paths.history_path())
        self.controller = RunController(self.store, lambda: self.cfg,
                                        backend_factory=lambda name: LocalBackend(poll_seconds=0.05))
        self.clock = FakeClock(start)
        self.notices: list[tuple[str, str]] = []
        self.scheduler = Scheduler(self.controller, lambda: self.cfg, clock=self.clock,
                                   monotonic=self.clock.monotonic, notify=lambda t, m: self.notices.append((t, m)))

    def runs(self):
        """History as the operator reads it, each run waited for until it ended."""
        return [self.controller.wait(r.id, timeout=20) for r in self.store.recent()]

    def close(self) -> None:
        self.scheduler.stop()
        self.controller.shutdown()
        self.store.close()


@pytest.fixture
def make_rig():
    rigs: list[Rig] = []

    def make(start, catch_up_hours: int = 6) -> Rig:
        rigs.append(Rig(start, catch_up_hours))
        return rigs[-1]

    yield make
    for rig in rigs:
        rig.close()


@pytest.mark.parametrize(("late", "trigger", "outcome"), [
    (timedelta(minutes=5), "schedule", Outcome.LAUNCHED),
    (timedelta(minutes=5, seconds=1), "catch-up", Outcome.CAUGHT_UP),
])
def test_five_minutes_late_is_still_on_time_one_second_more_is_a_catch_up(make_rig, late, trigger, outcome):
    rig = make_rig(FIRE - timedelta(minutes=1))
    rig.scheduler.start(background=False)
    rig.clock.advance_to(FIRE + late)  # APScheduler's thread was busy: its fire comes late
    [record] = rig.scheduler.fire()
    assert (record.id, record.outcome) == (LABEL, outcome)
    [run] = rig.runs()
    assert (run.trigger, run.occurrence, run.state) == (trigger, FIRE, RunState.SUCCEEDED)
    assert rig.notices == []


def test_asleep_through_the_whole_catch_up_window_is_caught_up_at_its_last_second(make_rig):
    rig = make_rig(FIRE - timedelta(minutes=1), catch_up_hours=2)
    rig.scheduler.start(background=False)
    rig.clock.sleep(timedelta(hours=2, minutes=1).total_seconds())  # wakes exactly 2 h after the fire time
    assert rig.scheduler.tick() is True
    [run] = rig.runs()
    assert (run.trigger, run.occurrence, run.state) == ("catch-up", FIRE, RunState.SUCCEEDED)
    assert rig.scheduler.occurrences.get(LABEL).outcome == Outcome.CAUGHT_UP


def test_one_second_past_the_catch_up_window_is_missed_and_nothing_runs(make_rig):
    rig = make_rig(FIRE - timedelta(minutes=1), catch_up_hours=2)
    rig.scheduler.start(background=False)
    rig.clock.sleep(timedelta(hours=2, minutes=1, seconds=1).total_seconds())
    assert rig.scheduler.tick() is True
    assert rig.runs() == []
    record = rig.scheduler.occurrences.get(LABEL)
    assert record.outcome == Outcome.MISSED and record.run_id is None
    assert rig.notices == [("Missed 1 scheduled run",
                            "These runs did not happen: Fri 1 May 01:00 UTC. T4 Panel was not running or the "
                            "computer was asleep, and it is older than the 2-hour catch-up window.")]
    assert rig.scheduler.next_run() == FIRE + timedelta(days=1)


@pytest.mark.parametrize(("first_start", "ran"), [
    (FIRE + timedelta(hours=2) - timedelta(seconds=1), True),  # installed inside the window: caught up
    (FIRE + timedelta(hours=2), False),  # installed as the window closed: never planned, never run
])
def test_the_very_first_start_catches_up_only_inside_the_window(make_rig, first_start, ran):
    rig = make_rig(first_start, catch_up_hours=2)
    records = rig.scheduler.start(background=False)
    runs = rig.runs()
    if ran:
        assert [(r.id, r.outcome) for r in records] == [(LABEL, Outcome.CAUGHT_UP)]
        assert [(r.trigger, r.occurrence) for r in runs] == [("catch-up", FIRE)]
    else:
        assert records == [] and runs == [] and rig.notices == []
    assert rig.scheduler.next_run() == FIRE + timedelta(days=1)


def test_a_missed_day_before_a_caught_up_one_is_missed_not_launched(make_rig):
    rig = make_rig(FIRE - timedelta(minutes=1), catch_up_hours=30)
    [first] = rig.scheduler.start(background=False)  # first start: 30 Apr 01:00 is inside 30 h, caught up
    assert rig.controller.wait(first.run_id, timeout=20).state == RunState.SUCCEEDED
    rig.clock.sleep(timedelta(days=1, hours=1).total_seconds())  # 1 May 01:00 and 2 May 01:00 both passed
    rig.scheduler.tick()
    # only the latest fire time runs, even though both are inside 30 hours
    assert sorted((r.occurrence, r.trigger) for r in rig.runs()) == [
        (FIRE - timedelta(days=1), "catch-up"), (FIRE + timedelta(days=1), "catch-up")]
    missed = rig.scheduler.occurrences.get(LABEL)
    assert missed.outcome == Outcome.MISSED and missed.run_id is None
    assert missed.reason == "A later scheduled run was due, so only the latest one was caught up."
