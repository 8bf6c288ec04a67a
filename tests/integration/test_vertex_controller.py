"""Run Now, Cancel and re-attach after SIGKILL through the RunController, with backend "vertex" on the fakes."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from core import paths
from core.backends.vertex.backend import VertexBackend
from core.control.controller import RunController, RunEvent
from core.google.logs import ReadLimiter
from core.store import config as config_mod
from core.store.config import AppConfig, JobConfig
from core.store.runs import RunState, RunStore
from tests.integration.fakes.logging_server import scaled_quota
from tests.integration.fakes.vertex_server import FakeCloud, Script

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def cloud(monkeypatch, google_signed_in):
    with FakeCloud(monkeypatch) as c:
        c.logging.read_quota = scaled_quota(0.01)  # the log reads of this file's clock
        yield c


def vertex_config() -> AppConfig:
    job = JobConfig(backend="vertex", project_id="my-proj", region="us-central1", image_uri="us-docker.pkg.dev/p/r/i:1",
                    command=["python", "-u", "predict.py"], max_runtime_minutes=30)
    return AppConfig(job=job)


def fast_vertex(name: str) -> VertexBackend:
    assert name == "vertex"
    return VertexBackend(min_poll_seconds=0.02, rpc_timeout=2.0, limiter=ReadLimiter(0.01), log_lag_seconds=0.05)


def controller(store: RunStore | None = None) -> RunController:
    store = store or RunStore(paths.history_path())
    cfg = vertex_config()
    return RunController(store, lambda: cfg, backend_factory=fast_vertex)


def log_texts(path: str) -> list[str]:
    return [line.split("\t", 2)[2] for line in Path(path).read_text(encoding="utf-8").splitlines()]


def test_run_now_on_vertex_records_every_state_and_the_log_once(cloud):
    cloud.vertex.script = Script(queued=0.3, pending=0.3, running=0.6,
                                 logs=[(i * 0.05, f"step {i}", "INFO") for i in range(10)], log_delay=0.02)
    c = controller()
    events: list[RunEvent] = []
    c.subscribe(events.append)
    run = c.launch("manual")
    done = c.wait(run.id, timeout=8)
    c.shutdown()

    assert done.state == RunState.SUCCEEDED and done.backend == "vertex"
    assert done.job_name.startswith("projects/123456789012/locations/us-central1/customJobs/")
    assert done.started is not None and done.ended is not None and done.ended > done.started
    states = [s for s, _ in c.store.state_changes(run.id)]
    assert states == [RunState.LAUNCHING, RunState.QUEUED, RunState.PENDING, RunState.RUNNING, RunState.SUCCEEDED]
    assert log_texts(done.log_path) == [f"step {i}" for i in range(10)]
    streamed = [ln.text for e in events if e.kind == "log" for ln in e.lines]
    assert streamed == [f"step {i}" for i in range(10)]
    assert [e.kind for e in events][-1] == "finished"
    (job,) = cloud.vertex.jobs_labelled("t4panel-run", run.id)
    assert job.name == done.job_name


def test_failed_job_ends_failed_with_its_error_in_history(cloud):
    cloud.vertex.script = Script(running=0.1, outcome="FAILED", error="The replica workerpool0-0 exited with a "
                                 "non-zero status of 137. Termination reason: OOMKilled.")
    c = controller()
    run = c.launch("manual")
    done = c.wait(run.id, timeout=8)
    c.shutdown()
    assert done.state == RunState.FAILED and "OOMKilled" in done.error and done.ended is not None


def test_cancel_through_the_controller_ends_cancelled(cloud):
    cloud.vertex.script = Script(running=30.0, cancel_delay=0.3)
    c = controller()
    run = c.launch("manual")
    deadline = time.monotonic() + 5
    while c.store.get(run.id).state != RunState.RUNNING and time.monotonic() < deadline:
        time.sleep(0.02)
    assert c.cancel(run.id).state == RunState.CANCELLING
    done = c.wait(run.id, timeout=5)
    c.shutdown()
    assert done.state == RunState.CANCELLED
    assert [s for s, _ in c.store.state_changes(run.id)][-2:] == [RunState.CANCELLING, RunState.CANCELLED]
    assert cloud.vertex.calls("cancel") == 1


def test_run_that_ended_while_the_app_was_closed_gets_its_real_end_time_and_whole_log(cloud):
    cloud.vertex.script = Script(queued=0.05, pending=0.05, running=0.4,
                                 logs=[(i * 0.03, f"row {i}", "INFO") for i in range(12)])
    first = controller()
    run = first.launch("manual")
    first.shutdown()  # the app closes while the job is queued
    time.sleep(0.8)  # ... and the job runs and ends meanwhile
    assert first.store.get(run.id).state == RunState.QUEUED

    second = controller(first.store)
    second.reattach_all()
    done = second.wait(run.id, timeout=5)
    second.shutdown()
    job = cloud.vertex.get(done.job_name)
    assert done.state == RunState.SUCCEEDED
    assert abs((done.ended - job.end_time).total_seconds()) < 0.001  # the job's end, not the re-attach time
    assert abs((done.started - job.start_time).total_seconds()) < 0.001
    assert log_texts(done.log_path) == [f"row {i}" for i in range(12)]
    assert cloud.vertex.calls("create") == 1


CHILD_WITH_FAST_POLLING = """
import time
from core import paths
from core.store.runs import RunStore
from tests.integration.test_vertex_controller import controller
c = controller(RunStore(paths.history_path()))
c.launch("manual")
time.sleep(60)
"""


@pytest.mark.slow
@pytest.mark.parametrize("app", ["main.py run-now --wait", "controller script, killed mid-log"])
def test_sigkill_while_running_then_restart_reattaches_and_creates_no_second_job(cloud, app):
    lines = [(i * 0.07, f"tick {i}", "INFO") for i in range(30)]
    cloud.vertex.script = Script(queued=0.1, pending=0.1, running=2.2, logs=lines)
    config_mod.save(vertex_config())
    env = {**os.environ, "PYTHONPATH": str(REPO), "QT_QPA_PLATFORM": "offscreen"}
    argv = ([str(REPO / "main.py"), "run-now", "--wait"] if app.startswith("main.py")
            else ["-c", CHILD_WITH_FAST_POLLING])
    child = subprocess.Popen([sys.executable, *argv], cwd=str(REPO), env=env,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 15  # the child starts Python, signs in (keyring, token refresh), launches
        while time.monotonic() < deadline:
            assert child.poll() is None, child.communicate()
            if _killable(cloud, paths.runs_dir(), need_log_lines=not app.startswith("main.py")):
                break
            time.sleep(0.02)
        else:
            raise AssertionError("the job never reached RUNNING")
        child.send_signal(signal.SIGKILL)
        child.wait(5)
    finally:
        if child.poll() is None:
            child.kill()
        child.communicate()

    store = RunStore(paths.history_path())
    (before,) = store.recent()
    assert not before.state.terminal  # the killed app never learned the end
    c = controller(store)
    reattached = c.reattach_all()
    assert [r.id for r in reattached] == [before.id]
    done = c.wait(before.id, timeout=10)
    c.shutdown()

    assert done.state == RunState.SUCCEEDED and done.ended is not None and done.started is not None
    assert cloud.vertex.calls("create") == 1
    assert [j.name for j in cloud.vertex.jobs_labelled("t4panel-run", before.id)] == [done.job_name]
    texts = log_texts(done.log_path)
    assert texts == [f"tick {i}" for i in range(30)]  # each line once, none lost, whoever read it


def _killable(cloud: FakeCloud, runs_dir: Path, need_log_lines: bool) -> bool:
    """The job runs on Vertex, the app has polled it, and (if asked) it has written some of the log."""
    jobs = list(cloud.vertex.jobs.values())
    if not jobs or cloud.vertex.get(jobs[0].job.name).state.name != "JOB_STATE_RUNNING":
        return False
    if cloud.vertex.calls("get") < 1:
        return False
    if not need_log_lines:
        return True
    logs = list(runs_dir.glob("*/job.log"))
    return bool(logs) and len(logs[0].read_text(encoding="utf-8").splitlines()) >= 3
