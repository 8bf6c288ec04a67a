"""What the operator reads about the monthly budget: the figures of the status line and the guard's refusal,
in English and (for the GUI) in Korean.

Written against the mutation run's survivors in core/cost/__init__.py (docs/testing.md): each test names
the change it catches. The rates are the price table's, us-central1, n1-standard-4 with one T4 on demand:
1.15 x (4 x 0.031611 + 15 x 0.004237) = $0.2185/h for the machine + 1.15 x 0.35 = $0.4025/h for the T4,
$0.6210 for an hour.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from core import cost
from core.store.config import AppConfig
from core.store.runs import RunState
from tests.support.cost import add_run
from tests.support.korean import korean_text

NOW = datetime(2026, 11, 20, tzinfo=UTC)
FACTS_KO = "이번 달 Vertex AI 예산 $0.50 중 약 $0.00을(를) 썼고 이 실행으로 약 $0.62이(가) 더 듭니다 (예상)."


@pytest.fixture
def korean():
    yield from korean_text()


def vertex_cfg(**budget: object) -> AppConfig:
    cfg = AppConfig()
    cfg.job.backend = "vertex"
    cfg.schedule.timezone = "UTC"
    for k, v in budget.items():
        setattr(cfg.budget, k, v)
    return cfg


def test_the_status_line_counts_the_month_it_is_asked_about_not_todays(store):
    """Asked about 20 March 2026: the $3.00 run of 5 March is that month's spend, 30% of $10.

    Kills `month_to_date(..., None, ...)` in budget_status: the real clock's month has no runs.
    """
    march = datetime(2026, 3, 20, tzinfo=UTC)
    add_run(store, datetime(2026, 3, 5, tzinfo=UTC), 60, cost_usd=3.0)
    status = cost.budget_status(vertex_cfg(monthly_usd=10.0), store, march)
    assert status.message == "About $3.00 of $10.00 spent this month (30%, estimate)."


def test_the_status_line_prices_an_unpriced_run_at_the_operators_own_rates(store):
    """One hour at the operator's $1.00/h machine + $2.00/h T4 = $3.00, 75% of a $4 budget.

    Kills dropping the overrides from budget_status (the table would say $0.62, 16%).
    """
    add_run(store, NOW - timedelta(days=1), 60, state=RunState.SUCCEEDED, cost_usd=None)
    cfg = vertex_cfg(monthly_usd=4.0, machine_rate_override=1.0, gpu_rate_override=2.0)
    status = cost.budget_status(cfg, store, NOW)
    assert status.message == "About $3.00 of $4.00 spent this month (75%, estimate)."
    assert status.level is cost.BudgetLevel.OK  # under the 80% warning line


def test_a_budget_under_one_dollar_still_blocks_the_run_that_would_overshoot_it(store, korean):
    """Budget $0.50, nothing spent, the next run (no history: the 60-minute max runtime) adds $0.62: blocked.

    Kills `budget <= 1` (a sub-dollar budget ignored), the reworded "run would add about" sentence, and the
    changed ids "budget.facts" and "budget.which.schedule" (the Korean window would show English).
    """
    guard = cost.BudgetGuard(store, clock=lambda: NOW)
    with pytest.raises(cost.BudgetBlocked) as blocked:
        guard(vertex_cfg(monthly_usd=0.5, block_when_over=True), "schedule", False)
    assert blocked.value.message == (
        "This month about $0.00 of your $0.50 Vertex AI budget is spent and this run would add about $0.62 "
        "(estimate). The scheduled run was not started. Raise the budget or turn off 'block when over' in "
        "Settings to let scheduled runs go ahead.")
    assert korean(blocked.value.msg) == (
        FACTS_KO + " 예약 실행을 시작하지 않았습니다. "
        "예약 실행이 진행되게 하려면 예산을 늘리거나 설정에서 '초과 시 차단'을 끄세요.")


def test_run_now_over_a_small_budget_asks_in_the_operators_words(store, korean):
    """The same $0.50 budget and $0.62 run from Run Now: a question, not a refusal."""
    guard = cost.BudgetGuard(store, clock=lambda: NOW)
    with pytest.raises(cost.BudgetNeedsConfirmation) as asked:
        guard(vertex_cfg(monthly_usd=0.5, block_when_over=True), "manual", False)
    assert asked.value.message == (
        "This month about $0.00 of your $0.50 Vertex AI budget is spent and this run would add about $0.62 "
        "(estimate). Start it anyway?")
    assert korean(asked.value.msg) == FACTS_KO + " 그래도 시작할까요?"
