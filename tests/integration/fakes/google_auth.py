"""What Google's front end checks before any API method runs, for the fake API servers.

A request must carry `Authorization: Bearer <token>` where the token was issued by a running
`FakeOAuthServer` (unexpired, with the cloud-platform scope) or is a self-signed JWT of one of its
service accounts. Otherwise the answer has Google's shape: REST 401 `UNAUTHENTICATED` (403
`PERMISSION_DENIED` for a token without the scope), gRPC status UNAUTHENTICATED. Where a test demands
it, `x-goog-user-project` must name the quota project (Google answers 403 without it for user
credentials on APIs that need a quota project).
"""

from __future__ import annotations

import base64
import json
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

CLOUD_SCOPE = "https://www.googleapis.com/auth/cloud-platform"
_MISSING = ("Request is missing required authentication credential. Expected OAuth 2 access token, login "
            "cookie or other valid authentication credential. See "
            "https://developers.google.com/identity/sign-in/web/devconsole-project.")
_INVALID = ("Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or "
            "other valid authentication credential. See "
            "https://developers.google.com/identity/sign-in/web/devconsole-project.")
_SCOPE = "Request had insufficient authentication scopes."


@dataclass(frozen=True)
class Issued:
    """An access token as its issuer knows it."""

    token: str
    scope: str  # space separated
    expires_at: float  # epoch seconds


class Issuer(Protocol):
    def lookup(self, token: str) -> Issued | None: ...


class _Issuers:
    """Token servers running in this process (a FakeOAuthServer registers itself while it runs)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._live: list[Issuer] = []

    def add(self, issuer: Issuer) -> None:
        with self._lock:
            self._live.append(issuer)

    def remove(self, issuer: Issuer) -> None:
        with self._lock:
            if issuer in self._live:
                self._live.remove(issuer)

    def lookup(self, token: str) -> Issued | None:
        with self._lock:
            live = list(self._live)
        return next((hit for hit in (i.lookup(token) for i in live) if hit is not None), None)


ISSUERS = _Issuers()


def jwt_claims(token: str) -> dict[str, Any]:
    """The payload of a JWT (signature not checked: the keys in tests are the tests' own), or {}."""
    try:
        payload = token.split(".")[1]
        claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
        return claims if isinstance(claims, dict) else {}
    except (IndexError, ValueError):
        return {}


@dataclass
class Denial:
    """Why a request was refused: HTTP code, canonical status, Google's message, ErrorInfo reason."""

    code: int
    status: str
    message: str
    reason: str

    def rest_body(self, service: str) -> dict[str, Any]:
        return {"error": {"code": self.code, "message": self.message, "status": self.status, "details": [
            {"@type": "type.googleapis.com/google.rpc.ErrorInfo", "reason": self.reason,
             "domain": "googleapis.com", "metadata": {"service": service}}]}}


@dataclass
class BearerCheck:
    """The credential check of one fake API.

    Attributes:
        required: False only for tests of the developer-anonymous mode.
        user_project: when set, `x-goog-user-project` must equal it.
        service: the API's host name, reported in error details.
        rejected: the reason of each refusal, in order (tests assert on it).
        seen_tokens: every accepted token, in order (tests see a refresh as a new token).
        user_projects: the x-goog-user-project of each accepted request ("" when absent).
    """

    required: bool = True
    user_project: str | None = None
    service: str = "googleapis.com"
    rejected: list[str] = field(default_factory=list)
    seen_tokens: list[str] = field(default_factory=list)
    user_projects: list[str] = field(default_factory=list)

    def denial(self, headers: Mapping[str, str]) -> Denial | None:
        """None when the request may go on; else what Google would answer."""
        found = {k.lower(): v for k, v in headers.items()}
        denial = self._judge(found) if self.required else None
        if denial is None:
            self.seen_tokens.append(found.get("authorization", "").removeprefix("Bearer "))
            self.user_projects.append(found.get("x-goog-user-project", ""))
        else:
            self.rejected.append(denial.reason)
        return denial

    def _judge(self, headers: dict[str, str]) -> Denial | None:
        auth = headers.get("authorization", "")
        if not auth:
            return Denial(401, "UNAUTHENTICATED", _MISSING, "CREDENTIALS_MISSING")
        if not auth.startswith("Bearer ") or not auth[7:].strip():
            return Denial(401, "UNAUTHENTICATED", _INVALID, "ACCESS_TOKEN_TYPE_UNSUPPORTED")
        issued = ISSUERS.lookup(auth[7:].strip())
        if issued is None:
            return Denial(401, "UNAUTHENTICATED", _INVALID, "ACCESS_TOKEN_INVALID")
        if issued.expires_at <= time.time():
            return Denial(401, "UNAUTHENTICATED", _INVALID, "ACCESS_TOKEN_EXPIRED")
        if CLOUD_SCOPE not in issued.scope.split():
            return Denial(403, "PERMISSION_DENIED", _SCOPE, "ACCESS_TOKEN_SCOPE_INSUFFICIENT")
        if self.user_project is not None and headers.get("x-goog-user-project") != self.user_project:
            said = headers.get("x-goog-user-project")
            message = (f"Caller does not have required permission to use project {said}." if said else
                       "Your application is authenticating by using user credentials, and the API requires a "
                       "quota project, which is not set. Set x-goog-user-project.")
            return Denial(403, "PERMISSION_DENIED", message, "USER_PROJECT_DENIED")
        return None

    def rest_error(self, headers: Mapping[str, str]) -> tuple[int, dict[str, Any]] | None:
        """(HTTP code, JSON body) of the refusal, or None when the request may go on."""
        denial = self.denial(headers)
        return None if denial is None else (denial.code, denial.rest_body(self.service))

    def grpc_check(self, context: Any) -> None:
        """Abort the gRPC call (UNAUTHENTICATED / PERMISSION_DENIED) unless its metadata passes."""
        import grpc

        denial = self.denial(dict(context.invocation_metadata()))
        if denial is not None:
            code = grpc.StatusCode.UNAUTHENTICATED if denial.code == 401 else grpc.StatusCode.PERMISSION_DENIED
            context.abort(code, denial.message)
