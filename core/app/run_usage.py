"""A finished Vertex run's T4 use kept in its History row: how busy the GPU and the CPU were, and the GPU
memory peak (percent). The run's page shows them; the Cost page's advice (core.cost.advice) counts them.

The window keeps them when a run ends (gui/app_core.py) and the headless daemon through
`UsageKeeper`: each is one read of core.google.monitoring's paced reader.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

from core.errors import T4Error
from core.google.monitoring import Metric, Usage, read_run
from core.store.runs import Run, RunState, RunStore

log = logging.getLogger(__name__)


def usage_detail(usage: Usage) -> dict[str, int]:
    """The figures History keeps (nothing when Monitoring had no GPU figures for the run)."""
    gpu = usage.mean(Metric.GPU)
    if gpu is None:
        return {}
    kept = {"gpu_busy_percent": round(100 * min(gpu, 1.0))}
    cpu = usage.mean(Metric.CPU)
    if cpu is not None:
        kept["cpu_busy_percent"] = round(100 * min(cpu, 1.0))
    memory = [v for _, v in usage.series.get(Metric.GPU_MEMORY) or []]
    if memory:
        kept["gpu_memory_percent"] = round(100 * min(max(memory), 1.0))
    return kept


def read_and_keep(store: RunStore | None, run: Run) -> Usage | None:
    """`run`'s usage; for a finished run also written into its History row (blocking: a worker thread).

    Raises:
        MonitoringError: Monitoring could not be read (UsageNotDue: not yet, ask again after `retry_after`).
    """
    usage = read_run(run)
    kept = usage_detail(usage) if usage is not None else {}
    if kept and run.state.terminal and store is not None:
        fresh = store.get(run.id)
        if fresh is not None and any(fresh.detail.get(k) != v for k, v in kept.items()):
            store.update(fresh, detail={**fresh.detail, **kept})
    return usage


class UsageKeeper:
    """A RunController subscriber that keeps each successful Vertex run's usage, on a thread of its own (the
    watcher that announces the end never waits for Monitoring). `last` is the latest such thread."""

    def __init__(self, store: RunStore) -> None:
        self.store = store
        self.last: threading.Thread | None = None

    def __call__(self, event: Any) -> None:
        run = event.run
        if event.kind != "finished" or run.backend != "vertex" or run.state is not RunState.SUCCEEDED:
            return
        self.last = threading.Thread(target=self._keep, args=(run,), name=f"usage-{run.id}", daemon=True)
        self.last.start()

    def _keep(self, run: Run) -> None:
        for _ in range(2):  # the reader's pace is waited out once
            try:
                read_and_keep(self.store, run)
                return
            except T4Error as exc:
                wait = getattr(exc, "retry_after", None)
                if wait is None:
                    log.info("usage of run %s not kept: %s", run.id, exc.message)
                    return
                threading.Event().wait(wait + 0.5)
