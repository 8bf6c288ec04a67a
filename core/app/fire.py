"""`t4panel fire`: fire the schedule's current occurrence once (what the cloud schedule's Cloud Run job runs).

Cloud Scheduler delivers at least once and Cloud Run retries a task, so `fire` is idempotent by design: it
works out the occurrence from the clock (the latest fire time not older than the catch-up window), claims it
in Cloud Storage through the controller (one launcher wins, on any number of machines), launches through
the real RunController with the firing path's retry-until-deadline policy (trigger "cloud"), watches the run
to its end and posts the webhook once per occurrence. It exits 0 whatever the job's result: the result lives
in Vertex AI and in the claim. Only a problem of `fire` itself (bad settings, no sign-in) is non-zero.
"""

from __future__ import annotations

import contextlib
import logging
import os
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from core import paths
from core.control.attempts import waiting_for_retry
from core.control.controller import CLOUD_TRIGGER, occurrence_label
from core.errors import ConfigError, Message, msg
from core.schedule.firing import deadline_of, launch_occurrence, reconcile
from core.schedule.plan import local_text, occurrences_between
from core.schedule.scheduler import ON_TIME_GRACE
from core.store import config as config_mod
from core.store.config import AppConfig, ScheduleConfig
from core.store.occurrences import OccurrenceRecord, OccurrenceStore
from core.store.runs import Run, RunState

log = logging.getLogger(__name__)

CONFIG_ENV = "T4PANEL_CONFIG_TOML"  # the saved config.toml's text, as the Cloud Run job carries it
CLOUD_RUN_ENV = "CLOUD_RUN_JOB"  # set by Cloud Run in every job execution
LOCK_NAME = "fire.lock"
IDLE_WAIT = timedelta(seconds=30)  # between looks while another run of this home is going


@dataclass(frozen=True)
class FireReport:
    """What `fire` did. outcome: launched | adopted | already | retried_out | not_started | nothing."""

    outcome: str
    message: Message
    occurrence: datetime | None = None
    run: Run | None = None

    def to_json(self) -> dict[str, Any]:
        return {"outcome": self.outcome, "message": self.message.text,
                "occurrence": self.occurrence.isoformat().replace("+00:00", "Z") if self.occurrence else None,
                "run": self.run.to_json() if self.run else None}


def load_config(config_file: str | None = None, environ: dict[str, str] | None = None) -> AppConfig:
    """The settings `fire` runs on: `--config FILE`, else T4PANEL_CONFIG_TOML, else the saved file.

    Raises:
        ConfigError: the settings are damaged or invalid (nothing may be launched on them).
    """
    env = os.environ if environ is None else environ
    if config_file:
        path = Path(config_file)
        if not path.is_file():
            raise ConfigError(msg("fire.no_config_file", "No settings file at {path}; nothing was launched.",
                                  path=path), title=msg("fire.refused.title", "Nothing fired"))
        return _checked(config_mod.load(path), str(path))
    text = env.get(CONFIG_ENV)
    if text is not None:
        with tempfile.TemporaryDirectory(prefix="t4panel-fire-") as folder:
            path = Path(folder) / "config.toml"
            path.write_text(text, encoding="utf-8")
            return _checked(config_mod.load(path), str(path), shown_as=CONFIG_ENV)
    return _checked(config_mod.load(), str(paths.config_path()))


def _checked(loaded: config_mod.LoadResult, path: str, shown_as: str = "") -> AppConfig:
    problems = config_mod.validate(loaded.config)
    if problems:
        listed = " ".join(p.message if p.field == config_mod.FILE else f"{p.field}: {p.message}" for p in problems)
        if shown_as:
            listed = listed.replace(path, shown_as)
        raise ConfigError(msg("fire.bad_config", "The settings have problems, so nothing was launched: {problems}",
                              problems=listed), title=msg("fire.refused.title", "Nothing fired"))
    return loaded.config


def window_of(cfg: ScheduleConfig) -> timedelta:
    """How late an occurrence may still be fired: its catch-up window, and never less than the on-time
    grace (Cloud Run starts the job a little after Cloud Scheduler's fire time)."""
    hours = cfg.catch_up_hours if isinstance(cfg.catch_up_hours, int) else 0
    return max(timedelta(hours=hours), ON_TIME_GRACE)


def current_occurrence(cfg: ScheduleConfig, now: datetime) -> tuple[datetime | None, Message]:
    """(the occurrence to fire, or None with the sentence that says why nothing is due)."""
    if cfg.enabled is not True:
        return None, msg("fire.schedule_off", "The schedule is off in the settings, so nothing was launched.")
    window = window_of(cfg)
    due = occurrences_between(cfg, now - window, now)
    if due:
        return due[-1], msg("fire.due", "The run of {when} is due.", when=local_text(due[-1], cfg.timezone))
    earlier = occurrences_between(cfg, now - timedelta(days=8), now - window)
    if earlier:
        return None, msg("fire.too_late", "The latest scheduled time, {when}, is older than the catch-up window "
                         "({hours} h), so nothing was launched. The next scheduled run is not affected.",
                         when=local_text(earlier[-1], cfg.timezone), hours=f"{window.total_seconds() / 3600:g}")
    return None, msg("fire.nothing_due", "No scheduled time falls in the last {hours} h, so nothing was launched.",
                     hours=f"{window.total_seconds() / 3600:g}")


class _Firing:
    """The firing path's view of `fire` (core.schedule.firing.Firing): one occurrence, this process."""

    def __init__(self, controller: Any, cfg: AppConfig, clock: Callable[[], datetime],
                 say: Callable[[str], None]) -> None:
        self.controller = controller
        self.occurrences = OccurrenceStore(controller.store.path, controller.profile)
        self.clock = clock
        self._schedule = cfg.schedule
        self._say = say

    @property
    def schedule(self) -> ScheduleConfig:
        return self._schedule

    def send_notice(self, title: str, message: str) -> None:
        self._say(f"{title}: {message}")


def fire(cfg: AppConfig, *, controller: Any = None, clock: Callable[[], datetime] | None = None,
         sleep: Callable[[float], None] | None = None, say: Callable[[str], None] | None = None,
         webhook: Callable[[str, Run], bool] | None = None) -> FireReport:
    """Fire the current occurrence of `cfg`'s schedule once, watch its run to the end, post the webhook.

    Args:
        cfg: validated settings (see `load_config`).
        controller: the RunController (default: the app's, without its own webhook subscriber).
        clock: aware UTC now (default: the real clock, sped up under a loopback test server).
        sleep: how to wait between attempts (default: time.sleep, sped up like the clock).
        say: progress sentences (default: the log).
        webhook: posts the end of a run (default: core.app.notify.post_webhook).

    Raises:
        ConfigError / AuthError / SecretsError: `fire` itself could not work (exit 2); nothing was launched.
    """
    say = say or (lambda text: log.info("%s", text))
    pace = _test_pace()
    clock = clock or _paced_clock(pace)
    sleep = sleep or (lambda seconds: time.sleep(seconds / pace))
    occ, why = current_occurrence(cfg.schedule, clock())
    if occ is None:
        say(why.text)
        return FireReport("nothing", why)
    say(why.text)
    if cfg.job.backend == "vertex":  # no sign-in is fire's own problem (exit 2), not a run that failed
        from core.google import endpoints

        endpoints.google_credentials()
    if controller is None:
        from core.app import services

        controller = services.build_controller(config_source=lambda: cfg, webhook=False)
    s = _Firing(controller, cfg, clock, say)
    try:
        with _home_lock():
            already = controller.store.by_occurrence(occ, controller.profile) is not None
            record = launch_occurrence(s, occ, CLOUD_TRIGGER)
        report = _follow(s, occ, record, sleep, say, already)
    finally:
        s.occurrences.close()
    if report.run is not None and report.run.state.terminal:
        _post_once(cfg, occ, report.run, webhook, say)
    return report


def _follow(s: _Firing, occ: datetime, record: OccurrenceRecord | None, sleep: Callable[[float], None],
            say: Callable[[str], None], already: bool) -> FireReport:
    """Watch the occurrence's run to its end; attempts that could not start are tried until the deadline."""
    controller, label = s.controller, occurrence_label(occ)
    said_adopted = False
    while True:
        run = controller.store.by_occurrence(occ, controller.profile)
        if run is None:  # refused (budget, another run going, a permanent error before any record)
            reason = record.reason if record is not None else ""
            if record is None and s.clock() < deadline_of(s, occ):  # waiting its turn inside the window
                sleep(IDLE_WAIT.total_seconds())
                with _home_lock():
                    record = launch_occurrence(s, occ, CLOUD_TRIGGER)
                continue
            return FireReport("not_started", msg("fire.not_started", "The run of {when} was not started: {reason}",
                                                 when=_when(s, occ), reason=reason), occ)
        holder = run.detail.get("adopted_run")
        if holder and not said_adopted:
            said_adopted = True
            say(msg("fire.claimed_by", "Occurrence {label} is already claimed by {holder}; following its job "
                    "instead of launching another.", label=label, holder=_holder_text(run)).text)
        if not run.state.terminal:
            run = controller.wait(run.id)
        # an attempt that never ran (busy, no GPU free, no GPU after all) or whose Spot VM was taken back
        waiting = waiting_for_retry(run) and s.clock() < deadline_of(s, occ)
        if not waiting:
            return _ended(s, occ, run, already)
        with _home_lock():
            record = reconcile(s, occ)  # plans the next attempt, or starts it when its time has come
        if record is None:
            fresh = controller.store.get(run.id) or run
            next_try = fresh.detail.get("next_try")
            wait = 1.0
            if next_try:
                wait = (datetime.fromisoformat(next_try) - s.clock()).total_seconds()
            sleep(max(0.5, min(wait, (deadline_of(s, occ) - s.clock()).total_seconds())))


def _ended(s: _Firing, occ: datetime, run: Run, already: bool) -> FireReport:
    if already:
        outcome = "already"  # an earlier `fire` (or this home's own schedule) launched it
    elif run.detail.get("adopted_run"):
        outcome = "adopted"
    elif run.detail.get("attempts") and run.state == RunState.FAILED and not run.started:
        outcome = "retried_out"
    else:
        outcome = "launched"
    return FireReport(outcome, msg("fire.ended", "The run of {when} (run {run}) ended {state}.", when=_when(s, occ),
                                   run=run.id, state=run.state.value), occ, run)


def _when(s: _Firing, occ: datetime) -> str:
    return local_text(occ, s.schedule.timezone)


def _holder_text(run: Run) -> str:
    note = run.error_msg
    if note is not None and note.id == "run.adopted_claim":
        return str(note.params.get("holder", run.detail.get("adopted_run")))
    return f"run {run.detail.get('adopted_run')}"


def _post_once(cfg: AppConfig, occ: datetime, run: Run, webhook: Callable[[str, Run], bool] | None,
               say: Callable[[str], None]) -> None:
    """Post the run's end once per occurrence, whichever execution of `fire` saw it end first."""
    url = cfg.notifications.webhook_url
    from core.app import notify

    if not url or not notify.should_notify(run, cfg.notifications):
        return
    from core.app.services import occurrence_claims

    book = occurrence_claims(cfg, run.profile)
    if book is not None:
        try:
            if not book.first_to("webhook", occurrence_label(occ), run.id):
                say("The webhook for this run was already posted by another execution.")
                return
        except Exception as exc:  # noqa: BLE001 - unsure who posts: posting twice beats never telling
            log.warning("could not mark the webhook as posted (%s); posting anyway", exc)
    post = webhook or notify.post_webhook
    if not post(url, run):
        say("The webhook could not be posted (see the log).")


@contextlib.contextmanager
def _home_lock() -> Iterator[None]:
    """One `fire` at a time decides for this T4PANEL_HOME (threads and processes): the history's
    "already launched" and "a run is going" answers then never race into a wrong outcome."""
    with _THREADS:
        path = paths.data_dir() / LOCK_NAME
        paths.ensure_private_dir(path.parent)
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            try:
                import fcntl
            except ImportError:  # Windows: the thread lock above is what there is
                yield
                return
            fcntl.flock(fd, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(fd, fcntl.LOCK_UN)
        finally:
            os.close(fd)


_THREADS = threading.Lock()


def _test_pace() -> float:
    """1 against Google. Under a loopback test server with T4PANEL_MIN_POLL_SECONDS, the firing path's
    minutes pass as fast as the polls are compressed (5 s -> that many seconds)."""
    from core.google import endpoints

    fast = endpoints.test_min_poll_seconds()
    return 5.0 / fast if fast else 1.0


def _paced_clock(pace: float) -> Callable[[], datetime]:
    start, mono = datetime.now(UTC), time.monotonic()
    if pace == 1.0:
        return lambda: datetime.now(UTC)
    return lambda: start + timedelta(seconds=(time.monotonic() - mono) * pace)


def use_cloud_credentials(cfg: AppConfig, environ: dict[str, str] | None = None) -> bool:
    """In a Cloud Run job (no keyring, no sign-in saved) the job's own service account signs the calls, through
    Application Default Credentials. Returns whether it was switched on."""
    env = os.environ if environ is None else environ
    from core.google import auth, endpoints

    if not env.get(CLOUD_RUN_ENV) or auth.auth_settings_path().exists():
        return False
    settings = auth.AuthSettings(mode=auth.AuthMode.ADC)
    endpoints.set_credentials_provider(
        lambda: auth.google_credentials(settings, quota_project=cfg.job.project_id or None, refresh=False))
    return True
