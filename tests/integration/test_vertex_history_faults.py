"""Whole runs through the RunController on a faulty Vertex AI and Cloud Logging: history ends right, once.

30% of Vertex calls fail (UNAVAILABLE, RESOURCE_EXHAUSTED, INTERNAL, DEADLINE_EXCEEDED), 5% of creates lose
their reply after the job was made, 2% stall past the client's timeout, and 30% of log reads meet
RESOURCE_EXHAUSTED.
"""

from __future__ import annotations

import threading
import zlib
from pathlib import Path

import pytest

from core import paths
from core.backends.vertex.backend import VertexBackend
from core.control.controller import RunController
from core.errors import BackendError
from core.google.logs import ReadLimiter
from core.store.config import AppConfig, JobConfig
from core.store.runs import RunState, RunStore
from tests.integration.fakes.vertex_server import FakeCloud, Faults, Script

# 200 whole runs here, as the issue asks (about 1400 Vertex and 400 Logging calls, ~13 s on 2 busy cores);
# the 200-launch exactly-once check without the watching lives in test_vertex_faults.py.
CONTROLLERS, RUNS_EACH = 10, 20
OUTCOMES = ("SUCCEEDED", "FAILED", "EXPIRED")
LINES = [(0.005 * i, f"out {i}", "INFO") for i in range(3)]


@pytest.fixture
def cloud(monkeypatch):
    with FakeCloud(monkeypatch) as c:
        yield c


def outcome_of(run_id: str) -> str:
    return OUTCOMES[zlib.crc32(run_id.encode()) % len(OUTCOMES)]


@pytest.mark.slow
def test_every_run_ends_with_the_right_state_in_history_on_a_faulty_cloud(cloud):
    cloud.vertex.script_for = lambda job: Script(queued=0.01, pending=0.01, running=0.04,
                                                 outcome=outcome_of(job.labels["t4panel-run"]), logs=LINES)
    # 200 launches squeezed into seconds would take minutes of real time under Google's 600 CRUD calls a
    # minute; the quota has its own test (test_fake_vertex_strict.py), the injected 429s stand in for it here.
    cloud.vertex.rules.quota_limit = 1_000_000
    cloud.vertex.set_faults(Faults(error_rate=0.3, error_codes=(503, 429, 500, 504), drop_after_create_rate=0.05,
                                   stall_rate=0.02, stall_seconds=0.6, seed=99))
    cloud.logging.exhaust_rate = 0.3
    store = RunStore(paths.history_path())
    limiter = ReadLimiter(0.002)
    cfg = AppConfig(job=JobConfig(backend="vertex", project_id="my-proj", image_uri="img:1", command=["python", "x"]))
    launch_errors: list[BackendError] = []

    def operator(profile: str) -> None:
        backend = VertexBackend(min_poll_seconds=0.01, rpc_timeout=0.3, limiter=limiter, log_lag_seconds=0.01)
        c = RunController(store, lambda: cfg, backend_factory=lambda _n: backend, profile=profile)
        for _ in range(RUNS_EACH):
            try:
                run = c.launch("manual")
            except BackendError as exc:
                launch_errors.append(exc)
                continue
            c.wait(run.id, timeout=10)
        c.shutdown()

    threads = [threading.Thread(target=operator, args=(f"p{n}",)) for n in range(CONTROLLERS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)

    runs = store.recent(1000)
    assert len(runs) == CONTROLLERS * RUNS_EACH
    for run in runs:
        jobs = cloud.vertex.jobs_labelled("t4panel-run", run.id)
        assert len(jobs) <= 1, f"{run.id}: {len(jobs)} jobs"
        if not run.job_name:  # the launch itself gave up: it says so, and nothing runs for it
            assert run.state == RunState.FAILED and run.error and jobs == []
            continue
        assert [j.name for j in jobs] == [run.job_name]
        assert run.state.value == outcome_of(run.id), run
        assert run.ended is not None
        if run.state == RunState.SUCCEEDED:
            texts = [line.split("\t", 2)[2] for line in Path(run.log_path).read_text().splitlines()]
            assert texts == ["out 0", "out 1", "out 2"]
        if run.state in (RunState.FAILED, RunState.EXPIRED):
            assert run.error
    assert len(launch_errors) <= 2
    assert cloud.vertex.calls("create") > len(cloud.vertex.jobs)  # some creates were ambiguous and adopted
