"""A Vertex run's log through the RunController and VertexBackend with the live tail, on the fakes: the run's
log file has every line once and in order whether the stream stays up, is cut, or is refused."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from core import paths
from core.backends.vertex.backend import VertexBackend
from core.control.controller import RunController, RunEvent
from core.google.logs import ReadLimiter
from core.store.config import AppConfig, JobConfig
from core.store.runs import RunState, RunStore
from tests.integration.fakes.logging_server import scaled_quota
from tests.integration.fakes.vertex_server import FakeCloud, Script

LINES = 120
MIN_POLL = 0.05  # the backend's clock: every interval (and the tail's 1 s buffer window) is 1/100 of Google's


@pytest.fixture
def cloud(monkeypatch, google_signed_in):
    with FakeCloud(monkeypatch) as c:
        c.logging.read_quota = scaled_quota(MIN_POLL)
        c.logging.visibility_jitter = 0.008  # out of order, within the 0.01 s buffer window
        c.vertex.script = Script(queued=0.1, pending=0.2, running=1.3, log_delay=0.02,
                                 logs=[(i * 0.01, f"step {i}", "INFO") for i in range(LINES)])
        yield c


def watch_one_run(backend: VertexBackend) -> tuple[RunController, Path, list[RunEvent]]:
    job = JobConfig(backend="vertex", project_id="my-proj", region="us-central1", image_uri="us-docker.pkg.dev/p/r/i:1",
                    command=["python", "-u", "predict.py"], max_runtime_minutes=30)
    cfg = AppConfig(job=job)
    c = RunController(RunStore(paths.history_path()), lambda: cfg, backend_factory=lambda _name: backend)
    events: list[RunEvent] = []
    c.subscribe(events.append)
    run = c.launch("manual")
    done = c.wait(run.id, timeout=20)
    c.shutdown()
    assert done.state == RunState.SUCCEEDED
    return c, Path(done.log_path), events


def backend() -> VertexBackend:
    return VertexBackend(min_poll_seconds=MIN_POLL, rpc_timeout=2.0, limiter=ReadLimiter(MIN_POLL),
                         log_lag_seconds=0.05)


def log_texts(path: Path) -> list[str]:
    return [line.split("\t", 2)[2] for line in path.read_text(encoding="utf-8").splitlines()]


def tail_threads() -> list[str]:
    return [t.name for t in threading.enumerate() if t.name.startswith("log-tail")]


EXPECTED = [f"step {i}" for i in range(LINES)]


def test_a_healthy_stream_brings_every_line_with_no_entries_list_call_until_the_end(cloud):
    _, log_path, events = watch_one_run(backend())
    assert log_texts(log_path) == EXPECTED
    assert [ln.text for e in events if e.kind == "log" for ln in e.lines] == EXPECTED
    (session,) = cloud.logging.tail.requests
    assert session.status == "CANCELLED" and cloud.logging.tail.open_sessions == 0  # closed at the end
    (job,) = cloud.vertex.jobs.values()
    ended = job.job.end_time.timestamp()
    # The session opened while the job was PENDING; one backfill when its first lines came (never before the
    # job started: nothing is logged before), then nothing until the final drain.
    assert len([r for r in cloud.logging.requests if r.at < ended]) == 1
    assert cloud.logging.requests[0].at >= job.job.start_time.timestamp()
    assert session.at < job.job.start_time.timestamp()
    assert tail_threads() == []


def test_a_stream_cut_every_few_seconds_loses_and_doubles_nothing(cloud):
    cloud.logging.tail.faults.cut_every = 0.25  # "every few minutes" on this clock
    _, log_path, _ = watch_one_run(backend())
    assert log_texts(log_path) == EXPECTED
    assert sum(1 for s in cloud.logging.tail.requests if s.status == "UNAVAILABLE") >= 3
    assert cloud.logging.tail.open_sessions == 0 and tail_threads() == []


def test_a_refused_session_falls_back_to_polling_with_the_same_log(cloud):
    cloud.logging.tail.faults.refuse = True
    _, log_path, _ = watch_one_run(backend())
    assert log_texts(log_path) == EXPECTED
    assert {s.status for s in cloud.logging.tail.requests} == {"RESOURCE_EXHAUSTED"}
    (job,) = cloud.vertex.jobs.values()
    assert len([r for r in cloud.logging.requests if r.at < job.job.end_time.timestamp()]) > 3  # it polled
    assert tail_threads() == []


def test_quitting_mid_run_stops_the_stream(cloud):
    cloud.vertex.script = Script(queued=0.05, pending=0.05, running=30.0)
    job = JobConfig(backend="vertex", project_id="my-proj", region="us-central1", image_uri="us-docker.pkg.dev/p/r/i:1",
                    command=["python", "-u", "predict.py"], max_runtime_minutes=30)
    cfg = AppConfig(job=job)
    c = RunController(RunStore(paths.history_path()), lambda: cfg, backend_factory=lambda _name: backend())
    c.launch("manual")
    deadline = threading.Event()
    for _ in range(200):
        if cloud.logging.tail.open_sessions == 1:
            break
        deadline.wait(0.02)
    assert cloud.logging.tail.open_sessions == 1
    c.shutdown()
    for _ in range(100):
        if cloud.logging.tail.open_sessions == 0 and not tail_threads():
            break
        deadline.wait(0.02)
    assert cloud.logging.tail.open_sessions == 0 and tail_threads() == []
