"""The scheduler's pre-launch check (issue 11 item 4) on a fake clock: asked once per occurrence, a problem it
is sure of blocks the occurrence with its sentence, and a check that hangs or fails never holds the launch."""

from __future__ import annotations

import threading
import time

from test_schedule_support import make_rig, utc

from core.errors import msg
from core.schedule import scheduler as scheduler_mod
from core.store.occurrences import Outcome

FIRE = utc(2026, 3, 2, 16, 0)  # 01:00 in Seoul


def _rig(tmp_path, precheck):
    rig = make_rig(tmp_path, FIRE.replace(hour=15), time="01:00", timezone="Asia/Seoul")
    sched = rig.new_scheduler()
    sched._precheck = precheck
    rig.controller.settle()
    sched.start(background=False)
    return rig, sched


def test_a_sure_problem_blocks_the_occurrence_with_its_fix(tmp_path):
    asked = []

    def precheck(cfg):
        asked.append(cfg)
        return msg("check.precheck.failed", "The setup check found a problem that stops the run: {detail} {fix}",
                   detail="Quota is 0.", fix="Ask for 1.")

    rig, sched = _rig(tmp_path, precheck)
    rig.clock.advance_to(FIRE)
    sched.fire()
    record = rig.occurrences.get("20260302t1600z")
    assert record.outcome == Outcome.BLOCKED and record.reason.endswith("Quota is 0. Ask for 1.")
    assert rig.controller.launches == [] and len(asked) == 1


def test_a_hanging_check_never_holds_the_launch(tmp_path, monkeypatch):
    monkeypatch.setattr(scheduler_mod, "PRECHECK_SECONDS", 0.2)
    release = threading.Event()

    def precheck(cfg):
        release.wait(10)  # a network that swallows packets
        return msg("check.precheck.failed", "late {detail} {fix}", detail="", fix="")

    rig, sched = _rig(tmp_path, precheck)
    rig.clock.advance_to(FIRE)
    began = time.monotonic()
    sched.fire()
    assert time.monotonic() - began < 5
    release.set()
    assert rig.occurrences.get("20260302t1600z").outcome == Outcome.LAUNCHED
    assert len(rig.controller.launches) == 1


def test_a_check_that_raises_never_blocks(tmp_path):
    def precheck(cfg):
        raise OSError("no route to host")

    rig, sched = _rig(tmp_path, precheck)
    rig.clock.advance_to(FIRE)
    sched.fire()
    assert rig.occurrences.get("20260302t1600z").outcome == Outcome.LAUNCHED
