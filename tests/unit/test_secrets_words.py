"""What the operator reads about their secrets: masks, keyring refusals, `secrets list`, the daemon's start-up
line, in English and (for the GUI) in Korean.

These were the survivors of the mutation run over core/store/secrets.py (docs/testing.md): each test names
the change it catches.
"""

from __future__ import annotations

import keyring
import keyring.backend
import keyring.errors
import pytest
from keyring.backends import fail
from PySide6.QtCore import QLocale

from core.errors import SecretsError
from core.store import secrets
from core.store.secrets import SecretStore, SupabaseSource
from tests.unit.test_secrets import LockedKeyring, real_store  # noqa: F401 - the fixture, used by name

URL, KEY = "https://kept.supabase.co", "sb_secret_kept_1234567890"


class BrokenKeyring(keyring.backend.KeyringBackend):
    """A keyring that fails in a way keyring has no special class for (a D-Bus error, say)."""

    priority = 1  # type: ignore[assignment]
    viable = False  # never joins keyring's default chain (see LockedKeyring)

    def get_password(self, service, username):
        raise keyring.errors.KeyringError("org.freedesktop.DBus.Error.NoReply")

    def set_password(self, service, username, password):
        raise keyring.errors.PasswordSetError("org.freedesktop.DBus.Error.NoReply")

    def delete_password(self, service, username):
        raise keyring.errors.PasswordDeleteError("org.freedesktop.DBus.Error.NoReply")


@pytest.fixture
def korean():
    """The GUI's language set to Korean (gui/core_text.py follows the default QLocale), put back after."""
    from gui.core_text import message_text

    before = QLocale()
    QLocale.setDefault(QLocale("ko_KR"))
    yield message_text
    QLocale.setDefault(before)


# ------------------------------------------------------------------ masks

def test_a_secret_of_twelve_characters_shows_its_first_four_and_one_of_eleven_shows_none():
    # kills `len(value) <= 12`: the boundary is "fewer than 12 characters: show nothing of it"
    assert secrets.mask("abcdefghijkl") == "abcd\u2026 (12 characters)"
    assert secrets.mask("abcdefghijk") == "\u2022" * 8  # kills the mask's dots becoming other text
    assert secrets.mask("") == "(not set)"


# ------------------------------------------------------------------ keyring refusals

def test_a_locked_keyring_is_titled_keyring_locked_in_english_and_korean(korean):
    with pytest.raises(SecretsError) as err:
        SecretStore(backend=LockedKeyring()).get(secrets.SUPABASE_URL)
    assert err.value.title == "Keyring locked"  # kills a missing or reworded title
    assert korean(err.value.title_msg) == "키링 잠김"  # kills a changed message id: the GUI finds no Korean


def test_any_other_keyring_failure_names_the_action_and_the_error_class_never_its_text(korean):
    store = SecretStore(backend=BrokenKeyring())
    with pytest.raises(SecretsError) as read:
        store.get(secrets.SUPABASE_URL)
    assert read.value.message.startswith(
        "The keyring could not read a secret (KeyringError). Retry, or restart the keyring service. ")
    assert "Keep for this session only" in read.value.message
    assert "NoReply" not in read.value.message  # keyring's own text is never shown, only its class
    with pytest.raises(SecretsError) as save:
        store.set(secrets.SUPABASE_KEY, KEY)
    assert save.value.message.startswith("The keyring could not save a secret (PasswordSetError).")
    assert KEY not in save.value.message
    assert korean(read.value.msg).startswith("키링이 비밀 정보를 읽을 수 없었습니다 (KeyringError).")


def test_session_only_describes_itself_in_plain_words():
    assert SecretStore(session_only=True).backend_description() == (
        "this session only (in memory, forgotten when T4 Panel closes)")


# ------------------------------------------------------------------ `t4panel secrets list`

def test_secrets_list_says_where_each_secret_is_and_which_are_not_set(monkeypatch):
    for name in secrets.ENV_NAMES.values():
        monkeypatch.delenv(name, raising=False)
    store = SecretStore(session_only=True)
    store.set(secrets.SUPABASE_URL, URL)
    rows = {name: (where, shown) for name, where, shown in secrets.masked_listing(store, environ={})}
    assert rows[secrets.SUPABASE_URL] == ("this session only", secrets.mask(URL))
    assert rows[secrets.SUPABASE_KEY] == ("not set (this session only)", "(not set)")


def test_secrets_list_with_a_broken_keyring_says_keyring_unavailable_and_still_finds_the_environment():
    rows = {name: where for name, where, _ in secrets.masked_listing(
        SecretStore(backend=BrokenKeyring()), environ={"SUPABASE_KEY": KEY})}
    assert rows[secrets.SUPABASE_URL] == "not set (keyring unavailable)"
    assert rows[secrets.SUPABASE_KEY] == "environment (SUPABASE_KEY)"


# ------------------------------------------------------------------ where a job's Supabase keys come from

def test_keys_in_the_real_keyring_are_reported_as_from_the_keyring(real_store):  # noqa: F811
    real_store.set(secrets.SUPABASE_URL, URL)
    real_store.set(secrets.SUPABASE_KEY, KEY)
    got, source = secrets.supabase_env_with_source(real_store, environ={})
    assert got == {"SUPABASE_URL": URL, "SUPABASE_KEY": KEY}
    assert source is SupabaseSource.KEYRING  # kills "always SESSION"


def test_only_one_of_the_two_environment_variables_gives_the_job_nothing():
    # kills a default for the missing variable: half a pair must never reach the job
    for half in ({"SUPABASE_KEY": KEY}, {"SUPABASE_URL": URL}):
        assert secrets.supabase_env_with_source(SecretStore(backend=fail.Keyring()), half) == (
            {}, SupabaseSource.NONE)


def test_supabase_env_reads_the_environment_it_is_given_not_the_process_one(monkeypatch):
    monkeypatch.delenv("SUPABASE_URL", raising=False)
    monkeypatch.delenv("SUPABASE_KEY", raising=False)
    given = {"SUPABASE_URL": URL, "SUPABASE_KEY": KEY}
    assert secrets.supabase_env(SecretStore(backend=fail.Keyring()), given) == given


@pytest.mark.parametrize(("source", "line"), [
    (SupabaseSource.KEYRING, "Supabase keys: from the keyring."),
    (SupabaseSource.SESSION, "Supabase keys: kept for this session only."),
    (SupabaseSource.ENVIRONMENT, "Supabase keys: from the SUPABASE_URL / SUPABASE_KEY environment variables."),
    (SupabaseSource.NONE, "Supabase keys: not set (jobs will not receive SUPABASE_URL / SUPABASE_KEY)."),
])
def test_the_daemons_start_up_line_says_where_the_supabase_keys_come_from(source, line):
    assert secrets.describe_supabase_source(source) == line
