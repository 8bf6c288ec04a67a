"""The main window: a page list on the left (Dashboard, Job, Schedule, Logs, History, Cost, Settings)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (QHBoxLayout, QLabel, QListWidget, QMainWindow, QMessageBox, QStackedWidget, QWidget)


class MainWindow(QMainWindow):
    """Signals: closeToTray() when closing leaves the app in the tray; quitRequested() to end the app."""

    quitRequested = Signal()
    firstPaint = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("mainWindow")
        self.setWindowTitle("T4 Panel")
        self.resize(1000, 700)
        self.nav = QListWidget()
        self.nav.setObjectName("pageList")
        self.nav.setFixedWidth(170)
        self.stack = QStackedWidget()
        self.pages: dict[str, QWidget] = {}
        self.nav.currentRowChanged.connect(self.stack.setCurrentIndex)
        central = QWidget()
        layout = QHBoxLayout(central)
        layout.addWidget(self.nav)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)
        self.tray_available = False
        self._painted = False
        self.quitting = False
        self.status_label = QLabel("")
        self.statusBar().addPermanentWidget(self.status_label)

    def add_page(self, key: str, title: str, widget: QWidget) -> None:
        self.pages[key] = widget
        self.nav.addItem(title)
        self.stack.addWidget(widget)
        if self.nav.currentRow() < 0:
            self.nav.setCurrentRow(0)

    def show_page(self, key: str) -> None:
        widget = self.pages[key]
        self.nav.setCurrentRow(self.stack.indexOf(widget))

    def current_page(self) -> str:
        widget = self.stack.currentWidget()
        return next((k for k, w in self.pages.items() if w is widget), "")

    def raise_window(self) -> None:
        self.show()
        self.setWindowState((self.windowState() & ~Qt.WindowState.WindowMinimized) | Qt.WindowState.WindowActive)
        self.raise_()
        self.activateWindow()

    def paintEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        super().paintEvent(event)
        if not self._painted:
            self._painted = True
            self.firstPaint.emit()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.quitting:
            event.accept()
            return
        if self.tray_available:
            event.ignore()
            self.hide()  # keep running in the tray: schedules and notifications go on
            return
        answer = QMessageBox.question(
            self, self.tr("Quit T4 Panel?"),
            self.tr("There is no system tray here, so closing the window quits T4 Panel and scheduled runs "
                    "will not start until you open it again. A run already going continues. Quit?"),
        )
        if answer == QMessageBox.StandardButton.Yes:
            event.accept()
            self.quitRequested.emit()
        else:
            event.ignore()
