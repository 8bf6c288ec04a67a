"""Two processes, one history: the GUI, `t4panel status` and the daemon all read and write the same runs.

- A run another process has finished stays finished: a slower process's stale view never writes over it.
- A run still being started by another process is not declared dead before the 120 s adopt grace.
Real RunControllers and LocalBackends over one history file; a "process" is a controller of its own.
"""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest

from core import paths
from core.backends.base import BackendStatus
from core.backends.local import LocalBackend
from core.control.controller import RunController, RunEvent
from core.errors import msg
from core.store.runs import Run, RunState, RunStore, new_run_id, utcnow
from tests.support.local import controller, fast_config

NEVER_CREATED = "T4 Panel stopped while starting this run; the job was never created."


def other_process(cfg, backend: LocalBackend) -> RunController:
    """A second process on the same machine: its own history connection, controller and backend."""
    return RunController(RunStore(paths.history_path()), lambda: cfg, backend_factory=lambda name: backend)


class LaggingBackend(LocalBackend):
    """A backend whose first answer arrives late and describes the job as it was before it started."""

    def __init__(self, answer_after: threading.Event) -> None:
        super().__init__(poll_seconds=0.05)
        self.answer_after = answer_after
        self.answered = False

    def poll(self, handle: str) -> BackendStatus:
        if not self.answered:
            self.answered = True
            self.answer_after.wait(20)
            return BackendStatus(RunState.PENDING, None)
        return super().poll(handle)


def test_a_run_finished_by_another_process_is_never_written_back_to_running():
    cfg = fast_config(seconds=1.0)
    gui = controller(cfg)
    run = gui.launch()
    while gui.store.get(run.id).state != RunState.RUNNING:
        threading.Event().wait(0.01)
    gui_ended = threading.Event()
    daemon = other_process(cfg, LaggingBackend(answer_after=gui_ended))
    heard: list[RunEvent] = []
    daemon.subscribe(heard.append)
    daemon.reattach_all()  # the daemon starts while the run goes, and asks Vertex/the runner how it is
    done = gui.wait(run.id, timeout=20)
    assert done.state == RunState.SUCCEEDED
    gui_ended.set()  # ... and only now does the daemon's (stale) answer arrive

    daemon.wait(run.id, timeout=20)
    gui.shutdown()
    daemon.shutdown()
    final = gui.store.get(run.id)
    assert final.state == RunState.SUCCEEDED and final.ended == done.ended
    states = [s for s, _ in gui.store.state_changes(run.id)]
    assert states[-1] == RunState.SUCCEEDED and states.count(RunState.SUCCEEDED) == 1  # never went back
    # the daemon told its window: running (as it found it), then the end; never "pending" after the end
    assert [e.run.state for e in heard if e.kind != "log"] == [RunState.RUNNING, RunState.SUCCEEDED]


class SlowStart(LocalBackend):
    """A launch that takes as long as the test says (Vertex AI can take a while to answer a create)."""

    def __init__(self, go: threading.Event) -> None:
        super().__init__(poll_seconds=0.05)
        self.go = go

    def launch(self, request):  # type: ignore[no-untyped-def]
        self.go.wait(20)
        return super().launch(request)


def test_status_in_another_process_does_not_fail_a_run_that_is_still_being_started():
    cfg = fast_config(seconds=0.3)
    go = threading.Event()
    gui = controller(cfg)
    slow = SlowStart(go)
    gui.backend_factory = lambda name: slow
    launched: list[Run] = []
    launcher = threading.Thread(target=lambda: launched.append(gui.launch()))
    launcher.start()
    try:
        store = RunStore(paths.history_path())
        while not store.recent():  # the GUI has recorded the run and is waiting for the backend
            threading.Event().wait(0.01)
        cli = other_process(cfg, LocalBackend(poll_seconds=0.05))
        [seen] = cli.refresh_active()  # `t4panel status` meanwhile
        assert seen.state == RunState.LAUNCHING and seen.error is None
    finally:
        go.set()
        launcher.join(20)
    done = gui.wait(launched[0].id, timeout=20)
    gui.shutdown()
    assert done.state == RunState.SUCCEEDED
    assert RunState.FAILED not in [s for s, _ in store.state_changes(done.id)]


def _left_launching(age_seconds: float) -> Run:
    """What history holds after a launcher died between recording a run and creating its job."""
    store = RunStore(paths.history_path())
    run = Run(id=new_run_id(), backend="local", state=RunState.LAUNCHING, profile="default",
              created=utcnow() - timedelta(seconds=age_seconds), trigger="manual",
              log_path=str(paths.runs_dir() / "x" / "job.log"))
    store.insert(run)
    return run


@pytest.mark.parametrize(("age", "state"), [
    (110.0, RunState.LAUNCHING),  # its launcher may still be creating the job
    (130.0, RunState.FAILED),  # nobody created it: the run ends, the profile is free
])
def test_a_run_left_launching_is_failed_only_after_the_adopt_grace(age, state):
    run = _left_launching(age)
    cfg = fast_config()
    cli = other_process(cfg, LocalBackend(poll_seconds=0.05))
    [seen] = cli.refresh_active()
    assert seen.id == run.id and seen.state == state
    if state == RunState.FAILED:
        assert seen.error == NEVER_CREATED and cli.active_run() is None
        assert cli.launch().state != RunState.FAILED  # Run Now works again
        cli.shutdown()
    else:
        assert cli.active_run().id == run.id


def test_a_run_whose_create_went_unanswered_and_was_never_found_ends_never_created():
    """The launcher recorded "Checking whether the job started: ..." (a create whose answer was lost), then
    stopped. 130 s later nobody has the job: the operator must read that it was never created, not a
    "checking" sentence on a run that has ended."""
    # kills `error_msg.id != "run.checking_start"`: the checking sentence would stay as the failed run's error
    run = _left_launching(130.0)
    store = RunStore(paths.history_path())
    store.update(run, error=msg("run.checking_start", "Checking whether the job started: {cause}",
                                cause="Vertex AI did not answer."))
    cli = other_process(fast_config(), LocalBackend(poll_seconds=0.05))
    [seen] = cli.refresh_active()
    assert (seen.state, seen.error) == (RunState.FAILED, NEVER_CREATED)
    assert seen.detail.get("retryable") is True  # the schedule may try it again
