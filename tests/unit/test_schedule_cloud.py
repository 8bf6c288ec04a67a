"""The desktop scheduler while the cloud schedule fires: it launches nothing, keeps no APScheduler job, never
counts the cloud's fire times as missed, and takes over again at the switch with no day fired twice or lost."""

from __future__ import annotations

from test_schedule_support import make_rig, utc

from core.schedule.scheduler import JOB_ID
from core.store.occurrences import Outcome


def test_cloud_on_removes_the_job_and_launches_nothing(tmp_path):
    rig = make_rig(tmp_path, utc(2026, 5, 1, 0, 30), time="01:00", timezone="UTC")
    sched = rig.new_scheduler()
    sched.start()  # the real APScheduler BackgroundScheduler and tick thread
    try:
        assert sched._aps.get_job(JOB_ID) is not None  # APScheduler waits on the real clock: its next 01:00
        rig.cfg.cloud.enabled = True
        sched.tick()  # the saved config is re-read on every tick
        assert sched.owned_by_cloud
        assert sched._aps.get_job(JOB_ID) is None and sched.timer_next_fire() is None
        for day in (1, 2, 3):
            rig.clock.advance_to(utc(2026, 5, day, 1))
            sched.tick()  # a day later counts as a wake: the plan is rebuilt, and still holds no job
            assert sched.fire() == [] and sched._aps.get_job(JOB_ID) is None
        assert rig.controller.launches == []
        assert rig.outcomes() == {}  # the cloud's days are not the desktop's to call missed
        assert sched.next_run() == utc(2026, 5, 4, 1)  # still shown: the cloud fires then
    finally:
        sched.stop()


def test_cloud_off_resumes_from_the_switch_without_missing_the_cloud_days(tmp_path):
    rig = make_rig(tmp_path, utc(2026, 5, 1, 0, 30), time="01:00", timezone="UTC")
    rig.cfg.cloud.enabled = True
    sched = rig.new_scheduler()
    sched.start()
    try:
        assert sched.timer_next_fire() is None
        rig.clock.advance_to(utc(2026, 5, 3, 12))
        sched.tick()
        rig.cfg.cloud.enabled = False
        sched.apply(rig.cfg.schedule, cloud=False)
        assert not sched.owned_by_cloud
        assert sched._aps.get_job(JOB_ID) is not None and sched.timer_next_fire() is not None  # the job is back
        assert sched.next_run() == utc(2026, 5, 4, 1)
        assert rig.outcomes() == {} and rig.notices == []  # 1st-3rd: the cloud's, never "missed"
        rig.clock.advance_to(utc(2026, 5, 4, 1))
        [record] = sched.fire()
        assert record.outcome == Outcome.LAUNCHED and record.id == "20260504t0100z"
        assert [occ for occ, _, _ in rig.controller.launches] == [utc(2026, 5, 4, 1)]
    finally:
        sched.stop()


def test_a_fire_time_during_the_removal_is_launched_once_by_the_desktop(tmp_path):
    """Removal began at 00:59 (Cloud Scheduler's job deleted), the config was saved at 01:01: 01:00 is ours."""
    rig = make_rig(tmp_path, utc(2026, 5, 1, 0, 0), time="01:00", timezone="UTC")
    rig.cfg.cloud.enabled = True
    sched = rig.start()
    rig.clock.advance_to(utc(2026, 5, 1, 0, 59))
    sched.hand_back(rig.clock())
    rig.clock.advance_to(utc(2026, 5, 1, 1, 1))
    rig.cfg.cloud.enabled = False
    sched.tick()  # the tick sees the saved config first: the hand-back time still holds
    assert [occ for occ, _, _ in rig.controller.launches] == [utc(2026, 5, 1, 1)]
    assert rig.outcomes() == {"20260501t0100z": "launched"}
    assert sched.fire() == []  # and never again


def test_cloud_on_at_the_switch_settles_nothing_that_was_fired(tmp_path):
    """The desktop fired up to the switch: turning the cloud on records no miss and fires nothing more."""
    rig = make_rig(tmp_path, utc(2026, 5, 1, 0, 30), time="01:00", timezone="UTC", catch_up_hours=6)
    sched = rig.start()
    rig.clock.advance_to(utc(2026, 5, 1, 1))
    [first] = sched.fire()
    assert first.outcome == Outcome.LAUNCHED
    rig.clock.advance_to(utc(2026, 5, 1, 9))
    sched.apply(rig.cfg.schedule, cloud=True)
    rig.clock.advance_to(utc(2026, 5, 2, 1, 2))
    assert sched.fire() == []
    assert rig.outcomes() == {"20260501t0100z": "launched"}
    assert len(rig.controller.launches) == 1


def test_restart_after_the_cloud_was_turned_off_elsewhere_counts_no_cloud_day_missed(tmp_path):
    rig = make_rig(tmp_path, utc(2026, 5, 1, 0, 30), time="01:00", timezone="UTC", catch_up_hours=6)
    rig.cfg.cloud.enabled = True
    rig.start()
    # T4 Panel closed; three days later `t4panel cloud remove` ran and the app started again.
    rig.clock.advance_to(utc(2026, 5, 4, 3))
    rig.cfg.cloud.enabled = False
    sched = rig.start()
    assert rig.outcomes() == {} and rig.controller.launches == []
    assert sched.next_run() == utc(2026, 5, 5, 1)


def test_desktop_plan_closed_for_days_is_still_settled_when_the_cloud_takes_over(tmp_path):
    """The desktop's own days (before any cloud) that nobody fired stay recorded as missed."""
    rig = make_rig(tmp_path, utc(2026, 5, 1, 0, 30), time="01:00", timezone="UTC", catch_up_hours=2)
    rig.start()
    rig.clock.advance_to(utc(2026, 5, 3, 12))
    rig.cfg.cloud.enabled = True
    rig.start()
    assert set(rig.outcomes().values()) == {"missed"} and len(rig.outcomes()) == 3
    assert rig.controller.launches == []
