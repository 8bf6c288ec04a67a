"""The cloud schedule's monthly bill as `t4panel cloud status` and the Schedule page show it: each line's words
and figures, in English and (for the GUI) in Korean.

Written against the mutation run's survivors in core/cost/cloud.py (docs/testing.md): each test names the
change it catches. Prices: resources/pricing.toml [cloud_schedule]; the runner: 1 vCPU, 512 MiB.
"""

from __future__ import annotations

import pytest

from core.cost.cloud import monthly_cost
from core.store.config import AppConfig
from tests.support.korean import korean_text


@pytest.fixture
def korean():
    yield from korean_text()


def _daily(minutes: int) -> AppConfig:
    cfg = AppConfig()
    cfg.job.max_runtime_minutes = minutes  # every day of the week (the default)
    return cfg


def test_ten_hour_runs_bill_both_the_runners_cpu_and_its_memory_beyond_the_free_tier():
    """A daily run capped at 595 minutes; the runner waits 5 minutes more: 600 minutes a run.

    Runs a month: 365.25 / 12 = 30.4375. Seconds: 30.4375 x 600 x 60 = 1,095,750.
    vCPU-seconds 1,095,750 (1 vCPU): 1,095,750 - 240,000 free = 855,750 x $0.000018 = $15.4035.
    GiB-seconds 547,875 (0.5 GiB): 547,875 - 450,000 free = 97,875 x $0.000002 = $0.19575.
    Cloud Run job: $15.59925 a month. Scheduler (the first job is free), secrets (2 versions of 6 free,
    61 reads of 10,000 free) and storage (91 class A of 5,000, 91 class B of 50,000 free) cost $0.

    Kills `- max(0.0, gib_s - free_gib) * ...`: memory beyond the free tier taken off the bill ($15.21).
    """
    cost = monthly_cost(_daily(595))
    lines = {m.id: v for m, v in cost.lines}
    assert lines["cloud.cost.run"] == pytest.approx(15.59925, abs=1e-6)
    assert lines["cloud.cost.scheduler"] == lines["cloud.cost.secrets"] == lines["cloud.cost.storage"] == 0.0
    assert cost.total_usd == pytest.approx(15.59925, abs=1e-6)
    assert not cost.within_free_tier
    assert cost.free_tier is not None and cost.free_tier.text == (
        "The runner uses about 1,095,750 vCPU-seconds and 547,875 GiB-seconds a month, more than Cloud Run's free "
        "240,000 and 450,000: the rest is billed.")


def test_each_line_of_the_bill_reads_as_written():
    """A daily one-hour run: 30.4375 runs of 65 minutes = 118,706 vCPU-seconds, 59,353 GiB-seconds.

    Kills "cloud scheduler" in lower case and `runs=None` ("None runs").
    """
    texts = [m.text for m, _ in monthly_cost(_daily(60)).lines]
    assert texts == [
        "Cloud Scheduler: 1 job ($0.10 a month; 3 free per billing account)",
        "Cloud Run job: 30 runs, about 118,706 vCPU-seconds and 59,353 GiB-seconds",
        "Secret Manager: 2 keys, read once per run",
        "Cloud Storage: one small claim per run",
    ]


def test_each_line_of_the_bill_is_in_korean_in_the_korean_window(korean):
    """The GUI translates core's lines by their ids. Kills "CLOUD.COST.STORAGE" (English in a Korean window)."""
    texts = [korean(m) for m, _ in monthly_cost(_daily(60)).lines]
    assert texts == [
        "Cloud Scheduler: 작업 1개 (월 $0.10, 결제 계정당 3개 무료)",
        "Cloud Run 작업: 실행 30회, 약 118,706 vCPU초와 59,353 GiB초",
        "Secret Manager: 키 2개, 실행마다 한 번 읽음",
        "Cloud Storage: 실행마다 작은 클레임 하나",
    ]
