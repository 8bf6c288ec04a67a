"""The main window: a page list on the left (Dashboard, Job, Schedule, Logs, History, Cost, Settings)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QListWidget, QMainWindow, QStackedWidget, QWidget


class MainWindow(QMainWindow):
    """Signals: closedToTray() when closing leaves the app in the tray; quitRequested() to end the app."""

    quitRequested = Signal()
    firstPaint = Signal()
    closedToTray = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("mainWindow")
        self.setWindowTitle("T4 Panel")
        self.resize(1000, 700)
        self.nav = QListWidget()
        self.nav.setObjectName("pageList")
        self.nav.setFixedWidth(170)
        self.nav.setStyleSheet("QListWidget { font-size: 11pt; } QListWidget::item { padding: 8px 6px; }")
        self.stack = QStackedWidget()
        self.pages: dict[str, QWidget] = {}
        self._lazy: dict[str, tuple[QWidget, Callable[[], QWidget]]] = {}
        self.nav.currentRowChanged.connect(self._row_changed)
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

    def add_lazy_page(self, key: str, title: str, build: Callable[[], QWidget]) -> None:
        """A page built the first time it is shown (or asked for), to keep start-up fast."""
        holder = QWidget()
        self._lazy[key] = (holder, build)
        self.add_page(key, title, holder)

    def page(self, key: str) -> QWidget:
        """The page widget, built now if it was lazy."""
        if key in self._lazy:
            holder, build = self._lazy.pop(key)
            widget = build()
            index = self.stack.indexOf(holder)
            current = self.stack.currentIndex() == index
            self.stack.insertWidget(index, widget)
            self.stack.removeWidget(holder)
            holder.deleteLater()
            self.pages[key] = widget
            if current:
                self.stack.setCurrentIndex(index)
        return self.pages[key]

    def _row_changed(self, row: int) -> None:
        key = list(self.pages)[row] if 0 <= row < len(self.pages) else None
        if key is not None and key in self._lazy:
            self.page(key)
        self.stack.setCurrentIndex(row)

    def show_page(self, key: str) -> None:
        self.page(key)
        self.nav.setCurrentRow(list(self.pages).index(key))

    def current_page(self) -> str:
        widget = self.stack.currentWidget()
        return next((k for k, w in self.pages.items() if w is widget), "")

    def raise_window(self) -> None:
        self.show()
        from PySide6.QtCore import Qt

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
            self.closedToTray.emit()
            return
        from PySide6.QtWidgets import QMessageBox

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
