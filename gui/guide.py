"""The operator guide (docs/operator_guide.md, bundled with the app) in a window, in the app's language."""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QLocale, Qt, QTimer, QUrl
from PySide6.QtGui import QImage, QTextDocument
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

SECTIONS = {"en": "## English", "ko": "## 한국어"}
IMAGE = re.compile(r"!\[[^\]]*\]\(([^)\s]+)\)")
MAX_PICTURE_WIDTH = 740  # the screenshots are window-sized: shrink them to the guide's width


def guide_path() -> Path:
    """docs/operator_guide.md beside the code, or in the PyInstaller bundle (packaging/t4panel.spec adds docs/)."""
    bundle = getattr(sys, "_MEIPASS", None)
    root = Path(bundle) if bundle else Path(__file__).resolve().parent.parent
    return root / "docs" / "operator_guide.md"


def app_language() -> str:
    """"ko" or "en": gui.i18n.install_translators sets the default locale to the language it chose."""
    return "ko" if QLocale().language() == QLocale.Language.Korean else "en"


def guide_markdown(language: str, path: Path | None = None) -> str:
    """The guide's part in `language` (the file holds both, each under its own "## " heading)."""
    text = (path or guide_path()).read_text(encoding="utf-8")
    start = text.find(SECTIONS[language])
    if start < 0:
        return text
    ends = [i for i in (text.find(h, start + 1) for h in SECTIONS.values()) if i > start]
    part = text[start:min(ends)] if ends else text[start:]
    return re.sub(r"\)\n!\[", ")\n\n![", part)  # one screenshot per paragraph, not side by side


def load_picture(path: Path) -> QImage | None:
    """One screenshot, shrunk to the guide's width (None when it is missing)."""
    image = QImage(str(path))
    if image.isNull():
        return None
    if image.width() > MAX_PICTURE_WIDTH:
        image = image.scaledToWidth(MAX_PICTURE_WIDTH, Qt.TransformationMode.SmoothTransformation)
    return image


class _Browser(QTextBrowser):
    """Takes its pictures from memory (decoded and shrunk once), never from the disk while laying out."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.pictures: dict[str, QImage] = {}

    def loadResource(self, kind: int, name: QUrl) -> Any:
        if kind == QTextDocument.ResourceType.ImageResource.value:
            return self.pictures.get(name.toString())
        return super().loadResource(kind, name)


class GuideWindow(QDialog):
    """objectName "operatorGuide"; its QTextBrowser is "guideBrowser". Not modal: read it beside the app."""

    def __init__(self, parent: QWidget | None = None, language: str | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("operatorGuide")
        self.setWindowTitle(QCoreApplication.translate("Guide", "T4 Panel operator guide"))
        self.resize(820, 700)
        self.browser = _Browser(self)
        self.browser.setObjectName("guideBrowser")
        self.browser.setOpenExternalLinks(True)
        path = guide_path()
        try:
            markdown = guide_markdown(language or app_language(), path)
        except OSError:
            markdown = QCoreApplication.translate(
                "Guide", "The operator guide is missing from this installation. It is also in the "
                         "docs folder of T4 Panel's source code.")
        # The words at once; the pictures (~0.5 s to decode all) one per event-loop turn, so the window
        # answers meanwhile. Not on a worker: a QImage decoded there deadlocked against the UI thread in tests.
        self.markdown = markdown
        self.browser.setMarkdown(IMAGE.sub("", markdown))
        self._waiting = [path.parent / name for name in dict.fromkeys(IMAGE.findall(markdown))]
        self._pictures: dict[str, QImage] = {}
        self._folder = path.parent
        self._timer = QTimer(self)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self._load_next)
        self._timer.start()
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser, 1)
        layout.addWidget(close)

    def loading(self) -> bool:
        return self._timer.isActive()

    def _load_next(self) -> None:
        if self._waiting:
            path = self._waiting.pop(0)
            image = load_picture(path)
            if image is not None:
                self._pictures[path.relative_to(self._folder).as_posix()] = image
            return
        self._timer.stop()
        self._show_pictures(self._pictures)

    def _show_pictures(self, pictures: dict[str, QImage]) -> None:
        self.browser.pictures = pictures
        self.browser.setMarkdown(IMAGE.sub(lambda m: m.group(0) if m.group(1) in pictures else "", self.markdown))


def show_guide(parent: QWidget | None) -> GuideWindow:
    """Open (or raise) the guide window of `parent`."""
    existing = parent.findChild(GuideWindow, "operatorGuide") if parent is not None else None
    window = existing or GuideWindow(parent)
    window.show()
    window.raise_()
    window.activateWindow()
    return window
