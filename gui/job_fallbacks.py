"""The Job page's fallbacks: T4 regions to try, in order, when the job's region has no GPU free, and whether a
Spot run that is preempted or finds no Spot capacity runs on demand (with what that costs more per run)."""

from __future__ import annotations

import copy

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from core.backends.placement import fallback_image_warning
from core.store import config as config_mod
from core.store.config import JobConfig, ScheduleConfig


class FallbacksBox(QWidget):
    """Signals: changed(): the list or the on-demand choice changed (the page revalidates and re-prices)."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("fallbacksBox")
        self.list = QListWidget()
        self.list.setObjectName("fallbackList")
        self.list.setMaximumHeight(90)
        self.list.setToolTip(self.tr("Tried from the top when the job's own region has no T4 free. Only a scheduled "
                                     "run moves; Run Now uses the job's region."))
        self.pick = QComboBox()
        self.pick.setObjectName("fallbackPick")
        self.add_button = QPushButton(self.tr("Add"))
        self.add_button.setObjectName("fallbackAddButton")
        self.remove_button = QPushButton(self.tr("Remove"))
        self.remove_button.setObjectName("fallbackRemoveButton")
        self.up_button = QPushButton(self.tr("Up"))
        self.up_button.setObjectName("fallbackUpButton")
        self.warning = QLabel("")
        self.warning.setObjectName("fallbackImageWarning")
        self.warning.setWordWrap(True)
        self.warning.setStyleSheet("color: #b45309;")
        self.warning.hide()
        self.on_demand = QCheckBox(self.tr("If Spot is preempted or unavailable, run on demand"))
        self.on_demand.setObjectName("onDemandFallbackCheck")
        self.on_demand.setToolTip(self.tr("A preempted Spot run is tried again on demand in the same region. When no "
                                          "region above has Spot T4s free, the next attempts run on demand."))
        self.on_demand_cost = QLabel("")
        self.on_demand_cost.setObjectName("onDemandCostLabel")
        self.on_demand_cost.setWordWrap(True)
        self.on_demand_cost.setStyleSheet("color: #616161;")

        buttons = QHBoxLayout()
        buttons.setContentsMargins(0, 0, 0, 0)
        for w in (self.pick, self.add_button, self.remove_button, self.up_button):
            buttons.addWidget(w)
        buttons.addStretch(1)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        column.addWidget(self.list)
        column.addLayout(buttons)
        column.addWidget(self.warning)
        column.addWidget(self.on_demand)
        column.addWidget(self.on_demand_cost)

        self.add_button.clicked.connect(self._add)
        self.remove_button.clicked.connect(self._remove)
        self.up_button.clicked.connect(self._up)
        self.list.currentRowChanged.connect(lambda _row: self._buttons())
        self.on_demand.toggled.connect(lambda _on: self.changed.emit())
        self._primary = ""

    # ---------------------------------------------------------------- values

    def set_values(self, regions: list[str], on_demand: bool, primary: str) -> None:
        self.blockSignals(True)
        self.list.clear()
        self.list.addItems([r for r in regions if isinstance(r, str)])
        self.on_demand.setChecked(on_demand)
        self.blockSignals(False)
        self.set_primary(primary)

    def regions(self) -> list[str]:
        return [self.list.item(i).text() for i in range(self.list.count())]

    def set_primary(self, region: str) -> None:
        """The job's own region is tried first, so it is not offered as a fallback."""
        self._primary = region
        chosen = set(self.regions())
        current = self.pick.currentText()
        self.pick.blockSignals(True)
        self.pick.clear()
        self.pick.addItems([r for r in config_mod.T4_REGIONS if r != region and r not in chosen])
        if self.pick.findText(current) >= 0:
            self.pick.setCurrentText(current)
        self.pick.blockSignals(False)
        self._buttons()

    def _buttons(self) -> None:
        row = self.list.currentRow()
        self.add_button.setEnabled(self.pick.count() > 0)
        self.remove_button.setEnabled(row >= 0)
        self.up_button.setEnabled(row > 0)

    def _add(self) -> None:
        region = self.pick.currentText()
        if region:
            self.list.addItem(region)
            self.set_primary(self._primary)
            self.changed.emit()

    def _remove(self) -> None:
        row = self.list.currentRow()
        if row >= 0:
            self.list.takeItem(row)
            self.set_primary(self._primary)
            self.changed.emit()

    def _up(self) -> None:
        row = self.list.currentRow()
        if row > 0:
            item = self.list.takeItem(row)
            self.list.insertItem(row - 1, item)
            self.list.setCurrentRow(row - 1)
            self.changed.emit()

    # ---------------------------------------------------------------- what the form says around it

    def refresh(self, job: JobConfig, schedule: ScheduleConfig) -> None:
        """The image warning and the on-demand cost line for the form's current job."""
        from gui.core_text import message_text

        warning = fallback_image_warning(job) if job.backend == "vertex" else None
        self.warning.setText(message_text(warning) if warning is not None else "")
        self.warning.setVisible(warning is not None)
        self.on_demand.setEnabled(job.spot)
        self.on_demand_cost.setText(self._on_demand_text(job, schedule) if job.spot else
                                    self.tr("Only for Spot jobs: turn on Spot above to choose this."))

    def _on_demand_text(self, job: JobConfig, schedule: ScheduleConfig) -> str:
        from core.cost import PricingError, estimate

        try:
            spot = estimate(job, schedule)
            standard = estimate(_with_spot(job, False), schedule)
        except (PricingError, TypeError, ValueError, KeyError):
            return ""
        from gui.core_text import price_source_text

        more = round(standard.per_run, 2) - round(spot.per_run, 2)  # adds up with the two figures shown
        return (self.tr("A run on demand costs about $%1 more than on Spot (about $%2 instead of $%3, estimate).")
                .replace("%1", f"{more:.2f}").replace("%2", f"{standard.per_run:.2f}")
                .replace("%3", f"{spot.per_run:.2f}") + " " + price_source_text(standard.rates))


def _with_spot(job: JobConfig, spot: bool) -> JobConfig:
    other = copy.deepcopy(job)
    other.spot = spot
    return other
