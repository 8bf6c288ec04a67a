"""A fake Supabase REST (PostgREST) endpoint on 127.0.0.1 that the real supabase client talks to.

It answers `GET /rest/v1/<table>?select=*&limit=N` with `Content-Range: 0-0/<count>` when asked for
`Prefer: count=exact`, checks the `apikey` and `Authorization: Bearer` headers, and answers a missing
table with PostgREST's own PGRST205 body.
"""

from __future__ import annotations

import json
from http.server import BaseHTTPRequestHandler
from urllib.parse import parse_qs, urlsplit

from tests.integration.fakes.http_base import Loopback


class FakePostgrest:
    """`with FakePostgrest(key, {"predictions": 3}) as srv:` then `srv.url`; edit `srv.tables` freely."""

    def __init__(self, key: str, tables: dict[str, int] | None = None) -> None:
        self.key = key
        self.tables: dict[str, int] = dict(tables or {})
        self.requests: list[dict] = []
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:  # keep test output quiet
                pass

            def do_GET(self) -> None:
                fake._get(self)

            def do_HEAD(self) -> None:
                fake._get(self)

        self._http = Loopback(Handler, "fake-postgrest", hush=())
        self.url = self._http.url

    def __enter__(self) -> FakePostgrest:
        self._http.start()
        return self

    def __exit__(self, *exc) -> None:
        self._http.stop()

    def _send(self, h: BaseHTTPRequestHandler, status: int, body: object,
              headers: dict[str, str] | None = None) -> None:
        data = json.dumps(body).encode()
        h.send_response(status)
        h.send_header("Content-Type", "application/json; charset=utf-8")
        h.send_header("Content-Length", str(len(data)))
        for k, v in (headers or {}).items():
            h.send_header(k, v)
        h.end_headers()
        if h.command != "HEAD":
            h.wfile.write(data)

    def _get(self, h: BaseHTTPRequestHandler) -> None:
        parts = urlsplit(h.path)
        query = parse_qs(parts.query)
        self.requests.append({"path": parts.path, "query": query, "headers": dict(h.headers)})
        if h.headers.get("apikey") != self.key or h.headers.get("Authorization") != f"Bearer {self.key}":
            # What Supabase's API gateway answers for a wrong key.
            return self._send(h, 401, {"message": "Invalid API key",
                                       "hint": "Double check your Supabase `anon` or `service_role` API key."})
        if not parts.path.startswith("/rest/v1/"):
            return self._send(h, 404, {"message": "no Route matched with those values"})
        table = parts.path[len("/rest/v1/"):]
        if table not in self.tables:
            return self._send(h, 404, {
                "code": "PGRST205", "details": None,
                "hint": None, "message": f"Could not find the table 'public.{table}' in the schema cache"})
        count = self.tables[table]
        limit = int(query.get("limit", ["1000"])[0])
        rows = [{"id": i + 1} for i in range(min(count, limit))]
        end = f"0-{len(rows) - 1}" if rows else "*"
        total = str(count) if "count=exact" in h.headers.get("Prefer", "") else "*"
        self._send(h, 200, rows, {"Content-Range": f"{end}/{total}"})
