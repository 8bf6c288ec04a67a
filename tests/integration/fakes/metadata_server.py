"""A fake GCE metadata server (the job's service-account token) and a fake Secret Manager `access` endpoint,
on 127.0.0.1, for the secret bootstrap that a Vertex AI job runs before the operator's command.

Strict like Google:
- The metadata server answers only `GET /computeMetadata/v1/instance/service-accounts/default/token` with the
  `Metadata-Flavor: Google` header (403 without it, as on Compute Engine; requests carrying
  `X-Forwarded-For` are refused too), and 404 when the machine has no service account.
- Secret Manager matches every request to a method of Google's discovery document (secretmanager.v1.json,
  through discovery.py), serves only `secretmanager.projects.secrets.versions.access`, checks the query, wants
  `Authorization: Bearer <a token this metadata server issued, unexpired>` (401 otherwise), answers 403
  PERMISSION_DENIED when the service account is not an accessor of that secret, 404 when the secret or version
  is missing, and checks its own answer against the response schema.
Every request is recorded.
"""

from __future__ import annotations

import base64
import json
import secrets as random_tokens
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import parse_qs, urlsplit

import google_crc32c

from tests.integration.fakes.discovery import Api, ResponseShapeError, bad_request, google_error, not_found
from tests.integration.fakes.google_auth import CLOUD_SCOPE, ISSUERS, Issued
from tests.integration.fakes.http_base import Loopback

API = Api.load("secretmanager.v1")
ACCESS = "secretmanager.projects.secrets.versions.access"
TOKEN_PATH = "/computeMetadata/v1/instance/service-accounts/default/token"
RUNNER = "t4panel-runner@my-proj.iam.gserviceaccount.com"


@dataclass
class Seen:
    path: str
    headers: dict[str, str]


class _Server:
    """One server on 127.0.0.1 (http_base.Loopback) with a handler function; a context manager."""

    def __init__(self, handle: Any) -> None:
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                owner.seen.append(Seen(self.path, {k.lower(): v for k, v in self.headers.items()}))
                code, body, ctype = handle(self.path, {k.lower(): v for k, v in self.headers.items()})
                data = body if isinstance(body, bytes) else json.dumps(body).encode()
                self.send_response(code)
                self.send_header("Content-Type", ctype)
                if owner.flavor:  # how google-auth's ping knows it reached a metadata server
                    self.send_header("Metadata-Flavor", "Google")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_POST(self) -> None:  # neither API takes a POST here
                owner.seen.append(Seen(self.path, {k.lower(): v for k, v in self.headers.items()}))
                self.send_response(405)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *_: Any) -> None:
                pass

        self.seen: list[Seen] = []
        self.flavor = False
        self._http = Loopback(Handler, f"fake-{type(self).__name__}", hush=())

    @property
    def host(self) -> str:
        return self._http.url.removeprefix("http://")

    def __enter__(self) -> Any:
        self._http.start()
        return self

    def __exit__(self, *_: Any) -> None:
        self._http.stop()


class FakeMetadata(_Server):
    """The metadata server's token endpoint. Point the bootstrap at it with GCE_METADATA_HOST=`host`, and
    google-auth's Application Default Credentials with GCE_METADATA_HOST and GCE_METADATA_IP (it also answers
    the ping, the account's details and the project id). While it runs, the fake Google APIs accept its tokens.
    """

    def __init__(self, service_account: str | None = RUNNER, lifetime: float = 3599.0,
                 project: str = "my-proj") -> None:
        super().__init__(self._handle)
        self.flavor = True
        self.service_account = service_account
        self.lifetime = lifetime
        self.project = project
        self.issued: dict[str, float] = {}  # token -> expiry (epoch seconds)
        self._lock = threading.Lock()

    def __enter__(self) -> Any:
        ISSUERS.add(self)
        return super().__enter__()

    def __exit__(self, *exc: Any) -> None:
        ISSUERS.remove(self)
        super().__exit__(*exc)

    def valid(self, token: str) -> bool:
        with self._lock:
            return self.issued.get(token, 0.0) > time.time()

    def lookup(self, token: str) -> Issued | None:
        """The Issuer protocol of google_auth.py: the fake APIs' BearerCheck asks here too."""
        with self._lock:
            expiry = self.issued.get(token)
        return Issued(token, CLOUD_SCOPE, expiry) if expiry is not None else None

    def _handle(self, path: str, headers: dict[str, str]) -> tuple[int, Any, str]:
        if headers.get("metadata-flavor") != "Google" or "x-forwarded-for" in headers:
            return 403, b"Missing required header \"Metadata-Flavor\": \"Google\"", "text/html"
        where = urlsplit(path).path
        if where == "/":
            return 200, b"computeMetadata/\n", "application/text"
        if where == "/computeMetadata/v1/project/project-id":
            return 200, self.project.encode(), "application/text"
        if self.service_account is None:
            return 404, b"Not Found", "text/html"  # a machine without a service account has no token
        # The account is addressed as "default" or by its email, as on the real server: google-auth asks by
        # email once a credentials object has learnt it (a second refresh, a copy with a quota project).
        accounts = "/computeMetadata/v1/instance/service-accounts/"
        account, _, rest = where.removeprefix(accounts).partition("/") if where.startswith(accounts) else ("", "", "")
        if account not in ("default", self.service_account):
            return 404, b"Not Found", "text/html"
        if rest == "":
            return 200, {"aliases": ["default"], "email": self.service_account, "scopes": [CLOUD_SCOPE]}, \
                "application/json"
        if rest != "token":
            return 404, b"Not Found", "text/html"
        token = "ya29.meta-" + random_tokens.token_urlsafe(24)
        with self._lock:
            self.issued[token] = time.time() + self.lifetime
        return 200, {"access_token": token, "expires_in": int(self.lifetime), "token_type": "Bearer"}, \
            "application/json"


class FakeSecretManager(_Server):
    """Secret Manager's `access` method. Point the bootstrap at it with T4PANEL_SECRETMANAGER_ENDPOINT=`url`.

    Args:
        metadata: whose tokens are accepted.
        values: "projects/P/secrets/S" -> the latest version's value.
        accessors: the secrets ("projects/P/secrets/S") the service account may read (default: all of `values`).
    """

    def __init__(self, metadata: FakeMetadata, values: dict[str, str] | None = None,
                 accessors: set[str] | None = None, project_number: str = "123456789012") -> None:
        super().__init__(self._handle)
        self.metadata = metadata
        self.values = dict(values or {})
        self.accessors = accessors
        self.project_number = project_number
        self.wrong_answers: list[str] = []

    @property
    def url(self) -> str:
        return f"http://{self.host}"

    def accesses(self) -> list[str]:
        """The version names read successfully, in order."""
        return [s.path for s in self.seen]

    def __exit__(self, *exc: Any) -> None:
        super().__exit__(*exc)
        if self.wrong_answers:
            raise ResponseShapeError("; ".join(self.wrong_answers))

    def _handle(self, raw: str, headers: dict[str, str]) -> tuple[int, Any, str]:
        parts = urlsplit(raw)
        call = API.match("GET", parts.path, parse_qs(parts.query))
        if call is None:
            return 404, not_found("GET", parts.path), "application/json"
        problems = API.check_query(call.method, parse_qs(parts.query))
        if problems:
            return 400, bad_request(problems), "application/json"
        if call.method.id != ACCESS:
            return 501, google_error(501, "UNIMPLEMENTED", "Method not served by this fake."), "application/json"
        auth = headers.get("authorization", "")
        if not auth.startswith("Bearer ") or not self.metadata.valid(auth.removeprefix("Bearer ")):
            return 401, google_error(401, "UNAUTHENTICATED", "Request had invalid authentication credentials. "
                                     "Expected OAuth 2 access token, login cookie or other valid authentication "
                                     "credential."), "application/json"
        name = call.params["name"]
        secret = name.rsplit("/versions/", 1)[0]
        allowed = self.accessors if self.accessors is not None else set(self.values)
        if secret not in allowed:
            return 403, google_error(403, "PERMISSION_DENIED", f"Permission 'secretmanager.versions.access' denied "
                                     f"for resource '{name}' (or it may not exist)."), "application/json"
        if secret not in self.values or not name.endswith(("/versions/latest", "/versions/1")):
            return 404, google_error(404, "NOT_FOUND", f"Secret Version [{name}] not found."), "application/json"
        data = self.values[secret].encode("utf-8")
        _, _, secret_id = secret.rpartition("/")
        reply = {"name": f"projects/{self.project_number}/secrets/{secret_id}/versions/1",
                 "payload": {"data": base64.b64encode(data).decode(),
                             "dataCrc32c": str(google_crc32c.value(data))}}
        try:
            API.check_response(call, reply)
        except ResponseShapeError as exc:
            self.wrong_answers.append(str(exc))
            return 500, google_error(500, "INTERNAL", "fake answered wrongly"), "application/json"
        return 200, reply, "application/json"
