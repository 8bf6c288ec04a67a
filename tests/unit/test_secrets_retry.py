"""A keyring hiccup does not fail a scheduled run: the Secret Service failures that pass are tried again.

gnome-keyring-daemon, read by several processes at once (a GUI and a daemon, or the ten launchers of
tests/integration/test_occurrence_claims.py), now and then answers "no such object" for an item its own search
just returned, or drops the call when it stops mid-call and is started again (GNOME/gnome-keyring #196, #199).
Seen once in a random-order run: a launcher's keyring read failed with ItemNotFoundException. The keyring
backends below raise secretstorage's own exception classes, as keyring's Secret Service backend lets them out.
"""

from __future__ import annotations

import keyring.backend
import keyring.errors
import pytest
from secretstorage.exceptions import ItemNotFoundException, SecretServiceNotAvailableException

from core.errors import SecretsError
from core.store import secrets
from core.store.secrets import SUPABASE_URL, SecretStore

URL = "https://kept.supabase.co"


class FlakyKeyring(keyring.backend.KeyringBackend):
    """Fails the first `failures` calls with `error`, then works."""

    priority = 1  # type: ignore[assignment]
    viable = False  # never joins keyring's default chain

    def __init__(self, error: Exception, failures: int) -> None:
        super().__init__()
        self.error, self.failures, self.calls, self.saved = error, failures, 0, {}

    def _maybe_fail(self) -> None:
        self.calls += 1
        if self.calls <= self.failures:
            raise self.error

    def get_password(self, service, username):
        self._maybe_fail()
        return self.saved.get((service, username), URL)

    def set_password(self, service, username, password):
        self._maybe_fail()
        self.saved[(service, username)] = password

    def delete_password(self, service, username):
        self.saved.pop((service, username), None)


@pytest.fixture(autouse=True)
def quick_retries(monkeypatch):
    monkeypatch.setattr(secrets, "RETRY_DELAYS", (0.01, 0.01, 0.01))


def test_an_item_the_keyring_just_lost_track_of_is_read_on_the_next_try(caplog):
    backend = FlakyKeyring(ItemNotFoundException("Item does not exist!"), failures=2)
    assert SecretStore(backend=backend).get(SUPABASE_URL) == URL
    assert backend.calls == 3
    assert "trying again" in caplog.text and URL not in caplog.text  # the log names the failure, never a value


def test_a_keyring_daemon_that_stopped_mid_call_is_read_again_once_it_is_back():
    # keyring's InitError wraps secretstorage's when the collection cannot be opened (the daemon is restarting)
    try:
        raise SecretServiceNotAvailableException("Message recipient disconnected from message bus without replying")
    except SecretServiceNotAvailableException as cause:
        try:
            raise keyring.errors.InitError("Failed to create the collection") from cause
        except keyring.errors.InitError as wrapped:
            error = wrapped
    backend = FlakyKeyring(error, failures=1)
    assert SecretStore(backend=backend).get(SUPABASE_URL) == URL
    assert backend.calls == 2


def test_saving_is_tried_again_too_and_keeps_the_value():
    backend = FlakyKeyring(SecretServiceNotAvailableException("no reply"), failures=1)
    SecretStore(backend=backend).set(SUPABASE_URL, "https://new.supabase.co")
    assert backend.saved[("t4panel", SUPABASE_URL)] == "https://new.supabase.co"


def test_a_keyring_that_keeps_failing_gives_the_usual_sentence_after_four_tries():
    backend = FlakyKeyring(ItemNotFoundException("Item does not exist!"), failures=100)
    with pytest.raises(SecretsError) as caught:
        SecretStore(backend=backend).get(SUPABASE_URL)
    assert backend.calls == 4
    assert caught.value.message.startswith("The keyring could not read a secret (ItemNotFoundException). Retry, or "
                                           "restart the keyring service.")


@pytest.mark.parametrize("error", [keyring.errors.KeyringLocked("Failed to unlock the collection!"),
                                   keyring.errors.InitError("Failed to create the collection"),
                                   keyring.errors.KeyringError("org.freedesktop.DBus.Error.AccessDenied")])
def test_a_locked_or_missing_keyring_is_asked_once(error):
    """Locked means an unlock prompt was dismissed: asking again would show the operator another prompt."""
    backend = FlakyKeyring(error, failures=100)
    with pytest.raises(SecretsError):
        SecretStore(backend=backend).get(SUPABASE_URL)
    assert backend.calls == 1


class DaemonGoneChain(FlakyKeyring):
    """keyring's chainer re-checks each backend's priority on every call; with gnome-keyring-daemon gone for a
    moment, SecretService's check raises this RuntimeError, before and inside get_password."""

    __module__ = "keyring.backends.chainer"  # what SecretStore tells backends apart by

    def __init__(self, failures: int) -> None:
        super().__init__(RuntimeError("The Secret Service daemon is neither running nor activatable through D-Bus"),
                         failures)

    @property
    def backends(self):
        self._maybe_fail()
        return [self]


def test_a_keyring_daemon_gone_while_the_chainer_lists_its_backends_is_a_sentence_or_a_value():
    backend = DaemonGoneChain(failures=1)
    assert SecretStore(backend=backend).get(SUPABASE_URL) == URL
    with pytest.raises(SecretsError) as caught:  # never the bare RuntimeError
        SecretStore(backend=DaemonGoneChain(failures=100)).get(SUPABASE_URL)
    assert caught.value.message.startswith("The keyring could not read a secret (RuntimeError).")
