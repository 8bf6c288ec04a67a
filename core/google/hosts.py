"""Which hosts may see an operator's Google token: loopback test servers, and anything else over https.

Shared by endpoints.py (API endpoints) and auth.py (the token endpoint), which must not import each other.
"""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

from core.errors import AuthError, msg


def host_of(endpoint: str) -> str:
    """The host part of a URL or a `host:port` string (IPv6 brackets removed)."""
    text = endpoint.strip()
    if "://" not in text:
        text = "//" + text
    return (urlsplit(text).hostname or "").lower()


def scheme_of(endpoint: str) -> str:
    """"http", "https", ... or "" for a bare `host:port`."""
    text = endpoint.strip()
    return text.split("://", 1)[0].lower() if "://" in text else ""


def is_loopback(endpoint: str) -> bool:
    """True for 127.0.0.0/8, ::1 and localhost: a server on this very computer."""
    host = host_of(endpoint)
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def refuse_plain_http(endpoint: str, what: str) -> None:
    """Raise unless a token sent to `endpoint` travels encrypted or stays on this computer.

    A bare `host:port` counts as encrypted: the clients then use TLS. Only an explicit `http://` to
    another computer would put the operator's token on the wire in clear text.

    Args:
        endpoint: a URL or `host:port`.
        what: how the operator set it (an environment variable's name, "the OAuth client's token_uri").

    Raises:
        AuthError: plain http to a host that is not loopback.
    """
    if scheme_of(endpoint) == "http" and not is_loopback(endpoint):
        raise AuthError(msg("auth.plain_http", "{what} points at {host} over plain http. T4 Panel sends your "
                            "Google sign-in to another computer only over https: change the address to https://, "
                            "or use a test server on this computer (127.0.0.1).", what=what,
                            host=host_of(endpoint) or endpoint),
                        title=msg("auth.plain_http.title", "Insecure Google endpoint"))
