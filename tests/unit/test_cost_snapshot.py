"""The Cost page's figures in one go (core.cost.snapshot): the month's spend against the budget, the day bars for
Vertex AI and for this computer, the costliest and the running runs with where each attempt ran, the Colab
comparison, and why there is no projection when the machine cannot be priced.

Written against the mutation run's survivors (docs/testing.md): only the GUI's cost tests reached snapshot
before. Hand-worked figures: with the operator's own rates (Settings: machine $0.20/h, T4 $0.40/h) a
one-T4 job costs $0.60 an hour; with the price table, us-central1 n1-standard-4 + 1 T4 on demand costs
$0.21849885 + $0.4025 = $0.62099885 an hour. The day is 20 March 2026, 12:00 UTC (21:00 in Seoul, the
operator's zone), far from the machine's clock, so a figure taken "now" instead of at that moment shows.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from core import cost
from core.cost import Place
from core.store.config import AppConfig
from core.store.runs import Run, RunState, new_run_id
from tests.support.cost import spec

NOW = datetime(2026, 3, 20, 12, 0, tzinfo=UTC)
TABLE_HOURLY = 0.21849885 + 0.4025


def _cfg(*, own_rates: bool) -> AppConfig:
    cfg = AppConfig()
    cfg.job.backend = "vertex"
    cfg.schedule.timezone = "Asia/Seoul"
    cfg.budget.monthly_usd = 10.0
    if own_rates:
        cfg.budget.machine_rate_override, cfg.budget.gpu_rate_override = 0.20, 0.40
    return cfg


def _run(store, backend: str, started: datetime, minutes: float | None, **detail) -> Run:
    """A run that started at `started` and ran `minutes` (None: still running)."""
    state = RunState.RUNNING if minutes is None else RunState.SUCCEEDED
    run = Run(id=new_run_id(), backend=backend, state=state, created=started - timedelta(minutes=1), started=started,
              ended=None if minutes is None else started + timedelta(minutes=minutes),
              detail={"spec": spec(backend=backend), **detail})
    store.insert(run)
    return run


def test_the_cost_page_prices_every_figure_with_the_operators_own_rates(store):
    """A Vertex run of 1 h from 10 March 16:00 UTC, which is 11 March 01:00 in Seoul ($0.60), a local run of
    30 min on 15 March (would have cost $0.30), and a Vertex run going for 30 min now ($0.30). Spent this month
    on Vertex AI: $0.60 + $0.30 = $0.90 of $10. The day bars are Seoul's days."""
    vertex = _run(store, "vertex", datetime(2026, 3, 10, 16, 0, tzinfo=UTC), 60)
    local = _run(store, "local", datetime(2026, 3, 15, 0, 1, tzinfo=UTC), 30)
    going = _run(store, "vertex", NOW - timedelta(minutes=30), None)
    snap = cost.snapshot(_cfg(own_rates=True), store, NOW)

    # kills budget=None, and budget_status(cfg, store) priced at the machine's clock instead of NOW
    assert (snap.budget.spent, snap.budget.budget) == (pytest.approx(0.90), 10.0)
    # kills most_expensive(...) and run_spend(...) without the operator's rates (the table would say $0.62)
    assert {r.id: r.cost for r in snap.expensive} == {
        vertex.id: pytest.approx(0.60), local.id: pytest.approx(0.30), going.id: pytest.approx(0.30)}
    assert [(r.id, r.cost) for r in snap.running] == [(going.id, pytest.approx(0.30))]
    # kills daily_vertex=None, tz=None and daily_spend(store, None, ...) (days of the machine's zone, UTC here,
    # would put the first run on 10 March), and the local bars asked with vertex=None
    vertex_days = {d: v for d, v in snap.daily_vertex if v}
    local_days = {d: v for d, v in snap.daily_local if v}
    assert vertex_days == {date(2026, 3, 11): pytest.approx(0.60), date(2026, 3, 20): pytest.approx(0.30)}
    assert local_days == {date(2026, 3, 15): pytest.approx(0.30)}
    # kills `overrides is None`: the page says the figures use the operator's rates
    assert snap.overridden is True and snap.problem is None
    # kills colab_pro_plus=None and a dropped colab_source (resources/pricing.toml [colab])
    assert (snap.colab_pro, snap.colab_pro_plus) == (9.99, 49.99)
    assert snap.colab_source == "Colab paid plans (https://colab.research.google.com/signup)"


def test_a_retried_run_going_now_shows_both_attempts_priced_at_this_moment(store):
    """With the price table: the first attempt (on demand, us-central1) cost $0.25 before it was taken back;
    the second has run 30 min: 0.5 h x $0.62099885 = $0.3105. The run's figure is both: $0.5605."""
    going = _run(store, "vertex", NOW - timedelta(minutes=30), None,
                 attempts=[{"region": "us-central1", "spot": False, "cost_usd": 0.25}])
    snap = cost.snapshot(_cfg(own_rates=False), store, NOW)
    [row] = snap.running
    assert row.id == going.id and row.cost == pytest.approx(0.25 + TABLE_HOURLY / 2)
    # kills places None, and the current attempt priced at the machine's clock (places_of(run, None))
    assert row.places == (Place("us-central1", False, 0.25),
                          Place("us-central1", False, pytest.approx(TABLE_HOURLY / 2)))
    assert snap.overridden is False  # kills `overrides is None` the other way round


def test_a_machine_that_cannot_be_priced_says_why_and_claims_no_basis(store):
    # kills problem=None (the page would show no reason) and basis "XXXX" (a basis line with nothing behind it)
    cfg = _cfg(own_rates=False)
    cfg.job.machine_type = "n2-standard-4"
    snap = cost.snapshot(cfg, store, NOW)
    assert snap.problem == ("n2-standard-4 is not an N1 machine type, so it cannot be priced; T4 GPUs attach to "
                            "n1-standard, n1-highmem and n1-highcpu only.")
    assert (snap.projection, snap.basis, snap.rates) == (None, "", None)


def test_a_retried_run_going_now_prices_its_current_attempt_with_the_operators_own_rates(store):
    """The same retried run with the operator's rates ($0.60 an hour): the second attempt's 30 min is $0.30, and
    the places add up to the run's figure, $0.25 + $0.30 = $0.55. Priced from the table, the current attempt
    would say $0.3105 beside a run total worked out at the operator's rates."""
    _run(store, "vertex", NOW - timedelta(minutes=30), None,
         attempts=[{"region": "us-central1", "spot": False, "cost_usd": 0.25}])
    [row] = cost.snapshot(_cfg(own_rates=True), store, NOW).running
    assert row.cost == pytest.approx(0.25 + 0.30)
    assert row.places == (Place("us-central1", False, 0.25), Place("us-central1", False, pytest.approx(0.30)))
    assert sum(p.cost for p in row.places) == pytest.approx(row.cost)
