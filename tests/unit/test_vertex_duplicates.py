"""Two jobs with one run label (a create Google committed late): history follows the oldest, the other is an
orphan that the Dashboard offers to cancel."""

from __future__ import annotations

from datetime import UTC, datetime

from google.cloud.aiplatform_v1.types import CustomJob, JobState

from core.backends.vertex.spec import orphans_of


def _job(n: int, run: str, second: int, state: JobState = JobState.JOB_STATE_RUNNING) -> CustomJob:
    return CustomJob(name=f"projects/1/locations/us-central1/customJobs/{n}", display_name="t4-predict",
                     labels={"t4panel-run": run}, state=state,
                     create_time=datetime(2026, 6, 1, 1, 0, second, tzinfo=UTC))


def test_the_younger_twin_of_a_known_run_is_an_orphan_and_the_oldest_is_not():
    jobs = [_job(2, "rknown", 33), _job(1, "rknown", 0), _job(3, "rstranger", 5)]
    orphans = orphans_of(jobs, {"rknown"})
    assert sorted(o.name.rsplit("/", 1)[-1] for o in orphans) == ["2", "3"]


def test_an_ended_twin_is_no_orphan():
    jobs = [_job(1, "rknown", 0), _job(2, "rknown", 33, JobState.JOB_STATE_CANCELLED)]
    assert orphans_of(jobs, {"rknown"}) == []
