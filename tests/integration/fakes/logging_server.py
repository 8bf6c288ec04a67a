"""A fake Cloud Logging API on 127.0.0.1: gRPC `google.logging.v2.LoggingServiceV2/ListLogEntries`.

Messages are (de)serialized with the logging_v2 proto-plus types. Entries belong to a Vertex job id,
become visible `delay` seconds after their timestamp (late arrival), and are filtered the way the app
asks (resource.type, resource.labels.job_id, timestamp bounds). RESOURCE_EXHAUSTED can be injected.
"""

from __future__ import annotations

import random
import re
import threading
import time
from concurrent import futures
from dataclasses import dataclass
from typing import Any

import grpc
from google.cloud.logging_v2.types import (
    ListLogEntriesRequest,
    ListLogEntriesResponse,
    LogEntry,
)
from google.logging.type import log_severity_pb2
from google.protobuf import timestamp_pb2

SERVICE = "google.logging.v2.LoggingServiceV2"
_CLAUSE = re.compile(r'^(resource\.type|resource\.labels\.job_id|timestamp)\s*(>=|<=|>|<|=)\s*"([^"]*)"$')


@dataclass
class LogRequest:
    """One recorded ListLogEntries call."""

    at: float
    resource_names: list[str]
    filter: str
    order_by: str
    page_size: int
    page_token: str
    status: str  # OK or the injected error


@dataclass
class _Stored:
    job_id: str
    key: tuple[int, int]
    seq: int
    visible_at: float
    entry: Any  # LogEntry pb


class FakeLogging:
    """The server. `endpoint` is the value for T4PANEL_LOGGING_ENDPOINT."""

    def __init__(self) -> None:
        self.requests: list[LogRequest] = []
        self.exhaust_next = 0  # this many next calls answer RESOURCE_EXHAUSTED
        self.exhaust_rate = 0.0  # ... and this fraction of the others (seeded)
        self.deny = False  # answer PERMISSION_DENIED (no Logs Viewer role)
        self._rng = random.Random(4321)
        self._entries: list[_Stored] = []
        self._lock = threading.Lock()
        self._seq = 0
        self._server = grpc.server(futures.ThreadPoolExecutor(max_workers=4))
        handler = grpc.method_handlers_generic_handler(SERVICE, {
            "ListLogEntries": grpc.unary_unary_rpc_method_handler(
                self._list, request_deserializer=ListLogEntriesRequest.deserialize,
                response_serializer=ListLogEntriesResponse.serialize),
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
        """Store one entry of job `job_id` with timestamp `at` (epoch seconds or (seconds, nanos))."""
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
            self._entries.append(_Stored(job_id, key, seq, key[0] + key[1] / 1e9 + delay, entry))
            return entry.insert_id

    # ------------------------------------------------------------ serving

    def _list(self, request: Any, context: grpc.ServicerContext) -> Any:
        raw = ListLogEntriesRequest.pb(request)
        rec = LogRequest(time.time(), list(raw.resource_names), raw.filter, raw.order_by, raw.page_size,
                         raw.page_token, "OK")
        self.requests.append(rec)
        with self._lock:
            if self.deny:
                rec.status = "PERMISSION_DENIED"
                context.abort(grpc.StatusCode.PERMISSION_DENIED,
                              "Permission 'logging.logEntries.list' denied on resource (or it may not exist).")
            if self.exhaust_next > 0 or self._rng.random() < self.exhaust_rate:
                self.exhaust_next = max(0, self.exhaust_next - 1)
                rec.status = "RESOURCE_EXHAUSTED"
                context.abort(grpc.StatusCode.RESOURCE_EXHAUSTED,
                              "Quota exceeded for quota metric 'Read requests' of service 'logging.googleapis.com'.")
            try:
                tests = _parse(raw.filter)
            except ValueError as exc:
                rec.status = "INVALID_ARGUMENT"
                context.abort(grpc.StatusCode.INVALID_ARGUMENT, str(exc))
            now = time.time()
            hits = sorted((s for s in self._entries if s.visible_at <= now and all(t(s) for t in tests)),
                          key=lambda s: (s.key, s.seq), reverse=raw.order_by.endswith("desc"))
        size = min(raw.page_size or 50, 1000)
        start = int(raw.page_token or 0)
        response = ListLogEntriesResponse.pb(ListLogEntriesResponse())
        response.entries.extend(s.entry for s in hits[start:start + size])
        if start + size < len(hits):
            response.next_page_token = str(start + size)
        return ListLogEntriesResponse.wrap(response)


def _parse(text: str) -> list[Any]:
    tests = []
    for clause in [c.strip() for c in re.split(r"\s+AND\s+", text.strip()) if c.strip()]:
        m = _CLAUSE.match(clause)
        if not m:
            raise ValueError(f"unsupported filter clause: {clause}")
        field, op, value = m.groups()
        if field == "resource.type":
            tests.append(lambda s, v=value: s.entry.resource.type == v)
        elif field == "resource.labels.job_id":
            tests.append(lambda s, v=value: s.job_id == v)
        else:
            ts = timestamp_pb2.Timestamp()
            ts.FromJsonString(value)
            bound = (ts.seconds, ts.nanos)
            compare = {">=": lambda a, b: a >= b, "<=": lambda a, b: a <= b, ">": lambda a, b: a > b,
                       "<": lambda a, b: a < b, "=": lambda a, b: a == b}[op]
            tests.append(lambda s, b=bound, c=compare: c(s.key, b))
    return tests
