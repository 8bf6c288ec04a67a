"""`t4panel daemon`: the daily schedule without a window (servers, Docker), until SIGTERM or Ctrl-C.

Same rules as the GUI's scheduler (it is the same `Scheduler`), and the same one-per-user lock, so a
window and a daemon on one computer never both schedule.
"""

from __future__ import annotations

import copy
import logging
import os
import signal
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from core import paths
from core.app import instance_lock
from core.errors import T4Error
from core.store import config as config_mod
from core.store.config import AppConfig

log = logging.getLogger("t4panel.daemon")

EXIT_OK = 0
EXIT_FAILED = 2
EXIT_LOCKED = 3


class ConfigFile:
    """config.toml, read again when it changes. A damaged edit (a typo, a file saved half-way) keeps the
    last good schedule, so the plan goes on, but carries the file's problems, so every launch is refused
    with them until the operator fixes the file; the file itself is never moved or rewritten here."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or paths.config_path()
        self._stamp: tuple[int, int] | None = None
        self._cfg = AppConfig()

    def __call__(self) -> AppConfig:
        try:
            st = self.path.stat()
        except FileNotFoundError:
            return self._cfg
        except OSError:
            st = None
        stamp = (st.st_mtime_ns, st.st_size) if st is not None else None
        if stamp is None or stamp != self._stamp:
            self._stamp = stamp
            loaded = config_mod.load(self.path)
            if loaded.damaged:
                log.error("the settings file %s is damaged; no run starts until it is fixed: %s", self.path,
                          " ".join(p.message for p in loaded.config.file_problems))
                kept = copy.deepcopy(self._cfg)
                kept.file_problems = loaded.config.file_problems
                self._cfg = kept
            else:
                self._cfg = loaded.config
                log.info("settings read from %s", self.path)
        return self._cfg


def run_daemon(stop_event: threading.Event | None = None, *, tick_seconds: float = 30.0,
               controller_factory: Callable[[Callable[[], AppConfig]], Any] | None = None) -> int:
    """Run the scheduler headless until `stop_event` is set or SIGTERM / SIGINT arrives.

    Args:
        stop_event: set it to stop (tests); signals set it too when called on the main thread.
        tick_seconds: the wake / clock-jump check interval.
        controller_factory: builds the RunController from a config source (default: the app's, with
            budget guard, Supabase keys and cost, from core.app.services).

    Returns:
        0 after a clean stop, 3 when another T4 Panel holds the one-per-user lock, 2 when the
        scheduler could not start (the message says why).
    """
    _log_to_stdout()
    lock = instance_lock.acquire("daemon")
    if lock is None:
        print(instance_lock.refusal_message(), file=sys.stderr, flush=True)
        return EXIT_LOCKED
    stop = stop_event or threading.Event()
    restore = _on_signals(stop)
    scheduler = controller = None
    try:
        source = ConfigFile()
        problems = config_mod.validate(source())
        if problems:  # a schedule on settings that cannot run would only record failures: say so and stop
            print("Settings need attention: the daemon did not start, and nothing was launched. "
                  + " ".join(p.message if p.field == config_mod.FILE else f"{p.field}: {p.message}"
                             for p in problems)
                  + f" Fix {source.path} (it was left as it is), then start the daemon again.",
                  file=sys.stderr, flush=True)
            return EXIT_FAILED
        if controller_factory is None:
            from core.app import services

            controller = services.build_controller(config_source=source)
        else:
            controller = controller_factory(source)
        from core.app.run_usage import UsageKeeper
        from core.store import runs

        controller.subscribe(UsageKeeper(controller.store))  # the T4's use per run, for the advice
        for notice in runs.take_notices():  # a damaged history was set aside while opening it
            log.warning("%s", notice)
        _say_where_supabase_keys_come_from()
        controller.reattach_all()  # runs left going by an earlier process are watched, never started again
        from core.app.notify import notice_poster
        from core.app.setup_check import cheap_precheck
        from core.schedule.scheduler import Scheduler

        post = notice_poster(lambda: source().notifications.webhook_url)

        def tell(title: str, message: str) -> None:
            _notice(title, message)
            post(title, message)

        scheduler = Scheduler(controller, source, notify=tell, tick_seconds=tick_seconds, precheck=cheap_precheck)
        scheduler.subscribe(lambda: log.info("next run: %s", scheduler.next_run_text()))
        scheduler.start()
        cfg = source().schedule
        if not cfg.enabled:
            log.warning("the schedule is off; turn it on in the Schedule page or in [schedule] of %s", source.path)
        elif scheduler.owned_by_cloud:
            log.info("the cloud schedule is on: Google Cloud starts the runs; this daemon launches none and only "
                     "watches")
        log.info("T4 Panel daemon started (process %s); next run: %s", os.getpid(), scheduler.next_run_text())
        threading.Thread(target=_watch, args=(stop, controller, source), name="t4panel-watch", daemon=True).start()
        while not stop.wait(1.0):
            pass
        log.info("stopping: runs already started go on and are picked up at the next start")
        return EXIT_OK
    except T4Error as exc:
        print(f"{exc.title}: {exc.message}", file=sys.stderr, flush=True)
        return EXIT_FAILED
    finally:
        if scheduler is not None:
            scheduler.stop()
        if controller is not None:
            controller.shutdown()
        restore()
        lock.release()


def _watch(stop: threading.Event, controller: Any, source: Callable[[], AppConfig],
           stall_every: float = 60.0, prices_every: float = 3600.0) -> None:
    """Background duties beside the schedule: Google's price list (once a day at most) and stalled runs.

    On its own thread, so a slow Google answer never delays a scheduled launch or a clean stop.
    """
    from core.app.prices import refresh_prices
    from core.app.stall import StallWatch

    watch = StallWatch(controller, source, lambda title, message: _notice(title.text, message.text))
    next_prices = time.monotonic()
    pause = 0.0  # the first round at once: the Cost figures of `status` want today's prices
    while not stop.wait(pause):
        pause = stall_every
        try:
            job = source().job
            if job.backend == "vertex" and job.project_id and time.monotonic() >= next_prices:
                next_prices = time.monotonic() + prices_every
                log.info("%s", refresh_prices(job.project_id).message.text)
            watch.check()
        except Exception as exc:  # noqa: BLE001 - a background duty must never take the scheduler down
            log.warning("background check failed: %s", type(exc).__name__)


def _notice(title: str, message: str) -> None:
    log.warning("%s: %s", title, message)


def _say_where_supabase_keys_come_from() -> None:
    try:
        from core.app.services import shared_secret_store
        from core.store.secrets import describe_supabase_source, supabase_env_with_source
    except ImportError:
        found = bool(os.environ.get("SUPABASE_URL") and os.environ.get("SUPABASE_KEY"))
        log.info("Supabase keys: %s", "from the SUPABASE_URL / SUPABASE_KEY environment variables"
                 if found else "not set")
        return
    try:
        _, source = supabase_env_with_source(shared_secret_store())
        log.info("%s", describe_supabase_source(source))
    except Exception as exc:  # noqa: BLE001 - never stop the schedule over a start-up message
        log.info("Supabase keys: could not check where they come from (%s)", exc)


def _log_to_stdout() -> None:
    """Logs go to stdout (what `docker logs` and systemd show); the app's own log file stays too."""
    root = logging.getLogger()
    for handler in root.handlers:
        if isinstance(handler, logging.StreamHandler) and not isinstance(handler, logging.FileHandler):
            if getattr(handler, "stream", None) is sys.stderr:
                handler.setStream(sys.stdout)
            return
    handler = logging.StreamHandler(sys.stdout)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
    root.addHandler(handler)
    if root.level == logging.NOTSET or root.level > logging.INFO:
        root.setLevel(logging.INFO)


def _on_signals(stop: threading.Event) -> Callable[[], None]:
    """SIGTERM / SIGINT set `stop`. Only the main thread may install handlers; elsewhere, nothing."""
    if threading.current_thread() is not threading.main_thread():
        return lambda: None
    wanted = [signal.SIGINT] + ([signal.SIGTERM] if hasattr(signal, "SIGTERM") else [])
    previous = {sig: signal.getsignal(sig) for sig in wanted}

    def handler(signum: int, _frame: Any) -> None:
        log.info("signal %s received", signal.Signals(signum).name)
        stop.set()

    for sig in wanted:
        signal.signal(sig, handler)

    def restore() -> None:
        for sig, old in previous.items():
            signal.signal(sig, old)

    return restore
