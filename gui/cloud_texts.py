"""The cloud schedule's facts in the operator's words: what it costs a month, and what the project holds."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from PySide6.QtCore import QCoreApplication

T = QCoreApplication


def _fill(template: str, *values: object) -> str:
    """Put values in for %1, %2, ... (Qt's own placeholders, which translators keep in place)."""
    for n, value in reversed(list(enumerate(values, start=1))):  # %1 must not eat the start of %10
        template = template.replace(f"%{n}", str(value))
    return template


def _usd(amount: float) -> str:
    from gui.i18n import format_usd

    return format_usd(amount)


def cost_text(cost: Any) -> str:
    """core.cost.cloud.CloudCost as a few plain lines (rich text): each item with its monthly price, whether
    the Cloud Run part stays inside the free tier (with the figures), and the total."""
    from gui.core_text import message_text

    free = T.translate("CloudTexts", "free")
    lines = [T.translate("CloudTexts", "<b>What running in Google Cloud costs a month</b> (estimate, on top of the "
                                       "GPU runs, which cost the same as before):")]
    for item, usd in cost.lines:
        lines.append(f"• {message_text(item)}: {_usd(usd) if usd >= 0.005 else free}")
    if cost.within_free_tier:
        lines.append("<b>" + T.translate("CloudTexts", "Inside the free tier for one daily run.") + "</b> "
                     + message_text(cost.free_tier))
    elif cost.free_tier is not None:
        lines.append(message_text(cost.free_tier))
    lines.append(_fill(T.translate("CloudTexts", "Total: about %1 a month."), _usd(cost.total_usd)))
    return "<br>".join(lines)


def _when(iso_text: str | None, zone: str) -> str:
    from gui.run_texts import local_text

    if not iso_text:
        return ""
    try:
        when = datetime.fromisoformat(iso_text.replace("Z", "+00:00"))
    except ValueError:
        return iso_text
    return local_text(when, zone)


def status_text(status: Any, zone: str) -> tuple[str, bool]:
    """core.app.cloud_setup.CloudStatus as (rich text, whether it needs the operator's attention)."""
    from core.app.cloud_setup import step_title
    from gui.core_text import message_text

    lines: list[str] = []
    warn = False
    missing = [key for key, there in status.resources.items() if not there]
    if missing:
        warn = True
        names = ", ".join(message_text(step_title(key)) if _known(key) else key for key in missing)
        lines.append(_fill(T.translate("CloudTexts", "⚠ Part of the cloud schedule is missing in project %1 (%2). "
                                                     "Turn the switch off and on again to repair it."),
                           status.project, names))
    if status.config_differs:
        warn = True
        lines.append(T.translate("CloudTexts", "⚠ The cloud's copy of the settings differs from this computer's. "
                                               "Save the settings again (Job or Schedule page) to update it."))
    if status.missed:
        warn = True
        lines.append(_fill(T.translate("CloudTexts", "⚠ Missed in Google Cloud: the start at %1 did not reach the "
                                                     "job (%2). See the Cloud Scheduler page of project %3."),
                           _when(status.last_attempt, zone) or "?", status.last_status or "", status.project))
    if status.paused:
        warn = True
        lines.append(T.translate("CloudTexts", "⚠ The Cloud Scheduler job is paused: no run starts until it is "
                                               "resumed."))
    if status.next_fire and not status.paused:
        lines.append(_fill(T.translate("CloudTexts", "Next start in Google Cloud: %1"), _when(status.next_fire, zone)))
    if not warn and status.last_attempt:
        lines.append(_fill(T.translate("CloudTexts", "Last start in Google Cloud: %1, fine."),
                           _when(status.last_attempt, zone)))
    return "<br>".join(lines), warn


def _known(key: str) -> bool:
    from core.app.cloud_setup import STEP_KEYS

    return key in STEP_KEYS
