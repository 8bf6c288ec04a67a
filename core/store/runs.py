"""Run history in SQLite: the only record of what ran, when, how it ended and what it cost."""

from __future__ import annotations

import json
import sqlite3
import threading
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field, fields, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from core.errors import Message, T4Error, msg

# The history file itself (creation, modes, damage, busy) lives apart; these names are the store's doors to it.
from core.store.history_file import history_error as history_error
from core.store.history_file import open_history_db as open_history_db
from core.store.history_file import take_notices as take_notices

# RunState is also re-exported from here; the light enum lives apart so the GUI can import it cheaply.
from core.store.states import TERMINAL_STATES
from core.store.states import RunState as RunState

# 1: the first schema. 2: runs.error_msg, the error's message id and parameters (JSON) beside its English
# text in runs.error; rows written by version 1 keep error_msg NULL and show their text as it is.
SCHEMA_VERSION = 2
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
    error: str | None = None  # English; `RunStore.update(run, error=a_message)` also fills error_msg
    cost_usd: float | None = None
    log_path: str = ""
    detail: dict[str, Any] = field(default_factory=dict)  # machine spec used, rows written, ...
    error_msg: Message | None = None  # the error's id and parameters (None for plain text and old rows)

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
            "error_id": self.error_msg.id if self.error_msg else None,
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
    detail TEXT NOT NULL DEFAULT '{}',
    error_msg TEXT
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
                raise T4Error(
                    msg("history.newer", "The run history was written by a newer T4 Panel. Update the app to open it."),
                    title=msg("history.newer.title", "History is from a newer version"),
                )
            if version < 1:
                self._db.executescript(_SCHEMA)
                self._db.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
            elif version < 2:
                with self.transaction():  # the column and the version together, or neither
                    # read again under the write lock: another process may have just done it
                    if self._db.execute("PRAGMA user_version").fetchone()[0] < 2:
                        self._db.execute("ALTER TABLE runs ADD COLUMN error_msg TEXT")
                        self._db.execute("PRAGMA user_version=2")

    def close(self) -> None:
        with self._lock:
            self._db.close()

    # -- writing

    def transaction(self) -> _Transaction:
        """`with store.transaction():` BEGIN IMMEDIATE ... COMMIT: a write lock across processes."""
        return _Transaction(self)

    def insert(self, run: Run) -> None:
        row = self._to_row(_with_message(run))
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
        if "error" in changes and not isinstance(changes["error"], Message):
            changes["error_msg"] = None  # plain text (or None) replaces the message and its id
        new = _with_message(replace(run, **changes))
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

    def scheduled_since(self, start: datetime, profile: str = DEFAULT_PROFILE) -> list[Run]:
        """Runs of scheduled occurrences fired at or after `start`, oldest first."""
        with self._lock:
            rows = self._db.execute("SELECT * FROM runs WHERE profile=? AND occurrence >= ? ORDER BY occurrence",
                                    (profile, iso(start))).fetchall()
        return [self._from_row(r) for r in rows]

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
            elif c == "error_msg":
                v = v.dumps() if v is not None else None
            row[c] = v
        return row

    @staticmethod
    def _from_row(row: sqlite3.Row) -> Run:
        d = dict(row)
        for c in ("created", "occurrence", "started", "ended"):
            d[c] = parse_iso(d[c])
        d["state"] = RunState(d["state"])
        d["detail"] = json.loads(d["detail"] or "{}")
        d["error_msg"] = Message.loads(d.get("error_msg"))
        return Run(**d)


def _with_message(run: Run) -> Run:
    """A run whose error was given as a Message: its English text in `error`, the message in `error_msg`."""
    error: Any = run.error
    if isinstance(error, Message):
        return replace(run, error=error.text, error_msg=error)
    return run


class _Transaction:
    def __init__(self, store: RunStore) -> None:
        self.store = store

    def __enter__(self) -> RunStore:
        self.store._lock.acquire()
        try:
            self.store._db.execute("BEGIN IMMEDIATE")
        except BaseException:  # e.g. "database is locked": __exit__ will not run, so let go of the lock here
            self.store._lock.release()
            raise
        return self.store

    def __exit__(self, exc_type: Any, *_: Any) -> None:
        try:
            self.store._db.execute("ROLLBACK" if exc_type else "COMMIT")
        finally:
            self.store._lock.release()
