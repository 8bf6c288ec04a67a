"""The Dashboard's "next run" sentence at its edges: the minute, the day names, the week, the zone's date.

Found by the mutation run (docs/testing.md): tests/unit/test_schedule_plan.py checks typical values only.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from test_schedule_support import make_rig, utc

from core.schedule.plan import describe_next, duration_text
from core.store.config import ScheduleConfig

NOW = utc(2026, 11, 28, 6, 48)  # Saturday 15:48 in Seoul, 06:48 in London


@pytest.mark.parametrize(("wait", "text"), [
    (timedelta(seconds=59), "now"),
    (timedelta(seconds=60), "in 1 min"),
    (timedelta(seconds=119), "in 1 min"),
    (timedelta(hours=3), "in 3 h"),
    (timedelta(hours=3, minutes=1), "in 3 h 1 min"),
    (timedelta(days=2), "in 2 d"),
    (timedelta(days=2, hours=1), "in 2 d 1 h"),
])
def test_the_wait_is_said_in_whole_units(wait, text):
    assert describe_next(NOW, NOW + wait, "UTC").endswith(", " + text)


def test_less_than_a_minute():
    assert duration_text(timedelta(seconds=59)) == "less than a minute"
    assert duration_text(timedelta(seconds=61)) == "1 min"


@pytest.mark.parametrize(("days_ahead", "day"), [
    (1, "tomorrow"),
    (2, "Monday"),
    (6, "Friday"),
    (7, "Sat 5 Dec"),  # a week ahead: the date, since "Saturday" would read as today's
])
def test_day_names_for_this_week_and_a_date_beyond(days_ahead, day):
    assert describe_next(NOW, NOW + timedelta(days=days_ahead), "UTC").startswith(f"{day} 06:48 UTC,")


def test_today_and_tomorrow_are_counted_in_the_schedules_zone_not_utc():
    # 23:30 UTC on Saturday is already Sunday 08:30 in Seoul; a run at Sunday 09:00 KST is "today" there.
    now = utc(2026, 11, 28, 23, 30)
    assert describe_next(now, utc(2026, 11, 29, 0, 0), "Asia/Seoul") == "today 09:00 KST, in 30 min"


def test_unsubscribed_listeners_hear_no_more(tmp_path):
    rig = make_rig(tmp_path, utc(2026, 5, 1, 0), time="01:00", timezone="UTC")
    sched = rig.start()
    heard: list[str] = []
    unsubscribe = sched.subscribe(lambda: heard.append("a"))
    sched.apply(ScheduleConfig(enabled=True, time="02:00", timezone="UTC"))
    unsubscribe()
    unsubscribe()  # twice is harmless (a window closed twice)
    sched.apply(ScheduleConfig(enabled=True, time="03:00", timezone="UTC"))
    assert heard == ["a"]
