"""Projection from the schedule, the Job form's estimate, the budget status and the budget guard."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from core import cost
from core.errors import RunRefused
from core.store.config import AppConfig, JobConfig, ScheduleConfig
from tests.support.cost import add_run

HOURLY = 0.21849885 + 0.4025  # us-central1, n1-standard-4 + 1 T4, on demand


def vertex_cfg(**budget) -> AppConfig:
    cfg = AppConfig()
    cfg.job.backend = "vertex"
    cfg.schedule.enabled = True
    cfg.schedule.time = "01:00"
    cfg.schedule.timezone = "Asia/Seoul"
    for k, v in budget.items():
        setattr(cfg.budget, k, v)
    return cfg


def test_occurrences_left_in_the_schedules_zone():
    s = ScheduleConfig(enabled=True, time="01:00", weekdays=["mon", "wed", "fri"], timezone="Asia/Seoul")
    # Sun 29 Nov 2026 12:00 Seoul; left in November (Seoul): Mon 30 Nov only.
    now = datetime(2026, 11, 29, 3, 0, tzinfo=UTC)
    assert cost.occurrences_left_this_month(s, now) == 1
    daily = ScheduleConfig(enabled=True, time="01:00", timezone="Asia/Seoul")
    # 1 Nov 2026 00:30 Seoul: today's 01:00 is still to come, so all 30 days of November.
    assert cost.occurrences_left_this_month(daily, datetime(2026, 10, 31, 15, 30, tzinfo=UTC)) == 30
    # 30 Nov 16:30 UTC is 1 Dec 01:30 Seoul: December's first run is gone, 30 left.
    assert cost.occurrences_left_this_month(daily, datetime(2026, 11, 30, 16, 30, tzinfo=UTC)) == 30
    daily.enabled = False
    assert cost.occurrences_left_this_month(daily, now) == 0


def test_occurrences_across_a_dst_change():
    s = ScheduleConfig(enabled=True, time="02:30", timezone="America/New_York")
    # 8 Mar 2026 02:30 does not exist in New York; the walk still counts one run per day.
    fires = cost.occurrences(s, datetime(2026, 3, 1, tzinfo=UTC), datetime(2026, 3, 15, tzinfo=UTC))
    assert len(fires) == 14


def test_projection_without_history_uses_max_runtime(store):
    cfg = vertex_cfg()
    cfg.job.max_runtime_minutes = 60
    now = datetime(2026, 11, 20, 0, 0, tzinfo=UTC)  # 20 Nov 09:00 Seoul: 10 runs left (21st..30th)
    add_run(store, datetime(2026, 11, 5, tzinfo=UTC), 30, state=cost.RunState.FAILED, cost_usd=1.25)
    p = cost.projection(cfg, store, now)
    assert p.runs_left == 10 and not p.estimate.from_history
    assert p.spent == 1.25
    assert round(p.remaining, 2) == round(10 * HOURLY, 2) == 6.21
    assert round(p.month_total, 2) == 7.46


def test_projection_uses_median_of_recent_successful_runs(store):
    cfg = vertex_cfg()
    now = datetime(2026, 11, 20, 0, 0, tzinfo=UTC)
    for day, minutes in [(1, 20), (2, 30), (3, 40)]:
        add_run(store, datetime(2026, 11, day, 16, tzinfo=UTC), minutes)
    p = cost.projection(cfg, store, now)
    assert p.estimate.from_history and p.estimate.run_seconds == 1800
    assert p.spent == pytest.approx(HOURLY * 1.5)
    assert p.remaining == pytest.approx(10 * HOURLY / 2)


def test_local_backend_projects_no_spend(store):
    cfg = vertex_cfg()
    cfg.job.backend = "local"
    p = cost.projection(cfg, store, datetime(2026, 11, 20, tzinfo=UTC))
    assert p.remaining == 0 and p.runs_left == 10 and p.estimate.per_run > 0


def test_job_form_estimate_sentence():
    est = cost.estimate(JobConfig(), ScheduleConfig())
    assert est.summary() == ("about $0.62 per run, $18.63 a month; Spot would be about $0.22. "
                             "At most $0.62 per run (60 min max runtime).")
    typical = cost.estimate(JobConfig(max_runtime_minutes=120), ScheduleConfig(weekdays=["mon"]), 1800)
    assert round(typical.per_run, 2) == 0.31 and round(typical.worst_case, 2) == 1.24
    assert typical.runs_per_month == pytest.approx(30 / 7)
    assert cost.estimate(JobConfig(spot=True), ScheduleConfig()).spot_per_run is None


def test_overrides_come_from_budget_settings():
    cfg = vertex_cfg()
    assert cost.overrides_from(cfg) is None
    cfg.budget.machine_rate_override = 0.5  # the key the lead adds to BudgetConfig
    cfg.budget.gpu_rate_override = 0.25
    o = cost.overrides_from(cfg)
    assert o == cost.RateOverrides(0.5, 0.25)
    est = cost.estimate(cfg.job, cfg.schedule, None, o)
    assert est.per_run == pytest.approx(0.75) and est.spot_per_run is None


@pytest.mark.parametrize("spent,level", [(10.0, "ok"), (16.0, "warn80"), (20.0, "over100"), (25.0, "over100")])
def test_budget_levels(store, spent, level):
    now = datetime(2026, 11, 20, tzinfo=UTC)
    add_run(store, now - timedelta(days=1), 60, cost_usd=spent)
    status = cost.budget_status(vertex_cfg(monthly_usd=20.0), store, now)
    assert status.level == level and status.spent == spent and status.fraction == spent / 20
    assert f"${spent:.2f}" in status.message and "estimate" in status.message


def test_no_budget_never_warns_or_blocks(store):
    now = datetime(2026, 11, 20, tzinfo=UTC)
    add_run(store, now - timedelta(days=1), 60, cost_usd=500.0)
    cfg = vertex_cfg(monthly_usd=0.0, block_when_over=True)
    assert cost.budget_status(cfg, store, now).level == "ok"
    cost.BudgetGuard(store, clock=lambda: now)(cfg, "schedule", False)


def test_guard_with_a_nearly_spent_budget(store):
    """$19.80 of $20 spent; the next run would add about $0.62: scheduled blocked, Run Now asks first."""
    now = datetime(2026, 11, 20, tzinfo=UTC)
    add_run(store, now - timedelta(days=2), 60, state=cost.RunState.FAILED, cost_usd=19.80)
    cfg = vertex_cfg(monthly_usd=20.0, block_when_over=True)
    guard = cost.BudgetGuard(store, clock=lambda: now)
    for trigger in ("schedule", "catch-up"):
        with pytest.raises(cost.BudgetBlocked) as blocked:
            guard(cfg, trigger, False)
        assert isinstance(blocked.value, RunRefused)
        assert "$19.80 of your $20.00" in blocked.value.message and "$0.62" in blocked.value.message
        assert f"The {'scheduled' if trigger == 'schedule' else trigger} run was not started" in blocked.value.message
        assert blocked.value.expected == pytest.approx(HOURLY)
    with pytest.raises(cost.BudgetNeedsConfirmation, match="Start it anyway"):
        guard(cfg, "manual", False)
    guard(cfg, "manual", True)  # confirmed: passes
    with pytest.raises(cost.BudgetBlocked):
        guard(cfg, "schedule", True)  # nobody is there to confirm a scheduled run


def test_guard_lets_runs_through_under_budget_or_when_not_blocking(store):
    now = datetime(2026, 11, 20, tzinfo=UTC)
    add_run(store, now - timedelta(days=2), 60, cost_usd=10.0)
    guard = cost.BudgetGuard(store, clock=lambda: now)
    guard(vertex_cfg(monthly_usd=20.0, block_when_over=True), "schedule", False)
    guard(vertex_cfg(monthly_usd=5.0, block_when_over=False), "schedule", False)
    local = vertex_cfg(monthly_usd=5.0, block_when_over=True)
    local.job.backend = "local"
    guard(local, "schedule", False)
