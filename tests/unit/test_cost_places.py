"""Where each attempt of a scheduled run ran and what it cost: the "where it ran" column of the Cost and History
pages (core.cost.history.places_of).

Written against the mutation run's survivors (docs/testing.md): only GUI and integration files reached
places_of before. The operator's own rates (Settings) make every figure hand-workable: machine $0.20/h and
T4 $0.40/h, so one T4 job costs $0.60 an hour.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from core.cost import RateOverrides
from core.cost.history import Place, places_of
from core.store.runs import Run, RunState
from tests.support.cost import spec

RATES = RateOverrides(machine_usd_per_hour=0.20, gpu_usd_per_hour=0.40)
T0 = datetime(2026, 11, 3, 16, 0, tzinfo=UTC)
# Attempt 1: Spot in us-central1, taken back after an hour: 1 h x $0.60 = $0.60, recorded when it ended.
FIRST = {"region": "us-central1", "spot": True, "cost_usd": 0.60}


def _second_attempt(state: RunState, minutes: float, cost_usd: float | None) -> Run:
    """Attempt 2 on Spot in the fallback region us-east1, started at T0 and (if it ended) `minutes` later."""
    ended = T0 + timedelta(minutes=minutes) if state.terminal else None
    return Run(id="r1", backend="vertex", state=state, created=T0 - timedelta(hours=2), started=T0, ended=ended,
               cost_usd=cost_usd, detail={"attempts": [FIRST], "spec": spec(region="us-east1", spot=True)})


def test_a_finished_retried_run_shows_each_attempts_own_region_spot_and_cost():
    """The run's stored cost is every attempt's: $0.60 + 30 min x $0.60/h = $0.90. The second attempt's
    own figure is what is left after the first: $0.90 - $0.60 = $0.30 (not $0.90 + $0.60 = $1.50)."""
    run = _second_attempt(RunState.SUCCEEDED, 30, cost_usd=0.90)
    places = places_of(run, overrides=RATES)
    # kills a["XXregionXX"], max(x - y) with one argument, `+` for `-`, earlier_attempts_cost(None), and the
    # current attempt's Spot read from spec.get(None) / spec.get("XXspotXX")
    assert [(p.region, p.spot) for p in places] == [("us-central1", True), ("us-east1", True)]
    assert places[0].cost == 0.60
    assert places[1].cost == pytest.approx(0.30)


def test_an_ended_attempt_whose_cost_was_never_recorded_is_priced_from_its_times():
    """An attempt that ended FAILED after 30 min and whose cost was not stored (the estimate failed then):
    the page prices it from its spec and times, 30 min x $0.60/h = $0.30, instead of failing to show."""
    # kills `terminal or cost_usd is not None`: float(None) would stop the Cost page from drawing the run
    run = _second_attempt(RunState.FAILED, 30, cost_usd=None)
    assert places_of(run, overrides=RATES) == [Place("us-central1", True, 0.60),
                                               Place("us-east1", True, pytest.approx(0.30))]


def test_three_spot_attempts_of_an_hour_each_cost_60_cents_each_not_more_for_the_later_ones():
    """Spot taken back twice after an hour, the third attempt runs its hour: $0.60 + $0.60 + $0.60 = $1.80.
    When an attempt ends, the run's stored cost adds up every attempt so far ($1.20 after the second); the
    record of that attempt must keep its own $0.60, or the third attempt's total counts the first one twice
    ($0.60 + $1.20 + $0.60 = $2.40) and History says the second attempt cost $1.20."""
    from core.control.attempts import next_job
    from core.store.config import JobConfig

    second = Run(id="r1", backend="vertex", state=RunState.FAILED, created=T0 - timedelta(hours=2), started=T0,
                 ended=T0 + timedelta(hours=1), cost_usd=1.20, occurrence=T0 - timedelta(hours=2),
                 detail={"attempts": [FIRST], "spec": spec(region="us-central1", spot=True), "retryable": True,
                         "retry_kind": "preempted"})
    _, record = next_job(second, JobConfig(backend="vertex", project_id="p", region="us-central1", spot=True))
    assert record["cost_usd"] == pytest.approx(0.60)
    third = Run(id="r1", backend="vertex", state=RunState.SUCCEEDED, created=T0 - timedelta(hours=2),
                started=T0 + timedelta(hours=2), ended=T0 + timedelta(hours=3), cost_usd=0.60 + 0.60 + 0.60,
                detail={"attempts": [FIRST, record], "spec": spec(region="us-central1", spot=True)})
    assert [p.cost for p in places_of(third, overrides=RATES)] == [0.60, pytest.approx(0.60), pytest.approx(0.60)]
