"""What the cloud schedule costs each month, beside the T4 runs it starts (prices: resources/pricing.toml).

The Cloud Run job `t4panel-runner` waits beside each run for its whole length, so its vCPU- and GiB-seconds
grow with the job's max runtime; one daily run of an hour stays well inside Cloud Run's monthly free tier.
Every figure is an estimate: the free allowances are per billing account and shared with its other use.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from typing import Any

from core import paths
from core.errors import Message, msg
from core.store.config import WEEKDAYS, AppConfig

DAYS_PER_MONTH = 365.25 / 12
SECRETS = 2  # the Supabase URL and key, one active version each
CLAIM_OPS_PER_RUN = (2, 3)  # class A (claim create, heartbeat) and class B (reads) per run: estimate


@dataclass(frozen=True)
class CloudCost:
    """One month of the cloud schedule.

    Attributes:
        lines: (what, USD) per item, after the free allowances.
        total_usd: their sum.
        within_free_tier: the runner's Cloud Run use stays inside the monthly free tier.
        figures: the numbers behind it (runs, vCPU-seconds, GiB-seconds and their free allowances).
        free_tier: the sentence that says so, with the figures.
    """

    lines: list[tuple[Message, float]]
    total_usd: float
    within_free_tier: bool
    figures: dict[str, float] = field(default_factory=dict)
    free_tier: Message | None = None


def prices() -> dict[str, Any]:
    data = tomllib.loads((paths.resources_dir() / "pricing.toml").read_text(encoding="utf-8"))
    return dict(data["cloud_schedule"])


def _runner_shape() -> tuple[float, float]:
    """vCPUs and GiB of the runner's one task (resources/cloud.toml)."""
    data = tomllib.loads((paths.resources_dir() / "cloud.toml").read_text(encoding="utf-8"))
    memory = str(data["memory"])
    gib = float(memory.removesuffix("Mi")) / 1024 if memory.endswith("Mi") else float(memory.removesuffix("Gi"))
    return float(data["cpu"]), gib


def runs_per_month(cfg: AppConfig) -> float:
    days = [d for d in WEEKDAYS if d in cfg.schedule.weekdays]
    return len(days) * DAYS_PER_MONTH / 7


def monthly_cost(cfg: AppConfig, *, other_scheduler_jobs: int = 0) -> CloudCost:
    """The cloud schedule's monthly cost for `cfg`.

    Args:
        other_scheduler_jobs: Scheduler jobs the billing account already has (they use up the 3 free ones).
    """
    p = prices()
    runs = runs_per_month(cfg)
    cpu, gib = _runner_shape()
    seconds = runs * (cfg.job.max_runtime_minutes + float(p["runner_overhead_minutes"])) * 60
    vcpu_s, gib_s = seconds * cpu, seconds * gib
    free_cpu, free_gib = float(p["run_free_vcpu_seconds"]), float(p["run_free_gib_seconds"])
    run_usd = (max(0.0, vcpu_s - free_cpu) * float(p["run_vcpu_second"])
               + max(0.0, gib_s - free_gib) * float(p["run_gib_second"]))
    scheduler_usd = float(p["scheduler_job_month"]) if other_scheduler_jobs + 1 > int(p["scheduler_free_jobs"]) else 0.0
    secret_usd = (max(0, SECRETS - int(p["secret_free_versions"])) * float(p["secret_version_month"])
                  + max(0.0, runs * SECRETS - float(p["secret_free_accesses"])) / 10000 * float(p["secret_access_10k"]))
    class_a, class_b = runs * CLAIM_OPS_PER_RUN[0], runs * CLAIM_OPS_PER_RUN[1]
    storage_usd = (max(0.0, class_a - float(p["storage_free_class_a"])) / 1000 * float(p["storage_class_a_1k"])
                   + max(0.0, class_b - float(p["storage_free_class_b"])) / 1000 * float(p["storage_class_b_1k"]))
    lines = [
        (msg("cloud.cost.scheduler", "Cloud Scheduler: 1 job (${price} a month; {free} free per billing account)",
             price=f"{float(p['scheduler_job_month']):.2f}", free=p["scheduler_free_jobs"]), scheduler_usd),
        (msg("cloud.cost.run", "Cloud Run job: {runs} runs, about {vcpu} vCPU-seconds and {gib} GiB-seconds",
             runs=f"{runs:.0f}", vcpu=f"{vcpu_s:,.0f}", gib=f"{gib_s:,.0f}"), run_usd),
        (msg("cloud.cost.secrets", "Secret Manager: 2 keys, read once per run"), secret_usd),
        (msg("cloud.cost.storage", "Cloud Storage: one small claim per run"), storage_usd),
    ]
    within = vcpu_s <= free_cpu and gib_s <= free_gib
    figures = {"runs_per_month": round(runs, 1), "vcpu_seconds": round(vcpu_s), "gib_seconds": round(gib_s),
               "free_vcpu_seconds": free_cpu, "free_gib_seconds": free_gib}
    if within:
        note = msg("cloud.cost.free", "The runner uses about {vcpu} of Cloud Run's {free_vcpu} free vCPU-seconds and "
                   "{gib} of its {free_gib} free GiB-seconds a month, so it costs nothing unless other Cloud Run work "
                   "in the billing account uses up the free tier.", vcpu=f"{vcpu_s:,.0f}", free_vcpu=f"{free_cpu:,.0f}",
                   gib=f"{gib_s:,.0f}", free_gib=f"{free_gib:,.0f}")
    else:
        note = msg("cloud.cost.beyond_free", "The runner uses about {vcpu} vCPU-seconds and {gib} GiB-seconds a month, "
                   "more than Cloud Run's free {free_vcpu} and {free_gib}: the rest is billed.", vcpu=f"{vcpu_s:,.0f}",
                   gib=f"{gib_s:,.0f}", free_vcpu=f"{free_cpu:,.0f}", free_gib=f"{free_gib:,.0f}")
    return CloudCost(lines, sum(v for _, v in lines), within, figures, note)
