"""Cost of T4 runs: prices, run cost, month to date, projection, and the monthly budget and its guard.

The public face of the cost model; the parts live in cost_rates (prices and formula), cost_history
(what runs cost) and cost_projection (what the job will cost). Every figure is an estimate.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from core.cost.history import (
    Place,
    cost_of_run,
    daily_spend,
    is_vertex,
    month_start,
    month_to_date,
    most_expensive,
    places_of,
    run_seconds,
    run_spend,
    typical_run_seconds,
)
from core.cost.projection import (
    JobEstimate,
    Projection,
    estimate,
    occurrences,
    occurrences_left_this_month,
    overrides_from,
    projection,
)
from core.cost.rates import (
    PriceTable,
    PricingError,
    RateOverrides,
    Rates,
    colab_monthly,
    load_pricing,
    rates_for,
    run_cost,
)
from core.errors import Message, RunRefused, msg
from core.store.config import AppConfig
from core.store.runs import Run, RunState, RunStore, utcnow

__all__ = [
    "BudgetBlocked", "BudgetGuard", "BudgetLevel", "BudgetNeedsConfirmation", "BudgetStatus", "CostSnapshot",
    "CostedRun", "JobEstimate", "Place", "PriceTable", "PricingError", "Projection", "RateOverrides", "Rates",
    "budget_status", "colab_monthly", "cost_of_run", "daily_spend", "estimate", "load_pricing", "month_start",
    "month_to_date", "most_expensive", "occurrences", "occurrences_left_this_month", "overrides_from",
    "places_of", "projection", "rates_for", "run_cost", "run_seconds", "run_spend", "snapshot", "typical_run_seconds",
]

#: Fraction of the budget at which the operator is warned.
WARN_FRACTION = 0.8


class BudgetLevel(str, enum.Enum):
    OK = "ok"
    WARN80 = "warn80"
    OVER100 = "over100"


@dataclass(frozen=True)
class BudgetStatus:
    """This month's Vertex AI spend against `[budget] monthly_usd` (budget 0 = none; level stays OK)."""

    spent: float
    budget: float
    fraction: float
    level: BudgetLevel
    message: str
    block_when_over: bool = False  # so a front end can word `message` itself (the window does, in Korean)


def budget_status(cfg: AppConfig, store: RunStore, now: datetime | None = None) -> BudgetStatus:
    """Where this month's spend stands; `message` is a sentence for the tray and the Dashboard."""
    now = now or utcnow()
    spent = month_to_date(store, ZoneInfo(cfg.schedule.timezone), now, overrides_from(cfg))
    budget = float(cfg.budget.monthly_usd or 0.0)
    if budget <= 0:
        return BudgetStatus(spent, 0.0, 0.0, BudgetLevel.OK,
                            f"About ${spent:.2f} spent on Vertex AI this month (estimate); no monthly budget set.")
    fraction = spent / budget
    pct = f"{fraction:.0%}"
    if fraction >= 1.0:
        level = BudgetLevel.OVER100
        tail = (" Scheduled runs are blocked until next month." if cfg.budget.block_when_over
                else " Runs still start: turn on 'block when over' in Settings to stop them.")
        msg = f"Over budget: about ${spent:.2f} of ${budget:.2f} spent this month ({pct}, estimate).{tail}"
    elif fraction >= WARN_FRACTION:
        level = BudgetLevel.WARN80
        msg = f"About ${spent:.2f} of your ${budget:.2f} monthly budget is spent ({pct}, estimate)."
    else:
        level = BudgetLevel.OK
        msg = f"About ${spent:.2f} of ${budget:.2f} spent this month ({pct}, estimate)."
    return BudgetStatus(spent, budget, fraction, level, msg, bool(cfg.budget.block_when_over))


class BudgetBlocked(RunRefused):
    """A scheduled or catch-up run was not started: it would start over the monthly budget."""

    title_msg = Message("budget.blocked.title", "Run blocked by budget")
    reason = "budget"  # machine-readable cause for the scheduler's occurrence record

    def __init__(self, message: str | Message, *, spent: float, budget: float, expected: float) -> None:
        super().__init__(message)
        self.spent, self.budget, self.expected = spent, budget, expected


class BudgetNeedsConfirmation(RunRefused):
    """Run Now would go over the monthly budget: ask the operator, then call the guard with confirmed=True."""

    title_msg = Message("budget.confirm.title", "Over budget: run anyway?")
    reason = "budget"
    needs_confirmation = True  # the GUI asks, then launches again with confirmed=True

    def __init__(self, message: str | Message, *, spent: float, budget: float, expected: float) -> None:
        super().__init__(message)
        self.spent, self.budget, self.expected = spent, budget, expected


class BudgetGuard:
    """The budget check the controller runs before every launch.

    A run "would start over budget" when this month's Vertex AI spend plus the expected cost of this
    run (typical length from history, else the max runtime) exceeds `[budget] monthly_usd`. Counting the
    run itself is what lets a nearly spent budget stop the run that would overshoot it. Only
    with `block_when_over` on; no budget (0) and the local backend (no spend) never block.
    """

    def __init__(self, store: RunStore, clock: Callable[[], datetime] = utcnow) -> None:
        self.store = store
        self.clock = clock

    def __call__(self, cfg: AppConfig, trigger: str, confirmed: bool = False) -> None:
        """Return quietly if the run may start.

        Raises:
            BudgetBlocked: trigger "schedule" / "catch-up" (or any non-manual trigger) over budget.
            BudgetNeedsConfirmation: trigger "manual" over budget and not `confirmed`.
        """
        budget = float(cfg.budget.monthly_usd or 0.0)
        if budget <= 0 or not cfg.budget.block_when_over or cfg.job.backend != "vertex":
            return
        now = self.clock()
        overrides = overrides_from(cfg)
        spent = month_to_date(self.store, ZoneInfo(cfg.schedule.timezone), now, overrides)
        try:
            typical = typical_run_seconds(self.store, cfg.job.backend)
            expected = estimate(cfg.job, cfg.schedule, typical, overrides).per_run
        except PricingError:
            expected = 0.0  # an unpriceable machine is a config error, reported elsewhere
        if spent + expected <= budget:
            return
        facts = msg("budget.facts", "This month about ${spent} of your ${budget} Vertex AI budget is spent and this "
                    "run would add about ${expected} (estimate).", spent=f"{spent:.2f}", budget=f"{budget:.2f}",
                    expected=f"{expected:.2f}")
        if trigger == "manual":
            if confirmed:
                return
            raise BudgetNeedsConfirmation(msg("budget.confirm", "{facts} Start it anyway?", facts=facts),
                                          spent=spent, budget=budget, expected=expected)
        which = (msg("budget.which.schedule", "scheduled") if trigger == "schedule"
                 else msg("budget.which.catch_up", "catch-up"))
        raise BudgetBlocked(
            msg("budget.blocked", "{facts} The {which} run was not started. Raise the budget or turn off 'block when "
                "over' in Settings to let scheduled runs go ahead.", facts=facts, which=which),
            spent=spent, budget=budget, expected=expected)


@dataclass(frozen=True)
class CostedRun:
    """One run as the cost panel lists it."""

    id: str
    created: datetime
    backend: str
    state: RunState
    seconds: float | None
    cost: float
    would_have: bool  # a local-backend run: what it would have cost on Vertex
    places: tuple[Place, ...] = ()  # where each attempt ran (Vertex AI), the current one last


@dataclass(frozen=True)
class CostSnapshot:
    """Everything the cost panel shows, computed off the UI thread in one go."""

    now: datetime
    timezone: str
    budget: BudgetStatus
    projection: Projection | None
    problem: str | None  # why there is no projection (e.g. a machine type that cannot be priced)
    daily_vertex: list[tuple[date, float]]
    daily_local: list[tuple[date, float]]
    expensive: list[CostedRun]
    running: list[CostedRun]
    colab_pro: float
    colab_pro_plus: float
    colab_source: str
    basis: str
    overridden: bool = False
    rates: Rates | None = None  # the facts behind `basis`, for front ends that word it themselves


def _costed(run: Run, cost: float, now: datetime, overrides: RateOverrides | None) -> CostedRun:
    places = tuple(places_of(run, now, overrides)) if is_vertex(run) else ()  # the running attempt at the same rates
    return CostedRun(run.id, run.created, run.backend, run.state, run_seconds(run, now), cost, not is_vertex(run),
                     places)


def snapshot(cfg: AppConfig, store: RunStore, now: datetime | None = None, days: int = 90,
             top: int = 10) -> CostSnapshot:
    """The cost panel's data. Reads SQLite: call it on a worker thread.

    Raises:
        PricingError: the price table cannot be read.
    """
    now = now or utcnow()
    tz = ZoneInfo(cfg.schedule.timezone)
    overrides = overrides_from(cfg)
    proj, problem, basis = None, None, ""
    try:
        proj = projection(cfg, store, now)
        basis = proj.estimate.rates.basis
    except PricingError as exc:
        problem = exc.message
        load_pricing()  # a missing table is fatal for the panel; a bad machine type is not
    since = now - timedelta(days=days)
    expensive = [_costed(r, c, now, overrides) for r, c in most_expensive(store, top, since, now, overrides)]
    running = [_costed(r, run_spend(r, now, overrides), now, overrides) for r in store.active() if r.started]
    pro, pro_plus, colab_src = colab_monthly()
    return CostSnapshot(
        now=now, timezone=cfg.schedule.timezone, budget=budget_status(cfg, store, now), projection=proj,
        problem=problem, daily_vertex=daily_spend(store, tz, days, now, overrides),
        daily_local=daily_spend(store, tz, days, now, overrides, vertex=False), expensive=expensive,
        running=running, colab_pro=pro, colab_pro_plus=pro_plus, colab_source=colab_src, basis=basis,
        overridden=overrides is not None, rates=proj.estimate.rates if proj is not None else None,
    )
