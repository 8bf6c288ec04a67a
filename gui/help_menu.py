"""The Help menu: the operator guide (F1), the log folder, and About with the version and the licenses we ship."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt, QUrl
from PySide6.QtGui import QAction, QDesktopServices, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu, QMessageBox, QWidget

from core import __version__, paths
from gui.guide import show_guide

# (component, license): what the packaged app contains, for the About box.
LICENSES = (
    ("Qt / PySide6", "LGPLv3"),
    ("APScheduler", "MIT"),
    ("keyring", "MIT"),
    ("google-cloud-aiplatform, google-cloud-logging, google-cloud-resource-manager", "Apache-2.0"),
    ("google-auth, google-auth-oauthlib", "Apache-2.0"),
    ("grpcio, protobuf", "Apache-2.0 / BSD-3-Clause"),
    ("supabase, postgrest", "MIT"),
    ("httpx", "BSD-3-Clause"),
    ("platformdirs", "MIT"),
    ("tzdata", "Apache-2.0"),
    ("tomli-w", "MIT"),
    ("Python", "PSF-2.0"),
)


def open_log_folder() -> bool:
    """Open the app's log folder in the file manager (created first, so there is something to open)."""
    folder = paths.ensure_private_dir(paths.log_dir())
    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))


def about_text() -> str:
    rows = "".join(f"<tr><td>{name}</td><td>&nbsp;{lic}</td></tr>" for name, lic in LICENSES)
    return (
        f"<h3>T4 Panel {__version__}</h3>"
        + "<p>" + QCoreApplication.translate(
            "HelpMenu", "Runs the daily T4 GPU prediction job on Vertex AI or on this computer, "
                        "and shows its log and cost.") + "</p>"
        + "<p>" + QCoreApplication.translate(
            "HelpMenu", "T4 Panel is licensed under Apache-2.0. It includes these components:") + "</p>"
        + f"<table>{rows}</table>"
        + "<p>" + QCoreApplication.translate(
            "HelpMenu", "Qt is used under the LGPLv3: you may replace the Qt libraries in the app folder "
                        "with your own build.") + "</p>"
    )


def show_about(parent: QWidget | None) -> None:
    box = QMessageBox(parent)
    box.setObjectName("aboutBox")
    box.setWindowTitle(QCoreApplication.translate("HelpMenu", "About T4 Panel"))
    box.setTextFormat(Qt.TextFormat.RichText)
    box.setText(about_text())
    box.setIconPixmap(parent.windowIcon().pixmap(64, 64) if parent is not None else box.iconPixmap())
    box.exec()


def build_help_menu(window: QMainWindow) -> QMenu:
    """Add "Help" to the window's menu bar and return it.

    Actions (objectName): guideAction (F1), openLogFolderAction, aboutAction, aboutQtAction.
    """
    menu = window.menuBar().addMenu(QCoreApplication.translate("HelpMenu", "&Help"))
    menu.setObjectName("helpMenu")
    logs = QAction(QCoreApplication.translate("HelpMenu", "Open the &log folder"), window)
    logs.setObjectName("openLogFolderAction")
    logs.setStatusTip(QCoreApplication.translate(
        "HelpMenu", "Open the folder with T4 Panel's own log, to send it with a problem report."))
    logs.triggered.connect(open_log_folder)
    guide = QAction(QCoreApplication.translate("HelpMenu", "Operator &guide"), window)
    guide.setObjectName("guideAction")
    guide.setShortcut(QKeySequence(QKeySequence.StandardKey.HelpContents))  # F1
    guide.setStatusTip(QCoreApplication.translate("HelpMenu", "How to use T4 Panel, page by page."))
    guide.triggered.connect(lambda: show_guide(window))
    about = QAction(QCoreApplication.translate("HelpMenu", "&About T4 Panel"), window)
    about.setObjectName("aboutAction")
    about.setMenuRole(QAction.MenuRole.AboutRole)
    about.triggered.connect(lambda: show_about(window))
    about_qt = QAction(QCoreApplication.translate("HelpMenu", "About &Qt"), window)
    about_qt.setObjectName("aboutQtAction")
    about_qt.setMenuRole(QAction.MenuRole.AboutQtRole)
    about_qt.triggered.connect(lambda: QMessageBox.aboutQt(window))
    menu.addAction(guide)
    menu.addAction(logs)
    menu.addSeparator()
    menu.addAction(about)
    menu.addAction(about_qt)
    return menu
