"""The CLI on Vertex runs, end to end: `run-now --wait` streams Cloud Logging lines, `status`, `cancel`."""

from __future__ import annotations

import json
import subprocess
import time

import pytest

from core import paths
from core.store.runs import RunStore
from tests.integration.fakes.vertex_server import Script
from tests.support import cli
from tests.support.cli import vertex_for_cli


@pytest.fixture
def cloud(monkeypatch, google_signed_in):
    with vertex_for_cli(monkeypatch) as c:
        yield c


def t4panel(*args: str) -> subprocess.CompletedProcess:
    return cli.t4panel(*args, timeout=30)


@pytest.mark.slow
def test_run_now_wait_streams_the_log_and_exits_0_then_status_shows_the_run(cloud):
    cloud.vertex.script = Script(queued=0.1, pending=0.1, running=0.5,
                                 logs=[(i * 0.04, f"predicting batch {i}", "INFO") for i in range(10)])
    done = t4panel("run-now", "--wait")
    assert done.returncode == 0, done.stderr
    printed = [line.split(" ", 1)[1] for line in done.stdout.splitlines() if "predicting" in line]
    assert printed == [f"predicting batch {i}" for i in range(10)]
    assert "SUCCEEDED" in done.stdout

    status = t4panel("status", "--json")
    (run,) = json.loads(status.stdout)
    assert run["backend"] == "vertex" and run["state"] == "SUCCEEDED" and run["occurrence"] is None
    assert run["job_name"].startswith("projects/123456789012/locations/us-central1/customJobs/")
    assert run["started"].endswith("Z") and run["ended"].endswith("Z")
    assert len(cloud.vertex.creates()) == 1


@pytest.mark.slow
def test_run_now_wait_exits_1_on_a_failed_job(cloud):
    cloud.vertex.script = Script(running=0.1, outcome="FAILED", error="Exited with status 3.")
    done = t4panel("run-now", "--wait")
    assert done.returncode == 1
    assert "FAILED" in done.stdout and "Exited with status 3." in done.stdout


@pytest.mark.slow
def test_cancel_from_another_process_ends_the_waiting_run_cancelled(cloud):
    cloud.vertex.script = Script(queued=0.05, pending=0.05, running=30.0, cancel_delay=0.1)
    waiting = cli.t4panel_bg("run-now", "--wait")
    try:
        deadline = time.monotonic() + 10
        run = None
        while time.monotonic() < deadline and run is None:
            assert waiting.poll() is None, waiting.communicate()
            runs = RunStore(paths.history_path()).recent() if paths.history_path().exists() else []
            run = runs[0] if runs and runs[0].state.value == "RUNNING" else None
            time.sleep(0.05)
        assert run is not None, "the run never reached RUNNING"
        cancelled = t4panel("cancel", "--no-wait", run.id)
        assert cancelled.returncode == 0, cancelled.stderr
        out, _ = waiting.communicate(timeout=15)
    finally:
        if waiting.poll() is None:
            waiting.kill()
    assert waiting.returncode == 1 and "CANCELLED" in out
    assert cloud.vertex.calls("cancel") == 1 and len(cloud.vertex.creates()) == 1
