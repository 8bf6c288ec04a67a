"""420 simulated days with random 503 storms and T4 stockouts at fire time, on a fake clock (issue 11).

Each day Vertex AI may be unavailable (503) or out of T4s for a random stretch starting at or before the fire
time. Properties: every fire time gets exactly one outcome (launched / caught up / skipped / missed / blocked /
failed to launch); no occurrence is launched twice and no two runs ever overlap; an occurrence fails to launch
only when its whole catch-up window was unhealthy: any healthy minute inside it gives a launch.
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import pytest
from test_schedule_support import FakeController, make_rig, utc

from core.control.controller import occurrence_label
from core.errors import BackendError, RunRefused
from core.schedule.plan import occurrences_between
from core.store.occurrences import Outcome
from core.store.runs import Run, RunState, iso, parse_iso

DAYS = 420
TICK = timedelta(seconds=30)  # the scheduler's periodic pass


@dataclass
class StormController(FakeController):
    """FakeController plus Vertex AI's bad minutes: launches and retries inside an outage fail, retryable."""

    outages: list[tuple[datetime, datetime, str]] = field(default_factory=list)  # (from, to, "busy"|"capacity")
    started: Counter[str] = field(default_factory=Counter)  # occurrence label -> jobs that really started
    tried: Counter[str] = field(default_factory=Counter)

    def outage(self) -> str | None:
        now = self.clock()
        return next((kind for a, b, kind in self.outages if a <= now < b), None)

    def _fail(self, run: Run, kind: str) -> BackendError:
        self.store.update(run, state=RunState.FAILED, ended=self.clock(), started=None, job_name="",
                          error="Vertex AI did not answer." if kind == "busy" else "No T4 GPU free in us-central1.",
                          detail={**run.detail, "retryable": True, "retry_kind": kind})
        return BackendError(run.error or "", retryable=True)

    def launch(self, trigger: str = "manual", occurrence: datetime | None = None, confirmed: bool = False,
               minutes: float | None = None) -> Run:
        run = super().launch(trigger, occurrence, confirmed, minutes)
        if occurrence is not None:
            self.tried[occurrence_label(occurrence)] += 1
            kind = self.outage()
            if kind is not None:
                raise self._fail(self.store.get(run.id) or run, kind)
            self.started[occurrence_label(occurrence)] += 1
        return run

    def retry(self, run_id: str) -> Run:
        self.settle()
        now = self.clock()
        with self.store.transaction() as store:
            run = store.get(run_id)
            assert run is not None and run.occurrence is not None
            if run.state != RunState.FAILED or not run.detail.get("retryable"):
                raise RunRefused("This run is not waiting for another attempt.", reason="already_launched")
            if store.active(self.profile):
                raise RunRefused("A run is already going.", reason="running")
            attempts = [*run.detail.get("attempts", []), {"error": run.error}]
            detail = {k: v for k, v in run.detail.items() if k not in ("next_try", "retry_kind")}
            run = store.update(run, state=RunState.RUNNING, started=now, ended=None, error=None, job_name="fake",
                               detail={**detail, "attempts": attempts, "retryable": False,
                                       "ends": iso(now + timedelta(minutes=self.run_minutes))})
        label = occurrence_label(run.occurrence)  # type: ignore[arg-type]  # asserted above
        self.tried[label] += 1
        kind = self.outage()
        if kind is not None:
            raise self._fail(run, kind)
        self.started[label] += 1
        return run


@pytest.mark.parametrize("seed, schedule", [
    (11, {"time": "01:00", "timezone": "Asia/Seoul", "catch_up_hours": 2}),
    (12, {"time": "02:30", "timezone": "America/New_York", "weekdays": ["mon", "wed", "fri", "sat"],
          "catch_up_hours": 1}),
])
def test_storms_and_stockouts_never_lose_a_healthy_day_or_pay_twice(tmp_path, seed, schedule):
    rng = random.Random(seed)
    start = utc(2026, 1, 1, 9, 17)
    rig = make_rig(tmp_path, start, **schedule)
    ctl = StormController(rig.controller.store, rig.clock)
    rig.controller = ctl
    clock, window = rig.clock, timedelta(hours=schedule["catch_up_hours"])
    sched = rig.start()
    overlaps = 0
    while clock.wall < start + timedelta(days=DAYS):
        nxt = sched.next_run()
        assert nxt is not None
        roll = rng.random()
        if roll < 0.25:  # a 503 storm from a little before the fire time, 1 minute to past the whole window
            ctl.outages.append((nxt - timedelta(minutes=rng.uniform(0, 10)),
                                nxt + timedelta(minutes=rng.choice([1, 3, 8, 25]) * rng.uniform(0.5, 2)), "busy"))
        elif roll < 0.45:  # no T4 free for a while, sometimes for longer than the window
            ctl.outages.append((nxt - timedelta(minutes=rng.uniform(0, 60)),
                                nxt + window * rng.choice([0.1, 0.5, 0.95, 1.5]), "capacity"))
        elif roll < 0.50:
            ctl.block_next = True
        ctl.run_minutes = rng.choice([20, 45, 60 * 30])  # a day-long run makes the next day skip
        clock.advance_to(nxt + timedelta(seconds=rng.uniform(0, 20)))
        ctl.settle()  # runs whose time is up have ended (their watchers saw it)
        label = occurrence_label(nxt)
        while rig.occurrences.get(label) is None or _waiting(ctl, nxt):
            sched.fire()
            overlaps += max(0, len(ctl.store.active()) - 1)
            if rig.occurrences.get(label) is not None and not _waiting(ctl, nxt):
                break
            run = ctl.store.by_occurrence(nxt)
            wake = parse_iso(run.detail.get("next_try")) if run is not None else None
            # the 30 s tick that first comes at or after the planned attempt (or the next tick)
            clock.advance_to(max(clock.wall + TICK, wake or clock.wall) + timedelta(seconds=rng.uniform(0, 30)))
            ctl.settle()
            assert clock.wall < nxt + window + timedelta(hours=1), "an occurrence was tried past its window"
        ctl.block_next = False
    sched.stop()

    expected = occurrences_between(rig.cfg.schedule, start - window, clock.wall)
    records = {r.id: r for r in rig.occurrences.all()}
    assert len(expected) > 200
    assert sorted(records) == sorted(occurrence_label(d) for d in expected)  # exactly one outcome each
    assert overlaps == 0 and max(ctl.started.values()) == 1  # never two jobs at once, never launched twice
    fired = {occurrence_label(d): d for d in expected}
    for label, rec in records.items():
        if label not in fired or fired[label] < start:
            continue
        healthy = _healthy_minute(ctl, fired[label], window)
        if rec.outcome == Outcome.FAILED_TO_LAUNCH:
            assert not healthy, f"{label} failed although the service was healthy from {healthy}"
        if rec.outcome == Outcome.LAUNCHED:
            assert ctl.started[label] == 1
    kinds = Counter(r.outcome for r in records.values())
    assert {Outcome.LAUNCHED, Outcome.SKIPPED, Outcome.BLOCKED, Outcome.FAILED_TO_LAUNCH} <= set(kinds), kinds
    retried = sum(1 for lb, n in ctl.tried.items() if n > 1 and ctl.started[lb] == 1)
    assert retried > 30, "storms and stockouts were ridden out by later attempts"


def _waiting(ctl: StormController, occ: datetime) -> bool:
    """A launched occurrence whose run failed retryably still has attempts to make (retry pass)."""
    run = ctl.store.by_occurrence(occ)
    return run is not None and run.state == RunState.FAILED and bool(run.detail.get("retryable")) and \
        not run.detail.get("gave_up")


def _healthy_minute(ctl: StormController, occ: datetime, window: timedelta) -> datetime | None:
    """The first moment from which the service was healthy for a minute, inside the occurrence's window
    (minus the last minute, when the final attempt is made), or None."""
    t = occ
    while t + timedelta(minutes=1) <= occ + window - timedelta(minutes=1):
        if not any(a < t + timedelta(minutes=1) and t < b for a, b, _ in ctl.outages):
            return t
        t += timedelta(seconds=30)
    return None
