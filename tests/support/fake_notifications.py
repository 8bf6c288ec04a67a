"""A tiny freedesktop Notifications service for tests, run as its own process on the test's session bus.

    python -m tests.support.fake_notifications RECORD_FILE

It owns org.freedesktop.Notifications, answers Introspect with the real interface, and refuses what a real
daemon refuses: a Notify whose signature is not exactly "susssasa{sv}i" gets InvalidArgs. Every accepted
notification is appended to RECORD_FILE as one JSON line; "ready" is printed once the name is owned.
"""

from __future__ import annotations

import json
import sys

from jeepney import HeaderFields, MessageType, new_error, new_method_return
from jeepney.bus_messages import message_bus
from jeepney.io.blocking import open_dbus_connection

NAME = "org.freedesktop.Notifications"
PATH = "/org/freedesktop/Notifications"
NOTIFY_SIGNATURE = "susssasa{sv}i"
XML = f"""<!DOCTYPE node PUBLIC "-//freedesktop//DTD D-BUS Object Introspection 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/introspect.dtd">
<node><interface name="{NAME}">
 <method name="Notify"><arg type="s" name="app_name" direction="in"/><arg type="u" name="replaces_id" direction="in"/>
  <arg type="s" name="app_icon" direction="in"/><arg type="s" name="summary" direction="in"/>
  <arg type="s" name="body" direction="in"/><arg type="as" name="actions" direction="in"/>
  <arg type="a{{sv}}" name="hints" direction="in"/><arg type="i" name="expire_timeout" direction="in"/>
  <arg type="u" name="id" direction="out"/></method>
 <method name="GetCapabilities"><arg type="as" name="caps" direction="out"/></method>
 <method name="GetServerInformation"><arg type="s" direction="out"/><arg type="s" direction="out"/>
  <arg type="s" direction="out"/><arg type="s" direction="out"/></method>
</interface>
<interface name="org.freedesktop.DBus.Introspectable"><method name="Introspect">
 <arg type="s" name="xml" direction="out"/></method></interface></node>"""


def serve(record: str) -> None:
    conn = open_dbus_connection(bus="SESSION")
    reply = conn.send_and_get_reply(message_bus.RequestName(NAME, 4))  # 4: do not queue behind another
    if reply.body[0] != 1:
        sys.exit(f"{NAME} is already owned on this bus")
    print("ready", flush=True)
    next_id = 1
    while True:
        try:
            msg = conn.receive()
        except (ConnectionError, OSError):  # the test's bus went away: nothing left to serve
            return
        if msg.header.message_type != MessageType.method_call:
            continue
        fields = msg.header.fields
        member, path, sig = fields.get(HeaderFields.member), fields.get(HeaderFields.path), fields.get(
            HeaderFields.signature, "")
        if path != PATH:
            conn.send(new_error(msg, "org.freedesktop.DBus.Error.UnknownObject", "s", (f"No object {path}",)))
        elif member == "Introspect":
            conn.send(new_method_return(msg, "s", (XML,)))
        elif member == "GetCapabilities":
            conn.send(new_method_return(msg, "as", (["body"],)))
        elif member == "GetServerInformation":
            conn.send(new_method_return(msg, "ssss", ("fake", "t4panel-tests", "1", "1.2")))
        elif member == "Notify" and sig == NOTIFY_SIGNATURE:
            app, _replaces, icon, summary, body, _actions, hints, timeout = msg.body
            with open(record, "a", encoding="utf-8") as out:
                out.write(json.dumps({"app": app, "icon": icon, "summary": summary, "body": body,
                                      "hints": {k: v[1] for k, v in hints.items()}, "timeout": timeout}) + "\n")
            conn.send(new_method_return(msg, "u", (next_id,)))
            next_id += 1
        elif member == "Notify":
            conn.send(new_error(msg, "org.freedesktop.DBus.Error.InvalidArgs", "s",
                                (f"Notify takes {NOTIFY_SIGNATURE}, not {sig}",)))
        else:
            conn.send(new_error(msg, "org.freedesktop.DBus.Error.UnknownMethod", "s", (f"No method {member}",)))


if __name__ == "__main__":
    serve(sys.argv[1])
