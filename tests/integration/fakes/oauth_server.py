"""A fake Google authorization server on 127.0.0.1 for the real google-auth-oauthlib flow.

It checks what Google checks for a desktop client: the client id, a loopback redirect URI, the S256
PKCE challenge against the verifier, and client authentication (HTTP Basic or client_secret in the
body). It issues access/refresh/id tokens, refreshes, revokes (then refresh gives invalid_grant), can
deny consent (error=access_denied) or answer with a wrong state, and serves Cloud Resource Manager's
`GET /v3/projects:search` for a valid access token. While it runs, the fake API servers accept the
access tokens it issued (see google_auth.py); `expire_access_tokens()` makes Google drop them early.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import threading
import time
from http.server import BaseHTTPRequestHandler
from urllib.parse import parse_qs, urlencode, urlsplit

from tests.integration.fakes.google_auth import ISSUERS, Issued, jwt_claims
from tests.integration.fakes.http_base import Loopback

CLIENT_ID = "1234567890-fake.apps.googleusercontent.com"
CLIENT_SECRET = "GOCSPX-fake-test-secret-not-real"
EMAIL = "operator@example.com"


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


class FakeOAuthServer:
    """`with FakeOAuthServer() as srv:`; `srv.client_config()` is a desktop client JSON pointing here.

    Attributes:
        mode: "ok", "deny" (consent refused) or "bad_state" (answers with another state).
        projects: what projects.search returns, as (project_id, display name).
        errors: what the server rejected and why (tests assert it stays empty on the happy path).
        access_lifetime: seconds an access token lives (Google: 3599).
    """

    def __init__(self) -> None:
        self.mode = "ok"
        self.projects: list[tuple[str, str]] = [("alpha-project", "Alpha"), ("beta-project", "Beta")]
        self.codes: dict[str, dict] = {}
        self.refresh_tokens: dict[str, bool] = {}  # token -> still valid
        self.refresh_scopes: dict[str, str] = {}  # refresh token -> the scopes granted with it
        self.access_tokens: dict[str, Issued] = {}
        self._granted_by: dict[str, str] = {}  # access token -> the refresh token it came from
        self.access_lifetime = 3599
        self.errors: list[str] = []
        self.token_requests: list[dict] = []
        self.revoked: list[str] = []
        self.service_accounts: set[str] = set()  # client_email values accepted for jwt-bearer grants
        self._lock = threading.Lock()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:
                pass

            def do_GET(self) -> None:
                fake._dispatch(self, "GET")

            def do_POST(self) -> None:
                fake._dispatch(self, "POST")

        self._http = Loopback(Handler, "fake-oauth", hush=())
        self.url = self._http.url

    def __enter__(self) -> FakeOAuthServer:
        self._http.start()
        ISSUERS.add(self)
        return self

    def __exit__(self, *exc) -> None:
        ISSUERS.remove(self)
        self._http.stop()

    def client_config(self) -> dict:
        return {"installed": {
            "client_id": CLIENT_ID, "client_secret": CLIENT_SECRET, "project_id": "fake-project",
            "auth_uri": f"{self.url}/o/oauth2/auth", "token_uri": f"{self.url}/token",
            "revoke_uri": f"{self.url}/revoke", "redirect_uris": ["http://localhost"]}}

    def lookup(self, token: str) -> Issued | None:
        """The access token as issued here, or a service account's self-signed JWT (see _projects)."""
        with self._lock:
            issued = self.access_tokens.get(token)
        if issued is not None:
            return issued
        claims = jwt_claims(token)
        if claims.get("iss") in self.service_accounts:
            # A self-signed JWT names its scope, or (as client libraries send it) the API as audience.
            scope = claims.get("scope") or "https://www.googleapis.com/auth/cloud-platform"
            return Issued(token, scope, float(claims.get("exp", 0)))
        return None

    def issue_refresh_token(self, scope: str) -> str:
        """A refresh token as if the operator had consented to `scope` in an earlier sign-in."""
        refresh = "1//fake-refresh-" + secrets.token_urlsafe(24)
        with self._lock:
            self.refresh_tokens[refresh] = True
            self.refresh_scopes[refresh] = scope
        return refresh

    def expire_access_tokens(self) -> None:
        """Every access token issued so far stops working now (the client still thinks it is valid)."""
        with self._lock:
            for token, issued in self.access_tokens.items():
                self.access_tokens[token] = Issued(token, issued.scope, time.time() - 1)

    def revoke_all(self) -> None:
        with self._lock:
            for token in self.refresh_tokens:
                self._revoke(token)

    def _revoke(self, refresh: str) -> None:
        """Google revokes the access tokens of a revoked refresh token too (called under the lock)."""
        self.refresh_tokens[refresh] = False
        for access, parent in self._granted_by.items():
            if parent == refresh:
                issued = self.access_tokens[access]
                self.access_tokens[access] = Issued(access, issued.scope, min(issued.expires_at, time.time() - 1))

    # ------------------------------------------------------------ HTTP

    def _reply(self, h, status: int, body: object | None = None, headers: dict | None = None) -> None:
        data = json.dumps(body).encode() if body is not None else b""
        h.send_response(status)
        for k, v in (headers or {}).items():
            h.send_header(k, v)
        if body is not None:
            h.send_header("Content-Type", "application/json")
        h.send_header("Content-Length", str(len(data)))
        h.end_headers()
        h.wfile.write(data)

    def _reject(self, h, status: int, error: str, why: str) -> None:
        self.errors.append(f"{error}: {why}")
        self._reply(h, status, {"error": error, "error_description": why})

    def _dispatch(self, h, method: str) -> None:
        parts = urlsplit(h.path)
        query = {k: v[0] for k, v in parse_qs(parts.query).items()}
        form: dict[str, str] = {}
        if method == "POST":
            raw = h.rfile.read(int(h.headers.get("Content-Length") or 0)).decode()
            form = {k: v[0] for k, v in parse_qs(raw).items()}
        route = (method, parts.path)
        if route == ("GET", "/o/oauth2/auth"):
            return self._authorize(h, query)
        if route == ("POST", "/token"):
            return self._token(h, form)
        if route == ("POST", "/revoke"):
            token = form.get("token") or query.get("token", "")
            with self._lock:
                known = token in self.refresh_tokens
                if known:
                    self._revoke(token)
                    self.revoked.append(token)
            return self._reply(h, 200 if known else 400, {} if known else {"error": "invalid_token"})
        if route == ("GET", "/v3/projects:search"):
            return self._projects(h)
        self._reply(h, 404, {"error": "not_found"})

    def _authorize(self, h, q: dict[str, str]) -> None:
        redirect = q.get("redirect_uri", "")
        if q.get("client_id") != CLIENT_ID:
            return self._reject(h, 400, "invalid_client", "unknown client_id")
        if not redirect.startswith("http://127.0.0.1:") or q.get("response_type") != "code":
            return self._reject(h, 400, "invalid_request", f"bad redirect_uri or response_type: {redirect}")
        if q.get("code_challenge_method") != "S256" or not q.get("code_challenge"):
            return self._reject(h, 400, "invalid_request", "PKCE S256 challenge required")
        state = q.get("state", "")
        if self.mode == "deny":
            params = {"error": "access_denied", "state": state}
        else:
            code = secrets.token_urlsafe(16)
            with self._lock:
                self.codes[code] = {"redirect_uri": redirect, "challenge": q["code_challenge"],
                                    "scope": q.get("scope", "")}
            params = {"code": code, "state": "forged-state" if self.mode == "bad_state" else state,
                      "scope": q.get("scope", "")}
        self._reply(h, 302, None, {"Location": f"{redirect}?{urlencode(params)}"})

    def _client_ok(self, h, form: dict[str, str]) -> bool:
        auth = h.headers.get("Authorization", "")
        if auth.startswith("Basic "):
            cid, _, secret = base64.b64decode(auth[6:]).decode().partition(":")
        else:
            cid, secret = form.get("client_id", ""), form.get("client_secret", "")
        return cid == CLIENT_ID and secret == CLIENT_SECRET

    def _token(self, h, form: dict[str, str]) -> None:
        self.token_requests.append({k: v for k, v in form.items() if k == "grant_type"})
        if form.get("grant_type") == "urn:ietf:params:oauth:grant-type:jwt-bearer":
            return self._service_account(h, form.get("assertion", ""))
        if not self._client_ok(h, form):
            return self._reject(h, 401, "invalid_client", "client authentication failed")
        grant = form.get("grant_type")
        if grant == "authorization_code":
            with self._lock:
                issued = self.codes.pop(form.get("code", ""), None)
            if issued is None:
                return self._reject(h, 400, "invalid_grant", "unknown or used code")
            if form.get("redirect_uri") != issued["redirect_uri"]:
                return self._reject(h, 400, "invalid_grant", "redirect_uri mismatch")
            verifier = form.get("code_verifier", "")
            if _b64(hashlib.sha256(verifier.encode()).digest()) != issued["challenge"]:
                return self._reject(h, 400, "invalid_grant", "PKCE verifier does not match the challenge")
            refresh = self.issue_refresh_token(issued["scope"])
            return self._reply(h, 200, self._access(issued["scope"], refresh, parent=refresh))
        if grant == "refresh_token":
            with self._lock:
                valid = self.refresh_tokens.get(form.get("refresh_token", ""), False)
                granted = self.refresh_scopes.get(form.get("refresh_token", ""), "")
            if not valid:
                return self._reply(h, 400, {"error": "invalid_grant",
                                            "error_description": "Token has been expired or revoked."})
            asked = form.get("scope", "")
            if asked and not set(asked.split()) <= set(granted.split()):
                return self._reject(h, 400, "invalid_scope", "scope beyond what was granted")
            return self._reply(h, 200, self._access(asked or granted, None, parent=form["refresh_token"]))
        self._reject(h, 400, "unsupported_grant_type", str(grant))

    def _service_account(self, h, assertion: str) -> None:
        """A service account's signed JWT (the signature is not checked: the key is the test's own).
        google-auth always puts Google's token endpoint in `aud`, whatever token_uri it posts to."""
        claims = jwt_claims(assertion)
        if claims.get("iss") not in self.service_accounts or claims.get("aud") != "https://oauth2.googleapis.com/token":
            return self._reject(h, 400, "invalid_grant", "unknown service account or audience")
        self._reply(h, 200, self._access(claims.get("scope", ""), None))

    def _access(self, scope: str, refresh: str | None, parent: str = "") -> dict:
        token = "ya29.fake-" + secrets.token_urlsafe(24)
        with self._lock:
            self.access_tokens[token] = Issued(token, scope, time.time() + self.access_lifetime)
            if parent:
                self._granted_by[token] = parent
        body = {"access_token": token, "expires_in": self.access_lifetime, "token_type": "Bearer", "scope": scope}
        if refresh:
            claims = {"iss": self.url, "aud": CLIENT_ID, "sub": "1001", "email": EMAIL, "email_verified": True}
            body["refresh_token"] = refresh
            body["id_token"] = ".".join([_b64(b'{"alg":"none"}'), _b64(json.dumps(claims).encode()), "sig"])
        return body

    def _projects(self, h) -> None:
        token = h.headers.get("Authorization", "").removeprefix("Bearer ")
        # Client libraries send service accounts' self-signed JWTs straight to the API (no token endpoint).
        issued = self.lookup(token)
        if issued is None or issued.expires_at <= time.time():
            return self._reply(h, 401, {"error": {"code": 401, "message": "Request had invalid authentication "
                                                  "credentials.", "status": "UNAUTHENTICATED"}})
        projects = [{"name": f"projects/{100 + i}", "projectId": pid, "displayName": name, "state": "ACTIVE"}
                    for i, (pid, name) in enumerate(self.projects)]
        self._reply(h, 200, {"projects": projects})
