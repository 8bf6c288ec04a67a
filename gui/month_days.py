"""The last 30 days at a glance: one outcome per day, from the run history and the occurrence outcomes.

Pure Python (no Qt) so the Dashboard's worker can call `load_days` and tests can check the rules alone.
A day's outcome, in the operator's zone:
- a day with no scheduled occurrence is NONE (neutral), even if someone pressed Run Now that day: the
  strip answers "did the daily job do its work?", and manual runs are still listed in the day's sentence;
- a day whose occurrence failed, was missed or did not launch, and that later got a run that succeeded,
  is RETRIED (the work got done, late);
- otherwise the worst thing that happened wins: FAILED, BLOCKED, MISSED, SKIPPED, then RUNNING, SUCCEEDED.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, tzinfo

from core.store.occurrences import OccurrenceRecord, OccurrenceStore, Outcome
from core.store.runs import DEFAULT_PROFILE, Run, RunStore
from core.store.states import RunState

DAYS = 30
RUNS_SHOWN = 8  # manual runs a day names in its sentence; earlier ones are counted


class DayState(str, enum.Enum):
    NONE = "none"  # nothing was scheduled
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    MISSED = "missed"
    SKIPPED = "skipped"
    BLOCKED = "blocked"
    RETRIED = "retried"  # failed or missed first, then a run succeeded the same day
    RUNNING = "running"


_BAD_RUN = {RunState.FAILED, RunState.EXPIRED, RunState.CANCELLED}
# Worst first: the one an operator must hear about when a day had several outcomes.
_ORDER = [DayState.FAILED, DayState.BLOCKED, DayState.MISSED, DayState.SKIPPED, DayState.RUNNING,
          DayState.SUCCEEDED]
_FROM_OUTCOME = {Outcome.MISSED: DayState.MISSED, Outcome.SKIPPED: DayState.SKIPPED,
                 Outcome.BLOCKED: DayState.BLOCKED, Outcome.FAILED_TO_LAUNCH: DayState.FAILED}


@dataclass
class Day:
    """One day of the strip. `runs` oldest first (scheduled and manual); `occurrences` that day's outcomes."""

    day: date
    state: DayState = DayState.NONE
    runs: list[Run] = field(default_factory=list)
    occurrences: list[OccurrenceRecord] = field(default_factory=list)
    today: bool = False  # the last day of the strip: its run may still be to come
    hidden: int = 0  # earlier manual runs of the day left out of `runs` (History lists them all)

    def trim(self, keep: int) -> None:
        """Keep the scheduled runs and the last `keep` others: a day of many Run Nows stays a short sentence
        (and the strip's memory does not grow with every run of the day)."""
        others = [r for r in self.runs if r.occurrence is None]
        if len(others) <= keep:
            return
        dropped = {r.id for r in others[:-keep]} if keep else {r.id for r in others}
        self.runs = [r for r in self.runs if r.id not in dropped]
        self.hidden += len(dropped)

    @property
    def run(self) -> Run | None:
        """The run a click opens: the last scheduled one, else the last run of the day."""
        scheduled = [r for r in self.runs if r.occurrence is not None]
        pool = scheduled or self.runs
        return pool[-1] if pool else None


def _run_state(run: Run) -> DayState:
    if run.state in _BAD_RUN:
        return DayState.FAILED
    if run.state == RunState.SUCCEEDED:
        return DayState.SUCCEEDED
    return DayState.RUNNING


def _judge(day: Day) -> DayState:
    scheduled = [r for r in day.runs if r.occurrence is not None]
    run_ids = {r.id for r in scheduled}
    outcomes = [_FROM_OUTCOME[o.outcome] for o in day.occurrences
                if o.outcome in _FROM_OUTCOME and o.run_id not in run_ids]
    if not scheduled and not outcomes:
        return DayState.NONE
    states = outcomes + [_run_state(r) for r in scheduled]
    bad = [s for s in states if s in (DayState.FAILED, DayState.MISSED, DayState.BLOCKED)]
    if bad and day.runs and _run_state(day.runs[-1]) == DayState.SUCCEEDED:
        return DayState.RETRIED
    return min(states, key=_ORDER.index)


def build_days(runs: list[Run], occurrences: list[OccurrenceRecord], today: date, tz: tzinfo,
               days: int = DAYS) -> list[Day]:
    """`days` days ending with `today` (oldest first), bucketed in `tz`."""
    first = today - timedelta(days=days - 1)
    table = {first + timedelta(days=i): Day(first + timedelta(days=i)) for i in range(days)}
    for run in sorted(runs, key=lambda r: r.created):
        when = (run.occurrence or run.created).astimezone(tz).date()
        if when in table:
            table[when].runs.append(run)
    for occ in occurrences:
        when = occ.fire_time.astimezone(tz).date()
        if when in table:
            table[when].occurrences.append(occ)
    for day in table.values():
        day.state = _judge(day)  # from every run of the day, before the list is shortened
        day.trim(RUNS_SHOWN)
    table[today].today = True
    return list(table.values())


def load_days(store: RunStore, tz: tzinfo, now: datetime, profile: str = DEFAULT_PROFILE,
              days: int = DAYS) -> list[Day]:
    """Read the last `days` days from the history database (blocking: call it on a worker)."""
    today = now.astimezone(tz).date()
    start = datetime.combine(today - timedelta(days=days), time(), tz)  # a day early: occurrence vs created
    end = datetime.combine(today + timedelta(days=1), time(), tz)
    runs = [r for r in store.between(start, end) if r.profile == profile]
    occ_store = OccurrenceStore(store.path, profile)  # its own short-lived connection, as the scheduler's is
    try:
        occurrences = [o for o in occ_store.recent(limit=days * 48) if start <= o.fire_time < end]
    finally:
        occ_store.close()
    return build_days(runs, occurrences, today, tz, days)
