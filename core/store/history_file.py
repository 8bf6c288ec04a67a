"""The run history's file: created private and whole, a damaged one set aside, a busy or full one said plainly.

Every store of history.sqlite3 (runs, occurrences) opens it through `open_history_db`.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import threading
from datetime import UTC, datetime
from pathlib import Path

from core.errors import T4Error

log = logging.getLogger(__name__)

APPLICATION_ID = 0x54345031  # "T4P1" in the SQLite header: ours, and never a 0-byte file


def open_history_db(path: Path) -> sqlite3.Connection:
    """A connection to the history file as every store of it wants one: private folder and file (0600 with its
    -wal and -shm, whatever the umask), autocommit (we write BEGIN ourselves), shared across threads under
    the store's lock, waiting out other writers, WAL. A damaged file is set aside first (see `_set_aside`).

    Raises:
        StorageError: the folder or file cannot be used (read-only, full disk, a file in the way).
        sqlite3.OperationalError: another program holds the history for more than 10 s (`history_error`).
    """
    from core import paths

    try:
        paths.ensure_private_dir(path.parent)
        _create_private(path)
        db = _connect(path)
        if _damaged(db):
            db.close()
            _set_aside(path)
            _create_private(path)
            db = _connect(path)
        use_wal(db)
        for suffix in ("-wal", "-shm"):  # SQLite gives them the database's mode; older files may predate that
            extra = path.with_name(path.name + suffix)
            if extra.exists():
                os.chmod(extra, 0o600)
    except OSError as exc:
        from core.errors import storage_error

        raise storage_error(exc, path) from exc
    return db


def _connect(path: Path) -> sqlite3.Connection:
    db = sqlite3.connect(str(path), timeout=10, isolation_level=None, check_same_thread=False)
    db.row_factory = sqlite3.Row
    db.execute("PRAGMA busy_timeout=10000")
    return db


def _create_private(path: Path) -> None:
    """A new history is built under another name and linked into place whole, so `history.sqlite3` is never
    seen empty (an empty one is damage: a file truncated to 0 bytes must not pass for "no runs yet")."""
    if path.exists():
        if os.stat(path).st_mode & 0o077:
            os.chmod(path, 0o600)
        return
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.new")
    fd = os.open(tmp, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    os.close(fd)
    os.chmod(tmp, 0o600)
    try:
        db = sqlite3.connect(str(tmp), isolation_level=None)
        try:
            db.execute(f"PRAGMA application_id={APPLICATION_ID}")  # writes the header: a whole, valid file
        finally:
            db.close()
        try:
            os.link(tmp, path)  # atomic, and never replaces a history another process made meanwhile
        except FileExistsError:
            pass
    finally:
        tmp.unlink(missing_ok=True)


def _damaged(db: sqlite3.Connection) -> str | None:
    """Why the open file is not a usable history ("not a database", "malformed", empty), or None."""
    try:
        if db.execute("PRAGMA page_count").fetchone()[0] == 0:
            return "it is empty (0 bytes)"
        rows = db.execute("PRAGMA quick_check(1)").fetchall()
    except sqlite3.OperationalError:
        raise  # locked or unreadable: not damage, and never a reason to set a history aside
    except sqlite3.DatabaseError as exc:  # SQLITE_NOTADB, SQLITE_CORRUPT
        return str(exc)
    if rows and rows[0][0] != "ok":
        return f"database disk image is malformed ({rows[0][0]})"
    return None


_NOTICES: list[str] = []
_NOTICES_LOCK = threading.Lock()


def _set_aside(path: Path) -> None:
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    target = path.with_name(f"{path.name}.damaged-{stamp}")
    n = 1
    while target.exists():  # twice in one second: never overwrite an earlier damaged file
        n += 1
        target = path.with_name(f"{path.name}.damaged-{stamp}-{n}")
    try:
        os.rename(path, target)
    except FileNotFoundError:
        return  # another process set it aside a moment ago (and told its operator)
    for suffix in ("-wal", "-shm"):
        extra = path.with_name(path.name + suffix)
        if extra.exists():
            os.replace(extra, target.with_name(target.name + suffix))
    log.warning("run history %s was damaged; set aside as %s", path, target.name)
    with _NOTICES_LOCK:
        _NOTICES.append(
            f"The run history {path} was damaged, so T4 Panel set it aside as {target.name} (nothing was "
            "deleted) and started a new, empty history. Runs already going carry on; past runs are not "
            "shown any more. Keep the damaged file if you need its records.")


def take_notices() -> list[str]:
    """Sentences for the operator about history files set aside since the last call (each told once)."""
    with _NOTICES_LOCK:
        out = list(_NOTICES)
        _NOTICES.clear()
    return out


def history_error(exc: sqlite3.Error, path: Path) -> T4Error:
    """A SQLite error on the history, as a sentence: what happened, what is kept, what to do."""
    from core.errors import StorageError

    text = str(exc).lower()
    if "locked" in text or "busy" in text:
        return StorageError(f"The run history ({path}) is held by another program for more than 10 seconds "
                            "(another T4 Panel, a backup or a database tool). Nothing was changed. Close that "
                            "program, or wait a moment, and try again.", title="History busy")
    if "full" in text:
        return StorageError(f"The disk is full: T4 Panel could not write the run history ({path}). What was "
                            "saved before is kept. Free some space on that disk and try again.", title="Disk full")
    if "readonly" in text or "read-only" in text or "unable to open" in text:
        return StorageError(f"T4 Panel may not write the run history ({path}): the file or its folder is "
                            "read-only. Nothing was changed. Make it writable, or set T4PANEL_HOME to a folder "
                            "you own.", title="History is read-only")
    return StorageError(f"The run history ({path}) could not be used ({exc}). Nothing was changed. Start T4 "
                        "Panel again; if this repeats, move the file away and T4 Panel starts a new one.",
                        title="History unavailable")


def use_wal(db: sqlite3.Connection) -> None:
    """Switch the file to WAL once (it stays so). Switching needs a moment alone with the file, which the
    busy handler does not wait for, so another process opening it at the same time is waited out here."""
    import time

    for attempt in range(50):
        try:
            if db.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
                db.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or attempt == 49:
                raise
            time.sleep(0.1)
