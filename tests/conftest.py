"""Shared fixtures: every test gets its own T4PANEL_HOME, offscreen Qt and no Google metadata lookups."""

from __future__ import annotations

import os

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("NO_GCE_CHECK", "true")
# No test pops up a real notification or starts the machine's own daemon on the test's bus, not even from
# events processed after a test (tests/gui/test_desktop_notifications.py turns it on against its fake).
os.environ["T4PANEL_DESKTOP_NOTIFICATIONS"] = "0"


@pytest.fixture(autouse=True)
def t4panel_home(tmp_path, monkeypatch):
    """Config, history and logs of this test live in a fresh temporary folder."""
    home = tmp_path / "t4home"
    home.mkdir()
    monkeypatch.setenv("T4PANEL_HOME", str(home))
    for name in ("SUPABASE_URL", "SUPABASE_KEY", "T4PANEL_VERTEX_ENDPOINT", "T4PANEL_LOGGING_ENDPOINT",
                 "GOOGLE_APPLICATION_CREDENTIALS", "T4PANEL_MIN_POLL_SECONDS", "T4PANEL_LANG"):
        monkeypatch.delenv(name, raising=False)
    return home


@pytest.fixture(autouse=True)
def _machine_time_zone():
    """Pages show times in the operator's zone, which the app sets when a config loads: never carry it over."""
    yield
    import sys

    texts = sys.modules.get("gui.run_texts")
    if texts is not None:
        texts.set_operator_zone(None)
