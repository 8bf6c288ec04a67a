"""The real google-auth-oauthlib desktop flow against a fake authorization server on 127.0.0.1.

The "browser" is a function that GETs the authorization URL and follows the redirect to the app's
loopback redirect URI, as a real browser would after the operator clicks Allow.
"""

from __future__ import annotations

import stat
import threading
import time

import keyring.backend
import pytest
import requests

from core.errors import AuthError
from core.google import auth
from core.google.auth import AuthMode, AuthSettings, GoogleSignIn, SignInCancelled
from core.store import secrets
from core.store.secrets import SecretStore
from tests.integration.fakes.oauth_server import CLIENT_ID, EMAIL, FakeOAuthServer


class MemoryKeyring(keyring.backend.KeyringBackend):
    """An in-process keyring (the real Secret Service is covered in tests/unit/test_secrets*.py)."""

    priority = 1  # type: ignore[assignment]
    viable = False  # used only where a test sets it: never joins keyring's default chain for later tests

    def __init__(self) -> None:
        super().__init__()
        self.items: dict[tuple[str, str], str] = {}

    def get_password(self, service, username):
        return self.items.get((service, username))

    def set_password(self, service, username, password):
        self.items[(service, username)] = password

    def delete_password(self, service, username):
        del self.items[(service, username)]


@pytest.fixture(autouse=True)
def _env(tmp_path, monkeypatch):
    monkeypatch.setenv("T4PANEL_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("OAUTHLIB_INSECURE_TRANSPORT", "1")  # the fake speaks http on 127.0.0.1 (tests only)
    monkeypatch.setenv("NO_GCE_CHECK", "true")
    monkeypatch.setenv("CLOUDSDK_CONFIG", str(tmp_path / "gcloud"))
    monkeypatch.delenv("GOOGLE_APPLICATION_CREDENTIALS", raising=False)


@pytest.fixture
def server():
    with FakeOAuthServer() as srv:
        yield srv


@pytest.fixture
def ring():
    return MemoryKeyring()


def browser(url: str) -> None:
    """Click "Allow": load the consent page and follow its redirect back to the app (in the background)."""
    threading.Thread(target=lambda: requests.get(url, timeout=10), daemon=True).start()


def sign_in(server, store, **kw):
    return GoogleSignIn(server.client_config(), store, kw.pop("open_browser", browser),
                        timeout_seconds=kw.pop("timeout_seconds", 10)).run()


def test_sign_in_keeps_the_refresh_token_in_the_keyring(server, ring):
    result = sign_in(server, SecretStore(backend=ring))
    assert result.email == EMAIL
    assert server.errors == []  # PKCE, redirect URI and client authentication all checked out
    import json

    kept = json.loads(ring.items[("t4panel", secrets.GOOGLE_TOKEN)])
    assert kept["refresh_token"] == result.credentials.refresh_token
    assert kept["client_id"] == CLIENT_ID and kept["email"] == EMAIL
    assert len(ring.items[("t4panel", secrets.GOOGLE_TOKEN)]) < secrets.MAX_SECRET_CHARS
    # Nothing secret lands in T4PANEL_HOME.
    auth.save_auth_settings(AuthSettings(AuthMode.OAUTH, client_config_path="/x/client.json"))
    home_text = "".join(p.read_text() for p in auth.auth_settings_path().parent.rglob("*") if p.is_file())
    assert kept["refresh_token"] not in home_text and kept["client_secret"] not in home_text


def test_restart_restores_and_refreshes(server, ring):
    sign_in(server, SecretStore(backend=ring))
    restarted = SecretStore(backend=ring)
    assert auth.signed_in_email(restarted) == EMAIL
    creds = auth.google_credentials(AuthSettings(AuthMode.OAUTH), restarted, quota_project="alpha-project")
    assert creds.token in server.access_tokens
    assert creds.quota_project_id == "alpha-project"
    assert auth.CLOUD_SCOPE in creds.scopes
    assert server.token_requests[-1] == {"grant_type": "refresh_token"}
    assert auth.list_projects(creds, endpoint=server.url) == [("alpha-project", "Alpha"), ("beta-project", "Beta")]


def test_revoked_refresh_token_asks_to_sign_in_again(server, ring):
    sign_in(server, SecretStore(backend=ring))
    server.revoke_all()
    with pytest.raises(AuthError) as err:
        auth.google_credentials(AuthSettings(AuthMode.OAUTH), SecretStore(backend=ring))
    assert "sign in with Google again" in err.value.message
    assert err.value.title == "Google sign-in needed"
    assert "invalid_grant" in str(err.value.__cause__)


def test_sign_out_revokes_and_forgets(server, ring):
    store = SecretStore(backend=ring)
    token = sign_in(server, store).credentials.refresh_token
    auth.sign_out(store)
    assert server.revoked == [token]
    assert auth.signed_in_email(store) is None
    with pytest.raises(AuthError, match="not signed in"):
        auth.google_credentials(AuthSettings(AuthMode.OAUTH), store)


def test_sign_out_offline_still_forgets(ring):
    store = SecretStore(backend=ring)
    store.set(secrets.GOOGLE_TOKEN, '{"refresh_token": "1//x", "revoke_uri": "http://127.0.0.1:9/revoke"}')
    auth.sign_out(store, timeout=1)
    assert store.get(secrets.GOOGLE_TOKEN) is None


def test_state_mismatch(server, ring):
    server.mode = "bad_state"
    with pytest.raises(AuthError, match="did not belong to this sign-in"):
        sign_in(server, SecretStore(backend=ring))
    assert auth.signed_in_email(SecretStore(backend=ring)) is None


def test_consent_denied(server, ring):
    server.mode = "deny"
    with pytest.raises(AuthError) as err:
        sign_in(server, SecretStore(backend=ring))
    assert err.value.title == "Sign-in declined"
    assert "Access was not granted" in err.value.message


def test_browser_timeout(server, ring):
    start = time.monotonic()
    with pytest.raises(AuthError) as err:
        sign_in(server, SecretStore(backend=ring), open_browser=lambda url: None, timeout_seconds=1)
    assert time.monotonic() - start < 5
    assert err.value.title == "Sign-in timed out"
    assert "did not finish signing in" in err.value.message


def test_cancel_unblocks_the_flow(server, ring):
    opened = threading.Event()
    flow = GoogleSignIn(server.client_config(), SecretStore(backend=ring), lambda url: opened.set(),
                        timeout_seconds=60)
    outcome: list[BaseException] = []
    worker = threading.Thread(target=lambda: _capture(flow.run, outcome))
    worker.start()
    assert opened.wait(5)
    start = time.monotonic()
    flow.cancel()
    worker.join(5)
    assert not worker.is_alive()
    assert time.monotonic() - start < 3
    assert isinstance(outcome[0], SignInCancelled)
    assert outcome[0].message == "Sign-in was cancelled."


def test_cancel_before_the_browser_opens(server, ring):
    flow = GoogleSignIn(server.client_config(), SecretStore(backend=ring), lambda url: pytest.fail("opened"))
    flow.cancel()
    with pytest.raises(SignInCancelled):
        flow.run()


def _capture(fn, into):
    try:
        into.append(fn())
    except BaseException as exc:  # noqa: BLE001 - handed to the test thread
        into.append(exc)


def test_fake_server_enforces_pkce_and_client_authentication(server, ring):
    """The server really checks the verifier and the client secret (so the happy path proves something)."""
    seen: dict[str, str] = {}

    def capture(url: str) -> None:
        seen["location"] = requests.get(url, allow_redirects=False, timeout=5).headers["Location"]

    flow = GoogleSignIn(server.client_config(), SecretStore(backend=ring), capture, timeout_seconds=30)
    worker = threading.Thread(target=lambda: _capture(flow.run, []))
    worker.start()
    deadline = time.monotonic() + 5
    while "location" not in seen and time.monotonic() < deadline:
        time.sleep(0.02)
    from urllib.parse import parse_qs, urlsplit

    redirect = seen["location"].split("?")[0]
    code = parse_qs(urlsplit(seen["location"]).query)["code"][0]
    form = {"grant_type": "authorization_code", "code": code, "redirect_uri": redirect,
            "code_verifier": "wrong-verifier-" + "x" * 40}
    bad_client = requests.post(f"{server.url}/token", data=form, auth=(CLIENT_ID, "wrong"), timeout=5)
    assert bad_client.status_code == 401
    bad_pkce = requests.post(f"{server.url}/token", data=form, auth=(CLIENT_ID, server.client_config()[
        "installed"]["client_secret"]), timeout=5)
    assert bad_pkce.json()["error_description"] == "PKCE verifier does not match the challenge"
    flow.cancel()
    worker.join(5)
    assert not worker.is_alive()


def test_auth_settings_file_is_private_and_round_trips():
    saved = AuthSettings(AuthMode.SERVICE_ACCOUNT, service_account_path="/keys/sa.json")
    path = auth.save_auth_settings(saved)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert auth.load_auth_settings() == saved


def test_adc_and_service_account_problems_are_sentences(tmp_path):
    assert auth.adc_available() is False
    with pytest.raises(AuthError, match="application-default login"):
        auth.google_credentials(AuthSettings(AuthMode.ADC), SecretStore(session_only=True), refresh=False)
    with pytest.raises(AuthError, match="missing or not a service-account JSON key"):
        auth.google_credentials(AuthSettings(AuthMode.SERVICE_ACCOUNT, service_account_path=str(tmp_path / "no.json")),
                                SecretStore(session_only=True))


def test_bad_client_file(tmp_path):
    path = tmp_path / "client.json"
    path.write_text('{"web": {"client_id": "x"}}')
    with pytest.raises(AuthError, match="not a desktop-app client"):
        auth.load_client_config(path)


def test_service_account_key_file_end_to_end(server, tmp_path):
    import json

    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    pem = rsa.generate_private_key(public_exponent=65537, key_size=2048).private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()).decode()
    email = "runner@alpha-project.iam.gserviceaccount.com"
    server.service_accounts.add(email)
    key_file = tmp_path / "sa.json"
    key_file.write_text(json.dumps({"type": "service_account", "project_id": "alpha-project", "private_key_id": "k1",
                                    "private_key": pem, "client_email": email, "client_id": "42",
                                    "token_uri": f"{server.url}/token"}))
    settings = AuthSettings(AuthMode.SERVICE_ACCOUNT, service_account_path=str(key_file))
    auth.save_auth_settings(settings)
    assert pem not in auth.auth_settings_path().read_text()  # the path is stored, never the key
    creds = auth.google_credentials(settings, SecretStore(session_only=True), quota_project="alpha-project")
    assert creds.token in server.access_tokens
    assert creds.quota_project_id == "alpha-project"
    assert creds.service_account_email == email
    assert auth.list_projects(creds, endpoint=server.url)[0] == ("alpha-project", "Alpha")


def test_adc_found_and_used(tmp_path, monkeypatch):
    import json

    adc = tmp_path / "gcloud" / "application_default_credentials.json"
    adc.parent.mkdir(parents=True)
    adc.write_text(json.dumps({"type": "authorized_user", "client_id": "c.apps.googleusercontent.com",
                               "client_secret": "fake", "refresh_token": "1//fake"}))
    assert auth.adc_available() is True
    creds = auth.google_credentials(AuthSettings(AuthMode.ADC), SecretStore(session_only=True),
                                    quota_project="alpha-project", refresh=False)
    assert creds.refresh_token == "1//fake"
    assert creds.quota_project_id == "alpha-project"


def test_refused_service_account_key_says_so(server, tmp_path):
    import json

    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    pem = rsa.generate_private_key(public_exponent=65537, key_size=2048).private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()).decode()
    key_file = tmp_path / "sa.json"
    key_file.write_text(json.dumps({"type": "service_account", "private_key": pem, "client_id": "42",
                                    "client_email": "deleted@alpha-project.iam.gserviceaccount.com",
                                    "token_uri": f"{server.url}/token"}))
    with pytest.raises(AuthError, match="refused the service-account key"):
        auth.google_credentials(AuthSettings(AuthMode.SERVICE_ACCOUNT, service_account_path=str(key_file)),
                                SecretStore(session_only=True))
