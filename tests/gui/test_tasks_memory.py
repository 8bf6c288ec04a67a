"""Finished background tasks are freed, with everything their closures hold (the soak's leak)."""

from __future__ import annotations

import gc
import threading
import weakref

from PySide6.QtCore import QObject, Signal

from gui.tasks import Tasks


class _Source(QObject):
    event = Signal(object)


class _Payload:
    """Stands for a Run held by a task's closure."""


def test_tasks_started_from_run_events_are_freed_once_done(qtbot):
    tasks = Tasks()
    source = _Source()
    results: list[object] = []
    payloads: list[weakref.ref[_Payload]] = []

    def emit() -> None:
        payload = _Payload()
        payloads.append(weakref.ref(payload))
        source.event.emit(payload)

    # as AppCore does: run events arrive from watcher threads, their slots start tasks on the pool
    source.event.connect(lambda payload: tasks.run(lambda: payload, results.append))
    for i in range(40):
        emitter = threading.Thread(target=emit)
        emitter.start()
        emitter.join()
        qtbot.waitUntil(lambda i=i: len(results) > i, timeout=5_000)
    assert tasks.wait_idle(5_000)
    results.clear()
    qtbot.wait(50)  # the relays' deleteLater
    gc.collect()
    assert [ref for ref in payloads if ref() is not None] == []
