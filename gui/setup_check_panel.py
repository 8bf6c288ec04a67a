"""The Job page's "Check my setup": runs core.app.setup_check off the UI thread, shows its progress and
lists each line (pass / warning / failure with its fix) in the app's language."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from core.errors import T4Error
from gui.core_text import error_title, message_text

ICONS = {"pass": "✔", "warn": "⚠", "fail": "✖"}


def _default_runner(progress: Callable[[int, int, str], None]) -> Any:
    from core.app import setup_check

    return setup_check.run_check(progress)


class SetupCheckPanel(QWidget):
    """objectNames: "checkSetupButton", "checkProgress", "checkResults".

    Signals:
        progressed(int, int, str): emitted from the worker thread; Qt queues it to the UI thread.
        checked(object): the finished report as saved ({"checked": iso, "items": [...]}) for the Dashboard.
    """

    progressed = Signal(int, int, str)
    checked = Signal(object)

    def __init__(self, tasks: Any, runner: Callable[..., Any] = _default_runner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.tasks = tasks
        self.runner = runner
        self.button = QPushButton(self.tr("Check my setup"), self)
        self.button.setObjectName("checkSetupButton")
        self.button.setToolTip(self.tr("Ask Google, Supabase and this computer whether the next run can start."))
        self.button.clicked.connect(self.start)
        self.progress = QProgressBar(self)
        self.progress.setObjectName("checkProgress")
        self.progress.hide()
        self.summary = QLabel("", self)
        self.summary.setWordWrap(True)
        self.results = QListWidget(self)
        self.results.setObjectName("checkResults")
        self.results.setWordWrap(True)
        self.results.hide()
        row = QHBoxLayout()
        row.addWidget(self.button)
        row.addWidget(self.progress, 1)
        row.addWidget(self.summary, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(row)
        layout.addWidget(self.results)
        self.progressed.connect(self._on_progress)

    def start(self) -> None:
        self.button.setEnabled(False)
        self.results.clear()
        self.summary.setText(self.tr("Checking…"))
        self.progress.setRange(0, 0)  # busy until the first item reports the total
        self.progress.show()
        self.tasks.run(lambda: self.runner(self.progressed.emit), self._done, self._failed)

    def _on_progress(self, done: int, total: int, _item: str) -> None:
        self.progress.setRange(0, total)
        self.progress.setValue(done)

    def _done(self, report: Any) -> None:
        self.button.setEnabled(True)
        self.progress.hide()
        for item in report.items:
            text = f"{ICONS[item.status.value]} {message_text(item.title)}: {message_text(item.detail)}"
            if item.fix is not None:
                text += "\n" + self.tr("Fix: ") + message_text(item.fix)
            entry = QListWidgetItem(text)
            entry.setData(256, item.status.value)  # Qt.UserRole: tests and styling read the status
            self.results.addItem(entry)
        self.results.show()
        counts = report.counts()
        self.summary.setText(self.tr("%n problem(s)", "", counts["fail"]) + ", "
                             + self.tr("%n warning(s)", "", counts["warn"]))
        self.checked.emit({"checked": report.checked.isoformat(), "items": [i.to_json() for i in report.items]})

    def _failed(self, exc: BaseException) -> None:
        self.button.setEnabled(True)
        self.progress.hide()
        if isinstance(exc, T4Error):  # not signed in, no settings: core's sentence
            self.summary.setText(f"{error_title(exc)}: {message_text(exc.msg, exc.message)}")
        else:  # anything else is a bug: no traceback or library text on screen (it is in the app log)
            self.summary.setText(self.tr("The check could not finish. The app log has the details."))
