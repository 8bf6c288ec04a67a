"""The cloud schedule's checklist dialog: each step of setting it up (or removing it) with its state, progress
while it runs, the failed step's sentence and Retry, which resumes (every step first looks, then makes only what
is missing). The Google calls run on the worker pool; their progress comes back as a signal."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QIcon, QPainter, QPen, QPixmap
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from core.app.cloud_setup import Step, StepState
from gui.core_text import error_message, message_text
from gui.tasks import Tasks

log = logging.getLogger(__name__)

# What the worker runs: it gets the progress callback (called on the worker thread) and returns the checklist.
Action = Callable[[Callable[[Step], None]], list[Step]]

_ICONS = {  # TODO gets a quiet grey ring (_todo_icon): the styles' own marks all read as something happening
    StepState.RUNNING: QStyle.StandardPixmap.SP_BrowserReload,
    StepState.DONE: QStyle.StandardPixmap.SP_DialogApplyButton,
    StepState.FAILED: QStyle.StandardPixmap.SP_MessageBoxCritical,
    StepState.SKIPPED: QStyle.StandardPixmap.SP_DialogNoButton,
}


def _todo_icon(size: int = 32) -> QIcon:
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(QPen(QColor("#9e9e9e"), max(2, size // 12)))
    margin = size // 5
    painter.drawEllipse(margin, margin, size - 2 * margin, size - 2 * margin)
    painter.end()
    return QIcon(pixmap)


class CloudChecklist(QDialog):
    """objectName "cloudChecklist". `start()` runs `action` on `tasks`; Retry runs it again.

    Signals:
        succeeded(object): the finished checklist (list[Step]), once `action` returned.
        stepReported(object): internal; carries a Step from the worker to the UI thread.
    """

    succeeded = Signal(object)
    stepReported = Signal(object)

    def __init__(self, tasks: Tasks, title: str, intro: str, steps: list[Step], action: Action,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("cloudChecklist")
        self.setWindowTitle(title)
        self.setMinimumWidth(640)
        self.tasks, self.action = tasks, action
        self.running = False
        self.completed = False
        self.started_at: datetime | None = None  # when the first attempt began (aware UTC)
        self.states: dict[str, StepState] = {}
        self._items: dict[str, QListWidgetItem] = {}

        heading = QLabel(f"<b>{title}</b><br>{intro}", self)
        heading.setWordWrap(True)
        self.list = QListWidget(self)
        self.list.setObjectName("cloudSteps")
        self.list.setSelectionMode(QListWidget.SelectionMode.NoSelection)
        self.list.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.list.setWordWrap(True)  # a step's detail (the APIs turned on, the keys copied) can be long
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self._todo = _todo_icon()
        self.progress = QProgressBar(self)
        self.progress.setObjectName("cloudProgress")
        self.progress.setFormat(self.tr("%v of %m steps done"))
        self.status = QLabel("", self)
        self.status.setObjectName("cloudChecklistStatus")
        self.status.setWordWrap(True)
        self.error = QLabel("", self)
        self.error.setObjectName("cloudError")
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b00020;")
        self.error.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.error.hide()
        self.retry_button = QPushButton(self.tr("Retry"), self)
        self.retry_button.setObjectName("cloudRetryButton")
        self.retry_button.setToolTip(self.tr("Start again from the step that failed; finished steps are kept."))
        self.retry_button.clicked.connect(self.start)
        self.retry_button.hide()
        self.close_button = QPushButton(self.tr("Close"), self)
        self.close_button.setObjectName("cloudCloseButton")
        self.close_button.clicked.connect(self.accept)

        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.retry_button)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.progress)
        layout.addWidget(self.status)
        layout.addWidget(self.error)
        layout.addLayout(buttons)
        for step in steps:
            self._show(step)
        self.stepReported.connect(self._show)

    # ---------------------------------------------------------------- the steps

    def _show(self, step: Step) -> None:
        item = self._items.get(step.key)
        if item is None:
            item = QListWidgetItem(self.list)
            self._items[step.key] = item
        self.states[step.key] = step.state
        text = message_text(step.title)
        if step.detail is not None and step.state != StepState.FAILED:  # a failure's sentence is shown below
            text += "\n    " + message_text(step.detail)
        item.setText(text)
        item.setIcon(self._todo if step.state == StepState.TODO else self.style().standardIcon(_ICONS[step.state]))
        item.setData(Qt.ItemDataRole.UserRole, step.state.value)
        item.setToolTip(self._state_word(step.state))
        finished = sum(1 for s in self.states.values() if s in (StepState.DONE, StepState.SKIPPED))
        self.progress.setRange(0, len(self.states))
        self.progress.setValue(finished)
        if step.state == StepState.RUNNING:
            self.status.setText(self.tr("Working on: %1").replace("%1", message_text(step.title)))
            self.list.scrollToItem(item)

    def _state_word(self, state: StepState) -> str:
        return {StepState.TODO: self.tr("Not yet"), StepState.RUNNING: self.tr("Working…"),
                StepState.DONE: self.tr("Done"), StepState.FAILED: self.tr("Failed"),
                StepState.SKIPPED: self.tr("Not needed")}[state]

    def step_states(self) -> dict[str, str]:
        """key -> state value, as the list shows them (tests read this)."""
        return {key: str(item.data(Qt.ItemDataRole.UserRole)) for key, item in self._items.items()}

    # ---------------------------------------------------------------- running

    def start(self) -> None:
        """Run (or resume) the action off the UI thread."""
        if self.running:
            return
        self.running, self.completed = True, False
        self.started_at = self.started_at or datetime.now(UTC)
        self.error.hide()
        self.retry_button.hide()
        self.close_button.setEnabled(False)
        self.close_button.setToolTip(self.tr("Wait for the current step to finish."))
        self.status.setText(self.tr("Working…"))
        for key, state in list(self.states.items()):  # the failed step is tried again
            if state == StepState.FAILED:
                self._show(Step(key, self._title_of(key), StepState.TODO))
        report = self.stepReported.emit  # a signal: safe to emit from the worker thread
        self.tasks.run(lambda: self.action(report), self._finished, self._failed)

    def _title_of(self, key: str) -> Any:
        from core.app.cloud_setup import step_title

        try:
            return step_title(key)
        except KeyError:
            from core.errors import Message

            return Message("", key)

    def _finished(self, steps: Any) -> None:
        self.running, self.completed = False, True
        for step in steps or []:
            self._show(step)
        self.close_button.setEnabled(True)
        self.close_button.setToolTip("")
        self.status.setText(self.tr("All steps are done."))
        self.progress.setValue(self.progress.maximum())
        self.succeeded.emit(steps)

    def _failed(self, exc: BaseException) -> None:
        self.running = False
        failed_key = getattr(exc, "step", None)
        if failed_key is None:  # not a step's own error: the step that was running is the one that failed
            failed_key = next((k for k, s in self.states.items() if s == StepState.RUNNING), None)
        if failed_key is not None and self.states.get(failed_key) != StepState.FAILED:
            self._show(Step(failed_key, self._title_of(failed_key), StepState.FAILED))
        for key, state in list(self.states.items()):
            if state == StepState.RUNNING:
                self._show(Step(key, self._title_of(key), StepState.TODO))
        from core.errors import T4Error

        if not isinstance(exc, T4Error):
            log.error("cloud schedule step failed", exc_info=exc)
        self.error.setText(error_message(exc))
        self.error.show()
        self.status.setText(self.tr("Stopped at a step that failed. Fix what it says, then press Retry: the steps "
                                    "already done are not done again."))
        self.retry_button.show()
        self.close_button.setEnabled(True)
        self.close_button.setToolTip("")

    def reject(self) -> None:
        if not self.running:  # Esc while a step runs would leave it half-seen; the steps resume anyway
            super().reject()
