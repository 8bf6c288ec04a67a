"""Unhandled exceptions become a dialog with "Copy details", never a silent crash."""

from __future__ import annotations

import logging
import sys
import traceback
from types import TracebackType

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QWidget

log = logging.getLogger(__name__)


def show_error(parent: QWidget | None, title: str, message: str, details: str = "") -> None:
    try:
        if parent is not None:
            parent.objectName()  # raises when the window is already gone (shutdown)
    except RuntimeError:
        parent = None
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtWidgets import QMessageBox

    box = QMessageBox(QMessageBox.Icon.Warning, title, message, QMessageBox.StandardButton.Ok, parent)
    box.setObjectName("errorDialog")
    if details:
        copy = box.addButton(QCoreApplication.translate("ErrorDialog", "Copy details"),
                             QMessageBox.ButtonRole.ActionRole)
        copy.clicked.disconnect()
        copy.clicked.connect(lambda: QGuiApplication.clipboard().setText(details))
    box.open()


def install_excepthook(parent_getter) -> None:  # type: ignore[no-untyped-def]
    def hook(exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        details = "".join(traceback.format_exception(exc_type, exc, tb))
        log.error("unhandled exception:\n%s", details)
        from core.errors import T4Error

        if isinstance(exc, T4Error):
            from gui.core_text import error_message, error_title

            show_error(parent_getter(), error_title(exc), error_message(exc))
        else:
            show_error(parent_getter(), QCoreApplication.translate("ErrorDialog", "Something went wrong"),
                       QCoreApplication.translate("ErrorDialog", "T4 Panel hit an unexpected error. Your settings and "
                                                  "history are safe. Copy the details if you report it."), details)

    sys.excepthook = hook
