"""How often to read a Vertex AI job's state and its log: cheap on quota, quick where it matters.

Figures are in "job seconds" for the default minimum of 5 s; a smaller minimum (tests, benchmarks)
shrinks every figure by the same factor. For a one-hour job after a five-minute queue this comes to
about 120 state reads and 230 log reads (the targets: at most 400 calls per job-hour, 12 log reads
in any minute), with the end noticed within 30 s, or 15 s near the max runtime.

- QUEUED / PENDING: state every 10 s for the first minute (quick failures show quickly), then 30 s.
  No log reads: nothing is logged before the job leaves PENDING.
- RUNNING: state and log every 10 s for two minutes (start-up errors), then log every 15 s and state
  every 30 s; state every 15 s within two minutes of the max runtime or of the run's usual duration
  (`VertexBackend.expect_duration`).
- CANCELLING: every 5 s (the operator is waiting for the cancel to land).
"""

from __future__ import annotations

from core.store.runs import RunState

DEFAULT_MIN_POLL = 5.0
_WAITING = (RunState.LAUNCHING, RunState.QUEUED, RunState.PENDING, RunState.PAUSED, RunState.UPDATING)


class PollPolicy:
    """Polling intervals in seconds, never below `min_poll_seconds`."""

    def __init__(self, min_poll_seconds: float = DEFAULT_MIN_POLL) -> None:
        if min_poll_seconds <= 0:
            raise ValueError("min_poll_seconds must be positive")
        self.min_poll_seconds = min_poll_seconds
        self.factor = min_poll_seconds / DEFAULT_MIN_POLL

    def scaled(self, job_seconds: float) -> float:
        """A duration in job seconds, compressed like the policy."""
        return job_seconds * self.factor

    def _job_seconds(self, seconds: float) -> float:
        return seconds / self.factor

    def state_every(self, state: RunState, seconds_in_state: float, remaining: float | None = None) -> float:
        """Seconds between reads of the job's state.

        Args:
            state: the state last read.
            seconds_in_state: how long the job has been in it (real seconds).
            remaining: real seconds to the nearest likely end (max-runtime deadline, usual duration).
        """
        s = self._job_seconds(seconds_in_state)
        if state in _WAITING:
            every = 10.0 if s < 60 else 30.0
        elif state == RunState.RUNNING:
            every = 10.0 if s < 120 else 30.0
            if remaining is not None and self._job_seconds(remaining) < 120:
                every = 15.0
        else:  # CANCELLING, or terminal (should not be asked again)
            every = 5.0
        return max(self.min_poll_seconds, self.scaled(every))

    def log_every(self, state: RunState, seconds_in_state: float) -> float:
        """Seconds between log reads of one job (the app-wide limiter adds its own 5 s floor)."""
        s = self._job_seconds(seconds_in_state)
        if state == RunState.RUNNING:
            every = 10.0 if s < 120 else 15.0
        elif state == RunState.CANCELLING:
            every = 10.0
        else:
            every = 30.0
        return max(self.min_poll_seconds, self.scaled(every))

    def tick(self, state: RunState, seconds_in_state: float) -> float:
        """The controller's wait between rounds: the sooner of the next state read and the next log read."""
        if state in _WAITING:
            return self.state_every(state, seconds_in_state)
        return min(self.state_every(state, seconds_in_state), self.log_every(state, seconds_in_state))
