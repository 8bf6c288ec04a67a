"""Where the Vertex AI and Cloud Logging clients connect, and with which credentials.

`T4PANEL_VERTEX_ENDPOINT` (a base URL, REST) and `T4PANEL_LOGGING_ENDPOINT` (`host:port`, gRPC) point
the clients elsewhere. Only a loopback endpoint gets anonymous credentials and a plain connection (a
local test server); every other endpoint, and the real Google hosts, get the operator's credentials.
The client libraries are imported inside the functions: they are heavy (about 1.5 s each).
"""

from __future__ import annotations

import ipaddress
import os
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

VERTEX_ENV = "T4PANEL_VERTEX_ENDPOINT"
LOGGING_ENV = "T4PANEL_LOGGING_ENDPOINT"
MIN_POLL_ENV = "T4PANEL_MIN_POLL_SECONDS"


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


def host_of(endpoint: str) -> str:
    """The host part of a URL or a `host:port` string (IPv6 brackets removed)."""
    text = endpoint.strip()
    if "://" not in text:
        text = "//" + text
    return (urlsplit(text).hostname or "").lower()


def is_loopback(endpoint: str) -> bool:
    """True for 127.0.0.0/8, ::1 and localhost: the only endpoints that get anonymous credentials."""
    host = host_of(endpoint)
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


_provider: Callable[[], Any] | None = None


def set_credentials_provider(provider: Callable[[], Any] | None) -> None:
    """Let the app hand over its own credentials source (e.g. one sharing its session-only SecretStore)."""
    global _provider
    _provider = provider


def google_credentials() -> Any:
    """The operator's Google credentials (cloud-platform scope).

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
    return load(load_auth_settings(), SecretStore(), refresh=False)


def job_service_client(region: str, credentials: Any = None) -> Any:
    """A `JobServiceClient` (REST transport) for `region`.

    Args:
        region: the job's region; the endpoint is regional.
        credentials: use these instead of the operator's (ignored for a loopback endpoint).
    """
    from core.google.libraries import importing

    with importing():
        from google.cloud.aiplatform_v1.services.job_service import JobServiceClient

    endpoint = vertex_endpoint(region)
    if is_loopback(endpoint):
        from google.auth.credentials import AnonymousCredentials

        # The REST transport keeps an explicit http:// scheme, which a local test server needs.
        return JobServiceClient(credentials=AnonymousCredentials(), transport="rest",
                                client_options={"api_endpoint": endpoint})
    creds = credentials if credentials is not None else google_credentials()
    return JobServiceClient(credentials=creds, transport="rest", client_options={"api_endpoint": endpoint})


def logging_client(credentials: Any = None) -> Any:
    """A gapic `LoggingServiceV2Client` (gRPC, the only transport it has).

    A loopback endpoint gets an insecure channel: the default channel is always TLS.
    """
    from core.google.libraries import importing

    with importing():
        from google.cloud.logging_v2.services.logging_service_v2 import (
            LoggingServiceV2Client,
        )

    endpoint = logging_endpoint()
    if is_loopback(endpoint):
        import grpc
        from google.cloud.logging_v2.services.logging_service_v2.transports import (
            LoggingServiceV2GrpcTransport,
        )

        target = endpoint.split("://", 1)[-1]
        transport = LoggingServiceV2GrpcTransport(channel=grpc.insecure_channel(target))
        return LoggingServiceV2Client(transport=transport)
    creds = credentials if credentials is not None else google_credentials()
    return LoggingServiceV2Client(credentials=creds, client_options={"api_endpoint": endpoint})
