"""The webhook hears a scheduled run's story once (issue 11 item 3): "retrying" once per occurrence, then the
final result; never each failed attempt. The claim bucket's creation reaches it too. The real controller,
scheduler and webhook subscriber against the strict Vertex AI and Cloud Storage fakes and a Slack-style hook."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest

from core import paths
from core.app import notify
from core.app.services import occurrence_claims
from core.backends.vertex.backend import VertexBackend
from core.control.controller import RunController
from core.google.logs import ReadLimiter
from core.schedule.scheduler import Scheduler
from core.store.config import AppConfig, JobConfig, ScheduleConfig
from core.store.runs import RunState, RunStore
from tests.integration.fakes.vertex_server import Script
from tests.integration.test_occurrence_fallbacks import NO_GPUS
from tests.support.occurrence import DAY1, vertex_and_storage
from tests.support.webhook import WebhookServer
from tests.unit.test_schedule_support import FakeClock


@pytest.fixture
def world(monkeypatch, google_signed_in):
    with vertex_and_storage(monkeypatch) as (cloud, _), WebhookServer() as hook:
        yield cloud, hook


def _texts(hook, count: int) -> list[str]:
    deadline = time.monotonic() + 10
    while len(hook.posts) < count and time.monotonic() < deadline:
        time.sleep(0.02)
    time.sleep(0.5)  # anything posted twice would land by now
    return [p.body["text"] for p in hook.posts]


def test_attempts_that_failed_are_not_posted_retrying_once_then_the_result(world):
    cloud, hook = world
    made = []

    def script(job):
        made.append(job)
        if len(made) <= 2:  # two jobs end FAILED before running: no GPUs after all
            return Script(queued=0.01, pending=0.02, outcome="FAILED", error=NO_GPUS, starts=False)
        return Script(queued=0.01, pending=0.01, running=0.1)

    cloud.vertex.script_for = script
    cfg = AppConfig(job=JobConfig(backend="vertex", project_id="my-proj", image_uri="img:1", command=["x"],
                                  fallback_regions=["us-east1"], display_name="nightly"),
                    schedule=ScheduleConfig(enabled=True, time="01:00", timezone="UTC", catch_up_hours=2))
    cfg.notifications.webhook_url = hook.url
    store = RunStore(paths.history_path())
    backend = VertexBackend(min_poll_seconds=0.02, rpc_timeout=2.0, max_attempts=2, limiter=ReadLimiter(0.02))
    controller = RunController(store, lambda: cfg, backend_factory=lambda _n: backend, claims=occurrence_claims)
    controller.subscribe(notify.webhook_subscriber(lambda: cfg.notifications.webhook_url))
    clock = FakeClock(DAY1 - timedelta(minutes=1))
    scheduler = Scheduler(controller, lambda: cfg, clock=clock, monotonic=clock.monotonic,
                          notify=notify.notice_poster(lambda: cfg.notifications.webhook_url))
    try:
        scheduler.start(background=False)
        for minute in (0, 0.5, 2, 2.5, 5, 6):
            clock.advance_to(DAY1 + timedelta(minutes=minute))
            scheduler.fire()
            run = store.by_occurrence(DAY1)
            if run is not None and not run.state.terminal:
                controller.wait(run.id, timeout=20)
        run = store.by_occurrence(DAY1)
        assert run.state == RunState.SUCCEEDED and len(run.detail["attempts"]) == 2
        texts = _texts(hook, 3)
    finally:
        scheduler.stop()
        controller.shutdown()
    assert len(texts) == 3, texts
    assert texts[0].startswith(f"T4 Panel: run {run.id}. T4 Panel created the Cloud Storage bucket my-proj-t4panel")
    assert texts[1].startswith("T4 Panel: Scheduled run retrying. The run of ")
    assert NO_GPUS in texts[1]
    assert texts[2].startswith(f"T4 Panel: nightly finished. Run {run.id} succeeded on Vertex AI")
    assert len(cloud.vertex.jobs) == 3
