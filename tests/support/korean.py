"""The GUI's language set to Korean for a test: core's messages are translated by their id
(gui/core_text.py), so a changed id shows up as English where Korean was due."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from PySide6.QtCore import QLocale

from core.errors import Message


def korean_text() -> Iterator[Callable[[Message], str]]:
    """For a fixture (`yield from korean_text()`): `message_text` with the default QLocale ko_KR, put back after."""
    from gui.core_text import message_text

    before = QLocale()
    QLocale.setDefault(QLocale("ko_KR"))
    try:
        yield message_text
    finally:
        QLocale.setDefault(before)
