"""What runs cost: per run (live while running), per month in the operator's zone, per day."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from core import cost
from core.store.runs import Run, RunState
from tests.support.cost import add_run, spec

SEOUL = ZoneInfo("Asia/Seoul")
HOURLY = 0.21849885 + 0.4025  # us-central1, n1-standard-4 + 1 T4, on demand


def test_cost_of_run_uses_the_recorded_spec_and_real_times():
    t0 = datetime(2026, 11, 3, 16, 0, tzinfo=UTC)
    run = Run(id="r1", backend="vertex", state=RunState.SUCCEEDED, created=t0,
              started=t0 + timedelta(minutes=5), ended=t0 + timedelta(minutes=95),
              detail={"spec": spec(gpus=2, region="asia-northeast3", spot=True, replicas=2)})
    # (0.06198499 + 2 x 0.1702) x 2 replicas x 1.5 h (queue time before `started` is not billed).
    assert round(cost.cost_of_run(run), 2) == 1.21


def test_running_run_ticks_and_unstarted_run_has_no_cost():
    t0 = datetime(2026, 11, 3, 16, 0, tzinfo=UTC)
    run = Run(id="r1", backend="vertex", state=RunState.RUNNING, created=t0, started=t0, detail={"spec": spec()})
    assert cost.cost_of_run(run, now=t0 + timedelta(minutes=30)) == pytest.approx(HOURLY / 2)
    assert cost.cost_of_run(run, now=t0 + timedelta(hours=2)) == pytest.approx(HOURLY * 2)
    queued = Run(id="r2", backend="vertex", state=RunState.QUEUED, created=t0, detail={"spec": spec()})
    assert cost.cost_of_run(queued, now=t0 + timedelta(hours=1)) is None
    no_spec = Run(id="r3", backend="vertex", state=RunState.SUCCEEDED, created=t0, started=t0, ended=t0)
    assert cost.cost_of_run(no_spec) is None


def test_local_run_is_priced_as_would_have_cost_but_not_spent(store):
    t0 = datetime(2026, 11, 10, 0, 0, tzinfo=UTC)
    local = add_run(store, t0, 60, backend="local")
    assert cost.cost_of_run(local) == pytest.approx(HOURLY)
    now = t0 + timedelta(days=1)
    assert cost.month_to_date(store, SEOUL, now) == 0
    assert cost.month_to_date(store, SEOUL, now, vertex=False) == pytest.approx(HOURLY)


def test_stored_cost_of_a_finished_run_wins(store):
    t0 = datetime(2026, 11, 10, 0, 0, tzinfo=UTC)
    add_run(store, t0, 60, cost_usd=5.0)
    assert cost.month_to_date(store, SEOUL, t0 + timedelta(days=1)) == 5.0


def test_month_boundary_follows_the_operators_zone(store):
    # 2026-11-30 16:30 UTC is already 1 December 01:30 in Seoul.
    early_december_seoul = add_run(store, datetime(2026, 11, 30, 16, 30, tzinfo=UTC), 60, cost_usd=1.0)
    late_november = add_run(store, datetime(2026, 11, 30, 14, 0, tzinfo=UTC), 60, cost_usd=2.0)
    now = datetime(2026, 11, 30, 20, 0, tzinfo=UTC)  # 30 Nov in UTC, 1 Dec 05:00 in Seoul
    assert cost.month_to_date(store, SEOUL, now) == 1.0
    assert cost.month_to_date(store, ZoneInfo("UTC"), now) == 3.0
    assert cost.month_start(now, SEOUL) == datetime(2026, 12, 1, tzinfo=SEOUL)
    assert cost.month_start(now, SEOUL).astimezone(UTC) == datetime(2026, 11, 30, 15, 0, tzinfo=UTC)
    assert early_december_seoul.id != late_november.id


def test_daily_spend_has_every_day_in_local_dates(store):
    now = datetime(2026, 11, 29, 12, 0, tzinfo=UTC)
    add_run(store, datetime(2026, 11, 28, 16, 0, tzinfo=UTC), 60, cost_usd=1.5)  # 29 Nov 01:00 Seoul
    add_run(store, datetime(2026, 11, 28, 16, 0, tzinfo=UTC) - timedelta(days=2), 60, cost_usd=0.5)
    add_run(store, datetime(2026, 11, 20, 1, 0, tzinfo=UTC), 60, backend="local")
    days = cost.daily_spend(store, SEOUL, 30, now)
    assert len(days) == 30 and days[-1] == (date(2026, 11, 29), 1.5) and days[0][0] == date(2026, 10, 31)
    assert dict(days)[date(2026, 11, 27)] == 0.5 and sum(v for _, v in days) == 2.0
    local = dict(cost.daily_spend(store, SEOUL, 30, now, vertex=False))
    assert local[date(2026, 11, 20)] == pytest.approx(HOURLY)


def test_most_expensive_first(store):
    now = datetime(2026, 11, 29, 12, 0, tzinfo=UTC)
    for i, minutes in enumerate([30, 240, 60, 120]):
        add_run(store, now - timedelta(days=i + 1), minutes)
    add_run(store, now - timedelta(days=60), 600)  # before `since`
    top = cost.most_expensive(store, 2, now - timedelta(days=30), now)
    assert [round(c, 2) for _, c in top] == [round(HOURLY * 4, 2), round(HOURLY * 2, 2)]


def test_typical_run_length_is_the_median_of_recent_successes(store):
    base = datetime(2026, 11, 1, tzinfo=UTC)
    for i, minutes in enumerate([10, 20, 30, 40, 500]):
        add_run(store, base + timedelta(days=i), minutes)
    add_run(store, base + timedelta(days=9), 999, state=RunState.FAILED)
    assert cost.typical_run_seconds(store, "vertex") == 30 * 60
    assert cost.typical_run_seconds(store, "local") == 30 * 60  # no local runs: any backend
