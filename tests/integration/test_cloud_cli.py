"""`t4panel cloud setup|status|remove [--json]` as an operator runs it: the real command line in-process,
the real keyring, the real Google clients against the strict fakes."""

from __future__ import annotations

import io
import json

from core.app import cli
from core.store import config as config_mod
from core.store.secrets import SUPABASE_KEY, SUPABASE_URL, SecretStore
from tests.integration.cloud_fixtures import PROJECT, SECRETS, cloud, vertex_config

__all__ = ["cloud"]


def run(*argv: str, stdin: str = "") -> tuple[int, str, str]:
    from core.app import cli_cloud

    out, err = io.StringIO(), io.StringIO()
    args = cli.build_parser().parse_args(list(argv))
    code = cli_cloud.handle(args, out, err, io.StringIO(stdin))
    return code, out.getvalue(), err.getvalue()


def _saved(monkeypatch) -> None:
    config_mod.save(vertex_config())
    monkeypatch.setenv("SUPABASE_URL", SECRETS["supabase-url"])  # a headless server's keys
    monkeypatch.setenv("SUPABASE_KEY", SECRETS["supabase-key"])


def test_setup_asks_before_copying_the_keys_then_prints_the_checklist(cloud, monkeypatch):
    _saved(monkeypatch)
    code, out, err = run("cloud", "setup", stdin="y\n")
    assert code == 0, err
    assert f"Secret Manager in Google project {PROJECT}?" in out and "t4panel-runner can read them" in out
    assert "[x] Create the Cloud Scheduler job t4panel-daily" in out
    assert out.count("...") == 9  # each step announced as it starts
    for value in SECRETS.values():
        assert value not in out + err


def test_saying_no_copies_nothing_and_fails_at_the_secrets_step_with_exit_1(cloud, monkeypatch):
    _saved(monkeypatch)
    code, out, err = run("cloud", "setup", stdin="n\n")
    assert code == 1
    assert "keys stay on this computer" in out and "Secret Manager has no supabase-url" in err
    assert cloud.fake.state.versions == {} or all(not v for v in cloud.fake.state.versions.values())


def test_setup_json_then_status_json_then_remove(cloud, monkeypatch):
    _saved(monkeypatch)
    code, out, err = run("cloud", "setup", "--json", "--yes")
    assert code == 0, err
    data = json.loads(out)
    assert data["ok"] is True and [s["state"] for s in data["steps"]] == ["done"] * 9
    code, out, _ = run("cloud", "status", "--json")
    status = json.loads(out)
    assert code == 0 and status["complete"] is True and status["config_differs"] is False
    assert status["next_fire"].endswith("Z") and status["missed"] is False
    code, out, err = run("cloud", "remove", "--json", "--yes")
    assert code == 0, err
    assert json.loads(out)["ok"] is True
    assert cloud.fake.state.run_jobs == {} and cloud.fake.state.scheduler_jobs == {}


def test_keys_from_the_keyring_are_copied_too(cloud, monkeypatch):
    config_mod.save(vertex_config())
    store = SecretStore()
    store.set(SUPABASE_URL, SECRETS["supabase-url"])
    store.set(SUPABASE_KEY, SECRETS["supabase-key"])
    try:
        assert run("cloud", "setup", "--yes")[0] == 0
    finally:
        store.delete(SUPABASE_URL)
        store.delete(SUPABASE_KEY)
    assert sorted(v[0] for v in cloud.fake.state.versions.values()) == sorted(s.encode() for s in SECRETS.values())


def test_a_failed_step_exits_1_with_the_step_in_json(cloud, monkeypatch):
    _saved(monkeypatch)
    cloud.fake.fail_once["run.projects.locations.jobs.create"] = 403
    code, out, err = run("cloud", "setup", "--json", "--yes")
    assert code == 1
    assert json.loads(out) == {"ok": False, "step": "run_job", "error": json.loads(out)["error"]}
    assert "Permission needed:" in err and "Traceback" not in err


def test_a_local_backend_exits_2_with_what_to_change(cloud):
    config_mod.save(config_mod.AppConfig())
    code, out, err = run("cloud", "status")
    assert code == 2 and 'backend = "vertex"' in err and out == ""


def test_the_command_is_wired_into_the_main_parser(cloud, monkeypatch):
    _saved(monkeypatch)
    out, err = io.StringIO(), io.StringIO()
    assert cli.main(["cloud", "status"], out, err) == 0
    assert "not complete" in out.getvalue() and "[ ] Create the Cloud Run job t4panel-runner" in out.getvalue()


def test_not_signed_in_exits_2_with_a_sentence(monkeypatch):
    config_mod.save(vertex_config())
    monkeypatch.setenv("T4PANEL_SERVICEUSAGE_ENDPOINT", "http://127.0.0.1:9")
    code, _out, err = run("cloud", "status")
    assert code == 2 and "sign" in err.lower() and "Traceback" not in err


def test_a_refused_sign_in_exits_2_saying_sign_in_again(cloud, monkeypatch, google_signed_in):
    _saved(monkeypatch)
    google_signed_in.oauth.revoke_all()
    code, _out, err = run("cloud", "setup", "--yes")
    assert code == 2 and "Sign in again:" in err
