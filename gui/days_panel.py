"""The Dashboard's "Last 30 days" box: a heading with the counts, the strip of days, and its legend.

The days are read by a callable on the worker pool (gui.month_days.load_days bound to the history), at
attach, when the app asks (a run started or ended, the zone changed) and every 15 minutes (a new day).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from gui.day_strip import DayStrip, counts_text, legend_html

if TYPE_CHECKING:
    from gui.month_days import Day
    from gui.tasks import Tasks

log = logging.getLogger(__name__)


class DaysPanel(QFrame):
    """Signals:
        dayRunClicked(object): a day with a run was clicked; carries that run.
    """

    dayRunClicked = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("daysPanel")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.strip = DayStrip(self)
        self.strip.dayClicked.connect(self.dayRunClicked)
        self.strip.setAccessibleName(self.tr("Last 30 days"))
        self.summary = QLabel("", self)
        self.summary.setObjectName("daysSummary")
        self.legend = QLabel(legend_html(), self)
        self.legend.setObjectName("daysLegend")
        self.legend.setWordWrap(True)
        self.legend.setToolTip(self.tr("Hover over a day to read what happened; click it to open that run."))
        caption = QLabel(self.tr("Last 30 days"), self)
        font = caption.font()
        font.setBold(True)
        caption.setFont(font)
        head = QHBoxLayout()
        head.addWidget(caption)
        head.addWidget(self.summary, 1)
        box = QVBoxLayout(self)
        box.setSpacing(4)
        box.addLayout(head)
        box.addWidget(self.strip)
        box.addWidget(self.legend)
        self._source: Callable[[], list[Day]] | None = None
        self._tasks: Tasks | None = None
        self._timer = QTimer(self)
        self._timer.setInterval(15 * 60_000)  # past midnight a new day begins: the strip moves on
        self._timer.timeout.connect(self.refresh)

    def attach(self, tasks: Tasks, source: Callable[[], list[Day]]) -> None:
        self._tasks, self._source = tasks, source
        self._timer.start()
        self.refresh()

    def refresh(self) -> None:
        if self._tasks is not None and self._source is not None:
            self._tasks.run(self._source, self.set_days, lambda exc: log.info("30-day strip not read: %s", exc))

    def set_days(self, days: list[Day]) -> None:
        self.strip.set_days(days)
        self.summary.setText(counts_text(days))
        self.strip.setAccessibleDescription(counts_text(days))  # a screen reader hears the summary, too
