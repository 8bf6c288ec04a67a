"""A run's states: kept apart from the history module so the window can use them without loading SQLite."""

from __future__ import annotations

import enum


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
