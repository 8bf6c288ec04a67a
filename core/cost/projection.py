"""What the job will cost: per run, per month, on Spot, at worst; and what this month will come to.

Occurrences are counted here with zoneinfo (a plain walk over the days) so that cost estimates do not
depend on the scheduler module.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from core.cost.history import month_to_date, next_month_start, typical_run_seconds
from core.cost.rates import RateOverrides, Rates, rates_for
from core.store.config import WEEKDAYS, AppConfig, JobConfig, ScheduleConfig
from core.store.runs import RunStore, utcnow

#: A month for the Job form's "per month" figure: 30 days (a daily job runs 30 times).
DAYS_PER_MONTH = 30


@dataclass(frozen=True)
class JobEstimate:
    """Estimated cost of the configured job (USD).

    Attributes:
        per_run: one run of `run_seconds` (the typical length from history, else the max runtime).
        per_month: `per_run` x `runs_per_month`.
        runs_per_month: scheduled runs in a 30-day month on the schedule's weekdays.
        spot_per_run: the same run on Spot, when the job is on demand and the table (not the
            operator's own rates) prices it; else None.
        worst_case: one run that hits the max runtime (the hard cap: it is the Vertex timeout).
        from_history: True when `run_seconds` is the median of recent successful runs.
    """

    per_run: float
    per_month: float
    runs_per_month: float
    spot_per_run: float | None
    spot_per_month: float | None
    worst_case: float
    run_seconds: float
    from_history: bool
    max_runtime_minutes: int
    schedule_enabled: bool
    rates: Rates

    def summary(self) -> str:
        """Plain English for the CLI and logs (the GUI builds its own translated sentence)."""
        text = f"about ${self.per_run:.2f} per run, ${self.per_month:.2f} a month"
        if self.spot_per_run is not None:
            text += f"; Spot would be about ${self.spot_per_run:.2f}"
        return text + f". At most ${self.worst_case:.2f} per run ({self.max_runtime_minutes} min max runtime)."


@dataclass(frozen=True)
class Projection:
    """This month so far and where it is heading (USD, estimates).

    Attributes:
        spent: Vertex AI spend this month so far.
        would_have_cost: what this month's local-backend runs would have cost on Vertex.
        runs_left: scheduled occurrences still to come this month (0 when the schedule is off).
        remaining: `runs_left` x the per-run estimate when the backend is Vertex AI (local runs cost nothing).
        month_total: `spent` + `remaining`.
    """

    spent: float
    would_have_cost: float
    runs_left: int
    remaining: float
    month_total: float
    backend: str
    month_end: datetime
    estimate: JobEstimate


def overrides_from(cfg: AppConfig) -> RateOverrides | None:
    """The operator's rate overrides, read from `[budget] machine_rate_override` / `gpu_rate_override`.

    0 or absent means "use the price table". Read with getattr so older configs keep working.
    """
    def value(name: str) -> float | None:
        v = getattr(cfg.budget, name, None)
        return float(v) if isinstance(v, (int, float)) and not isinstance(v, bool) and v > 0 else None

    o = RateOverrides(value("machine_rate_override"), value("gpu_rate_override"))
    return o if o.active else None


def _hm(text: str) -> tuple[int, int]:
    h, m = text.split(":")
    return int(h), int(m)


def occurrences(schedule: ScheduleConfig, start: datetime, end: datetime) -> list[datetime]:
    """Fire times (aware, in the schedule's zone) with start < t < end, ignoring `enabled`."""
    tz = ZoneInfo(schedule.timezone)
    hour, minute = _hm(schedule.time)
    days = {WEEKDAYS.index(d) for d in schedule.weekdays}
    out: list[datetime] = []
    day: date = start.astimezone(tz).date()
    last = end.astimezone(tz).date()
    while day <= last:
        if day.weekday() in days:
            fire = datetime.combine(day, time(hour, minute), tz)
            if start < fire < end:
                out.append(fire)
        day += timedelta(days=1)
    return out


def occurrences_left_this_month(schedule: ScheduleConfig, now: datetime) -> int:
    """Scheduled runs after `now` and before the month ends in the schedule's zone (0 when off)."""
    if not schedule.enabled:
        return 0
    return len(occurrences(schedule, now, next_month_start(now, ZoneInfo(schedule.timezone))))


def estimate(
    job: JobConfig,
    schedule: ScheduleConfig,
    typical_seconds: float | None = None,
    overrides: RateOverrides | None = None,
    replicas: int = 1,
) -> JobEstimate:
    """The Job form's figures. No I/O beyond the (cached) price table.

    Raises:
        PricingError: the machine type cannot be priced.
    """
    rates = rates_for(job.region, job.machine_type, job.spot, overrides)
    worst_seconds = job.max_runtime_minutes * 60.0
    # A run never outlasts the max runtime: it is the Vertex timeout and the local backend's limit.
    seconds = min(typical_seconds, worst_seconds) if typical_seconds else worst_seconds
    hourly = rates.per_hour(job.accelerator_count, replicas)
    runs_per_month = len(set(schedule.weekdays)) * DAYS_PER_MONTH / 7
    per_run = hourly * seconds / 3600
    spot_per_run = None
    if not job.spot and not (overrides and overrides.machine_usd_per_hour is not None
                             and overrides.gpu_usd_per_hour is not None):
        spot = rates_for(job.region, job.machine_type, True, overrides)
        spot_per_run = spot.per_hour(job.accelerator_count, replicas) * seconds / 3600
    return JobEstimate(
        per_run=per_run,
        per_month=per_run * runs_per_month,
        runs_per_month=runs_per_month,
        spot_per_run=spot_per_run,
        spot_per_month=None if spot_per_run is None else spot_per_run * runs_per_month,
        worst_case=hourly * worst_seconds / 3600,
        run_seconds=seconds,
        from_history=bool(typical_seconds),
        max_runtime_minutes=job.max_runtime_minutes,
        schedule_enabled=schedule.enabled,
        rates=rates,
    )


def projection(cfg: AppConfig, store: RunStore, now: datetime | None = None) -> Projection:
    """Spent so far this month + scheduled runs left x typical run length x rate.

    Raises:
        PricingError: the configured machine type cannot be priced.
    """
    now = now or utcnow()
    tz = ZoneInfo(cfg.schedule.timezone)
    overrides = overrides_from(cfg)
    est = estimate(cfg.job, cfg.schedule, typical_run_seconds(store, cfg.job.backend), overrides)
    spent = month_to_date(store, tz, now, overrides)
    local = month_to_date(store, tz, now, overrides, vertex=False)
    left = occurrences_left_this_month(cfg.schedule, now)
    remaining = left * est.per_run if cfg.job.backend == "vertex" else 0.0
    return Projection(
        spent=spent, would_have_cost=local, runs_left=left, remaining=remaining,
        month_total=spent + remaining, backend=cfg.job.backend,
        month_end=next_month_start(now, tz), estimate=est,
    )
