"""A fake Cloud Logging API on 127.0.0.1: gRPC `google.logging.v2.LoggingServiceV2/ListLogEntries` and
`TailLogEntries` (the live tail, in logging_tail.py; `tail.faults` sets its refusals, cuts and suppression).

Strict the way Google is, in the order Google checks: the caller's token (google_auth.py), then the
request against `google.logging.v2.ListLogEntriesRequest`'s own descriptor (no unknown fields; each
field's documented rule, INVALID_ARGUMENT naming the field), then the read quota of 60 requests a minute
per project (RESOURCE_EXHAUSTED; `read_quota` scales it for fast tests). Entries belong to a Vertex job
id and become visible late, and with `visibility_jitter` out of timestamp order, as Cloud Logging's
ingestion makes them. Messages are (de)serialized with the logging_v2 types.

Rules cited from https://cloud.google.com/logging/docs/reference/v2/rpc/google.logging.v2 (ListLogEntries)
and https://cloud.google.com/logging/quotas ("entries.list": 60 per minute per project).
"""

from __future__ import annotations

import hashlib
import random
import re
import threading
import time
from collections import deque
from collections.abc import Callable
from concurrent import futures
from dataclasses import dataclass
from typing import Any

import grpc
from google.cloud.logging_v2.types import (
    ListLogEntriesRequest,
    ListLogEntriesResponse,
    LogEntry,
    TailLogEntriesResponse,
)
from google.logging.type import log_severity_pb2
from google.protobuf import timestamp_pb2
from google.protobuf.unknown_fields import UnknownFieldSet

from tests.integration.fakes.google_auth import BearerCheck
from tests.integration.fakes.logging_tail import TailService

SERVICE = "google.logging.v2.LoggingServiceV2"
_CLAUSE = re.compile(r'^(resource\.type|resource\.labels\.job_id|timestamp)\s*(>=|<=|>|<|=)\s*"([^"]*)"$')
# "projects/[PROJECT_ID]", "organizations/[ORGANIZATION_ID]", "billingAccounts/[BILLING_ACCOUNT_ID]",
# "folders/[FOLDER_ID]", or a log view under one of them. Project ids: 6-30 chars (or the number).
_RESOURCE_NAME = re.compile(
    r"^(projects/([a-z][a-z0-9-]{4,28}[a-z0-9]|[0-9]+)|organizations/[0-9]+|folders/[0-9]+|"
    r"billingAccounts/[0-9A-F]{6}-[0-9A-F]{6}-[0-9A-F]{6})(/locations/[a-z0-9-]+/buckets/[^/]+/views/[^/]+)?$")
_ORDER_BY = ("", "timestamp asc", "timestamp desc")  # "the only permitted values"
MAX_PAGE_SIZE = 1000  # "If the value is negative or exceeds 1000, the request is rejected."
MAX_FILTER_CHARS = 20_000  # "The filter is limited to 20000 characters."


def scaled_quota(read_interval: float) -> tuple[int, float]:
    """Google's 60 reads a minute on a test's compressed clock, where the app's 5 s between reads
    (core.google.logs.DEFAULT_MIN_INTERVAL) became `read_interval` seconds."""
    return 60, 60.0 * read_interval / 5.0


class Invalid(ValueError):
    """A request field Google would reject; the message names the field."""


def _check_resource_names(req: Any) -> None:
    if not req.resource_names:
        raise Invalid("resource_names: at least one resource name is required")
    for i, name in enumerate(req.resource_names):
        if not _RESOURCE_NAME.match(name):
            raise Invalid(f'resource_names[{i}]: "{name}" is not a valid resource name '
                          "(expected projects/[PROJECT_ID])")


def _check_filter(req: Any) -> None:
    if len(req.filter) > MAX_FILTER_CHARS:
        raise Invalid(f"filter: longer than {MAX_FILTER_CHARS} characters")
    _parse(req.filter)  # raises Invalid naming the clause


def _check_order_by(req: Any) -> None:
    if req.order_by not in _ORDER_BY:
        raise Invalid(f'order_by: "{req.order_by}" is not supported; use "timestamp asc" or "timestamp desc"')


def _check_page_size(req: Any) -> None:
    if not 0 <= req.page_size <= MAX_PAGE_SIZE:
        raise Invalid(f"page_size: {req.page_size} is outside 0..{MAX_PAGE_SIZE}")


# One rule per field of the descriptor; page_token is checked against the tokens this server issued.
_RULES: dict[str, Callable[[Any], None] | None] = {
    "resource_names": _check_resource_names, "filter": _check_filter, "order_by": _check_order_by,
    "page_size": _check_page_size, "page_token": None,
}
_unruled = {f.name for f in ListLogEntriesRequest.pb().DESCRIPTOR.fields} ^ set(_RULES)
assert not _unruled, f"ListLogEntriesRequest changed; give these fields a rule: {_unruled}"


@dataclass
class LogRequest:
    """One recorded ListLogEntries call (every call that passed the credential check)."""

    at: float
    resource_names: list[str]
    filter: str
    order_by: str
    page_size: int
    page_token: str
    status: str  # OK, or the status it was answered with


@dataclass
class _Stored:
    job_id: str
    key: tuple[int, int]
    seq: int
    visible_at: float
    entry: Any  # LogEntry pb


class FakeLogging:
    """The server. `endpoint` is the value for T4PANEL_LOGGING_ENDPOINT.

    Attributes:
        auth: the credential check (a token from a running FakeOAuthServer by default).
        read_quota: (requests, window seconds) per project: Google's 60 a minute. Fast tests scale the
            window with their clock; None turns the quota off.
        visibility_jitter: each new entry becomes visible up to this many seconds later still (seeded),
            so entries appear out of timestamp order.
        exhaust_next / exhaust_rate: inject RESOURCE_EXHAUSTED for the next calls / a seeded fraction.
        deny: answer PERMISSION_DENIED (no Logs Viewer role).
    """

    def __init__(self) -> None:
        self.requests: list[LogRequest] = []
        self.auth = BearerCheck(service="logging.googleapis.com")
        self.read_quota: tuple[int, float] | None = (60, 60.0)
        self.visibility_jitter = 0.0
        self.exhaust_next = 0
        self.exhaust_rate = 0.0
        self.deny = False
        self._rng = random.Random(4321)
        self._entries: list[_Stored] = []
        self._reads: dict[str, deque[float]] = {}  # project -> times of reads inside the quota window
        self._pages: dict[str, str] = {}  # page token -> the query it continues
        self._lock = threading.Lock()
        self._seq = 0
        self.tail = TailService(self, _parse, Invalid, (_check_resource_names, _check_filter))
        self._server = grpc.server(futures.ThreadPoolExecutor(max_workers=16))
        # No request_deserializer: the raw bytes are parsed here, so unknown fields can be seen.
        handler = grpc.method_handlers_generic_handler(SERVICE, {
            "ListLogEntries": grpc.unary_unary_rpc_method_handler(
                self._list, response_serializer=ListLogEntriesResponse.serialize),
            "TailLogEntries": grpc.stream_stream_rpc_method_handler(
                self.tail.serve, response_serializer=TailLogEntriesResponse.serialize),
        })
        self._server.add_generic_rpc_handlers((handler,))
        self.port = self._server.add_insecure_port("127.0.0.1:0")

    @property
    def endpoint(self) -> str:
        return f"127.0.0.1:{self.port}"

    def __enter__(self) -> FakeLogging:
        self._server.start()
        return self

    def __exit__(self, *_: Any) -> None:
        self._server.stop(grace=None)

    # ------------------------------------------------------------ feeding

    def add(self, job_id: str, at: float | tuple[int, int], text: str, severity: str = "INFO", *,
            delay: float = 0.0, insert_id: str | None = None, log_name: str = "") -> str:
        """Store one entry of job `job_id` with timestamp `at` (epoch seconds or (seconds, nanos)).

        It becomes visible `delay` seconds after its timestamp, plus a random share of `visibility_jitter`.
        """
        key = at if isinstance(at, tuple) else (int(at), round((at - int(at)) * 1e9) % 1_000_000_000)
        with self._lock:
            self._seq += 1
            seq = self._seq
            entry = LogEntry.pb(LogEntry())
            entry.log_name = log_name or "projects/123456789012/logs/workerpool0-0"
            entry.resource.type = "ml_job"
            entry.resource.labels["job_id"] = job_id
            entry.resource.labels["task_name"] = "workerpool0-0"
            entry.timestamp.seconds, entry.timestamp.nanos = key
            entry.severity = log_severity_pb2.LogSeverity.Value(severity)
            entry.text_payload = text
            entry.insert_id = insert_id or f"id{seq:08d}"
            late = delay + self._rng.uniform(0, self.visibility_jitter)
            self._entries.append(_Stored(job_id, key, seq, key[0] + key[1] / 1e9 + late, entry))
            self.tail.added()
            return entry.insert_id

    # ------------------------------------------------------------ serving

    def _list(self, data: bytes, context: grpc.ServicerContext) -> Any:
        self.auth.grpc_check(context)
        raw = ListLogEntriesRequest.pb().FromString(data)
        rec = LogRequest(time.time(), list(raw.resource_names), raw.filter, raw.order_by, raw.page_size,
                         raw.page_token, "OK")
        self.requests.append(rec)

        def fail(code: grpc.StatusCode, message: str) -> None:
            rec.status = code.name
            context.abort(code, message)

        try:
            query = _validate(raw, self._pages)
        except Invalid as exc:
            fail(grpc.StatusCode.INVALID_ARGUMENT, str(exc))
        with self._lock:
            if self.deny:
                fail(grpc.StatusCode.PERMISSION_DENIED,
                     "Permission 'logging.logEntries.list' denied on resource (or it may not exist).")
            if not self._take_quota(raw.resource_names[0].split("/")[1], rec.at):
                fail(grpc.StatusCode.RESOURCE_EXHAUSTED, "Quota exceeded for quota metric 'Read requests' and "
                     "limit 'Read requests per minute' of service 'logging.googleapis.com'.")
            if self.exhaust_next > 0 or self._rng.random() < self.exhaust_rate:
                self.exhaust_next = max(0, self.exhaust_next - 1)
                fail(grpc.StatusCode.RESOURCE_EXHAUSTED,
                     "Quota exceeded for quota metric 'Read requests' of service 'logging.googleapis.com'.")
            tests = _parse(raw.filter)
            now = time.time()
            hits = sorted((s for s in self._entries if s.visible_at <= now and all(t(s) for t in tests)),
                          key=lambda s: (s.key, s.seq), reverse=raw.order_by.endswith("desc"))
            size = raw.page_size or 50  # "Default is 50"
            start = int(raw.page_token or 0)
            response = ListLogEntriesResponse.pb(ListLogEntriesResponse())
            response.entries.extend(s.entry for s in hits[start:start + size])
            if start + size < len(hits):
                response.next_page_token = str(start + size)
                self._pages[response.next_page_token + "@" + query] = query
        return ListLogEntriesResponse.wrap(response)

    def _take_quota(self, project: str, now: float) -> bool:
        """Count one read against the project's window (called under the lock)."""
        if self.read_quota is None:
            return True
        limit, window = self.read_quota
        reads = self._reads.setdefault(project, deque())
        while reads and reads[0] <= now - window:
            reads.popleft()
        if len(reads) >= limit:
            return False
        reads.append(now)
        return True


def _validate(raw: Any, pages: dict[str, str]) -> str:
    """Check every field by its rule; returns the query key a page token must belong to."""
    unknown = [u.field_number for u in UnknownFieldSet(raw)]
    if unknown:
        raise Invalid(f"ListLogEntriesRequest: unknown field number {unknown[0]}")
    for rule in _RULES.values():
        if rule is not None:
            rule(raw)
    query = hashlib.sha256("\n".join([*raw.resource_names, raw.filter, raw.order_by]).encode()).hexdigest()[:16]
    # "page_token ... The values of other method parameters should be identical to those in the previous call."
    if raw.page_token and (raw.page_token + "@" + query) not in pages:
        raise Invalid(f'page_token: "{raw.page_token}" does not belong to this query')
    return query


def _parse(text: str) -> list[Any]:
    """The filter as the app writes it: AND-joined resource.type, resource.labels.job_id, timestamp bounds."""
    tests = []
    for clause in [c.strip() for c in re.split(r"\s+AND\s+", text.strip()) if c.strip()]:
        m = _CLAUSE.match(clause)
        if not m:
            raise Invalid(f"filter: unsupported clause: {clause}")
        field, op, value = m.groups()
        if field == "resource.type":
            tests.append(lambda s, v=value: s.entry.resource.type == v)
        elif field == "resource.labels.job_id":
            tests.append(lambda s, v=value: s.job_id == v)
        else:
            ts = timestamp_pb2.Timestamp()
            try:
                ts.FromJsonString(value)
            except ValueError as exc:
                raise Invalid(f'filter: "{value}" is not an RFC 3339 timestamp') from exc
            bound = (ts.seconds, ts.nanos)
            compare = {">=": lambda a, b: a >= b, "<=": lambda a, b: a <= b, ">": lambda a, b: a > b,
                       "<": lambda a, b: a < b, "=": lambda a, b: a == b}[op]
            tests.append(lambda s, b=bound, c=compare: c(s.key, b))
    return tests
