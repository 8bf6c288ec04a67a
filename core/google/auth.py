"""Google credentials three ways (sign-in with Google, Application Default Credentials, a service-account
key file), the browser sign-in flow itself, sign-out and the project list.

The refresh token lives in the keyring (core.store.secrets); the chosen mode and file paths, which are not
secrets, live in auth.json next to config.toml until config.toml grows an [auth] table.
"""

from __future__ import annotations

import base64
import enum
import json
import logging
import os
import threading
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from core import paths
from core.errors import AuthError, Message, T4Error, msg
from core.store.secrets import GOOGLE_TOKEN, MAX_SECRET_CHARS, SecretStore

log = logging.getLogger(__name__)

CLOUD_SCOPE = "https://www.googleapis.com/auth/cloud-platform"
SIGN_IN_SCOPES = ("openid", "https://www.googleapis.com/auth/userinfo.email", CLOUD_SCOPE)
GOOGLE_REVOKE_URI = "https://oauth2.googleapis.com/revoke"
DEFAULT_SIGN_IN_TIMEOUT = 300
# These libraries log token requests and responses (refresh tokens, client secrets) at DEBUG.
_CHATTY_LOGGERS = ("requests_oauthlib", "oauthlib", "google_auth_oauthlib", "urllib3")
SIGN_IN_AGAIN = Message("auth.sign_in_again",
                        "Your Google sign-in has expired or was revoked. Open Settings and sign in with Google again.")
# Where the desktop OAuth client JSON is looked for (see `client_config_file`).
OAUTH_CLIENT_ENV = "T4PANEL_OAUTH_CLIENT_FILE"
OAUTH_CLIENT_FILE = "oauth_client.json"  # in the config folder, and in the bundle's resources (make package)
NO_CLIENT = Message(
    "auth.no_client", "This copy of T4 Panel has no Google sign-in built in. Three ways in: ask your administrator "
    "for the T4 Panel build with sign-in; or, if Google's gcloud tool is installed, run `gcloud auth "
    "application-default login` and choose Application Default Credentials here; or choose Service-account key "
    "file and pick the key file your administrator gave you.")


class AuthMode(str, enum.Enum):
    OAUTH = "oauth"  # Sign in with Google (refresh token in the keyring)
    ADC = "adc"  # gcloud auth application-default login
    SERVICE_ACCOUNT = "service_account"  # a key file chosen by path


class SignInCancelled(AuthError):
    """The operator pressed Cancel while the browser sign-in was waiting."""

    title_msg = Message("auth.cancelled.title", "Sign-in cancelled")


_CANCELLED = Message("auth.cancelled", "Sign-in was cancelled.")
_SETUP_TITLE = Message("auth.setup.title", "Sign-in setup needed")
_UNREACHABLE_TITLE = Message("auth.unreachable.title", "Google unreachable")


@dataclass
class AuthSettings:
    """Not secrets: how to get credentials. Saved as auth.json (proposed [auth] table of config.toml)."""

    mode: AuthMode = AuthMode.OAUTH
    client_config_path: str = ""  # the desktop OAuth client JSON the operator imported
    service_account_path: str = ""  # a service-account key file (the path only, never the key)


def auth_settings_path() -> Path:
    return paths.config_dir() / "auth.json"


def load_auth_settings() -> AuthSettings:
    """The saved settings, or defaults when there are none (or they cannot be read)."""
    try:
        data = json.loads(auth_settings_path().read_text(encoding="utf-8"))
        return AuthSettings(mode=AuthMode(data.get("mode", "oauth")),
                            client_config_path=str(data.get("client_config_path", "")),
                            service_account_path=str(data.get("service_account_path", "")))
    except FileNotFoundError:
        return AuthSettings()
    except (OSError, ValueError, AttributeError) as exc:
        log.warning("auth settings unreadable, using defaults: %s", exc)
        return AuthSettings()


def save_auth_settings(settings: AuthSettings) -> Path:
    """Write auth.json with mode 0600."""
    path = auth_settings_path()
    paths.ensure_private_dir(path.parent)
    data = {**asdict(settings), "mode": settings.mode.value}
    tmp = path.with_suffix(".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        json.dump(data, fh, indent=2)
    os.replace(tmp, path)
    return path


def _quiet_token_loggers() -> None:
    """Keep tokens out of the app log even when it runs at DEBUG."""
    for name in _CHATTY_LOGGERS:
        logger = logging.getLogger(name)
        if logger.getEffectiveLevel() < logging.WARNING:
            logger.setLevel(logging.WARNING)


def load_client_config(path: str | Path) -> dict[str, Any]:
    """Read a desktop ("installed") OAuth client JSON.

    Raises:
        AuthError: missing file or not a desktop client.
    """
    try:
        data: Any = json.loads(Path(path).expanduser().read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise AuthError(msg("auth.client_unreadable", "The sign-in client file {file} could not be read. Ask your "
                            "administrator for a working T4 Panel build with sign-in.", file=Path(path).name),
                        title=_SETUP_TITLE) from exc
    info = data.get("installed") if isinstance(data, dict) else None
    required = ("client_id", "client_secret", "auth_uri", "token_uri")
    if not isinstance(info, dict) or not all(info.get(k) for k in required):
        raise AuthError(msg("auth.client_not_desktop", "The sign-in client file {file} is not a desktop-app client. "
                            'Your administrator must create an OAuth client of type "Desktop app" in Google Cloud.',
                            file=Path(path).name), title=_SETUP_TITLE)
    client: dict[str, Any] = data  # a dict: `info` above could only be read from one
    return client


def client_config_file(settings: AuthSettings | None = None) -> Path | None:
    """Where the organisation's desktop OAuth client JSON is, or None when this install has none.

    In order: T4PANEL_OAUTH_CLIENT_FILE (an explicit choice, returned even when missing so the error names
    it); oauth_client.json in the config folder (an administrator's source install); the one the packager
    built in (`make package OAUTH_CLIENT=path` puts it in the bundle's resources); the file an older
    version of T4 Panel had the operator import (auth.json's client_config_path).
    """
    explicit = os.environ.get(OAUTH_CLIENT_ENV, "").strip()
    if explicit:
        return Path(explicit).expanduser()
    for candidate in (paths.config_dir() / OAUTH_CLIENT_FILE, paths.resources_dir() / OAUTH_CLIENT_FILE):
        if candidate.is_file():
            return candidate
    legacy = (settings or load_auth_settings()).client_config_path
    return Path(legacy).expanduser() if legacy else None


def find_client_config(settings: AuthSettings | None = None) -> dict[str, Any]:
    """The desktop OAuth client for "Sign in with Google".

    Raises:
        AuthError: there is none (NO_CLIENT: the three ways in), or it cannot be used.
    """
    path = client_config_file(settings)
    if path is None:
        raise AuthError(NO_CLIENT, title=_SETUP_TITLE)
    return load_client_config(path)


def auth_error_from(exc: BaseException, mode: AuthMode = AuthMode.OAUTH) -> T4Error:
    """Turn a google-auth refresh/transport error (raised anywhere, even inside a client call) into a T4Error."""
    from google.auth import exceptions as gexc

    if isinstance(exc, T4Error):
        return exc
    if isinstance(exc, gexc.RefreshError):
        if mode is AuthMode.SERVICE_ACCOUNT:
            return AuthError(msg("auth.sa_refused", "Google refused the service-account key (it may have been "
                                 "deleted or disabled). Create a new key and choose it in Settings."))
        if mode is AuthMode.ADC:
            return AuthError(msg("auth.adc_expired", "The Application Default Credentials have expired or were "
                                 "revoked. Run `gcloud auth application-default login` again, or choose another "
                                 "sign-in method in Settings."))
        if "invalid_grant" in str(exc) or "invalid_client" in str(exc):
            return AuthError(SIGN_IN_AGAIN)
        return AuthError(msg("auth.refused", "Google did not accept the saved sign-in. Sign in with Google again in "
                             "Settings."))
    if isinstance(exc, gexc.TransportError):
        return AuthError(msg("auth.check_unreachable", "Could not reach Google to check the sign-in. Check the "
                             "internet connection and retry."), title=_UNREACHABLE_TITLE)
    if isinstance(exc, gexc.DefaultCredentialsError):
        return AuthError(msg("auth.no_adc", "No Application Default Credentials were found. Run `gcloud auth "
                             "application-default login`, or choose another sign-in method in Settings."))
    return AuthError(msg("auth.failed", "Google sign-in failed ({error}). Sign in again in Settings.",
                         error=type(exc).__name__))


def adc_available() -> bool:
    """Whether Application Default Credentials look set up (a quick local check, no network)."""
    if os.environ.get("GOOGLE_APPLICATION_CREDENTIALS"):
        return Path(os.environ["GOOGLE_APPLICATION_CREDENTIALS"]).is_file()
    from google.auth import _cloud_sdk

    return Path(_cloud_sdk.get_application_default_credentials_path()).is_file()


def _stored_token(store: SecretStore) -> dict[str, Any] | None:
    raw = store.get(GOOGLE_TOKEN)
    if not raw:
        return None
    try:
        info: dict[str, Any] | None = json.loads(raw)
        return info
    except ValueError:
        log.warning("stored Google token is not JSON; ignoring it")
        return None


def signed_in_email(store: SecretStore) -> str | None:
    """The email of the signed-in Google account ("" when unknown), None when not signed in."""
    info = _stored_token(store)
    return None if info is None else str(info.get("email") or "")


def google_credentials(settings: AuthSettings | None = None, store: SecretStore | None = None,
                       quota_project: str | None = None, *, refresh: bool = True,
                       scopes: list[str] | None = None) -> Any:
    """google.auth credentials with the cloud-platform scope, as chosen in `settings`.

    Args:
        settings: the mode and paths; None reads auth.json (`load_auth_settings`).
        store: where the sign-in refresh token is kept; None opens the keyring (pass the app's own
            store so a "this session only" sign-in is found).
        quota_project: the configured Google Cloud project (billing/quota for API calls), or None.
        refresh: get an access token now, so a revoked sign-in shows up here (network; off the UI thread).
        scopes: for ADC and service accounts (default cloud-platform); a sign-in keeps its granted scopes.

    Raises:
        AuthError: not signed in, revoked ("sign in again"), no ADC, unreadable key file, no network.
        SecretsError: the keyring cannot be read.
    """
    from google.auth import exceptions as gexc

    settings = settings or load_auth_settings()
    store = store or SecretStore()
    scopes = list(scopes or [CLOUD_SCOPE])
    try:
        if settings.mode is AuthMode.OAUTH:
            creds = _oauth_credentials(store, quota_project)
        elif settings.mode is AuthMode.ADC:
            import google.auth

            creds, _ = google.auth.default(scopes=scopes, quota_project_id=quota_project)
        else:
            creds = _service_account_credentials(settings.service_account_path, quota_project, scopes)
        if refresh:
            import google.auth.transport.requests

            creds.refresh(google.auth.transport.requests.Request())
    except gexc.GoogleAuthError as exc:
        raise auth_error_from(exc, settings.mode) from exc
    return creds


def _oauth_credentials(store: SecretStore, quota_project: str | None) -> Any:
    from google.oauth2.credentials import Credentials

    info = _stored_token(store)
    if info is None:
        raise AuthError(msg("auth.not_signed_in", "You are not signed in to Google. Open Settings and click Sign in "
                            "with Google, or keep using this computer as the backend."))
    # Built directly (not from_authorized_user_info, which forces Google's token_uri) so the token goes
    # back to the endpoint that issued it: the imported client's token_uri.
    return Credentials(None, refresh_token=info.get("refresh_token"), token_uri=info.get("token_uri"),
                       client_id=info.get("client_id"), client_secret=info.get("client_secret"),
                       scopes=info.get("scopes"), quota_project_id=quota_project)


def _service_account_credentials(path: str, quota_project: str | None, scopes: list[str]) -> Any:
    from google.oauth2 import service_account

    if not path:
        raise AuthError(msg("auth.sa_missing", "Choose the service-account key file in Settings."))
    try:
        creds = service_account.Credentials.from_service_account_file(path, scopes=scopes)
    except (OSError, ValueError, KeyError) as exc:
        raise AuthError(msg("auth.sa_unusable", "The service-account key file {file} could not be used: it is "
                            "missing or not a service-account JSON key. Choose the file again in Settings.",
                            file=Path(path).name)) from exc
    return creds.with_quota_project(quota_project) if quota_project else creds


@dataclass
class SignInResult:
    email: str  # "" when the server did not say
    credentials: Any = field(repr=False)


def _email_from_id_token(id_token: str | None) -> str:
    if not id_token:
        return ""
    try:  # the token came straight from the token endpoint over TLS; we only read it for display
        payload = id_token.split(".")[1]
        claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
        return str(claims.get("email", ""))
    except (IndexError, ValueError):
        return ""


class GoogleSignIn:
    """One "Sign in with Google" attempt. Call `run()` on a worker thread; `cancel()` from any thread.

    Args:
        client_config: the desktop client JSON (see `load_client_config`).
        store: where the refresh token is kept on success.
        open_browser: called (on the worker thread) with the URL to open; the GUI forwards it to
            QDesktopServices on the UI thread. It must not block until the browser is done.
        timeout_seconds: how long to wait for the browser.
    """

    def __init__(self, client_config: dict[str, Any], store: SecretStore, open_browser: Callable[[str], None],
                 timeout_seconds: int = DEFAULT_SIGN_IN_TIMEOUT) -> None:
        self.client_config = client_config
        self.store = store
        self.open_browser = open_browser
        self.timeout_seconds = timeout_seconds
        self.auth_url: str | None = None
        self._cancelled = threading.Event()
        self._flow: Any = None

    def cancel(self) -> None:
        """Unblock a waiting `run()`, which then raises SignInCancelled. Never blocks."""
        self._cancelled.set()
        flow = self._flow
        redirect = getattr(flow, "redirect_uri", None) if flow is not None else None
        if redirect:
            # The local server waits for exactly one request: send it one ourselves.
            threading.Thread(target=_poke, args=(redirect,), daemon=True, name="sign-in-cancel").start()

    def run(self) -> SignInResult:
        """Open the browser, wait for consent, store the refresh token.

        Raises:
            SignInCancelled: `cancel()` was called.
            AuthError: timeout, consent refused, state mismatch, server refusal, no refresh token.
            SecretsError: the keyring refused the token (offer "keep for this session only", then retry).
        """
        from google_auth_oauthlib.flow import InstalledAppFlow

        _quiet_token_loggers()
        sign_in = self

        class _Flow(InstalledAppFlow):  # type: ignore[misc]  # google_auth_oauthlib has no type hints: its base is Any
            def authorization_url(self, **kwargs: Any) -> tuple[str, str]:
                if sign_in._cancelled.is_set():
                    raise SignInCancelled("Sign-in was cancelled.")
                url, state = super().authorization_url(**kwargs)
                sign_in.auth_url = url
                sign_in.open_browser(url)
                return url, state

        self._flow = _Flow.from_client_config(self.client_config, scopes=list(SIGN_IN_SCOPES))
        try:
            creds = self._flow.run_local_server(
                host="127.0.0.1", port=0, open_browser=False, authorization_prompt_message=None,
                success_message="T4 Panel received Google's answer. You can close this tab and go back to T4 Panel.",
                timeout_seconds=self.timeout_seconds, prompt="consent")
        except Exception as exc:
            raise self._translate(exc) from exc
        if self._cancelled.is_set():
            raise SignInCancelled(_CANCELLED)
        if not creds.refresh_token:
            raise AuthError(msg("auth.no_refresh_token", "Google did not return a refresh token. Remove T4 Panel's "
                                "access at myaccount.google.com/permissions and sign in again."))
        info = self.client_config["installed"]
        email = _email_from_id_token(getattr(creds, "id_token", None))
        token = json.dumps({"refresh_token": creds.refresh_token, "client_id": info["client_id"],
                            "client_secret": info["client_secret"], "token_uri": info["token_uri"],
                            "revoke_uri": info.get("revoke_uri", GOOGLE_REVOKE_URI),
                            "scopes": list(SIGN_IN_SCOPES), "email": email}, separators=(",", ":"))
        if len(token) > MAX_SECRET_CHARS:
            raise AuthError(msg("auth.token_too_long", "The sign-in token is too long to keep in the keyring."))
        self.store.set(GOOGLE_TOKEN, token)
        log.info("signed in to Google%s", " as " + email if email else "")
        return SignInResult(email=email, credentials=creds)

    def _translate(self, exc: BaseException) -> T4Error:
        from google_auth_oauthlib.flow import WSGITimeoutError
        from oauthlib.oauth2.rfc6749 import errors as oerr

        if self._cancelled.is_set() or isinstance(exc, SignInCancelled):
            return SignInCancelled(_CANCELLED)
        if isinstance(exc, T4Error):
            return exc
        if isinstance(exc, WSGITimeoutError):
            return AuthError(msg("auth.timeout", "The browser did not finish signing in within {minutes} minute(s). "
                                 "Click Sign in with Google to try again.", minutes=self.timeout_seconds // 60 or 1),
                             title=msg("auth.timeout.title", "Sign-in timed out"))
        if isinstance(exc, oerr.AccessDeniedError):
            return AuthError(msg("auth.denied", "Access was not granted in the browser. Click Sign in with Google "
                                 "again and allow T4 Panel to use Google Cloud."),
                             title=msg("auth.denied.title", "Sign-in declined"))
        if isinstance(exc, oerr.MismatchingStateError):
            return AuthError(msg("auth.bad_state", "The browser's answer did not belong to this sign-in (an old or "
                                 "forged page). Click Sign in with Google to try again."))
        if isinstance(exc, oerr.OAuth2Error):
            return AuthError(msg("auth.oauth_error", "Google refused the sign-in ({error}). Sign in again; if this "
                                 "goes on, tell your administrator that the sign-in client may be wrong.",
                                 error=exc.error))
        if isinstance(exc, Warning) and "Scope has changed" in str(exc):
            return AuthError(msg("auth.scope", "Not all requested permissions were granted. Sign in again and tick "
                                 "every box, including Google Cloud."))
        if isinstance(exc, OSError) or type(exc).__module__.startswith("requests"):
            return AuthError(msg("auth.server_unreachable", "Could not reach Google's sign-in server. Check the "
                                 "internet connection and retry."), title=_UNREACHABLE_TITLE)
        return AuthError(msg("auth.sign_in_failed", "Sign-in failed ({error}). Try again.", error=type(exc).__name__))


def _poke(url: str) -> None:
    import urllib.request

    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # loopback: never via a proxy
    try:
        opener.open(url, timeout=5).read()
    except OSError:
        pass  # the flow may already be gone; nothing to unblock


def sign_out(store: SecretStore, *, revoke: bool = True, timeout: float = 5) -> None:
    """Forget the stored sign-in; revoke it at Google first when online (failures are ignored)."""
    info = _stored_token(store)
    if info and revoke and info.get("refresh_token"):
        try:
            import requests

            requests.post(info.get("revoke_uri") or GOOGLE_REVOKE_URI, data={"token": info["refresh_token"]},
                          timeout=timeout)
        except Exception as exc:  # noqa: BLE001 - offline: the token is still deleted locally
            log.info("could not revoke the Google token (%s); deleting it locally", type(exc).__name__)
    store.delete(GOOGLE_TOKEN)
    log.info("signed out of Google")


def list_projects(credentials: Any, *, endpoint: str | None = None) -> list[tuple[str, str]]:
    """(project_id, display name) of every active project the account can see, sorted by id.

    Args:
        endpoint: the Resource Manager base URL (tests: http://127.0.0.1:PORT).

    Raises:
        AuthError: sign-in problems. T4Error: the list could not be read (type the id instead).
    """
    from google.api_core import exceptions as api_exc
    from google.auth import exceptions as gexc
    from google.cloud import resourcemanager_v3

    options = {"api_endpoint": endpoint} if endpoint else None
    client = resourcemanager_v3.ProjectsClient(credentials=credentials, transport="rest", client_options=options)
    try:
        found = [(p.project_id, p.display_name or p.project_id)
                 for p in client.search_projects(request={"query": "state:ACTIVE"}, timeout=15)]
    except gexc.GoogleAuthError as exc:
        raise auth_error_from(exc) from exc
    except api_exc.GoogleAPICallError as exc:
        raise T4Error(msg("auth.projects", "The list of projects could not be read (the Cloud Resource Manager API may "
                          "be off for this account). Type the project id instead."),
                      title=msg("auth.projects.title", "Projects unavailable")) from exc
    return sorted(found)
