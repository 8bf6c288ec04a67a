"""A plain-text keyring (keyrings.alt) is refused: no secret ever lands in a file on disk.

keyrings.alt installs backends that keyring picks on its own when no Secret Service answers (its
PlaintextKeyring writes base64 to ~/.local/share/python_keyring/keyring_pass.cfg). The real backend of
the real package is used here, set the way keyring itself would pick it.
"""

from __future__ import annotations

import keyring
import pytest
from keyrings.alt.file import PlaintextKeyring

from core.errors import SecretsError
from core.store import secrets
from core.store.secrets import SecretStore

SECRET = "eyJhbGciOiJIUzI1NiJ9.service-role-key-do-not-leak"


@pytest.fixture
def plaintext(tmp_path):
    """keyrings.alt's PlaintextKeyring as the keyring library's default, writing under tmp_path."""
    backend = PlaintextKeyring()
    backend.file_path = str(tmp_path / "keyring_pass.cfg")
    previous = keyring.get_keyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


def test_saving_a_secret_is_refused_with_the_sentence_and_nothing_is_written(plaintext, tmp_path):
    store = SecretStore()  # no backend given: it asks keyring, as the app does
    with pytest.raises(SecretsError) as err:
        store.set(secrets.SUPABASE_KEY, SECRET)
    assert err.value.msg == secrets.PLAINTEXT_MESSAGE
    assert "plain file (keyrings.alt)" in err.value.message and "this session only" in err.value.message
    written = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert all(SECRET not in p.read_text(errors="replace") for p in written)
    assert keyring.get_keyring().get_password(secrets.SERVICE, secrets.SUPABASE_KEY) is None


def test_a_secret_already_in_the_plain_file_is_not_read(plaintext):
    plaintext.set_password(secrets.SERVICE, secrets.SUPABASE_URL, "https://old.supabase.co")  # left by another app
    store = SecretStore()
    with pytest.raises(SecretsError, match="plain file"):
        store.get(secrets.SUPABASE_URL)
    # the job gets no keys from it either (and the environment fallback still works on a server)
    assert secrets.supabase_env(store, {}) == {}
    env = {"SUPABASE_URL": "https://env.supabase.co", "SUPABASE_KEY": "k" * 20}
    assert secrets.supabase_env_with_source(store, env) == (env, secrets.SupabaseSource.ENVIRONMENT)


def test_settings_name_the_plain_file_keyring_and_this_session_only_still_works(plaintext):
    store = SecretStore()
    assert store.backend_description() == "a plain file (keyrings.alt, not used)"
    store.keep_for_session_only()
    store.set(secrets.SUPABASE_KEY, SECRET)
    assert store.get(secrets.SUPABASE_KEY) == SECRET
    assert plaintext.get_password(secrets.SERVICE, secrets.SUPABASE_KEY) is None
