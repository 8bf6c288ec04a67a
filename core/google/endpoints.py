"""Where the Vertex AI and Cloud Logging clients connect, and with which credentials.

`T4PANEL_VERTEX_ENDPOINT` (a base URL, REST) and `T4PANEL_LOGGING_ENDPOINT` (`host:port`, gRPC) point
the clients elsewhere. Every endpoint, loopback test servers included, gets the operator's own
credentials (core.google.auth: the refresh token from the keyring, refreshed at the token endpoint,
with the configured project as quota project), so tests walk the same sign-in path operators do.
The token goes to another computer only encrypted: a plain `http://` endpoint that is not loopback is
refused. A loopback endpoint is reached without TLS (a local test server has no certificate).

`T4PANEL_DEV_ANONYMOUS=1` is the one way to get anonymous credentials: for an embedded developer
setup with fake servers and no sign-in. It is honoured only while every `T4PANEL_*_ENDPOINT` that is
set is loopback and both the Vertex AI and Cloud Logging endpoints are set; otherwise it is ignored.
The client libraries are imported inside the functions: they are heavy (about 1.5 s each).
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable
from typing import Any

from core.google.hosts import host_of as host_of  # re-exported: callers know these from here
from core.google.hosts import is_loopback, refuse_plain_http

log = logging.getLogger(__name__)

VERTEX_ENV = "T4PANEL_VERTEX_ENDPOINT"
LOGGING_ENV = "T4PANEL_LOGGING_ENDPOINT"
MIN_POLL_ENV = "T4PANEL_MIN_POLL_SECONDS"
DEV_ANONYMOUS_ENV = "T4PANEL_DEV_ANONYMOUS"
# The setup check's APIs (REST): env variable -> Google's host.
SERVICEUSAGE_ENV = "T4PANEL_SERVICEUSAGE_ENDPOINT"
QUOTAS_ENV = "T4PANEL_QUOTAS_ENDPOINT"
ARTIFACTREGISTRY_ENV = "T4PANEL_ARTIFACTREGISTRY_ENDPOINT"
RESOURCEMANAGER_ENV = "T4PANEL_RESOURCEMANAGER_ENDPOINT"
SETUP_HOSTS = {SERVICEUSAGE_ENV: "serviceusage.googleapis.com", QUOTAS_ENV: "cloudquotas.googleapis.com",
               ARTIFACTREGISTRY_ENV: "artifactregistry.googleapis.com",
               RESOURCEMANAGER_ENV: "cloudresourcemanager.googleapis.com"}


def vertex_endpoint(region: str) -> str:
    """The Vertex AI endpoint for `region`: the override, else `{region}-aiplatform.googleapis.com`."""
    return os.environ.get(VERTEX_ENV, "").strip() or f"{region}-aiplatform.googleapis.com"


def logging_endpoint() -> str:
    """The Cloud Logging endpoint (`host:port`): the override, else Google's."""
    return os.environ.get(LOGGING_ENV, "").strip() or "logging.googleapis.com:443"


def test_min_poll_seconds() -> float | None:
    """T4PANEL_MIN_POLL_SECONDS, honoured only while Vertex AI is a loopback test server.

    It lets end-to-end tests of the CLI compress time; against Google the 5 s floor always holds.
    """
    value = os.environ.get(MIN_POLL_ENV, "").strip()
    if not value or not is_loopback(os.environ.get(VERTEX_ENV, "")):
        return None
    try:
        seconds = float(value)
    except ValueError:
        return None
    return seconds if seconds > 0 else None


def dev_anonymous() -> bool:
    """Whether T4PANEL_DEV_ANONYMOUS=1 applies: every configured endpoint is on this computer."""
    if os.environ.get(DEV_ANONYMOUS_ENV, "").strip() != "1":
        return False
    configured = {k: v.strip() for k, v in os.environ.items()
                  if k.startswith("T4PANEL_") and k.endswith("_ENDPOINT") and v.strip()}
    outside = sorted(k for k, v in configured.items() if not is_loopback(v))
    missing = [k for k in (VERTEX_ENV, LOGGING_ENV) if k not in configured]
    if outside or missing:
        # Anonymous calls to Google would only fail later with a puzzling 401; say why here instead.
        log.warning("%s ignored: %s", DEV_ANONYMOUS_ENV,
                    f"{', '.join(outside)} not loopback" if outside else f"{', '.join(missing)} not set")
        return False
    return True


_provider: Callable[[], Any] | None = None


def set_credentials_provider(provider: Callable[[], Any] | None) -> None:
    """Let the app hand over its own credentials source (e.g. one sharing its session-only SecretStore)."""
    global _provider
    _provider = provider


def _configured_project() -> str | None:
    """The job's project from config.toml, used as quota project; None when unset or unreadable."""
    from core import paths
    from core.store import config

    try:  # read only: a broken file is config.load()'s to set aside, not ours
        return config.loads(paths.config_path().read_text(encoding="utf-8")).job.project_id or None
    except Exception:  # noqa: BLE001 - no quota project is a working default; the config page reports the file
        return None


def google_credentials() -> Any:
    """The operator's Google credentials (cloud-platform scope, quota project = the job's project).

    The one call into core.google.auth, kept here so its signature is wired in a single place.

    Raises:
        AuthError: nobody is signed in, or the sign-in was revoked.
    """
    if _provider is not None:
        return _provider()
    from core.google.auth import google_credentials as load  # imported late on purpose
    from core.google.auth import load_auth_settings
    from core.store.secrets import SecretStore

    # refresh=False: the first API call refreshes the token itself, and its failure is translated there.
    return load(load_auth_settings(), SecretStore(), _configured_project(), refresh=False)


def job_service_client(region: str, credentials: Any = None) -> Any:
    """A `JobServiceClient` (REST transport) for `region`.

    Its AuthorizedSession refreshes the access token and retries once when the API answers 401.

    Args:
        region: the job's region; the endpoint is regional.
        credentials: use these instead of the operator's.

    Raises:
        AuthError: plain http to another computer; not signed in.
    """
    from core.google.libraries import importing

    with importing():
        from google.cloud.aiplatform_v1.services.job_service import JobServiceClient

    # The REST transport keeps an explicit http:// scheme, which a local test server needs.
    return rest_client_at(JobServiceClient, vertex_endpoint(region), VERTEX_ENV, credentials)


def rest_client(client_class: Any, env: str, credentials: Any = None) -> Any:
    """A gapic client (REST transport) for one of SETUP_HOSTS' APIs, at `env`'s override or Google's host.

    Raises:
        AuthError: plain http to another computer; not signed in.
    """
    return rest_client_at(client_class, os.environ.get(env, "").strip() or SETUP_HOSTS[env], env, credentials)


def rest_client_at(client_class: Any, endpoint: str, env: str, credentials: Any = None) -> Any:
    """A gapic client (REST transport) at `endpoint`: how every REST client of the app is built.

    The operator's credentials everywhere (or `credentials`), plain http only to this computer,
    anonymous only under T4PANEL_DEV_ANONYMOUS, one token refresh per call.

    Args:
        client_class: the gapic client class (imported by the caller, lazily).
        endpoint: a URL or `host:port`.
        env: the environment variable that overrides it, named when an endpoint is refused.
        credentials: use these instead of the operator's.

    Raises:
        AuthError: plain http to another computer; not signed in.
    """
    refuse_plain_http(endpoint, env)
    if dev_anonymous():
        from google.auth.credentials import AnonymousCredentials

        credentials = AnonymousCredentials()
    creds = credentials if credentials is not None else google_credentials()
    client = client_class(credentials=creds, transport="rest", client_options={"api_endpoint": endpoint})
    session = getattr(client._transport, "_session", None)
    if hasattr(session, "_max_refresh_attempts"):
        # google-auth refreshes up to twice per call; a fresh token that is refused again means the
        # sign-in itself is wrong, and each try would repeat the request (a paid create among them).
        session._max_refresh_attempts = 1  # type: ignore[union-attr]
    return client


def logging_client(credentials: Any = None) -> Any:
    """A gapic `LoggingServiceV2Client` (gRPC, the only transport it has).

    Raises:
        AuthError: plain http to another computer; not signed in.
    """
    from core.google.libraries import importing

    with importing():
        from google.cloud.logging_v2.services.logging_service_v2 import (
            LoggingServiceV2Client,
        )
        from google.cloud.logging_v2.services.logging_service_v2.transports import (
            LoggingServiceV2GrpcTransport,
        )

    return grpc_client(LoggingServiceV2Client, LoggingServiceV2GrpcTransport, logging_endpoint(), LOGGING_ENV,
                       credentials)


def grpc_client(client_class: Any, transport_class: Any, endpoint: str, env: str, credentials: Any = None) -> Any:
    """A gapic client on a gRPC channel at `endpoint`: how every gRPC client of the app is built.

    google-auth's metadata plugin puts the token (and quota project) on each call. A loopback endpoint
    gets gRPC's local channel credentials, which carry call credentials without TLS (a local test
    server has no certificate); any other gets TLS. Anonymous, on a plain channel, only for a loopback
    endpoint under T4PANEL_DEV_ANONYMOUS. Unlike REST, the gRPC path never retries after
    UNAUTHENTICATED, so an interceptor does that once.

    Args:
        client_class: the gapic client class; transport_class: its gRPC transport (both imported by the
            caller, lazily).
        endpoint: `host:port` (a scheme, if any, is dropped).
        env: the environment variable that overrides it, named when an endpoint is refused.
        credentials: use these instead of the operator's.

    Raises:
        AuthError: plain http to another computer; not signed in.
    """
    import grpc

    refuse_plain_http(endpoint, env)
    target = endpoint.split("://", 1)[-1]
    loopback = is_loopback(endpoint)
    if loopback and dev_anonymous():
        return client_class(transport=transport_class(channel=grpc.insecure_channel(target)))
    creds = credentials if credentials is not None else google_credentials()
    if loopback:
        import google.auth.transport.grpc
        import google.auth.transport.requests

        plugin = google.auth.transport.grpc.AuthMetadataPlugin(creds, google.auth.transport.requests.Request())
        channel_creds = grpc.composite_channel_credentials(
            grpc.local_channel_credentials(grpc.LocalConnectionType.LOCAL_TCP), grpc.metadata_call_credentials(plugin))
        channel = grpc.secure_channel(target, channel_creds)
    else:
        channel = transport_class.create_channel(target, credentials=creds)
    channel = grpc.intercept_channel(channel, _refresh_on_unauthenticated(creds))
    return client_class(transport=transport_class(channel=channel))


def _refresh_on_unauthenticated(credentials: Any) -> Any:
    """A gRPC unary interceptor: make sure a token is there, and after UNAUTHENTICATED refresh once and retry.

    The server may drop an access token before its stated expiry (revoked, rotated), and google-auth's
    gRPC plugin refreshes only on its own clock. A refresh the token endpoint refuses (`invalid_grant`)
    surfaces as `Unauthenticated` caused by the RefreshError, which readers show as "sign in again".
    """
    import google.auth.transport.requests
    import grpc
    from google.api_core import exceptions as api_exc
    from google.auth import exceptions as gexc

    lock = threading.Lock()

    def refresh() -> None:
        with lock:
            credentials.refresh(google.auth.transport.requests.Request())

    class RefreshOnUnauthenticated(grpc.UnaryUnaryClientInterceptor):  # type: ignore[misc]
        def intercept_unary_unary(self, continuation: Any, details: Any, request: Any) -> Any:
            try:
                if not credentials.valid:  # before the plugin would, so a refusal is translated here
                    refresh()
                outcome = continuation(details, request)
                if outcome.code() is grpc.StatusCode.UNAUTHENTICATED:
                    refresh()
                    outcome = continuation(details, request)
            except gexc.RefreshError as exc:
                raise api_exc.Unauthenticated("Google refused to refresh the sign-in; sign in again.") from exc
            return outcome

    return RefreshOnUnauthenticated()
