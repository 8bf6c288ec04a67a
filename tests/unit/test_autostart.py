"""Start at login: the XDG .desktop entry (Linux), the LaunchAgent plist (macOS), the Run key (Windows)."""

from __future__ import annotations

import plistlib
import sys
import types
from pathlib import Path

import pytest

from core.app import autostart

COMMAND = [sys.executable, "/opt/T4 Panel/main.py", "--profile=50%", 'say "hi"', "back\\slash", "$HOME"]


def parse_exec(value: str) -> list[str]:
    """The Desktop Entry spec backwards: string unescaping first, then the Exec quoting rules."""
    value = value.replace("\\\\", "\\")
    words, word, quoted, i, started = [], "", False, 0, False
    while i < len(value):
        c = value[i]
        if quoted and c == "\\" and i + 1 < len(value) and value[i + 1] in '"`$\\':
            word += value[i + 1]
            i += 2
            continue
        if c == '"':
            quoted, started = not quoted, True
        elif c == " " and not quoted:
            if started or word:
                words.append(word)
            word, started = "", False
        else:
            word += c
        i += 1
    if started or word:
        words.append(word)
    return [w.replace("%%", "%") for w in words]


@pytest.fixture
def xdg(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    return tmp_path / "xdg" / "autostart" / "t4panel.desktop"


def test_linux_desktop_entry_round_trip(xdg):
    assert not autostart.is_enabled(platform="linux")
    autostart.enable(COMMAND, platform="linux")
    assert autostart.is_enabled(platform="linux")
    text = xdg.read_text(encoding="utf-8")
    assert text.startswith("[Desktop Entry]\nType=Application\n")
    exec_value = next(line[5:] for line in text.splitlines() if line.startswith("Exec="))
    assert parse_exec(exec_value) == COMMAND
    autostart.enable(COMMAND[:2], platform="linux")  # replaces, never duplicates
    assert len(list(xdg.parent.iterdir())) == 1
    autostart.disable(platform="linux")
    assert not xdg.exists() and not autostart.is_enabled(platform="linux")
    autostart.disable(platform="linux")  # twice is fine


def test_linux_without_xdg_config_home_uses_dot_config(tmp_path, monkeypatch):
    monkeypatch.delenv("XDG_CONFIG_HOME", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    autostart.enable(["t4panel"], platform="linux")
    assert (tmp_path / ".config" / "autostart" / "t4panel.desktop").exists()


def test_linux_entry_hidden_by_the_desktop_counts_as_off(xdg):
    autostart.enable(["t4panel"], platform="linux")
    xdg.write_text(xdg.read_text() + "Hidden=true\n")
    assert not autostart.is_enabled(platform="linux")


def test_macos_launch_agent(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))
    autostart.enable(COMMAND, platform="darwin")
    plist = plistlib.loads((tmp_path / "Library/LaunchAgents/com.t4panel.app.plist").read_bytes())
    assert plist["ProgramArguments"] == COMMAND and plist["RunAtLoad"] is True
    assert autostart.is_enabled(platform="darwin")
    autostart.disable(platform="darwin")
    assert not autostart.is_enabled(platform="darwin")


class _FakeRegistry(types.ModuleType):
    """The few winreg calls autostart makes, over a dict (winreg exists only on Windows)."""

    HKEY_CURRENT_USER, KEY_SET_VALUE, KEY_READ, REG_SZ = 1, 2, 3, 1

    def __init__(self) -> None:
        super().__init__("winreg")
        self.keys: dict[str, dict[str, str]] = {}

    class _Key:
        def __init__(self, values): self.values = values
        def __enter__(self): return self
        def __exit__(self, *a): return False

    def CreateKeyEx(self, root, path, reserved, access):
        return self._Key(self.keys.setdefault(path, {}))

    def OpenKey(self, root, path, reserved, access):
        if path not in self.keys:
            raise FileNotFoundError(path)
        return self._Key(self.keys[path])

    def SetValueEx(self, key, name, reserved, kind, value):
        key.values[name] = value

    def QueryValueEx(self, key, name):
        if name not in key.values:
            raise FileNotFoundError(name)
        return key.values[name], self.REG_SZ

    def DeleteValue(self, key, name):
        if name not in key.values:
            raise FileNotFoundError(name)
        del key.values[name]


def test_windows_run_key(monkeypatch):
    reg = _FakeRegistry()
    monkeypatch.setitem(sys.modules, "winreg", reg)
    assert not autostart.is_enabled(platform="win32")
    autostart.enable([r"C:\Program Files\T4Panel\T4Panel.exe"], platform="win32")
    assert reg.keys[autostart.RUN_KEY]["T4Panel"] == r'"C:\Program Files\T4Panel\T4Panel.exe"'
    assert autostart.is_enabled(platform="win32")
    autostart.disable(platform="win32")
    autostart.disable(platform="win32")
    assert not autostart.is_enabled(platform="win32")


def test_default_command_starts_this_app():
    cmd = autostart.default_command()
    assert cmd[0] == sys.executable and Path(cmd[1]).name == "main.py" and Path(cmd[1]).exists()
