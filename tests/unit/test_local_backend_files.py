"""Launching a local run leaves no file of the run open in the app: the supervisor keeps its own handles."""

from __future__ import annotations

import gc
import os
import sys
import time
import warnings
from pathlib import Path

import pytest

from core import paths
from core.backends.base import LaunchRequest
from core.backends.local import LocalBackend
from core.store.runs import RunState
from tests.support.local import fast_config


def _open_files() -> set[str]:
    names = set()
    for fd in os.listdir("/proc/self/fd"):
        try:
            names.add(os.readlink(f"/proc/self/fd/{fd}"))
        except OSError:
            pass
    return names


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc/self/fd")
def test_launch_keeps_no_handle_on_the_runs_files(tmp_path):
    backend = LocalBackend(poll_seconds=0.02)
    cfg = fast_config(seconds=0.1)
    run_dir = paths.runs_dir() / "rfiles00000000000001"
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        handle = backend.launch(LaunchRequest(run_id="rfiles00000000000001", job=cfg.job, display_name="t4",
                                              labels={}, run_dir=str(run_dir)))
        gc.collect()
    assert not [w for w in caught if issubclass(w.category, ResourceWarning)]  # closed, not left to the GC
    assert not {n for n in _open_files() if n.startswith(str(run_dir))}
    deadline = time.monotonic() + 30
    while not backend.poll(handle).state.terminal and time.monotonic() < deadline:
        time.sleep(0.05)
    assert backend.poll(handle).state is RunState.SUCCEEDED
    assert Path(run_dir, "runner.err").exists()
