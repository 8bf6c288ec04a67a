"""A proxy on 127.0.0.1 in front of the Vertex AI fake that does to CustomJob creates what a bad network
or a slow Google front end does: commit late (forward only after a delay, when the client has given up),
or swallow (hold the request, then hang up without ever forwarding it). Everything else passes through.
"""

from __future__ import annotations

import http.client
import threading
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from tests.integration.fakes.http_base import HttpFake, JsonHandler


@dataclass
class CreateFault:
    """What happens to the creates. Times in seconds; `until` is on time.monotonic()."""

    late_commit: list[float] | None = None  # the n-th create is forwarded this long after it arrived
    swallow_until: float = 0.0  # creates arriving before this moment are held `hold` s, never forwarded
    hold: float = 35.0


class SlowProxy(HttpFake):
    """Use as a context manager; `url` replaces the Vertex fake's in T4PANEL_VERTEX_ENDPOINT."""

    def __init__(self, upstream: str, fault: CreateFault | None = None) -> None:
        super().__init__(_handler_for(self), "slow-proxy", hush=())
        parts = urlsplit(upstream)
        self.upstream = (parts.hostname or "127.0.0.1", parts.port or 80)
        self.fault = fault or CreateFault()
        self.creates_seen: list[float] = []  # arrival times (monotonic)
        self.creates_forwarded: list[float] = []
        self._lock = threading.Lock()

    def _plan(self, arrived: float) -> tuple[float, bool]:
        """(seconds to hold the create, whether to forward it afterwards)."""
        with self._lock:
            n = len(self.creates_seen)
            self.creates_seen.append(arrived)
        if arrived < self.fault.swallow_until:
            return self.fault.hold, False
        late = self.fault.late_commit or []
        return (late[n] if n < len(late) else 0.0), True

    def forward(self, method: str, path: str, headers: dict[str, str], body: bytes) -> tuple[int, Any, bytes]:
        conn = http.client.HTTPConnection(*self.upstream, timeout=60)
        try:
            conn.request(method, path, body=body or None, headers=headers)
            resp = conn.getresponse()
            return resp.status, resp.getheaders(), resp.read()
        finally:
            conn.close()


def _handler_for(proxy: SlowProxy) -> type[JsonHandler]:
    class Handler(JsonHandler):
        def _serve(self) -> None:
            body = self.read_raw()
            headers = {k: v for k, v in self.headers.items() if k.lower() not in ("host", "connection")}
            if self.command == "POST" and urlsplit(self.path).path.endswith("/customJobs"):
                hold, forward = proxy._plan(time.monotonic())
                time.sleep(hold)
                if not forward:
                    self.close_connection = True  # swallowed: the job is never created
                    return
                with proxy._lock:
                    proxy.creates_forwarded.append(time.monotonic())
            code, resp_headers, data = proxy.forward(self.command, self.path, headers, body)
            passed = [(k, v) for k, v in resp_headers
                      if k.lower() not in ("connection", "transfer-encoding", "content-length")]
            try:
                self.send(code, data, passed)
            except OSError:  # the client gave up long ago (a late commit): the job exists all the same
                self.close_connection = True

        do_GET = do_POST = _serve

    return Handler
