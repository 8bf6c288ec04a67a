"""The real supabase client against a fake PostgREST server on 127.0.0.1: row count, wrong key,
missing table, unreachable within 5 s, bad URL, and the rows-written run hook."""

from __future__ import annotations

import logging
import socket
import time
from datetime import UTC, datetime

import pytest

from core.app.supabase_check import (
    RowsWrittenHook,
    SupabaseError,
    SupabaseProblem,
    count_rows,
    test_connection,
)
from core.errors import ConfigError
from core.store import secrets
from core.store.config import AppConfig
from core.store.runs import Run, RunState
from core.store.secrets import SecretStore
from tests.integration.fakes.postgrest_server import FakePostgrest

KEY = "sb_secret_fake_0123456789abcdef"


@pytest.fixture
def server():
    with FakePostgrest(KEY, {"predictions": 1234}) as srv:
        yield srv


def test_row_count_and_sentence(server):
    assert count_rows(server.url, KEY, "predictions") == 1234
    sentence = test_connection(server.url, KEY, "predictions")  # a Message: the window translates it by id
    assert (sentence.id, str(sentence)) == ("supabase.connected", "Connected: predictions has 1,234 rows.")
    request = server.requests[-1]
    assert request["path"] == "/rest/v1/predictions"
    assert request["query"]["limit"] == ["1"]
    assert request["headers"]["Prefer"] == "count=exact"


def test_wrong_key(server, caplog):
    caplog.set_level(logging.DEBUG)
    with pytest.raises(SupabaseError) as err:
        count_rows(server.url, "sb_secret_wrong_key_000000", "predictions")
    assert err.value.problem is SupabaseProblem.WRONG_KEY
    assert "refused the key" in err.value.message
    assert "sb_secret_wrong_key_000000" not in caplog.text + err.value.message


def test_missing_table(server):
    with pytest.raises(SupabaseError) as err:
        test_connection(server.url, KEY, "predictionz")
    assert err.value.problem is SupabaseProblem.NO_TABLE
    assert 'no table named "predictionz"' in err.value.message


def test_unreachable_within_five_seconds():
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    start = time.monotonic()
    with pytest.raises(SupabaseError) as err:
        count_rows(f"http://127.0.0.1:{port}", KEY, "predictions")
    assert time.monotonic() - start < 5
    assert err.value.problem is SupabaseProblem.UNREACHABLE
    assert "Could not reach Supabase" in err.value.message
    assert str(port) not in err.value.message  # the URL is a secret too


def test_silent_server_times_out_in_about_the_timeout():
    with socket.socket() as s:  # accepts connections (backlog) but never answers
        s.bind(("127.0.0.1", 0))
        s.listen(1)
        start = time.monotonic()
        with pytest.raises(SupabaseError) as err:
            count_rows(f"http://127.0.0.1:{s.getsockname()[1]}", KEY, "predictions", timeout=1)
        assert time.monotonic() - start < 3
    assert err.value.problem is SupabaseProblem.UNREACHABLE
    assert "did not answer within 1 seconds" in err.value.message


@pytest.mark.parametrize("url", ["ftp://example", "supabase.co", "not a url"])
def test_bad_url(url):
    with pytest.raises(SupabaseError) as err:
        count_rows(url, KEY, "predictions")
    assert err.value.problem is SupabaseProblem.BAD_URL


def test_no_table_configured():
    with pytest.raises(ConfigError, match="results table"):
        test_connection("https://x.supabase.co", KEY, "")


def _run(state: RunState, detail: dict) -> Run:
    return Run(id="r1", backend="local", state=state, created=datetime.now(UTC), detail=detail)


def test_rows_written_hook(server):
    store = SecretStore(session_only=True)
    store.set(secrets.SUPABASE_URL, server.url)
    store.set(secrets.SUPABASE_KEY, KEY)
    cfg = AppConfig()
    cfg.supabase.results_table = "predictions"
    hook = RowsWrittenHook(store, environ={})
    run = _run(RunState.RUNNING, {})
    run.detail.update(hook.before_launch(run, cfg))
    assert run.detail == {"rows_before": 1234}
    server.tables["predictions"] = 1240
    run.state = RunState.SUCCEEDED
    assert hook.after_end(run, cfg) == {"rows_after": 1240, "rows_written": 6}
    # A "successful" run that wrote nothing is flagged.
    run.detail = {"rows_before": 1240}
    out = hook.after_end(run, cfg)
    assert out["rows_written"] == 0
    assert out["rows_warning"] == "The run succeeded but wrote no rows to predictions."
    run.state = RunState.FAILED
    assert "rows_warning" not in hook.after_end(run, cfg)


def test_rows_written_hook_reads_the_daemon_environment(server):
    cfg = AppConfig()
    cfg.supabase.results_table = "predictions"
    from keyring.backends import fail

    hook = RowsWrittenHook(SecretStore(backend=fail.Keyring()),
                           environ={"SUPABASE_URL": server.url, "SUPABASE_KEY": KEY})
    assert hook.before_launch(_run(RunState.LAUNCHING, {}), cfg) == {"rows_before": 1234}


def test_rows_written_hook_never_raises(server, caplog):
    cfg = AppConfig()
    hook = RowsWrittenHook(SecretStore(session_only=True), environ={})
    assert hook.before_launch(_run(RunState.LAUNCHING, {}), cfg) == {}  # no table configured
    cfg.supabase.results_table = "predictions"
    assert hook.before_launch(_run(RunState.LAUNCHING, {}), cfg) == {}  # no keys
    hook = RowsWrittenHook(None, environ={"SUPABASE_URL": server.url, "SUPABASE_KEY": "wrong-key-123456"})
    assert hook.before_launch(_run(RunState.LAUNCHING, {}), cfg) == {}
    assert hook.after_end(_run(RunState.SUCCEEDED, {"rows_before": 1}), cfg) == {}
    assert "refused the key" in caplog.text
    assert "wrong-key-123456" not in caplog.text
