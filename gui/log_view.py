"""A fast, bounded log view: a list model fed in batches, coloured by severity, with search and tail-follow."""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QSortFilterProxyModel, Qt, QTimer
from PySide6.QtGui import QColor, QFontDatabase
from PySide6.QtWidgets import QAbstractItemView, QHBoxLayout, QLabel, QLineEdit, QListView, QVBoxLayout, QWidget

from core.backends.base import LogLine
from gui.run_texts import clock_text

MAX_LINES = 100_000  # memory stays bounded however long the log grows
FLUSH_MS = 25
MAX_ROWS_PER_FLUSH = 5_000  # bound each flush so the event loop never stalls on a huge burst
_COLOURS = {"ERROR": QColor("#c62828"), "WARNING": QColor("#b26a00"), "DEBUG": QColor("#757575")}


Row = tuple["datetime | None", str, str]  # (time or None for the app's own notes, text, severity)


def _display(row: Row) -> str:
    when, text, _ = row
    return f"{clock_text(when)}  {text}" if when is not None else text


class LogModel(QAbstractListModel):
    """The last MAX_LINES lines in a ring buffer. Rows are formatted only when a view asks for them,
    so a burst of thousands of lines costs no more than moving references."""

    def __init__(self, parent: Any = None, max_lines: int = MAX_LINES) -> None:
        super().__init__(parent)
        self.max_lines = max_lines
        self._rows: deque[Row] = deque()

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        severity = row[2]
        if role == Qt.ItemDataRole.DisplayRole:
            return _display(row)
        if role == Qt.ItemDataRole.ForegroundRole:
            return _COLOURS.get(severity)
        if role == Qt.ItemDataRole.UserRole:
            return severity
        return None

    def append(self, rows: list[Row]) -> None:
        if not rows:
            return
        if len(rows) > self.max_lines:
            rows = rows[-self.max_lines:]
        overflow = len(self._rows) + len(rows) - self.max_lines
        if overflow > 0:
            self.beginRemoveRows(QModelIndex(), 0, overflow - 1)
            for _ in range(overflow):
                self._rows.popleft()
            self.endRemoveRows()
        first = len(self._rows)
        self.beginInsertRows(QModelIndex(), first, first + len(rows) - 1)
        self._rows.extend(rows)
        self.endInsertRows()

    def clear(self) -> None:
        self.beginResetModel()
        self._rows.clear()
        self.endResetModel()

    def text(self) -> str:
        return "\n".join(_display(r) for r in self._rows)


class LogView(QWidget):
    """The job's log. objectName "logView". Call `append_lines` from the UI thread as often as you like:
    lines are buffered and shown in batches, and the view follows the tail unless scrolled up."""

    def __init__(self, parent: QWidget | None = None, max_lines: int = MAX_LINES) -> None:
        super().__init__(parent)
        self.setObjectName("logView")
        self.model = LogModel(self, max_lines)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.list = QListView(self)
        self.list.setObjectName("logList")
        self.list.setModel(self.model)
        self.list.setUniformItemSizes(True)  # constant-time layout for any number of rows
        self.list.setLayoutMode(QListView.LayoutMode.Batched)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.list.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.list.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.search = QLineEdit(self)
        self.search.setObjectName("logSearch")
        self.search.setPlaceholderText(self.tr("Search the log (shows matching lines only)"))
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self._apply_search)
        self.count_label = QLabel(self)
        top = QHBoxLayout()
        top.addWidget(self.search, 1)
        top.addWidget(self.count_label)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.list, 1)
        self._pending: deque[Row] = deque()
        self._timer = QTimer(self)
        self._timer.setInterval(FLUSH_MS)
        self._timer.timeout.connect(self.flush)
        # Follow the end unless the operator scrolled up. The list lays rows out in batches, so the
        # scroll range grows after an append: follow on range changes, decide from the operator's scrolls.
        self._following = True
        bar = self.list.verticalScrollBar()
        bar.valueChanged.connect(self._scrolled)
        bar.rangeChanged.connect(self._range_changed)

    def append_lines(self, lines: Iterable[LogLine]) -> None:
        self._pending.extend((line.time, line.text, line.severity) for line in lines)
        if len(self._pending) > self.model.max_lines:  # never keep more than can be shown
            for _ in range(len(self._pending) - self.model.max_lines):
                self._pending.popleft()
        if not self._timer.isActive():
            self._timer.start()

    def append_text(self, text: str, severity: str = "INFO") -> None:
        """A note from the app itself (not the job), e.g. "Run r123 started"."""
        self._pending.append((None, text, severity))
        if not self._timer.isActive():
            self._timer.start()

    def flush(self) -> None:
        if not self._pending:
            self._timer.stop()
            return
        n = min(len(self._pending), MAX_ROWS_PER_FLUSH)
        batch = [self._pending.popleft() for _ in range(n)]
        self.model.append(batch)
        self.count_label.setText(self.tr("%n line(s)", "", self.model.rowCount()))

    def _scrolled(self, value: int) -> None:
        self._following = value >= self.list.verticalScrollBar().maximum() - 2

    def _range_changed(self, _minimum: int, maximum: int) -> None:
        if self._following:
            self.list.verticalScrollBar().setValue(maximum)

    def clear(self) -> None:
        self._pending.clear()
        self._following = True
        self.model.clear()
        self.count_label.clear()

    def line_count(self) -> int:
        return self.model.rowCount() + len(self._pending)

    def visible_text(self) -> str:
        """The lines currently shown (after search), one per line."""
        model = self.list.model()
        return "\n".join(model.index(r, 0).data() for r in range(model.rowCount()))

    def _apply_search(self, text: str) -> None:
        # the proxy is only in the way while searching: unfiltered appends stay cheap
        if text:
            self.proxy.setFilterFixedString(text)
            if self.list.model() is not self.proxy:
                self.list.setModel(self.proxy)
        elif self.list.model() is not self.model:
            self.list.setModel(self.model)
        self.list.scrollToBottom()
