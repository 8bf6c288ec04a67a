"""The Schedule page's cloud switch: "Run in Google Cloud (this computer may be off)", what it costs a month,
the sentence the operator says yes to, the checklist that sets it up or removes it, and what the cloud's copy
says (settings that differ, a missed fire). Every Google and keyring call runs on the worker pool."""

from __future__ import annotations

import copy
import logging
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QCheckBox, QGroupBox, QLabel, QMessageBox, QVBoxLayout, QWidget

from core.store.config import AppConfig
from gui.core_text import error_message
from gui.tasks import Tasks

log = logging.getLogger(__name__)

# CloudSchedule(cfg, *, secrets=..., progress=...) (core.app.cloud_setup); tests may hand their own.
ScheduleFactory = Callable[..., Any]


def _default_factory(cfg: AppConfig, **kwargs: Any) -> Any:
    from core.app.cloud_setup import CloudSchedule

    return CloudSchedule(cfg, **kwargs)


def read_supabase_keys(store: Any) -> dict[str, str]:
    """The Supabase URL and key from the keyring, read on the worker thread at the moment setup needs them."""
    values = {name: store.get(name) for name in ("supabase-url", "supabase-key")}
    return {name: value for name, value in values.items() if value}


class CloudPanel(QGroupBox):
    """objectName "cloudPanel": the switch `cloudSwitch`, its reason `cloudSwitchReason`, the monthly cost
    `cloudCost` and the cloud copy's state `cloudState`.

    Args:
        tasks: the app's worker pool.
        get_config: the saved AppConfig. save_config(cfg, on_saved): saves it (off the UI thread).
        secret_store: where the Supabase keys are (read only when setup starts).
        schedule_factory: builds the CloudSchedule (default: core.app.cloud_setup.CloudSchedule).
        clock: aware UTC now.

    Signals:
        switched(bool): the cloud schedule was turned on (True) or off (False) and the config saved.
        removalStarted(object): the aware UTC time removal began (the desktop resumes firing from there).
        notice(str): a line for the app's status area ("Cloud schedule updated").
    """

    switched = Signal(bool)
    removalStarted = Signal(object)
    notice = Signal(str)

    def __init__(self, tasks: Tasks, get_config: Callable[[], AppConfig],
                 save_config: Callable[[AppConfig, Callable[[], None]], None], secret_store: Any = None,
                 parent: QWidget | None = None, *, schedule_factory: ScheduleFactory | None = None,
                 clock: Callable[[], datetime] | None = None) -> None:
        super().__init__(self.tr("Google Cloud"), parent)
        self.setObjectName("cloudPanel")
        self.tasks, self.get_config, self.save_config = tasks, get_config, save_config
        self.secret_store = secret_store
        self.schedule_factory = schedule_factory or _default_factory
        self.clock = clock or (lambda: datetime.now(UTC))
        self.dialog: Any = None
        self._status_pending = False
        self.confirm_box: QMessageBox | None = None

        self.switch = QCheckBox(self.tr("Run in Google Cloud (this computer may be off)"), self)
        self.switch.setObjectName("cloudSwitch")
        self.switch.setToolTip(self.tr("Google Cloud Scheduler starts each run in your own project, so the run "
                                       "happens even when every computer is off or asleep."))
        self.switch.clicked.connect(self._clicked)
        self.reason = QLabel("", self)
        self.reason.setObjectName("cloudSwitchReason")
        self.reason.setWordWrap(True)
        self.cost = QLabel("", self)
        self.cost.setObjectName("cloudCost")
        self.cost.setWordWrap(True)
        self.state = QLabel("", self)
        self.state.setObjectName("cloudState")
        self.state.setWordWrap(True)
        layout = QVBoxLayout(self)
        for w in (self.switch, self.reason, self.cost, self.state):
            layout.addWidget(w)
        self.load()

    # ---------------------------------------------------------------- showing the saved state

    def load(self) -> None:
        """Show the saved config: the switch, why it is unavailable, the cost (before it is on), the cloud's copy."""
        cfg = self.get_config()
        vertex = cfg.job.backend == "vertex" and bool(cfg.job.project_id)
        on = cfg.cloud.enabled is True
        self.switch.setChecked(on)
        self.switch.setEnabled(vertex or on)  # once on, it can always be turned off
        if not vertex:
            self.reason.setText(self.tr("Available when the job runs on Vertex AI in a Google Cloud project "
                                        "(Job page, Run on)."))
        elif on:
            self.reason.setText(self.tr("On: Google Cloud starts the runs in project %1. This computer starts none; "
                                        "it shows the cloud's runs when it is on.").replace("%1", cfg.job.project_id))
        else:
            self.reason.setText(self.tr("Off: this computer starts the runs, so it must be on and awake at run time."))
        self.reason.setVisible(bool(self.reason.text()))
        self.cost.setVisible(vertex)
        if vertex:
            self._load_cost(cfg)
        if on:
            self.refresh_status()
        else:
            self.state.setText("")
            self.state.hide()

    def _load_cost(self, cfg: AppConfig) -> None:
        from gui.cloud_texts import cost_text

        def compute() -> Any:
            from core.cost.cloud import monthly_cost

            return monthly_cost(cfg)

        def shown(cost: Any) -> None:
            self.cost.setText(cost_text(cost))

        self.cost.setText(self.tr("Working out what it costs…"))
        self.tasks.run(compute, shown, lambda exc: self.cost.setText(
            self.tr("The monthly cost could not be worked out: %1").replace("%1", error_message(exc))))

    def refresh_status(self) -> None:
        """Ask the operator's project what it holds (off the UI thread) and show what needs attention."""
        cfg = self.get_config()
        if cfg.cloud.enabled is not True or self._status_pending:
            return
        from gui.cloud_texts import status_text

        def shown(status: Any) -> None:
            self._status_pending = False
            text, warn = status_text(status, cfg.schedule.timezone)
            self.state.setText(text)
            self.state.setStyleSheet("color: #8a4b00;" if warn else "")
            self.state.setVisible(bool(text))

        def shown_error(exc: BaseException) -> None:
            self._status_pending = False
            self.state.setText(self.tr("Could not check the cloud schedule: %1").replace("%1", error_message(exc)))
            self.state.setStyleSheet("color: #8a4b00;")

        self.state.setText(self.tr("Checking the cloud schedule…"))
        self.state.show()
        factory = self.schedule_factory
        self._status_pending = True
        self.tasks.run(lambda: factory(cfg).status(), shown, shown_error)

    # ---------------------------------------------------------------- turning it on and off

    def _clicked(self, checked: bool) -> None:
        self.switch.setChecked(not checked)  # the switch shows the saved state until the checklist is done
        if (self.dialog is not None and self.dialog.running) or self.confirm_box is not None:
            return  # one change at a time: the checklist (or the question) already on screen is it
        cfg = self.get_config()
        project = cfg.job.project_id
        box = QMessageBox(self)
        box.setObjectName("cloudConfirm")
        box.setIcon(QMessageBox.Icon.Question)
        if checked:
            box.setWindowTitle(self.tr("Run in Google Cloud?"))
            from core.app.cloud_setup import consent_message
            from gui.core_text import message_text

            box.setText(message_text(consent_message(cfg)))  # the same question `t4panel cloud setup` asks
            box.setInformativeText(self.tr("T4 Panel then creates, in %1: a service account t4panel-runner, a Cloud "
                                           "Run job and a Cloud Scheduler job, all labelled t4panel. From then on "
                                           "Google Cloud starts the runs and this computer starts none. Turn it on?")
                                   .replace("%1", project))
            yes = box.addButton(self.tr("Turn on"), QMessageBox.ButtonRole.AcceptRole)
        else:
            box.setWindowTitle(self.tr("Stop running in Google Cloud?"))
            box.setText(self.tr("T4 Panel deletes what it created in project %1 (the Cloud Scheduler job, the Cloud "
                                "Run job, the copied keys and the service account) and nothing else.").replace(
                "%1", project))
            box.setInformativeText(self.tr("This computer then starts the runs again, so it must be on and awake "
                                           "at run time. Turn it off?"))
            yes = box.addButton(self.tr("Turn off"), QMessageBox.ButtonRole.AcceptRole)
        yes.setObjectName("cloudConfirmYes")
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.buttonClicked.connect(lambda button: self._answered(button is yes, checked))
        box.finished.connect(lambda _: setattr(self, "confirm_box", None))  # closed any way at all: not asking now
        self.confirm_box = box
        box.open()

    def _answered(self, yes: bool, turn_on: bool) -> None:
        self.confirm_box = None
        if yes:
            self.turn_on() if turn_on else self.turn_off()

    def turn_on(self) -> None:
        """The checklist of setup (after the operator said yes); on success the config says the cloud fires."""
        cfg = self.get_config()
        store, factory = self.secret_store, self.schedule_factory

        def action(progress: Callable[[Any], None]) -> Any:
            keys = read_supabase_keys(store) if store is not None else None  # only now, on the worker
            return factory(cfg, secrets=keys, progress=progress).setup()

        self._open_checklist(cfg, self.tr("Setting up the cloud schedule"),
                             self.tr("Each step first looks at what is there and makes only what is missing."),
                             action, on=True)

    def turn_off(self) -> None:
        cfg = self.get_config()
        factory = self.schedule_factory
        self.removalStarted.emit(self.clock())  # from here the cloud may no longer fire: the desktop takes over

        def action(progress: Callable[[Any], None]) -> Any:
            return factory(cfg, progress=progress).remove()

        self._open_checklist(cfg, self.tr("Removing the cloud schedule"),
                             self.tr("Only what T4 Panel created is deleted; what is already gone counts as done."),
                             action, on=False)

    def _open_checklist(self, cfg: AppConfig, title: str, intro: str, action: Any, on: bool) -> None:
        from core.app.cloud_setup import plan
        from gui.cloud_checklist import CloudChecklist

        steps = plan(cfg)
        if not on:
            steps = list(reversed(steps))
        self.dialog = CloudChecklist(self.tasks, title, intro, steps, action, self)
        self.dialog.succeeded.connect(lambda _: self._save_switch(on))
        self.dialog.open()
        self.dialog.start()

    def _save_switch(self, on: bool) -> None:
        cfg = copy.deepcopy(self.get_config())
        cfg.cloud.enabled = on

        def saved() -> None:
            self.load()
            self.switched.emit(on)
            self.notice.emit(self.tr("Cloud schedule on: Google Cloud starts the runs.") if on else
                             self.tr("Cloud schedule off: this computer starts the runs again."))

        self.save_config(cfg, saved)
