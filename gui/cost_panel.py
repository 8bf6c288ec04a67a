"""The cost panel: this month so far, where it is heading, the budget, daily spend and the costliest runs.

Data comes from one callable (normally core.cost.snapshot bound to the config and the run store) that
runs on the worker pool: SQLite is never read on the UI thread. QtCharts is imported when the panel is
first shown, so it stays off the start-up path.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import Qt, QTimer, Slot
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from core.cost import BudgetLevel, CostSnapshot
from core.cost.catalog import money
from gui.core_text import budget_text, colab_source_text, message_text, price_source_text, rates_text
from gui.run_attempts import place_text, places_text
from gui.run_texts import seconds_text, when_text
from gui.tasks import Reload, Tasks

log = logging.getLogger(__name__)

LIVE_REFRESH_MS = 30_000  # a running job's cost ticks while the panel is visible
_BAR_COLOURS = {BudgetLevel.OK: "#2e7d32", BudgetLevel.WARN80: "#ef6c00", BudgetLevel.OVER100: "#c62828"}


def _usd(value: float) -> str:
    return f"${value:,.2f}"


class CostPanel(QWidget):
    """What the T4 job costs. Every figure is labelled as an estimate, with the rates it used.

    Args:
        tasks: the app's worker pool.
        source: returns a core.cost.CostSnapshot; called on a worker thread.
    """

    def __init__(self, tasks: Tasks, source: Callable[[], CostSnapshot], parent: QWidget | None = None,
                 advice: Any = None) -> None:
        super().__init__(parent)
        self.advice = advice  # a gui.advice_panel.AdvicePanel, shown under the price line; refreshed with the rest
        self.setObjectName("costPanel")
        self.tasks = tasks
        self.source = source
        self.snapshot: CostSnapshot | None = None
        self._price_note = ""  # what the last price refresh said (e.g. "kept yesterday's prices")
        self.chart_view: Any = None  # a QChartView once the panel has been shown
        # The advice (its own load) is refreshed whenever the figures are: same prices, same runs.
        self._reload = Reload(tasks, lambda: self.source(), self._loaded, self._failed,
                              started=lambda: self.advice.refresh() if self.advice is not None else None)
        self._live = QTimer(self)
        self._live.setInterval(LIVE_REFRESH_MS)
        self._live.timeout.connect(self._tick)
        self._build()

    # ---------------------------------------------------------------- layout

    def _label(self, name: str, parent_layout: Any) -> QLabel:
        label = QLabel(self)
        label.setObjectName(name)
        label.setWordWrap(True)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        parent_layout.addWidget(label)
        return label

    def _build(self) -> None:
        # The page scrolls: with the advice on top it is taller than a laptop screen, and a page that does not
        # scroll would make the whole window that tall (or squeeze its wrapped sentences to a cut-off line).
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        scroll = QScrollArea(self)
        scroll.setObjectName("costScroll")
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        inner = QWidget(scroll)
        root = QVBoxLayout(inner)
        scroll.setWidget(inner)
        outer.addWidget(scroll)
        self.status_label = self._label("costStatus", root)
        self.status_label.setText(self.tr("Loading costs..."))
        self.price_label = self._label("costPriceSource", root)
        if self.advice is not None:
            root.addWidget(self.advice)

        month = QGroupBox(self.tr("This month (estimate)"), self)
        month_layout = QVBoxLayout(month)
        self.month_label = self._label("costMonthToDate", month_layout)
        self.projection_label = self._label("costProjection", month_layout)
        self.running_label = self._label("costRunning", month_layout)
        self.budget_bar = QProgressBar(month)
        self.budget_bar.setObjectName("costBudgetBar")
        self.budget_bar.setRange(0, 1000)
        self.budget_bar.setTextVisible(True)
        month_layout.addWidget(self.budget_bar)
        self.budget_label = self._label("costBudgetMessage", month_layout)
        self.local_label = self._label("costLocalRuns", month_layout)
        self.colab_label = self._label("costColab", month_layout)
        root.addWidget(month)

        chart_box = QGroupBox(self.tr("Daily spend (estimate)"), self)
        self.chart_layout = QVBoxLayout(chart_box)
        row = QHBoxLayout()
        row.addWidget(QLabel(self.tr("Show the last"), chart_box))
        self.range_box = QComboBox(chart_box)
        self.range_box.setObjectName("costRange")
        self.range_box.addItem(self.tr("30 days"), 30)
        self.range_box.addItem(self.tr("90 days"), 90)
        self.range_box.currentIndexChanged.connect(self._fill_chart)
        row.addWidget(self.range_box)
        row.addStretch(1)
        self.chart_layout.addLayout(row)
        root.addWidget(chart_box, 1)

        top = QGroupBox(self.tr("Most expensive runs (last 90 days)"), self)
        top_layout = QGridLayout(top)
        self.table = QTableWidget(0, 4, top)
        self.table.setObjectName("costExpensiveTable")
        self.table.setHorizontalHeaderLabels(
            [self.tr("Started"), self.tr("Where"), self.tr("Length"), self.tr("Cost (estimate)")])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        top_layout.addWidget(self.table, 0, 0)
        root.addWidget(top, 1)

        self.basis_label = self._label("costBasis", root)

    # ---------------------------------------------------------------- data

    @Slot()
    def refresh(self) -> None:
        """Reload the figures in the background (a call while loading queues one more load)."""
        self._reload.request()

    @property
    def _busy(self) -> bool:
        return self._reload.busy

    def _tick(self) -> None:
        if self.snapshot is not None and self.snapshot.running and self.isVisible():
            self.refresh()

    def _failed(self, exc: BaseException) -> None:
        message = getattr(exc, "message", None) or self.tr("The costs could not be read.")
        self.status_label.setText(message)
        self.status_label.show()

    def _loaded(self, snap: CostSnapshot) -> None:
        self.snapshot = snap
        self.status_label.hide()
        self._fill_month(snap)
        self._fill_table(snap)
        self._fill_chart()

    @Slot(object)
    def set_price_refresh(self, refresh: Any) -> None:
        """Show what the last fetch of Google's price list did (a core.app.prices.PriceRefresh, or None)."""
        self._price_note = message_text(refresh.message) if refresh is not None else ""
        if self.snapshot is not None:
            self._fill_prices(self.snapshot)
        if refresh is not None and getattr(refresh.outcome, "value", "") == "fetched":
            self.refresh()  # new rates: every figure changes

    def _fill_prices(self, snap: CostSnapshot) -> None:
        line = price_source_text(snap.rates) if snap.rates is not None else ""
        self.price_label.setText(" ".join(t for t in (line, self._price_note) if t))

    def _fill_month(self, snap: CostSnapshot) -> None:
        b, p = snap.budget, snap.projection
        spent = self.tr("Spent on Vertex AI so far this month: about {0} (estimate).").format(_usd(b.spent))
        r = snap.rates
        if r is not None and r.currency != "USD":
            spent += " " + self.tr("In your billing currency: about {0}.").format(money(r.local(b.spent), r.currency))
        self.month_label.setText(spent)
        self._fill_prices(snap)
        if p is None:
            self.projection_label.setText(snap.problem or "")
        elif p.backend != "vertex":
            left = self.tr("%n scheduled run(s) left this month", "", p.runs_left)
            self.projection_label.setText(self.tr(
                "Jobs run on this computer, so nothing more is spent on Vertex AI; {0}, each would cost about "
                "{1} there.").format(left, _usd(p.estimate.per_run)))
        else:
            left = self.tr("%n more scheduled run(s)", "", p.runs_left)
            self.projection_label.setText(self.tr(
                "Projected for the month: about {0} (so far plus {1} at about {2} each).").format(
                _usd(p.month_total), left, _usd(p.estimate.per_run)))
        if snap.running:
            live = sum(r.cost for r in snap.running)
            self.running_label.setText(self.tr("Running now: about {0} so far.").format(_usd(live)))
            self.running_label.show()
            self._live.start()
        else:
            self.running_label.hide()
            self._live.stop()
        self._fill_budget(snap)
        would = p.would_have_cost if p is not None else 0.0
        self.local_label.setText(self.tr(
            "Runs on this computer this month would have cost about {0} on Vertex AI.").format(_usd(would)))
        month = p.month_total if p is not None else b.spent
        self.colab_label.setText(self.tr(
            "For comparison: Colab Pro costs {0} and Colab Pro+ {1} a month, whatever you run. "
            "Projected this month on Vertex AI: about {2}.").format(_usd(snap.colab_pro), _usd(snap.colab_pro_plus),
                                                         _usd(month)))
        self.colab_label.setToolTip(colab_source_text(snap.colab_source))
        basis = rates_text(snap.rates) if snap.rates is not None else self.tr("No rates could be applied.")
        self.basis_label.setText(self.tr(
            "All figures are estimates: Google's bill is the final word. Rates used: {0}").format(basis))

    def _fill_budget(self, snap: CostSnapshot) -> None:
        b = snap.budget
        self.budget_bar.setProperty("level", b.level.value)
        if b.budget <= 0:
            self.budget_bar.setValue(0)
            self.budget_bar.setFormat(self.tr("No monthly budget set"))
            self.budget_bar.setStyleSheet("")
        else:
            self.budget_bar.setValue(min(1000, round(b.fraction * 1000)))
            self.budget_bar.setFormat(self.tr("{0} of {1} ({2}%)").format(
                _usd(b.spent), _usd(b.budget), round(b.fraction * 100)))
            self.budget_bar.setStyleSheet(
                f"QProgressBar::chunk {{ background-color: {_BAR_COLOURS[b.level]}; }}")
        self.budget_label.setText(budget_text(b))
        self.budget_label.setVisible(b.budget > 0 or b.spent > 0)

    def _fill_table(self, snap: CostSnapshot) -> None:
        tz = ZoneInfo(snap.timezone)
        self.table.setRowCount(len(snap.expensive))
        for row, r in enumerate(snap.expensive):
            when = when_text(r.created, tz)
            where = self.tr("This computer") if r.would_have else self.tr("Vertex AI")
            if len(r.places) > 1:  # tried in several places: where each attempt ran and what it cost
                where += ": " + places_text(r.places)
            elif r.places:
                where += f" ({place_text(r.places[0].region, r.places[0].spot)})"
            length = seconds_text(r.seconds) if r.seconds is not None else ""
            price = (self.tr("would have cost {0} on Vertex").format(_usd(r.cost)) if r.would_have
                     else _usd(r.cost))
            for col, text in enumerate((when, where, length, price)):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, r.id)
                self.table.setItem(row, col, item)

    # ---------------------------------------------------------------- chart

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self.chart_view is None:
            self._make_chart()
            self._fill_chart()
        if self.snapshot is None and not self._busy:
            self.refresh()

    def _make_chart(self) -> None:
        from PySide6.QtCharts import (
            QChart,
            QChartView,
            QDateTimeAxis,
            QLineSeries,
            QValueAxis,
        )

        chart = QChart()
        chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
        self._series = {"vertex": QLineSeries(), "local": QLineSeries()}
        self._series["vertex"].setName(self.tr("Vertex AI (spent)"))
        self._series["local"].setName(self.tr("This computer (would have cost on Vertex)"))
        self._x = QDateTimeAxis()
        self._x.setFormat("MMM d")
        self._x.setTickCount(7)
        self._y = QValueAxis()
        self._y.setLabelFormat("$%.2f")
        self._y.setMin(0)
        chart.addAxis(self._x, Qt.AlignmentFlag.AlignBottom)
        chart.addAxis(self._y, Qt.AlignmentFlag.AlignLeft)
        for series in self._series.values():
            chart.addSeries(series)
            series.attachAxis(self._x)
            series.attachAxis(self._y)
        view = QChartView(chart, self)
        view.setObjectName("costChart")
        view.setMinimumHeight(220)
        self.chart_layout.addWidget(view, 1)
        self.chart_view = view

    @Slot()
    def _fill_chart(self) -> None:
        if self.chart_view is None or self.snapshot is None:
            return
        from PySide6.QtCore import QDateTime

        days = int(self.range_box.currentData() or 30)
        tz = ZoneInfo(self.snapshot.timezone)
        top = 0.0
        for key, data in (("vertex", self.snapshot.daily_vertex), ("local", self.snapshot.daily_local)):
            series = self._series[key]
            series.clear()
            for day, usd in data[-days:]:
                ms = int(datetime.combine(day, time(12), tz).timestamp() * 1000)
                series.append(float(ms), usd)
                top = max(top, usd)
        shown = self.snapshot.daily_vertex[-days:]
        if shown:
            first, last = shown[0][0], shown[-1][0]
            self._x.setRange(QDateTime.fromSecsSinceEpoch(int(datetime.combine(first, time(0), tz).timestamp())),
                             QDateTime.fromSecsSinceEpoch(int(datetime.combine(last, time(23, 59), tz).timestamp())))
        self._y.setRange(0, max(1.0, top * 1.15))
