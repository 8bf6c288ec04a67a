"""The Cost page's "Ways to save": core.cost.advice's suggestions, each applied with one click or dismissed.

Applying never happens by itself: the click makes a changed copy of the saved settings, validates it and
saves it through the app's normal save path, then says what changed. Advice is worked out on the worker
pool (it reads the run history).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QFrame, QGroupBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from core.cost import advice as advice_mod
from core.cost.advice import Advice, Suggestion
from gui.core_text import message_text, price_source_text
from gui.tasks import Reload, Tasks

log = logging.getLogger(__name__)


class _WrappedLabel(QLabel):
    """A word-wrapped label that asks for the height its text needs at its width: the Cost page is taller than
    the window, and a plain wrapped label would be squeezed to a line or two with its numbers cut off."""

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        need = self.heightForWidth(self.width())
        if need > 0 and need != self.minimumHeight():
            self.setMinimumHeight(need)


class AdvicePanel(QGroupBox):
    """Signals:
        applied(object): the AppConfig saved after a suggestion was applied.

    Args:
        tasks: the app's worker pool.
        source: returns a core.cost.advice.Advice; called on a worker thread.
        config: the saved AppConfig now.
        save: saves a config the normal way (AppCore.save_config: validates, writes, then calls back).
        dismiss: remembers a dismissed suggestion (worker thread).
    """

    applied = Signal(object)

    def __init__(self, tasks: Tasks, source: Callable[[], Advice], config: Callable[[], Any],
                 save: Callable[[Any, Callable[[], None]], None],
                 dismiss: Callable[[Suggestion], None] = advice_mod.dismiss, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Ways to save (estimate)"), parent)
        self.setObjectName("costAdvice")
        self.tasks, self.source, self.config, self.save, self._dismiss = tasks, source, config, save, dismiss
        self.advice: Advice | None = None
        self._reload = Reload(tasks, lambda: self.source(), self._loaded, self._failed)
        self._rows: list[QWidget] = []
        self._layout = QVBoxLayout(self)
        self.status_label = self._label("adviceStatus")
        self.result_label = self._label("adviceResult")
        self.result_label.setStyleSheet("color: #2e7d32;")
        self.prices_label = self._label("advicePrices")
        self.prices_label.setStyleSheet("color: #616161;")
        self.hide()  # nothing to say until there is advice, or a count of days to wait

    def _label(self, name: str, parent: QWidget | None = None, layout: Any = None) -> QLabel:
        label = _WrappedLabel(parent or self)
        label.setObjectName(name)
        label.setWordWrap(True)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        (layout or self._layout).addWidget(label)
        label.hide()
        return label

    # ---------------------------------------------------------------- data

    @Slot()
    def refresh(self) -> None:
        """Work the advice out again in the background."""
        self._reload.request()

    @property
    def _busy(self) -> bool:
        return self._reload.busy

    def _failed(self, exc: BaseException) -> None:
        log.warning("advice could not be worked out: %s", exc)  # the Cost page says what is wrong with prices

    def _loaded(self, found: Advice) -> None:
        self.advice = found
        for row in self._rows:
            row.deleteLater()
        self._rows = []
        waiting = found.waiting
        self.status_label.setText(message_text(waiting) if waiting is not None else "")
        self.status_label.setVisible(waiting is not None)
        for suggestion in found.suggestions:
            self._rows.append(self._row(suggestion))
        if found.rates is not None and found.suggestions:
            self.prices_label.setText(price_source_text(found.rates))
        self.prices_label.setVisible(found.rates is not None and bool(found.suggestions))
        self.setVisible(bool(found.suggestions) or waiting is not None or self.result_label.isVisible())

    def _row(self, suggestion: Suggestion) -> QWidget:
        kind = suggestion.kind.value
        row = QFrame(self)
        row.setObjectName(f"advice_{kind}")
        row.setFrameShape(QFrame.Shape.StyledPanel)
        layout = QHBoxLayout(row)
        text = self._label(f"adviceText_{kind}", row, layout)
        text.setText(message_text(suggestion.message))
        text.show()
        layout.setStretch(0, 1)
        apply = QPushButton(self.tr("Apply"), row)
        apply.setObjectName(f"adviceApply_{kind}")
        apply.setToolTip(self.tr("Changes the Job settings as suggested and saves them."))
        apply.clicked.connect(lambda: self.apply(suggestion))
        dismiss = QPushButton(self.tr("Dismiss"), row)
        dismiss.setObjectName(f"adviceDismiss_{kind}")
        dismiss.setToolTip(self.tr("Hides this suggestion until its figures change."))
        dismiss.clicked.connect(lambda: self.dismiss(suggestion))
        layout.addWidget(apply, 0, Qt.AlignmentFlag.AlignTop)
        layout.addWidget(dismiss, 0, Qt.AlignmentFlag.AlignTop)
        self._layout.insertWidget(self._layout.indexOf(self.prices_label), row)
        row.show()  # a layout would show it only on the next event loop turn
        return row

    # ---------------------------------------------------------------- intents

    def apply(self, suggestion: Suggestion) -> None:
        """Save the saved settings with exactly this suggestion's change, after validating them."""
        from core.store import config as config_mod

        cfg = self.config()
        if any(getattr(cfg.job, key) != value for key, value in suggestion.before.items()):
            self._say(self.tr("The Job settings changed since this advice was worked out, so nothing was saved; "
                              "the advice is worked out again now."), ok=False)
            self.refresh()
            return
        new = advice_mod.apply(cfg, suggestion)
        problems = [p for p in config_mod.validate(new) if p.field != config_mod.FILE]
        if problems:
            self._say(self.tr("Not saved: the changed settings would not be valid.") + "\n" +
                      "\n".join(f"\u2022 {message_text(p.msg)}" for p in problems), ok=False)
            return

        def saved() -> None:
            self._say(message_text(suggestion.changed()), ok=True)
            self.applied.emit(new)
            self.refresh()

        self.save(new, saved)

    def dismiss(self, suggestion: Suggestion) -> None:
        self.tasks.run(lambda: self._dismiss(suggestion), lambda _=None: self.refresh(), self._failed)

    def _say(self, text: str, ok: bool) -> None:
        self.result_label.setStyleSheet("color: #2e7d32;" if ok else "color: #c62828;")
        self.result_label.setText(text)
        self.result_label.show()
        self.show()
