"""The Schedule page's "Run in Google Cloud" switch, driven like an operator: available only on Vertex AI, a
sentence to agree to, the checklist with Retry, the config saved, and the desktop's own APScheduler job gone
while the cloud fires (and back after the switch is turned off)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from PySide6.QtWidgets import QApplication, QMessageBox

from core.app import services
from core.app.cloud_setup import STEP_KEYS
from core.backends.vertex.backend import VertexBackend
from core.google.logs import ReadLimiter
from core.schedule.scheduler import JOB_ID
from core.store import config as config_mod
from core.store.config import AppConfig, JobConfig, ScheduleConfig
from tests.integration.fakes.vertex_server import FakeCloud
from tests.support import panel as panel_support
from tests.support.cloud_schedule import ScriptedProject

make_panel = panel_support.make_panel

SUPABASE = {"supabase-url": "https://abcd1234.supabase.co", "supabase-key": "sb-secret-key-123"}


def vertex_config(cloud: bool = False) -> AppConfig:
    cfg = AppConfig(job=JobConfig(backend="vertex", project_id="my-team-predict", region="us-central1",
                                  image_uri="us-docker.pkg.dev/p/r/i:1", command=["python", "predict.py"],
                                  max_runtime_minutes=60),
                    schedule=ScheduleConfig(enabled=True, time="01:00", timezone="Asia/Seoul"))
    cfg.cloud.enabled = cloud
    return cfg


@pytest.fixture
def project():
    return ScriptedProject()


@pytest.fixture
def vertex_panel(qtbot, monkeypatch, google_signed_in, project):
    """The whole app on Vertex AI (fake servers), its real Scheduler running, the cloud side scripted."""
    from gui.app import PanelApp

    apps = []

    def make(cloud: bool = False):
        config_mod.save(vertex_config(cloud))
        backend = VertexBackend(min_poll_seconds=0.02, rpc_timeout=2.0, limiter=ReadLimiter(0.01))
        app = PanelApp(controller_factory=lambda source: services.build_controller(
            source, backend_factory=lambda n: backend), run_scheduler=True)
        app.cloud_schedule_factory = project.factory
        qtbot.addWidget(app.window)
        app.window.tray_available = True
        apps.append(app)
        app.start()
        qtbot.waitUntil(lambda: app.scheduler is not None, timeout=15_000)
        return app

    with FakeCloud(monkeypatch):
        yield make
        for app in apps:
            app.shutdown()


def open_schedule(qtbot, app):
    app.window.show_page("schedule")
    page = app.schedule_page
    qtbot.waitUntil(lambda: app.core.tasks.pending == 0, timeout=10_000)
    return page, page.cloud_panel


def answer(qtbot, cloud, yes: bool = True) -> None:
    qtbot.waitUntil(lambda: cloud.confirm_box is not None and cloud.confirm_box.isVisible(), timeout=5_000)
    box = cloud.confirm_box
    button = next(b for b in box.buttons() if (b.objectName() == "cloudConfirmYes") == yes)
    if not yes:
        assert box.standardButton(button) == QMessageBox.StandardButton.Cancel
    button.click()


def test_switch_is_disabled_with_a_reason_on_the_local_backend(qtbot, make_panel):
    app = make_panel(AppConfig())
    _, cloud = open_schedule(qtbot, app)
    assert cloud.switch.text() == "Run in Google Cloud (this computer may be off)"
    assert not cloud.switch.isEnabled() and not cloud.switch.isChecked()
    assert "Vertex AI" in cloud.reason.text() and cloud.reason.isVisible()
    assert not cloud.cost.isVisible()


def test_the_monthly_cost_is_shown_before_the_switch_is_on(qtbot, vertex_panel):
    app = vertex_panel()
    _, cloud = open_schedule(qtbot, app)
    qtbot.waitUntil(lambda: "Total" in cloud.cost.text(), timeout=10_000)
    text = cloud.cost.text()
    assert cloud.cost.isVisible()
    for item in ("Cloud Scheduler: 1 job", "Cloud Run job:", "vCPU-seconds", "GiB-seconds", "Secret Manager: 2 keys",
                 "Cloud Storage: one small claim per run"):
        assert item in text
    # one daily run of an hour: the Cloud Run part is inside its free tier, and says so with the figures
    assert "Inside the free tier for one daily run." in text and "free vCPU-seconds" in text
    assert "Total: about $0.00 a month." in text


def test_on_asks_then_sets_up_saves_and_stops_the_desktop_scheduler(qtbot, vertex_panel, project):
    app = vertex_panel()
    app.core.secret_store.set("supabase-url", SUPABASE["supabase-url"])
    app.core.secret_store.set("supabase-key", SUPABASE["supabase-key"])
    assert app.scheduler._aps.get_job(JOB_ID) is not None  # the desktop fires the schedule
    _, cloud = open_schedule(qtbot, app)
    assert cloud.switch.isEnabled() and not cloud.switch.isChecked()

    cloud.switch.click()
    assert not cloud.switch.isChecked()  # nothing changes until the operator agrees and the setup is done
    qtbot.waitUntil(lambda: cloud.confirm_box is not None, timeout=5_000)
    sentence = cloud.confirm_box.text()
    assert "Secret Manager in Google project my-team-predict" in sentence
    assert "t4panel-runner can read them" in sentence and "Owner, Editor or Secret Manager roles" in sentence
    assert project.calls == [] and project.secrets_seen == []  # the keyring is not read before the yes
    answer(qtbot, cloud)

    qtbot.waitUntil(lambda: cloud.dialog is not None and cloud.dialog.completed, timeout=10_000)
    dialog = cloud.dialog
    assert dialog.step_states() == {key: "done" for key in STEP_KEYS}
    assert dialog.progress.value() == dialog.progress.maximum() == len(STEP_KEYS)
    assert project.secrets_seen == [SUPABASE]  # read from the keyring at that moment, handed to setup
    qtbot.waitUntil(lambda: config_mod.load().config.cloud.enabled is True, timeout=5_000)
    qtbot.waitUntil(lambda: app.scheduler.owned_by_cloud, timeout=5_000)
    assert app.scheduler._aps.get_job(JOB_ID) is None and app.scheduler.timer_next_fire() is None
    qtbot.waitUntil(lambda: cloud.switch.isChecked(), timeout=5_000)
    assert "Google Cloud starts the runs" in cloud.reason.text()
    # the label follows once the scheduler's apply is back on the UI thread
    qtbot.waitUntil(lambda: "started by Google Cloud" in app.dashboard.next_run_label.text(), timeout=5_000)
    dialog.close_button.click()


def test_a_failed_step_shows_its_sentence_and_retry_resumes(qtbot, vertex_panel, project):
    app = vertex_panel()
    _, cloud = open_schedule(qtbot, app)
    project.fail_once = {"run_job"}
    cloud.switch.click()
    answer(qtbot, cloud)
    qtbot.waitUntil(lambda: cloud.dialog is not None and cloud.dialog.retry_button.isVisible(), timeout=10_000)
    dialog = cloud.dialog
    states = dialog.step_states()
    assert states["run_job"] == "failed" and states["run_invoker"] == "todo" and states["secrets"] == "done"
    assert dialog.error.isVisible()
    assert "Google refused \"Create the Cloud Run job t4panel-runner\" in project my-team-predict" in \
        dialog.error.text()
    assert dialog.close_button.isEnabled()
    assert config_mod.load().config.cloud.enabled is False and not app.scheduler.owned_by_cloud

    made_before = set(project.made)
    dialog.retry_button.click()
    qtbot.waitUntil(lambda: dialog.completed, timeout=10_000)
    assert dialog.step_states() == {key: "done" for key in STEP_KEYS}
    assert not dialog.error.isVisible() and not dialog.retry_button.isVisible()
    assert made_before < project.made == set(STEP_KEYS)
    qtbot.waitUntil(lambda: app.scheduler.owned_by_cloud, timeout=5_000)


def test_off_removes_and_the_desktop_scheduler_fires_again(qtbot, vertex_panel, project):
    project.made = set(STEP_KEYS)
    app = vertex_panel(cloud=True)
    assert app.scheduler.owned_by_cloud and app.scheduler._aps.get_job(JOB_ID) is None
    _, cloud = open_schedule(qtbot, app)
    assert cloud.switch.isChecked() and cloud.switch.isEnabled()

    cloud.switch.click()
    qtbot.waitUntil(lambda: cloud.confirm_box is not None, timeout=5_000)
    assert "deletes what it created in project my-team-predict" in cloud.confirm_box.text()
    asked = datetime.now(UTC)
    answer(qtbot, cloud)
    qtbot.waitUntil(lambda: cloud.dialog is not None and cloud.dialog.completed, timeout=10_000)
    assert project.made == set() and "remove" in project.calls
    qtbot.waitUntil(lambda: config_mod.load().config.cloud.enabled is False, timeout=5_000)
    qtbot.waitUntil(lambda: not app.scheduler.owned_by_cloud, timeout=5_000)
    # the desktop resumes from when the removal began (not from the save), so no fire time falls between
    plan = app.scheduler.occurrences.plan()
    assert asked <= plan.watermark <= cloud.dialog.started_at and not plan.signature.startswith("cloud:")
    assert app.scheduler._handback is None  # used once, at the switch
    assert app.scheduler._aps.get_job(JOB_ID) is not None and app.scheduler.timer_next_fire() is not None
    qtbot.waitUntil(lambda: not cloud.switch.isChecked(), timeout=5_000)


def test_saying_no_changes_nothing(qtbot, vertex_panel, project):
    app = vertex_panel()
    _, cloud = open_schedule(qtbot, app)
    cloud.switch.click()
    answer(qtbot, cloud, yes=False)
    QApplication.processEvents()
    assert cloud.dialog is None and project.calls == [] and not cloud.switch.isChecked()
    assert config_mod.load().config.cloud.enabled is False


def test_a_save_while_on_updates_the_cloud_copy_and_says_so(qtbot, vertex_panel, project):
    project.made = set(STEP_KEYS)
    app = vertex_panel(cloud=True)
    page, _ = open_schedule(qtbot, app)
    page.time.setTime(page.time.time().addSecs(3600))
    page.save_button.click()
    qtbot.waitUntil(lambda: "update_config" in project.calls, timeout=10_000)
    assert project.updated[-1].schedule.time == "02:00"
    qtbot.waitUntil(lambda: app.window.statusBar().currentMessage() == "Cloud schedule updated", timeout=5_000)


def test_the_page_warns_when_the_cloud_copy_differs_and_a_fire_was_missed(qtbot, vertex_panel, project):
    project.made = set(STEP_KEYS)
    project.config_differs = True
    project.last_status = "PERMISSION_DENIED"
    app = vertex_panel(cloud=True)
    _, cloud = open_schedule(qtbot, app)
    qtbot.waitUntil(lambda: "differs" in cloud.state.text(), timeout=10_000)
    text = cloud.state.text()
    assert "The cloud's copy of the settings differs from this computer's" in text
    assert "Missed in Google Cloud: the start at" in text and "01:00" in text and "PERMISSION_DENIED" in text
