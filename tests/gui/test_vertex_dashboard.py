"""The Dashboard on Vertex AI, against the fake Vertex and Cloud Logging servers: the state timeline, the
console link, the live log, and orphaned jobs (started by T4 Panel, unknown to this history) with Cancel."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QPushButton

from core.app import services
from core.backends.vertex.backend import VertexBackend
from core.google.logs import ReadLimiter
from core.store import config as config_mod
from core.store.config import AppConfig, JobConfig
from core.store.runs import RunState
from tests.integration.fakes.logging_server import scaled_quota
from tests.integration.fakes.vertex_server import FakeCloud, Script


@pytest.fixture
def cloud(monkeypatch, google_signed_in):
    with FakeCloud(monkeypatch) as c:
        c.logging.read_quota = scaled_quota(0.01)  # the log reads of this file's clock
        yield c


@pytest.fixture
def panel(qtbot, cloud):
    from gui.app import PanelApp

    job = JobConfig(backend="vertex", project_id="my-proj", region="us-central1",
                    image_uri="us-docker.pkg.dev/p/r/i:1", command=["python", "predict.py"], max_runtime_minutes=30)
    config_mod.save(AppConfig(job=job))
    backend = VertexBackend(min_poll_seconds=0.02, rpc_timeout=2.0, limiter=ReadLimiter(0.01), log_lag_seconds=0.05)
    app = PanelApp(controller_factory=lambda source: services.build_controller(source,
                                                                               backend_factory=lambda n: backend),
                   run_scheduler=False)
    qtbot.addWidget(app.window)
    app.window.tray_available = True
    app.start()
    qtbot.waitUntil(lambda: app.core.controller is not None, timeout=10_000)
    yield app
    app.shutdown()


def test_vertex_run_shows_timeline_console_link_and_log(qtbot, panel, cloud):
    cloud.vertex.script = Script(queued=0.2, pending=0.2, running=0.5,
                                 logs=[(i * 0.04, f"step {i}", "ERROR" if i == 3 else "INFO") for i in range(6)],
                                 log_delay=0.02)
    with qtbot.waitSignal(panel.tray.notified, timeout=15_000):
        panel.run_now()
    assert panel.dashboard.state_label.text() == "Succeeded"
    qtbot.waitUntil(lambda: "Running" in panel.dashboard.timeline_label.text(), timeout=5_000)
    timeline = panel.dashboard.timeline_label.text()
    assert timeline.index("Queued") < timeline.index("Waiting for a GPU") < timeline.index("Running") < \
        timeline.index("Succeeded")
    assert "console.cloud.google.com" in panel.dashboard.console_link.text()
    qtbot.waitUntil(lambda: "step 5" in panel.logs_page.view.visible_text(), timeout=5_000)
    assert panel.logs_page.view.visible_text().count("step 3") == 1


def test_an_orphaned_running_job_is_shown_and_can_be_cancelled(qtbot, panel, cloud, tmp_path):
    cloud.vertex.script = Script(queued=0.1, pending=0.1, running=60)
    other = VertexBackend(min_poll_seconds=0.02, rpc_timeout=2.0)
    from core.backends.base import LaunchRequest

    # a job started by T4 Panel on another computer (or before this history was lost)
    name = other.launch(LaunchRequest(run_id="rforeign000000000001", job=panel.core.config.job,
                                      display_name="t4-predict", labels={"t4panel-run": "rforeign000000000001"},
                                      run_dir=str(tmp_path)))
    panel.check_orphans()
    qtbot.waitUntil(lambda: panel.dashboard.orphans.isVisibleTo(panel.window), timeout=5_000)
    buttons = [b for b in panel.dashboard.orphans.findChildren(QPushButton) if b.text() == "Cancel this job"]
    assert len(buttons) == 1
    buttons[0].click()
    qtbot.waitUntil(lambda: other.poll(name).state in (RunState.CANCELLING, RunState.CANCELLED), timeout=5_000)


@pytest.fixture
def cloud_not_signed_in(monkeypatch):
    """The fakes with nobody signed in: the app's credentials provider is what answers."""
    with FakeCloud(monkeypatch) as c:
        yield c


def test_revoked_sign_in_offers_sign_in_again_not_a_traceback(qtbot, cloud_not_signed_in, monkeypatch):
    from PySide6.QtWidgets import QApplication, QMessageBox

    from core.errors import AuthError
    from core.google import endpoints
    from gui.app import PanelApp

    monkeypatch.delenv("T4PANEL_VERTEX_ENDPOINT")  # a real (non-loopback) endpoint needs the operator's credentials
    job = JobConfig(backend="vertex", project_id="my-proj", region="us-central1",
                    image_uri="us-docker.pkg.dev/p/r/i:1", command=["python", "predict.py"], max_runtime_minutes=30)
    config_mod.save(AppConfig(job=job))
    app = PanelApp(controller_factory=lambda s: services.build_controller(
        s, backend_factory=lambda n: VertexBackend(min_poll_seconds=0.02, rpc_timeout=2.0)), run_scheduler=False)
    qtbot.addWidget(app.window)
    app.window.tray_available = True
    app.start()
    qtbot.waitUntil(lambda: app.core.controller is not None, timeout=10_000)

    def revoked():
        raise AuthError("Your Google sign-in has expired or was revoked. Sign in again in Settings.")

    endpoints.set_credentials_provider(revoked)  # what core.google.auth raises for invalid_grant
    try:
        app.run_now()
        qtbot.waitUntil(lambda: any(w.objectName() == "signInAgainDialog" and w.isVisible()
                                    for w in QApplication.topLevelWidgets()), timeout=10_000)
        box = next(w for w in QApplication.topLevelWidgets() if w.objectName() == "signInAgainDialog")
        assert "Sign in again" in box.text() and "Traceback" not in box.text()
        next(b for b in box.buttons() if b.text() == "Open Settings").click()
        assert app.window.current_page() == "settings"
        assert isinstance(box, QMessageBox)
    finally:
        endpoints.set_credentials_provider(None)
        app.shutdown()
