"""The cost panel renders a 90-day history with its chart; the Job form's estimate follows the fields."""

from __future__ import annotations

import os
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from core import cost, paths
from core.store.config import AppConfig, JobConfig, ScheduleConfig
from core.store.runs import Run, RunState, RunStore, new_run_id

NOW = datetime(2026, 11, 29, 3, 0, tzinfo=UTC)  # 29 Nov 12:00 in Seoul


def _spec(backend: str) -> dict:
    return {"backend": backend, "region": "us-central1", "machine_type": "n1-standard-4",
            "accelerator_count": 1, "spot": False, "replicas": 1}


@pytest.fixture
def store():
    """90 days of daily runs at 01:00 Seoul: Vertex AI, except every fifth day on this computer."""
    s = RunStore(paths.history_path())
    for age in range(90):
        created = datetime(2026, 11, 28, 16, 0, tzinfo=UTC) - timedelta(days=age)
        backend = "local" if age % 5 == 0 else "vertex"
        started = created + timedelta(minutes=2)
        s.insert(Run(id=new_run_id(), backend=backend, state=RunState.SUCCEEDED, created=created,
                     started=started, ended=started + timedelta(minutes=30 + age % 7 * 10),
                     detail={"spec": _spec(backend)}))
    s.insert(Run(id=new_run_id(), backend="vertex", state=RunState.RUNNING, created=NOW - timedelta(minutes=20),
                 started=NOW - timedelta(minutes=15), detail={"spec": _spec("vertex")}))
    yield s
    s.close()


def _cfg() -> AppConfig:
    cfg = AppConfig()
    cfg.job.backend = "vertex"
    cfg.schedule.enabled = True
    cfg.budget.monthly_usd = 12.0
    cfg.budget.block_when_over = True
    return cfg


def test_panel_and_chart_render_a_90_day_history(qtbot, tasks, store):
    from gui.cost_panel import CostPanel

    cfg = _cfg()
    panel = CostPanel(tasks, lambda: cost.snapshot(cfg, store, NOW))
    qtbot.addWidget(panel)
    assert panel.chart_view is None  # QtCharts waits until the panel is first shown
    panel.resize(900, 900)
    panel.show()
    qtbot.waitUntil(lambda: panel.snapshot is not None, timeout=5000)

    snap = panel.snapshot
    assert panel.objectName() == "costPanel" and panel.chart_view.objectName() == "costChart"
    expected_mtd = cost.month_to_date(store, ZoneInfo("Asia/Seoul"), NOW)
    assert f"${expected_mtd:,.2f}" in panel.findChild(type(panel.month_label), "costMonthToDate").text()
    assert "estimate" in panel.month_label.text()
    assert "plus 1 more scheduled run(s)" in panel.projection_label.text()  # 30 Nov 01:00 Seoul
    assert "Running now" in panel.running_label.text()

    bar = panel.budget_bar
    assert snap.budget.spent > 12.0 and snap.budget.level == "over100"
    assert bar.value() == 1000 and bar.property("level") == "over100"
    assert "Over budget" in panel.budget_label.text()

    series = panel._series
    assert series["vertex"].count() == 30 and series["local"].count() == 30
    panel.range_box.setCurrentIndex(panel.range_box.findData(90))
    assert series["vertex"].count() == 90
    total_vertex = sum(p.y() for p in series["vertex"].points())
    assert total_vertex == pytest.approx(sum(v for _, v in snap.daily_vertex))
    assert sum(p.y() for p in series["local"].points()) > 0

    assert panel.table.rowCount() == 10
    cells = [panel.table.item(r, 3).text() for r in range(10)]
    assert any("would have cost" in c and "on Vertex" in c for c in cells)
    assert "would have cost" in panel.local_label.text()
    assert "$9.99" in panel.colab_label.text() and "$49.99" in panel.colab_label.text()
    assert "estimates" in panel.basis_label.text() and "us-central1" in panel.basis_label.text()

    image = panel.grab().toImage()
    assert not image.isNull() and image.width() == 900
    chart_image = panel.chart_view.grab().toImage()
    assert len({chart_image.pixel(x, y) for x in range(0, chart_image.width(), 7)
                for y in range(0, chart_image.height(), 7)}) > 3  # something was drawn


def test_refresh_picks_up_new_runs(qtbot, tasks, store):
    from gui.cost_panel import CostPanel

    cfg = _cfg()
    cfg.budget.monthly_usd = 0.0
    panel = CostPanel(tasks, lambda: cost.snapshot(cfg, store, NOW))
    qtbot.addWidget(panel)
    panel.show()
    qtbot.waitUntil(lambda: panel.snapshot is not None, timeout=5000)
    assert panel.budget_bar.format() == "No monthly budget set"
    before = panel.snapshot.budget.spent
    store.insert(Run(id=new_run_id(), backend="vertex", state=RunState.SUCCEEDED, created=NOW - timedelta(hours=1),
                     started=NOW - timedelta(hours=1), ended=NOW, cost_usd=3.0, detail={"spec": _spec("vertex")}))
    old = panel.snapshot
    panel.refresh()
    qtbot.waitUntil(lambda: panel.snapshot is not old, timeout=5000)
    assert panel.snapshot.budget.spent == pytest.approx(before + 3.0)


def test_panel_shows_a_failure_as_a_sentence(qtbot, tasks):
    from gui.cost_panel import CostPanel

    def broken():
        raise cost.PricingError("The price table pricing.toml is missing, so costs cannot be estimated.")

    panel = CostPanel(tasks, broken)
    qtbot.addWidget(panel)
    panel.show()
    qtbot.waitUntil(lambda: "missing" in panel.status_label.text(), timeout=5000)


def test_estimate_label_follows_the_job_fields(qtbot):
    from gui.cost_estimate import CostEstimateLabel

    label = CostEstimateLabel()
    qtbot.addWidget(label)
    job, schedule = JobConfig(), ScheduleConfig(enabled=True)
    label.update_for(job, schedule)
    text = label.text()
    assert "about $0.62 per run" in text and "$18.63 a month" in text
    assert "Spot would be about $0.22" in text and "At most $0.62" in text
    assert "estimate" in label.toolTip().lower()

    label.update_for(replace(job, accelerator_count=2), schedule)
    assert "about $1.02 per run" in label.text()
    label.update_for(replace(job, spot=True), schedule)
    assert "about $0.22 per run" in label.text() and "Spot would be" not in label.text()
    label.update_for(replace(job, region="asia-northeast3"), schedule)
    assert "about $0.71 per run" in label.text()
    label.update_for(replace(job, max_runtime_minutes=120), schedule)
    assert "At most $1.24" in label.text() and "120 min" in label.text()
    label.update_for(job, replace(schedule, weekdays=["mon"]))
    assert "$2.66 a month" in label.text()  # 0.621 x 30/7
    label.update_for(replace(job, region="europe-west4"), schedule)
    assert "No prices for europe-west4" in label.text()
    label.update_for(replace(job, machine_type="e2-standard-4"), schedule)
    assert "not an N1 machine type" in label.text() and label.estimate is None

    label.update_for(job, schedule)
    label.set_typical_seconds(1800)
    assert "about $0.31 per run" in label.text() and "typical 30 min" in label.text()
    label.set_overrides(cost.RateOverrides(1.0, 1.0))
    assert "about $1.00 per run" in label.text() and "Spot" not in label.text()


def test_estimate_text_for_a_plain_label(qtbot):
    from gui.cost_estimate import estimate_text

    text = estimate_text(JobConfig(accelerator_count=4), ScheduleConfig(enabled=False))
    assert "about $1.83 per run" in text and "if the schedule were on" in text
