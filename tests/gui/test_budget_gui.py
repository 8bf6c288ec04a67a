"""Budget in the window: the Dashboard and tray warn at 80%/100%, and Run Now over budget asks first."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QMessageBox

from core import paths
from core.app import services
from core.backends.vertex.backend import VertexBackend
from core.google.logs import ReadLimiter
from core.store import config as config_mod
from core.store.config import AppConfig, JobConfig
from core.store.runs import Run, RunState, RunStore, new_run_id, utcnow
from tests.integration.fakes.logging_server import scaled_quota
from tests.integration.fakes.vertex_server import FakeCloud, Script


def seed_spend(usd: float) -> None:
    store = RunStore(paths.history_path())
    now = utcnow()
    store.insert(Run(id=new_run_id(), backend="vertex", state=RunState.SUCCEEDED, created=now, started=now,
                     ended=now, cost_usd=usd, display_name="t4-predict",
                     job_name="projects/p/locations/l/customJobs/1"))
    store.close()


def vertex_config(budget: float) -> AppConfig:
    job = JobConfig(backend="vertex", project_id="my-proj", region="us-central1", image_uri="us-docker.pkg.dev/p/r/i:1",
                    command=["python", "predict.py"], max_runtime_minutes=60)
    cfg = AppConfig(job=job)
    cfg.budget.monthly_usd = budget
    cfg.budget.block_when_over = True
    return cfg


@pytest.fixture
def open_panel(qtbot, monkeypatch):
    made = []

    def make(cfg):
        from gui.app import PanelApp

        config_mod.save(cfg)
        backend = VertexBackend(min_poll_seconds=0.02, rpc_timeout=2.0, limiter=ReadLimiter(0.01), log_lag_seconds=0.05)
        app = PanelApp(controller_factory=lambda s: services.build_controller(s, backend_factory=lambda n: backend),
                       run_scheduler=False)
        qtbot.addWidget(app.window)
        app.window.tray_available = True
        app.start()
        made.append(app)
        return app

    yield make
    for app in made:
        app.shutdown()


def test_dashboard_and_tray_warn_at_80_percent(qtbot, open_panel, monkeypatch):
    from gui.tray import Tray

    said: list[tuple[str, str]] = []
    real_notify = Tray.notify

    def notify(self, title, message, failure=False):  # every note, from the tray's first moment (the budget
        said.append((title, message))                  # check may run in the same event-loop turn that builds it)
        real_notify(self, title, message, failure)

    monkeypatch.setattr(Tray, "notify", notify)
    seed_spend(17.0)
    panel = open_panel(vertex_config(20.0))
    qtbot.waitUntil(lambda: any(title == "Monthly budget" for title, _ in said), timeout=10_000)
    (message,) = [m for title, m in said if title == "Monthly budget"]
    assert "$17.00 of your $20.00" in message
    assert panel.dashboard.budget_label.isVisibleTo(panel.window)
    assert "85%" in panel.dashboard.budget_label.text()


def test_run_now_over_budget_asks_first_and_runs_when_confirmed(qtbot, open_panel, monkeypatch, google_signed_in):
    asked = []

    def answer(parent, title, text, *args, **kwargs):
        asked.append(text)
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", staticmethod(answer))
    seed_spend(19.5)
    with FakeCloud(monkeypatch) as cloud:
        cloud.logging.read_quota = scaled_quota(0.01)  # the log reads of this test's clock
        cloud.vertex.script = Script(queued=0.05, pending=0.05, running=0.2)
        panel = open_panel(vertex_config(20.0))
        qtbot.waitUntil(lambda: panel.core.controller is not None, timeout=10_000)
        panel.run_now()
        qtbot.waitUntil(lambda: len(asked) == 1, timeout=10_000)
        assert "budget" in asked[0].lower()
        qtbot.waitUntil(lambda: len(cloud.vertex.creates()) == 1, timeout=10_000)
        qtbot.waitUntil(lambda: panel.dashboard.state_label.text() == "Succeeded", timeout=10_000)
