"""Form rows with a red message under each field, filled from core.store.config's validation problems."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from PySide6.QtWidgets import QFormLayout, QLabel, QVBoxLayout, QWidget

from core.store.config import Problem
from gui.core_text import problem_text


class FieldErrors:
    """Adds `(key, label, widget)` rows to `form`, each with a hidden red message label named
    `<prefix><key>`, and shows the operator's problems under the right field."""

    def __init__(self, form: QFormLayout, rows: Sequence[tuple[str, str, QWidget]], prefix: str) -> None:
        self.labels: dict[str, QLabel] = {}
        for key, label, widget in rows:
            box = QVBoxLayout()
            box.setSpacing(2)
            box.addWidget(widget)
            err = QLabel("")
            err.setObjectName(f"{prefix}{key}")
            err.setStyleSheet("color: #c62828;")
            err.setWordWrap(True)
            err.hide()
            box.addWidget(err)
            self.labels[key] = err
            form.addRow(label, box)

    def show(self, problems: Iterable[Problem]) -> dict[str, list[str]]:
        """Put each problem (field "table.key") under its field, in the app's language; clear the rest.
        Returns the messages by key."""
        by_field: dict[str, list[str]] = {}
        for p in problems:
            by_field.setdefault(p.field.split(".", 1)[1], []).append(problem_text(p))
        for key, label in self.labels.items():
            messages = by_field.get(key)
            label.setText(" ".join(messages) if messages else "")
            label.setVisible(bool(messages))
        return by_field
