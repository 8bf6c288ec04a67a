"""Advice that saves money: after a week of runs with the T4 mostly idle, what the same work would cost
without a GPU, on Spot, or with a max runtime that fits the runs, as suggestions the operator applies.

The figures come from the same rates as the Cost page (core.cost.rates: Google's catalog when cached, else
resources/pricing.toml) and name their source. Nothing here changes the config: `apply` returns a changed
copy that the front end validates and saves through its normal path. A dismissed suggestion is remembered
(under T4PANEL_HOME) by its change and its saving, so it comes back only when the numbers change.
"""

from __future__ import annotations

import copy
import enum
import json
import math
import os
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from core import paths
from core.cost.catalog import money
from core.cost.projection import estimate, overrides_from
from core.cost.rates import PricingError, Rates, n1_shape, rates_for
from core.errors import Message, joined, msg
from core.store.config import N1_FAMILIES, N1_VCPUS, AppConfig, JobConfig
from core.store.runs import Run, RunState, RunStore, utcnow

#: Advice needs successful runs on this many different days (in the schedule's zone) ...
MIN_DAYS = 7
#: ... among the runs of this many days back.
WINDOW_DAYS = 30
#: "Mostly idle": the T4 busy at most this share of the time, averaged over those runs.
IDLE_GPU_PERCENT = 20
#: A max runtime suggestion adds this share of the longest successful run, and at least MARGIN_MIN_MINUTES,
#: then rounds up to whole ROUND_MINUTES: runs vary, and a run stopped at the cap is lost work.
MARGIN_SHARE = 0.25
MARGIN_MIN_MINUTES = 15
ROUND_MINUTES = 5
#: A T4's memory (GB): what the job kept on the GPU must fit in the CPU machine's memory instead.
T4_MEMORY_GB = 16.0
_GB_PER_VCPU = {"n1-standard-": 3.75, "n1-highmem-": 6.5, "n1-highcpu-": 0.9}


class AdviceKind(str, enum.Enum):
    CPU_ONLY = "cpu_only"
    SPOT = "spot"
    RUNTIME = "runtime"


@dataclass(frozen=True)
class Suggestion:
    """One way to save, with its figures (USD; `rates` converts to the billing currency).

    Attributes:
        changes: Job fields and their suggested values; `before` holds their values today.
        per_run_now, per_run_after: one run today and with the change (for RUNTIME: a run that hits the cap).
        per_month_now, per_month_after: the same times the schedule's runs in a 30-day month.
    """

    kind: AdviceKind
    message: Message
    changes: dict[str, Any]
    before: dict[str, Any]
    per_run_now: float
    per_run_after: float
    per_month_now: float
    per_month_after: float
    rates: Rates

    @property
    def fingerprint(self) -> str:
        """What a dismissal remembers: the change and the monthly saving (two significant figures)."""
        saving = self.per_month_now - self.per_month_after
        return json.dumps([self.kind.value, sorted(self.changes.items()), f"{saving:.2g}"])

    def changed(self) -> Message:
        """What applying it changes on the Job page, for the operator."""
        parts = [_change_text(key, self.before[key], value) for key, value in sorted(self.changes.items())]
        return msg("advice.changed", "Saved on the Job page: {changes}.", changes=joined(parts, "; "))


@dataclass(frozen=True)
class Advice:
    """What the Cost page shows: suggestions not dismissed, or how long until there can be any."""

    suggestions: list[Suggestion]
    days_with_runs: int
    more_days: int  # > 0: not enough history yet
    gpu_busy_percent: int | None
    rates: Rates | None

    @property
    def waiting(self) -> Message | None:
        if self.more_days <= 0:
            return None
        return msg("advice.waiting", "Advice on saving money comes after runs on {need} different days; {more} "
                   "more to go.", need=MIN_DAYS, more=self.more_days)


def _change_text(key: str, before: Any, after: Any) -> Message:
    if key == "machine_type":
        return msg("advice.change.machine", "machine type {before} to {after}", before=before, after=after)
    if key == "accelerator_count":
        return msg("advice.change.gpus", "T4 GPUs {before} to {after}", before=before, after=after)
    if key == "spot":
        return msg("advice.change.spot", "Spot on")
    return msg("advice.change.runtime", "max runtime {before} to {after} minutes", before=before, after=after)


def _seconds(run: Run) -> float:
    assert run.started is not None and run.ended is not None
    return (run.ended - run.started).total_seconds()


def measured_runs(store: RunStore, now: datetime) -> list[Run]:
    """Successful Vertex runs of the window whose GPU use History keeps (`gpu_busy_percent`)."""
    runs = store.between(now - timedelta(days=WINDOW_DAYS), now + timedelta(seconds=1))
    return [r for r in runs if r.backend == "vertex" and r.state is RunState.SUCCEEDED and r.started
            and r.ended and _percent(r.detail.get("gpu_busy_percent")) is not None]


def _percent(value: Any) -> float | None:
    """A percentage History keeps (older rows hold it as text, "72")."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value)
    try:
        return float(str(value)) if value is not None else None
    except ValueError:
        return None


def _mean(values: Iterable[Any]) -> float | None:
    got = [p for p in (_percent(v) for v in values) if p is not None]
    return sum(got) / len(got) if got else None


def advise(cfg: AppConfig, store: RunStore, now: datetime | None = None,
           dismissed: set[str] | None = None) -> Advice:
    """The suggestions for `cfg` from the runs in `store` (reads SQLite: call it on a worker thread)."""
    now = now or utcnow()
    job = cfg.job
    if job.backend != "vertex" or job.accelerator_count < 1:
        return Advice([], 0, 0, None, None)  # nothing is billed, or there is no GPU to sit idle: nothing to say
    runs = measured_runs(store, now)
    tz = ZoneInfo(cfg.schedule.timezone)
    days = len({r.created.astimezone(tz).date() for r in runs})
    gpu = _mean(r.detail.get("gpu_busy_percent") for r in runs)
    busy = round(gpu) if gpu is not None else None
    if days < MIN_DAYS:
        return Advice([], days, MIN_DAYS - days, busy, None)
    if gpu is None or gpu > IDLE_GPU_PERCENT:
        return Advice([], days, 0, busy, None)
    overrides = overrides_from(cfg)
    import statistics  # lazy: it pulls in decimal and fractions, which start-up does not need

    typical = statistics.median(_seconds(r) for r in runs)
    try:
        now_est = estimate(job, cfg.schedule, typical, overrides)
    except PricingError:
        return Advice([], days, 0, busy, None)
    context = {"gpu": round(gpu), "days": days}
    found = [s for s in (_cpu_only(cfg, runs, now_est, context), _spot(job, now_est),
                         _runtime(job, runs, now_est)) if s is not None]
    hidden = dismissed if dismissed is not None else load_dismissed()
    return Advice([s for s in found if s.fingerprint not in hidden], days, 0, busy, now_est.rates)


def _fmt(rates: Rates, usd: float) -> str:
    return money(rates.local(usd), rates.currency)


def _figures(rates: Rates, run_now: float, run_after: float, month_now: float, month_after: float) -> dict[str, str]:
    return {"run_now": _fmt(rates, run_now), "run_after": _fmt(rates, run_after),
            "month_now": _fmt(rates, month_now), "month_after": _fmt(rates, month_after)}


def cheapest_cpu_machine(region: str, min_vcpus: int, min_gb: float, spot: bool, listing: Any = True) -> Rates | None:
    """The cheapest N1 machine with at least `min_vcpus` and `min_gb`, priced without a GPU (None: none fits)."""
    best: Rates | None = None
    for family in N1_FAMILIES:
        for vcpus in N1_VCPUS:
            if vcpus < min_vcpus or vcpus * _GB_PER_VCPU[family] < min_gb:
                continue
            try:
                rates = rates_for(region, f"{family}{vcpus}", spot, None, listing=listing)
            except PricingError:
                continue
            if best is None or rates.machine_usd_per_hour < best.machine_usd_per_hour:
                best = rates
    return best


def _cpu_only(cfg: AppConfig, runs: list[Run], now_est: Any, context: dict[str, Any]) -> Suggestion | None:
    job = cfg.job
    overrides = overrides_from(cfg)
    if overrides is not None and overrides.machine_usd_per_hour is not None:
        return None  # the operator's own machine rate says nothing about another machine
    vcpus, gb = n1_shape(job.machine_type)
    # What the job kept on the GPU has to live in the machine's memory instead.
    gpu_mem = _mean(r.detail.get("gpu_memory_percent") for r in runs) or 0.0
    need_gb = gb + job.accelerator_count * T4_MEMORY_GB * gpu_mem / 100
    best = cheapest_cpu_machine(job.region, vcpus, need_gb, job.spot)
    if best is None:
        return None
    cpu_job = replace(job, machine_type=best.machine_type, accelerator_count=0)
    after = estimate(cpu_job, cfg.schedule, now_est.run_seconds, None)
    if after.per_run >= now_est.per_run:
        return None
    rates = now_est.rates
    cpu = _mean(r.detail.get("cpu_busy_percent") for r in runs)
    factor = now_est.per_run / after.per_run
    message = msg(
        "advice.cpu_only", "Over {days} days of runs the T4 was busy only {gpu}% of the time (the CPU {cpu}). The "
        "same work on {machine} without a GPU would cost about {run_after} per run instead of {run_now}, "
        "{month_after} a month instead of {month_now}, if it took as long. Your job must then work without CUDA "
        "(on the CPU only), and it may take longer: it stays cheaper as long as a run takes less than {factor} "
        "times as long as today.",
        machine=best.machine_type, factor=f"{math.floor(factor * 10) / 10:.1f}",
        cpu=f"{round(cpu)}%" if cpu is not None else msg("advice.cpu_unknown", "not measured"),
        **context, **_figures(rates, now_est.per_run, after.per_run, now_est.per_month, after.per_month))
    return Suggestion(AdviceKind.CPU_ONLY, message,
                      {"machine_type": best.machine_type, "accelerator_count": 0},
                      {"machine_type": job.machine_type, "accelerator_count": job.accelerator_count},
                      now_est.per_run, after.per_run, now_est.per_month, after.per_month, rates)


def _spot(job: JobConfig, now_est: Any) -> Suggestion | None:
    if job.spot or now_est.spot_per_run is None or now_est.spot_per_run >= now_est.per_run:
        return None
    rates = now_est.rates
    message = msg(
        "advice.spot", "On Spot, the same runs would cost about {run_after} per run instead of {run_now}, "
        "{month_after} a month instead of {month_now}. Google may stop a Spot run early when it needs the "
        "machine back; such a run has to be run again.",
        **_figures(rates, now_est.per_run, now_est.spot_per_run, now_est.per_month, now_est.spot_per_month))
    return Suggestion(AdviceKind.SPOT, message, {"spot": True}, {"spot": False}, now_est.per_run,
                      now_est.spot_per_run, now_est.per_month, now_est.spot_per_month, rates)


def suggested_runtime(longest_minutes: float) -> int:
    """The longest successful run plus the margin, rounded up to whole ROUND_MINUTES."""
    margin = max(MARGIN_MIN_MINUTES, longest_minutes * MARGIN_SHARE)
    return max(ROUND_MINUTES * 2, ROUND_MINUTES * math.ceil((longest_minutes + margin) / ROUND_MINUTES))


def _runtime(job: JobConfig, runs: list[Run], now_est: Any) -> Suggestion | None:
    longest = max(_seconds(r) for r in runs) / 60
    new = suggested_runtime(longest)
    if new >= job.max_runtime_minutes:
        return None
    rates = now_est.rates
    hourly = rates.per_hour(job.accelerator_count)
    cap_now, cap_after = now_est.worst_case, hourly * new / 60
    per_month = now_est.runs_per_month
    message = msg(
        "advice.runtime", "Your longest successful run took {longest} minutes, yet a run may go on for {current} "
        "minutes before it is stopped. A max runtime of {new} minutes (the longest run plus {margin}% and at least "
        "{margin_min} minutes, rounded up) caps what a stuck run costs at about {run_after} instead of {run_now}; "
        "{month_after} a month instead of {month_now} if every run got stuck.",
        longest=math.ceil(longest), current=job.max_runtime_minutes, new=new, margin=round(MARGIN_SHARE * 100),
        margin_min=MARGIN_MIN_MINUTES, **_figures(rates, cap_now, cap_after, cap_now * per_month,
                                                  cap_after * per_month))
    return Suggestion(AdviceKind.RUNTIME, message, {"max_runtime_minutes": new},
                      {"max_runtime_minutes": job.max_runtime_minutes}, cap_now, cap_after, cap_now * per_month,
                      cap_after * per_month, rates)


def apply(cfg: AppConfig, suggestion: Suggestion) -> AppConfig:
    """A copy of `cfg` with the suggestion's Job changes (the caller validates and saves it)."""
    new = copy.deepcopy(cfg)
    for key, value in suggestion.changes.items():
        setattr(new.job, key, value)
    return new


# ---------------------------------------------------------------- dismissed suggestions


def _dismissed_path() -> Any:
    return paths.data_dir() / "advice_dismissed.json"


def load_dismissed() -> set[str]:
    """Fingerprints of the suggestions the operator dismissed (an unreadable file forgets them)."""
    try:
        data = json.loads(_dismissed_path().read_text(encoding="utf-8"))
        return {str(f) for f in data.get("dismissed", [])}
    except (OSError, ValueError, AttributeError, TypeError):
        return set()


def dismiss(suggestion: Suggestion) -> None:
    """Remember that the operator does not want this suggestion (until its numbers change)."""
    path = _dismissed_path()
    paths.ensure_private_dir(path.parent)
    kept = sorted(load_dismissed() | {suggestion.fingerprint})
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps({"dismissed": kept}, indent=1), encoding="utf-8")
    os.replace(tmp, path)
