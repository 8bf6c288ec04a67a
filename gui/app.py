"""Builds the window, tray and core link, and runs the Qt event loop (`run_gui`)."""

from __future__ import annotations

import logging
import os
import sys
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication

from core import paths
from gui.app_core import AppCore
from gui.core_text import message_text
from gui.dashboard import Dashboard
from gui.error_dialog import install_excepthook, show_error
from gui.main_window import MainWindow

if TYPE_CHECKING:
    from PySide6.QtGui import QIcon

    from core.control.controller import RunEvent
    from core.store.runs import Run

log = logging.getLogger(__name__)

# "1": print "first paint <epoch seconds> cpu <process CPU seconds>" and quit (bench_startup.py)
FIRST_PAINT_ENV = "T4PANEL_EXIT_AT_FIRST_PAINT"


def app_icon() -> QIcon:
    from PySide6.QtGui import QIcon  # set after the first paint: QIcon's Python set-up costs ~15 ms

    return QIcon(str(paths.resources_dir() / "icons" / "t4panel.svg"))


class PanelApp(QObject):
    """The whole GUI: one per process. `controller_factory` lets tests choose backend timings.

    Only the Dashboard is built before the first paint; the other pages, the tray and the core
    start-up follow (each Qt class touched for the first time costs PySide6 start-up time).
    """

    schedulerNotice = Signal(str, str)
    scheduleChanged = Signal()

    def __init__(self, controller_factory: Callable[..., Any] | None = None, run_scheduler: bool = True) -> None:
        super().__init__()
        self.core = AppCore(self, controller_factory)
        self.run_scheduler = run_scheduler
        self.cloud_schedule_factory: Callable[..., Any] | None = None  # None: core.app.cloud_setup.CloudSchedule
        self._saved_cfg: Any = None  # the config before the last save (a save while the cloud fires updates it)
        self._budget_level = "ok"
        self.scheduler: Any = None
        self.lock: Any = None
        self._next_run_timer = QTimer(self)
        self._next_run_timer.setInterval(30_000)  # "in 9 h 12 min" must keep counting down
        self._next_run_timer.timeout.connect(self._show_next_run)
        self._orphan_timer = QTimer(self)
        self._orphan_timer.setInterval(10 * 60_000)  # a list call every 10 min: cheap, and orphans cost money
        self._orphan_timer.timeout.connect(self.check_orphans)
        self.window = MainWindow()
        self.tray: Any = None
        self.dashboard = Dashboard()
        self.window.add_page("dashboard", self.tr("Dashboard"), self.dashboard)
        self.window.add_lazy_page("job", self.tr("Job"), self._build_job_page)
        self.window.add_lazy_page("schedule", self.tr("Schedule"), self._build_schedule_page)
        self.window.add_lazy_page("logs", self.tr("Logs"), self._build_logs_page)
        self.window.add_lazy_page("history", self.tr("History"), self._build_history_page)
        self.window.add_lazy_page("cost", self.tr("Cost"), self._build_cost_panel)
        self.window.add_lazy_page("settings", self.tr("Settings"), self._build_settings_page)
        self._connect()

    def _connect(self) -> None:
        core, dash = self.core, self.dashboard
        dash.runNowClicked.connect(self.run_now)
        dash.cancelClicked.connect(core.cancel)
        dash.showLogClicked.connect(lambda: self._open_log(self.dashboard.run))
        dash.signInClicked.connect(lambda: self.window.show_page("settings"))
        dash.cancelOrphanClicked.connect(self._cancel_orphan)
        dash.dayRunClicked.connect(self._open_saved_log)
        core.runEvent.connect(self._on_run_event)
        core.configChanged.connect(self._on_config)
        core.ready.connect(self._on_ready)
        core.runRefused.connect(self._refused)
        core.confirmNeeded.connect(self._confirm_run)
        core.signInNeeded.connect(self._sign_in_again)
        core.problem.connect(lambda title, msg: show_error(self.window, title, msg))
        core.notice.connect(lambda title, msg: show_error(self.window, title, msg))
        self.window.quitRequested.connect(self.quit)
        self.schedulerNotice.connect(lambda title, message: self._scheduler_notice(title, message))
        core.stalled.connect(lambda title, message: self._scheduler_notice(message_text(title), message_text(message),
                                                                           webhook=False))
        self.scheduleChanged.connect(self._show_next_run)

    def _after_first_paint(self) -> None:
        from gui.help_menu import build_help_menu  # menus and shortcuts cost ~100 ms of Qt set-up
        from gui.tray import Tray

        build_help_menu(self.window)

        icon = app_icon()
        self.window.setWindowIcon(icon)
        self.tray = Tray(icon, self)
        self.window.tray_available = self.window.tray_available or self.tray.available
        self.tray.openRequested.connect(self.window.raise_window)
        self.tray.runNowRequested.connect(self.run_now)
        self.tray.quitRequested.connect(self.quit)
        self.window.closedToTray.connect(self.tray.tell_running_in_tray)
        self.core.start()

    def built(self, key: str) -> bool:
        return key not in self.window._lazy

    def _build_schedule_page(self) -> Any:
        from gui.cloud_panel import CloudPanel
        from gui.schedule_page import SchedulePage  # APScheduler: ~0.2 s, so only when first shown

        cloud = CloudPanel(self.core.tasks, self.core.current_config, self.core.save_config, self.core.secret_store,
                           schedule_factory=self.cloud_schedule_factory)
        cloud.removalStarted.connect(self._cloud_removal_started)
        cloud.notice.connect(self._cloud_notice)
        return SchedulePage(self.core.current_config, self.core.save_config, cloud_panel=cloud)

    @property
    def schedule_page(self) -> Any:
        return self.window.page("schedule")

    # ---------------------------------------------------------------- the schedule

    def _start_scheduler(self) -> None:
        """One scheduler per user: the window schedules only when no daemon (or other window) does."""
        from core.app import instance_lock

        def build() -> Any:
            lock = instance_lock.acquire("gui")
            if lock is None:
                return None, instance_lock.refusal_message()
            from core.app.setup_check import cheap_precheck
            from core.schedule.scheduler import Scheduler

            scheduler = Scheduler(self.core.controller, self.core.current_config, notify=self.schedulerNotice.emit,
                                  precheck=cheap_precheck)
            scheduler.subscribe(self.scheduleChanged.emit)
            try:
                scheduler.start()  # catches up what is due, which may launch a run
            except Exception:
                lock.release()
                raise
            return (lock, scheduler), None

        def built(result: Any) -> None:
            held, refusal = result
            if refusal:
                self.dashboard.set_next_run(self.tr("Schedule: handled elsewhere. %1").replace("%1", refusal))
                return
            self.lock, self.scheduler = held
            self._show_next_run()
            self._next_run_timer.start()

        self.core.tasks.run(build, built, self.core._report)

    def _show_next_run(self) -> None:
        if self.scheduler is None:
            return
        from gui import run_texts  # dates, zones and history types: not needed for the first paint

        if self.scheduler.next_run() is None:
            label = self.tr("Next run: no schedule yet")
        else:
            label = self.tr("Next run: %1").replace("%1", run_texts.describe_next(
                self.scheduler.clock(), self.scheduler.next_run(), self.core.config.schedule.timezone))
            if self.scheduler.owned_by_cloud:
                label += " " + self.tr("(started by Google Cloud)")
        self.dashboard.set_next_run(label)
        if self.tray is not None:
            self.tray.set_tooltip("T4 Panel\n" + label)

    def _scheduler_notice(self, title: str, message: str, webhook: bool = True) -> None:
        if self.tray is not None:
            self.tray.notify(title, message, failure=True)
        self.window.statusBar().showMessage(f"{title}: {message}", 30_000)
        if webhook:  # the daemon posts the same notices; a stall warning is posted by its own watch
            from core.app.notify import notice_poster

            cfg = self.core.config
            notice_poster(lambda: cfg.notifications.webhook_url)(title, message)

    def _apply_schedule(self, cfg: Any) -> None:
        scheduler = self.scheduler
        if scheduler is not None:
            from core.schedule.scheduler import cloud_owns

            # With the cloud schedule on, the desktop's own job is removed (core/schedule/scheduler.py apply)
            self.core.tasks.run(lambda: scheduler.apply(cfg.schedule, cloud=cloud_owns(cfg)),
                                lambda _: self._show_next_run(), self.core._report)

    # ---------------------------------------------------------------- the cloud schedule

    def _cloud_removal_started(self, since: Any) -> None:
        if self.scheduler is not None:  # the cloud may stop firing from now: resume the desktop's firing here
            self.scheduler.hand_back(since)

    def _cloud_notice(self, text: str) -> None:
        log.info("%s", text)
        self.window.statusBar().showMessage(text, 30_000)

    def _update_cloud_copy(self, old: Any, cfg: Any) -> None:
        """A save while the cloud schedule is on: the cloud's copy of the settings follows (in the background).
        Not for the save that turned it on (setup just wrote that copy) or off."""
        if old is None or cfg.cloud.enabled is not True or old.cloud.enabled is not True or old == cfg:
            return
        from gui.cloud_panel import _default_factory
        from gui.core_text import error_message

        factory = self.cloud_schedule_factory or _default_factory

        def done(changed: Any) -> None:
            self._cloud_notice(self.tr("Cloud schedule updated") if changed else
                               self.tr("Cloud schedule already up to date"))
            if self.built("schedule"):
                self.schedule_page.cloud_panel.refresh_status()

        def failed(exc: BaseException) -> None:
            self._cloud_notice(self.tr("Cloud schedule not updated: %1").replace("%1", error_message(exc)))

        self.core.tasks.run(lambda: factory(cfg).update_config(), done, failed)

    def _build_logs_page(self) -> Any:
        from gui.logs_page import LogsPage

        page = LogsPage(self.core.tasks, usage_source=self.core.run_usage)
        page.offer(self.dashboard.run)  # the Dashboard's run, never "No run yet" beside it
        return page

    @property
    def logs_page(self) -> Any:
        return self.window.page("logs")

    def _build_history_page(self) -> Any:
        from core.cost import overrides_from
        from gui.history_page import HistoryPage

        page = HistoryPage(rate_overrides=lambda: overrides_from(self.core.current_config()))
        page.openLog.connect(self._open_saved_log)
        page.refreshRequested.connect(self.refresh_history)
        if self.core.controller is not None:
            self.core.recent_runs(page.set_runs)
        return page

    @property
    def history_page(self) -> Any:
        return self.window.page("history")

    def _build_job_page(self) -> Any:
        from gui.job_page import JobPage

        page = JobPage(self.core.current_config, tasks=self.core.tasks)
        page.saveRequested.connect(lambda cfg: self.core.save_config(cfg, page.saved))
        page.check_panel.checked.connect(self.dashboard.set_last_check)
        return page

    @property
    def job_page(self) -> Any:
        return self.window.page("job")

    def _build_cost_panel(self) -> Any:
        from core import cost
        from core.cost import advice
        from gui.advice_panel import AdvicePanel
        from gui.cost_panel import CostPanel

        ways = AdvicePanel(self.core.tasks, lambda: advice.advise(self.core.config, self.core.controller.store),
                           self.core.current_config, self.core.save_config)
        panel = CostPanel(self.core.tasks, lambda: cost.snapshot(self.core.config, self.core.controller.store),
                          advice=ways)
        panel.set_price_refresh(self.core.prices)
        self.core.pricesChanged.connect(panel.set_price_refresh)
        if self.core.controller is not None:
            panel.refresh()
        return panel

    def _build_settings_page(self) -> Any:
        from PySide6.QtWidgets import QScrollArea, QVBoxLayout, QWidget

        from gui.general_settings import GeneralSettings
        from gui.settings_page import SettingsPage

        holder = QWidget()
        column = QVBoxLayout(holder)
        self._settings_page = SettingsPage(self.core.tasks, self.core.current_config, self.core.save_config,
                                           store=self.core.secret_store)
        self.general_settings = GeneralSettings(self.core.tasks, self.core.current_config, self.core.save_config)
        column.addWidget(self._settings_page)
        column.addWidget(self.general_settings)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(holder)
        return scroll

    @property
    def cost_panel(self) -> Any:
        return self.window.page("cost")

    @property
    def settings_page(self) -> Any:
        self.window.page("settings")
        return self._settings_page

    def _refresh_cost(self) -> None:
        if self.built("cost") and self.core.controller is not None:
            self.cost_panel.refresh()

    def start(self) -> None:
        """Show the window; core start-up (config, history, re-attach) begins once it has painted."""
        # queued: the paint finishes first. (Touching the `Qt` namespace at import would cost ~90 ms.)
        self.window.firstPaint.connect(lambda: QTimer.singleShot(0, self._after_first_paint))
        self.window.show()

    # ---------------------------------------------------------------- reactions

    def run_now(self, confirmed: bool = False) -> None:
        self.dashboard.run_now_button.setEnabled(False)
        button = self.dashboard.run_now_button
        QTimer.singleShot(1500, button, lambda: button.setEnabled(True))  # a double-click never launches twice
        self.core.run_now(confirmed)

    def _refused(self, message: str) -> None:
        self.dashboard.show_message(message)  # already in the app's language (AppCore translates by id)
        self.dashboard.run_now_button.setEnabled(True)
        self.window.statusBar().showMessage(message, 10_000)

    def _confirm_run(self, message: str) -> None:
        from PySide6.QtWidgets import QMessageBox

        answer = QMessageBox.question(self.window, self.tr("Run anyway?"),
                                      message + "\n\n" + self.tr("Start the run anyway?"))
        if answer == QMessageBox.StandardButton.Yes:
            self.run_now(confirmed=True)

    def open_first_run(self) -> None:
        """The guided first set-up (shown when this computer has no settings yet)."""
        from gui.first_run import FirstRunWizard

        wizard = FirstRunWizard(self.core, self.window)
        wizard.openSettingsRequested.connect(lambda: self.window.show_page("settings"))
        wizard.open()
        self.first_run_wizard = wizard

    def _sign_in_again(self, message: str) -> None:
        """The one error with its own dialog: it offers the way out (Settings, where sign-in lives)."""
        from PySide6.QtWidgets import QMessageBox

        self.dashboard.run_now_button.setEnabled(True)
        box = QMessageBox(QMessageBox.Icon.Warning, self.tr("Sign in again"), message, parent=self.window)
        box.setObjectName("signInAgainDialog")
        go = box.addButton(self.tr("Open Settings"), QMessageBox.ButtonRole.AcceptRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        go.clicked.connect(lambda: (self.window.raise_window(), self.window.show_page("settings")))
        box.open()

    def _on_ready(self) -> None:
        from core.app import setup_check  # after the first paint, like the rest of the core

        self.core.tasks.run(setup_check.load_last, self.dashboard.set_last_check)
        if self.run_scheduler:
            self._start_scheduler()
        self.check_orphans()
        self._orphan_timer.start()
        self.check_budget()
        self.refresh_history()
        self._refresh_cost()
        controller = self.core.controller
        self._attach_days()

        def latest() -> Any:  # the run going now, else the last one: the Dashboard is never blank
            active = controller.active_run()
            if active is not None:
                return active
            recent = controller.store.recent(1)
            return recent[0] if recent else None

        def show(run: Any) -> None:
            if run is not None and self.dashboard.run is None:
                self.dashboard.set_run(run)
                self._show_run_details(run)
                if self.built("logs"):
                    self.logs_page.offer(run)

        self.core.tasks.run(latest, show)

    def _attach_days(self) -> None:
        """The Dashboard's 30-day strip, read from history on the worker pool in the operator's zone."""
        controller = self.core.controller
        if controller is None:
            return
        from core.store.runs import utcnow
        from gui import run_texts
        from gui.month_days import load_days

        self.dashboard.attach_days(self.core.tasks, lambda: load_days(
            controller.store, run_texts.zone_of(self.core.config.schedule.timezone), utcnow(), controller.profile))

    def _on_config(self, cfg: Any) -> None:
        from gui import run_texts

        old, self._saved_cfg = self._saved_cfg, cfg
        self._update_cloud_copy(old, cfg)
        run_texts.set_operator_zone(cfg.schedule.timezone)  # every page's times read in the schedule's zone
        if self.built("job"):
            self.job_page.load()
        if self.built("schedule"):
            self.schedule_page.load()
        if self.built("settings"):
            self.general_settings.load()
            self._settings_page.keys_choice.load()
        self._apply_schedule(cfg)
        self._refresh_cost()
        self.check_budget()
        self.dashboard.set_backend(cfg.job.backend, cfg.job.project_id, cfg.job.region)
        self.dashboard.refresh_days()  # the zone may have changed, and with it where days begin

    def _on_run_event(self, event: RunEvent) -> None:
        if self.window.quitting:  # a watcher that outlived shutdown's wait: its pages may be gone already
            return
        run = event.run
        if event.kind == "log":
            self.logs_page.add_lines(run, event.lines)
            return
        if event.kind == "notice":  # a duplicate job cancelled, the claim bucket created (the webhook has it too)
            if self.tray is not None:
                self.tray.notify(self.tr("T4 Panel"), event.text, failure=False)
            return
        if event.kind == "started":
            self.logs_page.follow(run)
            self.logs_page.view.append_text(self.tr("Run %1 starting…").replace("%1", run.id))
        self.dashboard.set_run(run)
        if self.built("logs"):
            self.logs_page.update_run(run)
        self._show_run_details(run)
        if self.built("logs"):
            self.logs_page.run_changed(run)
        if self.built("history"):
            self.history_page.update_run(run)
        if event.kind in ("started", "finished"):
            self.dashboard.refresh_days()
        if event.kind == "finished":
            self._notify_end(run)
            self._refresh_cost()
            self.check_budget()

    def _show_run_details(self, run: Run) -> None:
        """The Vertex state timeline and console link of the Dashboard's run (history read off the UI thread)."""
        controller = self.core.controller
        if controller is None:
            return

        def read() -> tuple[Any, str | None]:
            url = None
            if run.backend == "vertex" and run.job_name:
                url = getattr(controller.backend("vertex"), "console_url", lambda h: None)(run.job_name)
            return controller.store.state_changes(run.id), url

        def shown(result: tuple[Any, str | None]) -> None:
            if self.dashboard.run is not None and self.dashboard.run.id == run.id:
                self.dashboard.set_timeline(result[0])
                self.dashboard.set_console_url(result[1])

        self.core.tasks.run(read, shown)

    def check_orphans(self) -> None:
        """Vertex jobs T4 Panel started that this history does not know and that still run: offer Cancel."""
        controller, cfg = self.core.controller, self.core.config
        if controller is None or cfg.job.backend != "vertex" or not cfg.job.project_id:
            return

        def look() -> Any:
            known = {r.id for r in controller.store.recent(100_000)}
            return controller.backend("vertex").list_orphans(cfg.job, known)

        self.core.tasks.run(look, self.dashboard.set_orphans, lambda exc: log.info("orphan check failed: %s", exc))

    def _cancel_orphan(self, name: str) -> None:
        controller = self.core.controller
        if controller is not None:
            self.core.tasks.run(lambda: controller.backend("vertex").cancel(name),
                                lambda _: QTimer.singleShot(5000, self.check_orphans), self.core._report)

    def check_budget(self) -> None:
        """Budget warnings at 80% and 100%: on the Dashboard always, in the tray when the level rises."""
        controller, cfg = self.core.controller, self.core.config
        if controller is None:
            return
        from core import cost

        def shown(status: Any) -> None:
            level = status.level.value
            from gui.core_text import budget_text

            self.dashboard.set_spend(status)
            order = ["ok", "warn80", "over100"]
            if order.index(level) > order.index(self._budget_level) and self.tray is not None:
                self.tray.notify(self.tr("Monthly budget"), budget_text(status), failure=level == "over100")
            self._budget_level = level

        self.core.tasks.run(lambda: cost.budget_status(cfg, controller.store), shown,
                            lambda exc: log.info("budget check failed: %s", exc))

    def _notify_end(self, run: Run) -> None:
        from core.app import notify
        from core.control.attempts import awaiting_retry
        from gui import run_texts

        if awaiting_retry(run):  # tried again: the scheduler's "retrying", then the final result, say it
            return
        cfg = self.core.config.notifications
        title, message = run_texts.summary(run)  # in the app's language
        if notify.should_notify(run, cfg) and self.tray is not None:
            self.tray.notify(title, message, failure=run.state.value != "SUCCEEDED")
        # The webhook is posted by the controller's subscriber (core/app/services.py), for the daemon too.

    def refresh_history(self) -> None:
        if self.built("history"):
            self.core.recent_runs(self.history_page.set_runs)

    def _open_saved_log(self, run: Run) -> None:
        if not run.state.terminal:
            self.logs_page.follow(run)
        else:
            self.logs_page.show_saved(run)
        self.window.show_page("logs")

    def _open_log(self, run: Run | None) -> None:
        """Show log on the Dashboard: that run's log (after a restart, too), not an empty live view."""
        if run is not None:
            self.logs_page.open_run(run)
        self.window.show_page("logs")

    def quit(self) -> None:
        self.shutdown()
        self.window.close()
        QApplication.exit(0)

    def shutdown(self) -> None:
        """Stop scheduling and watching (runs go on; the next start re-attaches) and free the lock."""
        self.window.quitting = True
        self._next_run_timer.stop()
        self._orphan_timer.stop()
        if self.scheduler is not None:
            self.scheduler.stop()
        self.core.shutdown()
        if self.lock is not None:
            self.lock.release()
        if self.tray is not None:
            self.tray.icon.hide()


def _saved_language() -> str | None:
    """`[ui] language` from config.toml, read before any window exists (the full config loads later)."""
    path = paths.config_path()
    try:
        text = path.read_text(encoding="utf-8")
        if "language" not in text:  # the usual file (the default is not written): no TOML parser (~10 ms)
            return None
        import tomllib

        value = tomllib.loads(text).get("ui", {}).get("language")
    except (OSError, ValueError, AttributeError):
        return None
    return value if value in ("system", "en", "ko") else None


class _EarlyRecords(logging.Handler):
    """Holds what is logged before the app log is opened (after the first paint: its rotating-file
    handler drags in socket, pickle and queue, ~20 ms), then hands it to the app log."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)

    def open_app_log(self) -> None:
        from core.app import applog

        root = logging.getLogger()
        root.removeHandler(self)
        applog.setup()
        for record in self.records:
            root.handle(record)
        self.records.clear()


def run_gui(smoke: bool = False) -> int:
    early = _EarlyRecords()
    logging.getLogger().addHandler(early)
    logging.getLogger().setLevel(logging.INFO)  # applog.setup's level, so nothing is lost before it runs
    QApplication.setApplicationName("T4 Panel")
    QApplication.setOrganizationName("T4Panel")
    app = QApplication.instance() or QApplication(sys.argv)
    app.setQuitOnLastWindowClosed(False)  # the tray keeps the app alive; MainWindow decides when to quit
    from gui.single_instance import SingleInstance

    single = SingleInstance()
    if not smoke and single.ask_running_instance():
        print("T4 Panel is already running; its window was brought to the front.")
        return 0
    single.listen()
    from gui.i18n import install_translators, language_setting

    install_translators(app, _saved_language() or language_setting())
    # gui.first_run.should_show_first_run's test, without importing the guide (~90 ms) on every start
    first_run = not smoke and not paths.config_path().exists()
    panel = PanelApp()
    single.raiseRequested.connect(panel.window.raise_window)
    install_excepthook(lambda: panel.window)
    if first_run:
        panel.window.firstPaint.connect(lambda: QTimer.singleShot(0, panel.open_first_run))
    if os.environ.get(FIRST_PAINT_ENV) == "1":  # bench_startup: the whole start-up, then quit at first paint
        def report() -> None:
            print(f"first paint {time.time():.6f} cpu {time.process_time():.6f}", flush=True)
            QTimer.singleShot(0, panel.quit)

        panel.window.firstPaint.connect(report)
    if smoke:
        def painted() -> None:
            print("smoke ok", flush=True)
            QTimer.singleShot(0, panel.quit)

        panel.window.firstPaint.connect(painted)
        QTimer.singleShot(30_000, lambda: (print("smoke failed: no paint in 30 s", file=sys.stderr), app.exit(1)))
    panel.window.firstPaint.connect(lambda: QTimer.singleShot(0, early.open_app_log))
    panel.start()
    code = app.exec()
    if early in logging.getLogger().handlers:  # quit before the log was opened: keep what was said
        early.open_app_log()
    return code
