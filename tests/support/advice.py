"""A seeded week for the money-saving advice: Google's prices (a cached catalog with round figures), the job's
settings and a History of runs whose T4 use is known. Shared by the core and the GUI tests."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from core.cost import catalog
from core.cost.catalog import CatalogTable
from core.store.config import AppConfig
from core.store.runs import Run, RunState, RunStore, new_run_id

NOW = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)
FETCHED = date(2026, 11, 27)
# us-central1, USD per hour (RAM per GB-hour): round figures so every expected cent is worked by hand.
RATES = {"core": 0.04, "ram": 0.005, "t4": 0.45, "core_spot": 0.01, "ram_spot": 0.00125, "t4_spot": 0.18}


def seed_prices(currency: str = "USD", rate: float = 1.0) -> None:
    catalog.save(CatalogTable(fetched_on=FETCHED, currency=currency, conversion_rate=rate,
                              currency_known=currency != "USD", regions={"us-central1": dict(RATES)}))


def job_config(**job: object) -> AppConfig:
    cfg = AppConfig()
    cfg.job.backend, cfg.job.project_id, cfg.job.region = "vertex", "my-proj", "us-central1"
    cfg.job.image_uri = "us-docker.pkg.dev/my-proj/jobs/predict:1"
    cfg.job.machine_type, cfg.job.accelerator_count, cfg.job.spot = "n1-standard-4", 1, False
    cfg.job.max_runtime_minutes = 240
    cfg.schedule.timezone = "UTC"
    cfg.schedule.weekdays = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]  # 30 runs in a 30-day month
    for key, value in job.items():
        setattr(cfg.job, key, value)
    return cfg


def seed_week(store: RunStore, days: int = 7, gpu: int = 8, cpu: int = 30, memory: int = 25,
              minutes: tuple[float, ...] = (48, 48, 48, 60, 48, 48, 48)) -> list[Run]:
    """One successful run a day for `days` days before NOW, each `minutes[i]` long, with its usage kept."""
    runs = []
    for i in range(days):
        created = NOW - timedelta(days=days - i, hours=2)
        started = created + timedelta(minutes=2)
        run = Run(id=new_run_id(), backend="vertex", state=RunState.SUCCEEDED, created=created, started=started,
                  ended=started + timedelta(minutes=minutes[i % len(minutes)]),
                  detail={"spec": {"region": "us-central1", "machine_type": "n1-standard-4", "accelerator_count": 1,
                                   "spot": False}, "gpu_busy_percent": gpu, "cpu_busy_percent": cpu,
                          "gpu_memory_percent": memory})
        store.insert(run)
        runs.append(run)
    return runs
