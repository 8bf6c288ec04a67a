"""The switch over the real CloudSchedule and Google client libraries, against the strict fakes of Cloud Run,
Cloud Scheduler, Secret Manager, IAM, Service Usage and Cloud Storage: on (a step refused once, then Retry),
the keys copied from the keyring, the desktop's scheduler standing down; off, the project emptied again."""

from __future__ import annotations

import pytest

from core.app import services
from core.app.cloud_setup import STEP_KEYS
from core.backends.vertex.backend import VertexBackend
from core.google.logs import ReadLimiter
from core.schedule.scheduler import JOB_ID
from core.store import config as config_mod
from tests.integration.cloud_fixtures import PROJECT, SECRETS, vertex_config
from tests.integration.fakes import cloud_server
from tests.integration.fakes.storage_server import FakeStorage
from tests.integration.fakes.vertex_server import FakeCloud as FakeVertexCloud


@pytest.fixture
def google(monkeypatch, google_signed_in):
    with cloud_server.FakeCloud() as fake, FakeStorage() as storage, FakeVertexCloud(monkeypatch):
        for name, url in fake.env().items():
            monkeypatch.setenv(name, url)
        monkeypatch.setenv("STORAGE_EMULATOR_HOST", storage.url)
        # A real bucket's policy always holds the project's legacy roles beside ours (Cloud Storage adds them).
        storage.policies[f"{PROJECT}-t4panel"] = {
            "kind": "storage#policy", "resourceId": f"projects/_/buckets/{PROJECT}-t4panel", "version": 1,
            "etag": "CAE=", "bindings": [{"role": "roles/storage.legacyBucketOwner",
                                          "members": [f"projectOwner:{PROJECT}"]}]}
        fake.storage = storage
        yield fake


@pytest.fixture
def app(qtbot, google):
    from gui.app import PanelApp

    config_mod.save(vertex_config())
    backend = VertexBackend(min_poll_seconds=0.02, rpc_timeout=2.0, limiter=ReadLimiter(0.01))
    panel = PanelApp(controller_factory=lambda source: services.build_controller(
        source, backend_factory=lambda n: backend), run_scheduler=True)
    qtbot.addWidget(panel.window)
    panel.window.tray_available = True
    panel.start()
    qtbot.waitUntil(lambda: panel.scheduler is not None, timeout=15_000)
    yield panel
    panel.shutdown()


def _agree(qtbot, cloud):
    qtbot.waitUntil(lambda: cloud.confirm_box is not None, timeout=5_000)
    next(b for b in cloud.confirm_box.buttons() if b.objectName() == "cloudConfirmYes").click()


def test_on_with_a_refused_step_and_retry_then_off_against_the_fakes(qtbot, app, google):
    for name, value in SECRETS.items():
        app.core.secret_store.set(name, value)
    app.window.show_page("schedule")
    cloud = app.schedule_page.cloud_panel
    google.fail_once["run.projects.locations.jobs.create"] = 403

    cloud.switch.click()
    assert PROJECT in cloud.confirm_box.text()
    _agree(qtbot, cloud)
    qtbot.waitUntil(lambda: cloud.dialog is not None and cloud.dialog.retry_button.isVisible(), timeout=60_000)
    dialog = cloud.dialog
    assert dialog.step_states()["run_job"] == "failed" and dialog.step_states()["secrets"] == "done"
    assert "Create the Cloud Run job t4panel-runner" in dialog.error.text() and PROJECT in dialog.error.text()
    assert SECRETS["supabase-key"] not in dialog.error.text()
    assert google.state.run_jobs == {} and not app.scheduler.owned_by_cloud

    dialog.retry_button.click()
    qtbot.waitUntil(lambda: dialog.completed, timeout=60_000)
    assert dialog.step_states() == {key: "done" for key in STEP_KEYS}
    assert len(google.state.run_jobs) == 1 and len(google.state.scheduler_jobs) == 1
    copied = sorted(v[-1].decode() for v in google.state.versions.values())
    assert copied == sorted(SECRETS.values())  # what the keyring held, copied once
    qtbot.waitUntil(lambda: app.scheduler.owned_by_cloud, timeout=10_000)
    assert config_mod.load().config.cloud.enabled is True
    assert app.scheduler._aps.get_job(JOB_ID) is None
    qtbot.waitUntil(lambda: "Next start in Google Cloud" in cloud.state.text(), timeout=30_000)
    dialog.close_button.click()

    cloud.switch.click()
    _agree(qtbot, cloud)
    qtbot.waitUntil(lambda: cloud.dialog is not dialog and not cloud.dialog.running, timeout=60_000)
    assert cloud.dialog.completed, cloud.dialog.error.text()
    assert google.state.run_jobs == {} and google.state.scheduler_jobs == {} and google.state.secrets == {}
    qtbot.waitUntil(lambda: not app.scheduler.owned_by_cloud, timeout=10_000)
    assert app.scheduler._aps.get_job(JOB_ID) is not None
    assert config_mod.load().config.cloud.enabled is False
    legacy = {"role": "roles/storage.legacyBucketOwner", "members": [f"projectOwner:{PROJECT}"]}
    assert google.storage.policies[f"{PROJECT}-t4panel"]["bindings"] == [legacy]  # only ours went
