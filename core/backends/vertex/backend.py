"""The Vertex AI backend: T4 custom jobs launched exactly once, watched adaptively, cancelled, re-found.

Calls block on the network: the controller runs them on worker threads. The Google client library
is imported on first use (see core.google.endpoints).
"""

from __future__ import annotations

import functools
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from core.backends.base import BackendStatus, LaunchRequest
from core.backends.vertex import errors as verr
from core.backends.vertex import launch as vertex_launch
from core.backends.vertex.policy import PollPolicy
from core.backends.vertex.spec import (
    CLOUD,
    OCCURRENCE_LABEL,
    RUN_LABEL,
    TRIGGER_LABEL,
    CloudJob,
    Orphan,
    cloud_jobs_of,
    console_url,
    label_filter,
    orphans_of,
    parse_name,
    status_of,
)
from core.errors import T4Error, TransientBackendError, msg
from core.google import endpoints
from core.google.logs import CloudLogReader, LogGate, ReadLimiter, shared_limiter
from core.store.config import JobConfig
from core.store.runs import RunState, utcnow

log = logging.getLogger(__name__)

__all__ = ["Orphan", "VertexBackend"]


@dataclass
class _Watch:
    """What the backend remembers of one job between polls."""

    status: BackendStatus | None = None
    fetched_at: float = float("-inf")
    state_since: float = field(default_factory=time.monotonic)
    deadline: datetime | None = None  # start + Scheduling.timeout: poll more often near it
    expected_seconds: float | None = None  # how long such runs usually take (a hint from history)
    gate: LogGate = field(default_factory=LogGate)


class VertexBackend:
    """Vertex AI custom jobs on T4 GPUs (JobBackend protocol, plus orphans and console links).

    Args:
        min_poll_seconds: the shortest wait between polls (5 s). Every other interval of the polling
            policy scales with it, so tests compress time by passing e.g. 0.05. When None, a test
            server's T4PANEL_MIN_POLL_SECONDS applies (see core.google.endpoints), else 5 s.
        rpc_timeout: seconds one API call may take before it counts as failed.
        max_attempts: create attempts before a launch gives up.
        late_commit_seconds: after a create that got no answer, how long (from its sending) the run's
            label is looked up before any new create; default three RPC timeouts (90 s).
        limiter: the app-wide Cloud Logging read limiter (default: the shared one).
        log_lag_seconds: how far behind "now" log reads stop (default 5 s, scaled like the polls).
        client_factory: region -> JobServiceClient (default: core.google.endpoints).
        logging_client_factory: () -> LoggingServiceV2Client (default: core.google.endpoints).
    """

    name = "vertex"
    writes_log_file = False

    def __init__(self, min_poll_seconds: float | None = None, *, rpc_timeout: float = 30.0, max_attempts: int = 8,
                 late_commit_seconds: float | None = None, limiter: ReadLimiter | None = None,
                 log_lag_seconds: float | None = None,
                 client_factory: Callable[[str], Any] | None = None,
                 logging_client_factory: Callable[[], Any] | None = None) -> None:
        test_poll = endpoints.test_min_poll_seconds() if min_poll_seconds is None else None
        self.policy = PollPolicy(min_poll_seconds or test_poll or 5.0)
        self.rpc_timeout = rpc_timeout
        self.max_attempts = max_attempts
        self.late_commit_seconds = 3 * rpc_timeout if late_commit_seconds is None else late_commit_seconds
        self.warnings: dict[str, list[str]] = {}
        self.limiter = limiter or (ReadLimiter(test_poll) if test_poll else shared_limiter())
        self.log_lag_seconds = self.policy.scaled(5.0) if log_lag_seconds is None else log_lag_seconds
        self._client_factory = client_factory or endpoints.job_service_client
        self._logging_client_factory = logging_client_factory or endpoints.logging_client
        self._clients: dict[str, Any] = {}
        self._logging_client: Any = None
        self._watches: dict[str, _Watch] = {}
        self._lock = threading.RLock()
        self.calls = 0  # Vertex API calls made (benchmarks)

    # ------------------------------------------------------------ clients

    def _client(self, region: str) -> Any:
        with self._lock:
            if region not in self._clients:
                self._clients[region] = self._client_factory(region)
            return self._clients[region]

    def _logs_client(self) -> Any:
        with self._lock:
            if self._logging_client is None:
                self._logging_client = self._logging_client_factory()
            return self._logging_client

    def _call(self, region: str, method: str, **kwargs: Any) -> Any:
        self.calls += 1
        return getattr(self._client(region), method)(timeout=self.rpc_timeout, **kwargs)

    # ------------------------------------------------------------ launching

    def launch(self, request: LaunchRequest) -> str:
        """Create the job once: look it up by its run label before the first create and before any retry.

        Raises:
            BackendError: nothing was started; the message says what to fix.
            TransientBackendError: Vertex AI kept failing and it is unknown whether the job exists;
                `find_by_run_id` answers that later.
        """
        return vertex_launch.launch_once(self, request)

    def take_warnings(self, run_id: str) -> list[str]:
        """Sentences the launch of `run_id` left for the operator (e.g. a duplicate job cancelled)."""
        with self._lock:
            return self.warnings.pop(run_id, [])

    def _lookup(self, job: JobConfig, key: str, value: str, attempts: int = 3) -> tuple[str | None, bool]:
        return vertex_launch.lookup(self, job, key, value, attempts)

    def _list(self, job: JobConfig, filter_text: str) -> list[Any]:
        return vertex_launch.list_jobs(self, job, filter_text)

    def find_by_run_id(self, run_id: str, job: JobConfig) -> str | None:
        """The job launched for `run_id`, via its t4panel-run label.

        Raises:
            TransientBackendError: Vertex AI could not be asked just now.
        """
        name, known = self._lookup(job, RUN_LABEL, run_id)
        if not known:
            raise TransientBackendError(msg("vertex.lookup_run", "Could not ask Vertex AI about this run just now; "
                                            "T4 Panel will try again."))
        return name

    def find_by_occurrence(self, occurrence_label: str, job: JobConfig) -> str | None:
        """The job launched for a scheduled occurrence (on any computer), via t4panel-occurrence."""
        name, known = self._lookup(job, OCCURRENCE_LABEL, occurrence_label)
        if not known:
            raise TransientBackendError(msg("vertex.lookup_occurrence", "Could not ask Vertex AI whether this "
                                            "scheduled run already started; T4 Panel will try again."))
        return name

    # ------------------------------------------------------------ watching

    def _watch(self, handle: str) -> _Watch:
        with self._lock:
            w = self._watches.get(handle)
            if w is None:
                w = self._watches[handle] = _Watch()
                w.gate.pace = functools.partial(self._log_pace, w)
            return w

    def _log_pace(self, w: _Watch) -> float:
        state = w.status.state if w.status else RunState.QUEUED
        return self.policy.log_every(state, time.monotonic() - w.state_since)

    def poll(self, handle: str) -> BackendStatus:
        """The job's state; between the policy's reads of the state, the last one read.

        Raises:
            TransientBackendError: the state could not be read this time.
        """
        w = self._watch(handle)
        now = time.monotonic()
        if w.status is not None and not w.status.state.terminal:
            every = self.policy.state_every(w.status.state, now - w.state_since, self._remaining(w))
            if now - w.fetched_at < every * 0.8:
                return w.status
        n = parse_name(handle)
        try:
            job = self._call(n.region, "get_custom_job", name=handle)
        except T4Error as exc:  # e.g. nobody signed in: say so, keep trying
            raise TransientBackendError(exc.msg) from exc
        except Exception as exc:
            from google.api_core import exceptions as gexc

            if isinstance(exc, gexc.NotFound):
                status = BackendStatus(RunState.FAILED, ended=utcnow(), error=msg(
                    "vertex.job_deleted", "The job no longer exists on Vertex AI (it was deleted), so its end is "
                    "unknown."))
                self._remember(w, status, None)
                self._forget(handle)
                return status
            if verr.classify(exc) is verr.Failure.PERMANENT:  # e.g. sign-in revoked: say what to fix, keep trying
                message = verr.operator_error(exc, project=n.project, region=n.region).msg
                raise TransientBackendError(message) from exc
            what = msg("vertex.what.read_state", "read the job's state")
            raise TransientBackendError(verr.transient_message(exc, what)) from exc
        status = status_of(job)
        self._remember(w, status, job)
        if status.state.terminal:
            self._forget(handle)
        return status

    def _remember(self, w: _Watch, status: BackendStatus, job: Any) -> None:
        with self._lock:
            if w.status is None or w.status.state != status.state:
                w.state_since = time.monotonic()
            w.status, w.fetched_at = status, time.monotonic()
            w.gate.started, w.gate.ended = status.started, status.ended
            if job is not None:
                w.gate.created = job.create_time if job.create_time else None
                timeout = job.job_spec.scheduling.timeout if job.job_spec.scheduling else None
                if status.started and timeout:
                    w.deadline = status.started + timeout

    def _forget(self, handle: str) -> None:
        """An ended job needs no polling memory; its log reader keeps the gate it was given.

        Without this, every run the app ever watched stayed in `_watches` (the soak's growth).
        """
        with self._lock:
            self._watches.pop(handle, None)

    def _remaining(self, w: _Watch) -> float | None:
        """Seconds to the nearest moment the job is likely to end: its timeout, or its usual duration."""
        now = utcnow()
        near = []
        if w.deadline is not None:
            near.append((w.deadline - now).total_seconds())
        if w.expected_seconds is not None and w.status is not None and w.status.started is not None:
            near.append(abs(w.status.started.timestamp() + w.expected_seconds - now.timestamp()))
        return min(near) if near else None

    def expect_duration(self, handle: str, seconds: float) -> None:
        """Hint how long this job usually runs (e.g. the last successful runs): poll more often near then."""
        with self._lock:
            self._watch(handle).expected_seconds = seconds

    def poll_interval(self, state: RunState, seconds_in_state: float) -> float:
        """Seconds to the next tick: often while queued and early on, rarely in a long run, never < minimum."""
        return self.policy.tick(state, seconds_in_state)

    def cancel(self, handle: str) -> None:
        """Send the cancel (asynchronous: the job goes CANCELLING, then CANCELLED; keep polling).

        Raises:
            BackendError: the cancel was refused or could not be sent.
        """
        n = parse_name(handle)
        try:
            self._call(n.region, "cancel_custom_job", name=handle)
        except T4Error:  # already a sentence for the operator (e.g. sign in first)
            raise
        except Exception as exc:
            if verr.classify(exc) is verr.Failure.TRANSIENT:
                what = msg("vertex.what.cancel", "cancel the job")
                raise TransientBackendError(verr.transient_message(exc, what)) from exc
            if verr.status_name(exc) == "FAILED_PRECONDITION":  # it ended meanwhile: nothing left to stop
                log.info("cancel of %s: job already ended", handle)
            else:
                raise verr.operator_error(exc, project=n.project, region=n.region) from exc
        with self._lock:
            self._watch(handle).fetched_at = float("-inf")  # the next poll reads the new state

    def open_log(self, handle: str, run_dir: str) -> CloudLogReader:
        """The job's Cloud Logging reader (it reads nothing until the job has started)."""
        n = parse_name(handle)
        w = self._watch(handle)
        return CloudLogReader(self._logs_client, n.project, n.job_id, w.gate, limiter=self.limiter,
                              lag_seconds=self.log_lag_seconds, rpc_timeout=min(self.rpc_timeout, 20.0),
                              cursor_path=Path(run_dir) / "log_cursor.json" if run_dir else None)

    # ------------------------------------------------------------ extras for the GUI

    def list_orphans(self, job: JobConfig, known_run_ids: set[str]) -> list[Orphan]:
        """Jobs labelled t4panel-run, unknown to this history, and not yet ended (they cost money).

        Raises:
            BackendError / TransientBackendError: the project could not be listed.
        """
        try:
            jobs = self._list(job, f"labels.{RUN_LABEL}:*")
        except T4Error:  # already a sentence for the operator (e.g. sign in first)
            raise
        except Exception as exc:
            if verr.classify(exc) is verr.Failure.TRANSIENT:
                what = msg("vertex.what.list_jobs", "list the project's jobs")
                raise TransientBackendError(verr.transient_message(exc, what)) from exc
            raise verr.operator_error(exc, project=job.project_id, region=job.region) from exc
        return orphans_of(jobs, known_run_ids)

    def list_cloud_jobs(self, job: JobConfig) -> list[CloudJob]:
        """Jobs the cloud schedule launched in the job's project and region (label t4panel-trigger=cloud).

        Raises:
            BackendError / TransientBackendError: the project could not be listed.
        """
        try:
            jobs = self._list(job, label_filter(TRIGGER_LABEL, CLOUD))
        except T4Error:
            raise
        except Exception as exc:
            if verr.classify(exc) is verr.Failure.TRANSIENT:
                what = msg("vertex.what.list_jobs", "list the project's jobs")
                raise TransientBackendError(verr.transient_message(exc, what)) from exc
            raise verr.operator_error(exc, project=job.project_id, region=job.region) from exc
        return cloud_jobs_of(jobs)

    def console_url(self, handle: str) -> str:
        """The job's page in the Google Cloud console."""
        return console_url(handle)
