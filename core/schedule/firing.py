"""The firing path of the scheduler: launch one occurrence and turn what happened into its one outcome.

`RunController.launch` refuses with `RunRefused` whatever the cause, so the cause is read from (in order)
its machine-readable `reason` attribute where it has one (`core.cost.BudgetBlocked` does: "budget"),
the exception class, and the run history itself (already launched? a run still going? bad settings?).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any, Protocol

from core.control.attempts import waiting_for_retry
from core.control.controller import occurrence_label
from core.errors import RunRefused, T4Error
from core.schedule.plan import local_text
from core.store import config as config_mod
from core.store.config import ScheduleConfig
from core.store.occurrences import OccurrenceRecord, OccurrenceStore, Outcome
from core.store.runs import Run, RunState, iso, parse_iso

log = logging.getLogger(__name__)


class Firing(Protocol):
    """What the firing path needs of the scheduler (a protocol, so the two modules do not import each other)."""

    controller: Any  # core.control.RunController
    occurrences: OccurrenceStore
    clock: Callable[[], datetime]

    @property
    def schedule(self) -> ScheduleConfig: ...

    def send_notice(self, title: str, message: str) -> None: ...

    # Optional: `precheck(occ) -> Message | None`, the setup check's cheap items before a launch (the Scheduler
    # has it; a firing path without it launches unchecked).

SKIPPED_REASON = "skipped: previous run still running"
# Waits between attempts of a scheduled run that could not start (busy service, no GPU free): about 1, 2,
# 5, 10 and 15 minutes, then every 15 minutes until the occurrence's catch-up window ends.
RETRY_WAITS = (timedelta(minutes=1), timedelta(minutes=2), timedelta(minutes=5), timedelta(minutes=10),
               timedelta(minutes=15))


# The last attempt is made this long before the window closes, whatever the wait would have been.
LAST_TRY_BEFORE_DEADLINE = timedelta(minutes=1)


def record_outcome(s: Firing, occ: datetime, outcome: Outcome, reason: str = "",
                   run_id: str | None = None) -> OccurrenceRecord:
    """Write the outcome once; when the occurrence already had one, that one is returned unchanged."""
    label = occurrence_label(occ)
    if not s.occurrences.record(label, occ, outcome, reason, run_id, at=s.clock()):
        log.info("occurrence %s already accounted; keeping its first outcome", label)
    else:
        log.info("occurrence %s: %s %s", label, outcome.value, reason)
    return s.occurrences.get(label)  # type: ignore[return-value]  # written just above (by us or earlier)


def reconcile(s: Firing, occ: datetime, retry: bool = True) -> OccurrenceRecord | None:
    """If the run history already has a run for `occ` (a crash after launch, another process), record it.

    A run that could not start for a reason that may pass is tried again (retry=True) until the end of
    the catch-up window; None then means "still trying", and the occurrence stays unaccounted.
    """
    run = s.controller.store.by_occurrence(occ, s.controller.profile)
    if run is None:
        return None
    if waiting_for_retry(run):
        if retry and s.clock() < deadline_of(s, occ):
            return _try_again(s, occ, run)
        fresh = s.occurrences.get(occurrence_label(occ)) is None
        record = record_outcome(s, occ, Outcome.FAILED_TO_LAUNCH, _gave_up(s, occ, run), run.id)
        if fresh:  # the final result, after the one "retrying"
            s.send_notice("Scheduled run could not start", f"The run of {_where(s, occ)} did not run: {record.reason}")
        return record
    if run.state == RunState.FAILED and not run.started and not run.job_name:
        return record_outcome(s, occ, Outcome.FAILED_TO_LAUNCH, run.error or "The job could not be started.", run.id)
    outcome = Outcome.CAUGHT_UP if run.trigger == "catch-up" else Outcome.LAUNCHED
    return record_outcome(s, occ, outcome, f"already launched as run {run.id}", run.id)


def _gave_up(s: Firing, occ: datetime, run: Run) -> str:
    """The run's one closing sentence once its catch-up window has closed, and it is no longer retried."""
    tries = len(run.detail.get("attempts", [])) + 1
    why = run.error or "The job could not be started."
    s.controller.store.update(run, detail={**run.detail, "retryable": False, "gave_up": True})
    return f"{why} (tried {tries} times until the catch-up window closed)" if tries > 1 else why


def retry_ended_attempts(s: Firing, since: datetime) -> None:
    """Attempts whose job was created, then ended without doing the work (no GPU after all, Spot preempted),
    belong to occurrences already accounted as launched: try them again here until their deadline."""
    now = s.clock()
    for run in s.controller.store.scheduled_since(since, s.controller.profile):
        if not waiting_for_retry(run) or run.occurrence is None:
            continue
        occ = run.occurrence
        if s.occurrences.get(occurrence_label(occ)) is None:
            continue  # not yet accounted: the scheduler's own pass handles it
        if now < deadline_of(s, occ):
            _try_again(s, occ, run)
        else:
            reason = _gave_up(s, occ, run)
            s.send_notice("Scheduled run did not finish", f"The run of {_where(s, occ)} did not run to its end: "
                          f"{reason}")


def deadline_of(s: Firing, occ: datetime) -> datetime:
    """When an occurrence stops being tried: the end of its catch-up window."""
    hours = s.schedule.catch_up_hours if isinstance(s.schedule.catch_up_hours, int) else 0
    return occ + timedelta(hours=hours)


def _try_again(s: Firing, occ: datetime, run: Run) -> OccurrenceRecord | None:
    """The next attempt of `run` when its wait is over; None while it waits or after it failed again."""
    store, now = s.controller.store, s.clock()
    tries = len(run.detail.get("attempts", [])) + 1
    next_try = parse_iso(run.detail.get("next_try"))
    if next_try is None:  # the attempt just failed: plan the next one
        next_try = now + RETRY_WAITS[min(tries, len(RETRY_WAITS)) - 1]
        last_chance = deadline_of(s, occ) - LAST_TRY_BEFORE_DEADLINE
        if now < last_chance < next_try:  # a service back in the window's last minutes still gets its run
            next_try = last_chance
        store.update(run, detail={**run.detail, "next_try": iso(next_try)})
        log.info("occurrence %s: attempt %d failed (%s); next attempt at %s", occurrence_label(occ), tries,
                 run.error, iso(next_try))
        if tries == 1:  # the operator hears "retrying" once, then the final result
            s.send_notice("Scheduled run retrying",
                          f"The run of {_where(s, occ)} needs another attempt: {run.error} T4 Panel tries again until "
                          f"{local_text(deadline_of(s, occ), s.schedule.timezone)}.")
        return None
    if now < next_try:
        return None
    try:
        run = s.controller.retry(run.id)
    except RunRefused as exc:
        if getattr(exc, "reason", None) == "running":
            return None  # another run is going; this occurrence waits its turn inside its window
        if getattr(exc, "reason", None) == "already_launched":  # another process made this attempt first
            return reconcile(s, occ, retry=False)
        return _blocked(s, occ, exc.message)
    except T4Error:  # failed again (recorded on the run): plan the next attempt, or stop if it cannot pass
        return reconcile(s, occ)
    outcome = Outcome.CAUGHT_UP if run.trigger == "catch-up" else Outcome.LAUNCHED
    return record_outcome(s, occ, outcome, f"attempt {tries + 1}", run.id)


def launch_occurrence(s: Firing, occ: datetime, trigger: str) -> OccurrenceRecord | None:
    """Launch `occ` once through the controller (trigger "schedule" or "catch-up") and record the outcome.

    None: the launch could not start for a reason that may pass, and it is tried again later (the
    occurrence stays unaccounted until then, or until its catch-up window ends).
    """
    if s.controller.store.by_occurrence(occ, s.controller.profile) is not None:
        return reconcile(s, occ)  # launched before (a crash, another process) or waiting for its next attempt
    if s.controller.store.active(s.controller.profile):
        return _skipped(s, occ)
    precheck = getattr(s, "precheck", None)  # `t4panel fire` has none (yet)
    problem = precheck(occ) if precheck is not None else None
    if problem is not None:  # certain to fail (an API off, a quota of 0): say the fix, spend no attempts
        return _blocked(s, occ, problem.text)
    try:
        run = s.controller.launch(trigger=trigger, occurrence=occ)
    except RunRefused as exc:
        return _refused(s, occ, exc)
    except T4Error as exc:  # BackendError and friends: the controller recorded the run as FAILED
        if getattr(exc, "retryable", False):
            return reconcile(s, occ)  # plans the next attempt (None), or gives up at the deadline
        return _failed(s, occ, exc.message)
    except Exception:
        log.exception("launch of occurrence %s failed", occurrence_label(occ))
        return _failed(s, occ, "An internal error stopped the launch; see the app log.")
    outcome = Outcome.CAUGHT_UP if trigger == "catch-up" else Outcome.LAUNCHED
    return record_outcome(s, occ, outcome, run.error or "", run.id)


def _where(s: Firing, occ: datetime) -> str:
    return local_text(occ, s.schedule.timezone)


def _skipped(s: Firing, occ: datetime) -> OccurrenceRecord:
    record = record_outcome(s, occ, Outcome.SKIPPED, SKIPPED_REASON)
    s.send_notice("Scheduled run skipped",
                  f"The run of {_where(s, occ)} was skipped because the previous run was still running. "
                  "It was not queued; the next scheduled run is unchanged.")
    return record


def _failed(s: Firing, occ: datetime, reason: str) -> OccurrenceRecord:
    # The controller keeps the failed run in history: link it when it is there.
    record = reconcile(s, occ) or record_outcome(s, occ, Outcome.FAILED_TO_LAUNCH, reason)
    s.send_notice("Scheduled run could not start", f"The run of {_where(s, occ)} could not be started: {reason}")
    return record


def _blocked(s: Firing, occ: datetime, reason: str) -> OccurrenceRecord:
    record = record_outcome(s, occ, Outcome.BLOCKED, reason)
    s.send_notice("Scheduled run blocked", f"The run of {_where(s, occ)} was not started: {reason}")
    return record


def _refused(s: Firing, occ: datetime, exc: RunRefused) -> OccurrenceRecord | None:
    kind = getattr(exc, "reason", None)  # a machine-readable cause, once core.errors.RunRefused has one
    if kind in (None, "already_launched") and s.controller.store.by_occurrence(occ, s.controller.profile):
        return reconcile(s, occ)
    if kind == "budget" or is_budget_block(exc):
        return _blocked(s, occ, exc.message)
    if kind == "running" or (kind is None and s.controller.store.active(s.controller.profile)):
        return _skipped(s, occ)
    if kind in (None, "config"):
        try:
            problems = config_mod.validate(s.controller.config_source())
        except (T4Error, OSError):  # the settings could not even be read: say what the controller said
            problems = []
        if problems:
            return _blocked(s, occ, "The job settings have problems: " + " ".join(p.message for p in problems))
    return _blocked(s, occ, exc.message)


def missed_notice(records: list[OccurrenceRecord], zone: str) -> tuple[str, str] | None:
    """One (title, message) summing up the missed runs among `records` (and a catch-up, if any)."""
    missed = [r for r in records if r.outcome == Outcome.MISSED]
    if not missed:
        return None
    when = ", ".join(local_text(r.fire_time, zone) for r in missed[-5:])
    more = f" and {len(missed) - 5} earlier" if len(missed) > 5 else ""
    caught = [r for r in records if r.outcome == Outcome.CAUGHT_UP]
    then = f" The run of {local_text(caught[0].fire_time, zone)} was started now to catch up." if caught else ""
    count = "1 scheduled run" if len(missed) == 1 else f"{len(missed)} scheduled runs"
    return f"Missed {count}", f"These runs did not happen: {when}{more}. {missed[-1].reason}{then}"


def is_budget_block(exc: BaseException) -> bool:
    """True for core.cost.BudgetBlocked (matched by name too, so this works before core/cost.py exists)."""
    try:
        from core.cost import BudgetBlocked
    except ImportError:
        pass  # the name check below still answers
    else:
        if isinstance(exc, BudgetBlocked):
            return True
    return any(cls.__name__ == "BudgetBlocked" for cls in type(exc).__mro__)
