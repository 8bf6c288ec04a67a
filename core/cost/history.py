"""What runs in the history cost: per run (live for a running one), per day and per month.

Only Vertex AI runs are money spent. Local-backend runs are priced as what they "would have cost on
Vertex" and kept apart, so month-to-date spend and the budget count real spend only.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from core.cost.rates import PricingError, RateOverrides, rates_for
from core.store.runs import Run, RunState, RunStore, utcnow

VERTEX = "vertex"
#: How many recent successful runs make the "typical run length".
TYPICAL_SAMPLE = 10


def run_seconds(run: Run, now: datetime | None = None) -> float | None:
    """Billable seconds of a run: start to end, or start to `now` while it is still going.

    None when it never started (queued time is not billed) or when it ended without an end time.
    """
    if run.started is None:
        return None
    end = run.ended
    if end is None:
        if run.state.terminal:
            return None
        end = now or utcnow()
    return max(0.0, (end - run.started).total_seconds())


def cost_of_run(run: Run, now: datetime | None = None, overrides: RateOverrides | None = None) -> float | None:
    """Estimated USD cost of `run` on Vertex AI from its recorded spec and its real start and end.

    A running run is priced up to `now` (a live ticker). Local-backend runs are priced too, as what
    they would have cost on Vertex. None when the run never started, has no recorded spec, or its
    machine cannot be priced.
    """
    seconds = run_seconds(run, now)
    spec = run.detail.get("spec") if isinstance(run.detail, dict) else None
    if seconds is None or not isinstance(spec, dict):
        return None
    try:
        rates = rates_for(
            str(spec.get("region", "us-central1")),
            str(spec.get("machine_type", "")),
            bool(spec.get("spot", False)),
            overrides,
        )
        count = int(spec.get("accelerator_count", 1))
        replicas = int(spec.get("replicas", 1))
    except (PricingError, TypeError, ValueError):
        return None
    return rates.per_hour(count, replicas) * seconds / 3600.0


def run_spend(run: Run, now: datetime | None = None, overrides: RateOverrides | None = None) -> float:
    """The figure history shows for a run: the cost stored when it ended, else computed now (0 if none).

    The stored figure wins for finished runs so that a later price change does not rewrite history.
    """
    if run.state.terminal and run.cost_usd is not None:
        return float(run.cost_usd)  # every attempt's cost, added up when the run ended
    cost = cost_of_run(run, now, overrides)
    return (cost or 0.0) + earlier_attempts_cost(run)


@dataclass(frozen=True)
class Place:
    """Where one attempt of a run ran and what it cost (None: it never started, so nothing)."""

    region: str
    spot: bool
    cost: float | None


def places_of(run: Run, now: datetime | None = None, overrides: RateOverrides | None = None) -> list[Place]:
    """Each attempt of `run` in order, the current one last: the Cost and History pages' "where it ran"."""
    out = []
    attempts = run.detail.get("attempts", []) if isinstance(run.detail, dict) else []
    for a in attempts:
        if isinstance(a, dict) and a.get("region"):
            out.append(Place(str(a["region"]), bool(a.get("spot")), a.get("cost_usd")))
    spec = run.detail.get("spec") if isinstance(run.detail, dict) else None
    if isinstance(spec, dict) and spec.get("region"):
        current = cost_of_run(run, now, overrides)
        if run.state.terminal and run.cost_usd is not None:
            current = max(0.0, float(run.cost_usd) - earlier_attempts_cost(run)) if run.started else None
        out.append(Place(str(spec["region"]), bool(spec.get("spot")), current))
    return out


def earlier_attempts_cost(run: Run) -> float:
    """What the run's earlier attempts cost (a Spot attempt preempted after an hour was paid for)."""
    attempts = run.detail.get("attempts", []) if isinstance(run.detail, dict) else []
    return sum(float(a["cost_usd"]) for a in attempts if isinstance(a, dict) and a.get("cost_usd") is not None)


def is_vertex(run: Run) -> bool:
    """True for money actually spent (a Vertex AI run), False for a local-backend run."""
    return run.backend == VERTEX


def month_start(now: datetime, tz: ZoneInfo) -> datetime:
    """Midnight of the first day of `now`'s month in `tz`, as an aware datetime."""
    local = now.astimezone(tz)
    return datetime.combine(local.date().replace(day=1), time(0), tz)


def next_month_start(now: datetime, tz: ZoneInfo) -> datetime:
    first = now.astimezone(tz).date().replace(day=1)
    nxt = (first + timedelta(days=32)).replace(day=1)
    return datetime.combine(nxt, time(0), tz)


def _runs_in(store: RunStore, start: datetime, end: datetime) -> list[Run]:
    # A run belongs to the day (and month) it was created in; runs are at most 7 days long,
    # so the rare run crossing midnight is not split.
    return store.between(start, end)


def month_to_date(
    store: RunStore, tz: ZoneInfo, now: datetime | None = None, overrides: RateOverrides | None = None,
    *, vertex: bool = True,
) -> float:
    """Vertex AI spend (USD, estimate) of runs created since the month began in `tz`.

    With `vertex=False`: what this month's local-backend runs would have cost on Vertex.
    """
    now = now or utcnow()
    runs = _runs_in(store, month_start(now, tz), now + timedelta(seconds=1))
    return sum(run_spend(r, now, overrides) for r in runs if is_vertex(r) == vertex)


def daily_spend(
    store: RunStore, tz: ZoneInfo, days: int, now: datetime | None = None,
    overrides: RateOverrides | None = None, *, vertex: bool = True,
) -> list[tuple[date, float]]:
    """USD per local day for the last `days` days (today included), oldest first; empty days are 0."""
    now = now or utcnow()
    today = now.astimezone(tz).date()
    first = today - timedelta(days=days - 1)
    totals = {first + timedelta(days=i): 0.0 for i in range(days)}
    for r in _runs_in(store, datetime.combine(first, time(0), tz), now + timedelta(seconds=1)):
        if is_vertex(r) != vertex:
            continue
        day = r.created.astimezone(tz).date()
        if day in totals:
            totals[day] += run_spend(r, now, overrides)
    return sorted(totals.items())


def most_expensive(
    store: RunStore, n: int, since: datetime, now: datetime | None = None,
    overrides: RateOverrides | None = None,
) -> list[tuple[Run, float]]:
    """The `n` costliest runs created since `since` (both backends; local ones as would-have-cost)."""
    now = now or utcnow()
    priced = [(r, run_spend(r, now, overrides)) for r in _runs_in(store, since, now + timedelta(seconds=1))]
    priced = [(r, c) for r, c in priced if c > 0]
    priced.sort(key=lambda rc: (rc[1], rc[0].created), reverse=True)  # ties: the most recent first
    return priced[:n]


def typical_run_seconds(store: RunStore, backend: str | None = None, limit: int = 200) -> float | None:
    """Median length of the last few successful runs (of `backend` when it has any), or None."""
    done = [r for r in store.recent(limit) if r.state == RunState.SUCCEEDED and r.started and r.ended]
    same = [r for r in done if backend is None or r.backend == backend]
    sample = (same or done)[:TYPICAL_SAMPLE]
    if not sample:
        return None
    import statistics  # lazy: it pulls in decimal and fractions, which start-up does not need

    # the filter above keeps only runs with both times; mypy cannot see that through the list
    return statistics.median((r.ended - r.started).total_seconds() for r in sample)  # type: ignore[operator]
