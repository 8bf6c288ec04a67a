"""`t4panel status` (RunController.refresh_active) brings history up to date for runs nobody watches.

Found by the mutation run (docs/testing.md): only the CLI's child-process tests reached it, which mutmut
cannot see. The app closes while its run goes; later, another process asks for the status.
"""

from __future__ import annotations

import time

from core import paths
from core.backends.local import LocalBackend
from core.control.controller import RunController
from core.store.runs import RunState, RunStore
from tests.support.local import controller, fast_config


def status_process(cfg, profile: str = "default") -> RunController:
    """What `t4panel status` builds: a controller over the same history, with the cost estimate."""
    return RunController(RunStore(paths.history_path()), lambda: cfg, profile=profile,
                         backend_factory=lambda name: LocalBackend(poll_seconds=0.05),
                         cost_of=lambda run: 0.25 if run.state == RunState.SUCCEEDED else None)


def _ended(gui: RunController, run_id: str) -> None:
    """Wait (without recording anything) until the job itself has ended."""
    backend = gui.backend("local")
    handle = gui.store.get(run_id).job_name
    deadline = time.monotonic() + 20
    while not backend.poll(handle).state.terminal and time.monotonic() < deadline:
        time.sleep(0.05)


def test_status_records_the_end_of_a_run_whose_app_closed_with_its_real_times_and_cost():
    cfg = fast_config(seconds=0.3)
    gui = controller(cfg)
    run = gui.launch()
    while gui.store.get(run.id).state != RunState.RUNNING:
        time.sleep(0.01)
    gui.shutdown()  # the window closes while the job runs; the job goes on
    _ended(gui, run.id)
    assert gui.store.get(run.id).state == RunState.RUNNING

    cli = status_process(cfg)
    [seen] = cli.refresh_active()
    final = cli.store.get(run.id)
    assert seen.id == run.id and seen.state == RunState.SUCCEEDED == final.state
    assert final.started is not None and final.ended is not None and final.ended > final.started
    assert final.cost_usd == 0.25 and seen.cost_usd == 0.25  # priced once it ended
    assert final.exit_code == 0
    assert cli.refresh_active() == []  # nothing left going


def test_status_of_one_profile_leaves_another_profiles_run_alone():
    cfg = fast_config(seconds=0.3)
    night = RunController(RunStore(paths.history_path()), lambda: cfg, profile="night-shift",
                          backend_factory=lambda name: LocalBackend(poll_seconds=0.05))
    run = night.launch()
    night.shutdown()
    _ended(night, run.id)
    before = night.store.get(run.id)
    assert status_process(cfg).refresh_active() == []
    assert night.store.get(run.id) == before  # untouched: the night-shift profile's own status will record it
    [seen] = status_process(cfg, profile="night-shift").refresh_active()
    assert seen.state == RunState.SUCCEEDED
