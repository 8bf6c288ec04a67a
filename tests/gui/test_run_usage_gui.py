"""A run's page draws the T4 at work from the fake Cloud Monitoring; History keeps the summary."""

from __future__ import annotations

import os
from dataclasses import replace
from datetime import timedelta
from types import SimpleNamespace

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from core import paths
from core.google import monitoring
from core.google.monitoring import Metric
from core.store.runs import Run, RunState, RunStore, new_run_id
from tests.integration.test_run_usage import CPU, GPU, JOB, MEMORY, START
from tests.support.monitoring import fake_monitoring


@pytest.fixture
def fake(google_signed_in, monkeypatch):
    with fake_monitoring(monkeypatch) as server:
        server.seed(JOB, Metric.GPU.value, START, GPU)
        server.seed(JOB, Metric.CPU.value, START, CPU)
        server.seed(JOB, Metric.GPU_MEMORY.value, START, MEMORY)
        yield server


def _run() -> Run:
    return Run(id=new_run_id(), backend="vertex", state=RunState.SUCCEEDED, created=START, started=START,
               ended=START + timedelta(minutes=50), job_name=f"projects/my-proj/locations/us-central1/customJobs/{JOB}",
               detail={"spec": {"backend": "vertex", "region": "us-central1", "machine_type": "n1-standard-4",
                                "accelerator_count": 1, "spot": False, "replicas": 1}})


def test_the_run_page_charts_gpu_memory_and_cpu_from_monitoring(qtbot, tasks, fake):
    from gui.logs_page import LogsPage

    page = LogsPage(tasks, usage_source=monitoring.read_run)
    qtbot.addWidget(page)
    assert page.usage.view is None  # QtCharts waits for the first figures
    page.show()
    page.show_saved(_run())

    qtbot.waitUntil(lambda: page.usage.view is not None and page.usage.series["gpu"].count() == 50, timeout=8000)
    gpu = page.usage.series["gpu"]
    assert [gpu.at(i).y() for i in (0, 13, 14, 49)] == [0.0, 0.0, 100.0, 100.0]
    assert gpu.at(49).x() == pytest.approx(49.0)
    assert page.usage.series["cpu"].at(0).y() == pytest.approx(90.0)
    assert page.usage.series["gpu_memory"].at(49).y() == pytest.approx(60.0)
    assert page.usage.summary.text() == "GPU busy 72% of the run"
    assert page.findChild(type(page.usage.view), "runUsageChart") is page.usage.view


def test_a_local_run_has_no_usage_chart(qtbot, tasks):
    from gui.logs_page import LogsPage

    called = []
    page = LogsPage(tasks, usage_source=called.append)
    qtbot.addWidget(page)
    page.show_saved(Run(id=new_run_id(), backend="local", state=RunState.SUCCEEDED, created=START, started=START,
                        ended=START + timedelta(minutes=5)))
    tasks.wait_idle()
    assert called == [] and page.usage.view is None and page.usage.isHidden()


def test_history_says_how_busy_the_gpu_was(qtbot, fake):
    from gui.app_core import AppCore
    from gui.history_page import HistoryPage

    store = RunStore(paths.history_path())
    try:
        run = _run()
        store.insert(run)
        core = AppCore()
        core.controller = SimpleNamespace(store=store)
        core.run_usage(run)  # what the run's page calls on its worker

        page = HistoryPage()
        qtbot.addWidget(page)
        page.set_runs(store.recent())
        details = page.table.item(0, len(page.COLUMNS) - 1).text()
        assert details.startswith("GPU busy 72% of the run")
    finally:
        store.close()


def test_a_finished_run_keeps_its_usage_for_the_advice_without_its_page_being_opened(qtbot, fake):
    from core.control.controller import RunEvent
    from gui.app_core import AppCore

    store = RunStore(paths.history_path())
    core = AppCore()
    try:
        run = _run()
        store.insert(run)
        core.controller = SimpleNamespace(store=store)
        core._keep_usage(RunEvent("finished", run))
        qtbot.waitUntil(lambda: "gpu_busy_percent" in store.get(run.id).detail, timeout=8000)
        kept = store.get(run.id).detail
        # GPU: 36 of 50 minutes at 100%; CPU: 14 x 90% + 36 x 30% = 46.8%; GPU memory peaked at 60%.
        assert (kept["gpu_busy_percent"], kept["cpu_busy_percent"], kept["gpu_memory_percent"]) == (72, 47, 60)
        core._keep_usage(RunEvent("finished", replace(run, state=RunState.FAILED)))  # only successful runs count
        core._keep_usage(RunEvent("state", run))
        core.tasks.wait_idle()
        assert len(fake.reads) == 3  # the one read above: three metrics, one call each
    finally:
        core.tasks.wait_idle()
        core.tasks.close()
        store.close()


def test_the_daemon_keeps_a_finished_runs_usage_on_its_own_thread(fake):
    from core.app.run_usage import UsageKeeper
    from core.control.controller import RunEvent

    store = RunStore(paths.history_path())
    try:
        run = _run()
        store.insert(run)
        keep = UsageKeeper(store)
        keep(RunEvent("state", run))
        keep(RunEvent("finished", replace(run, backend="local")))
        assert keep.last is None  # neither is a successful Vertex run's end
        keep(RunEvent("finished", run))
        keep.last.join(10)
        kept = store.get(run.id).detail
        assert (kept["gpu_busy_percent"], kept["cpu_busy_percent"], kept["gpu_memory_percent"]) == (72, 47, 60)
    finally:
        store.close()
