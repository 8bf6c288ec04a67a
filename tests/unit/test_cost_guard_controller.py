"""The budget guard wired into the real RunController: a nearly spent budget stops the next scheduled
run before anything is launched, Run Now asks first, and each finished run's cost lands in history."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from core import cost, paths
from core.backends.base import BackendStatus, LaunchRequest
from core.control.controller import RunController
from core.store.config import AppConfig
from core.store.runs import Run, RunState, RunStore, new_run_id

T0 = datetime(2026, 11, 20, 0, 0, tzinfo=UTC)


class _NoLog:
    def read_new(self):
        return []

    def drain(self):
        return []


class OneHourVertex:
    """A stand-in for Vertex AI (named "vertex"): each job runs exactly one hour and succeeds."""

    name = "vertex"
    writes_log_file = False

    def __init__(self) -> None:
        self.launched: list[LaunchRequest] = []

    def launch(self, request: LaunchRequest) -> str:
        self.launched.append(request)
        return f"projects/p/locations/us-central1/customJobs/{len(self.launched)}"

    def poll(self, handle: str) -> BackendStatus:
        return BackendStatus(RunState.SUCCEEDED, started=T0, ended=T0 + timedelta(hours=1))

    def cancel(self, handle: str) -> None:
        pass

    def open_log(self, handle: str, run_dir: str) -> _NoLog:
        return _NoLog()

    def find_by_run_id(self, run_id, job):
        return None

    def poll_interval(self, state, seconds_in_state):
        return 0.01


def _cfg() -> AppConfig:
    cfg = AppConfig()
    cfg.job.backend = "vertex"
    cfg.job.project_id = "my-project-1"
    cfg.job.image_uri = "us-docker.pkg.dev/p/r/img:1"
    cfg.schedule.enabled = True
    cfg.budget.monthly_usd = 20.0
    cfg.budget.block_when_over = True
    return cfg


def test_nearly_spent_budget_through_the_controller():
    store = RunStore(paths.history_path())
    now = datetime.now(UTC)
    # $19.50 of $20 already spent this month (a failed run, so it does not set the typical length).
    store.insert(Run(id=new_run_id(), backend="vertex", state=RunState.FAILED, created=now - timedelta(seconds=3),
                     started=now - timedelta(seconds=2), ended=now - timedelta(seconds=1), cost_usd=19.50,
                     detail={"spec": {"backend": "vertex"}}))
    backend = OneHourVertex()
    cfg = _cfg()
    controller = RunController(store, lambda: cfg, backend_factory=lambda name: backend,
                               guards=[cost.BudgetGuard(store)], cost_of=cost.cost_of_run)
    try:
        occurrence = now.replace(second=0, microsecond=0)
        with pytest.raises(cost.BudgetBlocked) as blocked:
            controller.launch("schedule", occurrence=occurrence)
        assert "$19.50 of your $20.00" in blocked.value.message and "would add about $0.62" in blocked.value.message
        assert backend.launched == [] and store.by_occurrence(occurrence) is None  # nothing paid for

        with pytest.raises(cost.BudgetNeedsConfirmation):
            controller.launch("manual")
        assert backend.launched == []

        run = controller.launch("manual", confirmed=True)
        done = controller.wait(run.id, timeout=5)
        assert done.state == RunState.SUCCEEDED and len(backend.launched) == 1
        # The controller recorded the spec at launch; the guard's cost model priced the real hour.
        assert done.detail["spec"]["machine_type"] == "n1-standard-4"
        assert round(store.get(run.id).cost_usd, 2) == 0.62
    finally:
        controller.shutdown()
        store.close()
