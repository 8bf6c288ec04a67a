"""A scheduled run's attempts in words: where each ran, why the next moved ("attempt 2 of the 01:00 run: no T4 in
asia-northeast3, trying us-central1 at 01:12"), and what each cost. History and the Cost page show these."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from PySide6.QtCore import QCoreApplication

from core.cost import Place
from core.store.runs import Run, parse_iso
from gui.run_texts import _in_zone


def _hhmm(when: datetime | None) -> str:
    return f"{_in_zone(when, None):%H:%M}" if when is not None else "?"


def mode_text(spot: bool) -> str:
    if spot:
        return QCoreApplication.translate("RunAttempts", "Spot")
    return QCoreApplication.translate("RunAttempts", "on demand")


def place_text(region: str, spot: bool) -> str:
    """ "us-central1, Spot" """
    return f"{region}, {mode_text(spot)}"


def places_text(places: Sequence[Place]) -> str:
    """ "asia-northeast3, Spot: nothing (it never started); then us-central1, on demand: $0.12" """
    parts = []
    for p in places:
        cost = (f"${p.cost:.2f}" if p.cost is not None
                else QCoreApplication.translate("RunAttempts", "nothing (it never started)"))
        part = QCoreApplication.translate("RunAttempts", "%1: %2")
        parts.append(part.replace("%1", place_text(p.region, p.spot)).replace("%2", cost))
    return QCoreApplication.translate("RunAttempts", "; then ").join(parts)


def _why(a: dict[str, Any]) -> str:
    region = str(a.get("region") or "?")
    reason = a.get("reason")
    if reason == "capacity" and a.get("spot"):
        text = QCoreApplication.translate("RunAttempts", "no Spot T4 in %1")
    elif reason == "capacity":
        text = QCoreApplication.translate("RunAttempts", "no T4 in %1")
    elif reason == "preempted":
        text = QCoreApplication.translate("RunAttempts", "Spot was preempted in %1")
    else:
        text = QCoreApplication.translate("RunAttempts", "Vertex AI was busy in %1")
    return text.replace("%1", region)


def attempt_lines(run: Run) -> list[str]:
    """One line per attempt that led to another, oldest first; empty for a run tried once."""
    attempts = [a for a in run.detail.get("attempts", []) if isinstance(a, dict)]
    if not attempts or run.occurrence is None:
        return []
    fired = _hhmm(run.occurrence)
    spec = run.detail.get("spec", {}) if isinstance(run.detail.get("spec"), dict) else {}
    lines = []
    for n, a in enumerate(attempts, 1):
        nxt = attempts[n] if n < len(attempts) else {"region": spec.get("region"), "spot": spec.get("spot"),
                                                     "at": run.detail.get("attempt_at")}
        moved = nxt.get("region") != a.get("region") or bool(nxt.get("spot")) != bool(a.get("spot"))
        where = (place_text(str(nxt.get("region") or "?"), bool(nxt.get("spot"))) if moved
                 else QCoreApplication.translate("RunAttempts", "again"))
        line = QCoreApplication.translate("RunAttempts", "attempt %1 of the %2 run: %3, trying %4 at %5")
        lines.append(line.replace("%1", str(n)).replace("%2", fired).replace("%3", _why(a)).replace("%4", where)
                     .replace("%5", _hhmm(parse_iso(nxt.get("at")))))
    return lines


def waiting_line(run: Run) -> str:
    """ "trying again at 01:12" for a scheduled run between attempts, else ""."""
    next_try = parse_iso(run.detail.get("next_try")) if run.detail.get("retryable") else None
    if next_try is None:
        return ""
    return QCoreApplication.translate("RunAttempts", "trying again at %1").replace("%1", _hhmm(next_try))
