"""The system-tray icon: Open, Run Now, Quit, and a message when a run ends.

Without a tray, messages go to the desktop's own notifications (gui.desktop_notify) instead of nowhere.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction, QIcon
from PySide6.QtWidgets import QMenu, QSystemTrayIcon

from gui import desktop_notify
from gui.tasks import Tasks

log = logging.getLogger(__name__)


class Tray(QObject):
    """Signals:
        openRequested(), runNowRequested(), quitRequested(): the menu's items.
        notified(str, str, bool): (title, message, is_failure) of every notification, shown or not.
        desktopNotified(int): the desktop's id of a notification shown without a tray.
    """

    openRequested = Signal()
    runNowRequested = Signal()
    quitRequested = Signal()
    notified = Signal(str, str, bool)
    desktopNotified = Signal(int)

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
        self._tasks: Tasks | None = None
        self._told_in_tray = False

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
        elif desktop_notify.supported():
            if self._tasks is None:
                self._tasks = Tasks(self, max_threads=1)  # one at a time, in the order they were sent
            self._tasks.run(lambda: desktop_notify.send(title, message, failure), self.desktopNotified.emit,
                            lambda exc: log.info("desktop notification not shown: %s", exc))

    def tell_running_in_tray(self) -> None:
        """Once per session, when closing the window left T4 Panel in the tray: say where it went."""
        if self._told_in_tray:
            return
        self._told_in_tray = True
        self.notify(self.tr("T4 Panel is still running"),
                    self.tr("It keeps running in the system tray, so scheduled runs still start. "
                            "Choose Quit in the tray menu to end it."))
