"""420 simulated days of restarts, sleeps, clock jumps, long runs and refusals, on a fake clock.

Properties: every fire time gets exactly one outcome, none is launched (or even tried) twice, none
vanishes, and a fire time reached with the app awake and nothing in the way is launched on time.
"""

from __future__ import annotations

import random
from collections import Counter
from datetime import timedelta

import pytest
from test_schedule_support import make_rig, utc

from core.control.controller import occurrence_label
from core.schedule.plan import occurrences_between
from core.schedule.scheduler import ON_TIME_GRACE
from core.store.occurrences import Outcome

DAYS = 420


@pytest.mark.parametrize("seed, schedule", [
    (1, {"time": "01:00", "timezone": "Asia/Seoul", "catch_up_hours": 6}),
    (2, {"time": "02:30", "timezone": "America/New_York", "weekdays": ["mon", "tue", "wed", "thu", "fri"],
         "catch_up_hours": 12}),
    (3, {"time": "01:30", "timezone": "America/New_York", "catch_up_hours": 3}),
])
def test_four_hundred_days_every_occurrence_exactly_one_outcome(tmp_path, seed, schedule):
    rng = random.Random(seed)
    start = utc(2026, 1, 1, 9, 17)
    rig = make_rig(tmp_path, start, **schedule)
    ctl, clock = rig.controller, rig.clock
    attempts: Counter[str] = Counter()
    real_launch = ctl.launch

    def counting_launch(trigger="manual", occurrence=None, confirmed=False, minutes=None):
        if occurrence is not None:
            attempts[occurrence_label(occurrence)] += 1
        return real_launch(trigger, occurrence, confirmed, minutes)

    ctl.launch = counting_launch  # type: ignore[method-assign]
    sched = rig.start()
    on_time_checked = 0
    while clock.wall < start + timedelta(days=DAYS):
        ctl.settle()
        roll = rng.random()
        if roll < 0.55:  # awake until APScheduler fires
            nxt = sched.next_run()
            clock.advance_to(nxt + timedelta(seconds=rng.uniform(0, 3)))
            ctl.settle()
            clear = not ctl.store.active() and not ctl.block_next and not ctl.fail_next
            sched.fire()
            if clear and clock.wall - nxt < ON_TIME_GRACE:
                assert rig.occurrences.get(occurrence_label(nxt)).outcome == Outcome.LAUNCHED
                on_time_checked += 1
        elif roll < 0.65:  # awake, a tick some time later
            clock.advance(rng.uniform(60, 10 * 3600))
            ctl.settle()
            sched.tick()
        elif roll < 0.75:  # suspended
            clock.sleep(rng.uniform(3600, 48 * 3600))
            ctl.settle()
            assert sched.tick() is True
        elif roll < 0.83:  # quit, later started again
            sched.stop()
            clock.advance(rng.uniform(0, 80 * 3600))
            ctl.settle()
            sched = rig.start()
        elif roll < 0.90:  # the wall clock is set, either way
            clock.jump(rng.choice([-1, 1]) * rng.uniform(60, 36 * 3600))
            ctl.settle()
            sched.tick()
        elif roll < 0.95:
            if not ctl.store.active():
                ctl.launch("manual", minutes=rng.uniform(10, 1500))
        elif roll < 0.98:
            ctl.block_next = True
        else:
            ctl.fail_next = True
    # Bring the clock past everything it ever showed, and let a last start account for the rest.
    sched.stop()
    clock.advance_to(clock.highest + timedelta(minutes=1))
    ctl.block_next = ctl.fail_next = False
    rig.start()

    expected = occurrences_between(rig.cfg.schedule, start - timedelta(hours=schedule["catch_up_hours"]),
                                   clock.wall)
    records = rig.occurrences.all()
    assert len(expected) > 300
    assert [r.id for r in records] == [occurrence_label(d) for d in expected]  # none vanishes, none extra
    assert max(attempts.values()) == 1  # nothing is tried twice
    runs = {occurrence_label(r.occurrence): r for r in ctl.store if r.occurrence is not None}
    for rec in records:
        if rec.outcome in (Outcome.LAUNCHED, Outcome.CAUGHT_UP):
            run = runs[rec.id]
            assert run.id == rec.run_id
            assert run.trigger == ("schedule" if rec.outcome == Outcome.LAUNCHED else "catch-up")
            if rec.outcome == Outcome.LAUNCHED:
                assert timedelta(0) <= run.created - rec.fire_time <= ON_TIME_GRACE
        elif rec.outcome == Outcome.FAILED_TO_LAUNCH:
            assert rec.reason
        else:
            assert rec.id not in runs and rec.reason
    kinds = Counter(r.outcome for r in records)
    assert set(kinds) == set(Outcome), kinds  # the simulation reached every outcome
    assert on_time_checked > 150
