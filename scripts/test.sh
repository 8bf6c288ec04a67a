#!/usr/bin/env bash
# Install everything the tests need on a fresh Debian/Ubuntu machine, then run the whole suite.
#   bash scripts/test.sh [pytest args...]
# The suite runs inside a private D-Bus session with an unlocked gnome-keyring (a real Secret Service)
# and Qt's offscreen platform, so it needs no screen and never touches your own keyring.
set -euo pipefail
cd "$(dirname "$0")/.."

DEBIAN_PACKAGES=(gnome-keyring dbus libegl1 libgl1 libglib2.0-0 libfontconfig1 libxkbcommon0 libxkbcommon-x11-0
                 libdbus-1-3 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-shape0 libxcb-xinerama0
                 libxcb-randr0 libxcb-render-util0 libxcb-image0 fonts-noto-cjk)
if command -v apt-get >/dev/null 2>&1; then
    missing=()
    for p in "${DEBIAN_PACKAGES[@]}"; do
        dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
    done
    if [ ${#missing[@]} -gt 0 ]; then
        SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
        $SUDO apt-get update -qq
        DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
    fi
fi

# The README's command 1 made .venv (Debian/Ubuntu refuse pip into the system Python): use it when it is there.
PYTHON=python3
if [ -x .venv/bin/python ]; then PYTHON=.venv/bin/python; fi
"$PYTHON" -m pip install -q -e ".[test,package]"  # package: PyInstaller for tests/packaging

export QT_QPA_PLATFORM=offscreen NO_GCE_CHECK=true PYTHONDONTWRITEBYTECODE=1 T4PANEL_PYTHON="$PYTHON"
exec bash tests/keyring_session.sh "$PYTHON" -m pytest "$@"
