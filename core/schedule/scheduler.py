"""The daily scheduler: APScheduler fires, our own tables decide. Used by the GUI and the daemon.

APScheduler is only the alarm clock. Every wake-up (its job, the 30 s tick, start-up, wake from sleep)
runs `process_due`, which looks at the fire times since the watermark and gives each exactly one
outcome in `core.store.occurrences`: the latest one is launched (on time) or caught up (late, inside the
window); older ones are missed. So nothing APScheduler drops is ever lost, nothing is launched twice
(the occurrence table, the run history's unique index and the Vertex label all say no), and a catch-up
never moves the next regular fire time, which is always computed from the trigger itself.

With the cloud schedule on (`[cloud] enabled`), Cloud Scheduler fires and this computer only watches: the
APScheduler job is removed and `process_due` launches nothing. The plan's signature carries who owned the
fire times ("cloud:" before it), so the fire times the cloud owned are never settled as missed here: see
`apply` and `start`.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from core.control.controller import occurrence_label
from core.errors import Message
from core.schedule.firing import (
    SKIPPED_REASON,
    launch_occurrence,
    missed_notice,
    reconcile,
    record_outcome,
    retry_ended_attempts,
)
from core.schedule.plan import (
    describe_next,
    from_signature,
    make_trigger,
    next_occurrences,
    occurrences_between,
    schedule_problems,
    signature,
)
from core.store.config import AppConfig, ScheduleConfig
from core.store.occurrences import OccurrenceRecord, OccurrenceStore, Outcome, Plan

log = logging.getLogger(__name__)

ON_TIME_GRACE = timedelta(minutes=5)  # later than this after its fire time, a launch counts as a catch-up
JOB_ID = "t4panel-daily"
PRECHECK_SECONDS = 45.0  # the cheap setup check before a scheduled launch gets this long, then is ignored
CLOUD_MARK = "cloud:"  # before a plan's signature: the cloud schedule owned the fire times of that plan

__all__ = ["SKIPPED_REASON", "Outcome", "Scheduler", "describe_next", "next_occurrences", "occurrences_between"]


def _utcnow() -> datetime:
    return datetime.now(UTC)


def cloud_owns(cfg: AppConfig) -> bool:
    """True when the cloud schedule fires this config's schedule (this computer then only watches)."""
    cloud = getattr(cfg, "cloud", None)
    return getattr(cloud, "enabled", False) is True


def _plan_signature(cfg: ScheduleConfig, cloud: bool) -> str:
    return (CLOUD_MARK if cloud else "") + signature(cfg)


def _parse_plan_signature(text: str) -> tuple[ScheduleConfig, bool]:
    cloud = text.startswith(CLOUD_MARK)
    return from_signature(text.removeprefix(CLOUD_MARK)), cloud


class Scheduler:
    """Fires the daily job and accounts for every occurrence.

    Args:
        controller: the RunController (uses `launch`, `store` and `profile`).
        config_source: returns the current AppConfig; its schedule is re-read on every tick.
        clock: returns the aware UTC time now (a fake one in tests).
        notify: `notify(title, message)` for operator notices (skips, misses, blocks). Must not block.
        monotonic: seconds from a clock that never jumps (pairs with `clock` for wake detection).
        occurrences: the occurrence store (default: the run history's database file).
        tick_seconds: how often the wall-clock gap check runs.
        jump_seconds: a wall-clock vs monotonic difference above this is a wake or a clock jump.
        precheck: `precheck(config)` runs the setup check's cheap items before a scheduled launch (once per
            occurrence) and returns the fix for a problem certain to fail the launch, else None. It must
            answer None when it cannot tell (no network): a check never blocks a launch that might work.
    """

    def __init__(self, controller: Any, config_source: Callable[[], AppConfig], *,
                 clock: Callable[[], datetime] = _utcnow, notify: Callable[[str, str], None] | None = None,
                 monotonic: Callable[[], float] = time.monotonic, occurrences: OccurrenceStore | None = None,
                 tick_seconds: float = 30.0, jump_seconds: float = 60.0,
                 precheck: Callable[[AppConfig], Message | None] | None = None) -> None:
        self.controller = controller
        self.config_source = config_source
        self.clock = clock
        self.notify = notify or (lambda title, message: log.info("%s: %s", title, message))
        self.monotonic = monotonic
        self.occurrences = occurrences or OccurrenceStore(controller.store.path, controller.profile)
        self.tick_seconds = tick_seconds
        self.jump_seconds = jump_seconds
        self._cfg = ScheduleConfig(enabled=False)
        self._lock = threading.RLock()
        self._aps: Any = None
        self._stop = threading.Event()
        self._ticker: threading.Thread | None = None
        self._last: tuple[datetime, float] | None = None
        self._listeners: list[Callable[[], None]] = []
        self._precheck = precheck
        self._prechecked: dict[str, Message | None] = {}
        self._cloud = False  # the cloud schedule fires; see cloud_owns
        self._handback: datetime | None = None  # see hand_back

    # ------------------------------------------------------------ life cycle

    def start(self, background: bool = True) -> list[OccurrenceRecord]:
        """Resume from the saved watermark, catch up what is due, then (background) start the timers.

        Returns the outcomes recorded by the start-up catch-up.
        """
        with self._lock:
            now = self.clock()
            full = self.config_source()
            cfg, cloud = full.schedule, cloud_owns(full)
            plan = self.occurrences.plan()
            if plan is None:
                # First start ever: the window before now is fair game, nothing older was ever planned.
                hours = cfg.catch_up_hours if isinstance(cfg.catch_up_hours, int) else 0
                self.occurrences.save_plan(Plan(now - timedelta(hours=hours), _plan_signature(cfg, cloud)))
            elif plan.signature != _plan_signature(cfg, cloud):
                # Changed while T4 Panel was closed: account the old plan, fire nothing of the new one. A plan
                # the cloud owned is not settled: its fire times were the cloud's to fire (and to report).
                old, old_cloud = _parse_plan_signature(plan.signature)
                if not old_cloud:
                    self._settle(old, now,
                                 "T4 Panel was not running, and the schedule was changed before it started again.")
                self.occurrences.save_plan(Plan(now, _plan_signature(cfg, cloud)))
            self._cfg, self._cloud = cfg, cloud
            self._last = (now, self.monotonic())
            records = self.process_due()
            if background:
                self._start_timers()
        return records

    def _start_timers(self) -> None:
        from apscheduler.schedulers.background import BackgroundScheduler

        self._stop.clear()
        self._aps = BackgroundScheduler(timezone=UTC)
        self._aps.start()
        self._reschedule()
        self._ticker = threading.Thread(target=self._tick_loop, name="schedule-tick", daemon=True)
        self._ticker.start()

    def stop(self) -> None:
        """Stop the timers (runs already started go on)."""
        self._stop.set()
        aps, self._aps = self._aps, None
        if aps is not None:
            aps.shutdown(wait=False)
        if self._ticker is not None and self._ticker is not threading.current_thread():
            self._ticker.join(5)
        self._ticker = None

    def subscribe(self, callback: Callable[[], None]) -> Callable[[], None]:
        """Call `callback()` (on a scheduler thread) whenever the plan or an outcome changes."""
        self._listeners.append(callback)
        return lambda: self._listeners.remove(callback) if callback in self._listeners else None

    # ------------------------------------------------------------ planning

    @property
    def schedule(self) -> ScheduleConfig:
        return self._cfg

    @property
    def owned_by_cloud(self) -> bool:
        """True while the cloud schedule fires: this scheduler launches nothing and only says what is next."""
        return self._cloud

    def hand_back(self, since: datetime) -> None:
        """The cloud stopped firing at `since` (when its removal began): when the cloud flag goes off, the
        desktop resumes from there, not from the moment the config was saved, so a fire time that fell
        while the cloud schedule was being removed is launched here (at most once: the occurrence claim)."""
        self._handback = since

    def apply(self, cfg: ScheduleConfig, *, cloud: bool | None = None) -> None:
        """Use `cfg` from now on. A new time, zone, weekday set or on/off re-plans without firing.

        `cloud` (None: unchanged) says whether the cloud schedule fires. The hand-over keeps every fire
        time accounted once: desktop -> cloud settles the desktop's own plan up to now (normally nothing is
        pending, the desktop was firing until this moment) and starts a cloud-owned plan; cloud -> desktop
        settles nothing (the cloud owned those fire times: its runs reach History by their label, its
        misses are Cloud Scheduler's to report) and resumes from the hand-back time, else from now.
        """
        with self._lock:
            old, old_cloud = self._cfg, self._cloud
            new_cloud = old_cloud if cloud is None else cloud
            if self._last is None:  # not started: start() resumes from the saved plan, never from here
                self._cfg, self._cloud = cfg, new_cloud
                return
            if _plan_signature(old, old_cloud) != _plan_signature(cfg, new_cloud):
                now = self.clock()
                resume = now
                if old_cloud and not new_cloud:
                    resume = min(self._handback or now, now)
                elif not old_cloud:
                    self._settle(old, now, "The schedule was changed before this run was due to start.")
                self.occurrences.save_plan(Plan(resume, _plan_signature(cfg, new_cloud)))
                log.info("schedule re-planned: %s", _plan_signature(cfg, new_cloud))
            if old_cloud and not new_cloud:
                self._handback = None
            self._cfg, self._cloud = cfg, new_cloud
            self._reschedule()
        self._changed()

    def _active(self, cfg: ScheduleConfig) -> bool:
        return cfg.enabled is True and not schedule_problems(cfg)

    def _settle(self, cfg: ScheduleConfig, now: datetime, reason: str) -> None:
        """Record as missed (and tell) whatever `cfg` had due up to `now` and nobody accounted for."""
        plan = self.occurrences.plan()
        if plan is None or not self._active(cfg):
            return
        self._summarise(cfg, [self._record_missed(occ, reason) for occ in self._pending(cfg, plan.watermark, now)])

    def _pending(self, cfg: ScheduleConfig, start: datetime, end: datetime) -> list[datetime]:
        due = occurrences_between(cfg, start, end)
        done = self.occurrences.accounted([occurrence_label(d) for d in due])
        return [d for d in due if occurrence_label(d) not in done]

    def _reschedule(self) -> None:
        aps = self._aps
        if aps is None:
            return
        # With the cloud firing, the job is removed: a desktop left open must not launch the same day too.
        trigger = make_trigger(self._cfg) if self._active(self._cfg) and not self._cloud else None
        if trigger is None:
            if aps.get_job(JOB_ID) is not None:
                aps.remove_job(JOB_ID)
            return
        # coalesce + no misfire limit: APScheduler never drops a late fire; process_due decides what it means.
        aps.add_job(self.fire, trigger=trigger, id=JOB_ID, replace_existing=True, coalesce=True,
                    max_instances=1, misfire_grace_time=None)

    def next_run(self) -> datetime | None:
        """The next fire time (aware UTC) that will be launched, or None when the schedule is off."""
        cfg = self._cfg  # no scheduler lock: the UI may ask while a launch is in progress
        if not self._active(cfg):
            return None
        plan = self.occurrences.plan()
        after = max(plan.watermark, self.clock()) if plan else self.clock()
        for _ in range(10):  # fire times already accounted (after a clock jump back) are passed over
            upcoming = next_occurrences(cfg, after, 5)
            if not upcoming:
                return None
            done = self.occurrences.accounted([occurrence_label(d) for d in upcoming])
            for occ in upcoming:
                if occurrence_label(occ) not in done:
                    return occ
            after = upcoming[-1]
        return None

    def timer_next_fire(self) -> datetime | None:
        """When APScheduler's own job fires next (None when the timers are not running or nothing is planned)."""
        aps = self._aps
        job = aps.get_job(JOB_ID) if aps is not None else None
        return job.next_run_time if job is not None else None

    def next_run_text(self) -> str:
        """"tomorrow 01:00 KST, in 9 h 12 min" for the Dashboard's nextRunLabel and the tray tooltip."""
        return describe_next(self.clock(), self.next_run(), self._cfg.timezone if self._active(self._cfg) else None)

    # ------------------------------------------------------------ timers

    def _tick_loop(self) -> None:
        while not self._stop.wait(self.tick_seconds):
            try:
                self.tick()
            except Exception:  # the timer must outlive any one bad tick
                log.exception("schedule tick failed")

    def tick(self) -> bool:
        """The periodic check: wake / clock-jump detection, config changes, then anything due.

        Returns True when a wake or clock jump was detected (and the plan rebuilt).
        """
        now, mono = self.clock(), self.monotonic()
        jumped = False
        if self._last is not None:
            wall_gap = (now - self._last[0]).total_seconds()
            mono_gap = mono - self._last[1]
            # Suspend stops the monotonic clock (and our timer) but not the wall clock; a clock change moves
            # only the wall clock. Either way the APScheduler wait was computed from a stale "now".
            jumped = abs(wall_gap - mono_gap) > self.jump_seconds or mono_gap > 3 * self.tick_seconds + 5
            if jumped:
                log.info("wake or clock change detected (wall %+.0f s, monotonic %+.0f s): re-planning",
                         wall_gap, mono_gap)
        self._last = (now, mono)
        reattach = getattr(self.controller, "reattach_all", None)
        if reattach is not None:  # a run whose watcher is gone is watched again, so it ends and frees the day
            try:
                reattach()
            except Exception:
                log.exception("could not re-attach the active runs")
        try:
            full = self.config_source()
            current, cloud = full.schedule, cloud_owns(full)
        except Exception:
            log.exception("could not read the schedule settings")
            current, cloud = self._cfg, self._cloud
        if current != self._cfg or cloud != self._cloud:
            self.apply(current, cloud=cloud)
        self.process_due()
        if jumped:
            with self._lock:
                self._reschedule()
        return jumped

    def fire(self) -> list[OccurrenceRecord]:
        """APScheduler's job: whatever is due now (normally the fire time that just came)."""
        return self.process_due()

    # ------------------------------------------------------------ the policy

    def process_due(self) -> list[OccurrenceRecord]:
        """Give every unaccounted fire time up to now its outcome; launch at most the latest one.

        Returns the records written.
        """
        with self._lock:
            now, cfg = self.clock(), self._cfg
            plan = self.occurrences.plan()
            if plan is None or not self._active(cfg) or self._cloud:  # the cloud fires: nothing is ours
                return []
            if now < plan.watermark:  # the clock went back: resume from now; accounted times stay accounted
                self.occurrences.save_plan(Plan(now, plan.signature))
                return []
            pending = self._pending(cfg, plan.watermark, now)
            records: list[OccurrenceRecord] = []
            still_trying: datetime | None = None
            window = timedelta(hours=cfg.catch_up_hours)
            for occ in pending[:-1]:
                why = ("A later scheduled run was due, so only the latest one was caught up."
                       if now - occ <= window else self._too_old(cfg))
                records.append(self._record_missed(occ, why))
            if pending:
                latest, late = pending[-1], now - pending[-1]
                record: OccurrenceRecord | None
                if late <= ON_TIME_GRACE:
                    record = launch_occurrence(self, latest, "schedule")
                elif late <= window:
                    record = launch_occurrence(self, latest, "catch-up")
                else:
                    record = self._record_missed(latest, self._too_old(cfg))
                if record is not None:
                    records.append(record)
                else:
                    still_trying = latest
            retry_ended_attempts(self, now - timedelta(hours=cfg.catch_up_hours, days=1))
            if still_trying is not None:  # it is tried again later: the watermark stops just before it
                if records:
                    self.occurrences.save_plan(Plan(still_trying - timedelta(microseconds=1),
                                                    _plan_signature(cfg, False)))
            elif records:  # everything up to now is accounted; with nothing new the old watermark still holds
                self.occurrences.save_plan(Plan(now, _plan_signature(cfg, False)))
            self._summarise(cfg, records)
        if records:
            self._changed()
        return records

    def precheck(self, occ: datetime) -> Message | None:
        """The cheap setup check's verdict for `occ`: asked once per occurrence, never raising."""
        label = occurrence_label(occ)
        if self._precheck is None:
            return None
        if label not in self._prechecked:
            self._prechecked = {label: self._bounded_precheck(self._precheck)}  # only the current one is kept
        return self._prechecked[label]

    def _bounded_precheck(self, check: Callable[[AppConfig], Message | None]) -> Message | None:
        """`check` on its own thread, given PRECHECK_SECONDS: a network that swallows packets must not hold the
        launch (nor this lock) hostage; whatever is not answered by then counts as "cannot tell"."""
        cfg = self.config_source()
        answer: list[Message | None] = []

        def run() -> None:
            try:
                answer.append(check(cfg))
            except Exception:  # a check that cannot be made never blocks the launch
                log.exception("the pre-launch check could not run; launching anyway")

        worker = threading.Thread(target=run, name="schedule-precheck", daemon=True)
        worker.start()
        worker.join(PRECHECK_SECONDS)
        if worker.is_alive():
            log.warning("the pre-launch check took longer than %.0f s; launching anyway", PRECHECK_SECONDS)
        return answer[0] if answer else None

    def _too_old(self, cfg: ScheduleConfig) -> str:
        return (f"T4 Panel was not running or the computer was asleep, and it is older than the "
                f"{cfg.catch_up_hours}-hour catch-up window.")

    def _record_missed(self, occ: datetime, reason: str) -> OccurrenceRecord:
        return reconcile(self, occ, retry=False) or record_outcome(self, occ, Outcome.MISSED, reason)

    def _summarise(self, cfg: ScheduleConfig, records: list[OccurrenceRecord]) -> None:
        notice = missed_notice(records, cfg.timezone)
        if notice is not None:
            self.send_notice(*notice)

    def send_notice(self, title: str, message: str) -> None:
        try:
            self.notify(title, message)
        except Exception:  # a broken notifier must not stop the schedule
            log.exception("schedule notice failed")

    def _changed(self) -> None:
        for callback in list(self._listeners):
            try:
                callback()
            except Exception:
                log.exception("schedule listener failed")
