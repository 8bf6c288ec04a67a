"""The money-saving advice as the operator reads it: whole sentences with their figures, the operator's own
rates in them, and the Korean of what applying a suggestion changed.

Written against the mutation run's survivors in core/cost/advice.py (docs/testing.md): each test names the
change it catches. The week and the catalog are tests/support/advice.py's: n1-standard-4 at $0.235/h + T4
at $0.45/h; Spot $0.05875/h + $0.18/h; a median run of 48 minutes (0.8 h); 30 runs in a 30-day month.
"""

from __future__ import annotations

import pytest

from core.cost import advice
from core.cost.advice import AdviceKind
from tests.support.advice import NOW, job_config, seed_prices, seed_week
from tests.support.korean import korean_text


@pytest.fixture
def korean():
    yield from korean_text()


def _suggestions(store, cfg=None):
    seed_prices()
    seed_week(store)
    return {s.kind: s for s in advice.advise(cfg or job_config(), store, NOW).suggestions}


def test_the_cpu_only_suggestion_reads_as_written(store):
    """$0.685 x 0.8 = $0.55 a run, x 30 = $16.44; n1-highmem-4 (4 x 0.04 + 26 x 0.005 = $0.29/h) x 0.8 = $0.23.

    Kills "gpu" and "cpu" in lower case in the sentence.
    """
    text = _suggestions(store)[AdviceKind.CPU_ONLY].message.text
    assert text == (
        "Over 7 days of runs the T4 was busy only 8% of the time (the CPU 30%). The same work on n1-highmem-4 "
        "without a GPU would cost about $0.23 per run instead of $0.55, $6.96 a month instead of $16.44, if it took "
        "as long. Your job must then work without CUDA (on the CPU only), and it may take longer: it stays cheaper "
        "as long as a run takes less than 2.3 times as long as today.")


def test_the_spot_suggestion_uses_the_operators_own_t4_rate(store):
    """The operator pays $0.30/h for a T4 (Settings), on demand and on Spot alike:
    on demand (0.235 + 0.30) x 0.8 = $0.428 a run, $12.84 a month; Spot (0.05875 + 0.30) x 0.8 = $0.287,
    $8.61 a month.

    Kills `estimate(job, cfg.schedule, typical, )` in advise (Google's rates: $0.19 instead of $0.55) and
    "XX...XX" around the sentence.
    """
    cfg = job_config()
    cfg.budget.gpu_rate_override = 0.30
    assert _suggestions(store, cfg)[AdviceKind.SPOT].message.text == (
        "On Spot, the same runs would cost about $0.29 per run instead of $0.43, $8.61 a month instead of $12.84. "
        "Google may stop a Spot run early when it needs the machine back; such a run has to be run again.")


def test_what_applying_spot_changed_is_said_in_korean(store, korean):
    """Kills the changed id "ADVICE.CHANGED": the Korean window would show English."""
    spot = _suggestions(store)[AdviceKind.SPOT]
    assert spot.changed().text == "Saved on the Job page: Spot on."
    assert korean(spot.changed()) == "작업 페이지에 저장했습니다: Spot 켬."
