"""Occurrence math: the trigger, DST days, the preview and the next-run sentence."""

from __future__ import annotations

from datetime import timedelta

from apscheduler.schedulers.background import BackgroundScheduler
from test_schedule_support import make_rig, utc

from core.schedule.plan import describe_next, make_trigger, next_occurrences, occurrences_between
from core.store.config import ScheduleConfig

NY = "America/New_York"


def test_daily_in_seoul_is_utc_16_previous_day():
    cfg = ScheduleConfig(enabled=True, time="01:00", timezone="Asia/Seoul")
    got = next_occurrences(cfg, utc(2026, 11, 28, 12, 0), 3)
    assert got == [utc(2026, 11, 28, 16, 0), utc(2026, 11, 29, 16, 0), utc(2026, 11, 30, 16, 0)]


def test_weekdays_are_honoured_in_the_schedule_zone():
    # 01:00 KST on Monday is Sunday 16:00 UTC: the weekday belongs to the schedule's zone.
    cfg = ScheduleConfig(enabled=True, time="01:00", weekdays=["mon"], timezone="Asia/Seoul")
    got = next_occurrences(cfg, utc(2026, 11, 28, 0, 0), 2)
    assert got == [utc(2026, 11, 29, 16, 0), utc(2026, 12, 6, 16, 0)]
    assert all(d.astimezone(make_trigger(cfg).timezone).strftime("%a") == "Mon" for d in got)


def test_between_is_open_start_closed_end():
    cfg = ScheduleConfig(enabled=True, time="01:00", timezone="UTC")
    assert occurrences_between(cfg, utc(2026, 1, 1, 1), utc(2026, 1, 3, 1)) == [utc(2026, 1, 2, 1), utc(2026, 1, 3, 1)]
    assert occurrences_between(cfg, utc(2026, 1, 3, 1), utc(2026, 1, 3, 1)) == []


def test_no_weekday_or_bad_zone_gives_nothing():
    assert next_occurrences(ScheduleConfig(weekdays=[]), utc(2026, 1, 1), 3) == []
    assert next_occurrences(ScheduleConfig(timezone="Mars/Base"), utc(2026, 1, 1), 3) == []
    assert next_occurrences(ScheduleConfig(time="25:00"), utc(2026, 1, 1), 3) == []


def test_spring_forward_skipped_local_time_fires_once_an_hour_later():
    """02:30 does not exist in New York on 8 March 2026: it fires once, at 03:30 EDT (07:30 UTC)."""
    cfg = ScheduleConfig(enabled=True, time="02:30", timezone=NY)
    got = occurrences_between(cfg, utc(2026, 3, 7, 0), utc(2026, 3, 10, 0))
    assert got == [utc(2026, 3, 7, 7, 30), utc(2026, 3, 8, 7, 30), utc(2026, 3, 9, 6, 30)]


def test_fall_back_repeated_local_time_fires_once_at_first_instance():
    """01:30 happens twice in New York on 1 November 2026: it fires once, at 01:30 EDT (05:30 UTC)."""
    cfg = ScheduleConfig(enabled=True, time="01:30", timezone=NY)
    got = occurrences_between(cfg, utc(2026, 10, 31, 0), utc(2026, 11, 3, 0))
    assert got == [utc(2026, 10, 31, 5, 30), utc(2026, 11, 1, 5, 30), utc(2026, 11, 2, 6, 30)]
    # Asked from between the two instances, the next one is the next day, not the repeat.
    assert next_occurrences(cfg, utc(2026, 11, 1, 5, 45), 1) == [utc(2026, 11, 2, 6, 30)]


def test_apscheduler_job_fires_at_the_times_we_plan():
    """APScheduler's own next_run_time comes from the same trigger as the preview and catch-up."""
    cfg = ScheduleConfig(enabled=True, time="01:30", timezone=NY)
    trigger = make_trigger(cfg)
    aps = BackgroundScheduler(timezone="UTC")
    try:
        aps.start(paused=True)
        job = aps.add_job(lambda: None, trigger=trigger, coalesce=True, max_instances=1, misfire_grace_time=None)
        assert job.next_run_time == next_occurrences(cfg, job.next_run_time - timedelta(seconds=1), 1)[0]
    finally:
        aps.shutdown(wait=False)
    # Walk the trigger the way APScheduler does (previous fire time chained) across both DST days.
    fired, prev, now = [], None, utc(2026, 3, 1).astimezone(trigger.timezone)
    while True:
        nxt = trigger.get_next_fire_time(prev, now)
        if nxt > utc(2026, 11, 30).astimezone(trigger.timezone):
            break
        fired.append(nxt.astimezone(utc(2026, 1, 1).tzinfo))
        prev = now = nxt
    assert fired == occurrences_between(cfg, utc(2026, 3, 1) - timedelta(microseconds=1), utc(2026, 11, 30))
    assert len(fired) == len({d.astimezone(trigger.timezone).date() for d in fired})  # one per local day


def test_describe_next():
    now = utc(2026, 11, 28, 6, 48)  # 15:48 KST
    assert describe_next(now, utc(2026, 11, 28, 16, 0), "Asia/Seoul") == "tomorrow 01:00 KST, in 9 h 12 min"
    assert describe_next(now, utc(2026, 11, 28, 7, 0), "Asia/Seoul") == "today 16:00 KST, in 12 min"
    assert describe_next(now, utc(2026, 12, 1, 16, 0), "Asia/Seoul") == "Wednesday 01:00 KST, in 3 d 9 h"
    assert describe_next(now, utc(2026, 12, 20, 16, 0), "Asia/Seoul").startswith("Mon 21 Dec 01:00 KST, in 22 d")
    assert describe_next(now, now + timedelta(seconds=20), "UTC") == "today 06:48 UTC, now"
    assert describe_next(now, None, "Asia/Seoul") == "No scheduled run"


def test_scheduler_next_run_text_follows_apply(tmp_path):
    rig = make_rig(tmp_path, utc(2026, 11, 28, 6, 48), time="01:00", timezone="Asia/Seoul")
    sched = rig.start()
    assert sched.next_run_text() == "tomorrow 01:00 KST, in 9 h 12 min"
    sched.apply(ScheduleConfig(enabled=True, time="17:00", timezone="Asia/Seoul"))
    assert sched.next_run_text() == "today 17:00 KST, in 1 h 12 min"
    sched.apply(ScheduleConfig(enabled=False))
    assert sched.next_run() is None and sched.next_run_text() == "No scheduled run"
