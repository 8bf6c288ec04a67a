"""The last 30 days as a strip of coloured days (the grammar of an uptime bar), with its legend.

Each day is a cell with a colour and a glyph, so the states are told apart without colour too; hover
gives the day's sentence, a click opens the day's run. The days come from gui.month_days (read on a
worker); this widget only paints them.
"""

from __future__ import annotations

from datetime import date, datetime

from PySide6.QtCore import QCoreApplication, QDate, QEvent, QLocale, QPoint, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QHelpEvent, QMouseEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from core.store.occurrences import Outcome
from gui.core_text import run_error_text
from gui.month_days import DAYS, Day, DayState
from gui.run_texts import clock_text, run_length_text, state_text, trigger_text

# (fill, glyph, glyph colour). Glyphs carry the state for colour-blind eyes; the tooltip says it in words.
STYLE: dict[DayState, tuple[str, str, str]] = {
    DayState.SUCCEEDED: ("#2e7d32", "✓", "#ffffff"),
    DayState.RETRIED: ("#9ccc65", "↻", "#1b3d07"),
    DayState.FAILED: ("#c62828", "✕", "#ffffff"),
    DayState.MISSED: ("#ef6c00", "○", "#ffffff"),
    DayState.SKIPPED: ("#7e57c2", "»", "#ffffff"),
    DayState.BLOCKED: ("#5d4037", "⊘", "#ffffff"),
    DayState.RUNNING: ("#1565c0", "▸", "#ffffff"),
    DayState.NONE: ("#e6e6e6", "", "#000000"),
}
translate = QCoreApplication.translate  # lupdate reads translate("DayStrip", "...") literals

LEGEND_ORDER = [DayState.SUCCEEDED, DayState.RETRIED, DayState.FAILED, DayState.MISSED, DayState.SKIPPED,
                DayState.BLOCKED, DayState.RUNNING, DayState.NONE]
_GAP = 3
_CELL_H = 30



def state_name(state: DayState) -> str:
    """The legend's word for a day's state."""
    names = {
        DayState.SUCCEEDED: translate("DayStrip", "Succeeded"),
        DayState.RETRIED: translate("DayStrip", "Retried"),
        DayState.FAILED: translate("DayStrip", "Failed"),
        DayState.MISSED: translate("DayStrip", "Missed"),
        DayState.SKIPPED: translate("DayStrip", "Skipped"),
        DayState.BLOCKED: translate("DayStrip", "Blocked"),
        DayState.RUNNING: translate("DayStrip", "Running"),
        DayState.NONE: translate("DayStrip", "Nothing scheduled"),
    }
    return names[state]


def _headline(day: Day) -> str:
    if day.today and day.state == DayState.NONE:
        return translate("DayStrip", "Nothing has run on schedule yet today.")
    lines = {
        DayState.SUCCEEDED: translate("DayStrip", "The scheduled run succeeded."),
        DayState.RETRIED: translate("DayStrip", "The scheduled run did not succeed at first; a later run did."),
        DayState.FAILED: translate("DayStrip", "The scheduled run failed."),
        DayState.MISSED: translate("DayStrip", "The scheduled run was missed: this computer was off or asleep, "
                                               "and it was too late to catch up."),
        DayState.SKIPPED: translate("DayStrip", "The scheduled run was skipped: the previous run was still going."),
        DayState.BLOCKED: translate("DayStrip", "The scheduled run was not started: the monthly budget or the "
                                                "settings stopped it."),
        DayState.RUNNING: translate("DayStrip", "A run is going now."),
        DayState.NONE: translate("DayStrip", "No run was scheduled this day."),
    }
    return lines[day.state]


def _outcome_words(outcome: Outcome) -> str:
    words = {
        Outcome.MISSED: translate("DayStrip", "missed"),
        Outcome.SKIPPED: translate("DayStrip", "skipped (a run was still going)"),
        Outcome.BLOCKED: translate("DayStrip", "blocked"),
        Outcome.FAILED_TO_LAUNCH: translate("DayStrip", "could not start"),
        Outcome.LAUNCHED: translate("DayStrip", "started"),
        Outcome.CAUGHT_UP: translate("DayStrip", "started late (catch-up)"),
    }
    return words[outcome]


def date_text(day: date) -> str:
    pattern = QCoreApplication.translate("TimeText", "ddd d MMM")
    return QLocale().toString(QDate(day.year, day.month, day.day), pattern)


def _hm(when: datetime) -> str:
    return clock_text(when)[:5]  # "01:02" in the operator's zone


def day_sentence(day: Day) -> str:
    """The tooltip: the day, what it means, then each thing that happened ("01:00 Schedule: Failed: ...")."""
    lines = [f"{date_text(day.day)}: {_headline(day)}"]
    events: list[tuple[datetime, str]] = []
    shown = {r.id for r in day.runs}
    for occ in day.occurrences:
        if occ.run_id not in shown:
            text = f"{_hm(occ.fire_time)} {trigger_text('schedule')}: {_outcome_words(occ.outcome)}"
            events.append((occ.fire_time, text))
    for run in day.runs:
        text = f"{_hm(run.started or run.created)} {trigger_text(run.trigger)}: {state_text(run.state, run.backend)}"
        length = run_length_text(run)
        if length:
            text += f", {length}"
        if run.cost_usd is not None:
            text += f", ${run.cost_usd:.2f}"
        error = run_error_text(run)
        if error:
            text += f": {error}"
        events.append((run.started or run.created, text))
    if day.hidden:
        lines.append(translate("DayStrip", "Earlier runs that day not listed here: %1 (History has them all).")
                     .replace("%1", str(day.hidden)))
    lines += [text for _, text in sorted(events, key=lambda e: e[0])]
    if day.run is not None:
        lines.append(translate("DayStrip", "Click to open this run's log."))
    return "\n".join(lines)


class DayStrip(QWidget):
    """Signals:
        dayClicked(object): a day with a run was clicked; carries that run (core.store.runs.Run).
    """

    dayClicked = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("dayStrip")
        self.days: list[Day] = []
        self.hovered = -1
        self.setMouseTracking(True)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setMinimumWidth(DAYS * 12)

    def sizeHint(self) -> QSize:
        return QSize(DAYS * 26, self._height())

    def minimumSizeHint(self) -> QSize:
        return QSize(DAYS * 12, self._height())

    def _height(self) -> int:
        return _CELL_H + self.fontMetrics().height() + 4

    def set_days(self, days: list[Day]) -> None:
        self.days = days
        self.hovered = -1
        self.update()

    def cell_rect(self, index: int) -> QRectF:
        count = max(1, len(self.days) or DAYS)
        width = (self.width() - _GAP * (count - 1)) / count
        return QRectF(index * (width + _GAP), 0, width, _CELL_H)

    def index_at(self, pos: QPoint) -> int:
        for i in range(len(self.days)):
            if self.cell_rect(i).contains(pos.x(), pos.y()):
                return i
        return -1

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        glyph_font = QFont(self.font())
        glyph_font.setBold(True)
        glyph_font.setPointSizeF(self.font().pointSizeF() * 1.1)
        for i, day in enumerate(self.days):
            fill, glyph, ink = STYLE[day.state]
            rect = self.cell_rect(i)
            painter.setPen(QPen(QColor("#202020"), 2) if i == self.hovered else QPen(QColor(fill).darker(115), 1))
            painter.setBrush(QColor(fill))
            painter.drawRoundedRect(rect.adjusted(0.5, 0.5, -0.5, -0.5), 3, 3)
            if glyph:
                painter.setFont(glyph_font)
                painter.setPen(QColor(ink))
                painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, glyph)
        if self.days:
            painter.setFont(self.font())
            painter.setPen(self.palette().color(self.foregroundRole()))
            below = QRectF(0, _CELL_H + 2, self.width(), self.fontMetrics().height())
            painter.drawText(below, Qt.AlignmentFlag.AlignLeft, date_text(self.days[0].day))
            painter.drawText(below, Qt.AlignmentFlag.AlignRight, translate("DayStrip", "Today"))
        painter.end()

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            index = self.index_at(event.pos())
            if index >= 0:
                QToolTip.showText(event.globalPos(), day_sentence(self.days[index]), self)
            else:
                QToolTip.hideText()
                event.ignore()
            return True
        return super().event(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        index = self.index_at(event.position().toPoint())
        if index != self.hovered:
            self.hovered = index
            run = self.days[index].run if index >= 0 else None
            self.setCursor(Qt.CursorShape.PointingHandCursor if run is not None else Qt.CursorShape.ArrowCursor)
            self.update()

    def leaveEvent(self, event: QEvent) -> None:
        self.hovered = -1
        self.update()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() != Qt.MouseButton.LeftButton:
            return
        index = self.index_at(event.position().toPoint())
        if index >= 0 and self.days[index].run is not None:
            self.dayClicked.emit(self.days[index].run)


def legend_html() -> str:
    """The legend as one rich-text line: a swatch with its glyph, then the word, for each state."""
    nbsp = "\u00a0"
    parts = []
    for state in LEGEND_ORDER:
        fill, glyph, ink = STYLE[state]
        swatch = f"{nbsp}{glyph or nbsp}{nbsp}"
        parts.append(f'<span style="background-color:{fill}; color:{ink};">{swatch}</span>{nbsp}{state_name(state)}')
    return (nbsp * 3).join(parts)


def counts_text(days: list[Day]) -> str:
    """"21 succeeded · 2 failed · 1 missed" (the states that happened, in legend order), beside "Last 30 days"."""
    counts = {s: sum(1 for d in days if d.state == s) for s in LEGEND_ORDER if s != DayState.NONE}
    # "%1 %2": a count and a state ("21 succeeded"); Korean puts the word first ("성공 21일").
    said = [translate("DayStrip", "%1 %2").replace("%1", str(n)).replace("%2", state_name(s).lower())
            for s, n in counts.items() if n]
    return " · ".join(said) if said else translate("DayStrip", "nothing was scheduled")
