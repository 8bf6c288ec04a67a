"""The language picker of the Settings page (kept apart from gui.i18n, which every start-up imports)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QComboBox, QWidget

from gui.i18n import LANGUAGES


class LanguagePicker(QComboBox):
    """The Settings override: "Follow the system", "English", "한국어" (each language named in itself).

    `value()` is what `[ui] language` stores. A change applies at the next start of T4 Panel.
    """

    def __init__(self, current: str = "system", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("languagePicker")
        self.addItem(QCoreApplication.translate("LanguagePicker", "Follow the system"), "system")
        self.addItem("English", "en")
        self.addItem("한국어", "ko")
        self.setCurrentIndex(max(0, self.findData(current if current in LANGUAGES else "system")))
        self.setToolTip(QCoreApplication.translate("LanguagePicker", "The language of T4 Panel's windows. "
                                                   "A change takes effect the next time T4 Panel starts."))

    def value(self) -> str:
        return str(self.currentData())
