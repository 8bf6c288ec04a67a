"""`secrets` and `config show` as an operator types them: a copy-pasteable example, hidden input that ends on
Enter, refused nonsense, and masked output that says "(not set)" once and never a webhook's password."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from core.store import config as config_mod
from tests.integration.test_cli import ROOT, cli
from tests.support.local import fast_config

NO_KEYRING = {"PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"}


def cli_env(*args: str, env: dict[str, str], stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "main.py", *args], cwd=ROOT, env={**os.environ, **env}, input=stdin,
                          capture_output=True, text=True, timeout=60)


def test_secrets_help_shows_a_command_that_works_when_copied():
    out = cli("secrets", "--help")
    assert out.returncode == 0
    line = next(x.strip() for x in out.stdout.splitlines() if "printf" in x)
    assert line == 'printf %s "$KEY" | t4panel secrets set supabase-key'
    copied = subprocess.run(["sh", "-c", line.replace("t4panel", "cat").replace(" secrets set supabase-key", "")],
                            env={"KEY": "sb_secret_x"}, capture_output=True, text=True)
    assert copied.stdout == "sb_secret_x"  # the shell gives the key itself, not "%s"


@pytest.mark.parametrize("value", ["not a url", "ftp://a.supabase.co", "https://", "https://a b.supabase.co"])
def test_an_invalid_supabase_url_is_refused_and_nothing_stored(value):
    before = cli("secrets", "list").stdout
    out = cli("secrets", "set", "supabase-url", stdin=value + "\n")
    assert out.returncode == 2 and "Traceback" not in out.stderr
    assert "https://abcd1234.supabase.co" in out.stderr and "Nothing was saved" in out.stderr
    assert cli("secrets", "list").stdout == before


@pytest.mark.parametrize("value", ["   \n", "\t \n", "\n"])
def test_a_whitespace_only_secret_is_refused(value):
    before = cli("secrets", "list").stdout
    out = cli("secrets", "set", "supabase-key", stdin=value)
    assert out.returncode == 2 and "nothing was saved" in out.stderr
    assert cli("secrets", "list").stdout == before


def _at_a_terminal(args: list[str], typed: str) -> tuple[int, str]:
    """Run main.py with a pseudo-terminal as its terminal, type `typed` once a prompt shows; (code, screen)."""
    import pty
    import select

    master, slave = pty.openpty()
    proc = subprocess.Popen([sys.executable, "main.py", *args], cwd=ROOT, env=dict(os.environ), stdin=slave,
                            stdout=slave, stderr=slave, start_new_session=True)
    os.close(slave)
    screen, sent = b"", False
    try:
        while True:
            ready, _, _ = select.select([master], [], [], 30)
            assert ready, f"no output for 30 s: {screen!r}"
            try:
                chunk = os.read(master, 4096)
            except OSError:  # EIO: the program ended and closed the terminal
                break
            if not chunk:
                break
            screen += chunk
            if not sent and b"hidden" in screen:
                os.write(master, typed.encode() + b"\r")  # Enter, and never Ctrl-D
                sent = True
        return proc.wait(timeout=30), screen.decode("utf-8", "replace")
    finally:
        os.close(master)
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def test_interactive_set_reads_hidden_input_and_ends_on_enter():
    secret = "sb_secret_typed_at_a_terminal_0123"
    code, screen = _at_a_terminal(["secrets", "set", "supabase-key"], secret)
    assert code == 0, screen
    assert "Saved supabase-key" in screen
    assert secret not in screen  # not echoed
    listed = cli("secrets", "list").stdout
    assert "supabase-key\tkeyring\tsb_s\u2026 (34 characters)" in listed
    assert cli("secrets", "delete", "supabase-key").returncode == 0


def test_headless_keyring_message_names_no_window_button():
    out = cli_env("secrets", "set", "supabase-key", env=NO_KEYRING, stdin="sb_secret_abcdefghijklmnop\n")
    assert out.returncode == 2 and "No keyring is available" in out.stderr
    assert "Keep for this session only" not in out.stderr and "SUPABASE_KEY in its environment" in out.stderr
    listed = cli_env("secrets", "list", env=NO_KEYRING)
    assert "Keep for this session only" not in listed.stderr


def test_config_show_says_not_set_once_and_masks_the_webhook_password():
    cfg = fast_config()
    cfg.notifications.webhook_url = "https://ops:hunter2secret@hooks.example.com:8443/T000/B000/tokenpart"
    config_mod.save(cfg)
    out = cli_env("config", "show", env=NO_KEYRING)
    assert out.returncode == 0, out.stderr
    assert "hunter2secret" not in out.stdout and "ops:" not in out.stdout and "tokenpart" not in out.stdout
    assert 'webhook_url = "https://hooks.example.com:8443/****"' in out.stdout
    secret_lines = [x for x in out.stdout.splitlines() if x.startswith("# supabase-")]
    assert secret_lines == ["# supabase-url: (not set; keyring unavailable)",
                            "# supabase-key: (not set; keyring unavailable)"]
