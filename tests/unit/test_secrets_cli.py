"""The `secrets` commands: value from stdin (one trailing newline stripped), masked listing, exit codes."""

from __future__ import annotations

import argparse
import io

import pytest
from keyring.backends import fail

from core.app import cli_secrets
from core.store import secrets
from core.store.secrets import SecretStore


@pytest.fixture(autouse=True)
def _home(tmp_path, monkeypatch):
    monkeypatch.setenv("T4PANEL_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("SUPABASE_URL", raising=False)
    monkeypatch.delenv("SUPABASE_KEY", raising=False)


def run(argv, store, stdin=""):
    parser = argparse.ArgumentParser()
    cli_secrets.add_parser(parser.add_subparsers(dest="command"))
    args = parser.parse_args(argv)
    out, err = io.StringIO(), io.StringIO()
    code = args.handler(args, out, err, io.StringIO(stdin), store)
    return code, out.getvalue(), err.getvalue()


def test_set_list_delete_in_a_session_store():
    store = SecretStore(session_only=True)
    assert run(["secrets", "set", "supabase-key"], store, "sb_secret_abcdefghijklmnop\n")[0] == 0
    assert store.get(secrets.SUPABASE_KEY) == "sb_secret_abcdefghijklmnop"  # newline stripped, once
    code, out, _ = run(["secrets", "list"], store)
    assert code == 0
    assert "supabase-key\tthis session only\tsb_s\u2026 (26 characters)" in out
    assert "abcdefghijklmnop" not in out
    assert run(["secrets", "delete", "supabase-key"], store)[:2] == (0, "Deleted supabase-key.\n")
    assert store.get(secrets.SUPABASE_KEY) is None


def test_only_one_trailing_newline_is_stripped():
    store = SecretStore(session_only=True)
    run(["secrets", "set", "supabase-key"], store, "sb_secret_abcdefghijklmnop\n\n")
    assert store.get(secrets.SUPABASE_KEY) == "sb_secret_abcdefghijklmnop\n"


def test_bad_name_exits_2():
    code, _, err = run(["secrets", "set", "password"], SecretStore(session_only=True), "x\n")
    assert code == 2 and 'Unknown secret name "password"' in err


def test_empty_value_exits_2():
    code, _, err = run(["secrets", "set", "supabase-key"], SecretStore(session_only=True), "\n")
    assert code == 2 and "nothing was saved" in err


def test_no_keyring_exits_2_and_points_to_the_environment(monkeypatch):
    store = SecretStore(backend=fail.Keyring())
    code, _, err = run(["secrets", "set", "supabase-key"], store, "sb_secret_abcdefghijklmnop\n")
    assert code == 2
    assert "No keyring is available" in err and "SUPABASE_KEY in its environment" in err
    monkeypatch.setenv("SUPABASE_URL", "https://env.supabase.co")
    code, out, err = run(["secrets", "list"], store)
    assert code == 2 and "No keyring is available" in err
    assert "supabase-url\tenvironment (SUPABASE_URL)\thttp\u2026 (23 characters)" in out


def test_real_keyring_round_trip():
    from keyring.backends import SecretService

    try:
        SecretService.Keyring.priority  # noqa: B018 - raises when no Secret Service answers
    except Exception as exc:  # noqa: BLE001 - whatever the backend raises, the answer is "no Secret Service"
        import os

        if os.environ.get("CI") == "true":
            pytest.fail(f"CI needs a Secret Service; run under tests/keyring_session.sh ({exc})")
        pytest.skip(f"no Secret Service here; run under tests/keyring_session.sh ({exc})")
    store = SecretStore(backend=SecretService.Keyring())
    code, out, _ = run(["secrets", "set", "supabase-url"], store, "https://kept.supabase.co\n")
    assert (code, out) == (0, "Saved supabase-url in the keyring (GNOME Keyring / Secret Service).\n")
    code, out, _ = run(["secrets", "list"], SecretStore(backend=SecretService.Keyring()))
    assert code == 0 and "supabase-url\tkeyring\thttp\u2026 (24 characters)" in out
    assert run(["secrets", "delete", "supabase-url"], store)[0] == 0
