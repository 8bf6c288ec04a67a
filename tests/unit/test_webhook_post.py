"""The controller every front end builds (services.build_controller: GUI, CLI, daemon) posts each
finished run to the webhook once, with a Slack-compatible body that carries no secret."""

from __future__ import annotations

import time

from core.app import services
from core.backends.local import LocalBackend
from core.store.runs import RunState
from core.store.secrets import SUPABASE_KEY, SUPABASE_URL, SecretStore
from tests.support.local import fast_config
from tests.support.webhook import WebhookServer

KEY = "eyJhbGciOiJIUzI1NiJ9.service-role-secret"


def _controller(cfg):
    store = SecretStore(session_only=True)
    store.set(SUPABASE_URL, "http://127.0.0.1:9/")  # nothing listens: the job only sees the pair
    store.set(SUPABASE_KEY, KEY)
    backend = LocalBackend(poll_seconds=0.05)
    return services.build_controller(lambda: cfg, secret_store=store, backend_factory=lambda name: backend)


def _posts_after(hook, at_least: int, seconds: float = 10.0):
    deadline = time.monotonic() + seconds
    while len(hook.posts) < at_least and time.monotonic() < deadline:
        time.sleep(0.02)
    time.sleep(0.5)  # room for a duplicate to arrive
    return hook.posts


def test_the_daemons_controller_posts_a_finished_run_once_without_secrets():
    with WebhookServer() as hook:
        cfg = fast_config(seconds=0.2, display_name="nightly-predict", inject_supabase=True)
        cfg.notifications.webhook_url = hook.url
        controller = _controller(cfg)
        run = controller.launch("manual")
        done = controller.wait(run.id, timeout=20)
        posts = _posts_after(hook, 1)
        controller.shutdown()
    assert done.state == RunState.SUCCEEDED
    [post] = posts
    assert post.content_type == "application/json" and set(post.body) == {"text"}
    assert post.body["text"].startswith(
        f"T4 Panel: nightly-predict finished. Run {run.id} succeeded on this computer in ")
    assert KEY not in post.body["text"] and "127.0.0.1:9" not in post.body["text"]


def test_no_webhook_address_means_no_post():
    with WebhookServer() as hook:
        cfg = fast_config(seconds=0.1)
        controller = _controller(cfg)
        run = controller.launch("manual")
        assert controller.wait(run.id, timeout=20).state == RunState.SUCCEEDED
        posts = _posts_after(hook, 1, seconds=1.0)
        controller.shutdown()
    assert posts == []
