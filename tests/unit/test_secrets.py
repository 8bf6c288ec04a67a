"""SecretStore against a real Secret Service (gnome-keyring in tests/keyring_session.sh), no keyring,
a locked keyring, session-only mode and the Supabase environment fallback."""

from __future__ import annotations

import logging
import os

import keyring
import keyring.backend
import keyring.errors
import pytest
from keyring.backends import fail

from core.errors import SecretsError
from core.store import secrets
from core.store.secrets import SecretStore, SupabaseSource


def _secret_service_or_skip():
    """The real Secret Service backend; fails in CI (CI=true) when none is reachable, skips locally."""
    from keyring.backends import SecretService

    try:
        SecretService.Keyring.priority  # noqa: B018 - raises when no daemon answers on D-Bus
    except Exception as exc:  # noqa: BLE001 - whatever the backend raises, the answer is "no Secret Service"
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI needs a Secret Service; run under tests/keyring_session.sh ({exc})")
        pytest.skip(f"no Secret Service here; run: bash tests/keyring_session.sh python -m pytest ... ({exc})")
    return SecretService.Keyring()


@pytest.fixture
def real_store():
    backend = _secret_service_or_skip()
    previous = keyring.get_keyring()
    keyring.set_keyring(backend)
    store = SecretStore()
    yield store
    for name in secrets.ALL_NAMES:
        store.delete(name)
    keyring.set_keyring(previous)


class LockedKeyring(keyring.backend.KeyringBackend):
    """A keyring whose unlock prompt was dismissed, as the Secret Service backend reports it."""

    priority = 1  # type: ignore[assignment]
    # keyring puts every viable KeyringBackend subclass in its default chain once the class exists: without
    # this, any later test of the session that reads a missing secret would meet "keyring locked".
    viable = False

    def get_password(self, service, username):
        raise keyring.errors.KeyringLocked("Failed to unlock the collection!")

    def set_password(self, service, username, password):
        raise keyring.errors.KeyringLocked("Failed to unlock the collection!")

    def delete_password(self, service, username):
        raise keyring.errors.KeyringLocked("Failed to unlock the collection!")


class DismissedKeyring(LockedKeyring):
    def get_password(self, service, username):
        raise keyring.errors.InitError("Failed to create the collection: Prompt dismissed.")


def test_real_secret_service_round_trip(real_store, caplog):
    caplog.set_level(logging.DEBUG)
    value = "sb_secret_" + "x" * 30
    real_store.set(secrets.SUPABASE_KEY, value)
    # A second store (a restart of the app) reads what the first one kept.
    assert SecretStore().get(secrets.SUPABASE_KEY) == value
    assert real_store.backend_description() == "GNOME Keyring / Secret Service"
    assert real_store.list() == [("supabase-key", "keyring (GNOME Keyring / Secret Service)")]
    assert real_store.delete(secrets.SUPABASE_KEY) is True
    assert real_store.delete(secrets.SUPABASE_KEY) is False
    assert real_store.get(secrets.SUPABASE_KEY) is None
    assert value not in caplog.text
    assert value not in repr(real_store)


def test_real_keyring_holds_a_windows_sized_token(real_store):
    token = '{"refresh_token": "' + "r" * 1200 + '"}'
    real_store.set(secrets.GOOGLE_TOKEN, token[: secrets.MAX_SECRET_CHARS])
    assert real_store.get(secrets.GOOGLE_TOKEN) == token[: secrets.MAX_SECRET_CHARS]
    with pytest.raises(ValueError, match="longer than 1280"):
        real_store.set(secrets.GOOGLE_TOKEN, "x" * 1281)


def test_no_keyring_says_what_to_do_and_never_writes_a_file(tmp_path):
    store = SecretStore(backend=fail.Keyring())
    with pytest.raises(SecretsError) as err:
        store.set(secrets.SUPABASE_KEY, "sb_secret_value_123456")
    assert "No keyring is available" in err.value.message
    assert "Keep for this session only" in err.value.message
    assert err.value.title == "Keyring unavailable"
    assert store.backend_description() == "none (no keyring found)"
    home = tmp_path / "home"
    assert not home.exists() or not any(home.rglob("*"))  # no plain-file fallback


def test_default_fail_backend_via_set_keyring():
    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    try:
        with pytest.raises(SecretsError, match="No keyring is available"):
            SecretStore().get(secrets.SUPABASE_URL)
    finally:
        keyring.set_keyring(previous)


@pytest.mark.parametrize(
    ("backend", "expected"),
    [(LockedKeyring(), "The keyring is locked"), (DismissedKeyring(), "could not be opened")],
)
def test_locked_or_dismissed_keyring(backend, expected):
    store = SecretStore(backend=backend)
    with pytest.raises(SecretsError) as err:
        store.check()
    assert expected in err.value.message
    assert "Keep for this session only" in err.value.message
    assert isinstance(err.value.__cause__, keyring.errors.KeyringError)


def test_session_only_after_a_keyring_failure():
    store = SecretStore(backend=LockedKeyring())
    with pytest.raises(SecretsError):
        store.set(secrets.SUPABASE_URL, "https://abc.supabase.co")
    store.keep_for_session_only()
    store.set(secrets.SUPABASE_URL, "https://abc.supabase.co")
    assert store.get(secrets.SUPABASE_URL) == "https://abc.supabase.co"
    assert store.list() == [("supabase-url", "this session only")]
    assert "session" in store.backend_description()
    assert SecretStore(backend=LockedKeyring(), session_only=True).get(secrets.SUPABASE_URL) is None


def test_unknown_name_and_empty_value_are_refused():
    store = SecretStore(session_only=True)
    with pytest.raises(ValueError, match="Unknown secret name"):
        store.set("password", "x")
    with pytest.raises(ValueError, match="empty"):
        store.set(secrets.SUPABASE_KEY, "")


def test_mask_shows_at_most_four_characters():
    assert secrets.mask("sb_secret_abcdefghijkl") == "sb_s\u2026 (22 characters)"
    assert "abc" not in secrets.mask("abcdefg")
    assert secrets.mask(None) == "(not set)"


def test_supabase_env_prefers_the_store_then_the_environment():
    env = {"SUPABASE_URL": "https://env.supabase.co", "SUPABASE_KEY": "env-key-1234567890"}
    store = SecretStore(session_only=True)
    assert secrets.supabase_env_with_source(store, env) == (env, SupabaseSource.ENVIRONMENT)
    store.set(secrets.SUPABASE_URL, "https://kept.supabase.co")
    store.set(secrets.SUPABASE_KEY, "kept-key-1234567890")
    assert secrets.supabase_env(store, env) == {
        "SUPABASE_URL": "https://kept.supabase.co", "SUPABASE_KEY": "kept-key-1234567890"}
    assert secrets.supabase_env_with_source(store, env)[1] is SupabaseSource.SESSION
    assert secrets.supabase_env(None, {}) == {}


def test_headless_daemon_without_keyring_reads_the_environment():
    env = {"SUPABASE_URL": "https://env.supabase.co", "SUPABASE_KEY": "env-key-1234567890"}
    got, source = secrets.supabase_env_with_source(SecretStore(backend=fail.Keyring()), env)
    assert got == env and source is SupabaseSource.ENVIRONMENT
    assert "environment" in secrets.describe_supabase_source(source)
    assert secrets.supabase_env_with_source(SecretStore(backend=fail.Keyring()), {"SUPABASE_URL": "x"}) == (
        {}, SupabaseSource.NONE)
