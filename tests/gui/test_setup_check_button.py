"""The Job page's "Check my setup" button: the real check runs off the UI thread against the strict fakes, the
window stays responsive while it works, each line is listed with its fix, and the Dashboard shows the result."""

from __future__ import annotations

import threading

import pytest

from core.app import autostart, setup_check
from core.store import config as config_mod
from core.store.config import AppConfig, JobConfig, ScheduleConfig
from gui.dashboard import Dashboard
from gui.job_page import JobPage
from gui.tasks import Tasks
from tests.integration.fakes.setup_server import T4, FakeSetupApis
from tests.integration.test_setup_check_cli import IMAGE, SA, healthy

pytestmark = pytest.mark.slow


@pytest.fixture
def fakes(tmp_path, monkeypatch, google_signed_in):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    autostart.enable(["t4panel"], platform="linux")
    with FakeSetupApis(healthy()) as f:
        for name, url in f.env().items():
            monkeypatch.setenv(name, url)
        config_mod.save(AppConfig(job=JobConfig(backend="vertex", project_id="demo-proj", image_uri=IMAGE,
                                                service_account=SA, command=["python", "p.py"]),
                                  schedule=ScheduleConfig(enabled=True)))
        yield f


def test_the_button_lists_each_line_with_its_fix_off_the_ui_thread_and_the_dashboard_shows_it(qtbot, fakes):
    fakes.project.quotas[(T4, "us-central1")] = 0
    tasks = Tasks()
    page = JobPage(AppConfig, tasks=tasks)  # the check reads the saved settings, not the form
    qtbot.addWidget(page)
    dashboard = Dashboard()
    qtbot.addWidget(dashboard)
    page.check_panel.checked.connect(dashboard.set_last_check)
    threads: list[str] = []
    real = page.check_panel.runner
    page.check_panel.runner = lambda progress: (threads.append(threading.current_thread().name), real(progress))[1]

    button = page.findChild(type(page.check_panel.button), "checkSetupButton")
    assert button is not None and button.text() == "Check my setup"
    with qtbot.waitSignal(page.check_panel.checked, timeout=30_000) as done:
        button.click()
        assert not button.isEnabled()  # the click returned at once; the check is working
        assert page.check_panel.progress.isVisibleTo(page)
    assert threads and threads[0] != threading.main_thread().name

    results = page.check_panel.results
    lines = [results.item(i).text() for i in range(results.count())]
    statuses = [results.item(i).data(256) for i in range(results.count())]
    assert len(lines) == 8 and statuses.count("fail") == 1 and statuses[1] == "fail"
    assert "custom_model_training_nvidia_t4_gpus in us-central1 is 0" in lines[1]
    assert "Fix: Ask for at least 1" in lines[1]
    assert button.isEnabled() and not page.check_panel.progress.isVisibleTo(page)
    assert "1 problem" in page.check_panel.summary.text()
    assert dashboard.last_check_label.text().endswith("1 problem(s) to fix before the next run.")
    # What the Dashboard shows after a restart is the same, read from T4PANEL_HOME.
    assert [i["status"] for i in setup_check.load_last()["items"]] == [i["status"] for i in done.args[0]["items"]]
    tasks.close()


def test_a_check_that_cannot_run_says_why_in_a_sentence(qtbot, tmp_path):
    tasks = Tasks()
    page = JobPage(AppConfig, tasks=tasks)  # no settings saved in this T4PANEL_HOME
    qtbot.addWidget(page)
    page.check_panel.button.click()
    qtbot.waitUntil(lambda: page.check_panel.button.isEnabled(), timeout=10_000)
    assert "no saved settings" in page.check_panel.summary.text()
    assert "Traceback" not in page.check_panel.summary.text()
    tasks.close()


def test_the_dashboard_shows_the_last_saved_check_when_the_app_starts(qtbot):
    from datetime import UTC, datetime

    from core.app.check_items import CheckItem, CheckReport, Status
    from core.errors import msg
    from gui.app import PanelApp

    one = msg("check.autostart.title", "Start at login")
    setup_check.save_last(CheckReport(datetime(2026, 11, 30, 3, 0, tzinfo=UTC), [
        CheckItem("autostart", Status.WARN, one, one), CheckItem("quota", Status.PASS, one, one)]))
    panel = PanelApp()
    try:
        label = panel.dashboard.last_check_label
        assert label.objectName() == "lastCheckLabel"
        with qtbot.waitSignal(panel.core.ready, timeout=15_000):
            panel.start()  # the last check is read once the core is up, after the first paint
        qtbot.waitUntil(lambda: "ready, 1 warning" in label.text(), timeout=15_000)
        assert panel.dashboard.last_check_row.isVisibleTo(panel.dashboard)
        assert label.text().startswith("Setup check (2026-11-30 ")  # in this computer's zone
    finally:
        panel.window.quitting = True
        panel.core.shutdown()
        if panel.tray is not None:
            panel.tray.icon.hide()
        panel.window.close()


@pytest.mark.parametrize("statuses, shown", [
    (["fail", "fail", "warn"], "2 problem(s) to fix before the next run."),
    (["pass", "pass"], "everything is ready."),
])
def test_the_dashboard_line_counts_failures_before_warnings(qtbot, statuses, shown):
    dashboard = Dashboard()
    qtbot.addWidget(dashboard)
    dashboard.set_last_check({"checked": "2026-11-30T03:00:00+00:00", "items": [{"status": s} for s in statuses]})
    assert dashboard.last_check_label.text().endswith(shown)
