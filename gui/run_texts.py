"""Operator words for runs and times, in the app's language: states, lengths, the next run, notifications.

core/ speaks English only (the CLI and the daemon use it); the window and the tray use these instead of
core's sentences so Korean operators read Korean. Each mirrors the core function named in its docstring.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, tzinfo
from zoneinfo import ZoneInfo

from PySide6.QtCore import QCoreApplication, QDate, QLocale

from core.store.runs import Run, RunState


def zone_of(tz: str | tzinfo | None) -> tzinfo:
    """core.schedule.plan.zone_of without importing APScheduler on the way to the window."""
    if tz is None:
        return UTC
    return ZoneInfo(tz) if isinstance(tz, str) else tz


def state_text(state: RunState, backend: str = "vertex") -> str:
    """Plain words for a state (dashboard.state_text, translated). This computer never waits for a GPU:
    its queued and pending states read "Starting…"."""
    if backend == "local" and state in (RunState.QUEUED, RunState.PENDING):
        state = RunState.LAUNCHING
    words = {
        RunState.LAUNCHING: QCoreApplication.translate("RunState", "Starting…"),
        RunState.QUEUED: QCoreApplication.translate("RunState", "Queued"),
        RunState.PENDING: QCoreApplication.translate("RunState", "Waiting for a GPU"),
        RunState.RUNNING: QCoreApplication.translate("RunState", "Running"),
        RunState.CANCELLING: QCoreApplication.translate("RunState", "Cancelling…"),
        RunState.SUCCEEDED: QCoreApplication.translate("RunState", "Succeeded"),
        RunState.FAILED: QCoreApplication.translate("RunState", "Failed"),
        RunState.CANCELLED: QCoreApplication.translate("RunState", "Cancelled"),
        RunState.EXPIRED: QCoreApplication.translate("RunState", "Expired"),
        RunState.PAUSED: QCoreApplication.translate("RunState", "Paused"),
        RunState.UPDATING: QCoreApplication.translate("RunState", "Updating"),
        RunState.PARTIALLY_SUCCEEDED: QCoreApplication.translate("RunState", "Partly succeeded"),
    }
    return words[state]


def run_length_text(run: Run) -> str:
    """How long a run took: "42 s", "41 min 5 s", "1 h 12 min" (core.app.notify.duration_text, translated)."""
    if not run.started or not run.ended:
        return ""
    return seconds_text((run.ended - run.started).total_seconds())


def seconds_text(seconds: float) -> str:
    """The one way a run's length reads, everywhere: "20 s", "41 min 5 s", "1 h 12 min" (never "0 min")."""
    seconds = max(0, int(seconds))
    if seconds < 60:
        return QCoreApplication.translate("TimeText", "%1 s").replace("%1", str(seconds))
    hours, rest = divmod(seconds, 3600)
    if hours:
        text = QCoreApplication.translate("TimeText", "%1 h %2 min")
        return text.replace("%1", str(hours)).replace("%2", str(rest // 60))
    text = QCoreApplication.translate("TimeText", "%1 min %2 s")
    return text.replace("%1", str(rest // 60)).replace("%2", str(rest % 60))


# The operator's zone: the schedule's, set by the app when the config loads. Until then (and in tests that
# set none) times read in this computer's zone. Every time a page shows goes through `when_text`/`clock_text`.
_operator_zone: tzinfo | None = None


def set_operator_zone(tz: str | tzinfo | None) -> None:
    """Show times in `tz` from now on (None: this computer's zone). An unknown name keeps the computer's."""
    global _operator_zone
    try:
        _operator_zone = zone_of(tz) if tz else None
    except (KeyError, ValueError):  # ZoneInfoNotFoundError is a KeyError; a bad name is marked on its page
        _operator_zone = None


def operator_zone() -> tzinfo | None:
    return _operator_zone


def _in_zone(when: datetime, tz: str | tzinfo | None) -> datetime:
    zone = zone_of(tz) if tz else _operator_zone
    return when.astimezone(zone) if zone is not None else when.astimezone()


def when_text(when: datetime, tz: str | tzinfo | None = None) -> str:
    """A date and time with its zone, in the operator's zone unless `tz` is given: "2026-11-30 10:18 KST"."""
    local = _in_zone(when, tz)
    return f"{local:%Y-%m-%d %H:%M} {local.tzname()}"


def clock_text(when: datetime, tz: str | tzinfo | None = None, zone: bool = False) -> str:
    """A time of day in the operator's zone, "10:18:05" ("10:18:05 KST" with `zone`), for logs and timelines."""
    local = _in_zone(when, tz)
    return f"{local:%H:%M:%S} {local.tzname()}" if zone else f"{local:%H:%M:%S}"


def zone_name(when: datetime | None = None) -> str:
    """The short name of the operator's zone at `when` (now by default): "KST", "CET"."""
    return _in_zone(when or datetime.now(UTC), None).tzname() or ""


def duration_text(delta: timedelta) -> str:
    """"9 h 12 min", "2 d 3 h", "12 min", "less than a minute" (core.schedule.plan.duration_text, translated)."""
    minutes = int(delta.total_seconds() // 60)
    if minutes < 1:
        return QCoreApplication.translate("TimeText", "less than a minute")
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    if days and hours:
        return QCoreApplication.translate("TimeText", "%1 d %2 h").replace("%1", str(days)).replace("%2", str(hours))
    if days:
        return QCoreApplication.translate("TimeText", "%1 d").replace("%1", str(days))
    if hours and mins:
        return QCoreApplication.translate("TimeText", "%1 h %2 min").replace("%1", str(hours)).replace("%2", str(mins))
    if hours:
        return QCoreApplication.translate("TimeText", "%1 h").replace("%1", str(hours))
    return QCoreApplication.translate("TimeText", "%1 min").replace("%1", str(mins))


def _short_date(local: datetime) -> str:
    # A Qt date pattern, itself translated: "ddd d MMM" reads "Tue 1 Dec", Korean "12월 1일 (화)".
    pattern = QCoreApplication.translate("TimeText", "ddd d MMM")
    return QLocale().toString(QDate(local.year, local.month, local.day), pattern)


def local_text(when_utc: datetime, tz: str | tzinfo | None) -> str:
    """"Tue 1 Dec 01:00 KST" (core.schedule.plan.local_text, translated)."""
    local = when_utc.astimezone(zone_of(tz))
    return f"{_short_date(local)} {local:%H:%M} {local.tzname()}"


def describe_next(now_utc: datetime, next_utc: datetime | None, tz: str | tzinfo | None) -> str:
    """"tomorrow 01:00 KST, in 9 h 12 min" (core.schedule.plan.describe_next, translated)."""
    if next_utc is None:
        return QCoreApplication.translate("TimeText", "No scheduled run")
    zone = zone_of(tz)
    local = next_utc.astimezone(zone)
    days_ahead = (local.date() - now_utc.astimezone(zone).date()).days
    if days_ahead == 0:
        day = QCoreApplication.translate("TimeText", "today")
    elif days_ahead == 1:
        day = QCoreApplication.translate("TimeText", "tomorrow")
    elif 1 < days_ahead < 7:
        day = QLocale().dayName(local.isoweekday(), QLocale.FormatType.LongFormat)
    else:
        day = _short_date(local)
    wait = next_utc - now_utc
    if wait.total_seconds() < 60:
        when = QCoreApplication.translate("TimeText", "now")
    else:
        when = QCoreApplication.translate("TimeText", "in %1").replace("%1", duration_text(wait))
    return (QCoreApplication.translate("TimeText", "%1 %2, %3")
            .replace("%1", day).replace("%2", f"{local:%H:%M} {local.tzname()}").replace("%3", when))


def trigger_text(trigger: str) -> str:
    """What started a run: Run Now, the schedule, or a catch-up after a missed time."""
    return {
        "manual": QCoreApplication.translate("RunTrigger", "Run Now"),
        "schedule": QCoreApplication.translate("RunTrigger", "Schedule"),
        "catch-up": QCoreApplication.translate("RunTrigger", "Catch-up"),
    }.get(trigger, trigger)


def summary(run: Run) -> tuple[str, str]:
    """(title, message) of the end-of-run notification (core.app.notify.summary, translated; never a secret)."""
    name = run.display_name or QCoreApplication.translate("RunSummary", "The job")
    took = run_length_text(run)
    cost = "" if run.cost_usd is None else QCoreApplication.translate("RunSummary", ", about $%1").replace(
        "%1", f"{run.cost_usd:.2f}")
    local = run.backend == "local"
    if run.state == RunState.SUCCEEDED:
        title = QCoreApplication.translate("RunSummary", "%1 finished").replace("%1", name)
        if local:
            text = QCoreApplication.translate("RunSummary", "Run %1 succeeded on this computer")
        else:
            text = QCoreApplication.translate("RunSummary", "Run %1 succeeded on Vertex AI")
        text = text.replace("%1", run.id)
        if took:
            text += QCoreApplication.translate("RunSummary", " in %1").replace("%1", took)
        return title, text + cost + "."
    if run.state == RunState.CANCELLED:
        return (QCoreApplication.translate("RunSummary", "%1 cancelled").replace("%1", name),
                QCoreApplication.translate("RunSummary", "Run %1 was cancelled").replace("%1", run.id) + cost + ".")
    title = QCoreApplication.translate("RunSummary", "%1 failed").replace("%1", name)
    if local:
        text = QCoreApplication.translate("RunSummary", "Run %1 ended (%2) on this computer.")
    else:
        text = QCoreApplication.translate("RunSummary", "Run %1 ended (%2) on Vertex AI.")
    text = text.replace("%1", run.id).replace("%2", state_text(run.state))
    from gui.core_text import run_error_text

    error = run_error_text(run)
    return title, text + (f" {error}" if error else "")
