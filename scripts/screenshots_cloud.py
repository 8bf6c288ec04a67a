"""Screenshots of the cloud schedule, for the README and the operator guide, in English and Korean:
docs/screenshots/schedule-cloud-<lang>.png (the switch and its monthly cost), cloud-setup-<lang>.png (the
checklist mid-setup) and cloud-setup-failed-<lang>.png (a refused step, with Retry).

    xvfb-run -a -s "-screen 0 1280x1024x24" \\
        sh -c 'openbox & exec env QT_QPA_PLATFORM=xcb python3 scripts/screenshots_cloud.py'

The setup is the real one (core.app.cloud_setup and Google's client libraries) against the strict fakes of
tests/integration (Cloud Run, Cloud Scheduler, Secret Manager, IAM, Service Usage, Cloud Storage), signed in
through the fake OAuth server; nothing leaves this computer. Each language runs in its own process.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import threading
from pathlib import Path
from typing import Any, NoReturn

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scripts.screenshots import CONFIG, leave, main_per_language, pump, pump_until  # noqa: E402  (after the path is set)


class _Env:
    """monkeypatch's setenv, for the fakes' helpers."""

    def setenv(self, name: str, value: str) -> None:
        os.environ[name] = value


def _sign_in() -> Any:
    """A refresh token from the fake OAuth server, as Sign in with Google leaves it, and the Supabase keys: in the
    app's own store, kept for this session only (an unlock prompt has no one to answer it here)."""
    from core.app.services import shared_secret_store
    from core.google import auth
    from core.store.secrets import GOOGLE_TOKEN
    from tests.integration.fakes.oauth_server import CLIENT_ID, CLIENT_SECRET, EMAIL, FakeOAuthServer

    oauth = FakeOAuthServer().__enter__()
    refresh = oauth.issue_refresh_token(" ".join(auth.SIGN_IN_SCOPES))
    store = shared_secret_store()
    store.keep_for_session_only()
    store.set(GOOGLE_TOKEN, json.dumps({
        "refresh_token": refresh, "client_id": CLIENT_ID, "client_secret": CLIENT_SECRET,
        "token_uri": "https://oauth2.googleapis.com/token", "revoke_uri": f"{oauth.url}/revoke",
        "scopes": list(auth.SIGN_IN_SCOPES), "email": EMAIL}))
    store.set("supabase-url", "https://abcd1234.supabase.co")
    store.set("supabase-key", "sb_secret_example_only")
    os.environ[auth.TOKEN_ENDPOINT_ENV] = f"{oauth.url}/token"
    return oauth


def shoot(lang: str, out: Path) -> NoReturn:
    from PySide6.QtWidgets import QApplication

    home = Path(tempfile.mkdtemp(prefix="t4cloudshots-"))
    os.environ["T4PANEL_HOME"] = str(home)
    (home / "config.toml").write_text(CONFIG, encoding="utf-8")
    from tests.integration.fakes import cloud_server
    from tests.integration.fakes.storage_server import FakeStorage
    from tests.integration.fakes.vertex_server import FakeCloud as FakeVertexCloud

    _sign_in()
    from tests.integration.fakes.setup_server import Project

    fake = cloud_server.FakeCloud(Project(project_id="my-team-predict")).__enter__()
    storage = FakeStorage().__enter__()
    FakeVertexCloud(_Env()).__enter__()  # the Dashboard's own Vertex and price reads stay on this computer
    os.environ.update(fake.env())
    os.environ["STORAGE_EMULATOR_HOST"] = storage.url

    app = QApplication.instance() or QApplication(sys.argv)
    from gui.i18n import install_translators

    install_translators(app, lang)
    from core.app.cloud_setup import CloudSchedule, StepState
    from gui.app import PanelApp, app_icon

    hold = threading.Event()

    def held(cfg: Any, **kwargs: Any) -> Any:
        """The real CloudSchedule; its progress pauses once at the Cloud Run job, for the mid-setup shot."""
        report = kwargs.pop("progress", lambda step: None)

        def progress(step: Any) -> None:
            report(step)
            if step.key == "run_job" and step.state is StepState.RUNNING and not hold.is_set():
                hold.wait(20)

        return CloudSchedule(cfg, progress=progress, **kwargs)

    app.setWindowIcon(app_icon())
    panel = PanelApp(run_scheduler=False)
    panel.cloud_schedule_factory = held
    panel.window.resize(1100, 900)

    def seen() -> str:
        dialog = getattr(panel.schedule_page.cloud_panel, "dialog", None) if panel.built("schedule") else None
        return f"{lang}: the cloud schedule ({(dialog.step_states(), dialog.error.text()) if dialog else None})"

    def until(test: Any) -> None:
        pump_until(test, seen)

    ready: list[bool] = []
    panel.core.ready.connect(lambda: ready.append(True))
    panel.start()
    until(lambda: bool(ready))
    panel.window.show_page("schedule")
    cloud = panel.schedule_page.cloud_panel
    until(lambda: "$" in cloud.cost.text() or "₩" in cloud.cost.text())
    pump(600)
    out.mkdir(parents=True, exist_ok=True)
    done = []

    def save(widget: Any, name: str) -> None:
        widget.grab().save(str(out / name))
        done.append(name)

    save(panel.window, f"schedule-cloud-{lang}.png")
    fake.fail_once["cloudscheduler.projects.locations.jobs.create"] = 403
    cloud.turn_on()  # what "Turn on" in the confirmation starts
    dialog = cloud.dialog
    dialog.resize(640, 480)
    until(lambda: dialog.step_states().get("run_job") == StepState.RUNNING.value)
    pump(400)
    save(dialog, f"cloud-setup-{lang}.png")
    hold.set()
    until(lambda: dialog.retry_button.isVisible())
    pump(400)
    save(dialog, f"cloud-setup-failed-{lang}.png")
    print(lang, ", ".join(done))
    leave(panel)


if __name__ == "__main__":
    raise SystemExit(main_per_language(__file__, __doc__, shoot))
