"""Where the app keeps its files: everything under T4PANEL_HOME when set, else the platform folders."""

from __future__ import annotations

import errno
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
    """Create a folder readable only by this user (0700 whatever the umask, for every level created here).

    Folders that already exist (a T4PANEL_HOME the operator made) keep their mode.

    Raises:
        OSError: the folder cannot be created (read-only disk, a file in the way, no permission);
            `core.errors.storage_error` says it to the operator.
    """
    missing: list[Path] = []
    level = path
    while not level.exists() and level != level.parent:
        missing.append(level)
        level = level.parent
    try:
        if level.exists() and not level.is_dir():
            raise NotADirectoryError(errno.ENOTDIR, os.strerror(errno.ENOTDIR), str(level))
        for folder in reversed(missing):
            try:
                folder.mkdir(mode=0o700)
            except FileExistsError:  # made by another process meanwhile
                continue
            os.chmod(folder, 0o700)
        if not path.is_dir():
            raise NotADirectoryError(errno.ENOTDIR, os.strerror(errno.ENOTDIR), str(path))
    except OSError as exc:
        if exc.filename is None:
            exc.filename = str(path)
        raise
    return path


def make_private(path: Path) -> None:
    """Create `path` if needed and make it 0600 (a file of ours that only we may read), whatever the umask."""
    fd = os.open(path, os.O_CREAT | os.O_WRONLY | os.O_APPEND, 0o600)
    try:
        os.fchmod(fd, 0o600) if hasattr(os, "fchmod") else os.chmod(path, 0o600)
    finally:
        os.close(fd)
