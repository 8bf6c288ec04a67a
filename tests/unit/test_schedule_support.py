"""Shared pieces for the schedule tests: a controllable clock and a fast stand-in for RunController.

The stand-in keeps the real RunStore (so the unique occurrence index and `active()` are the real ones)
and the controller's refusal rules, but its "runs" end when the fake clock says so: 400 simulated days
take seconds. One test in test_schedule_real.py uses the real RunController with the local backend.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from core.errors import BackendError, RunRefused
from core.schedule.scheduler import Scheduler
from core.store.config import AppConfig, ScheduleConfig
from core.store.occurrences import OccurrenceStore
from core.store.runs import Run, RunState, RunStore, iso, new_run_id, parse_iso


class BudgetBlocked(RunRefused):
    """Stands in for core.cost.BudgetBlocked (matched by class name until core/cost.py exists)."""


@dataclass
class FakeClock:
    """Wall clock (aware UTC) and monotonic clock. `sleep` and `jump` move the wall clock only."""

    wall: datetime
    mono: float = 1000.0
    highest: datetime | None = None

    def __call__(self) -> datetime:
        return self.wall

    def monotonic(self) -> float:
        return self.mono

    def _seen(self) -> None:
        self.highest = max(self.highest or self.wall, self.wall)

    def advance(self, seconds: float) -> None:
        """Time passes with the computer awake."""
        self.wall += timedelta(seconds=seconds)
        self.mono += seconds
        self._seen()

    def advance_to(self, when: datetime) -> None:
        self.advance(max(0.0, (when - self.wall).total_seconds()))

    def sleep(self, seconds: float) -> None:
        """The computer is suspended: the monotonic clock stops."""
        self.wall += timedelta(seconds=seconds)
        self._seen()

    def jump(self, seconds: float) -> None:
        """Someone (or NTP) sets the wall clock."""
        self.wall += timedelta(seconds=seconds)
        self._seen()


@dataclass
class FakeController:
    """RunController's launch rules over a real RunStore; a run lasts `run_minutes` of fake time."""

    store: RunStore
    clock: FakeClock
    run_minutes: float = 30.0
    profile: str = "default"
    block_next: bool = False
    fail_next: bool = False
    bad_config: bool = False
    launches: list[tuple[datetime | None, str, datetime]] = field(default_factory=list)

    def config_source(self) -> AppConfig:
        cfg = AppConfig()
        if self.bad_config:
            cfg.job.machine_type = "e2-small"
        return cfg

    def settle(self) -> None:
        """End the runs whose time is up (what the watcher threads do for real)."""
        for run in self.store.active(self.profile):
            if parse_iso(run.detail["ends"]) <= self.clock():  # type: ignore[operator]
                self.store.update(run, state=RunState.SUCCEEDED, ended=self.clock())

    def launch(self, trigger: str = "manual", occurrence: datetime | None = None, confirmed: bool = False,
               minutes: float | None = None) -> Run:
        self.settle()
        if self.bad_config:
            raise RunRefused("The job settings have problems: A T4 GPU only fits N1 machine types.")
        if self.block_next and occurrence is not None:
            self.block_next = False
            raise BudgetBlocked("This month's budget of $10.00 is used up; scheduled runs are paused.")
        now = self.clock()
        run = Run(id=new_run_id(), backend="local", state=RunState.RUNNING, created=now, started=now,
                  occurrence=occurrence, trigger=trigger, job_name="fake",
                  detail={"ends": iso(now + timedelta(minutes=minutes or self.run_minutes))})
        with self.store.transaction() as store:
            if store.active(self.profile):
                raise RunRefused("A run is already going. Wait for it to finish or cancel it first.")
            if occurrence is not None and store.by_occurrence(occurrence) is not None:
                raise RunRefused("The scheduled run was already launched; it is not launched twice.")
            store.insert(run)
        self.launches.append((occurrence, trigger, now))
        if self.fail_next and occurrence is not None:
            self.fail_next = False
            self.store.update(run, state=RunState.FAILED, ended=now, job_name="", started=None,
                              error="The backend said no.")
            raise BackendError("The backend said no.")
        return run


@dataclass
class Rig:
    """A scheduler wired to fakes, plus what it told the operator."""

    clock: FakeClock
    controller: FakeController
    occurrences: OccurrenceStore
    cfg: AppConfig
    notices: list[tuple[str, str]] = field(default_factory=list)
    scheduler: Scheduler | None = None

    def new_scheduler(self) -> Scheduler:
        """A fresh Scheduler over the same database, as after an app restart."""
        self.scheduler = Scheduler(self.controller, lambda: self.cfg, clock=self.clock,
                                   notify=lambda t, m: self.notices.append((t, m)),
                                   monotonic=self.clock.monotonic, occurrences=self.occurrences)
        return self.scheduler

    def start(self) -> Scheduler:
        sched = self.new_scheduler()
        self.controller.settle()
        sched.start(background=False)
        return sched

    def outcomes(self) -> dict[str, str]:
        return {r.id: r.outcome.value for r in self.occurrences.all()}


def make_rig(tmp_path, start: datetime, **schedule) -> Rig:
    clock = FakeClock(start)
    store = RunStore(tmp_path / "history.sqlite3")
    store._db.execute("PRAGMA synchronous=OFF")  # speed only: 400 simulated days of commits, no power cuts
    cfg = AppConfig(schedule=ScheduleConfig(**{"enabled": True, **schedule}))
    occurrences = OccurrenceStore(store.path)
    occurrences._db.execute("PRAGMA synchronous=OFF")
    return Rig(clock, FakeController(store, clock), occurrences, cfg)


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)  # type: ignore[misc]
