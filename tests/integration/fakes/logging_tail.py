"""The fake Cloud Logging's `TailLogEntries`: a live tail as Google serves it, faults included.

A bidirectional gRPC stream. The first request is checked like every other call (the caller's token, then
`google.logging.v2.TailLogEntriesRequest` against its descriptor: no unknown fields, each field's documented
rule, INVALID_ARGUMENT naming the field). Then the session streams the entries *ingested after it opened*
that match its filter, held `buffer_window` at the server so entries that arrive out of order within the
window go out in timestamp order; each response is in timestamp order, but order between responses is not
guaranteed (an entry later than the window comes out late).

Faults, as operators meet them: sessions beyond the per-project limit are refused with RESOURCE_EXHAUSTED
(`refuse` forces that); a session is cut with UNAVAILABLE `cut_every` seconds after it opened, and what it
held is lost to it; `suppress_next` entries are dropped and reported in `suppression_info` (RATE_LIMIT).

Rules cited from https://cloud.google.com/logging/docs/reference/v2/rpc/google.logging.v2 (TailLogEntries:
"buffer_window ... Valid values are between 0-60000 milliseconds. Defaults to 2000 milliseconds.") and
https://cloud.google.com/logging/quotas ("Number of open live-tailing sessions": 10 per project).
"""

from __future__ import annotations

import bisect
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import grpc
from google.cloud.logging_v2.types import TailLogEntriesRequest, TailLogEntriesResponse
from google.protobuf.unknown_fields import UnknownFieldSet

MAX_SESSIONS = 10  # open live-tailing sessions per project
MAX_BUFFER_MS = 60_000


@dataclass
class TailRequest:
    """One recorded TailLogEntries session (every one that passed the credential check)."""

    at: float
    resource_names: list[str]
    filter: str
    buffer_window: float  # seconds
    status: str = "OPEN"  # OPEN while streaming, then how it ended: OK, CANCELLED, UNAVAILABLE, ...
    sent: int = 0  # entries streamed


@dataclass
class TailFaults:
    """What the next sessions meet. `cut_every` None: never cut."""

    refuse: bool = False
    cut_every: float | None = None
    suppress_next: int = 0
    max_sessions: int = MAX_SESSIONS


@dataclass
class _Session:
    rec: TailRequest
    tests: list[Callable[[Any], bool]]
    buffer: float
    opened: float
    scanned: int = 0  # entries of the server's list already looked at
    coming: list[Any] = field(default_factory=list)  # matching entries not yet ingested, by ingestion time
    held: list[Any] = field(default_factory=list)  # ingested, not yet sent
    suppressed: int = 0


def check_request(raw: Any, check_resource_names: Callable[[Any], None], check_filter: Callable[[Any], None],
                  invalid: type[Exception]) -> float:
    """Every field of the descriptor by its rule; returns the buffer window in seconds."""
    unknown = [u.field_number for u in UnknownFieldSet(raw)]
    if unknown:
        raise invalid(f"TailLogEntriesRequest: unknown field number {unknown[0]}")
    fields = {f.name for f in TailLogEntriesRequest.pb().DESCRIPTOR.fields}
    assert fields == {"resource_names", "filter", "buffer_window"}, f"TailLogEntriesRequest changed: {fields}"
    check_resource_names(raw)
    check_filter(raw)
    if not raw.HasField("buffer_window"):
        return 2.0  # "Defaults to 2000 milliseconds."
    window = raw.buffer_window.seconds + raw.buffer_window.nanos / 1e9
    if raw.buffer_window.nanos < 0 or not 0 <= window * 1000 <= MAX_BUFFER_MS:
        raise invalid(f"buffer_window: {window:g}s is outside 0-{MAX_BUFFER_MS} milliseconds")
    return window


class TailService:
    """The sessions of one FakeLogging. `fake` gives entries (`_entries`, `_lock`), auth and validation."""

    def __init__(self, fake: Any, parse: Callable[[str], list[Any]], invalid: type[Exception],
                 checks: tuple[Callable[[Any], None], Callable[[Any], None]]) -> None:
        self.fake = fake
        self.parse = parse
        self.invalid = invalid
        self.checks = checks  # the resource_names and filter rules ListLogEntries uses
        self.faults = TailFaults()
        self.requests: list[TailRequest] = []
        self.open_sessions = 0
        self._changed = threading.Condition(fake._lock)

    def added(self) -> None:
        """A new entry was stored (called with the fake's lock held): wake the sessions."""
        self._changed.notify_all()

    def serve(self, requests: Iterator[bytes], context: grpc.ServicerContext) -> Iterator[Any]:
        self.fake.auth.grpc_check(context)
        try:
            data = next(requests)
        except StopIteration:
            return
        raw = TailLogEntriesRequest.pb().FromString(data)
        rec = TailRequest(time.time(), list(raw.resource_names), raw.filter, 0.0)
        self.requests.append(rec)

        def fail(code: grpc.StatusCode, message: str) -> None:
            rec.status = code.name
            context.abort(code, message)

        try:
            rec.buffer_window = check_request(raw, *self.checks, self.invalid)
        except self.invalid as exc:
            fail(grpc.StatusCode.INVALID_ARGUMENT, str(exc))
        with self._changed:
            if self.fake.deny:
                fail(grpc.StatusCode.PERMISSION_DENIED,
                     "Permission 'logging.logEntries.list' denied on resource (or it may not exist).")
            if self.faults.refuse or self.open_sessions >= self.faults.max_sessions:
                fail(grpc.StatusCode.RESOURCE_EXHAUSTED, "Quota exceeded for quota metric 'Tail log entries "
                     "sessions' of service 'logging.googleapis.com': too many open live-tailing sessions.")
            self.open_sessions += 1
            session = _Session(rec, self.parse(raw.filter), rec.buffer_window, time.time())
        context.add_callback(self._wake)
        try:
            yield from self._stream(session, context)
            rec.status = "OK" if context.is_active() else "CANCELLED"
        finally:
            with self._changed:
                self.open_sessions -= 1
            if rec.status == "OPEN":
                rec.status = "CANCELLED"

    def _wake(self) -> None:
        with self._changed:
            self._changed.notify_all()

    def _stream(self, s: _Session, context: grpc.ServicerContext) -> Iterator[Any]:
        cut_at = s.opened + self.faults.cut_every if self.faults.cut_every else float("inf")
        while context.is_active():
            with self._changed:
                now = time.time()
                if now >= cut_at:  # what the session held is lost to it
                    s.rec.status = "UNAVAILABLE"
                    context.abort(grpc.StatusCode.UNAVAILABLE, "The service is currently unavailable.")
                self._take_new(s)
                out, wake = self._release(s, now)
                if not out and not s.suppressed:
                    self._changed.wait(timeout=max(0.0005, min(wake, cut_at) - now))
                    continue
            response = TailLogEntriesResponse.pb(TailLogEntriesResponse())
            response.entries.extend(out)
            if s.suppressed:
                info = response.suppression_info.add()
                info.reason = TailLogEntriesResponse.SuppressionInfo.Reason.RATE_LIMIT
                info.suppressed_count, s.suppressed = s.suppressed, 0
            s.rec.sent += len(out)
            yield TailLogEntriesResponse.wrap(response)

    def _take_new(self, s: _Session) -> None:
        """Entries stored since the last look that match the session (under the lock)."""
        entries = self.fake._entries
        for stored in entries[s.scanned:]:
            if stored.visible_at >= s.opened and all(t(stored) for t in s.tests):
                bisect.insort(s.coming, stored, key=lambda e: e.visible_at)
        s.scanned = len(entries)

    def _release(self, s: _Session, now: float) -> tuple[list[Any], float]:
        """(entries to send now in timestamp order, when to look again).

        An entry is ingested at its `visible_at`; entries ingested before the session opened are not
        its business. Once an entry has sat `buffer` seconds, it goes out with every held entry
        stamped no later than it, so out-of-order arrivals within the window are sorted.
        """
        ingested = bisect.bisect_right(s.coming, now, key=lambda e: e.visible_at)
        s.held.extend(s.coming[:ingested])
        del s.coming[:ingested]
        ripe = [e.key for e in s.held if e.visible_at + s.buffer <= now]
        out: list[Any] = []
        if ripe:
            upto = max(ripe)
            out = sorted((e for e in s.held if e.key <= upto), key=lambda e: (e.key, e.seq))
            s.held = [e for e in s.held if e.key > upto]
        while out and self.faults.suppress_next > 0:
            out.pop(0)
            self.faults.suppress_next -= 1
            s.suppressed += 1
        wake = min([e.visible_at + s.buffer for e in s.held] + [e.visible_at + s.buffer for e in s.coming[:1]],
                   default=now + 0.2)
        return [e.entry for e in out], wake
