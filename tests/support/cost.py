"""A run history for cost tests, in the test's own T4PANEL_HOME (tests/conftest.py sets it)."""

from __future__ import annotations

from datetime import datetime, timedelta

from core import paths
from core.store.runs import Run, RunState, RunStore, new_run_id


def spec(backend="vertex", region="us-central1", machine="n1-standard-4", gpus=1, spot=False, replicas=1):
    return {"backend": backend, "region": region, "machine_type": machine, "accelerator_count": gpus,
            "spot": spot, "replicas": replicas}


def add_run(store: RunStore, created: datetime, minutes: float, *, backend="vertex",
            state=RunState.SUCCEEDED, cost_usd=None, **spec_kw) -> Run:
    """A run that started a minute after `created` and ran `minutes` (still running if not terminal)."""
    started = created + timedelta(minutes=1)
    ended = started + timedelta(minutes=minutes) if state.terminal else None
    run = Run(id=new_run_id(), backend=backend, state=state, created=created, started=started, ended=ended,
              cost_usd=cost_usd, detail={"spec": spec(backend=backend, **spec_kw)})
    store.insert(run)
    return run


def new_store() -> RunStore:
    return RunStore(paths.history_path())

