"""A really locked Secret Service collection: the operator sees "The keyring is locked" and can keep
secrets for this session only. Runs in its own keyring session, since a locked collection cannot be
unlocked again without a prompt."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[1] / "keyring_session.sh"
PROBE = r"""
import secretstorage
from core.errors import SecretsError
from core.store.secrets import SecretStore
store = SecretStore()
store.set("supabase-url", "https://kept.supabase.co")
secretstorage.get_default_collection(secretstorage.dbus_init()).lock()
try:
    store.get("supabase-url")
except SecretsError as exc:
    print("TITLE:", exc.title)
    print("MESSAGE:", exc.message)
store.keep_for_session_only()
store.set("supabase-url", "https://session.supabase.co")
print("SESSION:", store.get("supabase-url"), store.list())
"""


def test_locked_collection_message(tmp_path):
    if not (shutil.which("dbus-run-session") and shutil.which("gnome-keyring-daemon")):
        if os.environ.get("CI") == "true":
            pytest.fail("CI needs dbus-run-session and gnome-keyring-daemon (apt-get install gnome-keyring dbus)")
        pytest.skip("dbus-run-session / gnome-keyring-daemon not installed")
    env = dict(os.environ, PYTHONPATH=str(SCRIPT.parents[1]), T4PANEL_HOME=str(tmp_path / "home"))
    env.pop("DBUS_SESSION_BUS_ADDRESS", None)
    out = subprocess.run(["sh", str(SCRIPT), sys.executable, "-c", PROBE], env=env, capture_output=True, check=False,
                         text=True, timeout=30)
    assert out.returncode == 0, out.stderr[-2000:]
    assert "TITLE: Keyring locked" in out.stdout
    assert "MESSAGE: The keyring is locked" in out.stdout
    assert 'Choose "Keep for this session only"' in out.stdout
    assert "SESSION: https://session.supabase.co [('supabase-url', 'this session only')]" in out.stdout
