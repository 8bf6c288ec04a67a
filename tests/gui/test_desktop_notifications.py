"""Issue 13 item 18: with no system tray, notifications reach the desktop's own notification service
(freedesktop D-Bus), checked against a strict fake service on the test's private session bus; and closing
the window to the tray says once that T4 Panel keeps running there."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtGui import QIcon

FAKE = Path(__file__).resolve().parent.parent / "support" / "fake_notifications.py"


@pytest.fixture
def daemon(tmp_path):
    """The fake org.freedesktop.Notifications on this session bus; yields the file it records into."""
    assert os.environ.get("DBUS_SESSION_BUS_ADDRESS"), "run inside tests/keyring_session.sh (a private bus)"
    record = tmp_path / "notes.jsonl"
    record.touch()
    proc = subprocess.Popen([sys.executable, str(FAKE), str(record)], stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
        yield record
    finally:
        proc.terminate()
        proc.wait(5)


def _notes(record: Path) -> list[dict]:
    return [json.loads(line) for line in record.read_text(encoding="utf-8").splitlines()]


@pytest.fixture
def trayless(qtbot, monkeypatch):
    from PySide6.QtWidgets import QSystemTrayIcon

    from gui.tray import Tray

    monkeypatch.setenv("T4PANEL_DESKTOP_NOTIFICATIONS", "1")  # tests/conftest.py turns it off elsewhere
    monkeypatch.setattr(QSystemTrayIcon, "isSystemTrayAvailable", staticmethod(lambda: False))
    tray = Tray(QIcon())
    assert tray.available is False
    yield tray
    if tray._tasks is not None:
        tray._tasks.wait_idle()


def test_without_a_tray_a_failure_reaches_the_desktops_notifications(qtbot, daemon, trayless):
    with qtbot.waitSignal(trayless.desktopNotified, timeout=5_000) as shown:
        trayless.notify("t4-predict failed", "Run r1 ended (Failed) on this computer.", failure=True)
    assert shown.args[0] >= 1
    [note] = _notes(daemon)
    assert note["app"] == "T4 Panel" and note["summary"] == "t4-predict failed"
    assert note["body"] == "Run r1 ended (Failed) on this computer."
    assert note["hints"]["urgency"] == 2 and note["icon"] == "dialog-error"


def test_a_success_is_a_normal_notification(qtbot, daemon, trayless):
    with qtbot.waitSignal(trayless.desktopNotified, timeout=5_000):
        trayless.notify("t4-predict finished", "Run r2 succeeded on this computer in 20 s.")
    assert _notes(daemon)[0]["hints"]["urgency"] == 1


def test_the_fake_refuses_what_a_real_daemon_refuses(qtbot, daemon):
    """Through QtDBus, the way PySide6 marshals plain Python values ("sisssava{sv}i"): refused, as by GDBus."""
    from PySide6.QtDBus import QDBus, QDBusConnection, QDBusInterface, QDBusMessage

    iface = QDBusInterface("org.freedesktop.Notifications", "/org/freedesktop/Notifications",
                           "org.freedesktop.Notifications", QDBusConnection.sessionBus())
    reply = iface.callWithArgumentList(QDBus.CallMode.Block, "Notify",
                                       ["T4 Panel", 0, "", "title", "body", [], {}, 10_000])
    assert reply.type() == QDBusMessage.MessageType.ErrorMessage
    assert reply.errorName() == "org.freedesktop.DBus.Error.InvalidArgs"
    assert _notes(daemon) == []


def test_no_daemon_is_logged_not_raised(qtbot, trayless, caplog, monkeypatch):
    import logging

    from gui import desktop_notify

    # A name no service owns or can be started for (the machine's own daemon might start and show it).
    monkeypatch.setattr(desktop_notify, "NAME", "org.t4panel.tests.NobodyHere")
    caplog.set_level(logging.INFO, logger="gui.tray")
    with qtbot.assertNotEmitted(trayless.desktopNotified, wait=300):
        trayless.notify("title", "message")
        trayless._tasks.wait_idle()
    qtbot.waitUntil(lambda: "desktop notification not shown" in caplog.text, timeout=5_000)


def test_closing_to_the_tray_says_once_that_t4panel_keeps_running(qtbot):
    from gui.main_window import MainWindow
    from gui.tray import Tray

    window = MainWindow()
    qtbot.addWidget(window)
    window.tray_available = True
    tray = Tray(QIcon())
    window.closedToTray.connect(tray.tell_running_in_tray)
    seen: list[tuple[str, str, bool]] = []
    tray.notified.connect(lambda *args: seen.append(args))
    for _ in range(2):
        window.show()
        window.close()
        assert not window.isVisible()
    assert len(seen) == 1
    title, message, failure = seen[0]
    assert "still running" in title and "system tray" in message and failure is False
