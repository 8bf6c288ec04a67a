"""The Help menu: the log folder opens in the file manager, and About names the version and licenses."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QObject, QTimer, QUrl, Slot
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QApplication, QMainWindow, QMessageBox

from core import __version__, paths
from gui import help_menu


@pytest.fixture(autouse=True)
def _own_home(tmp_path, monkeypatch):
    monkeypatch.setenv("T4PANEL_HOME", str(tmp_path / "home"))


class _Catcher(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[QUrl] = []

    @Slot(QUrl)
    def open(self, url: QUrl) -> None:
        self.urls.append(url)


def test_log_folder_action_opens_the_log_folder(qtbot):
    window = QMainWindow()
    qtbot.addWidget(window)
    menu = help_menu.build_help_menu(window)
    catcher = _Catcher()
    QDesktopServices.setUrlHandler("file", catcher, "open")  # stands in for the file manager
    try:
        next(a for a in menu.actions() if a.objectName() == "openLogFolderAction").trigger()
    finally:
        QDesktopServices.unsetUrlHandler("file")
    assert [u.toLocalFile() for u in catcher.urls] == [str(paths.log_dir())]
    assert paths.log_dir().is_dir()


def test_about_box_shows_version_and_licenses(qtbot):
    window = QMainWindow()
    qtbot.addWidget(window)
    seen: list[str] = []

    def read_and_close() -> None:
        box = next(w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible())
        seen.append(box.text())
        box.accept()

    QTimer.singleShot(100, read_and_close)
    help_menu.show_about(window)
    text = seen[0]
    assert __version__ in text
    for name, lic in (("PySide6", "LGPLv3"), ("APScheduler", "MIT"), ("keyring", "MIT"),
                      ("google-cloud-aiplatform", "Apache-2.0"), ("supabase", "MIT")):
        assert name in text and lic in text


def _guide_after_f1(qtbot, window):
    from PySide6.QtCore import Qt

    from gui.guide import GuideWindow

    help_menu.build_help_menu(window)
    with qtbot.waitActive(window):
        window.show()
        window.activateWindow()
    qtbot.keyClick(window, Qt.Key.Key_F1)
    guide = window.findChild(GuideWindow, "operatorGuide")
    assert guide is not None and guide.isVisible()
    assert not any(isinstance(w, QMessageBox) and w.isVisible() for w in QApplication.topLevelWidgets())
    return guide.browser.toPlainText()


def test_f1_opens_the_operator_guide_in_english(qtbot):
    window = QMainWindow()
    qtbot.addWidget(window)
    text = _guide_after_f1(qtbot, window)
    assert "Where the job runs" in text and "When something goes wrong" in text
    assert "시작하기" not in text


def test_f1_opens_the_operator_guide_in_korean(qtbot, qapp):
    from gui import i18n

    i18n.install_translators(qapp, "ko")
    try:
        window = QMainWindow()
        qtbot.addWidget(window)
        text = _guide_after_f1(qtbot, window)
    finally:
        i18n.remove_translators(qapp)
    assert "시작하기" in text and "문제가 생겼을 때" in text
    assert "When something goes wrong" not in text


def test_help_menu_lists_the_guide_first(qapp):
    window = QMainWindow()
    menu = help_menu.build_help_menu(window)
    names = [a.objectName() for a in menu.actions() if a.objectName()]
    assert names[0] == "guideAction"
    window.deleteLater()


def test_the_packaged_app_carries_the_guide():
    """The spec bundles docs/ where gui.guide looks for it inside the app (sys._MEIPASS/docs)."""
    from gui.guide import guide_path

    spec = (guide_path().parent.parent / "packaging" / "t4panel.spec").read_text(encoding="utf-8")
    assert '(str(ROOT / "docs"), "docs")' in spec
    assert guide_path().relative_to(guide_path().parent.parent).as_posix() == "docs/operator_guide.md"
    assert guide_path().is_file()
