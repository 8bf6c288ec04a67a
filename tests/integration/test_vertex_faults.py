"""Launch exactly once under a hostile network: dropped replies, UNAVAILABLE / RESOURCE_EXHAUSTED, stalls."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

from core.backends.base import LaunchRequest
from core.backends.vertex.backend import VertexBackend
from core.errors import BackendError, TransientBackendError
from core.google.logs import ReadLimiter
from core.store.config import JobConfig
from tests.integration.fakes.vertex_server import FakeCloud, Faults, Script

RUNS = 200


@pytest.fixture
def cloud(monkeypatch):
    with FakeCloud(monkeypatch) as c:
        c.vertex.script = Script(queued=60.0)  # the jobs just sit in the queue
        yield c


def _request(i: int) -> LaunchRequest:
    run_id = f"rfault{i:05d}"
    job = JobConfig(backend="vertex", project_id="my-proj", image_uri="img:1", command=["python", "job.py"])
    return LaunchRequest(run_id=run_id, job=job, display_name="t4-predict", labels={"t4panel-run": run_id},
                         run_dir="/nonexistent")


def _launch_all(backend: VertexBackend, count: int) -> dict[str, object]:
    def one(i: int) -> tuple[str, object]:
        req = _request(i)
        try:
            return req.run_id, backend.launch(req)
        except BackendError as exc:
            return req.run_id, exc

    with ThreadPoolExecutor(max_workers=4) as pool:
        return dict(pool.map(one, range(count)))


@pytest.mark.slow
def test_exactly_one_job_per_run_over_200_faulty_launches(cloud):
    # 200 launches squeezed into seconds would take minutes of real time under Google's 600 CRUD calls a
    # minute; the quota has its own test (test_fake_vertex_strict.py), the injected 429s stand in for it here.
    cloud.vertex.rules.quota_limit = 1_000_000
    cloud.vertex.set_faults(Faults(error_rate=0.3, error_codes=(503, 429, 500, 504), drop_after_create_rate=0.1,
                                   stall_rate=0.03, stall_seconds=0.5, seed=7))
    backend = VertexBackend(min_poll_seconds=0.01, rpc_timeout=0.25, limiter=ReadLimiter(0.01))
    outcome = _launch_all(backend, RUNS)

    assert len(outcome) == RUNS
    handles = {run: h for run, h in outcome.items() if isinstance(h, str)}
    errors = {run: e for run, e in outcome.items() if isinstance(e, BackendError)}
    assert len(handles) + len(errors) == RUNS  # every launch ends with a handle or a clear error
    for run_id in outcome:
        jobs = cloud.vertex.jobs_labelled("t4panel-run", run_id)
        assert len(jobs) <= 1, f"{run_id} was created {len(jobs)} times"
        if run_id in handles:
            assert [j.name for j in jobs] == [handles[run_id]]
    for exc in errors.values():  # a sentence, and the truth about whether a job may exist
        assert exc.message.endswith(".") and "Traceback" not in exc.message
        assert isinstance(exc, TransientBackendError) or "nothing was started" in exc.message
    assert len(handles) >= RUNS * 0.97
    # the faults did happen: ambiguous creates were resolved by adopting, never by creating again
    assert cloud.vertex.calls("create") > len(cloud.vertex.jobs)
    assert len(cloud.vertex.jobs) == len(handles) + sum(
        1 for run in errors if cloud.vertex.jobs_labelled("t4panel-run", run))


def test_dropped_reply_after_create_is_adopted_not_recreated(cloud):
    cloud.vertex.set_faults(Faults(drop_after_create_rate=1.0))
    backend = VertexBackend(min_poll_seconds=0.01, rpc_timeout=1.0, limiter=ReadLimiter(0.01))
    handle = backend.launch(_request(1))
    assert cloud.vertex.calls("create") == 1
    assert [j.name for j in cloud.vertex.jobs_labelled("t4panel-run", "rfault00001")] == [handle]


def test_when_nothing_answers_the_launch_never_creates_blindly(cloud):
    cloud.vertex.set_faults(Faults(stall_rate=1.0, stall_seconds=0.3))
    backend = VertexBackend(min_poll_seconds=0.01, rpc_timeout=0.1, limiter=ReadLimiter(0.01), max_attempts=3)
    # every call stalls past the timeout, lookups included: the launch must not create blindly
    with pytest.raises(TransientBackendError, match="cannot tell"):
        backend.launch(_request(2))
    assert cloud.vertex.calls("create") == 0  # the first lookup never answered, so nothing was created

    cloud.vertex.set_faults(Faults())
    assert backend.find_by_run_id("rfault00002", _request(2).job) is None


def test_unavailable_everywhere_ends_with_a_clear_error(cloud):
    cloud.vertex.set_faults(Faults(error_rate=1.0, error_codes=(503,)))
    backend = VertexBackend(min_poll_seconds=0.01, rpc_timeout=0.5, limiter=ReadLimiter(0.01), max_attempts=3)
    with pytest.raises(TransientBackendError) as info:
        backend.launch(_request(3))
    assert "try again" in info.value.message.lower() or "look again" in info.value.message.lower()
    assert cloud.vertex.jobs == {}
