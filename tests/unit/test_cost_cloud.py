"""The cloud schedule's monthly cost: figures from resources/pricing.toml, free tiers applied."""

from __future__ import annotations

import pytest

from core.cost.cloud import monthly_cost, prices, runs_per_month
from core.store.config import AppConfig


def _cfg(minutes: int = 60, weekdays: list[str] | None = None) -> AppConfig:
    cfg = AppConfig()
    cfg.job.max_runtime_minutes = minutes
    if weekdays is not None:
        cfg.schedule.weekdays = weekdays
    return cfg


def test_one_daily_hour_long_run_stays_inside_the_free_tier_and_says_so_with_figures():
    cost = monthly_cost(_cfg(60))
    assert cost.within_free_tier and cost.total_usd == 0.0
    # 30.4 runs x (60 + 5) min x 60 s x 1 vCPU; 0.5 GiB for as long
    assert cost.figures["vcpu_seconds"] == pytest.approx(365.25 / 12 * 65 * 60, abs=1)
    assert cost.figures["gib_seconds"] == pytest.approx(cost.figures["vcpu_seconds"] / 2, abs=1)
    assert "240,000" in cost.free_tier.text and "118,706" in cost.free_tier.text


def test_long_runs_go_past_the_free_tier_and_the_rest_is_billed_at_the_listed_rates():
    p = prices()
    cost = monthly_cost(_cfg(180))
    assert not cost.within_free_tier
    over = cost.figures["vcpu_seconds"] - p["run_free_vcpu_seconds"]
    run_line = next(v for m, v in cost.lines if m.id == "cloud.cost.run")
    assert run_line == pytest.approx(over * p["run_vcpu_second"], rel=1e-4)  # memory still inside its free tier
    assert "billed" in cost.free_tier.text


def test_the_scheduler_job_is_free_until_the_billing_account_has_three():
    assert dict((m.id, v) for m, v in monthly_cost(_cfg(), other_scheduler_jobs=2).lines)["cloud.cost.scheduler"] == 0
    billed = dict((m.id, v) for m, v in monthly_cost(_cfg(), other_scheduler_jobs=3).lines)
    assert billed["cloud.cost.scheduler"] == pytest.approx(prices()["scheduler_job_month"]) == pytest.approx(0.10)


def test_weekdays_only_means_fewer_runs():
    assert runs_per_month(_cfg(weekdays=["mon", "tue", "wed", "thu", "fri"])) == pytest.approx(365.25 / 12 * 5 / 7)


def test_every_price_has_a_source_and_a_date():
    p = prices()
    assert {k for k in p if k.endswith("_source")} == {"scheduler_source", "run_source", "secret_source",
                                                       "storage_source"}
    assert all("https://cloud.google.com/" in p[k] for k in p if k.endswith("_source"))
    assert str(p["read_on"]) == "2026-11-30"
