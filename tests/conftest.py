"""Shared fixtures: every test gets its own T4PANEL_HOME, offscreen Qt and no Google metadata lookups;
`google_signed_in` signs the operator in through the fake OAuth server."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("NO_GCE_CHECK", "true")
# No test pops up a real notification or starts the machine's own daemon on the test's bus, not even from
# events processed after a test (tests/gui/test_desktop_notifications.py turns it on against its fake).
os.environ["T4PANEL_DESKTOP_NOTIFICATIONS"] = "0"


@pytest.fixture(autouse=True)
def t4panel_home(tmp_path, monkeypatch):
    """Config, history and logs of this test live in a fresh temporary folder."""
    home = tmp_path / "t4home"
    home.mkdir()
    monkeypatch.setenv("T4PANEL_HOME", str(home))
    for name in ("SUPABASE_URL", "SUPABASE_KEY", "T4PANEL_VERTEX_ENDPOINT", "T4PANEL_LOGGING_ENDPOINT",
                 "GOOGLE_APPLICATION_CREDENTIALS", "T4PANEL_MIN_POLL_SECONDS", "T4PANEL_LANG",
                 "T4PANEL_OAUTH_TOKEN_ENDPOINT", "T4PANEL_DEV_ANONYMOUS", "T4PANEL_SERVICEUSAGE_ENDPOINT",
                 "T4PANEL_QUOTAS_ENDPOINT", "T4PANEL_ARTIFACTREGISTRY_ENDPOINT", "T4PANEL_RESOURCEMANAGER_ENDPOINT",
                 "T4PANEL_BILLING_ENDPOINT", "T4PANEL_MONITORING_ENDPOINT",
                 "T4PANEL_SCHEDULER_ENDPOINT", "T4PANEL_RUN_ENDPOINT", "T4PANEL_SECRETMANAGER_ENDPOINT",
                 "T4PANEL_IAM_ENDPOINT"):
        monkeypatch.delenv(name, raising=False)
    return home


@pytest.fixture(autouse=True)
def _machine_time_zone():
    """Pages show times in the operator's zone, which the app sets when a config loads: never carry it over."""
    yield
    import sys

    texts = sys.modules.get("gui.run_texts")
    if texts is not None:
        texts.set_operator_zone(None)


@pytest.fixture(autouse=True)
def root_logging_restored():
    """A test that runs the CLI or the app in-process sets up the app log in its own T4PANEL_HOME: take
    those handlers away afterwards, or the next test's log lines go to a folder that is gone."""
    import logging

    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    # applog.setup also quiets chatty libraries ("google", "urllib3", ...): put their levels back too
    levels = {name: lg.level for name, lg in logging.root.manager.loggerDict.items() if isinstance(lg, logging.Logger)}
    yield
    for handler in root.handlers[:]:
        if handler not in handlers:
            root.removeHandler(handler)
            handler.close()
    root.setLevel(level)
    for name, lg in list(logging.root.manager.loggerDict.items()):
        if isinstance(lg, logging.Logger):
            lg.setLevel(levels.get(name, logging.NOTSET))


@pytest.fixture(autouse=True)
def _credentials_provider_reset():
    """The window hands core its own credentials source (sharing its SecretStore); a test's window must not
    leave it behind for the next test, which would then sign in with a store that is gone."""
    yield
    import sys

    endpoints = sys.modules.get("core.google.endpoints")
    if endpoints is not None:
        endpoints.set_credentials_provider(None)


@dataclass
class SignedIn:
    """The operator's sign-in of one test.

    Attributes:
        oauth: the running fake OAuth server that issued the refresh token and issues access tokens.
        refresh_token: what the keyring holds.
    """

    oauth: Any
    refresh_token: str


@pytest.fixture
def google_signed_in(monkeypatch) -> Iterator[SignedIn]:
    """A refresh token in the real keyring (as Sign in with Google leaves it) whose refreshes go to the fake
    OAuth server, through T4PANEL_OAUTH_TOKEN_ENDPOINT the way a stored Google token_uri is overridden.

    The fake API servers accept only the access tokens this server issues while it runs.
    """
    from keyring.backends import SecretService

    from core.google import auth
    from core.store.secrets import GOOGLE_TOKEN, SecretStore
    from tests.integration.fakes.oauth_server import CLIENT_ID, CLIENT_SECRET, EMAIL, FakeOAuthServer

    # The Secret Service itself, not keyring's chainer: test modules that define KeyringBackend subclasses
    # (tests/unit/test_secrets.py) join the chainer once collected, and those raise on a missing value.
    store = SecretStore(backend=SecretService.Keyring())
    before = store.get(GOOGLE_TOKEN)
    with FakeOAuthServer() as oauth:
        refresh = oauth.issue_refresh_token(" ".join(auth.SIGN_IN_SCOPES))
        store.set(GOOGLE_TOKEN, json.dumps({
            "refresh_token": refresh, "client_id": CLIENT_ID, "client_secret": CLIENT_SECRET,
            "token_uri": "https://oauth2.googleapis.com/token", "revoke_uri": f"{oauth.url}/revoke",
            "scopes": list(auth.SIGN_IN_SCOPES), "email": EMAIL}))
        monkeypatch.setenv(auth.TOKEN_ENDPOINT_ENV, f"{oauth.url}/token")
        try:
            yield SignedIn(oauth, refresh)
        finally:
            if before is None:
                store.delete(GOOGLE_TOKEN)
            else:
                store.set(GOOGLE_TOKEN, before)
