"""The record of every scheduled occurrence and how it ended, in the history database.

Tables (all ours; PRAGMA user_version belongs to core/store/runs.py, so our version lives in `schema_meta`):
- `occurrences`: one row per (profile, occurrence id), written once: the primary key is what makes
  "exactly one outcome" hold even across processes.
- `occurrences_plan`: per profile, the watermark (every fire time up to it is accounted for) and the
  signature of the schedule that was planned, so a restart knows where to resume.
"""

from __future__ import annotations

import enum
import sqlite3
import threading
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from core.store.runs import DEFAULT_PROFILE, iso, open_history_db, parse_iso, utcnow

SCHEMA_KEY = "occurrences"
SCHEMA_VERSION = 1

_SCHEMA = """
CREATE TABLE IF NOT EXISTS schema_meta (key TEXT PRIMARY KEY, version INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS occurrences (
    profile TEXT NOT NULL,
    id TEXT NOT NULL,
    fire_time TEXT NOT NULL,
    outcome TEXT NOT NULL,
    reason TEXT NOT NULL DEFAULT '',
    run_id TEXT,
    recorded TEXT NOT NULL,
    PRIMARY KEY (profile, id)
);
CREATE INDEX IF NOT EXISTS occurrences_fire_time ON occurrences(profile, fire_time);
CREATE TABLE IF NOT EXISTS occurrences_plan (
    profile TEXT PRIMARY KEY,
    watermark TEXT NOT NULL,
    signature TEXT NOT NULL,
    updated TEXT NOT NULL
);
"""


class Outcome(str, enum.Enum):
    """How an occurrence ended. Each occurrence gets exactly one."""

    LAUNCHED = "launched"  # fired on time and the run started
    CAUGHT_UP = "caught_up"  # fired late (start-up, wake) inside the catch-up window
    SKIPPED = "skipped"  # a run was still going
    MISSED = "missed"  # outside the catch-up window, or superseded by a later one
    BLOCKED = "blocked"  # budget or settings refused it
    FAILED_TO_LAUNCH = "failed_to_launch"  # the backend could not start it


@dataclass(frozen=True)
class OccurrenceRecord:
    """One accounted occurrence. Times are aware UTC."""

    id: str
    fire_time: datetime
    outcome: Outcome
    reason: str
    recorded: datetime
    run_id: str | None = None
    profile: str = DEFAULT_PROFILE


@dataclass(frozen=True)
class Plan:
    """Where the schedule resumes: every fire time <= watermark is accounted for."""

    watermark: datetime
    signature: str


class OccurrenceStore:
    """Occurrence outcomes and the schedule's watermark. Thread-safe; opens its own connection (WAL)."""

    def __init__(self, path: Path, profile: str = DEFAULT_PROFILE) -> None:
        self.path = path
        self.profile = profile
        self._lock = threading.RLock()
        self._db = open_history_db(path)
        # An outcome lost to a power cut is recovered from the run history (see schedule_launch.reconcile).
        self._db.execute("PRAGMA synchronous=NORMAL")
        with self._lock:
            self._db.executescript(_SCHEMA)
            row = self._db.execute("SELECT version FROM schema_meta WHERE key=?", (SCHEMA_KEY,)).fetchone()
            if row is None:
                self._db.execute("INSERT OR IGNORE INTO schema_meta VALUES (?,?)", (SCHEMA_KEY, SCHEMA_VERSION))
            elif row[0] > SCHEMA_VERSION:
                from core.errors import T4Error, msg

                raise T4Error(msg("schedule_history.newer", "The schedule history was written by a newer T4 Panel. "
                                  "Update the app to open it."),
                              title=msg("history.newer.title", "History is from a newer version"))

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def record(self, occurrence_id: str, fire_time: datetime, outcome: Outcome, reason: str = "",
               run_id: str | None = None, at: datetime | None = None) -> bool:
        """Write the outcome of an occurrence once. Returns False when it already had one (nothing changes)."""
        with self._lock:
            cur = self._db.execute(
                "INSERT OR IGNORE INTO occurrences (profile, id, fire_time, outcome, reason, run_id, recorded) "
                "VALUES (?,?,?,?,?,?,?)",
                (self.profile, occurrence_id, iso(fire_time), outcome.value, reason, run_id, iso(at or utcnow())),
            )
            return cur.rowcount == 1

    def get(self, occurrence_id: str) -> OccurrenceRecord | None:
        with self._lock:
            row = self._db.execute("SELECT * FROM occurrences WHERE profile=? AND id=?",
                                   (self.profile, occurrence_id)).fetchone()
        return _from_row(row) if row else None

    def accounted(self, ids: list[str]) -> set[str]:
        """Which of `ids` already have an outcome."""
        if not ids:
            return set()
        with self._lock:
            rows = self._db.execute(
                f"SELECT id FROM occurrences WHERE profile=? AND id IN ({','.join('?' * len(ids))})",
                [self.profile, *ids],
            ).fetchall()
        return {r[0] for r in rows}

    def recent(self, limit: int = 50) -> list[OccurrenceRecord]:
        """Newest fire time first."""
        with self._lock:
            rows = self._db.execute("SELECT * FROM occurrences WHERE profile=? ORDER BY fire_time DESC LIMIT ?",
                                    (self.profile, limit)).fetchall()
        return [_from_row(r) for r in rows]

    def all(self) -> list[OccurrenceRecord]:
        """Oldest fire time first."""
        return list(reversed(self.recent(limit=10_000_000)))

    def plan(self) -> Plan | None:
        with self._lock:
            row = self._db.execute("SELECT watermark, signature FROM occurrences_plan WHERE profile=?",
                                   (self.profile,)).fetchone()
        if row is None:
            return None
        return Plan(parse_iso(row[0]), row[1])  # type: ignore[arg-type]  # watermark is written with every plan

    def save_plan(self, plan: Plan) -> None:
        with self._lock:
            self._db.execute(
                "INSERT INTO occurrences_plan (profile, watermark, signature, updated) VALUES (?,?,?,?) "
                "ON CONFLICT(profile) DO UPDATE SET watermark=excluded.watermark, "
                "signature=excluded.signature, updated=excluded.updated",
                (self.profile, iso(plan.watermark), plan.signature, iso(utcnow())),
            )


def _from_row(row: sqlite3.Row) -> OccurrenceRecord:
    # fire_time and recorded are always written, so parse_iso never gives None here
    return OccurrenceRecord(
        id=row["id"], fire_time=parse_iso(row["fire_time"]),  # type: ignore[arg-type]
        outcome=Outcome(row["outcome"]), reason=row["reason"],
        recorded=parse_iso(row["recorded"]), run_id=row["run_id"], profile=row["profile"],  # type: ignore[arg-type]
    )
