"""The command line as a script or a server would use it: exit codes, JSON fields, masked settings."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from core.store import config as config_mod
from tests.support.local import fast_config

ROOT = Path(__file__).resolve().parents[2]


def cli(*args: str, stdin: str | None = None, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "main.py", *args], cwd=ROOT, env=dict(os.environ), input=stdin,
                          capture_output=True, text=True, timeout=timeout)


def test_run_now_wait_streams_the_log_and_exits_0_on_success():
    config_mod.save(fast_config(seconds=0.5))
    out = cli("run-now", "--wait")
    assert out.returncode == 0, out.stderr
    assert "predict: batch 10/10 done (100%)" in out.stdout
    assert out.stdout.index("batch 1/10") < out.stdout.index("batch 10/10")
    assert "SUCCEEDED" in out.stdout.splitlines()[-1]


def test_run_now_wait_exits_1_when_the_job_fails():
    config_mod.save(fast_config(seconds=0.2, exit_code=3))
    out = cli("run-now", "--wait", "--json")
    assert out.returncode == 1
    run = json.loads(out.stdout)
    assert run["state"] == "FAILED" and run["exit_code"] == 3
    assert "sample job asked to fail" in out.stderr  # the log goes to stderr with --json


def test_run_now_exits_2_on_a_config_problem_with_a_sentence():
    cfg = fast_config()
    cfg.job.backend = "vertex"  # no project, no image
    # written by hand: the app itself refuses to save an invalid config
    Path(os.environ["T4PANEL_HOME"], "config.toml").write_text(config_mod.dumps(cfg), encoding="utf-8")
    out = cli("run-now", "--wait")
    assert out.returncode == 2
    assert "Google Cloud project id" in out.stderr
    assert "Traceback" not in out.stderr
    assert json.loads(cli("status", "--json").stdout) == []  # nothing was started or recorded


def test_status_json_has_the_contract_fields():
    config_mod.save(fast_config(seconds=0.2))
    assert cli("run-now", "--wait").returncode == 0
    runs = json.loads(cli("status", "--json").stdout)
    assert len(runs) == 1
    run = runs[0]
    for key in ("id", "occurrence", "backend", "job_name", "state", "created", "started", "ended", "cost_usd", "error"):
        assert key in run
    assert run["occurrence"] is None and run["backend"] == "local" and run["state"] == "SUCCEEDED"
    assert run["created"].endswith("Z") and run["ended"].endswith("Z")
    assert run["cost_usd"] is not None and run["cost_usd"] >= 0


def test_run_now_without_wait_returns_and_status_sees_the_end():
    config_mod.save(fast_config(seconds=0.3))
    out = cli("run-now", "--json")
    assert out.returncode == 0
    run_id = json.loads(out.stdout)["id"]
    import time

    deadline = time.monotonic() + 20
    state = None
    while time.monotonic() < deadline:
        state = {r["id"]: r["state"] for r in json.loads(cli("status", "--json").stdout)}[run_id]
        if state == "SUCCEEDED":
            break
        time.sleep(0.3)
    assert state == "SUCCEEDED"


def test_cancel_from_the_command_line():
    config_mod.save(fast_config(seconds=30))
    run_id = json.loads(cli("run-now", "--json").stdout)["id"]
    out = cli("cancel", run_id[:8])
    assert out.returncode == 0, out.stderr
    assert "CANCELLED" in out.stdout


def test_config_show_masks_the_webhook_token_and_never_prints_secrets():
    cfg = fast_config()
    cfg.notifications.webhook_url = "https://hooks.slack.com/services/T000/B000/XXXXSECRETXXXX"
    config_mod.save(cfg)
    out = cli("config", "show")
    assert out.returncode == 0
    assert "XXXXSECRETXXXX" not in out.stdout
    assert "https://hooks.slack.com/****" in out.stdout
    assert "max_runtime_minutes" in out.stdout


@pytest.mark.parametrize(("text", "code"), [("[job]\naccelerator_count = 3\n", 2), ("[job]\nspot = true\n", 0)])
def test_config_validate_names_each_problem(tmp_path, text, code):
    path = tmp_path / "candidate.toml"
    path.write_text(text, encoding="utf-8")
    out = cli("config", "validate", str(path))
    assert out.returncode == code
    if code:
        assert "job.accelerator_count: GPU count must be 1, 2 or 4." in out.stdout
