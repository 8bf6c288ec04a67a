"""Run and time words in the window: the same as core's English sentences, and Korean when chosen."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from core.app import notify
from core.schedule.plan import describe_next, duration_text, local_text
from core.store.runs import Run, RunState
from gui import i18n, run_texts

NOW = datetime(2026, 11, 29, 7, 48, tzinfo=UTC)  # Sunday 16:48 in Seoul
LATER = [None, NOW + timedelta(seconds=30), NOW + timedelta(hours=1, minutes=5), NOW + timedelta(hours=9, minutes=12),
         NOW + timedelta(days=3), NOW + timedelta(days=12, hours=2)]


@pytest.fixture
def english(qapp):
    i18n.install_translators(qapp, "en")
    yield
    i18n.remove_translators(qapp)


@pytest.fixture
def korean(qapp):
    i18n.install_translators(qapp, "ko")
    yield
    i18n.remove_translators(qapp)


def _run(state: RunState, seconds: int, backend: str = "vertex") -> Run:
    start = NOW - timedelta(seconds=seconds)
    return Run(id="r1", backend=backend, state=state, created=start, started=start, ended=NOW,
               display_name="t4-predict", cost_usd=0.42)


@pytest.mark.parametrize("later", LATER)
def test_english_matches_core(english, later) -> None:
    assert run_texts.describe_next(NOW, later, "Asia/Seoul") == describe_next(NOW, later, "Asia/Seoul")
    if later is not None:
        assert run_texts.duration_text(later - NOW) == duration_text(later - NOW)
        assert run_texts.local_text(later, "Asia/Seoul") == local_text(later, "Asia/Seoul")


@pytest.mark.parametrize("seconds", [42, 65, 2465, 4320])
def test_run_lengths_and_notifications_match_core_in_english(english, seconds) -> None:
    run = _run(RunState.SUCCEEDED, seconds)
    assert run_texts.run_length_text(run) == notify.duration_text(run)
    assert run_texts.summary(run) == notify.summary(run)
    cancelled = _run(RunState.CANCELLED, seconds, "local")
    assert run_texts.summary(cancelled) == notify.summary(cancelled)


def test_korean_words(korean) -> None:
    soon = NOW + timedelta(hours=8, minutes=12)
    assert run_texts.describe_next(NOW, soon, "Asia/Seoul") == "내일 01:00 KST, 8시간 12분 후"
    assert run_texts.state_text(RunState.PENDING) == "GPU 대기 중"
    assert run_texts.run_length_text(_run(RunState.SUCCEEDED, 2465)) == "41분 5초"
    assert run_texts.local_text(NOW + timedelta(days=2), "Asia/Seoul") == "12월 1일 (화) 16:48 KST"
    title, message = run_texts.summary(_run(RunState.FAILED, 600))
    assert title == "t4-predict 실패" and "실패" in message and "Vertex AI" in message
