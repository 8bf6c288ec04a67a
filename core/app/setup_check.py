"""Check my setup: before 01:00, not after. Each item asks the real API (or this computer) once and
answers pass, warn or fail with the sentence that says what to fix. The CLI (`t4panel check`) and the
Job page's button both run `run_check`; the last result is kept in T4PANEL_HOME/last_check.json."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from core import paths
from core.app.check_items import CheckItem, CheckReport, Status
from core.errors import AuthError, ConfigError, Message, T4Error, msg
from core.store import config as config_mod

log = logging.getLogger(__name__)

Progress = Callable[[int, int, str], None]  # (done, total, item id)


def run_check(progress: Progress | None = None, store: Any = None) -> CheckReport:
    """Check everything the saved settings need. Saves the result as the last check.

    Raises:
        ConfigError: no settings saved, or they are damaged (nothing to check against).
        AuthError: a Vertex AI job is configured and nobody is signed in with Google.
    """
    path = paths.config_path()
    if not path.exists():
        raise ConfigError(msg("check.no_config", "There are no saved settings to check. Fill in the Job page and "
                              "save it, then check again."))
    loaded = config_mod.load()
    if loaded.notice:
        raise ConfigError(loaded.notice)
    cfg = loaded.config
    steps: list[tuple[str, Callable[[], CheckItem]]] = []
    if cfg.job.backend == "vertex":
        from core.app import setup_check_google as g

        creds = g.signed_in_credentials()
        steps += [("apis", lambda: g.check_apis(cfg.job, creds)),
                  ("quota", lambda: g.check_quota(cfg.job, creds)),
                  ("image", lambda: g.check_image(cfg.job, creds)),
                  ("pull", lambda: g.check_pull(cfg.job, creds)),
                  ("permissions", lambda: g.check_permissions(cfg.job, creds))]
        if cfg.job.fallback_regions or (cfg.job.spot and cfg.job.on_demand_fallback):
            steps.append(("fallbacks", lambda: g.check_fallbacks(cfg.job, creds)))
    steps += [("supabase", lambda: check_supabase(cfg, store)),
              ("schedule", lambda: check_schedule(cfg)),
              ("autostart", check_autostart)]
    report = CheckReport(datetime.now(UTC))
    for n, (item_id, step) in enumerate(steps):
        if progress:
            progress(n, len(steps), item_id)
        try:
            report.items.append(step())
        except AuthError:
            raise
        except T4Error as exc:  # an item that could not run is a failure of that item, not of the check
            report.items.append(CheckItem(item_id, Status.FAIL, exc.title_msg, exc.msg))
    if progress:
        progress(len(steps), len(steps), "")
    save_last(report)
    return report


# ------------------------------------------------------------------ items that need no Google API

def check_supabase(cfg: config_mod.AppConfig, store: Any) -> CheckItem:
    from core.app.services import shared_secret_store
    from core.app.supabase_check import SupabaseError, test_connection
    from core.store.secrets import supabase_env

    title = msg("check.supabase.title", "Supabase URL and key")
    env = supabase_env(store if store is not None else shared_secret_store())  # session-only keys count too
    if not env:
        status = Status.FAIL if cfg.job.inject_supabase else Status.WARN
        return CheckItem("supabase", status, title,
                         msg("check.supabase.unset", "The Supabase URL and key are not set."),
                         msg("check.supabase.unset.fix", "Enter them in Settings (or `t4panel secrets set "
                             "supabase-url` and `supabase-key`)."))
    if not cfg.supabase.results_table:
        return CheckItem("supabase", Status.WARN, title, msg("check.supabase.no_table", "No results table is set, so "
                                                              "the key was not tried."),
                         msg("check.supabase.no_table.fix", "Enter the results table in Settings."))
    try:
        answer = test_connection(env["SUPABASE_URL"], env["SUPABASE_KEY"], cfg.supabase.results_table)
    except (SupabaseError, ConfigError) as exc:
        return CheckItem("supabase", Status.FAIL, title, msg("check.supabase.refused", "Supabase did not accept the "
                                                              "saved URL and key."), _message_of(exc))
    return CheckItem("supabase", Status.PASS, title, answer)


def check_schedule(cfg: config_mod.AppConfig) -> CheckItem:
    from core.schedule import plan

    title = msg("check.schedule.title", "Schedule")
    if not cfg.schedule.enabled:
        return CheckItem("schedule", Status.WARN, title, msg("check.schedule.off", "The daily schedule is off."),
                         msg("check.schedule.off.fix", "Turn it on in the Schedule page if the job should run daily."))
    times = plan.next_occurrences(cfg.schedule, datetime.now(UTC), 5)
    shown = ", ".join(plan.local_text(t, cfg.schedule.timezone) for t in times)
    return CheckItem("schedule", Status.PASS, title,
                     msg("check.schedule.next", "Next five runs: {times}.", times=shown or "-"))


def check_autostart() -> CheckItem:
    from core.app import autostart

    title = msg("check.autostart.title", "Start at login")
    if autostart.is_enabled():
        return CheckItem("autostart", Status.PASS, title,
                         msg("check.autostart.on", "T4 Panel starts when you log in to this computer."))
    return CheckItem("autostart", Status.WARN, title,
                     msg("check.autostart.off", "T4 Panel does not start when you log in, so after a restart no "
                         "scheduled run fires until you open it."),
                     msg("check.autostart.off.fix", "Turn on \"Start T4 Panel when I log in\" in Settings, or run "
                         "`t4panel daemon` on a server."))


def _message_of(exc: T4Error) -> Message:
    return exc.msg


# ------------------------------------------------------------------ the last check

def last_check_path() -> Path:
    return paths.data_dir() / "last_check.json"


def save_last(report: CheckReport) -> None:
    data = {"checked": report.checked.isoformat(), "items": [i.to_json() for i in report.items]}
    try:
        path = last_check_path()
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(data, indent=2), encoding="utf-8")
        tmp.replace(path)
    except OSError as exc:  # the check itself still answered; only its memory is lost
        log.warning("check: could not save the last result (%s)", exc)


def load_last() -> dict[str, Any] | None:
    """The last check as saved ({"checked": iso, "items": [...]}), or None."""
    try:
        data = json.loads(last_check_path().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) and isinstance(data.get("items"), list) else None


# ------------------------------------------------------------------ before a scheduled launch

def cheap_precheck(cfg: config_mod.AppConfig) -> Message | None:
    """The setup check's cheap items (APIs, permissions, quota; not the image pull) before a scheduled launch.

    Returns the fix of a problem certain to fail the launch, so the occurrence stops with it instead of
    spending its retries; None when all is well or when the check cannot tell (not signed in, no network,
    not allowed to read): a check never blocks a launch that might work.
    """
    if cfg.job.backend != "vertex" or not cfg.job.project_id:
        return None
    from core.app import setup_check_google as g

    try:
        creds = g.signed_in_credentials()
        items = [g.check_apis(cfg.job, creds), g.check_permissions(cfg.job, creds)]
        # A quota of 0 in the job's region is certain to fail only when no other region or mode is allowed.
        if not cfg.job.fallback_regions and not (cfg.job.spot and cfg.job.on_demand_fallback):
            items.append(g.check_quota(cfg.job, creds))
    except Exception as exc:  # noqa: BLE001 - signed out, offline, a library missing: let the launch speak
        log.info("pre-launch check skipped: %s", type(exc).__name__)
        return None
    for item in items:
        if item.status is Status.FAIL:
            return msg("check.precheck.failed", "The setup check found a problem that stops the run: {detail} {fix}",
                       detail=item.detail, fix=item.fix or "")
    return None
