"""End-of-run messages: the sentence shown in the tray, and the optional Slack-compatible webhook."""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING

from core.store.config import NotificationsConfig
from core.store.runs import Run, RunState

if TYPE_CHECKING:
    from core.control.controller import RunEvent

log = logging.getLogger(__name__)
WEBHOOK_TIMEOUT = 5.0


def should_notify(run: Run, cfg: NotificationsConfig) -> bool:
    if run.state == RunState.SUCCEEDED:
        return cfg.on_success
    return cfg.on_failure  # failed, cancelled, expired: the operator wants to know


def duration_text(run: Run) -> str:
    if not run.started or not run.ended:
        return ""
    seconds = int((run.ended - run.started).total_seconds())
    if seconds < 60:
        return f"{seconds} s"
    hours, rest = divmod(seconds, 3600)
    return f"{hours} h {rest // 60} min" if hours else f"{rest // 60} min {rest % 60} s"


def summary(run: Run) -> tuple[str, str]:
    """(title, message) for a finished run. Only names, states, times and cost: never a secret."""
    name = run.display_name or "The job"
    took = duration_text(run)
    cost = f", about ${run.cost_usd:.2f}" if run.cost_usd is not None else ""
    where = "on this computer" if run.backend == "local" else "on Vertex AI"
    if run.state == RunState.SUCCEEDED:
        return (f"{name} finished", f"Run {run.id} succeeded {where}" + (f" in {took}" if took else "") + f"{cost}.")
    if run.state == RunState.CANCELLED:
        return (f"{name} cancelled", f"Run {run.id} was cancelled{cost}.")
    reason = f" {run.error}" if run.error else ""
    return (f"{name} failed", f"Run {run.id} ended {run.state.value.lower()} {where}.{reason}")


def post_webhook(url: str, run: Run, timeout: float = WEBHOOK_TIMEOUT) -> bool:
    """POST {"text": ...} to a Slack-compatible webhook. Returns whether it was accepted; never raises."""
    title, message = summary(run)
    return post_webhook_text(url, f"T4 Panel: {title}. {message}", timeout)


def post_webhook_text(url: str, text: str, timeout: float = WEBHOOK_TIMEOUT) -> bool:
    """POST {"text": text} to a Slack-compatible webhook. Returns whether it was accepted; never raises."""
    import urllib.request  # only when a webhook is set: it is slow to import on the way to the window

    body = json.dumps({"text": text}).encode("utf-8")
    request = urllib.request.Request(url, data=body, headers={"Content-Type": "application/json"}, method="POST")
    try:
        # Any scheme is fine: the URL is the operator's own setting, not outside input.
        with urllib.request.urlopen(request, timeout=timeout) as response:
            status: int = response.status
            return 200 <= status < 300
    # never let a webhook break the app; the URL itself is not logged (it is a secret-ish token)
    except Exception as exc:  # noqa: BLE001
        log.warning("webhook post failed: %s", type(exc).__name__)
        return False


def post_webhook_async(url: str, run: Run) -> threading.Thread:
    thread = threading.Thread(target=post_webhook, args=(url, run), name="webhook", daemon=True)
    thread.start()
    return thread


def webhook_subscriber(webhook_url: Callable[[], str]) -> Callable[[RunEvent], None]:
    """A controller subscriber that posts each finished run, and each warning a run raised (a duplicate job
    cancelled, the claim bucket created), to the webhook (if one is set), off-thread.

    An attempt that will be tried again is not posted: the scheduler says "retrying" once, then the result.
    Cloud runs are left out: `t4panel fire` in the cloud posts those once, and a desktop that follows one
    must not post it again."""
    from core.control.attempts import awaiting_retry

    def on_event(event: RunEvent) -> None:
        if event.kind not in ("finished", "notice") or event.run.trigger == "cloud":
            return
        if event.kind == "finished" and awaiting_retry(event.run):
            return
        url = webhook_url()
        if not url:
            return
        if event.kind == "finished":
            post_webhook_async(url, event.run)
        else:
            post_text_async(url, f"T4 Panel: run {event.run.id}. {event.text}")

    return on_event


def post_text_async(url: str, text: str) -> threading.Thread:
    thread = threading.Thread(target=post_webhook_text, args=(url, text), name="webhook", daemon=True)
    thread.start()
    return thread


def notice_poster(webhook_url: Callable[[], str]) -> Callable[[str, str], None]:
    """`post(title, message)` for the scheduler's notices (retrying, blocked, missed, ...): to the webhook."""

    def post(title: str, message: str) -> None:
        try:
            url = webhook_url()
        except Exception:  # noqa: BLE001 - unreadable settings: the notice still reaches the tray or log
            return
        if url:
            post_text_async(url, f"T4 Panel: {title}. {message}")

    return post
