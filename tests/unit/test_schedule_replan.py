"""A schedule changed, switched off or damaged accounts for exactly the fire times of the old plan.

Found by the mutation run (docs/testing.md): these paths had no test. The real Scheduler over a real
occurrence table and run history, with a fake clock (tests/unit/test_schedule_support.py).
"""

from __future__ import annotations

from test_schedule_support import make_rig, utc

from core.store.config import ScheduleConfig
from core.store.occurrences import Plan

CLOSED_AND_CHANGED = "T4 Panel was not running, and the schedule was changed before it started again."
CHANGED_BEFORE_DUE = "The schedule was changed before this run was due to start."


def test_changed_while_closed_misses_only_the_old_plans_own_weekdays(tmp_path):
    # Fri 1 May 2026. Saturdays only at 01:00; the app closes, Saturday and Sunday pass.
    rig = make_rig(tmp_path, utc(2026, 5, 1, 0), time="01:00", weekdays=["sat"], timezone="UTC", catch_up_hours=0)
    rig.start().stop()
    rig.clock.sleep(3 * 24 * 3600)  # Mon 4 May 00:00
    rig.cfg.schedule = ScheduleConfig(enabled=True, time="02:00", timezone="UTC")  # edited in the file meanwhile
    sched = rig.start()
    assert rig.outcomes() == {"20260502t0100z": "missed"}  # Saturday's, not Sunday's: Sunday was never planned
    assert rig.occurrences.get("20260502t0100z").reason == CLOSED_AND_CHANGED
    assert rig.notices == [("Missed 1 scheduled run", f"These runs did not happen: Sat 2 May 01:00 UTC. "
                                                     f"{CLOSED_AND_CHANGED}")]
    assert sched.next_run() == utc(2026, 5, 4, 2)
    assert rig.controller.launches == []


def test_a_schedule_that_was_off_leaves_nothing_to_account_when_changed_while_closed(tmp_path):
    rig = make_rig(tmp_path, utc(2026, 5, 1, 0), time="01:00", timezone="UTC", catch_up_hours=0)
    rig.cfg.schedule.enabled = False
    rig.start().stop()
    rig.clock.sleep(2 * 24 * 3600)
    rig.cfg.schedule = ScheduleConfig(enabled=True, time="02:00", timezone="UTC", catch_up_hours=0)
    rig.start()
    assert rig.outcomes() == {} and rig.notices == [] and rig.controller.launches == []


def test_a_damaged_saved_plan_fires_and_misses_nothing_of_it(tmp_path):
    rig = make_rig(tmp_path, utc(2026, 5, 3, 12), time="20:00", timezone="UTC", catch_up_hours=0)
    rig.occurrences.save_plan(Plan(utc(2026, 5, 1, 0), "not a signature"))
    sched = rig.start()
    assert rig.outcomes() == {} and rig.notices == [] and rig.controller.launches == []
    assert sched.next_run() == utc(2026, 5, 3, 20)


def test_changing_the_time_after_a_fire_time_passed_unfired_records_it_missed_and_tells(tmp_path):
    rig = make_rig(tmp_path, utc(2026, 5, 1, 0, 59), time="01:00", timezone="UTC")
    sched = rig.start()
    heard: list[int] = []
    sched.subscribe(lambda: heard.append(1))
    rig.clock.advance(90)  # 01:00:30: APScheduler has not fired yet when the operator saves a new time
    sched.apply(ScheduleConfig(enabled=True, time="03:00", timezone="UTC"))
    record = rig.occurrences.get("20260501t0100z")
    assert record.outcome.value == "missed" and record.reason == CHANGED_BEFORE_DUE
    assert rig.notices == [("Missed 1 scheduled run", f"These runs did not happen: Fri 1 May 01:00 UTC. "
                                                     f"{CHANGED_BEFORE_DUE}")]
    assert heard  # the Dashboard's next-run label hears of the new plan
    assert sched.next_run() == utc(2026, 5, 1, 3)
    assert sched.fire() == [] and rig.controller.launches == []  # the late APScheduler fire launches nothing


def test_the_tray_says_why_a_scheduled_run_was_blocked_or_could_not_start(tmp_path):
    # Found by the mutation run: only the notices' titles were asserted, never the sentence under them.
    rig = make_rig(tmp_path, utc(2026, 5, 1, 0, 59), time="01:00", timezone="UTC")
    sched = rig.start()
    rig.controller.block_next = True
    rig.clock.advance_to(utc(2026, 5, 1, 1))
    sched.fire()
    rig.controller.fail_next = True
    rig.clock.advance_to(utc(2026, 5, 2, 1))
    sched.fire()
    assert rig.notices == [
        ("Scheduled run blocked", "The run of Fri 1 May 01:00 UTC was not started: This month's budget of "
                                  "$10.00 is used up; scheduled runs are paused."),
        ("Scheduled run could not start", "The run of Sat 2 May 01:00 UTC could not be started: "
                                          "The backend said no."),
    ]
