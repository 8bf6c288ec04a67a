"""A scheduled run's attempts: which ends are worth another attempt, why, where the next one goes, and the
record each attempt leaves in the run's history (`detail.attempts`: region, Spot or on demand, reason, job,
cost), so History and the Cost page can say where each attempt ran and what it cost."""

from __future__ import annotations

from typing import Any

from core.backends.placement import FailureKind, Placement, is_preemption, job_at, next_placement
from core.errors import Message
from core.store.config import JobConfig
from core.store.runs import Run, RunState


def no_capacity(error: str) -> bool:
    """True for a stockout: no T4 (or no Spot T4) free in the region just now."""
    from core.backends.vertex.errors import is_capacity

    return is_capacity(error)


def waiting_for_retry(run: Run) -> bool:
    """A scheduled attempt that ended for a reason that may pass: it never ran, or its Spot VM was taken back."""
    if run.occurrence is None or not run.state.terminal or not run.detail.get("retryable"):
        return False
    return run.started is None or run.detail.get("retry_kind") == FailureKind.PREEMPTED.value


def awaiting_retry(run: Run) -> bool:
    """True for a scheduled run that ended without finishing its work and will be tried again: its end is not
    the occurrence's result, so nobody is told (the scheduler says "retrying" once, then the final result)."""
    return run.occurrence is not None and run.state.terminal and bool(run.detail.get("retryable"))


def retry_kind(run: Run) -> FailureKind:
    """Why the run's last attempt did not run: where the next one goes depends on it."""
    try:
        return FailureKind(run.detail.get("retry_kind"))
    except ValueError:
        return FailureKind.CAPACITY if no_capacity(run.error or "") else FailureKind.BUSY


def launch_failure_kind(exc_message: Message) -> FailureKind:
    """A create that failed retryably: no GPU free, or Vertex AI busy."""
    return FailureKind.CAPACITY if exc_message.id == "vertex.no_capacity" or no_capacity(exc_message.text) \
        else FailureKind.BUSY


def end_retry_kind(run: Run, status: Any) -> FailureKind | None:
    """For a job that just ended: CAPACITY when it ended before running for lack of GPUs (or expired waiting
    for them), PREEMPTED when a scheduled Spot job was taken back while running, else None."""
    text = str(status.error.text if isinstance(status.error, Message) else status.error or "")
    if status.started is None and (status.state == RunState.EXPIRED
                                   or (status.state == RunState.FAILED and no_capacity(text))):
        return FailureKind.CAPACITY
    spot = bool(run.detail.get("spec", {}).get("spot"))
    if run.occurrence is not None and spot and status.state == RunState.FAILED and is_preemption(text):
        return FailureKind.PREEMPTED
    return None


def next_job(run: Run, job: JobConfig) -> tuple[JobConfig, dict[str, Any]]:
    """The job settings of the run's next attempt (the operator's, moved to the next place), and the record of
    the attempt that just ended."""
    kind = retry_kind(run)
    spec = run.detail.get("spec", {})
    was = Placement(str(spec.get("region", job.region)), bool(spec.get("spot", job.spot)))
    place = next_placement(job, was, kind) if job.backend == "vertex" else was
    # run.cost_usd adds up every attempt so far (the controller's _finish): the record keeps this attempt's own
    earlier = sum(float(a["cost_usd"]) for a in run.detail.get("attempts", [])
                  if isinstance(a, dict) and a.get("cost_usd") is not None)
    own = None if run.cost_usd is None else max(0.0, float(run.cost_usd) - earlier)
    record = {"ended": run.ended.isoformat() if run.ended else None, "job": run.job_name, "error": run.error,
              "region": was.region, "spot": was.spot, "reason": kind.value, "cost_usd": own,
              "at": run.detail.get("attempt_at") or run.created.isoformat(),
              "started": run.started.isoformat() if run.started else None}
    return job_at(job, place), record
