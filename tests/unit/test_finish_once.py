"""A run is finished once: hooks, cost and the webhook's "finished" event come from the watcher that wrote
its end, never again from a second watcher (a re-attach racing the first's exit) or from `status`."""

from __future__ import annotations

import threading
import time

from core.control.controller import RunController
from core.store.runs import RunState
from tests.support.local import controller, fast_config


def _finished(ctl: RunController) -> list[str]:
    seen: list[str] = []
    lock = threading.Lock()

    def on(event) -> None:
        if event.kind == "finished":
            with lock:
                seen.append(event.run.id)

    ctl.subscribe(on)
    return seen


def test_a_second_watcher_with_a_stale_copy_does_not_finish_the_run_again():
    ctl = controller(fast_config(seconds=2.0))  # RUNNING for long enough to be read even on a busy machine
    finished = _finished(ctl)
    run = ctl.launch()
    deadline = time.monotonic() + 20
    stale = None
    while time.monotonic() < deadline:  # the copy reattach_all reads just before the watcher records the end
        current = ctl.store.get(run.id)
        if current.state == RunState.RUNNING:
            stale = current
            break
        time.sleep(0.02)
    assert stale is not None, "the run never reached RUNNING"
    done = ctl.wait(run.id, timeout=20)
    assert done.state == RunState.SUCCEEDED and finished == [run.id]
    ctl._watch(stale)  # what reattach_all does with the row it read a moment earlier
    ctl.wait(run.id, timeout=20)
    time.sleep(0.5)  # a second finish, if any, is emitted right after the poll
    assert finished == [run.id]
    assert ctl.store.get(run.id).state == RunState.SUCCEEDED


def test_status_in_another_process_does_not_finish_a_run_the_watcher_finished():
    ctl = controller(fast_config(seconds=0.3))
    finished = _finished(ctl)
    run = ctl.launch()
    ctl.wait(run.id, timeout=20)
    other = controller(fast_config(seconds=0.3))  # `t4panel status`: its own controller on the same history
    other_finished = _finished(other)
    assert [r.id for r in other.refresh_active()] == []
    assert finished == [run.id] and other_finished == []
