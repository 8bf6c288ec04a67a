"""Pieces the settings forms share, so each says its words (and gets their translation) once: the week's day
boxes (the Schedule page and the first-run guide) and a form page's Save line (the Job and Schedule pages)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLabel, QPushButton, QWidget

from core.store.config import WEEKDAYS


class WeekdayPicker(QWidget):
    """A row of one check box a weekday, Monday first (`row`, margins none); `boxes` maps "mon".."sun" to them."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.row = row = QHBoxLayout(self)
        names = [self.tr("Mon"), self.tr("Tue"), self.tr("Wed"), self.tr("Thu"), self.tr("Fri"), self.tr("Sat"),
                 self.tr("Sun")]
        self.boxes: dict[str, QCheckBox] = {}
        for day, name in zip(WEEKDAYS, names, strict=True):
            box = QCheckBox(name)
            self.boxes[day] = box
            row.addWidget(box)
        row.setContentsMargins(0, 0, 0, 0)


class SaveBar(QHBoxLayout):
    """A form page's last line: what the last save said (`status`), Undo changes, Save.

    Args:
        save: saves the form. undo: puts back what is saved.
    """

    def __init__(self, save: Callable[[], None], undo: Callable[[], None]) -> None:
        super().__init__()
        self.status = QLabel("")
        self.status.setWordWrap(True)
        self.save_button = QPushButton(self.tr("Save"))
        self.save_button.clicked.connect(save)
        self.revert_button = QPushButton(self.tr("Undo changes"))
        self.revert_button.clicked.connect(undo)
        self.addWidget(self.status, 1)
        self.addWidget(self.revert_button)
        self.addWidget(self.save_button)

    def show_problems(self, problems: object, marked: object, otherwise: str = "") -> None:
        """Save only when the form has no problem, and say why not; `marked`: the saved file's own problems are
        marked on the form (what it shows is what Save writes). With neither, `otherwise` (what the last save
        said, or nothing)."""
        self.save_button.setEnabled(not problems)
        if problems:
            self.status.setText(self.tr("Fix the fields marked in red to save."))
        elif marked:
            self.status.setText(self.tr("The saved settings have problems, marked in red. Check those fields; "
                                        "Save writes what you see here."))
        else:
            self.status.setText(otherwise)
