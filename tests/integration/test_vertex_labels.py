"""Labels Vertex AI would refuse never leave the app: the operator gets the sentence, Vertex no request.

Vertex AI labels (aiplatform.v1.json, CustomJob.labels): keys and values of at most 64 characters,
lowercase letters, digits, "_" and "-"; keys start with a letter. The real client library sends the
request to the fake Vertex AI on 127.0.0.1, which records every call it gets.
"""

from __future__ import annotations

import pytest

from core.backends.base import LaunchRequest
from core.backends.vertex.backend import VertexBackend
from core.errors import BackendError
from core.google.logs import ReadLimiter
from core.store.config import JobConfig
from tests.integration.fakes.vertex_server import FakeCloud


@pytest.fixture
def cloud(monkeypatch, google_signed_in):
    with FakeCloud(monkeypatch) as c:
        yield c


def launch(labels: dict[str, str]) -> str:
    job = JobConfig(backend="vertex", project_id="my-proj", region="us-central1",
                    image_uri="us-docker.pkg.dev/p/r/img:1", command=["python", "-u", "predict.py"])
    backend = VertexBackend(min_poll_seconds=0.02, rpc_timeout=2.0, limiter=ReadLimiter(0.01))
    return backend.launch(LaunchRequest(run_id="rlabels0001", job=job, display_name="t4-predict",
                                        labels={"t4panel-run": "rlabels0001", **labels}, run_dir="/nonexistent"))


@pytest.mark.parametrize(("key", "value"), [
    ("t4panel-occurrence", "20260501t0100z"),
    ("team", "v" * 64),  # as long as a value may be
    ("k" * 64, "x"),  # as long as a key may be
    ("a_b-2", ""),  # an empty value is allowed
])
def test_labels_vertex_accepts_reach_the_job(cloud, key, value):
    name = launch({key: value})
    assert cloud.vertex.get(name).labels[key] == value


@pytest.mark.parametrize(("key", "value"), [
    ("team", "Nightly"),  # upper case
    ("team", "v" * 65),  # value too long
    ("k" * 65, "x"),  # key too long
    ("1team", "x"),  # key must start with a letter
    ("my team", "x"),  # space
    ("", "x"),  # empty key
    ("team", "a.b"),  # dot
])
def test_a_label_vertex_would_refuse_is_refused_here_and_nothing_is_sent(cloud, key, value):
    with pytest.raises(BackendError) as refused:
        launch({key: value})
    assert refused.value.message == (f'The label {key}="{value}" is not valid for Vertex AI (lowercase letters, '
                                     "digits, _ and -, at most 64 characters).")
    assert cloud.vertex.requests == []  # not even the look-up: the job was never going to be sent
