"""An occurrence has a deadline, not a single attempt: the real Scheduler and RunController on the Vertex AI
and Cloud Storage fakes, on a controlled clock (issue 11, item 2)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from core.store.occurrences import Outcome
from core.store.runs import RunState
from tests.integration.fakes.vertex_server import Faults, Script
from tests.support.occurrence import DAY1, Rig, vertex_and_storage

STOCKOUT = (429, "RESOURCE_EXHAUSTED", "The zone 'us-central1-a' does not have enough resources available to "
            "fulfill the request. '(resource type:compute)'. ZONE_RESOURCE_POOL_EXHAUSTED")
QUOTA_0 = (429, "RESOURCE_EXHAUSTED", "Quota exceeded for quota metric 'custom_model_training_nvidia_t4_gpus' "
           "and limit 'per region' of service 'aiplatform.googleapis.com': limit 0.")


@pytest.fixture
def rig(monkeypatch, google_signed_in):
    with vertex_and_storage(monkeypatch) as (cloud, _):
        cloud.vertex.script = Script(queued=3600.0)
        r = Rig(cloud)
        yield r
        r.close()


def test_a_503_storm_for_3_minutes_at_fire_time_gives_one_job_that_day(rig):
    rig.cloud.vertex.set_faults(Faults(error_rate=1.0, error_codes=(503,)))
    for minute in (0, 0.5, 1, 2):
        rig.at(minute)
        assert rig.outcome() is None  # still trying, not "failed to launch"
    rig.cloud.vertex.set_faults(Faults())  # the storm ends at 01:03
    for minute in (3, 4, 5, 10, 20):
        rig.at(minute)
    record = rig.outcome()
    assert record.outcome == Outcome.LAUNCHED and record.reason == "attempt 3"
    assert len(rig.cloud.vertex.jobs) == 1 and len(rig.cloud.vertex.creates()) == 1
    run = rig.store.get(record.run_id)
    assert run.state == RunState.QUEUED and [a["error"] for a in run.detail["attempts"]] == [
        "Vertex AI did not answer (it is busy or unreachable), and nothing was started."] * 2
    assert run.error is None  # the attempt that started shows no earlier attempt's error on the Dashboard
    assert [t for t, _ in rig.notices] == ["Scheduled run retrying"]  # once, then the result


def test_a_stockout_on_the_first_two_attempts_gives_one_job_on_the_third(rig):
    rig.cloud.vertex.set_faults(Faults(create_error=STOCKOUT))
    rig.at(0)
    rig.at(1)
    assert rig.outcome() is None
    rig.cloud.vertex.set_faults(Faults())
    rig.at(3)
    record = rig.outcome()
    assert record.outcome == Outcome.LAUNCHED and record.reason == "attempt 3"
    assert len(rig.cloud.vertex.jobs) == 1
    run = rig.store.get(record.run_id)
    assert all("no T4 GPU free in us-central1" in a["error"] for a in run.detail["attempts"])
    (job,) = rig.cloud.vertex.jobs.values()
    assert job.job.labels["t4panel-run"] == f"{run.id}-a3"  # each attempt its own label, one run in history


def test_quota_0_gives_no_job_and_the_fix_at_once(rig):
    rig.cloud.vertex.set_faults(Faults(create_error=QUOTA_0))
    rig.at(0)
    record = rig.outcome()
    assert record.outcome == Outcome.FAILED_TO_LAUNCH and "Request more" in record.reason
    assert rig.cloud.vertex.jobs == {} and len(rig.cloud.vertex.creates()) == 1  # not retried
    rig.at(5)
    assert len(rig.cloud.vertex.creates()) == 1


def test_attempts_stop_at_the_end_of_the_catch_up_window(rig):
    rig.cloud.vertex.set_faults(Faults(create_error=STOCKOUT))
    for minute in range(0, 75, 3):
        rig.at(minute)
    record = rig.outcome()
    assert record.outcome == Outcome.FAILED_TO_LAUNCH and "catch-up window closed" in record.reason
    assert rig.cloud.vertex.jobs == {}
    tries = len(rig.store.get(record.run_id).detail.get("attempts", [])) + 1
    assert 5 <= tries <= 8  # waits of about 1, 2, 5, 10, 15, 15 ... minutes within the hour
    rig.cloud.vertex.set_faults(Faults())
    rig.clock.advance_to(DAY1 + timedelta(days=1))
    rig.scheduler.fire()
    next_day = rig.scheduler.occurrences.get("20260602t0100z")
    assert next_day.outcome == Outcome.LAUNCHED  # the next day is its own occurrence, launched at once
