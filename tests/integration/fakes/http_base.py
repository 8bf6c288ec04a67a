"""What the fake Google servers share: a server on 127.0.0.1 on a free port, served on a daemon thread and
stopped and joined cleanly; a handler that reads the JSON body and writes replies; the strict REST handler
(the caller's token first, then the JSON body, then the fake's own answer); and the shape check at exit.

Each fake keeps its own strictness (discovery documents, tokens, quotas, error shapes); only the plumbing
lives here, so a fix to it (a dropped connection, a missed join) reaches every fake at once.
"""

from __future__ import annotations

import json
import sys
import threading
from collections.abc import Iterable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Protocol, Self

from tests.integration.fakes.discovery import Api, Call, ResponseShapeError, bad_request, google_error

# A request body that is not JSON (read_json's answer); each fake refuses it in its own words.
BAD_JSON: Any = object()
Reply = tuple[int, Any]


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, handler: type[BaseHTTPRequestHandler], hush: tuple[type[BaseException], ...]) -> None:
        self.hush = hush
        super().__init__(("127.0.0.1", 0), handler)

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A client that hangs up (a timeout, a cut) is part of what the tests do: `hush` keeps it off stderr.
        if not isinstance(sys.exc_info()[1], self.hush):
            super().handle_error(request, client_address)


class Loopback:
    """One HTTP server on 127.0.0.1 (a free port), serving on a daemon thread between start() and stop().

    `hush`: the handler exceptions not printed (default: a client that hung up; () prints every one).
    """

    def __init__(self, handler: type[BaseHTTPRequestHandler], name: str,
                 hush: tuple[type[BaseException], ...] = (OSError,)) -> None:
        self.httpd = _Server(handler, hush)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"  # bound already: the port is known
        self._thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.02},
                                        name=name, daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        if self._thread.ident is not None:  # shutdown() waits for serve_forever: only when it ran
            self.httpd.shutdown()
            self._thread.join(timeout=10)
        self.httpd.server_close()


def raise_shape_errors(errors: list[str], exc_type: Any) -> None:
    """At a fake's exit: the answers Google would never send fail the test (unless it failed already)."""
    if errors and exc_type is None:
        raise ResponseShapeError("\n".join(errors))


def refusal(api: Api, call: Call, query: dict[str, list[str]], body: Any) -> Reply | None:
    """Google's front end's 400, naming each field, for a query or body the method's discovery document does
    not allow; None when both are allowed."""
    problems = api.check_query(call.method, query)
    problems += api.validate(call.method.request, body, method_id=call.method.id)
    return (400, bad_request(problems)) if problems else None


def shaped(api: Api, call: Call | None, code: int, payload: Any, errors: list[str]) -> Reply:
    """The answer as sent. A success not in the method's response schema goes out as Google's 500 and is kept
    in `errors`, so the test fails at the fake's exit."""
    if code < 300 and call is not None:
        try:
            api.check_response(call, payload)
        except ResponseShapeError as exc:
            errors.append(str(exc))
            return 500, google_error(500, "INTERNAL", "The fake's answer was not in Google's shape.")
    return code, payload


class HttpFake:
    """A fake on one Loopback server: `url`, a context manager, and `shape_errors` raised at exit."""

    def __init__(self, handler: type[BaseHTTPRequestHandler], name: str,
                 hush: tuple[type[BaseException], ...] = (OSError,)) -> None:
        self.shape_errors: list[str] = []  # answers Google would never send: raised at __exit__
        self.http = Loopback(handler, name, hush)

    @property
    def url(self) -> str:
        return self.http.url

    def __enter__(self) -> Self:
        self.http.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.http.stop()
        raise_shape_errors(self.shape_errors, exc[0])


class JsonHandler(BaseHTTPRequestHandler):
    """HTTP/1.1 keep-alive like Google's front end, quiet, with the body and reply helpers every fake uses."""

    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # else every reply waits ~40 ms for a delayed ACK

    def log_message(self, *_: Any) -> None:  # keep test output clean
        pass

    def read_raw(self) -> bytes:
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def read_json(self) -> Any:
        """The JSON body, None when there is none, BAD_JSON when it is not JSON."""
        raw = self.read_raw()
        try:
            return json.loads(raw) if raw else None
        except ValueError:
            return BAD_JSON

    def send(self, code: int, data: bytes, headers: Iterable[tuple[str, str]] = ()) -> None:
        """One reply. A 204 or 304 has no body (HTTP/1.1). A client that gave up meanwhile (a stall, a late
        commit) makes the write fail: the connection closes, as a real server's would."""
        bodyless = code in (204, 304)
        self.send_response(code)
        for key, value in headers:
            self.send_header(key, value)
        self.send_header("Content-Length", str(0 if bodyless else len(data)))
        self.end_headers()
        if bodyless:
            return
        try:
            self.wfile.write(data)
        except OSError:
            self.close_connection = True

    def send_json(self, code: int, payload: Any) -> None:
        self.send(code, json.dumps(payload).encode(), [("Content-Type", "application/json")])

    def hang_up(self) -> None:
        """Close the connection without an answer: the network is gone."""
        self.close_connection = True
        self.connection.shutdown(2)


class _Auth(Protocol):
    def rest_error(self, headers: Any) -> tuple[int, dict[str, Any]] | None: ...


class RestFake(Protocol):
    """What rest_handler serves: the token check, and the answer (None: hang up without one)."""

    @property
    def auth(self) -> _Auth: ...

    def answer(self, verb: str, path: str, query: dict[str, list[str]], body: Any) -> Reply | None: ...


def rest_handler(server: RestFake, verbs: Iterable[str]) -> type[JsonHandler]:
    """A handler for `verbs` that checks the caller's token before anything else (as Google does), refuses
    a body that is not JSON, and sends `server.answer(...)` as JSON; other verbs get http.server's 501."""
    from urllib.parse import parse_qs, urlsplit

    class Handler(JsonHandler):
        def _handle(self) -> None:
            parts = urlsplit(self.path)
            body = self.read_json()
            answered = server.auth.rest_error(self.headers)
            if answered is None:
                if body is BAD_JSON:
                    answered = 400, google_error(400, "INVALID_ARGUMENT", "Invalid JSON payload received.")
                else:
                    answered = server.answer(self.command, parts.path, parse_qs(parts.query), body)
            if answered is None:
                self.hang_up()
                return
            self.send_json(*answered)

    for verb in verbs:
        setattr(Handler, f"do_{verb}", Handler._handle)
    return Handler
