"""For tests of a run's GPU figures and of stall watching: the strict fake Cloud Monitoring with the app's
reader pointed at it and unpaced, what StallWatch uses of the RunController, and a webhook that keeps posts.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest

from core.errors import T4Error
from core.google import monitoring
from core.store.runs import Run, RunState, RunStore
from tests.integration.fakes.monitoring_server import FakeMonitoring
from tests.support.webhook import Post, WebhookServer


@contextmanager
def fake_monitoring(monkeypatch: Any) -> Iterator[FakeMonitoring]:
    """The fake, as T4PANEL_MONITORING_ENDPOINT, with a fresh reader that may read as often as the test asks
    (the app's own pacing is tested in test_run_usage.py)."""
    monkeypatch.setattr(monitoring, "MIN_INTERVAL", 0.0)
    monkeypatch.setattr(monitoring, "_readers", {})
    with FakeMonitoring() as server:
        monkeypatch.setenv("T4PANEL_MONITORING_ENDPOINT", server.endpoint)
        yield server


class Controller:
    """The two things StallWatch uses of the RunController: the real run store, and cancel (recorded)."""

    def __init__(self, store: RunStore) -> None:
        self.store = store
        self.cancelled: list[str] = []

    def cancel(self, run_id: str) -> Run:
        run = self.store.get(run_id)
        if run is None or run.state.terminal:
            raise T4Error("already ended")
        self.cancelled.append(run_id)
        return self.store.update(run, state=RunState.CANCELLING)


@pytest.fixture
def webhook() -> Iterator[tuple[str, list[Post]]]:
    """(the webhook address to configure, the posts it received). Import it into a test module to use it."""
    with WebhookServer() as hook:
        yield hook.url, hook.posts
