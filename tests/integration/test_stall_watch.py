"""A stalled run is noticed: fed by the fake Cloud Monitoring through the real MetricServiceClient."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime, timedelta

import pytest

from core import paths
from core.app.stall import StallWatch, idle_stretch
from core.google.monitoring import Metric
from core.store.config import AppConfig
from core.store.runs import Run, RunState, RunStore, new_run_id
from tests.support import monitoring as monitoring_support
from tests.support.monitoring import Controller, fake_monitoring

NOW = datetime.now(UTC).replace(second=0, microsecond=0)
START = NOW - timedelta(minutes=35)
STUCK, BUSY, ENDED = "1111111111", "2222222222", "3333333333"
webhook = monitoring_support.webhook


@pytest.fixture
def world(google_signed_in, monkeypatch):
    store = RunStore(paths.history_path())
    runs = {}
    for job in (STUCK, BUSY, ENDED):
        run = Run(id=new_run_id(), backend="vertex", state=RunState.RUNNING, created=START, started=START,
                  job_name=f"projects/my-proj/locations/us-central1/customJobs/{job}")
        store.insert(run)
        runs[job] = run
    store.update(runs[ENDED], state=RunState.SUCCEEDED, ended=NOW)
    with fake_monitoring(monkeypatch) as fake:
        # 10 busy minutes, then 25 with GPU and CPU at (almost) nothing.
        fake.seed(STUCK, Metric.GPU.value, START, [0.8] * 10 + [0.0] * 25)
        fake.seed(STUCK, Metric.CPU.value, START, [0.4] * 10 + [0.01] * 25)
        # GPU idle for 25 minutes while the CPU prepares data: working, not stalled.
        fake.seed(BUSY, Metric.GPU.value, START, [0.8] * 10 + [0.0] * 25)
        fake.seed(BUSY, Metric.CPU.value, START, [0.4] * 10 + [0.7] * 25)
        for metric in (Metric.GPU, Metric.CPU):
            fake.seed(ENDED, metric.value, START, [0.0] * 35)
        yield store, runs, fake
    store.close()


def _cfg(webhook_url: str, cancel: bool, minutes: int = 20) -> AppConfig:
    cfg = AppConfig()
    cfg.notifications.webhook_url = webhook_url
    cfg.notifications.cancel_when_stalled = cancel
    cfg.notifications.stall_minutes = minutes
    return cfg


def test_an_idle_run_is_warned_about_once_and_a_busy_one_not(world, webhook):
    store, runs, _ = world
    url, posted = webhook
    warned = []
    controller = Controller(store)
    watch = StallWatch(controller, lambda: _cfg(url, cancel=False), lambda t, m: warned.append((t.text, m.text)))

    verdicts = watch.check()

    assert [v.run_id for v in verdicts] == [runs[STUCK].id]
    assert timedelta(minutes=24) <= verdicts[0].idle <= timedelta(minutes=26)
    assert len(warned) == 1 and runs[STUCK].id in warned[0][1] and "may be stuck" in warned[0][1]
    assert len(posted) == 1 and runs[STUCK].id in posted[0].body["text"]
    assert controller.cancelled == [] and not verdicts[0].cancelled
    assert watch.check() == [] and len(warned) == 1  # once per run


def test_the_opt_in_cancels_exactly_the_stalled_run(world, webhook):
    store, runs, _ = world
    url, _ = webhook
    controller = Controller(store)
    watch = StallWatch(controller, lambda: _cfg(url, cancel=True), lambda t, m: None)

    verdicts = watch.check()

    assert controller.cancelled == [runs[STUCK].id] and verdicts[0].cancelled
    assert store.get(runs[BUSY].id).state is RunState.RUNNING


def test_a_longer_stretch_set_by_the_operator_is_not_reached_yet(world, webhook):
    store, _, _ = world
    watch = StallWatch(Controller(store), lambda: _cfg(webhook[0], cancel=True, minutes=30), lambda t, m: None)

    assert watch.check() == []


def test_monitoring_unreachable_is_no_verdict(world, webhook):
    store, _, fake = world
    fake.read_quota = (0, 60.0)
    controller = Controller(store)

    assert StallWatch(controller, lambda: _cfg(webhook[0], cancel=True), lambda t, m: None).check() == []
    assert controller.cancelled == []


def test_idle_stretch_needs_both_series():
    from core.google.monitoring import Usage

    t = [START + timedelta(minutes=i) for i in range(30)]
    only_gpu = Usage("1", {Metric.GPU: [(w, 0.0) for w in t]}, 60)
    assert idle_stretch(only_gpu) == timedelta(0)
    both = Usage("1", {Metric.GPU: [(w, 0.0) for w in t], Metric.CPU: [(w, 0.0) for w in t]}, 60)
    assert idle_stretch(both) == timedelta(minutes=30)


def test_the_daemon_watches_stalls_and_refreshes_prices_in_the_background(world, webhook, monkeypatch):
    from core.app import daemon
    from core.cost import catalog
    from tests.integration.fakes.billing_server import FakeBilling
    from tests.integration.test_catalog_prices import KOREAN_ACCOUNT, SKUS

    store, runs, _ = world
    cfg = _cfg(webhook[0], cancel=True)
    cfg.job.backend, cfg.job.project_id = "vertex", "my-proj"
    controller = Controller(store)
    stop = threading.Event()
    with FakeBilling(SKUS, KOREAN_ACCOUNT) as billing:
        monkeypatch.setenv("T4PANEL_BILLING_ENDPOINT", billing.url)
        thread = threading.Thread(target=daemon._watch, args=(stop, controller, lambda: cfg),
                                  kwargs={"stall_every": 0.05})
        thread.start()
        try:
            deadline = time.monotonic() + 10
            while not controller.cancelled and time.monotonic() < deadline:
                time.sleep(0.05)
        finally:
            stop.set()
            thread.join(5)
    assert not thread.is_alive()
    assert controller.cancelled == [runs[STUCK].id]
    assert catalog.cached() is not None and catalog.cached().currency == "KRW"
    assert billing.sku_pages() == 4  # one fetch, however many rounds ran
