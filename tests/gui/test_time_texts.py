"""Issue 13 item 5: one run's time and length read the same on Cost, History, the Dashboard and Logs,
in the operator's zone (the schedule's), with the zone shown; a 20-second run is "20 s", never "0 min"."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from core import cost, paths
from core.store.config import AppConfig
from core.store.runs import Run, RunState, RunStore, new_run_id
from gui import run_texts

CREATED = datetime(2026, 11, 29, 1, 18, tzinfo=UTC)  # 10:18 in Seoul, 01:18 in UTC
NOW = CREATED + timedelta(hours=2)


@pytest.fixture
def seoul():
    run_texts.set_operator_zone("Asia/Seoul")
    yield
    run_texts.set_operator_zone(None)


@pytest.fixture
def run_20s():
    store = RunStore(paths.history_path())
    run = Run(id=new_run_id(), backend="vertex", state=RunState.SUCCEEDED, created=CREATED, started=CREATED,
              ended=CREATED + timedelta(seconds=20), cost_usd=0.01, job_name="projects/1/locations/x/customJobs/77",
              display_name="t4-predict",
              detail={"spec": {"backend": "vertex", "region": "us-central1", "machine_type": "n1-standard-4",
                               "accelerator_count": 1, "spot": False, "replicas": 1}})
    store.insert(run)
    yield store, run
    store.close()


def test_cost_history_dashboard_and_logs_agree_on_time_zone_and_length(qtbot, seoul, run_20s):
    from gui.cost_panel import CostPanel
    from gui.dashboard import Dashboard
    from gui.history_page import HistoryPage
    from gui.log_view import LogView
    from gui.tasks import Tasks

    store, run = run_20s
    cfg = AppConfig()
    cfg.schedule.timezone = "Asia/Seoul"
    tasks = Tasks()
    panel = CostPanel(tasks, lambda: cost.snapshot(cfg, store, NOW))
    qtbot.addWidget(panel)
    panel.show()
    qtbot.waitUntil(lambda: panel.snapshot is not None, timeout=5000)
    tasks.wait_idle()
    cost_row = [panel.table.item(0, c).text() for c in range(panel.table.columnCount())]

    history = HistoryPage()
    qtbot.addWidget(history)
    history.set_runs([run])
    history_row = [history.table.item(0, c).text() for c in range(history.table.columnCount())]

    dash = Dashboard()
    qtbot.addWidget(dash)
    dash.set_run(run)

    assert "2026-11-29 10:18 KST" in cost_row
    assert "2026-11-29 10:18 KST" in history_row
    assert "2026-11-29 10:18 KST" in dash.detail_label.text()
    assert "20 s" in cost_row and "20 s" in history_row
    assert not any("0 min" in c for c in cost_row)
    assert "20 s" in dash.elapsed_label.text()

    view = LogView()
    qtbot.addWidget(view)
    from core.backends.base import LogLine
    view.append_lines([LogLine(CREATED + timedelta(seconds=5), "hello", "INFO")])
    qtbot.waitUntil(lambda: "hello" in view.visible_text(), timeout=2000)
    assert "10:18:05  hello" in view.visible_text()

    from gui.logs_page import LogsPage

    logs = LogsPage(tasks)
    qtbot.addWidget(logs)
    logs.show_saved(run)
    assert logs.findChild(type(logs.title), "logZoneLabel").text() == "Times are in KST."
    tasks.wait_idle()


def test_times_follow_the_operator_zone_when_it_changes(seoul):
    assert run_texts.when_text(CREATED) == "2026-11-29 10:18 KST"
    run_texts.set_operator_zone("UTC")
    assert run_texts.when_text(CREATED) == "2026-11-29 01:18 UTC"
    assert run_texts.clock_text(CREATED, zone=True) == "01:18:00 UTC"


@pytest.mark.parametrize(("seconds", "text"), [(0, "0 s"), (20, "20 s"), (59, "59 s"), (60, "1 min 0 s"),
                                               (2465, "41 min 5 s"), (4320, "1 h 12 min")])
def test_one_length_formatter(seconds, text):
    assert run_texts.seconds_text(seconds) == text
