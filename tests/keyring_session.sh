#!/bin/sh
# Run a command inside a private D-Bus session with an unlocked gnome-keyring (a real Secret Service).
#   bash tests/keyring_session.sh python -m pytest -q tests/unit/test_secrets*.py
# Uses a throwaway HOME so the keyring files never touch the operator's own. Exits non-zero when the
# session cannot be started, so CI fails instead of silently skipping the keyring tests.
set -eu
if [ "$#" -eq 0 ]; then
    echo "usage: $0 COMMAND [ARGS...]" >&2
    exit 2
fi
for tool in dbus-run-session gnome-keyring-daemon; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        echo "keyring_session.sh: $tool is not installed (apt-get install -y gnome-keyring dbus)" >&2
        exit 3
    fi
done
tmp_home=$(mktemp -d "${TMPDIR:-/tmp}/t4panel-keyring.XXXXXX")
trap 'rm -rf "$tmp_home"' EXIT INT TERM
mkdir -p "$tmp_home/.local/share/keyrings" "$tmp_home/.cache"
chmod 700 "$tmp_home"
# Keep the real HOME's file locations for the python toolchain (pyenv, user site) readable.
export T4PANEL_REAL_HOME="${HOME:-}"
export HOME="$tmp_home"
export XDG_DATA_HOME="$tmp_home/.local/share"
export XDG_CACHE_HOME="$tmp_home/.cache"
export XDG_RUNTIME_DIR="$tmp_home"
export T4PANEL_KEYRING_SESSION=1
# Without a display the keyring's unlock prompt fails at once (KeyringLocked) instead of waiting for a
# click nobody will give; the command itself gets the display back.
export T4PANEL_SAVED_DISPLAY="${DISPLAY:-}" T4PANEL_SAVED_WAYLAND="${WAYLAND_DISPLAY:-}"
unset DISPLAY WAYLAND_DISPLAY
# A bus of our own without D-Bus activation: when gnome-keyring-daemon stops, nothing else may start a
# locked one in its place (that one would need an unlock prompt nobody can answer).
cat > "$tmp_home/session.conf" <<'CONF'
<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:tmpdir=/tmp</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
CONF
# The inner shell keeps the login keyring's daemon running and unlocked (creating the keyring with a
# throwaway password the first time), then runs the command. gnome-keyring-daemon 42 aborts now and then
# when several processes open Secret Service sessions at once (GNOME/gnome-keyring#196, #199): the loop
# starts it again with the same password, so such a crash costs the call in flight, not every later test.
dbus-run-session --config-file="$tmp_home/session.conf" -- sh -c '
    command_pid=$$
    (
        while kill -0 "$command_pid" 2>/dev/null; do
            printf %s t4panel-test | gnome-keyring-daemon --unlock --components=secrets --foreground >/dev/null 2>&1
            kill -0 "$command_pid" 2>/dev/null || break
            echo "keyring_session.sh: gnome-keyring-daemon stopped; started it again, unlocked" >&2
            sleep 0.2
        done
    ) &
    # The daemon takes a moment to own its D-Bus name and unlock the login keyring (and set the "default"
    # alias); on a busy machine the tests then met a locked keyring. Wait until the Secret Service says so.
    # The Python that runs the tests (scripts/test.sh sets it: the .venv one, with secretstorage).
    "${T4PANEL_PYTHON:-python3}" - <<"PY" || { echo "keyring_session.sh: the keyring did not unlock within 60 s" >&2; exit 3; }
import sys, time
import secretstorage
deadline = time.monotonic() + 60
while True:
    try:
        with secretstorage.dbus_init() as conn:
            if not secretstorage.get_default_collection(conn).is_locked():
                sys.exit(0)
    except Exception:  # noqa: BLE001 - the service or the alias is not there yet
        pass
    if time.monotonic() > deadline:
        sys.exit(1)
    time.sleep(0.1)
PY
    [ -n "$T4PANEL_SAVED_DISPLAY" ] && export DISPLAY="$T4PANEL_SAVED_DISPLAY"
    [ -n "$T4PANEL_SAVED_WAYLAND" ] && export WAYLAND_DISPLAY="$T4PANEL_SAVED_WAYLAND"
    exec "$@"
' keyring-session "$@"
