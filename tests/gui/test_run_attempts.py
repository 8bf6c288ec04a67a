"""A scheduled run tried in several places reads as such in History and on the Cost page: each attempt, why
the next moved, where each ran and what each cost (issue 11 item 2)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from PySide6.QtCore import Qt

from core import cost, paths
from core.store.config import AppConfig
from core.store.runs import Run, RunState, RunStore
from gui.history_page import HistoryPage
from gui.run_texts import operator_zone, set_operator_zone

OCC = datetime(2026, 11, 28, 16, 0, tzinfo=UTC)  # 01:00 in Seoul


def _spec(region: str, spot: bool) -> dict:
    return {"backend": "vertex", "project_id": "p", "region": region, "machine_type": "n1-standard-4",
            "accelerator_count": 1, "spot": spot, "replicas": 1, "max_runtime_minutes": 60}


def _run() -> Run:
    """As RunController.retry leaves it: a stockout in Seoul (Spot), then Spot preempted in us-central1, then
    on demand in us-central1 (SUCCEEDED)."""
    at = OCC + timedelta(minutes=13)
    attempts = [
        {"region": "asia-northeast3", "spot": True, "reason": "capacity", "cost_usd": None, "job": "",
         "error": "no T4", "at": OCC.isoformat(), "started": None, "ended": OCC.isoformat()},
        {"region": "us-central1", "spot": True, "reason": "preempted", "cost_usd": 0.07, "job": "j2",
         "error": "preempted", "at": (OCC + timedelta(minutes=1)).isoformat(), "started": None, "ended": None},
    ]
    return Run(id="r1", backend="vertex", state=RunState.SUCCEEDED, created=OCC, occurrence=OCC, trigger="schedule",
               started=at + timedelta(minutes=2), ended=at + timedelta(minutes=32), cost_usd=0.07 + 0.31,
               job_name="projects/1/locations/us-central1/customJobs/3", display_name="t4-predict",
               detail={"spec": _spec("us-central1", False), "attempts": attempts, "attempt_at": at.isoformat()})


@pytest.fixture(autouse=True)
def seoul():
    before = operator_zone()
    set_operator_zone("Asia/Seoul")
    yield
    set_operator_zone(before)


def test_history_says_each_attempt_and_where_the_run_ran(qtbot):
    page = HistoryPage()
    qtbot.addWidget(page)
    page.set_runs([_run()])
    detail = page.table.item(0, 7).text()
    assert "attempt 1 of the 01:00 run: no Spot T4 in asia-northeast3, trying us-central1, Spot at 01:01" in detail
    assert "attempt 2 of the 01:00 run: Spot was preempted in us-central1, trying us-central1, on demand at 01:13" \
        in detail
    assert page.table.item(0, 2).text() == "Vertex AI (us-central1, on demand)"
    assert page.table.item(0, 6).text() == "$0.38"  # every attempt's cost
    tip = page.table.item(0, 6).toolTip()
    assert "asia-northeast3, Spot: nothing (it never started)" in tip and "us-central1, Spot: $0.07" in tip
    assert "us-central1, on demand: $0.31" in tip


def test_the_cost_page_lists_each_attempts_place_and_cost(qtbot):
    from gui.cost_panel import CostPanel
    from gui.tasks import Tasks

    store = RunStore(paths.history_path())
    store.insert(_run())
    cfg = AppConfig()
    cfg.job.backend = "vertex"
    tasks = Tasks()
    panel = CostPanel(tasks, lambda: cost.snapshot(cfg, store, OCC + timedelta(hours=2)))
    qtbot.addWidget(panel)
    panel.show()
    qtbot.waitUntil(lambda: panel.snapshot is not None, timeout=5000)
    where = panel.table.item(0, 1).text()
    assert where.startswith("Vertex AI: asia-northeast3, Spot: nothing")
    assert "us-central1, Spot: $0.07; then us-central1, on demand: $0.31" in where
    assert panel.table.item(0, 3).text() == "$0.38"
    assert panel.table.item(0, 1).data(Qt.ItemDataRole.UserRole) == "r1"
    tasks.wait_idle()
    store.close()
