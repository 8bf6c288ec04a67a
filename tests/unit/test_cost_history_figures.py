"""What a run costs and what a day and a month add up to, as the Cost and History pages show them.

Written against the mutation run's survivors in core/cost/history.py (docs/testing.md): each test names the
change it catches. Table rates (resources/pricing.toml), us-central1, n1-standard-4 + one T4 on demand:
$0.2185/h + $0.4025/h = $0.62099885 an hour.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from core import cost
from core.store.runs import Run, RunState, new_run_id
from tests.support.advice import seed_prices
from tests.support.cost import add_run, spec
from tests.support.machine_zone import machine_zone

HOURLY = 0.21849885 + 0.4025
NOW = datetime(2026, 11, 20, 3, 0, tzinfo=UTC)  # 12:00 in Seoul


@pytest.fixture
def machine_in_utc():
    yield from machine_zone("UTC")


def _never_started(created: datetime) -> Run:
    """A run cancelled while it was still queued: Vertex bills nothing for queue time."""
    return Run(id=new_run_id(), backend="vertex", state=RunState.CANCELLED, created=created, detail={"spec": spec()})


def test_month_to_date_adds_nothing_for_a_run_that_never_started(store):
    """One hour on the table's rates ($0.62) and one run cancelled in the queue ($0): $0.62 this month.

    Kills `(cost or 1.0)` in run_spend: every run without a price would add a dollar.
    """
    add_run(store, NOW - timedelta(days=2), 60, cost_usd=None)
    queued = _never_started(NOW - timedelta(days=1))
    store.insert(queued)
    assert cost.run_spend(queued, NOW) == 0.0
    assert cost.month_to_date(store, ZoneInfo("UTC"), NOW) == pytest.approx(HOURLY)


def test_a_run_that_ended_the_moment_it_started_lasted_and_cost_nothing():
    """Start and end recorded at the same second (a job Vertex refused at once): 0 seconds, $0.

    Kills `max(1.0, ...)` in run_seconds: a second billed that never ran.
    """
    at = NOW - timedelta(hours=1)
    run = Run(id=new_run_id(), backend="vertex", state=RunState.FAILED, created=at, started=at, ended=at,
              detail={"spec": spec()})
    assert cost.run_seconds(run) == 0.0
    assert cost.cost_of_run(run) == 0.0


def test_a_run_recorded_without_its_region_is_priced_at_googles_us_central1_rates():
    """Older history rows kept no region: they ran in us-central1, priced from Google's cached catalog there:
    4 vCPU x $0.04 + 15 GB x $0.005 + T4 $0.45 = $0.685 for the hour.

    Kills `spec.get("region", )`: region "None", not in the catalog, priced from the table instead ($0.62).
    """
    seed_prices()
    at = NOW - timedelta(hours=2)
    recorded = {k: v for k, v in spec().items() if k != "region"}
    run = Run(id=new_run_id(), backend="vertex", state=RunState.SUCCEEDED, created=at, started=at,
              ended=at + timedelta(hours=1), detail={"spec": recorded})
    assert cost.cost_of_run(run) == pytest.approx(0.685)


def test_the_oldest_day_of_the_daily_chart_keeps_its_early_morning_runs(store, machine_in_utc):
    """Seoul is 9 hours ahead of this (UTC) computer. A $2.00 run at 05:00 on 19 November in Seoul
    (20:00 UTC the day before) belongs to 19 November, the oldest of the two days shown.

    Kills `datetime.combine(first, time(0), )`: midnight on the computer's clock would start the chart at
    09:00 in Seoul and drop the run.
    """
    add_run(store, datetime(2026, 11, 18, 20, 0, tzinfo=UTC), 30, cost_usd=2.0)
    assert cost.daily_spend(store, ZoneInfo("Asia/Seoul"), 2, NOW) == [(date(2026, 11, 19), 2.0),
                                                                        (date(2026, 11, 20), 0.0)]
