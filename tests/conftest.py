"""Shared fixtures: every test gets its own T4PANEL_HOME, offscreen Qt and no Google metadata lookups."""

from __future__ import annotations

import os

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("NO_GCE_CHECK", "true")


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
def root_logging_restored():
    """A test that runs the CLI or the app in-process sets up the app log in its own T4PANEL_HOME: take
    those handlers away afterwards, or the next test's log lines go to a folder that is gone."""
    import logging

    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    for handler in root.handlers[:]:
        if handler not in handlers:
            root.removeHandler(handler)
            handler.close()
    root.setLevel(level)
