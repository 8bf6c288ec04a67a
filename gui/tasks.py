"""Run blocking core calls off the UI thread and get their results back as Qt signals."""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QThreadPool, Signal

log = logging.getLogger(__name__)


class _Relay(QObject):
    """Lives on the UI thread; its signals carry a worker's outcome back there.

    Signals:
        done(object): the callable's return value.
        failed(object): the exception it raised.
    """

    done = Signal(object)
    failed = Signal(object)


class _Job:
    """One call on a pool thread. A plain callable, not a QRunnable subclass: PySide6 6.11 keeps Python
    QRunnables handed to QThreadPool.start alive after they ran (seen for tasks started in slots of queued
    signals), with the closure and whatever it holds: the soak's leak, about three a run, each with a Run."""

    def __init__(self, fn: Callable[[], Any], relay: _Relay) -> None:
        self.fn = fn
        self.relay = relay

    def __call__(self) -> None:
        try:
            result = self.fn()
        except BaseException as exc:  # noqa: BLE001 - any failure in a worker is carried to the UI (title/message)
            log.debug("background task failed:\n%s", traceback.format_exc())
            self._deliver(self.relay.failed, exc)
        else:
            self._deliver(self.relay.done, result)

    @staticmethod
    def _deliver(signal: Any, value: Any) -> None:
        try:
            signal.emit(value)
        except RuntimeError:  # the app is shutting down and the relay is gone: nobody is left to tell
            log.debug("result of a background task dropped at shutdown")


class Tasks(QObject):
    """A small worker pool. `run(fn, on_done, on_error)` calls `fn()` on a worker thread and the
    callbacks on the UI thread. Keep a reference to this object for the app's lifetime."""

    def __init__(self, parent: QObject | None = None, max_threads: int = 4) -> None:
        super().__init__(parent)
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(max_threads)
        self._relays: set[_Relay] = set()
        self._closed = False

    def run(
        self,
        fn: Callable[[], Any],
        on_done: Callable[[Any], None] | None = None,
        on_error: Callable[[BaseException], None] | None = None,
    ) -> None:
        relay = _Relay()  # created on the UI thread, so its slots run there
        self._relays.add(relay)

        def finish() -> None:
            self._relays.discard(relay)
            relay.deleteLater()

        if on_done is not None:
            relay.done.connect(lambda value: None if self._closed else on_done(value))
        if on_error is not None:
            relay.failed.connect(lambda exc: None if self._closed else on_error(exc))
        else:
            relay.failed.connect(lambda exc: log.error("background task failed: %s", exc))
        relay.done.connect(finish)
        relay.failed.connect(finish)
        self.pool.start(_Job(fn, relay))

    def close(self) -> None:
        """From now on results are dropped: the widgets they were meant for may be gone."""
        self._closed = True

    @property
    def pending(self) -> int:
        """Tasks whose result has not reached the UI thread yet (tests wait for 0 instead of sleeping)."""
        return len(self._relays)

    def wait_idle(self, msecs: int = 5000) -> bool:
        """Wait for running tasks (shutdown and tests)."""
        return self.pool.waitForDone(msecs)


class Reload:
    """A view's background load, one at a time: a request while one runs queues exactly one more, so the view
    ends on the newest data and a burst of requests costs two loads, not one each.

    Args:
        tasks: the app's worker pool.
        source: the blocking load; called on a worker thread.
        on_done, on_error: its result or its exception, on the UI thread.
        started: called on the UI thread each time a load starts (a queued one included).
    """

    def __init__(self, tasks: Tasks, source: Callable[[], Any], on_done: Callable[[Any], None],
                 on_error: Callable[[BaseException], None], started: Callable[[], None] = lambda: None) -> None:
        self.tasks, self.source, self.on_done, self.on_error, self.started = tasks, source, on_done, on_error, started
        self.busy = False
        self._again = False

    def request(self) -> None:
        if self.busy:
            self._again = True
            return
        self.busy = True
        self.tasks.run(self.source, self._done, self._failed)
        self.started()

    def _done(self, value: Any) -> None:
        self.on_done(value)
        self._settle()

    def _failed(self, exc: BaseException) -> None:
        self.on_error(exc)
        self._settle()

    def _settle(self) -> None:
        self.busy = False
        if self._again:
            self._again = False
            self.request()
