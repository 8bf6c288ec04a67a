"""The History page: every run in a sortable table; double-click opens that run's log."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from core.cost import RateOverrides, places_of
from core.errors import Message
from core.store.runs import Run, RunState
from gui.core_text import message_text, run_error_text
from gui.dashboard import state_text
from gui.run_attempts import attempt_lines, place_text, places_text, waiting_line
from gui.run_texts import run_length_text, when_text


class _SortItem(QTableWidgetItem):
    """Sorts by a hidden key (times, money) rather than by the text shown."""

    def __init__(self, text: str, key: object) -> None:
        super().__init__(text)
        self.key = key

    def __lt__(self, other: QTableWidgetItem) -> bool:
        if isinstance(other, _SortItem):
            return (self.key is None, self.key) < (other.key is None, other.key)  # type: ignore[operator]
        return super().__lt__(other)


class HistoryPage(QWidget):
    """objectName of the table: "historyTable". Signals: openLog(object) with the Run; refreshRequested()."""

    openLog = Signal(object)
    refreshRequested = Signal()
    COLUMNS = (QT_TRANSLATE_NOOP("HistoryPage", "Started"), QT_TRANSLATE_NOOP("HistoryPage", "Trigger"),
               QT_TRANSLATE_NOOP("HistoryPage", "Run on"), QT_TRANSLATE_NOOP("HistoryPage", "Job"),
               QT_TRANSLATE_NOOP("HistoryPage", "State"), QT_TRANSLATE_NOOP("HistoryPage", "Duration"),
               QT_TRANSLATE_NOOP("HistoryPage", "Cost (est.)"), QT_TRANSLATE_NOOP("HistoryPage", "Details"))
    max_rows = 500  # what AppCore.recent_runs loads: new runs push the oldest row out, not grow the table

    def __init__(self, parent: QWidget | None = None,
                 rate_overrides: Callable[[], RateOverrides | None] | None = None) -> None:
        """`rate_overrides`: the operator's own rates (Settings), for a running attempt's cost so far."""
        super().__init__(parent)
        self._rate_overrides = rate_overrides or (lambda: None)
        self.table = QTableWidget(0, len(self.COLUMNS), self)
        self.table.setObjectName("historyTable")
        self.table.setHorizontalHeaderLabels([self.tr(c) for c in self.COLUMNS])
        self.table.setSortingEnabled(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(len(self.COLUMNS) - 1, QHeaderView.ResizeMode.Stretch)
        self.table.cellDoubleClicked.connect(self._open)
        self.runs: dict[str, Run] = {}
        self._sorted_once = False
        refresh = QPushButton(self.tr("Refresh"))
        refresh.clicked.connect(self.refreshRequested)
        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("<h2>History</h2>Double-click a run to see its log.")), 1)
        top.addWidget(refresh)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)

    def set_runs(self, runs: list[Run]) -> None:
        self.runs = {r.id: r for r in runs}
        self.table.setSortingEnabled(False)
        self.table.setRowCount(len(runs))
        for row, run in enumerate(runs):
            self._fill(row, run)
        self.table.setSortingEnabled(True)
        if not self._sorted_once:  # newest first, until the operator picks another order
            self._sorted_once = True
            self.table.sortItems(0, Qt.SortOrder.DescendingOrder)
        self.table.resizeColumnsToContents()

    def update_run(self, run: Run) -> None:
        """Show a new or changed run without reloading the table."""
        row = self._row_of(run.id) if run.id in self.runs else -1
        if row >= 0:
            self.table.setSortingEnabled(False)
            self._fill(row, run)
            self.table.setSortingEnabled(True)
            self.runs[run.id] = run
            return
        # A new run: one row in, and at the cap the oldest run's row out (refilling every row made a long-open
        # window churn through 500 rows per run).
        self.table.setSortingEnabled(False)
        if len(self.runs) >= self.max_rows:
            oldest = min(self.runs.values(), key=lambda r: r.created)
            del self.runs[oldest.id]
            self.table.removeRow(self._row_of(oldest.id))
        self.table.insertRow(0)
        self._fill(0, run)
        self.runs[run.id] = run
        self.table.setSortingEnabled(True)
        if not self._sorted_once:
            self._sorted_once = True
            self.table.sortItems(0, Qt.SortOrder.DescendingOrder)

    def _row_of(self, run_id: str) -> int:
        for row in range(self.table.rowCount()):
            item = self.table.item(row, 0)
            if item is not None and item.data(Qt.ItemDataRole.UserRole) == run_id:
                return row
        return -1

    def _fill(self, row: int, run: Run) -> None:
        when = run.started or run.created
        trigger = {"manual": self.tr("Run Now"), "schedule": self.tr("Schedule"), "catch-up": self.tr("Catch-up")}
        detail = run_error_text(run)
        if "rows_written" in run.detail:
            detail = (self.tr("rows written: +%1").replace("%1", str(run.detail["rows_written"]))
                      + ("; " + detail if detail else ""))
        if run.detail.get("rows_warning"):
            stored = run.detail.get("rows_warning_msg")  # with its id since message ids; older rows: text
            warning = (message_text(Message.from_json(stored)) if isinstance(stored, dict)
                       else run.detail["rows_warning"])
            detail += ("; " if detail else "") + warning
        if "gpu_busy_percent" in run.detail:  # kept by AppCore.run_usage once the run's page has read it
            busy = self.tr("GPU busy %1% of the run").replace("%1", str(run.detail["gpu_busy_percent"]))
            detail = busy + ("; " + detail if detail else "")
        if run.exit_code not in (None, 0) and not run.error and run.state == RunState.FAILED:  # said once
            detail = self.tr("exit code %1").replace("%1", str(run.exit_code)) + ("; " + detail if detail else "")
        tries = [*attempt_lines(run), waiting_line(run)]  # a scheduled run tried more than once: each attempt
        detail = "; ".join([t for t in tries if t] + ([detail] if detail else []))
        places = places_of(run, overrides=self._rate_overrides()) if run.backend == "vertex" else []
        cost = run.cost_usd
        cost_text = ("" if cost is None
                     else f"${cost:.2f}" + (self.tr(" if on Vertex") if run.backend == "local" else ""))
        duration = (run.ended - run.started).total_seconds() if run.started and run.ended else None
        items = [
            _SortItem(when_text(when), when.timestamp()),
            QTableWidgetItem(trigger.get(run.trigger, run.trigger)),
            QTableWidgetItem(self.tr("this computer") if run.backend == "local" else
                             "Vertex AI" + (f" ({place_text(places[-1].region, places[-1].spot)})" if places else "")),
            QTableWidgetItem(run.display_name if run.backend == "local" or not run.job_name
                             else f"{run.display_name} ({run.job_name.rsplit('/', 1)[-1]})"),
            QTableWidgetItem(state_text(run.state, run.backend)),
            _SortItem(run_length_text(run), duration),
            _SortItem(cost_text, cost),
            QTableWidgetItem(detail),
        ]
        items[0].setData(Qt.ItemDataRole.UserRole, run.id)
        items[0].setToolTip(run.id)
        if len(places) > 1:  # what each attempt cost, where
            items[6].setToolTip(places_text(places))
        items[7].setToolTip(detail)
        for col, item in enumerate(items):
            self.table.setItem(row, col, item)

    def _open(self, row: int, _col: int) -> None:
        item = self.table.item(row, 0)
        run = self.runs.get(item.data(Qt.ItemDataRole.UserRole)) if item else None
        if run is not None:
            self.openLog.emit(run)
