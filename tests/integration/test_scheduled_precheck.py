"""A scheduled run re-checks the cheap items first (issue 11 item 4): the setup check's API, permission and
quota items run once per occurrence before the launch, through the real Google clients against strict fakes. A
problem certain to fail the launch stops it with the fix; a check that cannot be made never blocks it."""

from __future__ import annotations

from datetime import timedelta

import pytest

from core import paths
from core.app.services import occurrence_claims
from core.app.setup_check import cheap_precheck
from core.backends.vertex.backend import VertexBackend
from core.control.controller import RunController
from core.google.logs import ReadLimiter
from core.schedule.scheduler import Scheduler
from core.store.config import AppConfig, JobConfig, ScheduleConfig
from core.store.occurrences import Outcome
from core.store.runs import RunStore
from tests.integration.fakes.setup_server import T4, FakeSetupApis
from tests.integration.fakes.storage_server import FakeStorage
from tests.integration.fakes.vertex_server import FakeCloud, Faults, Script
from tests.integration.test_occurrence_retries import DAY1, LABEL
from tests.integration.test_setup_check_cli import IMAGE, SA, healthy
from tests.unit.test_schedule_support import FakeClock


class Rig:
    def __init__(self, cloud, job: JobConfig) -> None:
        self.cloud = cloud
        self.cfg = AppConfig(job=job, schedule=ScheduleConfig(enabled=True, time="01:00", timezone="UTC",
                                                              catch_up_hours=1))
        self.store = RunStore(paths.history_path())
        backend = VertexBackend(min_poll_seconds=0.02, rpc_timeout=2.0, max_attempts=2, limiter=ReadLimiter(0.02))
        self.controller = RunController(self.store, lambda: self.cfg, backend_factory=lambda _n: backend,
                                        claims=occurrence_claims)
        self.clock = FakeClock(DAY1 - timedelta(minutes=1))
        self.notices: list[tuple[str, str]] = []
        self.scheduler = Scheduler(self.controller, lambda: self.cfg, clock=self.clock, precheck=cheap_precheck,
                                   monotonic=self.clock.monotonic, notify=lambda t, m: self.notices.append((t, m)))
        self.scheduler.start(background=False)

    def at(self, minutes: float) -> None:
        self.clock.advance_to(DAY1 + timedelta(minutes=minutes))
        self.scheduler.fire()

    def close(self) -> None:
        self.scheduler.stop()
        self.controller.shutdown()


def _job(**changes) -> JobConfig:
    fields = {"backend": "vertex", "project_id": "demo-proj", "region": "us-central1", "image_uri": IMAGE,
              "service_account": SA, "command": ["python", "predict.py"], **changes}
    return JobConfig(**fields)


@pytest.fixture
def world(monkeypatch, google_signed_in):
    with FakeSetupApis(healthy()) as setup, FakeCloud(monkeypatch) as cloud, FakeStorage() as storage:
        for name, url in setup.env().items():
            monkeypatch.setenv(name, url)
        monkeypatch.setenv("STORAGE_EMULATOR_HOST", storage.url)
        cloud.vertex.script = Script(queued=3600.0)
        rigs: list[Rig] = []

        def make(job: JobConfig) -> Rig:
            rigs.append(Rig(cloud, job))
            return rigs[-1]

        yield setup, cloud, make
        for r in rigs:
            r.close()


def test_a_quota_of_0_blocks_the_run_with_the_fix_and_no_create(world):
    setup, cloud, make = world
    setup.project.quotas[(T4, "us-central1")] = 0
    rig = make(_job())
    rig.at(0)
    record = rig.scheduler.occurrences.get(LABEL)
    assert record.outcome == Outcome.BLOCKED
    assert "custom_model_training_nvidia_t4_gpus in us-central1 is 0" in record.reason
    assert "Ask for at least 1" in record.reason
    assert cloud.vertex.creates() == [] and rig.store.by_occurrence(DAY1) is None
    assert [t for t, _ in rig.notices] == ["Scheduled run blocked"]
    rig.at(10)
    assert cloud.vertex.creates() == []  # no retries spent on a launch certain to fail


def test_an_api_switched_off_blocks_the_run_with_the_page_to_enable_it(world):
    setup, cloud, make = world
    setup.project.enabled.discard("aiplatform.googleapis.com")
    rig = make(_job())
    rig.at(0)
    record = rig.scheduler.occurrences.get(LABEL)
    assert record.outcome == Outcome.BLOCKED and "aiplatform.googleapis.com" in record.reason
    assert "console.cloud.google.com/apis/library" in record.reason
    assert cloud.vertex.creates() == []


def test_a_quota_of_0_in_the_first_region_does_not_block_when_fallbacks_exist(world):
    setup, cloud, make = world
    setup.project.quotas[(T4, "us-central1")] = 0
    rig = make(_job(fallback_regions=["us-east1"]))
    rig.at(0)
    assert rig.scheduler.occurrences.get(LABEL).outcome == Outcome.LAUNCHED
    assert len(cloud.vertex.creates()) == 1


def test_the_check_runs_once_per_occurrence_not_once_per_attempt(world):
    setup, cloud, make = world
    cloud.vertex.set_faults(Faults(error_rate=1.0, error_codes=(503,)))
    rig = make(_job())
    rig.at(0)
    asked = len(setup.serviceusage.calls) + len(setup.resourcemanager.calls) + len(setup.quotas.calls)
    assert asked >= 2  # APIs, permissions (and the quota) were really asked
    rig.at(1)
    rig.at(2)
    assert rig.scheduler.occurrences.get(LABEL) is None  # still trying through the storm
    cloud.vertex.set_faults(Faults())
    rig.at(5)
    assert rig.scheduler.occurrences.get(LABEL).outcome == Outcome.LAUNCHED and len(cloud.vertex.jobs) == 1
    assert len(setup.serviceusage.calls) + len(setup.resourcemanager.calls) + len(setup.quotas.calls) == asked


def test_a_check_google_will_not_answer_never_blocks(world):
    setup, cloud, make = world
    for server in setup.servers:
        server.denied = True  # the operator may not read these: warnings, not failures
    rig = make(_job())
    rig.at(0)
    assert rig.scheduler.occurrences.get(LABEL).outcome == Outcome.LAUNCHED
    assert len(cloud.vertex.creates()) == 1


def test_a_setup_that_cannot_be_reached_launches_as_usual(world, monkeypatch):
    _setup, cloud, make = world
    for name in ("T4PANEL_SERVICEUSAGE_ENDPOINT", "T4PANEL_QUOTAS_ENDPOINT", "T4PANEL_RESOURCEMANAGER_ENDPOINT"):
        monkeypatch.setenv(name, "http://127.0.0.1:9")
    rig = make(_job())
    rig.at(0)
    assert rig.scheduler.occurrences.get(LABEL).outcome == Outcome.LAUNCHED
    assert len(cloud.vertex.creates()) == 1
