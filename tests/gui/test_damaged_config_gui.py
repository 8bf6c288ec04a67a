"""A hand-edited bad config.toml in the window: told at start, bad fields marked, the file kept until Save."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt, QTime
from PySide6.QtWidgets import QLabel, QMessageBox

from core import paths
from tests.support import panel as panel_support

make_panel = panel_support.make_panel  # the fixture


@pytest.fixture
def start_panel(make_panel):
    started = []

    def start(raw: bytes):
        paths.config_path().write_bytes(raw)  # as the operator left it: the window must not rewrite it
        started.append(make_panel(None, save=False))
        return started[-1]

    yield start
    for panel in started:  # the dialogs a test opened close with it, never shown to the next test
        for box in panel.window.findChildren(QMessageBox, "errorDialog"):
            box.close()


def _dialogs(panel):
    return [b for b in panel.window.findChildren(QMessageBox, "errorDialog") if b.isVisible()]


def _error(page, prefix, key) -> QLabel:
    label = page.findChild(QLabel, f"{prefix}{key}")
    assert label is not None
    return label


BAD_FIELDS = (b'[job]\nmax_runtime_minutes = 5\n\n[schedule]\nenabled = true\ntime = "25:99"\n'
              b'timezone = "Asia/Seoul"\n')


def test_bad_fields_are_told_at_start_marked_and_kept_until_save(qtbot, start_panel):
    panel = start_panel(BAD_FIELDS)
    qtbot.waitUntil(lambda: bool(_dialogs(panel)), timeout=5_000)
    box = _dialogs(panel)[0]
    assert box.windowTitle() == "Settings file needs attention"
    assert "schedule.time" in box.text() and "job.max_runtime_minutes" in box.text()

    schedule = panel.schedule_page
    time_error = _error(schedule, "scheduleError_", "time")
    assert time_error.isVisibleTo(schedule) and "HH:MM" in time_error.text()  # not silently shown as a good time
    assert "saved settings have problems" in schedule.status.text()
    job = panel.job_page
    runtime_error = _error(job, "error_", "max_runtime_minutes")
    assert runtime_error.isVisibleTo(job) and "Max runtime" in runtime_error.text()
    assert paths.config_path().read_bytes() == BAD_FIELDS  # nothing rewritten behind the operator's back

    schedule.time.setTime(QTime(2, 30))  # the operator picks a real time: the mark goes, Save writes it
    assert not time_error.isVisibleTo(schedule)
    qtbot.mouseClick(schedule.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: b'time = "02:30"' in paths.config_path().read_bytes(), timeout=5_000)
    # the Job page's bad value could not be kept (it would refuse every save): reset, and the operator told
    assert "job.max_runtime_minutes" in schedule.status.text()
    assert b"max_runtime_minutes = 60" in paths.config_path().read_bytes()


def test_an_unreadable_file_is_told_at_start_and_nothing_runs(qtbot, start_panel):
    raw = b'[job]\nbackend = "vertex"\nmax_runtime_minutes = 60 60\n'
    panel = start_panel(raw)
    qtbot.waitUntil(lambda: bool(_dialogs(panel)), timeout=5_000)
    text = _dialogs(panel)[0].text()
    assert "line 3" in text and "max_runtime_minutes" in text and "left as it is" in text
    runtime_error = _error(panel.job_page, "error_", "max_runtime_minutes")
    assert runtime_error.isVisibleTo(panel.job_page) and "line 3" in runtime_error.text()
    refused: list[str] = []
    panel.core.runRefused.connect(refused.append)
    panel.core.run_now()
    qtbot.waitUntil(lambda: bool(refused), timeout=5_000)
    assert "not valid TOML" in refused[0]
    assert panel.core.controller.store.recent() == []
    assert paths.config_path().read_bytes() == raw
