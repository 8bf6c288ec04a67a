"""The soak benchmark's loop, run for a few runs: a bench that silently breaks measures nothing.

Behaviour only (benchmarks print figures, tests do not time): every run started by Run Now in the one
PanelApp ends SUCCEEDED, on the backend the saved config names, and history and the run logs have them.
"""

from __future__ import annotations

import re
from pathlib import Path

from core import paths
from core.store.runs import RunState, RunStore
from tests.benchmarks.bench_soak import soak


def test_soak_loop_runs_local_then_vertex_runs_to_success_and_history_keeps_them(qapp, monkeypatch):
    samples, runs, _ = soak(local_runs=6, vertex_runs=3, monkeypatch=monkeypatch, trace=False)

    assert [r.state for r in runs] == [RunState.SUCCEEDED] * 9, [(r.state, r.error) for r in runs]
    assert [r.backend for r in runs] == ["local"] * 6 + ["vertex"] * 3
    assert len({r.id for r in runs}) == 9
    history = {r.id: r for r in RunStore(paths.history_path()).recent(100)}
    assert set(history) == {r.id for r in runs}
    assert [(history[r.id].state, history[r.id].trigger) for r in runs] == [(RunState.SUCCEEDED, "manual")] * 9
    vertex_jobs = [history[r.id].job_name for r in runs[6:]]
    assert all(re.fullmatch(r"projects/\d+/locations/us-central1/customJobs/\d+", n or "") for n in vertex_jobs)
    assert len(set(vertex_jobs)) == 3  # one Vertex AI job per run, never a second create
    for run in runs:  # each run's own log, local ones from the job's stdout, Vertex ones from Cloud Logging
        assert "predicting" in Path(run.log_path).read_text(encoding="utf-8")
    assert [s.phase for s in samples] == ["local", "local", "vertex", "vertex"]
    assert all(s.threads > 0 and s.fds > 0 and s.rss_mb > 0 for s in samples)
