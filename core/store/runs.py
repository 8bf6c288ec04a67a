"""Run history in SQLite: the only record of what ran, when, how it ended and what it cost."""

from __future__ import annotations

import json
import logging
import os
import sqlite3
import threading
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field, fields, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

# RunState is also re-exported from here; the light enum lives apart so the GUI can import it cheaply.
from core.store.states import TERMINAL_STATES
from core.store.states import RunState as RunState

if TYPE_CHECKING:
    from core.errors import T4Error

log = logging.getLogger(__name__)

SCHEMA_VERSION = 1
DEFAULT_PROFILE = "default"


def utcnow() -> datetime:
    return datetime.now(UTC)


def new_run_id() -> str:
    """A run id that is also a valid Vertex label value (lowercase hex, 20 chars)."""
    return "r" + uuid.uuid4().hex[:19]


def iso(dt: datetime | None) -> str | None:
    """ISO 8601 in UTC with a Z, or None."""
    if dt is None:
        return None
    return dt.astimezone(UTC).isoformat().replace("+00:00", "Z")


def parse_iso(text: str | None) -> datetime | None:
    if not text:
        return None
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


@dataclass
class Run:
    """One row of history. Times are aware UTC datetimes."""

    id: str
    backend: str
    state: RunState
    created: datetime
    profile: str = DEFAULT_PROFILE
    occurrence: datetime | None = None  # the scheduled fire time (UTC); None for Run Now
    trigger: str = "manual"  # manual | schedule | catch-up
    job_name: str = ""  # the backend's handle: Vertex resource name, or the local run folder
    display_name: str = ""
    started: datetime | None = None
    ended: datetime | None = None
    exit_code: int | None = None
    error: str | None = None
    cost_usd: float | None = None
    log_path: str = ""
    detail: dict[str, Any] = field(default_factory=dict)  # machine spec used, rows written, ...

    def to_json(self) -> dict[str, Any]:
        """The `status --json` shape of the design contract."""
        return {
            "id": self.id,
            "occurrence": iso(self.occurrence),
            "trigger": self.trigger,
            "backend": self.backend,
            "job_name": self.job_name,
            "display_name": self.display_name,
            "state": self.state.value,
            "created": iso(self.created),
            "started": iso(self.started),
            "ended": iso(self.ended),
            "exit_code": self.exit_code,
            "cost_usd": self.cost_usd,
            "error": self.error,
            "log_path": self.log_path,
            "detail": self.detail,
        }


_COLUMNS = [f.name for f in fields(Run)]
_SCHEMA = """
CREATE TABLE IF NOT EXISTS runs (
    id TEXT PRIMARY KEY,
    profile TEXT NOT NULL,
    backend TEXT NOT NULL,
    state TEXT NOT NULL,
    created TEXT NOT NULL,
    occurrence TEXT,
    trigger TEXT NOT NULL,
    job_name TEXT NOT NULL DEFAULT '',
    display_name TEXT NOT NULL DEFAULT '',
    started TEXT,
    ended TEXT,
    exit_code INTEGER,
    error TEXT,
    cost_usd REAL,
    log_path TEXT NOT NULL DEFAULT '',
    detail TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX IF NOT EXISTS runs_created ON runs(created);
-- One launch per scheduled occurrence per profile, enforced by the database itself.
CREATE UNIQUE INDEX IF NOT EXISTS runs_occurrence ON runs(profile, occurrence) WHERE occurrence IS NOT NULL;
CREATE TABLE IF NOT EXISTS state_changes (
    run_id TEXT NOT NULL REFERENCES runs(id),
    state TEXT NOT NULL,
    at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS state_changes_run ON state_changes(run_id);
"""


class RunStore:
    """Run history. Thread-safe; several processes may open the same file (WAL)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.RLock()
        self._db = open_history_db(path)
        self._migrate()

    def _migrate(self) -> None:
        with self._lock:
            version = self._db.execute("PRAGMA user_version").fetchone()[0]
            if version > SCHEMA_VERSION:
                from core.errors import T4Error

                raise T4Error(
                    "The run history was written by a newer T4 Panel. Update the app to open it.",
                    title="History is from a newer version",
                )
            if version < 1:
                self._db.executescript(_SCHEMA)
                self._db.execute(f"PRAGMA user_version={SCHEMA_VERSION}")

    def close(self) -> None:
        with self._lock:
            self._db.close()

    # -- writing

    def transaction(self) -> _Transaction:
        """`with store.transaction():` BEGIN IMMEDIATE ... COMMIT: a write lock across processes."""
        return _Transaction(self)

    def insert(self, run: Run) -> None:
        row = self._to_row(run)
        with self._lock:
            self._db.execute(
                f"INSERT INTO runs ({','.join(_COLUMNS)}) VALUES ({','.join('?' * len(_COLUMNS))})",
                [row[c] for c in _COLUMNS],
            )
            self._db.execute(
                "INSERT INTO state_changes VALUES (?,?,?)", (run.id, run.state.value, iso(run.created))
            )

    def update(self, run: Run, **changes: Any) -> Run:
        """Write `changes` to the row; a state change is also recorded with its time. Returns the new Run."""
        new = replace(run, **changes)
        row = self._to_row(new)
        cols = [c for c in _COLUMNS if c != "id"]
        with self._lock:
            old_state = self._db.execute("SELECT state FROM runs WHERE id=?", (run.id,)).fetchone()
            self._db.execute(
                f"UPDATE runs SET {','.join(c + '=?' for c in cols)} WHERE id=?",
                [row[c] for c in cols] + [run.id],
            )
            if old_state is None or old_state[0] != new.state.value:
                self._db.execute(
                    "INSERT INTO state_changes VALUES (?,?,?)", (run.id, new.state.value, iso(utcnow()))
                )
        return new

    # -- reading

    def get(self, run_id: str) -> Run | None:
        with self._lock:
            row = self._db.execute("SELECT * FROM runs WHERE id=?", (run_id,)).fetchone()
        return self._from_row(row) if row else None

    def find_prefix(self, prefix: str) -> list[Run]:
        """Runs whose id starts with `prefix`, character for character (no LIKE: "%" and "_" are not wild)."""
        with self._lock:
            rows = self._db.execute("SELECT * FROM runs WHERE substr(id, 1, ?) = ? ORDER BY created DESC",
                                    (len(prefix), prefix)).fetchall()
        return [self._from_row(r) for r in rows]

    def recent(self, limit: int = 50) -> list[Run]:
        with self._lock:
            rows = self._db.execute("SELECT * FROM runs ORDER BY created DESC LIMIT ?", (limit,)).fetchall()
        return [self._from_row(r) for r in rows]

    def active(self, profile: str | None = None) -> list[Run]:
        """Runs not in a terminal state (optionally of one profile)."""
        terminal = [s.value for s in TERMINAL_STATES]
        sql = f"SELECT * FROM runs WHERE state NOT IN ({','.join('?' * len(terminal))})"
        params: list[Any] = list(terminal)
        if profile is not None:
            sql += " AND profile=?"
            params.append(profile)
        with self._lock:
            rows = self._db.execute(sql + " ORDER BY created", params).fetchall()
        return [self._from_row(r) for r in rows]

    def by_occurrence(self, occurrence: datetime, profile: str = DEFAULT_PROFILE) -> Run | None:
        with self._lock:
            row = self._db.execute(
                "SELECT * FROM runs WHERE profile=? AND occurrence=?", (profile, iso(occurrence))
            ).fetchone()
        return self._from_row(row) if row else None

    def between(self, start: datetime, end: datetime) -> list[Run]:
        """Runs created in [start, end)."""
        with self._lock:
            rows = self._db.execute(
                "SELECT * FROM runs WHERE created >= ? AND created < ? ORDER BY created", (iso(start), iso(end))
            ).fetchall()
        return [self._from_row(r) for r in rows]

    def state_changes(self, run_id: str) -> list[tuple[RunState, datetime]]:
        with self._lock:
            rows = self._db.execute(
                "SELECT state, at FROM state_changes WHERE run_id=? ORDER BY rowid", (run_id,)
            ).fetchall()
        return [(RunState(r[0]), parse_iso(r[1])) for r in rows]  # type: ignore[misc]  # `at` is always written

    def __iter__(self) -> Iterator[Run]:
        return iter(self.recent(limit=1_000_000))

    # -- mapping

    @staticmethod
    def _to_row(run: Run) -> dict[str, Any]:
        row: dict[str, Any] = {}
        for c in _COLUMNS:
            v = getattr(run, c)
            if isinstance(v, datetime):
                v = iso(v)
            elif isinstance(v, RunState):
                v = v.value
            elif c == "detail":
                v = json.dumps(v, sort_keys=True)
            row[c] = v
        return row

    @staticmethod
    def _from_row(row: sqlite3.Row) -> Run:
        d = dict(row)
        for c in ("created", "occurrence", "started", "ended"):
            d[c] = parse_iso(d[c])
        d["state"] = RunState(d["state"])
        d["detail"] = json.loads(d["detail"] or "{}")
        return Run(**d)


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
            db.executescript(_SCHEMA)  # the history's own tables, so the file is whole when it appears
            db.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
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
    stamp = utcnow().strftime("%Y%m%dT%H%M%SZ")
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


class _Transaction:
    def __init__(self, store: RunStore) -> None:
        self.store = store

    def __enter__(self) -> RunStore:
        self.store._lock.acquire()
        self.store._db.execute("BEGIN IMMEDIATE")
        return self.store

    def __exit__(self, exc_type: Any, *_: Any) -> None:
        try:
            self.store._db.execute("ROLLBACK" if exc_type else "COMMIT")
        finally:
            self.store._lock.release()
