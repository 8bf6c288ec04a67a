""""Start T4 Panel when I log in": per-user autostart on Linux, Windows and macOS (no admin rights).

- Linux and other XDG desktops: `$XDG_CONFIG_HOME/autostart/t4panel.desktop` (default ~/.config).
- Windows: the value "T4Panel" under HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Run.
- macOS: ~/Library/LaunchAgents/com.t4panel.app.plist with RunAtLoad (takes effect at the next login).
"""

from __future__ import annotations

import importlib
import os
import sys
from pathlib import Path
from types import ModuleType

APP_ID = "t4panel"
RUN_KEY = r"Software\Microsoft\Windows\CurrentVersion\Run"
RUN_VALUE = "T4Panel"
LAUNCH_AGENT_LABEL = "com.t4panel.app"
_EXEC_RESERVED = set(" \t\n\"'\\><~|&;$*?#()`")


def default_command() -> list[str]:
    """How to start this T4 Panel: the packaged executable, or this Python with main.py."""
    if getattr(sys, "frozen", False):
        return [sys.executable]
    main = Path(__file__).resolve().parents[2] / "main.py"
    return [sys.executable, str(main)]


def _kind(platform: str | None) -> str:
    name = platform or sys.platform
    if name.startswith("win"):
        return "windows"
    if name == "darwin":
        return "macos"
    return "xdg"


def enable(command: list[str], *, platform: str | None = None) -> None:
    """Start `command` at every login of this user (replacing an earlier entry).

    Raises:
        T4Error: the entry could not be written (the message says where).
    """
    if not command:
        raise ValueError("command must not be empty")
    kind = _kind(platform)
    try:
        if kind == "windows":
            _windows_set(command)
        elif kind == "macos":
            _write(launch_agent_path(), _plist(command))
        else:
            _write(desktop_file_path(), desktop_entry(command).encode("utf-8"))
    except OSError as exc:
        from core.errors import T4Error, msg

        raise T4Error(msg("autostart.failed", "T4 Panel could not turn on start at login ({reason}). Check that your "
                          "user folder is writable and try again.", reason=exc.strerror or exc),
                      title=msg("autostart.failed.title", "Start at login not changed")) from exc


def disable(*, platform: str | None = None) -> None:
    """Remove the login entry (nothing happens when there is none)."""
    kind = _kind(platform)
    if kind == "windows":
        _windows_delete()
    else:
        (launch_agent_path() if kind == "macos" else desktop_file_path()).unlink(missing_ok=True)


def is_enabled(*, platform: str | None = None) -> bool:
    """True when T4 Panel will start at the next login."""
    kind = _kind(platform)
    if kind == "windows":
        return _windows_get() is not None
    if kind == "macos":
        return launch_agent_path().exists()
    path = desktop_file_path()
    try:
        text = path.read_text(encoding="utf-8")
    except OSError:
        return False
    lines = {line.strip().lower() for line in text.splitlines()}
    return "hidden=true" not in lines and "x-gnome-autostart-enabled=false" not in lines


# ------------------------------------------------------------------ XDG


def desktop_file_path() -> Path:
    base = os.environ.get("XDG_CONFIG_HOME") or ""
    root = Path(base) if base and Path(base).is_absolute() else Path.home() / ".config"
    return root / "autostart" / f"{APP_ID}.desktop"


def desktop_entry(command: list[str]) -> str:
    return (
        "[Desktop Entry]\n"
        "Type=Application\n"
        "Name=T4 Panel\n"
        "Comment=Runs the daily T4 GPU job on schedule\n"
        f"Exec={exec_line(command)}\n"
        "Terminal=false\n"
        "X-GNOME-Autostart-enabled=true\n"
    )


def exec_line(command: list[str]) -> str:
    """The Desktop Entry spec's Exec quoting, then its string escaping (backslashes doubled again)."""
    words = []
    for word in command:
        word = word.replace("%", "%%")  # field codes
        if word and not (set(word) & _EXEC_RESERVED):
            words.append(word)
            continue
        quoted = "".join("\\" + c if c in '"`$\\' else c for c in word)
        words.append('"' + quoted + '"')
    return " ".join(words).replace("\\", "\\\\")


# ------------------------------------------------------------------ macOS


def launch_agent_path() -> Path:
    return Path.home() / "Library" / "LaunchAgents" / f"{LAUNCH_AGENT_LABEL}.plist"


def _plist(command: list[str]) -> bytes:
    import plistlib

    return plistlib.dumps({"Label": LAUNCH_AGENT_LABEL, "ProgramArguments": list(command),
                           "RunAtLoad": True, "ProcessType": "Interactive"})


# ------------------------------------------------------------------ Windows


def _winreg() -> ModuleType:
    """The winreg module, typed as a plain module.

    typeshed declares winreg's names only when checking for win32, and on other systems tests stand a fake
    in sys.modules, so the names are looked up at run time (import_module honours sys.modules like import).
    """
    return importlib.import_module("winreg")


def _windows_set(command: list[str]) -> None:
    import subprocess

    winreg = _winreg()

    with winreg.CreateKeyEx(winreg.HKEY_CURRENT_USER, RUN_KEY, 0, winreg.KEY_SET_VALUE) as key:
        winreg.SetValueEx(key, RUN_VALUE, 0, winreg.REG_SZ, subprocess.list2cmdline(command))


def _windows_get() -> str | None:
    winreg = _winreg()

    try:
        with winreg.OpenKey(winreg.HKEY_CURRENT_USER, RUN_KEY, 0, winreg.KEY_READ) as key:
            value, _ = winreg.QueryValueEx(key, RUN_VALUE)
    except FileNotFoundError:
        return None
    return str(value)


def _windows_delete() -> None:
    winreg = _winreg()

    try:
        with winreg.OpenKey(winreg.HKEY_CURRENT_USER, RUN_KEY, 0, winreg.KEY_SET_VALUE) as key:
            winreg.DeleteValue(key, RUN_VALUE)
    except FileNotFoundError:
        pass


def _write(path: Path, data: bytes) -> None:
    """Atomic write, so a crash never leaves half an entry that the desktop would choke on."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)
