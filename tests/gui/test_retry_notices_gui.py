"""The tray and the webhook tell a scheduled run's story once (issue 11 item 3): a warning a run raises (a
duplicate job cancelled, the claim bucket created) reaches both; an attempt that will be tried again is not
announced as failed; the scheduler's "retrying" reaches the webhook as well as the tray."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest

from core.control.controller import RunEvent
from core.store.runs import Run, RunState
from tests.support import panel as panel_support
from tests.support.local import fast_config
from tests.support.webhook import WebhookServer

make_panel = panel_support.make_panel  # the fixture
DUPLICATE = ("Vertex AI started this run 2 times (a create it answered late). T4 Panel cancelled the extra job at "
             "once (1002) and follows the first.")


@pytest.fixture
def hook():
    with WebhookServer() as server:
        yield server


@pytest.fixture
def panel(hook, make_panel):  # the hook outlives the panel: nothing it posts on the way out is lost
    cfg = fast_config(seconds=0.2, display_name="nightly")
    cfg.notifications.webhook_url = hook.url
    app = make_panel(cfg)
    app.hook = hook
    return app


def _run(**changes) -> Run:
    run = Run(id="r0123456789abcdef012", backend="vertex", state=RunState.FAILED, display_name="nightly",
              created=datetime(2026, 6, 1, 1, 0, tzinfo=UTC), occurrence=datetime(2026, 6, 1, 1, 0, tzinfo=UTC),
              trigger="schedule", error="Resources are insufficient in region: us-central1.",
              detail={"retryable": True, "retry_kind": "capacity"})
    return replace(run, **changes)


def test_a_runs_warning_reaches_the_tray_and_the_webhook(qtbot, panel):
    with qtbot.waitSignal(panel.tray.notified, timeout=5000) as shown:
        panel.core.controller._emit(RunEvent("notice", _run(state=RunState.QUEUED), text=DUPLICATE))
    assert shown.args[1] == DUPLICATE
    qtbot.waitUntil(lambda: len(panel.hook.posts) == 1, timeout=5000)
    assert panel.hook.posts[0].body["text"] == f"T4 Panel: run r0123456789abcdef012. {DUPLICATE}"


def test_an_attempt_that_will_be_retried_is_not_announced(qtbot, panel):
    with qtbot.assertNotEmitted(panel.tray.notified, wait=800):
        panel.core.controller._emit(RunEvent("finished", _run()))
    assert panel.hook.posts == []
    final = _run(detail={"retryable": False, "gave_up": True})  # the last attempt: its end is the result
    with qtbot.waitSignal(panel.tray.notified, timeout=5000) as shown:
        panel.core.controller._emit(RunEvent("finished", final))
    assert shown.args[2] is True  # a failure
    qtbot.waitUntil(lambda: len(panel.hook.posts) == 1, timeout=5000)
    assert panel.hook.posts[0].body["text"].startswith("T4 Panel: nightly failed.")


def test_the_schedulers_retrying_reaches_the_webhook_once(qtbot, panel):
    with qtbot.waitSignal(panel.tray.notified, timeout=5000):
        panel.schedulerNotice.emit("Scheduled run retrying", "The run of 06-01 01:00 needs another attempt.")
    qtbot.waitUntil(lambda: len(panel.hook.posts) == 1, timeout=5000)
    qtbot.wait(300)
    assert [p.body["text"] for p in panel.hook.posts] == [
        "T4 Panel: Scheduled run retrying. The run of 06-01 01:00 needs another attempt."]
