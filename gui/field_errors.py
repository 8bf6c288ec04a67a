"""Form rows with a red message under each field, filled from core.store.config's validation problems.

Each message has one line of its own, reserved whether or not it shows, so fields never move as messages
come and go (an operator's click lands on the field they aimed at). A message longer than its line ends
in "…" and reads whole in its tooltip.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from PySide6.QtCore import Qt
from PySide6.QtGui import QPainter, QPaintEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QComboBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from core.store.config import FILE, Problem
from gui.core_text import problem_text


class ErrorLine(QLabel):
    """A red one-line message whose space stays when hidden; `text()` and the tooltip keep it whole."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("", parent)
        self.setStyleSheet("color: #c62828;")
        policy = QSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        policy.setRetainSizeWhenHidden(True)
        self.setSizePolicy(policy)
        self.setFixedHeight(self.fontMetrics().height() + 2)

    def setText(self, text: str) -> None:
        super().setText(text)
        self.setToolTip(text)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setPen(self.palette().color(self.foregroundRole()))
        shown = self.fontMetrics().elidedText(self.text(), Qt.TextElideMode.ElideRight, self.width())
        painter.drawText(self.rect(), int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), shown)


class FieldErrors:
    """Adds `(key, label, widget)` rows to `form`, each with a hidden red message line named
    `<prefix><key>`, and shows the operator's problems under the right field."""

    def __init__(self, form: QFormLayout, rows: Sequence[tuple[str, str, QWidget]], prefix: str) -> None:
        self.labels: dict[str, QLabel] = {}
        line_height = QLineEdit().sizeHint().height()  # labels line up with a field's first line
        for key, label, widget in rows:
            box = QVBoxLayout()
            box.setSpacing(2)
            box.addWidget(widget)
            err = ErrorLine()
            err.setObjectName(f"{prefix}{key}")
            err.hide()
            box.addWidget(err)
            self.labels[key] = err
            # The label sits beside the field, not beside the field and its message line together.
            name = QLabel(label)
            name.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
            name.setContentsMargins(0, max(0, (line_height - name.sizeHint().height()) // 2), 0, 0)
            form.addRow(name, box)
            for part in [widget, *widget.findChildren(QWidget)]:
                _on_edit(part, self._toucher(key))
        self._saved: list[Problem] = []
        self._touched: set[str] = set()

    def _toucher(self, key: str) -> Callable[..., None]:
        def touched(*_signal_args: object) -> None:  # signals pass their value; only the field matters
            self._touched.add(key)

        return touched

    def set_saved(self, problems: Iterable[Problem], table: str) -> None:
        """Problems of the saved file for `table`'s fields, shown under each field until the operator edits
        it: a value the form cannot hold (a time of "25:99") must be seen as wrong, not silently replaced.
        Call it after the form was filled from the file."""
        self._saved = []
        for p in problems:
            name = p.setting if p.field == FILE else p.field
            if name.startswith(table + ".") and name.split(".", 1)[1] in self.labels:
                self._saved.append(Problem(name, p.msg))
        self._touched = set()

    def show(self, problems: Iterable[Problem]) -> dict[str, list[str]]:
        """Put each problem (field "table.key") under its field, in the app's language; clear the rest.
        Returns the messages by key."""
        by_field: dict[str, list[str]] = {}
        saved = [p for p in self._saved if p.field.split(".", 1)[1] not in self._touched]
        for p in [*saved, *problems]:
            messages = by_field.setdefault(p.field.split(".", 1)[1], [])
            text = problem_text(p)
            if text not in messages:
                messages.append(text)
        for key, label in self.labels.items():
            shown = by_field.get(key)
            label.setText(" ".join(shown) if shown else "")
            label.setVisible(bool(shown))
        return by_field


def _on_edit(widget: QWidget, touched: Callable[..., None]) -> None:
    """Call `touched()` when the operator changes `widget` (the kinds of input our forms use)."""
    if isinstance(widget, QLineEdit):
        widget.textEdited.connect(touched)
    elif isinstance(widget, QPlainTextEdit):
        widget.textChanged.connect(touched)
    elif isinstance(widget, QAbstractSpinBox):  # spin boxes and time edits
        widget.editingFinished.connect(touched)
        if hasattr(widget, "valueChanged"):
            widget.valueChanged.connect(touched)
        if hasattr(widget, "timeChanged"):
            widget.timeChanged.connect(touched)
    elif isinstance(widget, QComboBox):
        widget.activated.connect(touched)
        if widget.isEditable():
            widget.editTextChanged.connect(touched)
    elif isinstance(widget, QAbstractButton):
        widget.toggled.connect(touched)
