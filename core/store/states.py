"""A run's states and log lines: light records kept apart from the history module (no SQLite to load)."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime


class RunState(str, enum.Enum):
    """A run's state. Names follow Vertex AI's JobState, plus LAUNCHING before the backend answers."""

    LAUNCHING = "LAUNCHING"
    QUEUED = "QUEUED"
    PENDING = "PENDING"
    RUNNING = "RUNNING"
    CANCELLING = "CANCELLING"
    PAUSED = "PAUSED"
    UPDATING = "UPDATING"
    SUCCEEDED = "SUCCEEDED"
    FAILED = "FAILED"
    CANCELLED = "CANCELLED"
    EXPIRED = "EXPIRED"
    PARTIALLY_SUCCEEDED = "PARTIALLY_SUCCEEDED"

    @property
    def terminal(self) -> bool:
        return self in TERMINAL_STATES


TERMINAL_STATES = frozenset(
    {RunState.SUCCEEDED, RunState.FAILED, RunState.CANCELLED, RunState.EXPIRED, RunState.PARTIALLY_SUCCEEDED}
)


@dataclass(frozen=True)
class LogLine:
    """One line of the job's output. `severity` is one of DEBUG, INFO, WARNING, ERROR (drives colours)."""

    time: datetime
    text: str
    severity: str = "INFO"
    stream: str = "stdout"
