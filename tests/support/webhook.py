"""A Slack-compatible incoming webhook on 127.0.0.1 that keeps every post it receives."""

from __future__ import annotations

import json
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler
from typing import Any

from tests.integration.fakes.http_base import Loopback


@dataclass(frozen=True)
class Post:
    path: str
    content_type: str
    body: Any


class WebhookServer:
    """Use as a context manager; `url` is the webhook address to configure, `posts` what arrived."""

    def __init__(self) -> None:
        self.posts: list[Post] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                server.posts.append(Post(self.path, self.headers.get("Content-Type", ""), json.loads(raw)))
                self.send_response(200)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")  # what Slack answers

            def log_message(self, *_: Any) -> None:
                pass

        self._http = Loopback(Handler, "fake-webhook", hush=())

    @property
    def url(self) -> str:
        return f"{self._http.url}/services/T000/B000/hooktoken"

    def __enter__(self) -> WebhookServer:
        self._http.start()
        return self

    def __exit__(self, *_: Any) -> None:
        self._http.stop()
