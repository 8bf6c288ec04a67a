"""The Cost page names its prices' source and date, fed by the fake Cloud Billing Catalog (the real client)."""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from core import cost, paths
from core.app.prices import Fetch, refresh_prices
from core.store.config import AppConfig
from core.store.runs import Run, RunState, RunStore, new_run_id
from tests.integration.fakes.billing_server import FakeBilling
from tests.integration.test_catalog_prices import DAY1, DAY2, KOREAN_ACCOUNT, SKUS

NOW = datetime(2026, 11, 29, 9, 0, tzinfo=UTC)


@pytest.fixture
def store():
    """One Seoul run of 1 h 30 min this month: the run the catalog test prices at ₩1,483."""
    s = RunStore(paths.history_path())
    started = NOW - timedelta(hours=3)
    s.insert(Run(id=new_run_id(), backend="vertex", state=RunState.SUCCEEDED, created=started, started=started,
                 ended=started + timedelta(minutes=90),
                 detail={"spec": {"backend": "vertex", "region": "asia-northeast3", "machine_type": "n1-standard-4",
                                  "accelerator_count": 1, "spot": False, "replicas": 1}}))
    yield s
    s.close()


def _cfg() -> AppConfig:
    cfg = AppConfig()
    cfg.job.backend = "vertex"
    cfg.job.project_id = "my-proj"
    cfg.job.region = "asia-northeast3"
    cfg.job.machine_type = "n1-standard-4"
    cfg.job.accelerator_count = 1
    return cfg


def _panel(qtbot, tasks, store):
    from gui.cost_panel import CostPanel

    cfg = _cfg()
    panel = CostPanel(tasks, lambda: cost.snapshot(cfg, store, NOW))
    qtbot.addWidget(panel)
    panel.refresh()
    qtbot.waitUntil(lambda: panel.snapshot is not None, timeout=5000)
    return panel


def test_cost_page_names_the_catalog_and_its_day_and_keeps_them_when_the_network_goes(
        qtbot, tasks, store, google_signed_in, monkeypatch):
    with FakeBilling(SKUS, KOREAN_ACCOUNT) as fake:
        monkeypatch.setenv("T4PANEL_BILLING_ENDPOINT", fake.url)
        first = refresh_prices("my-proj", now=DAY1)
        panel = _panel(qtbot, tasks, store)
        panel.set_price_refresh(first)
        qtbot.waitUntil(lambda: not panel._busy, timeout=5000)

        source = panel.findChild(type(panel.price_label), "costPriceSource").text()
        assert "Google Cloud Billing Catalog, fetched 2026-11-29" in source
        assert "1 US dollar = 1400.5 KRW" in source
        assert "fetched 2026-11-29" in panel.basis_label.text()
        assert "₩1,483" in panel.month_label.text() and "$1.06" in panel.month_label.text()

        fake.cut_after_pages = fake.sku_pages() + 1
        kept = refresh_prices("my-proj", now=DAY2)
        assert kept.outcome is Fetch.KEPT
        panel.set_price_refresh(kept)

    source = panel.price_label.text()
    assert "Google Cloud Billing Catalog, fetched 2026-11-29" in source
    assert "could not be read just now" in source and "2026-11-29" in source


def test_cost_page_says_when_the_price_table_is_used(qtbot, tasks, store):
    panel = _panel(qtbot, tasks, store)

    assert panel.price_label.text().startswith("Prices: T4 Panel's price table, read 2026-11-29")
    assert "₩" not in panel.month_label.text()
