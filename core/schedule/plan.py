"""Occurrence math for the daily schedule: one trigger shared by preview, catch-up and firing.

Every fire time is computed by `DailyTrigger`, an APScheduler `CronTrigger` in the schedule's IANA zone,
so the Schedule page's preview, the start-up catch-up and APScheduler's own firing always agree.

Daylight-saving policy (the schedule's zone has DST):
- A local time that does not exist on the spring-forward day (02:30 in America/New_York) fires once,
  one hour later by the wall clock (03:30 EDT = the instant 02:30 EST would have been). CronTrigger does
  this with ZoneInfo only when asked from before the gap; `DailyTrigger` gets the same answer from any
  starting point, so a catch-up scan and a restart see the same fire time.
- A local time that happens twice on the fall-back day (01:30 in America/New_York) fires once, at its
  first instance (01:30 EDT). CronTrigger alone would fire twice; `DailyTrigger` drops the repeat.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, tzinfo
from zoneinfo import ZoneInfo

from apscheduler.triggers.cron import CronTrigger

from core.store.config import WEEKDAYS, ScheduleConfig

_ONE_US = timedelta(microseconds=1)
_WALK_BACK = timedelta(hours=26)  # more than a local day, so the walk starts before any DST gap


class DailyTrigger(CronTrigger):  # type: ignore[misc]  # APScheduler 3 ships no type hints, so its base is Any
    """A CronTrigger that fires a repeated local time (DST fall-back) only once, at its first instance."""

    __slots__ = ()

    def get_next_fire_time(self, previous_fire_time: datetime | None, now: datetime) -> datetime | None:
        # As CronTrigger: the first fire time after the previous one (never the same one again), else from now.
        start = now.astimezone(UTC)
        if previous_fire_time is not None:
            after_previous = previous_fire_time.astimezone(UTC) + _ONE_US
            start = after_previous if start < after_previous else min(start, after_previous)
        # CronTrigger finds a local time that does not exist (spring forward) only when asked from before
        # the gap, so walk forward from a day earlier: the answer must not depend on where we start.
        cursor = start - _WALK_BACK
        while True:
            candidate: datetime | None = super().get_next_fire_time(None, cursor.astimezone(self.timezone))
            if candidate is None:
                return None
            at = candidate.astimezone(UTC)
            if at >= start and not _is_repeated_instance(candidate):
                return candidate
            cursor = at + _ONE_US


def _is_repeated_instance(local: datetime) -> bool:
    """True for the second instance (fold=1) of a local time that the clock shows twice."""
    if not local.fold:
        return False
    return local.replace(fold=0).utcoffset() != local.utcoffset()


def signature(cfg: ScheduleConfig) -> str:
    """What decides the fire times (not the catch-up window): a change of it re-plans."""
    days = ",".join(d for d in WEEKDAYS if d in cfg.weekdays)
    return f"{'on' if cfg.enabled else 'off'}|{cfg.time}|{days}|{cfg.timezone}"


def from_signature(text: str) -> ScheduleConfig:
    """The fire-time part of a schedule back from its saved signature (see schedule_plan.signature)."""
    try:
        enabled, hhmm, days, zone = text.split("|", 3)
    except ValueError:
        return ScheduleConfig(enabled=False)
    return ScheduleConfig(enabled=enabled == "on", time=hhmm, weekdays=[d for d in days.split(",") if d],
                          timezone=zone)


def schedule_problems(cfg: ScheduleConfig) -> list[str]:
    """Problems of the schedule alone (the "schedule.*" fields of core.store.config.validate)."""
    from core.store.config import AppConfig, validate

    return [p.message for p in validate(AppConfig(schedule=cfg)) if p.field.startswith("schedule")]


def make_trigger(cfg: ScheduleConfig) -> DailyTrigger | None:
    """The trigger of `cfg`, or None when nothing can fire (no weekday, bad time or zone).

    `enabled` is not looked at here, so the Schedule page can preview a schedule before turning it on.
    """
    days = [d for d in WEEKDAYS if d in cfg.weekdays]
    if not days:
        return None
    try:
        hour_text, minute_text = cfg.time.split(":")
        hour, minute = int(hour_text), int(minute_text)
        zone = ZoneInfo(cfg.timezone)
        return DailyTrigger(hour=hour, minute=minute, second=0, day_of_week=",".join(days), timezone=zone)
    except (ValueError, AttributeError, TypeError, KeyError, OSError):
        return None


def occurrences_between(cfg: ScheduleConfig, start_utc: datetime, end_utc: datetime) -> list[datetime]:
    """Fire times (aware UTC) in (start_utc, end_utc], oldest first."""
    trigger = make_trigger(cfg)
    out: list[datetime] = []
    if trigger is None or end_utc <= start_utc:
        return out
    cursor = start_utc
    while True:
        nxt = trigger.get_next_fire_time(None, (cursor + _ONE_US).astimezone(trigger.timezone))
        if nxt is None:
            return out
        nxt_utc = nxt.astimezone(UTC)
        if nxt_utc > end_utc:
            return out
        out.append(nxt_utc)
        cursor = nxt_utc


def next_occurrences(cfg: ScheduleConfig, after_utc: datetime, n: int) -> list[datetime]:
    """The next `n` fire times (aware UTC) strictly after `after_utc`."""
    trigger = make_trigger(cfg)
    out: list[datetime] = []
    cursor = after_utc
    while trigger is not None and len(out) < n:
        nxt = trigger.get_next_fire_time(None, (cursor + _ONE_US).astimezone(trigger.timezone))
        if nxt is None:
            break
        cursor = nxt.astimezone(UTC)
        out.append(cursor)
    return out


def zone_of(tz: str | tzinfo | None) -> tzinfo:
    if tz is None:
        return UTC
    if isinstance(tz, str):
        return ZoneInfo(tz)
    return tz


def local_text(when_utc: datetime, tz: str | tzinfo | None) -> str:
    """"Tue 1 Dec 01:00 KST": a fire time in a zone, with the zone's abbreviation."""
    local = when_utc.astimezone(zone_of(tz))
    return f"{local:%a} {local.day} {local:%b %H:%M} {local.tzname()}"


def duration_text(delta: timedelta) -> str:
    """"9 h 12 min", "2 d 3 h", "12 min", "less than a minute"."""
    minutes = int(delta.total_seconds() // 60)
    if minutes < 1:
        return "less than a minute"
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    if days:
        return f"{days} d {hours} h" if hours else f"{days} d"
    if hours:
        return f"{hours} h {mins} min" if mins else f"{hours} h"
    return f"{mins} min"


def describe_next(now_utc: datetime, next_utc: datetime | None, tz: str | tzinfo | None) -> str:
    """The next run for the Dashboard and the tray: "tomorrow 01:00 KST, in 9 h 12 min".

    Args:
        now_utc: the current time (aware).
        next_utc: the next fire time (aware), or None when nothing is scheduled.
        tz: the zone to show it in (normally the schedule's own zone).
    """
    if next_utc is None:
        return "No scheduled run"
    zone = zone_of(tz)
    local = next_utc.astimezone(zone)
    today = now_utc.astimezone(zone).date()
    days_ahead = (local.date() - today).days
    if days_ahead == 0:
        day = "today"
    elif days_ahead == 1:
        day = "tomorrow"
    elif 1 < days_ahead < 7:
        day = f"{local:%A}"
    else:
        day = f"{local:%a} {local.day} {local:%b}"
    wait = next_utc - now_utc
    when = "now" if wait.total_seconds() < 60 else f"in {duration_text(wait)}"
    return f"{day} {local:%H:%M} {local.tzname()}, {when}"
