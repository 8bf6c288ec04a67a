"""The desktop's own notifications, for desktops without a system tray (freedesktop D-Bus on Linux).

A notification daemon (GNOME Shell, KDE Plasma, dunst, mako, ...) owns org.freedesktop.Notifications on the
session bus and takes Notify with exactly the signature "susssasa{sv}i"; GDBus-based daemons refuse any
other. PySide6 6.11's QtDBus cannot write a uint32 (an int becomes "q" or "i") nor an empty "as", so the
call goes through jeepney (pure Python, already on every Linux install as keyring's Secret Service
transport), on a worker thread: the UI thread never waits on the bus.
"""

from __future__ import annotations

import logging
import os
import sys

log = logging.getLogger(__name__)

NAME = "org.freedesktop.Notifications"
PATH = "/org/freedesktop/Notifications"
SIGNATURE = "susssasa{sv}i"
TIMEOUT_MS = 10_000
URGENCY_NORMAL, URGENCY_CRITICAL = 1, 2


def supported() -> bool:
    """True where a freedesktop notification service can exist: Linux (and BSDs) with a session bus, unless
    T4PANEL_DESKTOP_NOTIFICATIONS=0 (the tests set it: their bus would start the machine's own daemon)."""
    if os.environ.get("T4PANEL_DESKTOP_NOTIFICATIONS", "1") == "0":
        return False
    return sys.platform.startswith(("linux", "freebsd", "openbsd")) and bool(os.environ.get(
        "DBUS_SESSION_BUS_ADDRESS"))


def send(title: str, message: str, failure: bool = False, timeout: float = 5.0) -> int:
    """Show one notification; returns the daemon's id. Blocking: call it on a worker thread.

    Raises:
        OSError: no session bus. jeepney.DBusErrorResponse: no daemon, or it refused the call.
    """
    from jeepney import DBusAddress, new_method_call
    from jeepney.io.blocking import open_dbus_connection
    from jeepney.wrappers import unwrap_msg

    hints = {"desktop-entry": ("s", "t4panel"),
             "urgency": ("y", URGENCY_CRITICAL if failure else URGENCY_NORMAL)}
    icon = "dialog-error" if failure else "dialog-information"
    call = new_method_call(DBusAddress(PATH, bus_name=NAME, interface=NAME), "Notify", SIGNATURE,
                           ("T4 Panel", 0, icon, title, message, [], hints, TIMEOUT_MS))
    with open_dbus_connection(bus="SESSION") as conn:
        reply = conn.send_and_get_reply(call, timeout=timeout)
    return int(unwrap_msg(reply)[0])
