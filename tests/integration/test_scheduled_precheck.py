"""A scheduled run re-checks the cheap items first (issue 11 item 4): the setup check's API, permission and
quota items run once per occurrence before the launch, through the real Google clients against strict fakes. A
problem certain to fail the launch stops it with the fix; a check that cannot be made never blocks it."""

from __future__ import annotations

import pytest

from core.app.setup_check import cheap_precheck
from core.store.config import JobConfig
from core.store.occurrences import Outcome
from tests.integration.fakes.setup_server import T4, FakeSetupApis
from tests.integration.fakes.vertex_server import Faults, Script
from tests.integration.test_setup_check_cli import IMAGE, SA, healthy
from tests.support.occurrence import DAY1, LABEL, rig_maker, vertex_and_storage


def _job(**changes) -> JobConfig:
    fields = {"backend": "vertex", "project_id": "demo-proj", "region": "us-central1", "image_uri": IMAGE,
              "service_account": SA, "command": ["python", "predict.py"], **changes}
    return JobConfig(**fields)


@pytest.fixture
def world(monkeypatch, google_signed_in):
    with FakeSetupApis(healthy()) as setup, vertex_and_storage(monkeypatch) as (cloud, _):
        for name, url in setup.env().items():
            monkeypatch.setenv(name, url)
        cloud.vertex.script = Script(queued=3600.0)
        with rig_maker(cloud, precheck=cheap_precheck) as make:
            yield setup, cloud, make


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
