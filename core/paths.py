"""Where the app keeps its files: everything under T4PANEL_HOME when set, else the platform folders."""

from __future__ import annotations

import os
from pathlib import Path

APP_NAME = "T4Panel"


def _home_override() -> Path | None:
    value = os.environ.get("T4PANEL_HOME")
    return Path(value).expanduser() if value else None


def config_dir() -> Path:
    """Folder of config.toml."""
    home = _home_override()
    if home is not None:
        return home
    import platformdirs

    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False))


def data_dir() -> Path:
    """Folder of the run history database and each run's files."""
    home = _home_override()
    if home is not None:
        return home
    import platformdirs

    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def log_dir() -> Path:
    """Folder of the app's own rotating log."""
    home = _home_override()
    if home is not None:
        return home / "logs"
    import platformdirs

    return Path(platformdirs.user_log_dir(APP_NAME, appauthor=False))


def config_path() -> Path:
    return config_dir() / "config.toml"


def history_path() -> Path:
    return data_dir() / "history.sqlite3"


def runs_dir() -> Path:
    """Per-run folders (job log, local runner files)."""
    return data_dir() / "runs"


def resources_dir() -> Path:
    """The bundled resources folder (works from source and from a PyInstaller bundle)."""
    import sys

    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        return Path(bundle) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"


def ensure_private_dir(path: Path) -> Path:
    """Create a folder readable only by this user."""
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path
