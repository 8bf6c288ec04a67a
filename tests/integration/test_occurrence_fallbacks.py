"""Where a scheduled run goes when its first choice fails: the operator's fallback regions after a stockout, on
demand after a Spot preemption, and again after a job that Vertex AI accepted but never ran for lack of GPUs.
The real Scheduler and RunController on the strict Vertex AI and Cloud Storage fakes (issue 11, items 2-3)."""

from __future__ import annotations

import json

import pytest

from core import cost
from core.store.occurrences import Outcome
from core.store.runs import RunState
from tests.integration.fakes.vertex_server import Faults, Script
from tests.integration.test_occurrence_retries import STOCKOUT
from tests.support.occurrence import DAY1, LABEL, Rig, vertex_and_storage, vertex_job

NO_GPUS = "Resources are insufficient in region: us-central1. Please try a different region."
PREEMPTED = "The replica workerpool0-0 was preempted (its Spot VM was reclaimed by Compute Engine)."


@pytest.fixture
def cloud(monkeypatch, google_signed_in):
    with vertex_and_storage(monkeypatch) as (c, _):
        yield c


@pytest.fixture
def rigs():
    """rigs(cloud, job): a Rig that prices its runs (as the app does), closed after the test."""
    made = []
    yield lambda cloud, job: made.append(Rig(cloud, job, cost_of=lambda run: cost.cost_of_run(run))) or made[-1]
    for r in made:
        r.close()


_job = vertex_job


def test_a_stockout_in_the_first_two_regions_gives_one_job_in_the_second_fallback(cloud, rigs):
    cloud.vertex.script = Script(queued=3600.0)
    cloud.vertex.set_faults(Faults(create_error=STOCKOUT, create_error_in=("asia-northeast3", "us-central1")))
    rig = rigs(cloud, _job(region="asia-northeast3", fallback_regions=["us-central1", "us-east1"]))
    rig.at(0)
    rig.at(1)
    assert rig.scheduler.occurrences.get(LABEL) is None  # still trying
    rig.at(3)
    record = rig.scheduler.occurrences.get(LABEL)
    assert record.outcome == Outcome.LAUNCHED and record.reason == "attempt 3"
    assert rig.created_jobs() == [("us-east1", "STANDARD")]
    # one create per attempt: a stockout is not hammered within an attempt
    assert [c.path.split("/locations/")[1].split("/")[0] for c in cloud.vertex.creates()] == [
        "asia-northeast3", "us-central1", "us-east1"]
    run = rig.run()
    assert [(a["region"], a["spot"], a["reason"]) for a in run.detail["attempts"]] == [
        ("asia-northeast3", False, "capacity"), ("us-central1", False, "capacity")]
    assert run.detail["spec"]["region"] == "us-east1"
    assert rig.controller._job_of(run).region == "us-east1"  # watched and cancelled where it runs
    assert [t for t, _ in rig.notices] == ["Scheduled run retrying"]
    assert rig.cfg.job.region == "asia-northeast3"  # the operator's settings are never rewritten


def test_spot_preempted_with_on_demand_fallback_gives_a_second_job_on_demand_and_both_costs(cloud, rigs):
    def script(job):
        if job.job_spec.scheduling.strategy.name == "SPOT":
            return Script(queued=0.01, pending=0.01, running=0.3, outcome="FAILED", error=PREEMPTED)
        return Script(queued=0.01, pending=0.01, running=0.3)

    cloud.vertex.script_for = script
    rig = rigs(cloud, _job(spot=True, on_demand_fallback=True))
    rig.at(0)
    assert rig.scheduler.occurrences.get(LABEL).outcome == Outcome.LAUNCHED
    first = rig.ended()
    assert first.state == RunState.FAILED and first.detail["retry_kind"] == "preempted"
    spot_cost = first.cost_usd
    assert spot_cost and spot_cost > 0  # the preempted Spot time is paid for
    rig.at(0.5)  # the next attempt is planned, once "retrying"
    rig.at(2)
    final = rig.ended()
    assert final.state == RunState.SUCCEEDED
    assert rig.created_jobs() == [("us-central1", "SPOT"), ("us-central1", "STANDARD")]
    (attempt,) = final.detail["attempts"]
    assert attempt["spot"] is True and attempt["reason"] == "preempted" and attempt["cost_usd"] == spot_cost
    on_demand = cost.cost_of_run(final)
    assert on_demand and final.cost_usd == pytest.approx(spot_cost + on_demand)
    assert json.loads(json.dumps(final.to_json()))["cost_usd"] == pytest.approx(spot_cost + on_demand)
    assert [t for t, _ in rig.notices] == ["Scheduled run retrying"]
    assert sum(1 for r in rig.store.recent() if r.occurrence == DAY1) == 1  # one run, two attempts
    from gui.run_attempts import attempt_lines

    (line,) = attempt_lines(final)  # what History shows, from what the controller recorded
    assert line.startswith("attempt 1 of the ") and "Spot was preempted in us-central1, trying us-central1, on " \
        "demand at " in line
    places = cost.places_of(final)
    assert [(p.region, p.spot) for p in places] == [("us-central1", True), ("us-central1", False)]
    assert places[0].cost == spot_cost and places[1].cost == pytest.approx(on_demand)


def test_spot_preempted_without_the_fallback_is_tried_again_on_spot(cloud, rigs):
    runs = []

    def script(job):
        runs.append(job)
        if len(runs) == 1:
            return Script(queued=0.01, pending=0.01, running=0.1, outcome="FAILED", error=PREEMPTED)
        return Script(queued=0.01, pending=0.01, running=0.1)

    cloud.vertex.script_for = script
    rig = rigs(cloud, _job(spot=True))
    rig.at(0)
    rig.ended()
    rig.at(0.5)
    rig.at(2)
    assert rig.ended().state == RunState.SUCCEEDED
    assert rig.created_jobs() == [("us-central1", "SPOT"), ("us-central1", "SPOT")]


def test_a_job_created_then_failed_for_lack_of_gpus_is_retried_in_the_fallback_region(cloud, rigs):
    def script(job):
        if "/locations/us-central1/" in job.name:
            return Script(queued=0.01, pending=0.05, outcome="FAILED", error=NO_GPUS, starts=False)
        return Script(queued=0.01, pending=0.01, running=0.1)

    cloud.vertex.script_for = script
    rig = rigs(cloud, _job(fallback_regions=["us-east1"]))
    rig.at(0)
    first = rig.ended()
    assert first.state == RunState.FAILED and first.started is None and first.detail["retryable"] is True
    rig.at(0.5)
    rig.at(2)
    final = rig.ended()
    assert final.state == RunState.SUCCEEDED and final.started is not None
    assert rig.created_jobs() == [("us-central1", "STANDARD"), ("us-east1", "STANDARD")]
    assert [(a["region"], a["reason"]) for a in final.detail["attempts"]] == [("us-central1", "capacity")]
    assert [t for t, _ in rig.notices] == ["Scheduled run retrying"]


def test_a_job_that_never_gets_gpus_stops_at_the_deadline_with_one_final_notice(cloud, rigs):
    cloud.vertex.script = Script(queued=0.01, pending=0.02, outcome="FAILED", error=NO_GPUS, starts=False)
    rig = rigs(cloud, _job())
    for minute in range(0, 75, 3):
        rig.at(minute)
        run = rig.run()
        if run is not None and not run.state.terminal:
            rig.ended()
    jobs = rig.created_jobs()
    assert 5 <= len(jobs) <= 8  # about 1, 2, 5, 10, 15 ... minutes apart within the hour
    run = rig.run()
    assert run.detail.get("gave_up") is True and run.detail["retryable"] is False
    assert [t for t, _ in rig.notices] == ["Scheduled run retrying", "Scheduled run did not finish"]
    rig.at(90)
    assert len(rig.created_jobs()) == len(jobs)  # nothing after the window closed
