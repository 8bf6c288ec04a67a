"""Cancel and the run id the operator types (`t4panel cancel r3f8`), in-process.

Found by the mutation run (docs/testing.md): only the CLI's child-process tests reached these, which mutmut
cannot see. Real RunController and LocalBackend.
"""

from __future__ import annotations

import threading
import time

import pytest
from PySide6.QtCore import QLocale

from core.backends.local import LocalBackend
from core.control.controller import _Status
from core.errors import T4Error
from core.store.runs import RunState
from tests.support.local import controller, fast_config


def test_cancel_by_a_unique_prefix_ends_the_run_cancelled():
    ctl = controller(fast_config(seconds=30))
    run = ctl.launch()
    asked = ctl.cancel(run.id[:6])
    assert asked.id == run.id and asked.state == RunState.CANCELLING
    done = ctl.wait(run.id, timeout=20)
    ctl.shutdown()
    assert done.state == RunState.CANCELLED
    states = [s for s, _ in ctl.store.state_changes(run.id)]
    assert RunState.CANCELLING in states and states[-1] == RunState.CANCELLED


def test_cancel_of_an_ended_run_says_so():
    ctl = controller(fast_config(seconds=0.1))
    run = ctl.launch()
    ctl.wait(run.id, timeout=20)
    with pytest.raises(T4Error) as err:
        ctl.cancel(run.id)
    ctl.shutdown()
    assert (err.value.title, err.value.message) == ("Nothing to cancel", f"Run {run.id} already ended (succeeded).")


def test_cancel_while_the_job_is_still_being_created_asks_to_try_again():
    go = threading.Event()

    class SlowStart(LocalBackend):
        def launch(self, request):  # type: ignore[no-untyped-def]
            go.wait(20)
            return super().launch(request)

    ctl = controller(fast_config(seconds=0.1))
    slow = SlowStart(poll_seconds=0.05)
    ctl.backend_factory = lambda name: slow
    launcher = threading.Thread(target=ctl.launch)
    launcher.start()
    try:
        while not ctl.store.recent():
            threading.Event().wait(0.01)
        with pytest.raises(T4Error) as err:
            ctl.cancel(ctl.store.recent()[0].id)
    finally:
        go.set()
        launcher.join(20)
    ctl.wait(ctl.store.recent()[0].id, timeout=20)
    ctl.shutdown()
    assert (err.value.title, err.value.message) == (
        "Not yet", "This run is still being started; try Cancel again in a moment.")


def test_run_ids_exact_prefix_unknown_and_ambiguous():
    ctl = controller(fast_config(seconds=0.1))
    runs = []
    for _ in range(2):
        runs.append(ctl.launch())
        ctl.wait(runs[-1].id, timeout=20)
    ctl.shutdown()
    assert ctl.resolve(runs[0].id).id == runs[0].id
    assert ctl.resolve(runs[1].id[:12]).id == runs[1].id
    with pytest.raises(T4Error) as unknown:
        ctl.resolve("rzzzz")
    assert (unknown.value.title, unknown.value.message) == (
        "Unknown run", 'No run has the id "rzzzz". `t4panel status` lists the recent runs.')
    with pytest.raises(T4Error) as ambiguous:
        ctl.resolve("r")  # every run id starts with r
    assert (ambiguous.value.title, ambiguous.value.message) == (
        "Ambiguous run id", '"r" matches several runs; give more of the id.')
    with pytest.raises(T4Error, match="No run has the id"):
        ctl.resolve("")


def test_an_ambiguous_run_id_is_titled_in_korean_in_the_window():
    # kills a changed title id (run_id.ambiguous.title): the window translates by id, and an unknown id
    # shows core's English in a Korean window
    from gui.core_text import message_text

    ctl = controller(fast_config(seconds=0.1))
    for _ in range(2):
        ctl.wait(ctl.launch().id, timeout=20)
    ctl.shutdown()
    with pytest.raises(T4Error) as ambiguous:
        ctl.resolve("r")
    before = QLocale()
    QLocale.setDefault(QLocale("ko_KR"))
    try:
        title, sentence = message_text(ambiguous.value.title_msg), message_text(ambiguous.value.msg)
    finally:
        QLocale.setDefault(before)
    assert title == "실행 ID가 모호합니다"
    assert sentence == '"r"에 해당하는 실행이 여러 개입니다. ID를 더 길게 입력하세요.'


def test_a_poll_that_still_says_running_does_not_undo_a_cancel_in_flight():
    # Cancel asked while the job was still PENDING; the watcher's next poll (sent before the cancel took
    # effect) answers RUNNING. The Dashboard must keep "Cancelling", not flip back to "Running".
    ctl = controller(fast_config(seconds=30))
    run = ctl.launch()
    deadline = time.monotonic() + 20
    while ctl.store.get(run.id).state != RunState.RUNNING and time.monotonic() < deadline:
        time.sleep(0.02)
    pending = ctl.store.update(ctl.store.get(run.id), state=RunState.PENDING)  # the watcher's copy before the poll
    ctl.store.update(pending, state=RunState.CANCELLING)  # the operator's cancel, recorded meanwhile
    recorded, ended = ctl._record(pending, _Status(RunState.RUNNING, pending.started))  # the late poll's answer
    assert (recorded.state, ended) == (RunState.CANCELLING, False)
    assert ctl.store.get(run.id).state == RunState.CANCELLING
    ctl.cancel(run.id)
    assert ctl.wait(run.id, timeout=20).state == RunState.CANCELLED
    ctl.shutdown()
