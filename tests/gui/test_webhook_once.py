"""The GUI posts each finished run to the operator's webhook exactly once (it used to post it twice).

The post comes from the controller's subscriber (core/app/services.py), which the daemon shares; the
window only shows the tray notice. A real Slack-style endpoint on 127.0.0.1 counts what arrives.
"""

from __future__ import annotations

import pytest

from core.store.runs import RunState
from tests.support import panel as panel_support
from tests.support.local import fast_config
from tests.support.webhook import WebhookServer

make_panel = panel_support.make_panel  # the fixture


@pytest.fixture
def hook():
    with WebhookServer() as server:
        yield server


def _settle(qtbot, hook, at_least: int) -> None:
    """Wait for `at_least` posts, then long enough for any duplicate (both came from one event) to land."""
    qtbot.waitUntil(lambda: len(hook.posts) >= at_least, timeout=15_000)
    qtbot.wait(1500)


def test_one_run_now_gives_one_webhook_post_with_the_run_in_words(qtbot, make_panel, hook):
    cfg = fast_config(seconds=0.2, display_name="nightly-predict")
    cfg.notifications.webhook_url = hook.url
    panel = make_panel(cfg)
    with qtbot.waitSignal(panel.tray.notified, timeout=20_000):
        panel.run_now()
    _settle(qtbot, hook, 1)

    [run] = panel.core.controller.store.recent()
    assert run.state == RunState.SUCCEEDED
    [post] = hook.posts
    assert post.path == "/services/T000/B000/hooktoken" and post.content_type == "application/json"
    assert set(post.body) == {"text"}
    text = post.body["text"]
    assert text.startswith(f"T4 Panel: nightly-predict finished. Run {run.id} succeeded on this computer in ")
    assert "hooktoken" not in text


def test_two_runs_give_two_posts_a_failure_says_so(qtbot, make_panel, hook):
    cfg = fast_config(seconds=0.2, exit_code=3, display_name="nightly-predict")
    cfg.notifications.webhook_url = hook.url
    panel = make_panel(cfg)
    for expected in (1, 2):
        with qtbot.waitSignal(panel.tray.notified, timeout=20_000):
            panel.run_now()
        _settle(qtbot, hook, expected)
        assert len(hook.posts) == expected
    runs = panel.core.controller.store.recent()
    assert {r.state for r in runs} == {RunState.FAILED}
    assert sorted(p.body["text"].split(" ")[5] for p in hook.posts) == sorted(r.id for r in runs)
    assert all(p.body["text"].startswith("T4 Panel: nightly-predict failed. Run ") for p in hook.posts)
