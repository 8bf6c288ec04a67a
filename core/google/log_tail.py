"""A running job's log in seconds: Cloud Logging's live tail (`TailLogEntries`), with `entries.list` around it.

While the job runs, one gRPC stream per reader brings entries as Cloud Logging ingests them, on its own
thread. `entries.list` (the poller in logs.py, same cursor) is read only to backfill what came before a
session opened, to fill the gap a dropped session or a `suppression_info` leaves, for the final drain, and
instead of the tail while Google refuses a session (open live-tail sessions are limited per project) or
while a dropped stream waits out its backoff. Stream entries that arrive during a fill wait for it, so the
lines still come out once and in order.
"""

from __future__ import annotations

import logging
import queue
import random
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from enum import Enum
from typing import Any

from core.google.logs import CloudLogReader
from core.store.states import LogLine

log = logging.getLogger(__name__)

SESSION_SECONDS = 3600.0  # a session's deadline; a new one takes over (and fills the gap)


class TailMode(Enum):
    """Who reads the log now: the stream (CONNECTING, LIVE) or the poller (POLLING)."""

    CONNECTING = "connecting"
    LIVE = "live"
    POLLING = "polling"  # refused, unsupported, or between sessions
    CLOSED = "closed"


class _End(Enum):
    STOPPED = "stopped"
    DROPPED = "dropped"  # reconnect with backoff
    REFUSED = "refused"  # RESOURCE_EXHAUSTED: poll, ask again later
    UNSUPPORTED = "unsupported"  # poll for the rest of the run


@dataclass(frozen=True)
class TailTiming:
    """Seconds; the backend scales them with its polling policy (tests compress time).

    buffer_window: asked of the server (Google's default is 2 s; entries later than it still come, late).
    settle: after a session opens, how long to wait for its first answer before filling the gap anyway
        (the first answer proves the server has the session, so nothing can fall between list and stream).
    """

    buffer_window: float = 1.0
    settle: float = 2.0
    backoff_first: float = 1.0
    backoff_max: float = 60.0
    refused_retry: float = 300.0
    healthy_after: float = 60.0  # a session that lasted this long starts the backoff over


class LiveCloudLogReader(CloudLogReader):
    """CloudLogReader plus the live tail while the job runs (`LiveLogReader`: `wait_lines`, `close`).

    Args:
        timing: the tail's windows and backoffs; the rest as CloudLogReader.
    """

    def __init__(self, *args: Any, timing: TailTiming | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.timing = timing or TailTiming()
        self.mode = TailMode.CONNECTING
        self.sessions = 0  # sessions opened (tests, benchmarks)
        self.fill_reads = 0  # entries.list calls made to fill around the stream (backfill, gaps)
        self._ready: list[LogLine] = []
        self._arrived = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._call: Any = None

    # ------------------------------------------------------------ the protocol

    def read_new(self) -> list[LogLine]:
        if self.gate.started is None and not self.gate.soon:
            return []
        self._start_tail()
        with self._read_lock:
            if self.mode is TailMode.POLLING:
                self._push(super().read_new())
        return self._take()

    def wait_lines(self, timeout: float) -> bool:
        """Wait up to `timeout` seconds for lines the stream brought; True when some are ready."""
        return self._arrived.wait(timeout)

    def drain(self) -> list[LogLine]:
        self.close()
        return self._take() + super().drain()

    def close(self) -> None:
        """Stop the stream and its threads (idempotent); lines already read stay for `read_new`/`drain`."""
        self._stop.set()
        with self._read_lock:
            call, self.mode = self._call, TailMode.CLOSED
        if call is not None:
            call.cancel()
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(timeout=10)

    # ------------------------------------------------------------ handing lines over

    def _push(self, lines: list[LogLine]) -> None:
        if lines:
            with self._read_lock:
                self._ready.extend(lines)
            self._arrived.set()

    def _take(self) -> list[LogLine]:
        with self._read_lock:
            lines, self._ready = self._ready, []
            self._arrived.clear()
            if lines:
                self._save_cursor()  # everything accepted so far is in `lines` or was handed out before
        return lines

    # ------------------------------------------------------------ the stream's thread

    def _start_tail(self) -> None:
        if self._thread is not None or self._stop.is_set() or self.gate.ended is not None:
            return
        self._thread = threading.Thread(target=self._run, name=f"log-tail-{self.job_id}", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        backoff = self.timing.backoff_first
        while not self._stop.is_set() and self.gate.ended is None:
            opened = time.monotonic()
            try:
                end = self._session()
            except Exception:  # the poller still works: never let the tail take the log down
                log.exception("the live log tail failed; reading by polling instead")
                end = _End.UNSUPPORTED
            with self._read_lock:
                if self.mode is not TailMode.CLOSED:
                    self.mode = TailMode.POLLING
            if end is _End.STOPPED or end is _End.UNSUPPORTED:
                return
            if end is _End.REFUSED:
                log.info("Cloud Logging refused a live tail session (too many open); polling for now")
                wait = self.timing.refused_retry
            else:
                if time.monotonic() - opened >= self.timing.healthy_after:
                    backoff = self.timing.backoff_first
                wait, backoff = backoff * random.uniform(0.8, 1.2), min(self.timing.backoff_max, backoff * 2)
            self._stop.wait(wait)

    def _session(self) -> _End:
        """One TailLogEntries session: open, fill the gap before it, stream until it ends."""
        from google.protobuf import duration_pb2

        from core.google.libraries import importing

        with importing():
            from google.cloud.logging_v2.types import TailLogEntriesRequest

        window = self.timing.buffer_window
        request = TailLogEntriesRequest(
            resource_names=[f"projects/{self.project}"],
            filter=f'resource.type="ml_job" AND resource.labels.job_id="{self.job_id}"',
            buffer_window=duration_pb2.Duration(seconds=int(window), nanos=int(window % 1 * 1e9)))
        done = threading.Event()

        def requests() -> Iterator[Any]:
            yield request
            done.wait()  # keep our half open: the session lives until we cancel it

        answers: queue.Queue[Any] = queue.Queue()
        try:
            client = self._client_factory()  # may sign in or import: outside the lock the watcher reads under
        except Exception as exc:  # noqa: BLE001 - e.g. not signed in just now: the poller says so; try again later
            log.info("no live log tail for now: %s", type(exc).__name__)
            return _End.DROPPED
        with self._read_lock:
            if self._stop.is_set():
                return _End.STOPPED
            self.mode = TailMode.CONNECTING
            # The transport's own stub, not the wrapped method: the wrapper waits for the first answer
            # before it returns, and a quiet job sends none, so there would be no call to cancel on close.
            self._call = call = client.transport.tail_log_entries(requests(), timeout=SESSION_SECONDS)
            self.sessions += 1
        pump = threading.Thread(target=_pump, args=(call, answers), name=f"log-tail-read-{self.job_id}", daemon=True)
        pump.start()
        try:
            return self._follow(answers, time.monotonic())
        finally:
            done.set()
            call.cancel()
            pump.join(timeout=10)
            with self._read_lock:
                self._call = None

    def _follow(self, answers: queue.Queue[Any], opened: float) -> _End:
        """Hand over what the session streams, merged with what `entries.list` filled in around it.

        Listed entries newer than anything the stream has sent wait for it (until `release_at`): an entry the
        stream still holds in its buffer window may be older than they are.
        """
        from google.api_core import exceptions as gexc

        filled = False
        waiting: list[Any] = []  # listed, not yet handed over
        release_at = float("inf")
        window = 2 * self.timing.buffer_window
        while True:
            now = time.monotonic()
            if filled:
                wait = min(0.5, release_at - now)
            elif now < opened + self.timing.settle:
                wait = opened + self.timing.settle - now
            else:  # settled, but the job has not started as far as we know: look again soon
                wait = min(0.5, self.timing.settle)
            try:
                answer = answers.get(timeout=max(0.0, wait))
            except queue.Empty:
                answer = None
            if self._stop.is_set():
                return _End.STOPPED
            if isinstance(answer, BaseException):
                return _ending(answer, gexc)
            entries = list(type(answer).pb(answer).entries) if answer is not None else []
            suppressed = answer is not None and any(s.suppressed_count for s in answer.suppression_info)
            if answer is None and not filled and (time.monotonic() < opened + self.timing.settle
                                                  or self.gate.started is None):
                # A session opened while the job was PENDING has nothing before it to read (nothing is logged
                # before the job leaves PENDING): its first answer, or the job's start, brings the read.
                continue
            if not filled or suppressed:
                # The session's first answer (or its settle time) proves it is open: read what came before it.
                # After a suppression_info, read what Google left out.
                listed = self._list_gap()
                if listed is None:
                    return _End.DROPPED
                waiting, filled, release_at = waiting + listed, True, time.monotonic() + window
            if answer is None:
                if time.monotonic() >= release_at:
                    waiting, release_at = self._hand_over(waiting, None), float("inf")
                continue
            upto = max(((e.timestamp.seconds, e.timestamp.nanos) for e in entries), default=None)
            if upto is not None:
                waiting = self._hand_over(waiting + entries, upto)

    def _list_gap(self) -> list[Any] | None:
        """`entries.list` from the cursor to now (all pages); None if it could not be read (the next session
        or poll reads from the same cursor again)."""
        entries: list[Any] = []
        more = True
        while more:
            # The limiter's wait happens outside the lock, so the watcher's reads and `close` never wait on it.
            if self._stop.is_set() or not self.limiter.acquire(timeout=self.limiter.min_interval * 3):
                return None
            with self._read_lock:
                self.fill_reads += 1
                page, more, ok, notes = self._fetch(upper_lag=0.0)
            self._push(notes)
            if not ok:
                return None
            entries.extend(page)
        return entries

    def _hand_over(self, entries: list[Any], upto: tuple[int, int] | None) -> list[Any]:
        """Show the entries stamped up to `upto` (all when None) in timestamp order; return the rest."""
        entries.sort(key=lambda e: (e.timestamp.seconds, e.timestamp.nanos))
        cut = len(entries) if upto is None else next(
            (i for i, e in enumerate(entries) if (e.timestamp.seconds, e.timestamp.nanos) > upto), len(entries))
        with self._read_lock:
            self._push(self._accept(entries[:cut], late_ok=True))
            if self.mode is TailMode.CONNECTING:
                self.mode = TailMode.LIVE
        return entries[cut:]


def _pump(call: Any, answers: queue.Queue[Any]) -> None:
    """Move the stream's answers to a queue, then its end (an exception, or StopIteration for OK)."""
    try:
        for answer in call:
            answers.put(answer)
        answers.put(StopIteration())
    except BaseException as exc:  # noqa: BLE001 - handed to the session, which decides
        answers.put(exc)


def _ending(exc: BaseException, gexc: Any) -> _End:
    """How a session that ended with `exc` goes on (StopIteration: the server closed it, OK)."""
    import grpc

    if isinstance(exc, grpc.RpcError):
        exc = gexc.from_grpc_error(exc)
    if isinstance(exc, gexc.ResourceExhausted):
        return _End.REFUSED
    if isinstance(exc, StopIteration | gexc.ServiceUnavailable | gexc.DeadlineExceeded | gexc.InternalServerError
                  | gexc.Aborted | gexc.Unknown | gexc.Cancelled | gexc.Unauthenticated):  # a new session, a new token
        return _End.DROPPED
    log.warning("the live log tail is not available (%s); reading by polling", type(exc).__name__)
    return _End.UNSUPPORTED
