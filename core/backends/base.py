"""The one protocol every backend speaks, and the records it exchanges with the controller."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

from core.errors import Message
from core.store.config import JobConfig
from core.store.runs import RunState
from core.store.states import LogLine as LogLine  # lives with the states so Google's log reader needs no backend


@dataclass(frozen=True)
class LaunchRequest:
    """What to launch. `secret_env` is handed to the job only (never logged, stored or labelled); with
    `secret_refs` the job gets only the secrets' names and reads their values itself (the bootstrap)."""

    run_id: str
    job: JobConfig
    display_name: str
    labels: dict[str, str]
    run_dir: str  # a private folder for this run's files (job log, runner state)
    occurrence_label: str | None = None
    secret_env: dict[str, str] = field(default_factory=dict, repr=False)
    # env name -> Secret Manager version name: read inside the container by the bootstrap (values never sent)
    secret_refs: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class BackendStatus:
    """What the backend knows of a job right now."""

    state: RunState
    started: datetime | None = None
    ended: datetime | None = None
    exit_code: int | None = None
    error: str | Message | None = None  # a sentence for the operator, when FAILED / CANCELLED / EXPIRED


class LogReader(Protocol):
    """Hands out each log line once, in order."""

    def read_new(self) -> list[LogLine]:
        """Lines that arrived since the last call (may be empty). Never raises for a transient error."""
        ...

    def drain(self) -> list[LogLine]:
        """After the job ended: whatever is still to come (late entries)."""
        ...


class JobBackend(Protocol):
    """A place where runs happen. Calls may block (network, disk): never call them on the UI thread."""

    name: str
    #: True when the backend writes the run's log file itself (local); else the controller caches lines.
    writes_log_file: bool

    def launch(self, request: LaunchRequest) -> str:
        """Start the job exactly once and return its handle (stored as the run's job_name).

        Raises:
            BackendError: nothing was started (the message says what to fix).
        """
        ...

    def poll(self, handle: str) -> BackendStatus:
        """The job's state now. Raises TransientBackendError when it could not be read this time."""
        ...

    def cancel(self, handle: str) -> None:
        """Ask the job to stop (asynchronous: keep polling until terminal)."""
        ...

    def open_log(self, handle: str, run_dir: str) -> LogReader:
        """A reader of the job's log from its start."""
        ...

    def find_by_run_id(self, run_id: str, job: JobConfig) -> str | None:
        """The handle of the job launched for `run_id`, if one exists (re-attach, idempotent launch)."""
        ...

    def poll_interval(self, state: RunState, seconds_in_state: float) -> float:
        """Seconds to wait before the next poll of a job in `state`."""
        ...
