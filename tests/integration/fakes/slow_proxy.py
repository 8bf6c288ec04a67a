"""A proxy on 127.0.0.1 in front of the Vertex AI fake that does to CustomJob creates what a bad network
or a slow Google front end does: commit late (forward only after a delay, when the client has given up),
or swallow (hold the request, then hang up without ever forwarding it). Everything else passes through.
"""

from __future__ import annotations

import http.client
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit


@dataclass
class CreateFault:
    """What happens to the creates. Times in seconds; `until` is on time.monotonic()."""

    late_commit: list[float] | None = None  # the n-th create is forwarded this long after it arrived
    swallow_until: float = 0.0  # creates arriving before this moment are held `hold` s, never forwarded
    hold: float = 35.0


class SlowProxy:
    """Use as a context manager; `url` replaces the Vertex fake's in T4PANEL_VERTEX_ENDPOINT."""

    def __init__(self, upstream: str, fault: CreateFault | None = None) -> None:
        parts = urlsplit(upstream)
        self.upstream = (parts.hostname or "127.0.0.1", parts.port or 80)
        self.fault = fault or CreateFault()
        self.creates_seen: list[float] = []  # arrival times (monotonic)
        self.creates_forwarded: list[float] = []
        self._lock = threading.Lock()
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.02},
                                        name="slow-proxy", daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._httpd.server_address[1]}"

    def __enter__(self) -> SlowProxy:
        self._thread.start()
        return self

    def __exit__(self, *_: Any) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

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


def _handler_for(proxy: SlowProxy) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True

        def log_message(self, *_: Any) -> None:
            pass

        def _serve(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
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
            try:
                self.send_response(code)
                for key, value in resp_headers:
                    if key.lower() not in ("connection", "transfer-encoding", "content-length"):
                        self.send_header(key, value)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
            except OSError:  # the client gave up long ago (a late commit): the job exists all the same
                self.close_connection = True

        do_GET = do_POST = _serve

    return Handler
