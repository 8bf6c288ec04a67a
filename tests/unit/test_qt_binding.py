"""Guards the Qt binding pin: PySide6 6.12.0 on Python 3.11 lost a reference to None on every call of a
void method (setText, setEnabled, appendPlainText, ...), so a long-running tray app crashed after a few
thousand calls with "Fatal Python error: none_dealloc". A desktop app that runs for weeks must not."""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QLabel


def test_void_calls_do_not_leak_references_to_none(qtbot):
    label = QLabel()
    qtbot.addWidget(label)
    before = sys.getrefcount(None)
    for _ in range(2_000):
        label.setText("x")
        label.setEnabled(True)
    assert abs(sys.getrefcount(None) - before) < 100
