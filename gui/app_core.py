"""AppCore: the GUI's single link to core. It owns the worker pool and turns core events into signals."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QTimer, Signal

from core.errors import T4Error
from gui.core_text import error_message, error_title
from gui.tasks import Tasks

if TYPE_CHECKING:
    from core.store.config import AppConfig
    from core.store.runs import Run

log = logging.getLogger(__name__)


class AppCore(QObject):
    """Signals:
        ready(): the controller is built and re-attached to unfinished runs.
        runEvent(object): a core.control.controller.RunEvent, delivered on the UI thread.
        configChanged(object): the saved AppConfig changed.
        problem(str, str): (title, message) of an error the operator should see.
        notice(str, str): (title, message) of something worth telling (not an error).
        runRefused(str): why Run Now did not start anything.
        confirmNeeded(str): Run Now needs the operator's yes first (e.g. over budget).
        signInNeeded(str): Google credentials are missing, expired or revoked: offer "sign in again".
        pricesChanged(object): a core.app.prices.PriceRefresh: which prices are in force, and why.
        stalled(object, object): (title, message) core.errors.Messages: a running job looks idle.
    """

    ready = Signal()
    runEvent = Signal(object)
    configChanged = Signal(object)
    problem = Signal(str, str)
    notice = Signal(str, str)
    runRefused = Signal(str)
    confirmNeeded = Signal(str)
    signInNeeded = Signal(str)
    pricesChanged = Signal(object)
    stalled = Signal(object, object)

    def __init__(self, parent: QObject | None = None,
                 controller_factory: Callable[[Callable[[], AppConfig]], Any] | None = None) -> None:
        super().__init__(parent)
        self.tasks = Tasks(self)
        self.controller: Any = None
        self._config: AppConfig | None = None  # loaded in a worker after the first paint
        self._controller_factory = controller_factory

        self._adopt_timer = QTimer(self)
        self._adopt_timer.setInterval(5000)  # runs started by the CLI or the daemon show up too
        self._adopt_timer.timeout.connect(self._adopt_others)
        self.prices: Any = None  # the last PriceRefresh
        self._prices_timer = QTimer(self)
        # Hourly is only how often to ask: refresh_prices calls Google at most once a (UTC) day.
        self._prices_timer.setInterval(3600 * 1000)
        self._prices_timer.timeout.connect(self.refresh_prices)
        self._stall_watch: Any = None
        self._stall_busy = False
        self._stall_timer = QTimer(self)
        self._stall_timer.setInterval(60_000)  # Monitoring samples once a minute; the reader paces itself too
        self._stall_timer.timeout.connect(self.check_stalls)

    # ---------------------------------------------------------------- start-up

    def start(self) -> None:
        """Load config and build the controller in a worker; emits `ready` when done."""
        self.tasks.run(self._build, self._built, self._report)

    @property
    def secret_store(self) -> Any:
        """The app's one SecretStore, so "this session only" secrets reach runs too."""
        from core.app.services import shared_secret_store

        return shared_secret_store()

    @property
    def config(self) -> AppConfig:
        """The saved config (defaults until it has been read)."""
        if self._config is None:
            from core.store.config import AppConfig

            self._config = AppConfig()
        return self._config

    @config.setter
    def config(self, value: AppConfig) -> None:
        self._config = value

    def _build(self) -> tuple[Any, Any]:
        from core.store import config as config_mod

        loaded = config_mod.load()
        self.config = loaded.config
        factory = self._controller_factory
        if factory is None:
            from core.app import services

            def factory(source: Callable[[], AppConfig]) -> Any:
                return services.build_controller(source, secret_store=self.secret_store)
        controller = factory(self.current_config)
        from core.google import endpoints

        def credentials() -> Any:
            from core.google.auth import google_credentials, load_auth_settings

            return google_credentials(load_auth_settings(), self.secret_store,
                                      self.config.job.project_id or None, refresh=False)

        endpoints.set_credentials_provider(credentials)
        controller.reattach_all()
        from core.store import runs

        return controller, (loaded, runs.take_notices())

    def _built(self, result: tuple[Any, Any]) -> None:
        self.controller, (loaded, history_notices) = result
        self.controller.subscribe(self.runEvent.emit)  # emitted on watcher threads, delivered here queued
        self.runEvent.connect(self._keep_usage)
        self.configChanged.emit(self.config)
        if loaded.notice:  # the file stays as it is; the Job and Schedule pages mark what is wrong
            from core.store.config import FILE, validate

            listed = "\n".join(f"\u2022 {p.message}" if p.field == FILE else f"\u2022 {p.field}: {p.message}"
                               for p in validate(loaded.config))
            self.notice.emit(self.tr("Settings file needs attention"), self.tr(
                "Your settings file has problems, so no run will start until they are fixed. The file was left "
                "as it is: correct the fields marked in red on the Job and Schedule pages and save, or fix the "
                "file in a text editor.") + "\n\n" + listed)
        for text in history_notices:
            self.notice.emit(self.tr("Run history set aside"), self.tr(
                "The run history was damaged, so T4 Panel set it aside (nothing was deleted) and started a new, "
                "empty history.") + "\n\n" + text)
        self._adopt_timer.start()
        self._prices_timer.start()
        self.refresh_prices()
        self._stall_timer.start()
        self.ready.emit()

    def current_config(self) -> AppConfig:
        return self.config

    def run_usage(self, run: Run) -> Any:
        """A Vertex run's GPU/CPU usage (worker thread); a finished run's figures are kept in its history row."""
        from core.app.run_usage import read_and_keep

        return read_and_keep(self.controller.store if self.controller is not None else None, run)

    def _keep_usage(self, event: Any, tries: int = 2) -> None:
        """A Vertex run that succeeded: keep how busy its T4 was in History (the Cost page's advice counts it),
        whether or not its page was opened. One Monitoring read, on the worker pool; the reader's pace is
        waited out once."""
        from core.store.runs import RunState

        run = event.run
        if event.kind != "finished" or run.backend != "vertex" or run.state is not RunState.SUCCEEDED:
            return

        def failed(exc: BaseException) -> None:
            wait = getattr(exc, "retry_after", None)
            if wait is not None and tries > 1:  # read a moment ago (the run's page): ask once more after the pace
                QTimer.singleShot(int(wait * 1000) + 500, lambda: self._keep_usage(event, tries - 1))
            else:
                log.info("usage of run %s not kept: %s", run.id, getattr(exc, "message", exc))

        self.tasks.run(lambda: self.run_usage(run), None, failed)

    def check_stalls(self) -> None:
        """Look for running Vertex jobs whose GPU and CPU sit idle (worker thread; one check at a time)."""
        if self.controller is None or self._stall_busy or self._config is None:
            return
        if self._stall_watch is None:
            from core.app.stall import StallWatch

            self._stall_watch = StallWatch(self.controller, lambda: self.config, self.stalled.emit)
        self._stall_busy = True

        def done(_: Any = None) -> None:
            self._stall_busy = False

        def failed(exc: BaseException) -> None:
            done()
            log.warning("stall check failed: %s", exc)

        self.tasks.run(self._stall_watch.check, done, failed)

    def refresh_prices(self) -> None:
        """Fetch Google's price list in the background when the job runs on Vertex AI (once a day at most)."""
        cfg = self._config
        if cfg is None or cfg.job.backend != "vertex" or not cfg.job.project_id:
            return
        project = cfg.job.project_id

        def fetch() -> Any:
            from core.app.prices import refresh_prices

            return refresh_prices(project)

        def done(result: Any) -> None:
            self.prices = result
            self.pricesChanged.emit(result)

        self.tasks.run(fetch, done, lambda exc: log.warning("price refresh failed: %s", exc))

    def _adopt_others(self) -> None:
        if self.controller is not None:
            self.tasks.run(self.controller.reattach_all)

    # ---------------------------------------------------------------- intents

    def save_config(self, cfg: AppConfig, on_saved: Callable[[], None] | None = None) -> None:
        def write() -> AppConfig:
            from core.store import config as config_mod

            config_mod.save(cfg)
            return cfg

        def saved(new: AppConfig) -> None:
            self.config = new
            self.configChanged.emit(new)
            if on_saved:
                on_saved()

        self.tasks.run(write, saved, self._report)

    def run_now(self, confirmed: bool = False) -> None:
        if self.controller is None:
            self.runRefused.emit(self.tr("T4 Panel is still starting; try again in a moment."))
            return
        controller = self.controller

        def failed(exc: BaseException) -> None:
            from core.errors import AuthError, RunRefused

            if getattr(exc, "needs_confirmation", False) or type(exc).__name__ == "BudgetNeedsConfirmation":
                self.confirmNeeded.emit(error_message(exc))
            elif isinstance(exc, RunRefused) and not isinstance(exc, AuthError):
                self.runRefused.emit(error_message(exc))
            else:
                self._report(exc)

        self.tasks.run(lambda: controller.launch("manual", confirmed=confirmed), None, failed)

    def cancel(self, run_id: str) -> None:
        if self.controller is not None:
            self.tasks.run(lambda: self.controller.cancel(run_id), None, self._report)

    def recent_runs(self, on_done: Callable[[list[Run]], None], limit: int = 500) -> None:
        if self.controller is not None:
            self.tasks.run(lambda: self.controller.store.recent(limit), on_done, self._report)

    def _report(self, exc: BaseException) -> None:
        from core.errors import AuthError

        if isinstance(exc, AuthError):
            self.signInNeeded.emit(error_message(exc))
        elif isinstance(exc, T4Error):
            self.problem.emit(error_title(exc), error_message(exc))
        else:
            log.error("unexpected error in a background task", exc_info=exc)
            self.problem.emit(self.tr("Something went wrong"),
                              self.tr("An unexpected error occurred: %s. Details are in the app log.")
                              % type(exc).__name__)

    def shutdown(self) -> None:
        self._adopt_timer.stop()
        if self.controller is not None:
            self.controller.shutdown(timeout=1.0)
        self.tasks.wait_idle(3000)
        self.tasks.close()
