"""The local backend's own files: runner.err closed by the launcher, the job's env kept from the supervisor."""

from __future__ import annotations

import gc
import json
import os
import time
import warnings
from pathlib import Path

from core import paths
from core.backends.base import LaunchRequest
from core.backends.local import LocalBackend
from core.store.config import JobConfig


def _launch(backend: LocalBackend, job: JobConfig, run_id: str) -> str:
    return backend.launch(LaunchRequest(run_id=run_id, job=job, display_name="t", labels={},
                                        run_dir=str(paths.runs_dir() / run_id), secret_env={"SUPABASE_KEY": "k"}))


def _wait_result(handle: str) -> dict:
    deadline = time.monotonic() + 20
    result = os.path.join(handle, "result.json")
    while not os.path.exists(result):
        assert time.monotonic() < deadline, "the run did not end"
        time.sleep(0.05)
    return json.loads(Path(result).read_text(encoding="utf-8"))


def test_runner_err_is_closed_by_the_launcher():
    backend = LocalBackend(poll_seconds=0.05)
    job = JobConfig(env={"SAMPLE_JOB_SECONDS": "0.1"})
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ResourceWarning)
        handle = _launch(backend, job, "rfilesclosed0000001")
        gc.collect()
    assert [w for w in caught if issubclass(w.category, ResourceWarning)] == []
    err = os.path.join(handle, "runner.err")
    fds = os.listdir("/proc/self/fd")
    assert not any(os.path.realpath(f"/proc/self/fd/{fd}") == os.path.realpath(err) for fd in fds
                   if os.path.exists(f"/proc/self/fd/{fd}"))
    assert _wait_result(handle)["state"] == "SUCCEEDED"
    backend.poll(handle)  # reaps our child


def test_the_jobs_env_reaches_the_job_but_not_the_supervisor():
    import sys

    backend = LocalBackend(poll_seconds=0.05)
    job = JobConfig(command=[sys.executable, "-I", "-c",
                             "import os; print(os.environ.get('PYTHONHOME'), os.environ.get('SUPABASE_KEY'))"],
                    env={"PYTHONHOME": "/nowhere"})
    handle = _launch(backend, job, "rfilesenv0000000001")
    result = _wait_result(handle)
    log = Path(handle, "job.log").read_text(encoding="utf-8")
    backend.poll(handle)
    # -I ignores PYTHON* variables for the job's interpreter itself, so it starts and can print them
    assert result["state"] == "SUCCEEDED", (result, log)
    assert "/nowhere k" in log
    assert "T4PANEL_JOB_ENV" not in log
