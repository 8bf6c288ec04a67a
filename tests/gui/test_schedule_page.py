"""The Schedule page: type a schedule, watch the preview and the next-run line; save applies at once."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import Qt, QTime
from PySide6.QtWidgets import QLabel

from core.errors import ConfigError
from core.store.config import AppConfig
from gui.schedule_page import SchedulePage
from tests.unit.test_schedule_support import make_rig

NOW = datetime(2026, 11, 28, 6, 48, tzinfo=UTC)  # Saturday 15:48 in Seoul, 01:48 in New York


@pytest.fixture
def page(qtbot):
    holder = {"config": AppConfig(), "saved": []}

    def save(cfg):
        if holder.get("fail"):
            raise ConfigError("The settings file could not be written (disk full).")
        holder["saved"].append(cfg)
        holder["config"] = cfg

    p = SchedulePage(lambda: holder["config"], save, clock=lambda: NOW, local_zone=ZoneInfo("America/New_York"))
    qtbot.addWidget(p)
    p.show()
    qtbot.waitExposed(p)
    p.holder = holder
    return p


def type_zone(qtbot, page, text):
    page.zone.lineEdit().selectAll()
    qtbot.keyClicks(page.zone.lineEdit(), text)


def test_form_shows_saved_schedule_and_preview_in_both_zones(page):
    assert page.findChild(type(page.form_widget), "scheduleForm") is page.form_widget
    assert page.zone.currentText() == "Asia/Seoul" and page.time.time() == QTime(1, 0)
    assert page.preview_rows()[0] == ("Sun 29 Nov 01:00 KST", "Sat 28 Nov 11:00 EST")
    assert len(page.preview_rows()) == 5
    assert page.next_run.text() == ("The schedule is off. When on, the next run would be "
                                    "tomorrow 01:00 KST, in 9 h 12 min.")


def test_typing_a_schedule_updates_the_preview_as_you_go(qtbot, page):
    qtbot.mouseClick(page.enabled, Qt.MouseButton.LeftButton)
    page.time.setTime(QTime(17, 30))
    assert page.preview_rows()[0] == ("Sat 28 Nov 17:30 KST", "Sat 28 Nov 03:30 EST")
    assert page.next_run.text() == "Next run: today 17:30 KST, in 1 h 42 min"
    for day in ("sat", "sun", "tue", "wed", "thu", "fri"):
        qtbot.mouseClick(page.weekdays[day], Qt.MouseButton.LeftButton)
    assert [r[0] for r in page.preview_rows()] == [
        "Mon 30 Nov 17:30 KST", "Mon 7 Dec 17:30 KST", "Mon 14 Dec 17:30 KST", "Mon 21 Dec 17:30 KST",
        "Mon 28 Dec 17:30 KST"]
    type_zone(qtbot, page, "america/new_york")  # any case: it is the zone's name that counts
    assert page.preview_rows()[0] == ("Mon 30 Nov 17:30 EST", "Mon 30 Nov 17:30 EST")
    assert page.next_run.text().startswith("Next run: Monday 17:30 EST, in 2 d")


def test_invalid_zone_and_no_weekday_are_shown_inline_and_block_save(qtbot, page):
    qtbot.mouseClick(page.enabled, Qt.MouseButton.LeftButton)
    type_zone(qtbot, page, "Mars/Olympus")
    err = page.errors["timezone"]
    assert err.isVisibleTo(page) and "is not a time zone name" in err.text()
    assert not page.save_button.isEnabled() and page.preview_rows() == []
    type_zone(qtbot, page, "Asia/Seoul")
    assert not err.isVisibleTo(page) and page.save_button.isEnabled()
    for box in page.weekdays.values():
        box.setChecked(False)
    assert "Pick at least one weekday" in page.errors["weekdays"].text()
    assert not page.save_button.isEnabled()


def test_zone_search_finds_cities_by_part_of_the_name(page):
    completer = page.zone.completer()
    completer.setCompletionPrefix("seoul")
    assert completer.completionCount() == 1 and completer.currentCompletion() == "Asia/Seoul"
    completer.setCompletionPrefix("new_y")
    assert completer.currentCompletion() == "America/New_York"


def test_save_emits_the_new_config_and_the_scheduler_replans(qtbot, page, tmp_path):
    rig = make_rig(tmp_path, NOW, enabled=False)
    sched = rig.start()
    next_run_label = QLabel(sched.next_run_text())  # what the lead wires as the Dashboard's nextRunLabel
    next_run_label.setObjectName("nextRunLabel")
    page.saved.connect(lambda cfg: (sched.apply(cfg.schedule), next_run_label.setText(sched.next_run_text())))
    assert next_run_label.text() == "No scheduled run"
    qtbot.mouseClick(page.enabled, Qt.MouseButton.LeftButton)
    page.time.setTime(QTime(23, 0))
    with qtbot.waitSignal(page.saved, timeout=2000) as blocker:
        qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    cfg = blocker.args[0]
    assert cfg.schedule.enabled and cfg.schedule.time == "23:00" and cfg.schedule.timezone == "Asia/Seoul"
    assert page.holder["saved"] == [cfg]
    assert next_run_label.text() == "today 23:00 KST, in 7 h 12 min"
    assert rig.controller.launches == []  # saving re-plans; it never fires anything


def test_save_failure_is_shown_and_nothing_is_emitted(qtbot, page):
    page.holder["fail"] = True
    with qtbot.assertNotEmitted(page.saved):
        qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    assert page.status.text() == "The settings file could not be written (disk full)."
