"""One scheduled occurrence is one Vertex AI job, even when two computers fire it.

Two RunControllers with separate histories (the office PC and the laptop, both with the schedule on)
talk to one fake Vertex AI through the real client library. The second must adopt the first's job by its
`t4panel-occurrence` label; when it cannot ask, it must start nothing.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from core.backends.vertex.backend import VertexBackend
from core.control.controller import RunController, occurrence_label
from core.errors import TransientBackendError
from core.google.logs import ReadLimiter
from core.store.config import AppConfig, JobConfig
from core.store.runs import RunState, RunStore
from tests.integration.fakes.vertex_server import FakeCloud, Script

OCCURRENCE = datetime(2026, 5, 1, 1, 0, tzinfo=UTC)
LABEL = occurrence_label(OCCURRENCE)  # 20260501t0100z


@pytest.fixture
def cloud(monkeypatch, google_signed_in):
    with FakeCloud(monkeypatch) as c:
        c.vertex.script = Script(queued=0.05, pending=0.05, running=0.3)
        yield c


@pytest.fixture
def computers(tmp_path):
    made: list[RunController] = []

    def computer(name: str) -> RunController:
        cfg = AppConfig(job=JobConfig(backend="vertex", project_id="my-proj", region="us-central1",
                                      image_uri="us-docker.pkg.dev/p/r/i:1", command=["python", "-u", "predict.py"],
                                      max_runtime_minutes=30))
        made.append(RunController(RunStore(tmp_path / f"{name}.sqlite3"), lambda: cfg, backend_factory=_fast_vertex))
        return made[-1]

    yield computer
    for c in made:
        c.shutdown()


def _fast_vertex(name: str) -> VertexBackend:
    assert name == "vertex"
    return VertexBackend(min_poll_seconds=0.02, rpc_timeout=2.0, limiter=ReadLimiter(0.01), log_lag_seconds=0.05)


def test_a_second_computer_firing_the_same_occurrence_adopts_the_job_and_pays_once(cloud, computers):
    office, laptop = computers("office"), computers("laptop")
    first = office.launch("schedule", occurrence=OCCURRENCE)
    second = laptop.launch("schedule", occurrence=OCCURRENCE)

    [job] = cloud.vertex.jobs_labelled("t4panel-occurrence", LABEL)
    assert cloud.vertex.calls("create") == 1
    assert first.job_name == second.job_name == job.name
    assert second.error == "Adopted: this occurrence was already launched elsewhere."
    # both histories follow the one job to its end
    assert office.wait(first.id, timeout=10).state == RunState.SUCCEEDED
    assert laptop.wait(second.id, timeout=10).state == RunState.SUCCEEDED
    assert [r.job_name for r in laptop.store.recent()] == [job.name]


def test_when_the_other_computers_job_cannot_be_looked_up_nothing_is_started(cloud, computers, monkeypatch):
    office, laptop = computers("office"), computers("laptop")
    office.launch("schedule", occurrence=OCCURRENCE)
    answer = cloud.vertex.list

    def occurrence_lookups_drop(parent: str, filter_text: str):
        if "t4panel-occurrence" in filter_text:
            raise ConnectionResetError("the connection dropped")  # the client sees no answer at all
        return answer(parent, filter_text)

    monkeypatch.setattr(cloud.vertex, "list", occurrence_lookups_drop)
    with pytest.raises(TransientBackendError) as refused:
        laptop.launch("schedule", occurrence=OCCURRENCE)

    assert "Could not ask Vertex AI whether this scheduled run already started" in refused.value.message
    assert cloud.vertex.calls("create") == 1  # only the office's job: no second paid job
    assert len(cloud.vertex.jobs_labelled("t4panel-occurrence", LABEL)) == 1
    [run] = laptop.store.recent()
    assert run.state == RunState.FAILED and not run.job_name
    assert run.error.startswith("Nothing was started: Could not ask Vertex AI")
    assert laptop.active_run() is None  # the laptop is free for the next fire time


def test_a_run_now_never_looks_for_an_occurrence_and_starts_its_own_job(cloud, computers):
    office, laptop = computers("office"), computers("laptop")
    office.launch("schedule", occurrence=OCCURRENCE)
    mine = laptop.launch("manual")
    assert cloud.vertex.calls("create") == 2
    assert [j.name for j in cloud.vertex.jobs_labelled("t4panel-run", mine.id)] == [mine.job_name]
    assert "t4panel-occurrence" not in cloud.vertex.get(mine.job_name).labels
