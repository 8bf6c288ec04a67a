"""A Vertex AI job's log from Cloud Logging: each line once, in order, within the read quota.

Cloud Logging's `entries.list` quota (about 60 reads a minute) is shared by everyone reading the
project, so the app reads through one `ReadLimiter` (one read per 5 s at most, backing off after
RESOURCE_EXHAUSTED). A cursor of the last timestamp plus the insertIds seen at that timestamp drops
duplicates; reads stop a few seconds short of "now" because entries arrive late.
"""

from __future__ import annotations

import json
import logging
import os
import random
import threading
import time
from collections import OrderedDict, deque
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from core.store.states import LogLine

log = logging.getLogger(__name__)

PAGE_SIZE = 1000
DEFAULT_MIN_INTERVAL = 5.0
DEFAULT_LAG_SECONDS = 5.0
DRAIN_MAX_READS = 30  # pages of 1000: enough for a run whose log was not read while the app was closed
DRAIN_BUDGET_READS = 36  # ... within about three minutes at one read per 5 s
DRAIN_MAX_FAILURES = 5  # failed reads in a row before the drain gives up
RECENT_IDS = 20_000  # insertIds remembered to drop repeats that arrive out of order (a live tail's)


class ReadLimiter:
    """At most one read per `min_interval` seconds for the whole app, longer after RESOURCE_EXHAUSTED.

    Thread-safe. `reads` keeps recent read times (monotonic) for benchmarks and tests.
    """

    def __init__(self, min_interval: float = DEFAULT_MIN_INTERVAL, max_backoff: float = 300.0) -> None:
        self.min_interval = min_interval
        self.max_backoff = max_backoff
        self.reads: deque[float] = deque(maxlen=10_000)
        self._lock = threading.Lock()
        self._next_allowed = 0.0
        self._strikes = 0

    def try_acquire(self) -> bool:
        """Take the next read slot if it is free now; never waits."""
        with self._lock:
            now = time.monotonic()
            if now < self._next_allowed:
                return False
            self._next_allowed = now + self.min_interval
            self.reads.append(now)
            return True

    def acquire(self, timeout: float) -> bool:
        """Wait up to `timeout` seconds for a read slot."""
        deadline = time.monotonic() + timeout
        while True:
            if self.try_acquire():
                return True
            with self._lock:
                wait = self._next_allowed - time.monotonic()
            if time.monotonic() + max(wait, 0) > deadline:
                return False
            time.sleep(max(wait, 0.001))

    def throttled(self) -> None:
        """The server said RESOURCE_EXHAUSTED: wait 2, 4, 8... read intervals (with jitter) before the next."""
        with self._lock:
            self._strikes += 1
            pause = min(self.max_backoff, self.min_interval * 2 ** self._strikes)
            self._next_allowed = time.monotonic() + pause * random.uniform(0.8, 1.2)

    def succeeded(self) -> None:
        with self._lock:
            self._strikes = 0


_shared = ReadLimiter()


def shared_limiter() -> ReadLimiter:
    """The app's one limiter (tests pass their own faster one instead)."""
    return _shared


@dataclass
class LogGate:
    """What the reader knows of its job, kept up to date by the backend's polls.

    Nothing is logged before the job leaves PENDING, so there is nothing to read until `started`.
    `pace` gives the seconds between reads the backend wants now (it reads the job's state). `soon` says
    the job is PENDING or running: a live tail opened now shows its first lines as they are written,
    where the poller would wait until the next state read tells it the job started.
    """

    started: datetime | None = None
    soon: bool = False
    created: datetime | None = None
    ended: datetime | None = None
    pace: Callable[[], float] = field(default=lambda: DEFAULT_MIN_INTERVAL)


def severity_name(value: int) -> str:
    """LogSeverity number -> DEBUG / INFO / WARNING / ERROR (DEFAULT and NOTICE read as INFO)."""
    if 0 < value <= 100:
        return "DEBUG"
    if value >= 500:
        return "ERROR"
    if value >= 400:
        return "WARNING"
    return "INFO"


def rfc3339(seconds: int, nanos: int) -> str:
    stamp = datetime.fromtimestamp(seconds, UTC).strftime("%Y-%m-%dT%H:%M:%S")
    return f"{stamp}.{nanos:09d}Z"


class CloudLogReader:
    """The log of one Vertex AI job (`resource.labels.job_id`), read in timestamp order.

    Args:
        client_factory: returns a LoggingServiceV2Client (created on first use, off the UI thread).
        project: the project (id or number) whose logs hold the job's entries.
        job_id: the numeric job id, the last part of the CustomJob name.
        gate: the job's start/end as the backend last saw them.
        limiter: the app-wide read limiter.
        lag_seconds: how far behind "now" reads stop, so late entries are not skipped.
        rpc_timeout: seconds one read may take.
        cursor_path: where the cursor is kept, so a reader opened after a restart goes on where the
            last one stopped instead of showing the log again from the start.
    """

    def __init__(self, client_factory: Callable[[], Any], project: str, job_id: str, gate: LogGate,
                 limiter: ReadLimiter | None = None, lag_seconds: float = DEFAULT_LAG_SECONDS,
                 rpc_timeout: float = 20.0, cursor_path: Path | None = None) -> None:
        self._client_factory = client_factory
        self.project = project
        self.job_id = job_id
        self.gate = gate
        self.limiter = limiter or shared_limiter()
        self.lag_seconds = lag_seconds
        self.rpc_timeout = rpc_timeout
        self.calls = 0
        self._cursor: tuple[int, int] | None = None  # (seconds, nanos) of the last entry handed out
        self._ids_at_cursor: set[str] = set()
        self._recent: OrderedDict[str, None] = OrderedDict()  # insertIds handed out lately, in any order
        # One read at a time and one writer of the cursor: a live tail (log_tail.py) reads on its own thread.
        self._read_lock = threading.RLock()
        self.cursor_path = cursor_path
        self._load_cursor()
        self._page: tuple[str, str] | None = None  # (filter, page token) of an unfinished result
        self._last_read = float("-inf")
        self._warned = False
        self._throttled = False  # the last read met RESOURCE_EXHAUSTED
        self.problem: str | None = None  # a sentence for the operator when the log cannot be read at all

    # ------------------------------------------------------------ the protocol

    def read_new(self) -> list[LogLine]:
        """New lines, or [] when it is not time to read yet. Never raises."""
        if self.gate.started is None:
            return []
        if time.monotonic() - self._last_read < self.gate.pace() * 0.8:
            return []
        if not self.limiter.try_acquire():
            return []
        with self._read_lock:
            lines = self._read_once(upper_lag=self.lag_seconds)[0]
            if lines:
                # Saved as the lines are handed over: after a crash a line may be missing from the file
                # only if the crash fell between this return and the controller's write.
                self._save_cursor()
        return lines

    def drain(self) -> list[LogLine]:
        """After the job ended: wait out the lag, then read until a read brings nothing new."""
        if self.gate.started is None:  # it never left PENDING, so nothing was logged
            return []
        end = self.gate.ended or datetime.now(UTC)
        wait = (end - datetime.now(UTC)).total_seconds() + self.lag_seconds
        if wait > 0:
            time.sleep(min(wait, self.lag_seconds))
        lines: list[LogLine] = []
        # The run's "finished" notice waits for this: a bounded time once a read got through, and no
        # hammering a failing API. Before the first good read, backoffs are waited out: the last lines
        # often say why a job failed.
        soft = time.monotonic() + DRAIN_BUDGET_READS * self.limiter.min_interval + self.lag_seconds
        hard = time.monotonic() + self.limiter.max_backoff
        failures = successes = 0
        for _ in range(DRAIN_MAX_READS):
            until = soft if successes else hard
            if not self.limiter.acquire(timeout=max(0.0, until - time.monotonic())):
                break
            with self._read_lock:
                new, more, ok = self._read_once(upper_lag=0.0)
                if new:
                    self._save_cursor()
            lines.extend(new)
            if ok:
                successes, failures = successes + 1, 0
            elif not self._throttled:  # RESOURCE_EXHAUSTED clears by itself; the limiter spaces the tries
                failures += 1
            if (ok and not new and not more) or failures >= DRAIN_MAX_FAILURES or self.problem is not None:
                break
        return lines

    # ------------------------------------------------------------ reading

    def _filter(self, upper_lag: float) -> str:
        parts = ['resource.type="ml_job"', f'resource.labels.job_id="{self.job_id}"']
        if self._cursor is not None:
            parts.append(f'timestamp>="{rfc3339(*self._cursor)}"')
        else:
            # Entries never come before the job was created; an explicit bound also keeps other
            # clients from adding their own default window.
            since = self.gate.started or self.gate.created
            since = (since - timedelta(minutes=5)) if since else datetime.now(UTC) - timedelta(days=30)
            parts.append(f'timestamp>="{rfc3339(int(since.timestamp()), 0)}"')
        if upper_lag > 0:
            until = datetime.now(UTC) - timedelta(seconds=upper_lag)
            parts.append(f'timestamp<="{rfc3339(int(until.timestamp()), until.microsecond * 1000)}"')
        return " AND ".join(parts)

    def _read_once(self, upper_lag: float) -> tuple[list[LogLine], bool, bool]:
        """One API call (the caller holds `_read_lock`). Returns (new lines, more pages waiting, call succeeded)."""
        entries, more, ok, notes = self._fetch(upper_lag)
        return notes + self._accept(entries), more, ok

    def _fetch(self, upper_lag: float) -> tuple[list[Any], bool, bool, list[LogLine]]:
        """One API call: (entries as listed, more pages waiting, call succeeded, a line saying why it failed)."""
        from google.api_core import exceptions as gexc

        from core.google.libraries import importing

        with importing():
            from google.cloud.logging_v2.types import (
                ListLogEntriesRequest,
                ListLogEntriesResponse,
            )

        self._last_read = time.monotonic()
        self._throttled = False
        filt, token = self._page if self._page else (self._filter(upper_lag), "")
        request = ListLogEntriesRequest(resource_names=[f"projects/{self.project}"], filter=filt,
                                        order_by="timestamp asc", page_size=PAGE_SIZE, page_token=token)
        self.calls += 1
        try:
            client = self._client_factory()
            # retry=None: the default retry waits up to 60 s inside the call; our own pacing retries.
            pager = client.list_log_entries(request=request, retry=None, timeout=self.rpc_timeout)
            response = next(iter(pager.pages))
        except gexc.ResourceExhausted:
            log.info("Cloud Logging read quota exhausted; backing off")
            self.limiter.throttled()
            self._throttled = True
            return [], bool(self._page), False, []
        except Exception as exc:  # noqa: BLE001 - network, auth: the view just shows nothing new this time
            if not self._warned:
                log.warning("could not read the job log from Cloud Logging: %s", type(exc).__name__)
                self._warned = True
            return [], bool(self._page), False, self._explain(exc)
        self.limiter.succeeded()
        raw = ListLogEntriesResponse.pb(response)
        self._page = (filt, raw.next_page_token) if raw.next_page_token else None
        return list(raw.entries), self._page is not None, True, []

    def _explain(self, exc: BaseException) -> list[LogLine]:
        """Once, a line in the log view saying why it stays empty, when retrying will not help."""
        from google.api_core import exceptions as gexc

        if self.problem is not None:
            return []
        if isinstance(exc, (gexc.PermissionDenied, gexc.Forbidden)):
            self.problem = (f"T4 Panel cannot read this job's log: the signed-in account needs the Logs Viewer "
                            f"role (roles/logging.viewer) in project {self.project}. The job itself is not affected.")
        elif isinstance(exc, (gexc.Unauthenticated, gexc.Unauthorized)):
            self.problem = ("T4 Panel cannot read this job's log: Google did not accept the sign-in. Sign in again; "
                            "the job itself is not affected.")
        else:
            return []
        return [LogLine(time=datetime.now(UTC), text=self.problem, severity="WARNING", stream="stderr")]

    def _load_cursor(self) -> None:
        if self.cursor_path is None:
            return
        try:
            data = json.loads(self.cursor_path.read_text(encoding="utf-8"))
            self._cursor = (int(data["seconds"]), int(data["nanos"]))
            self._ids_at_cursor = set(map(str, data["ids"]))
        except FileNotFoundError:
            pass
        except (OSError, ValueError, KeyError, TypeError) as exc:
            log.warning("ignoring unreadable log cursor %s: %s", self.cursor_path, exc)

    def _save_cursor(self) -> None:
        if self.cursor_path is None or self._cursor is None:
            return
        data = {"seconds": self._cursor[0], "nanos": self._cursor[1], "ids": sorted(self._ids_at_cursor)}
        try:
            self.cursor_path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            tmp = self.cursor_path.with_suffix(".tmp")
            tmp.write_text(json.dumps(data), encoding="utf-8")
            os.replace(tmp, self.cursor_path)
        except OSError as exc:
            log.warning("could not save the log cursor %s: %s", self.cursor_path, exc)

    def _accept(self, entries: Any, late_ok: bool = False) -> list[LogLine]:
        """Lines of the entries not handed out before, moving the cursor (the caller holds `_read_lock`).

        Reads by cursor never see an entry older than the cursor. A live tail may bring one after later
        entries (it arrived later than the server's buffer window): with `late_ok` it is shown, late,
        rather than lost; the insertIds remembered in `_recent` keep it from being shown twice.
        """
        lines: list[LogLine] = []
        for entry in entries:
            key = (entry.timestamp.seconds, entry.timestamp.nanos)
            insert_id = entry.insert_id or f"{key}:{entry.text_payload}"
            if insert_id in self._recent:
                continue
            if self._cursor is not None and (
                    (key < self._cursor and not late_ok) or (key == self._cursor and insert_id in self._ids_at_cursor)):
                continue
            if self._cursor is None or key > self._cursor:
                self._cursor, self._ids_at_cursor = key, set()
            if key == self._cursor:
                self._ids_at_cursor.add(insert_id)
            self._recent[insert_id] = None
            if len(self._recent) > RECENT_IDS:
                self._recent.popitem(last=False)
            lines.extend(_lines_of(entry))
        return lines


def _lines_of(entry: Any) -> list[LogLine]:
    when = datetime.fromtimestamp(entry.timestamp.seconds, UTC).replace(
        microsecond=entry.timestamp.nanos // 1000)
    kind = entry.WhichOneof("payload")
    if kind == "json_payload":
        from google.protobuf import json_format

        data = json_format.MessageToDict(entry.json_payload)
        text = str(data.get("message", json.dumps(data, sort_keys=True)))
    elif kind == "text_payload":
        text = entry.text_payload
    else:
        text = ""
    severity = severity_name(int(entry.severity))
    stream = "stderr" if entry.log_name.endswith("stderr") or severity == "ERROR" else "stdout"
    return [LogLine(time=when, text=part, severity=severity, stream=stream)
            for part in text.rstrip("\n").split("\n")]
