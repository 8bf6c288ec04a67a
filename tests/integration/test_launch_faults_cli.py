"""Faults that made T4 Panel pay twice or stop for good, through the real CLI processes and the Vertex AI
fake, with a slow proxy in front of it where the fault needs one (issue 11)."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import time
from pathlib import Path

import pytest

from core import paths
from core.store import config as config_mod
from core.store.config import AppConfig, JobConfig
from core.store.runs import RunStore
from tests.integration.fakes.slow_proxy import CreateFault, SlowProxy
from tests.integration.fakes.vertex_server import Script
from tests.support.cli import REPO, argv, env, t4panel, t4panel_bg, vertex_for_cli


@pytest.fixture
def cloud(monkeypatch, google_signed_in):
    with vertex_for_cli(monkeypatch) as c:
        c.vertex.script = Script(queued=0.1, pending=0.1, running=0.5)
        yield c


@pytest.fixture
def proxy(cloud, monkeypatch):
    with SlowProxy(cloud.vertex.url) as p:
        monkeypatch.setenv("T4PANEL_VERTEX_ENDPOINT", p.url)
        yield p


def _jobs(cloud) -> list:
    return [j.job for j in list(cloud.vertex.jobs.values())]


@pytest.mark.slow
@pytest.mark.timeout(240)
def test_a_create_committed_33_s_after_its_request_makes_one_job(cloud, proxy):
    proxy.fault = CreateFault(late_commit=[33.0])  # the client gives up at 30 s; Google commits at 33 s
    done = t4panel("run-now", "--wait", timeout=170)
    assert done.returncode == 0, done.stderr
    assert "SUCCEEDED" in done.stdout
    jobs = _jobs(cloud)
    running_twice = [j for j in jobs if j.state.name != "JOB_STATE_CANCELLED"]
    assert len(running_twice) == 1, f"{len(jobs)} jobs were created for one run"
    if len(jobs) > 1:  # a duplicate slipped through: cancelled at once, with a warning in history
        (run,) = RunStore(paths.history_path()).recent()
        assert any("cancelled" in w for w in run.detail.get("warnings", []))


@pytest.mark.slow
@pytest.mark.timeout(420)
def test_swallowed_creates_then_run_now_at_124_s_never_make_two_jobs(cloud, proxy):
    cloud.vertex.script = Script(queued=0.1, pending=0.1, running=1.0)
    start = time.monotonic()
    proxy.fault = CreateFault(swallow_until=start + 128.0, hold=35.0)  # every create held 35 s, then dropped
    first = t4panel_bg("run-now", "--wait")
    try:
        time.sleep(max(0.0, start + 124.0 - time.monotonic()))
        assert first.poll() is None, first.communicate()
        status = t4panel("status", "--json")
        (run_a,) = json.loads(status.stdout)
        assert run_a["state"] == "LAUNCHING", run_a  # its launcher is still retrying: not abandoned
        second = t4panel("run-now")
        assert second.returncode == 2 and "already going" in second.stderr, second.stderr
        out, err = first.communicate(timeout=150)
    finally:
        if first.poll() is None:
            first.kill()
            first.communicate()
    assert first.returncode == 0, err
    assert len(_jobs(cloud)) == 1 and "SUCCEEDED" in out
    changes = [s.value for s, _ in RunStore(paths.history_path()).state_changes(run_a["id"])]
    assert "FAILED" not in changes  # never declared dead and brought back


@pytest.mark.slow
def test_history_locked_15_s_across_the_job_end_still_ends_the_run(cloud):
    cloud.vertex.script = Script(queued=0.1, pending=0.1, running=3.0)
    waiting = t4panel_bg("run-now", "--wait")
    try:
        store = RunStore(paths.history_path()) if paths.history_path().exists() else None
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if store is None and paths.history_path().exists():
                store = RunStore(paths.history_path())
            runs = store.recent() if store else []
            if runs and runs[0].state.value == "RUNNING":
                break
            time.sleep(0.05)
        else:
            pytest.fail("the run never reached RUNNING")
        lock = sqlite3.connect(str(paths.history_path()), timeout=30, isolation_level=None)
        lock.execute("BEGIN EXCLUSIVE")  # another tool holds the history while the job ends
        time.sleep(15)
        lock.execute("COMMIT")
        lock.close()
        _, err = waiting.communicate(timeout=60)  # on main it waited forever
    finally:
        if waiting.poll() is None:
            waiting.kill()
            waiting.communicate()
    assert waiting.returncode == 0, err
    (run,) = RunStore(paths.history_path()).recent()
    assert run.state.value == "SUCCEEDED" and run.ended is not None


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return Path(f"/proc/{pid}/stat").exists() and Path(f"/proc/{pid}/stat").read_text().split()[2] != "Z"


@pytest.mark.skipif(os.name == "nt", reason="process groups")
def test_a_killed_local_supervisor_leaves_no_job_running_beside_the_next(tmp_path):
    import signal

    config_mod.save(AppConfig(job=JobConfig(backend="local", command=["python", "-c", "import time; time.sleep(60)"])))
    started = t4panel("run-now", "--json")
    assert started.returncode == 0, started.stderr
    run_id = json.loads(started.stdout)["id"]
    status_file = paths.runs_dir() / run_id / "status.json"
    deadline = time.monotonic() + 20
    while not status_file.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    pids = json.loads(status_file.read_text())
    os.kill(pids["runner_pid"], signal.SIGKILL)  # the supervisor dies; its job goes on in its own group
    time.sleep(0.5)
    status = t4panel("status", "--json")
    (run,) = json.loads(status.stdout)
    assert run["state"] == "FAILED" and "supervisor" in run["error"]
    deadline = time.monotonic() + 10
    while _alive(pids["job_pid"]) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _alive(pids["job_pid"]), "the job runs on unwatched beside any new run"
    again = t4panel("run-now", "--json")
    assert again.returncode == 0, again.stderr
    t4panel("cancel", json.loads(again.stdout)["id"])


def _can_mount_privately() -> bool:
    import shutil

    if os.name == "nt" or not shutil.which("unshare"):
        return False
    probe = subprocess.run(["unshare", "-m", "sh", "-c", "mount -t tmpfs -o size=64k tmpfs /mnt"],
                           capture_output=True, check=False)
    return probe.returncode == 0


@pytest.mark.slow
@pytest.mark.skipif(not _can_mount_privately(), reason="needs a private mount namespace (unshare -m, mount)")
def test_a_full_disk_mid_run_ends_failed_with_disk_full_within_a_minute():
    spam = "import sys\nwhile True: sys.stdout.write('x' * 900 + '\\n'); sys.stdout.flush()"
    config_mod.save(AppConfig(job=JobConfig(backend="local", command=["python", "-c", spam])))
    runs = paths.runs_dir()
    runs.mkdir(parents=True, exist_ok=True)
    # the run folders (job logs) live on a 256 KB disk, seen by this command alone; history stays outside
    script = f'mount -t tmpfs -o size=256k tmpfs "{runs}" && exec "$@"'
    started = time.monotonic()
    done = subprocess.run(["unshare", "-m", "sh", "-c", script, "sh", *argv("run-now", "--wait")], cwd=str(REPO),
                          env=env(), capture_output=True, text=True, timeout=90, check=False)
    assert time.monotonic() - started < 60
    assert done.returncode == 1, done.stderr
    (run,) = RunStore(paths.history_path()).recent()
    assert run.state.value == "FAILED" and "disk is full" in (run.error or "")
    assert "disk is full" in done.stdout
