"""RunController: the one place where runs start, are watched, end and are cancelled.

Every launch of a (possibly paid) job goes through `RunController.launch`, which checks in one
transaction that nothing else is running for the profile and that a scheduled occurrence was never
launched before, and before that that the config is valid and every guard (budget, ...) agrees.
"""

from __future__ import annotations

import dataclasses
import logging
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

from core import paths
from core.backends import JobBackend, LaunchRequest, LiveLogReader, LogLine, LogReader, make_backend
from core.backends.placement import FailureKind
from core.control import attempts as attempts_mod
from core.control import cloud_runs, liveness
from core.control.liveness import ClaimBook
from core.errors import BackendError, Message, RunRefused, T4Error, TransientBackendError, joined, msg
from core.store import config as config_mod
from core.store.config import AppConfig
from core.store.runs import DEFAULT_PROFILE, Run, RunState, RunStore, new_run_id, utcnow

log = logging.getLogger(__name__)

ADOPT_RETRY_SECONDS = 10.0  # how often to look for the job of a run whose create answer was lost
# A claim whose holder has no job after this long is taken over: longer than a whole launch can take
# (8 creates, each with its timeout and late-commit wait), so a slow but living holder keeps its claim.
CLAIM_STALE_SECONDS = 15 * 60.0
CLOUD_LOOK_SECONDS = 60.0  # how often a desktop with the cloud schedule on lists the cloud's new runs
LIVE_STOP_CHECK_SECONDS = 0.25  # while a live log reader waits for lines, how often the watcher checks for quit
WATCH_RETRY_SECONDS = 5.0  # a watcher that met an unexpected error (history locked, disk full) tries again
Guard = Callable[[AppConfig, str, bool], None]  # (config, trigger, confirmed) -> raises RunRefused


class RunHook(Protocol):
    """Extra work around a run; returned dicts are merged into run.detail. Must not raise."""

    def before_launch(self, run: Run, cfg: AppConfig) -> dict[str, Any]: ...

    def after_end(self, run: Run, cfg: AppConfig) -> dict[str, Any]: ...


@dataclass(frozen=True)
class RunEvent:
    """What subscribers hear. kind: "started", "state", "log", "finished", "notice" (a warning for the operator
    in `text`: a duplicate job cancelled, the claim bucket created)."""

    kind: str
    run: Run
    lines: list[LogLine] = field(default_factory=list)
    text: str = ""


def occurrence_label(occurrence: datetime) -> str:
    """The design contract's t4panel-occurrence value: fire time in UTC as yyyymmddThhmmz."""
    return occurrence.astimezone(UTC).strftime("%Y%m%dT%H%MZ").lower()


class RunController:
    """Starts, watches and cancels runs; records every state change; tells subscribers.

    Subscribers are called on the controller's watcher threads: a GUI must hop to its own thread.
    """

    def __init__(
        self,
        store: RunStore,
        config_source: Callable[[], AppConfig],
        *,
        backend_factory: Callable[[str], JobBackend] = make_backend,
        secret_env: Callable[[AppConfig], dict[str, str]] | None = None,
        guards: Iterable[Guard] = (),
        hooks: Iterable[RunHook] = (),
        cost_of: Callable[[Run], float | None] | None = None,
        profile: str = DEFAULT_PROFILE,
        claims: Callable[[AppConfig, str], ClaimBook | None] | None = None,
    ) -> None:
        self.store = store
        self.config_source = config_source
        self.backend_factory = backend_factory
        self.secret_env = secret_env
        self.guards = list(guards)
        self.hooks = list(hooks)
        self.cost_of = cost_of
        self.profile = profile
        self.claims = claims  # (config, profile) -> the claim book of its project, or None (local, Run Now)
        self._backends: dict[str, JobBackend] = {}
        self._subscribers: list[Callable[[RunEvent], None]] = []
        self._watchers: dict[str, threading.Thread] = {}
        self._lock = threading.RLock()
        self._stop = threading.Event()
        self.cloud_look_seconds = CLOUD_LOOK_SECONDS
        self._cloud_looked = float("-inf")

    # ------------------------------------------------------------ subscribers

    def subscribe(self, callback: Callable[[RunEvent], None]) -> Callable[[], None]:
        with self._lock:
            self._subscribers.append(callback)

        def unsubscribe() -> None:
            with self._lock:
                if callback in self._subscribers:
                    self._subscribers.remove(callback)

        return unsubscribe

    def _emit(self, event: RunEvent) -> None:
        with self._lock:
            subscribers = list(self._subscribers)
        for callback in subscribers:
            try:
                callback(event)
            except Exception:  # one bad subscriber must not stop the watcher
                log.exception("run event subscriber failed")

    # ------------------------------------------------------------ launching

    def backend(self, name: str) -> JobBackend:
        with self._lock:
            if name not in self._backends:
                self._backends[name] = self.backend_factory(name)
            return self._backends[name]

    def launch(self, trigger: str = "manual", occurrence: datetime | None = None, confirmed: bool = False) -> Run:
        """Start one run of the saved job.

        Args:
            trigger: "manual" (Run Now), "schedule" or "catch-up".
            occurrence: the scheduled fire time (UTC) for scheduled runs; None for Run Now.
            confirmed: the operator already confirmed a warning (e.g. over budget).

        Raises:
            RunRefused: nothing was started, and the message says why.
            BackendError: the backend could not start it (the run is recorded as FAILED).
        """
        cfg = self.config_source()
        problems = config_mod.validate(cfg)
        if problems:
            raise RunRefused(msg("run.refused.config", "The job settings have problems: {problems}",
                                 problems=joined([p.msg for p in problems])), reason="config")
        for guard in self.guards:
            guard(cfg, trigger, confirmed)
        backend = self.backend(cfg.job.backend)
        run_id = new_run_id()
        run_dir = paths.runs_dir() / run_id
        labels = {"t4panel-run": run_id, **trigger_labels(trigger)}
        occ_label = occurrence_label(occurrence) if occurrence else None
        if occ_label:
            labels["t4panel-occurrence"] = occ_label
        run = Run(
            id=run_id, backend=backend.name, state=RunState.LAUNCHING, created=utcnow(), profile=self.profile,
            occurrence=occurrence, trigger=trigger, display_name=cfg.job.display_name,
            log_path=str(run_dir / "job.log"), detail={"spec": _spec_of(cfg)},
        )
        with self.store.transaction() as store:
            for other in store.active(self.profile):
                raise RunRefused(_already_running(other), reason="running")
            if occurrence is not None and store.by_occurrence(occurrence, self.profile) is not None:
                raise RunRefused(msg("run.refused.already_launched", "The scheduled run of {occurrence} was already "
                                     "launched; it is not launched twice.", occurrence=occ_label),
                                 reason="already_launched")
            store.insert(run)
        # From here until the job exists (or surely does not), other processes see this launch alive, so
        # none calls it abandoned, looks it up meanwhile (a keyring prompt each time) or overwrites its error.
        with liveness.LaunchHeartbeat(run_dir):
            return self._start(run, cfg, backend, labels, occ_label)

    def _start(self, run: Run, cfg: AppConfig, backend: JobBackend, labels: dict[str, str],
               occ_label: str | None) -> Run:
        """Claim the occurrence, then create the job of a run already in history as LAUNCHING."""
        if occ_label:
            adopted = self._claim_occurrence(run, cfg, backend, occ_label)
            if adopted is not None:
                return adopted
            run = self.store.get(run.id) or run
        try:
            for hook in self.hooks:
                run = self.store.update(run, detail={**run.detail, **_safe_hook(hook.before_launch, run, cfg)})
            secret_env, secret_refs = self._secrets_for(run, cfg)
            request = LaunchRequest(run_id=launch_label(run), job=cfg.job, display_name=cfg.job.display_name,
                                    labels=labels, run_dir=str(Path(run.log_path).parent),
                                    occurrence_label=occ_label, secret_env=secret_env, secret_refs=secret_refs)
            self._emit(RunEvent("started", run))
            handle = backend.launch(request)
        except TransientBackendError as exc:
            if not exc.may_exist:  # no create ever left this computer: nothing to look for, try again later
                error = msg("vertex.no_answer", "Vertex AI did not answer (it is busy or unreachable), and nothing "
                            "was started.")
                run = self.store.update(run, state=RunState.FAILED, ended=utcnow(), error=error,
                                        detail={**run.detail, "retryable": True,
                                                "retry_kind": FailureKind.BUSY.value})
                self._emit(RunEvent("finished", run))
                raise BackendError(error, retryable=True) from exc
            # the job may exist (a create whose answer was lost): never create again, find out instead
            run = self.store.update(run, error=msg("run.checking_start", "Checking whether the job started: {cause}",
                                                   cause=exc.msg))
            self._emit(RunEvent("state", run))
            self._watch(run)
            return run
        except T4Error as exc:
            retryable = bool(getattr(exc, "retryable", False))
            detail = {**run.detail, "retryable": retryable}
            if retryable:
                detail["retry_kind"] = attempts_mod.launch_failure_kind(exc.msg).value
            run = self.store.update(run, state=RunState.FAILED, ended=utcnow(), error=exc.msg, detail=detail)
            self._emit(RunEvent("finished", run))
            raise
        except Exception as exc:  # an unexpected failure still ends the record, never leaves it LAUNCHING
            log.exception("launch failed")
            run = self.store.update(run, state=RunState.FAILED, ended=utcnow(),
                                    error=_INTERNAL_LAUNCH_ERROR)
            self._emit(RunEvent("finished", run))
            raise BackendError(_INTERNAL_LAUNCH_ERROR) from exc
        warnings: list[str] = getattr(backend, "take_warnings", lambda _run_id: [])(launch_label(run))
        detail = {**run.detail, "warnings": [*run.detail.get("warnings", []), *warnings]} if warnings else run.detail
        run = self.store.update(run, job_name=handle, state=RunState.QUEUED, detail=detail)
        self._emit(RunEvent("state", run))
        for warning in warnings:
            self._emit(RunEvent("notice", run, text=warning))
        self._watch(run)
        return run

    def _secrets_for(self, run: Run, cfg: AppConfig) -> tuple[dict[str, str], dict[str, str]]:
        """(values for the job's env, Secret Manager names for the bootstrap): never both for one key.

        Keys kept in Secret Manager (a setting, and always for cloud runs, whose computer has no keyring)
        reach a Vertex AI job as names only; plain values in the job's env stay the labelled less-safe choice.
        """
        if not cfg.job.inject_supabase:
            return {}, {}
        if cfg.job.backend == "vertex" and (cfg.cloud.keys_in_secret_manager is True or run.trigger == CLOUD_TRIGGER):
            from core.backends.vertex.bootstrap import supabase_refs

            return {}, supabase_refs(cfg.job.project_id)
        return (self.secret_env(cfg) if self.secret_env else {}), {}

    def retry(self, run_id: str) -> Run:
        """Start the next attempt of a scheduled run that ended without running (busy service, no GPU free).

        The attempt is the same run in history (same occurrence, same claim), with its own job label, so a
        failed job of an earlier attempt is never mistaken for this one.

        Raises:
            RunRefused: the run is not one to retry, or another run is going.
            BackendError: this attempt could not start either (the run is FAILED again).
        """
        cfg = self.config_source()
        problems = config_mod.validate(cfg)
        if problems:
            raise RunRefused(msg("run.refused.config", "The job settings have problems: {problems}",
                                 problems=joined([p.msg for p in problems])), reason="config")
        for guard in self.guards:
            guard(cfg, "schedule", False)
        backend = self.backend(cfg.job.backend)
        with self.store.transaction() as store:
            run = store.get(run_id)
            if run is None or not attempts_mod.waiting_for_retry(run):
                raise RunRefused(msg("run.retry.not_waiting", "This run is not waiting for another attempt."),
                                 reason="already_launched")
            for other in store.active(self.profile):
                raise RunRefused(_already_running(other), reason="running")
            if self.is_watching(run.id):  # its watcher is still finishing the last attempt (cost, hooks): wait
                raise RunRefused(msg("run.retry.finishing", "The last attempt is still being recorded."),
                                 reason="running")
            moved, ended = attempts_mod.next_job(run, cfg.job)  # a stockout moves on; a preempted Spot job
            cfg = dataclasses.replace(cfg, job=moved)  # may go on demand (the saved settings stay as they are)
            attempts = [*run.detail.get("attempts", []), ended]
            kept = {k: v for k, v in run.detail.items() if k not in ("next_try", "retry_kind")}
            detail = {**kept, "attempts": attempts, "retryable": False, "attempt_at": utcnow().isoformat(),
                      "launch_label": f"{run.id}-a{len(attempts) + 1}", "spec": _spec_of(cfg)}
            run = store.update(run, state=RunState.LAUNCHING, ended=None, error=None, job_name="", exit_code=None,
                               started=None, cost_usd=None, detail=detail)
        occ_label = occurrence_label(run.occurrence)  # type: ignore[arg-type]  # checked above
        labels = {"t4panel-run": launch_label(run), "t4panel-occurrence": occ_label, **trigger_labels(run.trigger)}
        with liveness.LaunchHeartbeat(Path(run.log_path).parent):
            return self._start(run, cfg, backend, labels, occ_label)

    def _claim_occurrence(self, run: Run, cfg: AppConfig, backend: JobBackend, occ_label: str) -> Run | None:
        """Make this run the occurrence's one launcher, or adopt the launcher's job. None: go ahead and launch.

        With a claim book (Vertex AI: a Cloud Storage object created only if absent) exactly one process
        on any computer wins; without one, the occurrence label is looked up on the backend.
        """
        book = self.claims(cfg, self.profile) if self.claims else None
        if book is None and run.detail.get("attempts"):
            return None  # a retry: history already made this run the occurrence's one launch here
        try:
            if book is None:
                finder = getattr(backend, "find_by_occurrence", None)
                existing = finder(occ_label, cfg.job) if finder else None
                return self._adopt(run, existing, None, msg(
                    "run.adopted", "Adopted: this occurrence was already launched elsewhere.")) if existing else None
            result = book.claim(occ_label, run.id)
            holder = result.claim
            job = None
            if not result.won:
                job = self._job_of_holder(backend, holder.run_id, cfg)
                if job is None and holder.age_seconds() > CLAIM_STALE_SECONDS:
                    result = book.take_over(occ_label, run.id, holder)
                    holder = result.claim
        except T4Error as exc:  # we cannot tell whether it was launched elsewhere: launch nothing
            run = self.store.update(run, state=RunState.FAILED, ended=utcnow(),
                                    error=msg("run.nothing_started", "Nothing was started: {cause}", cause=exc.msg))
            self._emit(RunEvent("finished", run))
            raise
        if result.notice:
            log.warning("%s", result.notice)
            run = self.store.update(run, detail={**run.detail, "warnings": [*run.detail.get("warnings", []),
                                                                              result.notice]})
            self._emit(RunEvent("notice", run, text=str(result.notice)))
        if result.won:
            return None
        return self._adopt(run, job, holder, msg("run.adopted_claim", "Adopted: {holder} is starting this scheduled "
                                                 "run; T4 Panel follows its job.", holder=holder.holder()))

    def _job_of_holder(self, backend: JobBackend, holder_run_id: str, cfg: AppConfig) -> str | None:
        try:
            return backend.find_by_run_id(holder_run_id, cfg.job) if holder_run_id else None
        except TransientBackendError:
            return None  # unknown yet: the watcher keeps looking

    def _adopt(self, run: Run, job: str | None, holder: Any, note: Message) -> Run:
        """Follow another launcher's job for this occurrence; never create one."""
        detail = dict(run.detail)
        if holder is not None:
            detail["adopted_run"] = holder.run_id
            detail["claimed_at"] = holder.claimed_at.isoformat()
        changes: dict[str, Any] = {"detail": detail, "error": note}
        if job:
            changes |= {"job_name": job, "state": RunState.QUEUED}
        run = self.store.update(run, **changes)
        self._watch(run)
        return run

    # ------------------------------------------------------------ watching

    def _watch(self, run: Run) -> None:
        with self._lock:
            current = self._watchers.get(run.id)
            if current is not None and current.is_alive():
                return
            thread = threading.Thread(target=self._watch_loop, args=(run,), name=f"watch-{run.id}", daemon=True)
            self._watchers[run.id] = thread
        thread.start()

    def _watch_loop(self, run: Run) -> None:
        """Watch until the run ends. Any error is logged and the watch resumes from history a moment later,
        so a locked history or a full disk delays the record but never leaves a run without a watcher."""
        try:
            while not self._stop.is_set():
                try:
                    self._watch_once(run)
                    return
                except Exception:
                    log.exception("watching run %s failed; trying again in %.0f s", run.id, WATCH_RETRY_SECONDS)
                self._stop.wait(WATCH_RETRY_SECONDS)
                try:
                    run = self.store.get(run.id) or run
                except Exception as exc:  # noqa: BLE001 - the history may still be locked: next round
                    log.info("could not re-read run %s (%s)", run.id, exc)
        finally:
            with self._lock:
                self._watchers.pop(run.id, None)

    def _watch_once(self, run: Run) -> None:
        if run.state.terminal:  # recorded as ended before an error stopped the last round: finish it
            self._finish(run)
            return
        while not run.job_name and not self._stop.is_set():  # launched, but its job not yet found
            run = self._adopt_or_fail(run)
            if run.state.terminal:
                self._emit(RunEvent("finished", run))
                return
            if not run.job_name:
                self._stop.wait(ADOPT_RETRY_SECONDS)
        if self._stop.is_set():
            return
        self._emit(RunEvent("state", run))
        backend = self.backend(run.backend)
        reader = backend.open_log(run.job_name, str(Path(run.log_path).parent))
        try:
            self._follow(run, backend, reader)
        finally:
            if isinstance(reader, LiveLogReader):
                reader.close()

    def _follow(self, run: Run, backend: JobBackend, reader: LogReader) -> None:
        since = time.monotonic()
        failures = 0
        while not self._stop.is_set():
            try:
                status = backend.poll(run.job_name)
                failures = 0
            except TransientBackendError as exc:
                failures += 1
                log.info("poll of %s failed (%s); retrying", run.id, exc)
                self._stop.wait(min(60.0, backend.poll_interval(run.state, 0) * (2 ** min(failures, 4))))
                continue
            ended_here = False
            if status.state != run.state or status.started != run.started:
                if status.state != run.state:
                    since = time.monotonic()
                run, ended_here = self._record(run, status)
            self._pass_lines(run, reader.read_new())
            if run.state.terminal:
                self._pass_lines(run, reader.drain())
                if ended_here:
                    self._finish(run)
                else:  # its end was written (and finished) elsewhere: show it, never finish it twice
                    self._emit(RunEvent("state", run))
                return
            self._until_next_round(run, reader, backend.poll_interval(run.state, time.monotonic() - since))

    def _until_next_round(self, run: Run, reader: LogReader, seconds: float) -> None:
        """Wait for the next round; lines a live reader brings meanwhile are shown as they come."""
        if not isinstance(reader, LiveLogReader):
            self._stop.wait(seconds)
            return
        deadline = time.monotonic() + seconds
        while not self._stop.is_set():
            left = deadline - time.monotonic()
            if left <= 0:
                return
            if reader.wait_lines(min(left, LIVE_STOP_CHECK_SECONDS)):
                self._pass_lines(run, reader.read_new())

    def _pass_lines(self, run: Run, lines: list[LogLine]) -> None:
        if not lines:
            return
        if not self.backend(run.backend).writes_log_file:
            _append_log(Path(run.log_path), lines)
        self._emit(RunEvent("log", run, lines))

    def _record(self, run: Run, status: Any) -> tuple[Run, bool]:
        """Write what the backend says; (the run as history now has it, whether this call wrote its end).

        Only the caller that wrote the end finishes the run (hooks, cost, the webhook): a second watcher of
        the same run (a re-attach racing the first watcher's exit, `status` in another process) finds the
        end already written and leaves it alone, so nothing is posted or counted twice."""
        changes: dict[str, Any] = {"state": status.state}
        if status.started is not None:
            changes["started"] = status.started
        if status.state.terminal:
            changes["ended"] = status.ended or utcnow()
            changes["exit_code"] = status.exit_code
            if status.error:
                changes["error"] = status.error
            kind = attempts_mod.end_retry_kind(run, status)
            if kind is not None:  # it never ran (no GPU free), or its Spot VM was taken back: worth another go
                changes["detail"] = {**run.detail, "retryable": True, "retry_kind": kind.value}
        with self.store.transaction() as store:
            fresh = store.get(run.id)
            if fresh is not None and fresh.state.terminal:  # another watcher or process finished the record first
                return fresh, False
            if fresh is not None and fresh.state == RunState.CANCELLING and not status.state.terminal:
                changes["state"] = RunState.CANCELLING  # a poll sent before the cancel: the run is not back to work
            run = store.update(run, **changes)
        self._emit(RunEvent("state", run))
        return run, run.state.terminal

    def _finish(self, run: Run) -> None:
        cfg = self.config_source()
        detail = dict(run.detail)
        for hook in self.hooks:
            detail.update(_safe_hook(hook.after_end, run, cfg))
        cost = None
        if self.cost_of is not None:
            try:
                cost = self.cost_of(run)
            except Exception:
                log.exception("cost estimate failed for %s", run.id)
        earlier = [a["cost_usd"] for a in run.detail.get("attempts", []) if a.get("cost_usd") is not None]
        if earlier:  # a run's cost is every attempt's: a preempted Spot attempt was paid for too
            cost = (cost or 0.0) + sum(earlier)
        run = self.store.update(run, detail=detail, cost_usd=cost if cost is not None else run.cost_usd)
        self._emit(RunEvent("finished", run))

    # ------------------------------------------------------------ other intents

    def cancel(self, run_id: str) -> Run:
        """Ask a run to stop; it ends CANCELLED once the backend confirms (watch or `wait` for it).

        Raises:
            T4Error: unknown run, or one that already ended.
        """
        run = self.resolve(run_id)
        if run.state.terminal:
            raise T4Error(msg("cancel.ended", "Run {run} already ended ({state}).", run=run.id,
                              state=state_word(run.state)), title=msg("cancel.ended.title", "Nothing to cancel"))
        if not run.job_name:
            raise T4Error(msg("cancel.starting", "This run is still being started; try Cancel again in a moment."),
                          title=msg("cancel.starting.title", "Not yet"))
        self.backend(run.backend).cancel(run.job_name)
        run, _ = self._record(run, _Status(RunState.CANCELLING, run.started))
        self._watch(run)
        return run

    def resolve(self, run_id: str) -> Run:
        """The run whose id is `run_id` or starts with it."""
        run = self.store.get(run_id)
        if run is not None:
            return run
        matches = self.store.find_prefix(run_id) if run_id else []
        if len(matches) == 1:
            return matches[0]
        if not matches:
            raise T4Error(msg("run_id.unknown", 'No run has the id "{run_id}". `t4panel status` lists the recent runs.',
                              run_id=run_id), title=msg("run_id.unknown.title", "Unknown run"))
        raise T4Error(msg("run_id.ambiguous", '"{run_id}" matches several runs; give more of the id.', run_id=run_id),
                      title=msg("run_id.ambiguous.title", "Ambiguous run id"))

    def reattach_all(self) -> list[Run]:
        """Watch again every run history says is not over (after a restart, or runs of other processes), and,
        with the cloud schedule on, the cloud's runs that history does not know yet."""
        self.adopt_cloud_runs()
        runs = self.store.active(self.profile)
        for run in runs:
            self._watch(run)  # a run without a job handle is looked up first, never launched again
        return runs

    def adopt_cloud_runs(self, force: bool = False) -> list[Run]:
        """Bring the cloud schedule's new runs into history and watch them (at most one look a minute unless
        `force`). Never raises: a failed look is logged and made again at the next chance."""
        now = time.monotonic()
        with self._lock:
            if not force and now - self._cloud_looked < self.cloud_look_seconds:
                return []
            self._cloud_looked = now
        try:
            cfg = self.config_source()
            if not cloud_runs.wanted(cfg):
                return []
            adopted = cloud_runs.adopt(self.store, self.backend(cfg.job.backend), cfg, self.profile, _spec_of)
        except Exception as exc:  # noqa: BLE001 - the cloud's runs are looked for again a minute later
            log.info("could not look for the cloud schedule's runs: %s", exc)
            return []
        for run in adopted:
            self._emit(RunEvent("started", run))
            self._watch(run)
        return adopted

    def _adopt_or_fail(self, run: Run) -> Run:
        """A LAUNCHING run without a job: did its job start? Never launch again.

        It is declared never created only when its launcher has stopped (no heartbeat, or one marked
        done or silent) for longer than a late commit can take: a launch still retrying in any process
        is left alone. An adopted run waits for the claim holder's job as long as the claim is fresh.
        """
        target = str(run.detail.get("adopted_run") or launch_label(run))
        current = self.store.get(run.id) or run
        if current.job_name or current.state.terminal:  # its launcher finished meanwhile: nothing to look up
            return current
        working, quiet = liveness.launcher_state(Path(run.log_path).parent)
        if working:  # its launcher is at it (maybe waiting on a keyring prompt): no look-up, no second prompt
            return current
        try:
            handle = self.backend(run.backend).find_by_run_id(target, self._job_of(run))
        except T4Error as exc:
            log.info("could not look up run %s: %s", run.id, exc)
            return run
        with self.store.transaction() as store:  # decide on the fresh record: its launcher may have written it
            fresh = store.get(run.id) or run
            if fresh.job_name or fresh.state.terminal:
                return fresh
            if handle:
                return store.update(fresh, job_name=handle, state=RunState.QUEUED,
                                    error=(fresh.error_msg or fresh.error) if run.detail.get("adopted_run") else None)
            if run.detail.get("adopted_run"):
                claimed = datetime.fromisoformat(str(run.detail.get("claimed_at") or iso_now()))
                if (utcnow() - claimed).total_seconds() < CLAIM_STALE_SECONDS + liveness.LATE_COMMIT_SECONDS:
                    return fresh
                return store.update(fresh, state=RunState.FAILED, ended=utcnow(), error=msg(
                    "run.claim_never_started", "The computer that claimed this scheduled run never started its job. "
                    "The next start of T4 Panel catches it up if its catch-up window is still open."))
            if quiet is None:  # no heartbeat at all: a launcher too old to write one, or one that died at once
                quiet = (utcnow() - fresh.created).total_seconds()
            if quiet < liveness.LATE_COMMIT_SECONDS:
                return fresh
            error: str | Message
            if fresh.error and not (fresh.error_msg and fresh.error_msg.id == "run.checking_start"):
                error = fresh.error_msg or fresh.error  # the launcher's own reason: never replaced by a guess
            else:
                error = msg("run.never_created", "T4 Panel stopped while starting this run; the job was never created.")
            return store.update(fresh, state=RunState.FAILED, ended=utcnow(), error=error,
                                detail={**fresh.detail, "retryable": True})

    def refresh_active(self) -> list[Run]:
        """Poll each unfinished run once and record what the backend says (for `status`)."""
        out = []
        for run in self.store.active(self.profile):
            if not run.job_name:
                run = self._adopt_or_fail(run)
            if run.job_name and not run.state.terminal:
                try:
                    status = self.backend(run.backend).poll(run.job_name)
                except T4Error as exc:
                    log.info("could not refresh %s: %s", run.id, exc)
                else:
                    ended_here = False
                    if status.state != run.state or status.started != run.started:
                        run, ended_here = self._record(run, status)
                    if ended_here:
                        self._finish(run)
                        run = self.store.get(run.id) or run
            out.append(run)
        return out

    def _job_of(self, run: Run) -> Any:
        """The current job settings, but with the project and region the run was launched in."""
        import copy

        job = copy.deepcopy(self.config_source().job)
        spec = run.detail.get("spec", {})
        job.project_id = spec.get("project_id", job.project_id)
        job.region = spec.get("region", job.region)
        return job

    def active_run(self) -> Run | None:
        runs = self.store.active(self.profile)
        return runs[-1] if runs else None

    def is_watching(self, run_id: str) -> bool:
        with self._lock:
            t = self._watchers.get(run_id)
            return t is not None and t.is_alive()

    def wait(self, run_id: str, timeout: float | None = None) -> Run:
        """Block until the run is terminal in history (it must be watched somewhere)."""
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            run = self.store.get(run_id)
            if run is None or (run.state.terminal and not self.is_watching(run_id)):
                return run  # type: ignore[return-value]  # None only for an id history never had
            if not run.state.terminal and not self.is_watching(run_id) and not self._stop.is_set():
                self._watch(run)  # its watcher is gone (or never was here): never wait on nobody
            if deadline is not None and time.monotonic() > deadline:
                return run
            time.sleep(0.05)

    def shutdown(self, timeout: float = 2.0) -> None:
        """Stop watching (runs go on; the next start re-attaches)."""
        self._stop.set()
        with self._lock:
            threads = list(self._watchers.values())
        for t in threads:
            t.join(timeout)


@dataclass(frozen=True)
class _Status:
    state: RunState
    started: datetime | None = None
    ended: datetime | None = None
    exit_code: int | None = None
    error: str | Message | None = None


CLOUD_TRIGGER = cloud_runs.CLOUD_TRIGGER  # runs fired by the cloud schedule (`t4panel fire` in Cloud Run)
TRIGGER_LABEL = "t4panel-trigger"


def trigger_labels(trigger: str) -> dict[str, str]:
    """The job label that tells a cloud run from this computer's own (the desktop adopts those, never
    calls them orphans)."""
    return {TRIGGER_LABEL: CLOUD_TRIGGER} if trigger == CLOUD_TRIGGER else {}


def launch_label(run: Run) -> str:
    """The t4panel-run label of the run's current attempt (the run id, then `<id>-a2`, `-a3` ...)."""
    return str(run.detail.get("launch_label") or run.id)


def iso_now() -> str:
    return utcnow().isoformat()


def _spec_of(cfg: AppConfig) -> dict[str, Any]:
    """What the run ran on, kept with the run so its cost can be priced later."""
    j = cfg.job
    return {"backend": j.backend, "project_id": j.project_id, "region": j.region, "machine_type": j.machine_type,
            "accelerator_count": j.accelerator_count, "spot": j.spot, "replicas": 1,
            "max_runtime_minutes": j.max_runtime_minutes}


_INTERNAL_LAUNCH_ERROR = Message("run.internal_error",
                                 "The job could not be started because of an internal error; see the app log.")


def state_word(state: RunState) -> Message:
    """A run state as a word inside a sentence ("running"), with an id so the GUI can translate it."""
    return Message(f"state.{state.value.lower()}", state.value.lower())


def _already_running(other: Run) -> Message:
    since = other.started or other.created
    return msg("run.refused.running", "A run is already going (run {run}, {state} since {since} UTC). Wait for it "
               "to finish or cancel it first.", run=other.id, state=state_word(other.state),
               since=since.strftime("%Y-%m-%d %H:%M"))


def _safe_hook(fn: Callable[[Run, AppConfig], dict[str, Any]], run: Run, cfg: AppConfig) -> dict[str, Any]:
    try:
        return dict(fn(run, cfg) or {})
    except Exception:
        log.exception("run hook %r failed", fn)
        return {}


def _append_log(path: Path, lines: list[LogLine]) -> None:
    from core.store.runs import iso

    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    with open(path, "a", encoding="utf-8") as fh:
        for line in lines:
            stream = "E" if line.severity in ("ERROR", "WARNING") or line.stream == "stderr" else "O"
            fh.write(f"{iso(line.time)}\t{stream}\t{line.text}\n")
