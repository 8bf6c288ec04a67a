"""The cloud schedule's facts in the operator's words: what it costs a month, and what the project holds."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from PySide6.QtCore import QCoreApplication


def _t(text: str) -> str:
    return QCoreApplication.translate("CloudTexts", text)


def _usd(amount: float) -> str:
    from gui.i18n import format_usd

    return format_usd(amount)


def cost_text(cost: Any) -> str:
    """core.cost.cloud.CloudCost as a few plain lines (rich text)."""
    lines = [_t("<b>What it costs a month</b> (estimate; the GPU run itself is billed as before):")]
    lines.append(_t("Cloud Scheduler: %1 (one job; the first 3 jobs of a billing account are free)").replace(
        "%1", _usd(cost.scheduler_usd)))
    lines.append(_t("Cloud Run, while it waits for a run of %1 min: %2 vCPU-seconds and %3 GiB-seconds, %4")
                 .replace("%1", str(cost.run_minutes)).replace("%2", f"{cost.vcpu_seconds:,.0f}")
                 .replace("%3", f"{cost.gib_seconds:,.0f}").replace("%4", _usd(cost.run_usd)))
    lines.append(_t("Secret Manager (2 keys): %1").replace("%1", _usd(cost.secrets_usd)))
    lines.append(_t("Claim bucket (one small file a day): %1").replace("%1", _usd(cost.bucket_usd)))
    if cost.within_free_tier:
        lines.append(_t("Inside the free tier for one daily run: Cloud Run gives %1 vCPU-seconds and %2 GiB-seconds "
                        "free each month. Total: %3 a month.")
                     .replace("%1", f"{cost.free_vcpu_seconds:,.0f}").replace("%2", f"{cost.free_gib_seconds:,.0f}")
                     .replace("%3", _usd(cost.total_usd)))
    else:
        lines.append(_t("Total: about %1 a month.").replace("%1", _usd(cost.total_usd)))
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
        lines.append(_t("⚠ Part of the cloud schedule is missing in project %1 (%2). Turn the switch off and on "
                        "again to repair it.").replace("%1", status.project).replace("%2", names))
    if status.config_differs:
        warn = True
        lines.append(_t("⚠ The cloud's copy of the settings differs from this computer's. Save the settings again "
                        "(Job or Schedule page) to update it."))
    if status.missed:
        warn = True
        lines.append(_t("⚠ Missed in Google Cloud: the start at %1 did not reach the job (%2). See the Cloud "
                        "Scheduler page of project %3.").replace("%1", _when(status.last_attempt, zone) or "?")
                     .replace("%2", status.last_status or "").replace("%3", status.project))
    if status.paused:
        warn = True
        lines.append(_t("⚠ The Cloud Scheduler job is paused: no run starts until it is resumed."))
    if status.next_fire and not status.paused:
        lines.append(_t("Next start in Google Cloud: %1").replace("%1", _when(status.next_fire, zone)))
    if not warn and status.last_attempt:
        lines.append(_t("Last start in Google Cloud: %1, fine.").replace("%1", _when(status.last_attempt, zone)))
    return "<br>".join(lines), warn


def _known(key: str) -> bool:
    from core.app.cloud_setup import STEP_KEYS

    return key in STEP_KEYS
