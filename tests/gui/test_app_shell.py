"""The app shell: one instance per user, errors shown as a dialog (never a silent crash), closing rules."""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QApplication, QMessageBox


def test_a_second_launch_raises_the_first_window(qtbot):
    from gui.single_instance import SingleInstance

    first = SingleInstance()
    assert first.listen()
    second = SingleInstance()
    with qtbot.waitSignal(first.raiseRequested, timeout=5_000):
        assert second.ask_running_instance() is True


def test_nobody_answers_when_no_instance_runs():
    from gui.single_instance import SingleInstance

    assert SingleInstance().ask_running_instance(timeout_ms=200) is False


def test_an_unhandled_exception_becomes_a_dialog_with_copy_details(qtbot, monkeypatch):
    from PySide6.QtWidgets import QWidget

    from gui.error_dialog import install_excepthook

    parent = QWidget()
    qtbot.addWidget(parent)
    # an error dialog an earlier test left open is not this one (random order put one before it once)
    earlier = [w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible()]
    old_hook = sys.excepthook
    install_excepthook(lambda: parent)
    try:
        try:
            raise ZeroDivisionError("boom")
        except ZeroDivisionError:
            sys.excepthook(*sys.exc_info())
    finally:
        sys.excepthook = old_hook
    boxes = [w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible()
             and not any(w is e for e in earlier)]
    assert len(boxes) == 1  # exactly one dialog for one exception
    box = boxes[0]
    assert "unexpected error" in box.text() and "Traceback" not in box.text()
    copy = next(b for b in box.buttons() if b.text() == "Copy details")
    copy.click()
    assert "ZeroDivisionError: boom" in QApplication.clipboard().text()
    box.close()


def test_without_a_tray_closing_asks_before_quitting(qtbot, monkeypatch):
    from gui.main_window import MainWindow

    window = MainWindow()
    qtbot.addWidget(window)
    window.tray_available = False
    window.show()
    monkeypatch.setattr(QMessageBox, "question", staticmethod(lambda *a, **k: QMessageBox.StandardButton.No))
    window.close()
    assert window.isVisible()  # "No": nothing happens
    monkeypatch.setattr(QMessageBox, "question", staticmethod(lambda *a, **k: QMessageBox.StandardButton.Yes))
    with qtbot.waitSignal(window.quitRequested, timeout=1_000):
        window.close()
