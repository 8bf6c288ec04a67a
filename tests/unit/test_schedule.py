"""Scheduler policy: regressions of desktop schedulers, DST days, re-planning, refusals."""

from __future__ import annotations

from datetime import timedelta

from test_schedule_support import make_rig, utc

from core.schedule.scheduler import SKIPPED_REASON
from core.store.config import ScheduleConfig
from core.store.occurrences import Outcome


def run_until(rig, end, tick_minutes: float | None = None):
    """Keep the app awake until `end`: APScheduler's fire at each planned time (and optional ticks)."""
    sched = rig.scheduler
    while True:
        rig.controller.settle()
        nxt = sched.next_run()
        step = rig.clock.wall + timedelta(minutes=tick_minutes) if tick_minutes else None
        target = min(t for t in (nxt, step, end) if t is not None)
        if target >= end:
            rig.clock.advance_to(end)
            rig.controller.settle()
            sched.tick()
            return
        rig.clock.advance_to(target)
        rig.controller.settle()
        sched.fire() if target == nxt else sched.tick()


def launches(rig):
    return [(occ, trig) for occ, trig, _ in rig.controller.launches if occ is not None]


def test_catch_up_on_start_then_regular_run_same_evening(tmp_path):
    rig = make_rig(tmp_path, utc(2026, 5, 1, 12), time="20:00", timezone="UTC", catch_up_hours=0)
    rig.start()
    run_until(rig, utc(2026, 5, 1, 21))
    rig.scheduler.stop()  # app closed; 1 May 20:00 ran
    rig.clock.advance_to(utc(2026, 5, 3, 9))  # 2 May 20:00 passes with the app closed
    rig.cfg.schedule.catch_up_hours = 24
    sched = rig.start()
    assert rig.outcomes()["20260502t2000z"] == "caught_up"
    assert sched.next_run() == utc(2026, 5, 3, 20)  # the catch-up did not move the evening run
    run_until(rig, utc(2026, 5, 3, 23), tick_minutes=30)
    assert launches(rig) == [(utc(2026, 5, 1, 20), "schedule"), (utc(2026, 5, 2, 20), "catch-up"),
                             (utc(2026, 5, 3, 20), "schedule")]
    assert rig.outcomes() == {"20260501t2000z": "launched", "20260502t2000z": "caught_up",
                              "20260503t2000z": "launched"}


def test_sleep_across_fire_time_catches_up_on_wake(tmp_path):
    rig = make_rig(tmp_path, utc(2026, 5, 1, 0, 30), time="01:00", timezone="UTC", catch_up_hours=6)
    sched = rig.start()
    rig.clock.sleep(4 * 3600)  # lid closed 00:30-04:30
    assert sched.tick() is True  # the wall-clock gap is seen
    assert launches(rig) == [(utc(2026, 5, 1, 1), "catch-up")]
    assert rig.outcomes() == {"20260501t0100z": "caught_up"}
    assert sched.next_run() == utc(2026, 5, 2, 1)


def test_long_sleep_records_missed_and_tells_the_operator_once(tmp_path):
    rig = make_rig(tmp_path, utc(2026, 5, 1, 0, 30), time="01:00", timezone="Asia/Seoul", catch_up_hours=6)
    sched = rig.start()
    rig.clock.sleep(5 * 24 * 3600)  # away for five days; the last fire time is 15.5 h old
    sched.tick()
    assert launches(rig) == []
    assert list(rig.outcomes().values()) == ["missed"] * 5
    assert len(rig.notices) == 1
    title, message = rig.notices[0]
    assert title == "Missed 5 scheduled runs" and "01:00 KST" in message and "6-hour catch-up window" in message


def test_fire_time_during_a_run_is_skipped_not_queued(tmp_path):
    rig = make_rig(tmp_path, utc(2026, 5, 1, 0, 30), time="01:00", timezone="UTC")
    sched = rig.start()
    rig.controller.launch("manual", minutes=90)  # Run Now at 00:30, until 02:00
    run_until(rig, utc(2026, 5, 2, 3), tick_minutes=10)
    record = rig.occurrences.get("20260501t0100z")
    assert record.outcome == Outcome.SKIPPED and record.reason == SKIPPED_REASON
    assert rig.notices and rig.notices[0][0] == "Scheduled run skipped"
    assert "still running" in rig.notices[0][1]
    assert launches(rig) == [(utc(2026, 5, 2, 1), "schedule")]  # nothing ran at 02:00 when the run ended
    assert sched.next_run() == utc(2026, 5, 3, 1)


def test_dst_spring_forward_new_york_launches_once_at_0330_edt(tmp_path):
    rig = make_rig(tmp_path, utc(2026, 3, 7, 12), time="02:30", timezone="America/New_York", catch_up_hours=0)
    rig.start()
    run_until(rig, utc(2026, 3, 10, 12), tick_minutes=20)
    assert [occ for occ, _ in launches(rig)] == [
        utc(2026, 3, 8, 7, 30), utc(2026, 3, 9, 6, 30), utc(2026, 3, 10, 6, 30)]
    assert [at for _, _, at in rig.controller.launches] == [occ for occ, _ in launches(rig)]  # at the very instant
    assert set(rig.outcomes().values()) == {"launched"}


def test_dst_fall_back_new_york_launches_once_at_first_0130(tmp_path):
    rig = make_rig(tmp_path, utc(2026, 10, 31, 12), time="01:30", timezone="America/New_York", catch_up_hours=0)
    rig.start()
    run_until(rig, utc(2026, 11, 2, 12), tick_minutes=20)
    assert [occ for occ, _ in launches(rig)] == [utc(2026, 11, 1, 5, 30), utc(2026, 11, 2, 6, 30)]
    assert [at for _, _, at in rig.controller.launches] == [occ for occ, _ in launches(rig)]
    assert list(rig.outcomes()) == ["20261101t0530z", "20261102t0630z"]  # no record for the repeated 01:30


def test_changing_time_or_zone_replans_without_firing(tmp_path):
    rig = make_rig(tmp_path, utc(2026, 5, 1, 10), time="11:00", timezone="UTC", catch_up_hours=12)
    sched = rig.start()
    sched.apply(ScheduleConfig(enabled=True, time="09:00", timezone="UTC", catch_up_hours=12))  # 1 h ago
    assert launches(rig) == [] and sched.next_run() == utc(2026, 5, 2, 9)
    sched.apply(ScheduleConfig(enabled=True, time="09:00", timezone="Asia/Seoul", catch_up_hours=12))
    assert launches(rig) == [] and sched.next_run() == utc(2026, 5, 2, 0)
    rig.clock.advance(60)
    sched.tick()
    assert launches(rig) == [] and rig.outcomes() == {}


def test_config_change_seen_by_tick_and_while_closed(tmp_path):
    rig = make_rig(tmp_path, utc(2026, 5, 1, 10), time="11:00", timezone="UTC", catch_up_hours=12)
    sched = rig.start()
    rig.cfg.schedule = ScheduleConfig(enabled=True, time="09:30", timezone="UTC", catch_up_hours=12)
    rig.clock.advance(30)
    sched.tick()  # the daemon re-reads config.toml on each tick
    assert sched.schedule.time == "09:30" and launches(rig) == []
    sched.stop()
    rig.clock.advance_to(utc(2026, 5, 3, 12))
    rig.cfg.schedule = ScheduleConfig(enabled=True, time="11:00", timezone="UTC", catch_up_hours=12)
    rig.start()  # changed while closed: old plan accounted as missed, nothing of the new plan fires
    assert launches(rig) == []
    assert rig.outcomes() == {"20260502t0930z": "missed", "20260503t0930z": "missed"}
    assert [t for t, _ in rig.notices] == ["Missed 2 scheduled runs"]
    assert rig.scheduler.next_run() == utc(2026, 5, 4, 11)


def test_budget_config_and_backend_refusals_are_recorded_with_reasons(tmp_path):
    rig = make_rig(tmp_path, utc(2026, 5, 1, 0, 30), time="01:00", timezone="UTC")
    rig.start()
    rig.controller.block_next = True
    run_until(rig, utc(2026, 5, 1, 2))
    rig.controller.bad_config = True
    run_until(rig, utc(2026, 5, 2, 2))
    rig.controller.bad_config = False
    rig.controller.fail_next = True
    run_until(rig, utc(2026, 5, 3, 2))
    recs = {r.id: r for r in rig.occurrences.all()}
    assert recs["20260501t0100z"].outcome == Outcome.BLOCKED and "budget" in recs["20260501t0100z"].reason
    assert recs["20260502t0100z"].outcome == Outcome.BLOCKED and "N1 machine types" in recs["20260502t0100z"].reason
    assert recs["20260503t0100z"].outcome == Outcome.FAILED_TO_LAUNCH
    assert recs["20260503t0100z"].reason == "The backend said no." and recs["20260503t0100z"].run_id
    assert [t for t, _ in rig.notices] == ["Scheduled run blocked", "Scheduled run blocked",
                                           "Scheduled run could not start"]


def test_launch_recorded_before_a_crash_is_not_called_missed(tmp_path):
    rig = make_rig(tmp_path, utc(2026, 5, 1, 0, 30), time="01:00", timezone="UTC", catch_up_hours=1)
    rig.start()
    rig.clock.advance_to(utc(2026, 5, 1, 1))
    rig.controller.launch("schedule", occurrence=utc(2026, 5, 1, 1))  # launched, then the app died
    rig.clock.advance_to(utc(2026, 5, 1, 9))
    rig.start()
    assert rig.outcomes() == {"20260501t0100z": "launched"}
    assert len(rig.controller.launches) == 1 and rig.notices == []


def test_clock_set_back_does_not_launch_twice(tmp_path):
    rig = make_rig(tmp_path, utc(2026, 5, 1, 0, 30), time="01:00", timezone="UTC")
    sched = rig.start()
    run_until(rig, utc(2026, 5, 1, 3))
    rig.clock.jump(-3 * 3600)  # back to 00:00
    assert sched.tick() is True
    assert sched.next_run() == utc(2026, 5, 2, 1)  # 1 May 01:00 is already accounted
    run_until(rig, utc(2026, 5, 2, 3), tick_minutes=15)
    assert [occ for occ, _ in launches(rig)] == [utc(2026, 5, 1, 1), utc(2026, 5, 2, 1)]


def test_background_timers_follow_the_plan_and_notice_a_clock_jump(tmp_path):
    import time as _time
    from datetime import UTC, datetime

    now = datetime.now(UTC)
    due = (now + timedelta(hours=2)).replace(second=0, microsecond=0)
    rig = make_rig(tmp_path, now, time=due.strftime("%H:%M"), timezone="UTC", catch_up_hours=0)
    sched = rig.new_scheduler()
    sched.tick_seconds = 0.05
    sched.start()  # APScheduler and the tick thread, for real
    try:
        assert sched.timer_next_fire() == sched.next_run() == due
        later = due + timedelta(hours=1)
        rig.cfg.schedule = ScheduleConfig(enabled=True, time=later.strftime("%H:%M"), timezone="UTC", catch_up_hours=0)
        sched.apply(rig.cfg.schedule)  # what the Schedule page's Save does (the config source agrees)
        assert sched.timer_next_fire() == sched.next_run() == later
        rig.clock.jump((later - rig.clock.wall).total_seconds() + 20)  # the wall clock jumps past the fire time
        deadline = _time.monotonic() + 5
        while not rig.controller.launches and _time.monotonic() < deadline:
            _time.sleep(0.02)
        assert launches(rig) == [(later, "schedule")]  # noticed by the tick thread, no tick() call here
        rig.cfg.schedule = ScheduleConfig(enabled=False)
        sched.apply(rig.cfg.schedule)
        assert sched.timer_next_fire() is None
    finally:
        sched.stop()


def test_apply_before_start_does_not_swallow_a_catch_up(tmp_path):
    rig = make_rig(tmp_path, utc(2026, 5, 1, 0, 30), time="01:00", timezone="UTC", catch_up_hours=6)
    rig.start()
    rig.scheduler.stop()
    rig.clock.advance_to(utc(2026, 5, 2, 3))  # closed over 2 May 01:00
    sched = rig.new_scheduler()
    sched.apply(rig.cfg.schedule)  # a front end that applies the saved schedule before starting
    sched.start(background=False)
    assert rig.outcomes() == {"20260501t0100z": "missed", "20260502t0100z": "caught_up"}
    assert launches(rig) == [(utc(2026, 5, 2, 1), "catch-up")]
