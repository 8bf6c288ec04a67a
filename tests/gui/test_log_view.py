"""The log view: bounded, follows the end unless the operator scrolled up, searchable, errors in red."""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtCore import Qt

from core.backends.base import LogLine
from gui.log_view import LogView

NOW = datetime(2026, 11, 29, 1, 0, tzinfo=UTC)


def lines(n: int, start: int = 0, severity: str = "INFO") -> list[LogLine]:
    return [LogLine(NOW, f"line {i}", severity) for i in range(start, start + n)]


def make(qtbot, max_lines: int = 1000) -> LogView:
    view = LogView(max_lines=max_lines)
    qtbot.addWidget(view)
    view.resize(600, 300)
    view.show()
    return view


def test_keeps_only_the_newest_lines(qtbot):
    view = make(qtbot, max_lines=1000)
    view.append_lines(lines(5000))
    qtbot.waitUntil(lambda: not view._pending, timeout=5_000)
    assert view.model.rowCount() == 1000
    assert view.model.index(0).data().endswith("line 4000")
    assert view.model.index(999).data().endswith("line 4999")


def test_follows_the_end_until_scrolled_up(qtbot):
    view = make(qtbot)
    view.append_lines(lines(300))
    qtbot.waitUntil(lambda: view.model.rowCount() == 300, timeout=5_000)
    bar = view.list.verticalScrollBar()
    # the list lays rows out in batches after an append: wait for the layout, then look where the view is
    qtbot.waitUntil(lambda: bar.value() == bar.maximum() > 0, timeout=5_000)
    bar.setValue(0)  # the operator scrolls up to read
    height_300 = bar.maximum()
    view.append_lines(lines(100, 300))
    qtbot.waitUntil(lambda: view.model.rowCount() == 400 and bar.maximum() > height_300, timeout=5_000)
    assert bar.value() == 0
    bar.setValue(bar.maximum())  # back at the end: following again
    height_400 = bar.maximum()
    view.append_lines(lines(100, 400))
    qtbot.waitUntil(lambda: view.model.rowCount() == 500 and bar.maximum() > height_400, timeout=5_000)
    qtbot.waitUntil(lambda: bar.value() == bar.maximum(), timeout=5_000)


def test_search_shows_matching_lines_and_errors_are_red(qtbot):
    view = make(qtbot)
    view.append_lines(lines(50))
    view.append_lines([LogLine(NOW, "Traceback: ValueError", "ERROR")])
    qtbot.waitUntil(lambda: view.model.rowCount() == 51, timeout=5_000)
    view.search.setText("line 4")
    shown = view.visible_text().splitlines()
    assert len(shown) == 11 and all("line 4" in s for s in shown)  # line 4, 40..49
    view.search.setText("")
    assert len(view.visible_text().splitlines()) == 51
    error_row = view.model.index(50)
    assert error_row.data(Qt.ItemDataRole.ForegroundRole).name() == "#c62828"
    assert view.model.index(0).data(Qt.ItemDataRole.ForegroundRole) is None
