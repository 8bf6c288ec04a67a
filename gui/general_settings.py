"""General settings: start at login, notifications and the monthly budget (with optional rate overrides)."""

from __future__ import annotations

import copy
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import (
    QCheckBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from core.store import config as config_mod
from core.store.config import AppConfig
from gui.core_text import problem_text
from gui.tasks import Tasks

_AUTOSTART_LOCK = threading.Lock()


class GeneralSettings(QWidget):
    """objectName "generalSettings". Saves through `save_config`; the login item is set in a worker."""

    def __init__(self, tasks: Tasks, get_config: Callable[[], AppConfig], save_config: Callable[[AppConfig], Any],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("generalSettings")
        self.tasks, self.get_config, self.save_config = tasks, get_config, save_config

        startup = QGroupBox(self.tr("Starting"), self)
        self.autostart = QCheckBox(self.tr("Start T4 Panel when I log in (so scheduled runs are never missed)"))
        self.autostart.setObjectName("autostartCheck")
        self.autostart.toggled.connect(self._autostart_toggled)
        QVBoxLayout(startup).addWidget(self.autostart)

        notes = QGroupBox(self.tr("Notifications"), self)
        self.on_success = QCheckBox(self.tr("Tell me when a run succeeds"))
        self.on_failure = QCheckBox(self.tr("Tell me when a run fails or is cancelled"))
        self.webhook = QLineEdit()
        self.webhook.setObjectName("webhookEdit")
        self.webhook.setPlaceholderText("https://hooks.slack.com/services/...")
        self.webhook.setToolTip(self.tr("Optional. The end of each run is also posted here (Slack-compatible)."))
        form = QFormLayout(notes)
        form.addRow(self.on_success)
        form.addRow(self.on_failure)
        form.addRow(self.tr("Slack webhook"), self.webhook)
        self.stall_minutes = QSpinBox()
        self.stall_minutes.setObjectName("stallMinutesSpin")
        self.stall_minutes.setRange(0, 24 * 60)
        self.stall_minutes.setSuffix(self.tr(" min"))
        self.stall_minutes.setSpecialValueText(self.tr("never"))
        self.stall_minutes.setToolTip(self.tr(
            "While a Vertex AI run is running, warn (tray and webhook) when its GPU and CPU have both been idle "
            "this long: a stuck job is billed like a working one."))
        self.cancel_stalled = QCheckBox(self.tr("Also cancel such a run"))
        self.cancel_stalled.setObjectName("cancelStalledCheck")
        form.addRow(self.tr("Warn when the T4 sits idle for"), self.stall_minutes)
        form.addRow(self.cancel_stalled)

        budget = QGroupBox(self.tr("Budget"), self)
        self.monthly = QDoubleSpinBox()
        self.monthly.setObjectName("budgetSpin")
        self.monthly.setRange(0, 1_000_000)
        self.monthly.setPrefix("$ ")
        self.monthly.setSpecialValueText(self.tr("no budget"))
        self.block = QCheckBox(self.tr("Do not start scheduled runs that would go over the budget"))
        self.machine_rate = QDoubleSpinBox()
        self.gpu_rate = QDoubleSpinBox()
        for spin in (self.machine_rate, self.gpu_rate):
            spin.setRange(0, 1000)
            spin.setDecimals(4)
            spin.setPrefix("$ ")
            spin.setSuffix(self.tr(" per hour"))
            spin.setSpecialValueText(self.tr("use the price table"))
        form = QFormLayout(budget)
        form.addRow(self.tr("Monthly budget"), self.monthly)
        form.addRow(self.block)
        form.addRow(self.tr("Machine rate (optional)"), self.machine_rate)
        form.addRow(self.tr("T4 rate per GPU (optional)"), self.gpu_rate)

        language = QGroupBox(self.tr("Language"), self)
        from gui.i18n import LanguagePicker

        self.language = LanguagePicker(self.get_config().ui.language)
        language_form = QFormLayout(language)
        language_form.addRow(self.tr("Language"), self.language)
        language_form.addRow(QLabel(self.tr("A change takes effect the next time T4 Panel starts.")))

        self.status = QLabel("")
        self.status.setWordWrap(True)
        self.save_button = QPushButton(self.tr("Save"))
        self.save_button.setObjectName("generalSaveButton")
        self.save_button.clicked.connect(self._save)
        buttons = QHBoxLayout()
        buttons.addWidget(self.status, 1)
        buttons.addWidget(self.save_button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for box in (startup, notes, budget, language):
            layout.addWidget(box)
        layout.addLayout(buttons)
        self.load()

    def load(self) -> None:
        cfg = self.get_config()
        self.on_success.setChecked(cfg.notifications.on_success)
        self.on_failure.setChecked(cfg.notifications.on_failure)
        self.webhook.setText(cfg.notifications.webhook_url)
        self.stall_minutes.setValue(cfg.notifications.stall_minutes)
        self.cancel_stalled.setChecked(cfg.notifications.cancel_when_stalled)
        self.monthly.setValue(cfg.budget.monthly_usd)
        self.block.setChecked(cfg.budget.block_when_over)
        self.machine_rate.setValue(cfg.budget.machine_rate_override)
        self.gpu_rate.setValue(cfg.budget.gpu_rate_override)
        self.language.setCurrentIndex(max(0, self.language.findData(cfg.ui.language)))

        def read() -> bool:
            from core.app import autostart

            return autostart.is_enabled()

        def shown(enabled: bool) -> None:
            self.autostart.blockSignals(True)
            self.autostart.setChecked(enabled)
            self.autostart.blockSignals(False)
            self.autostart.setEnabled(True)

        self.autostart.setEnabled(False)  # until we know whether it is on

        self.tasks.run(read, shown, lambda exc: self.autostart.setEnabled(False))

    def _autostart_toggled(self, on: bool) -> None:
        self._autostart_wanted = on

        def apply() -> None:
            from core.app import autostart

            with _AUTOSTART_LOCK:  # quick toggles may run out of order: the latest wish wins
                wanted = self._autostart_wanted
                autostart.enable(autostart.default_command()) if wanted else autostart.disable()

        self.tasks.run(apply, lambda _: self.status.setText(
            self.tr("T4 Panel will start when you log in.") if on else self.tr("T4 Panel will not start at login.")),
            lambda exc: self.status.setText(self.tr("Could not change the login item: %1").replace("%1", str(exc))))

    def _save(self) -> None:
        cfg = copy.deepcopy(self.get_config())
        cfg.notifications.on_success = self.on_success.isChecked()
        cfg.notifications.on_failure = self.on_failure.isChecked()
        cfg.notifications.webhook_url = self.webhook.text().strip()
        cfg.notifications.stall_minutes = self.stall_minutes.value()
        cfg.notifications.cancel_when_stalled = self.cancel_stalled.isChecked()
        cfg.budget.monthly_usd = round(self.monthly.value(), 2)
        cfg.budget.block_when_over = self.block.isChecked()
        cfg.budget.machine_rate_override = self.machine_rate.value()
        cfg.budget.gpu_rate_override = self.gpu_rate.value()
        cfg.ui.language = self.language.value()
        problems = [p for p in config_mod.validate(cfg) if p.field.split(".")[0] in ("notifications", "budget", "ui")]
        if problems:
            self.status.setText(" ".join(problem_text(p) for p in problems))
            return
        self.status.setText(self.tr("Saved."))
        self.save_config(cfg)
