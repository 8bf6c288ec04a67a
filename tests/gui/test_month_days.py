"""The rules that give each of the 30 days one outcome (gui.month_days), without a window."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from core.store.occurrences import OccurrenceRecord, Outcome
from core.store.runs import Run, RunState
from gui.month_days import DayState, build_days

TODAY = date(2026, 11, 30)


def _at(day: date, hour: int) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


def _run(run_id: str, when: datetime, state: RunState, scheduled: bool) -> Run:
    return Run(id=run_id, backend="local", state=state, created=when, started=when, ended=when + timedelta(minutes=5),
               occurrence=when if scheduled else None, trigger="schedule" if scheduled else "manual")


def _missed(when: datetime) -> OccurrenceRecord:
    return OccurrenceRecord(id=f"{when:%Y%m%dT%H%MZ}".lower(), fire_time=when, outcome=Outcome.MISSED, reason="",
                            recorded=when)


def test_a_success_before_the_failure_is_not_a_retry_and_a_success_after_it_is():
    d1, d2 = TODAY - timedelta(days=1), TODAY - timedelta(days=2)
    runs = [_run("a", _at(d1, 0), RunState.SUCCEEDED, False), _run("b", _at(d1, 1), RunState.FAILED, True),
            _run("c", _at(d2, 1), RunState.FAILED, True), _run("d", _at(d2, 9), RunState.SUCCEEDED, False)]
    days = build_days(runs, [], TODAY, UTC)
    assert days[-2].state == DayState.FAILED and days[-2].run.id == "b"  # a click opens the scheduled run
    assert days[-3].state == DayState.RETRIED


def test_a_missed_day_made_good_by_run_now_is_retried_and_a_day_with_only_run_now_is_neutral():
    d1, d2 = TODAY - timedelta(days=1), TODAY - timedelta(days=2)
    runs = [_run("m", _at(d1, 10), RunState.SUCCEEDED, False), _run("n", _at(d2, 10), RunState.SUCCEEDED, False)]
    days = build_days(runs, [_missed(_at(d1, 1))], TODAY, UTC)
    assert days[-2].state == DayState.RETRIED
    assert days[-3].state == DayState.NONE and days[-3].run.id == "n"
    assert days[-1].today and not days[-2].today and len(days) == 30 and days[0].day == TODAY - timedelta(days=29)


def test_days_begin_at_midnight_in_the_operators_zone():
    from zoneinfo import ZoneInfo

    seoul = ZoneInfo("Asia/Seoul")
    fire = datetime(2026, 11, 28, 16, 0, tzinfo=UTC)  # 01:00 on 29 Nov in Seoul
    days = build_days([_run("s", fire, RunState.SUCCEEDED, True)], [], TODAY, seoul)
    assert days[-2].day == date(2026, 11, 29) and days[-2].state == DayState.SUCCEEDED
    assert days[-3].state == DayState.NONE


def test_a_day_of_many_run_nows_keeps_its_scheduled_run_and_names_only_the_last_few(qapp):
    from gui.day_strip import day_sentence
    from gui.month_days import RUNS_SHOWN

    d1 = TODAY - timedelta(days=1)
    scheduled = _run("sched", _at(d1, 1), RunState.FAILED, True)
    manual = [_run(f"m{i:03d}", _at(d1, 2) + timedelta(minutes=i), RunState.SUCCEEDED, False) for i in range(40)]
    (day,) = [d for d in build_days([scheduled, *manual], [], TODAY, UTC) if d.day == d1]

    assert day.state == DayState.RETRIED  # judged from every run, before the list is shortened
    assert [r.id for r in day.runs] == ["sched"] + [f"m{i:03d}" for i in range(40 - RUNS_SHOWN, 40)]
    assert day.hidden == 40 - RUNS_SHOWN and day.run.id == "sched"
    sentence = day_sentence(day)
    assert f"Earlier runs that day not listed here: {40 - RUNS_SHOWN} (History has them all)." in sentence
    assert "m000" not in sentence
    assert len(sentence.splitlines()) == 1 + 1 + 1 + RUNS_SHOWN + 1  # headline, count, scheduled, shown, click
