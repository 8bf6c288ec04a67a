"""How often the job logs: the longest silence of its earlier successful runs, read from their job.log files.

A job that logs every minute and has written nothing for twenty is probably stuck; a job that prints one
line at the end is not. core.app.stall asks `usual_silence` whether the job is one that logs, and
`last_line` when the running run last wrote (job.log lines start "<ISO time>\\t<O|E>\\t").
"""

from __future__ import annotations

import os
from datetime import datetime, timedelta
from itertools import pairwise

from core.store.runs import Run, RunState, RunStore

#: The earlier successful runs looked at, newest first ...
SAMPLE = 5
#: ... of which at least this many must have a log for the job to count as one that logs.
MIN_RUNS = 3
#: The end of a running run's log that is read for its last line (a line is far shorter).
TAIL_BYTES = 64 * 1024


def _time_of(line: str) -> datetime | None:
    head = line.split("\t", 1)[0]
    if "\t" not in line or not head:
        return None
    try:
        when = datetime.fromisoformat(head.replace("Z", "+00:00"))
    except ValueError:
        return None
    return when if when.tzinfo is not None else None


def _times(path: str, tail: bool = False) -> list[datetime]:
    try:
        with open(path, "rb") as fh:
            if tail:
                size = fh.seek(0, os.SEEK_END)
                fh.seek(max(0, size - TAIL_BYTES))
            data = fh.read()
    except OSError:
        return []
    lines = data.decode("utf-8", errors="replace").splitlines()
    if tail and len(data) >= TAIL_BYTES:
        lines = lines[1:]  # the first one may be cut
    return [t for t in (_time_of(line) for line in lines) if t is not None]


def longest_silence(run: Run) -> timedelta | None:
    """The longest stretch without a line from start to end of a finished run (None: no log, or no lines)."""
    if run.started is None or run.ended is None or not run.log_path:
        return None
    times = sorted(t for t in _times(run.log_path) if run.started <= t <= run.ended)
    if not times:
        return None
    marks = [run.started, *times, run.ended]
    return max(b - a for a, b in pairwise(marks))


def sample(store: RunStore, backend: str, limit: int = 200) -> list[Run]:
    """The last SAMPLE successful runs of `backend` (the ones `usual_silence` reads)."""
    done = [r for r in store.recent(limit) if r.state is RunState.SUCCEEDED and r.backend == backend
            and r.started and r.ended]
    return done[:SAMPLE]


def usual_silence(runs: list[Run]) -> timedelta | None:
    """The longest silence among `runs`, or None when fewer than MIN_RUNS of them logged anything at all:
    then the job is not one that logs, and silence says nothing."""
    gaps = [g for g in (longest_silence(r) for r in runs) if g is not None]
    if len(gaps) < MIN_RUNS or len(gaps) < len(runs):
        return None  # a run that stayed silent from start to end: this job does not reliably log
    return max(gaps)


def last_line(run: Run) -> datetime | None:
    """When the running run's log last got a line (None: nothing yet)."""
    times = _times(run.log_path, tail=True) if run.log_path else []
    return max(times) if times else None


def silent_for(run: Run, now: datetime) -> timedelta:
    """How long the running run has written nothing: since its last line, or since it started."""
    marks = [t for t in (last_line(run), run.started) if t is not None]
    return max(timedelta(0), now - max(marks)) if marks else timedelta(0)
