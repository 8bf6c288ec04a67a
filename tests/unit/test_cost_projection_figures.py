"""The Job form's estimate and the Cost page's "rest of the month": runs left, Spot figure, would-have-cost.

Written against the mutation run's survivors in core/cost/projection.py (docs/testing.md): each test names
the change it catches. Table rates (resources/pricing.toml), us-central1, n1-standard-4 with one T4:
on demand 1.15 x (4 x 0.031611 + 15 x 0.004237) = $0.21849885/h for the machine, T4 1.15 x 0.35;
Spot 1.15 x (4 x 0.00798605 + 15 x 0.00107041) = $0.05520040/h for the machine, T4 1.15 x 0.14 = $0.161.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from core import cost
from core.store.config import AppConfig, ScheduleConfig
from core.store.runs import RunState
from tests.support.cost import add_run
from tests.support.machine_zone import machine_zone


@pytest.fixture
def machine_in_utc():
    yield from machine_zone("UTC")


def test_an_evening_run_in_los_angeles_still_counts_on_the_last_day_of_the_month(machine_in_utc):
    """30 November, 19:00 in Los Angeles (already 1 December, 03:00 UTC on this computer); the job runs daily
    at 20:00 Los Angeles time: one run is left this month.

    Kills `start.astimezone(None)`: the walk over the days would start on the computer's 1 December.
    """
    s = ScheduleConfig(enabled=True, time="20:00", timezone="America/Los_Angeles")
    assert cost.occurrences_left_this_month(s, datetime(2026, 12, 1, 3, 0, tzinfo=UTC)) == 1


def test_fire_times_up_to_a_moment_that_is_already_tomorrow_in_seoul(machine_in_utc):
    """Daily at 00:30 Seoul time, from 30 November 00:00 UTC to 1 December 16:00 UTC (2 December 01:00 in
    Seoul): the runs of 1 December 00:30 and 2 December 00:30 Seoul time (15:30 UTC the evening before).

    Kills `end.astimezone(None)`: the walk would stop at the computer's 1 December and lose the second run.
    """
    s = ScheduleConfig(enabled=True, time="00:30", timezone="Asia/Seoul")
    fires = cost.occurrences(s, datetime(2026, 11, 30, tzinfo=UTC), datetime(2026, 12, 1, 16, 0, tzinfo=UTC))
    assert [f.astimezone(UTC) for f in fires] == [datetime(2026, 11, 30, 15, 30, tzinfo=UTC),
                                                 datetime(2026, 12, 1, 15, 30, tzinfo=UTC)]


def test_the_spot_figure_keeps_the_operators_own_t4_rate():
    """The operator pays $0.30/h for a T4 (Settings), on demand and on Spot alike. A 60-minute run:
    on demand $0.21849885 + $0.30 = $0.52 (x 30 days = $15.55); on Spot $0.05520040 + $0.30 = $0.36.

    Kills `rates_for(..., True, None)` for the Spot figure: the table's Spot T4 would say $0.22.
    """
    cfg = AppConfig()
    cfg.budget.gpu_rate_override = 0.30
    est = cost.estimate(cfg.job, cfg.schedule, None, cost.overrides_from(cfg))
    assert est.spot_per_run == pytest.approx(0.05520040 + 0.30, abs=1e-6)
    assert est.summary() == ("about $0.52 per run, $15.55 a month; Spot would be about $0.36. "
                             "At most $0.52 per run (60 min max runtime).")


def test_what_this_months_local_runs_would_have_cost_uses_that_month_and_the_operators_rates(store):
    """Asked about 20 March 2026: one hour on this computer on 5 March at the operator's $1.00/h machine and
    $2.00/h T4 would have cost $3.00 on Vertex AI.

    Kills `month_to_date(store, tz, None, ...)` (today's month: $0) and `month_to_date(store, tz, now, None,
    ...)` (the table's rates: $0.62) for the would-have-cost.
    """
    cfg = AppConfig()
    cfg.budget.machine_rate_override, cfg.budget.gpu_rate_override = 1.0, 2.0
    add_run(store, datetime(2026, 3, 5, tzinfo=UTC), 60, backend="local", state=RunState.SUCCEEDED)
    proj = cost.projection(cfg, store, datetime(2026, 3, 20, tzinfo=UTC))
    assert proj.would_have_cost == pytest.approx(3.0)
    assert proj.spent == 0.0  # a local run is not money spent
