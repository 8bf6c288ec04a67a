"""The system-tray icon: Open, Run Now, Quit, and a message when a run ends."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction, QIcon
from PySide6.QtWidgets import QMenu, QSystemTrayIcon


class Tray(QObject):
    """Signals:
        openRequested(), runNowRequested(), quitRequested(): the menu's items.
        notified(str, str, bool): (title, message, is_failure) of every notification, shown or not.
    """

    openRequested = Signal()
    runNowRequested = Signal()
    quitRequested = Signal()
    notified = Signal(str, str, bool)

    def __init__(self, icon: QIcon, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.available = QSystemTrayIcon.isSystemTrayAvailable()
        self.icon = QSystemTrayIcon(icon, self)
        self.menu = QMenu()
        for text, signal in ((self.tr("Open T4 Panel"), self.openRequested),
                             (self.tr("Run Now"), self.runNowRequested),
                             (self.tr("Quit"), self.quitRequested)):
            action = QAction(text, self.menu)
            action.triggered.connect(signal)
            self.menu.addAction(action)
        self.icon.setContextMenu(self.menu)
        self.icon.activated.connect(self._activated)
        self.icon.setToolTip("T4 Panel")
        if self.available:
            self.icon.show()

    def _activated(self, reason: QSystemTrayIcon.ActivationReason) -> None:
        if reason in (QSystemTrayIcon.ActivationReason.Trigger, QSystemTrayIcon.ActivationReason.DoubleClick):
            self.openRequested.emit()

    def set_tooltip(self, text: str) -> None:
        self.icon.setToolTip(text)

    def notify(self, title: str, message: str, failure: bool = False) -> None:
        self.notified.emit(title, message, failure)
        if self.available and QSystemTrayIcon.supportsMessages():
            icon = QSystemTrayIcon.MessageIcon.Critical if failure else QSystemTrayIcon.MessageIcon.Information
            self.icon.showMessage(title, message, icon, 10_000)
