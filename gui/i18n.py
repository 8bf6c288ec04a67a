"""The app's language: Korean or English, following the system unless the operator chose one.

Call `install_translators(app)` once the QApplication exists and before any window is built. The choice
comes from the config's `[ui] language` ("system", "en" or "ko") when that key exists, else from the
environment variable T4PANEL_LANG, else from the system locale. Qt's own dialog texts (Yes/No, the
wizard's Next/Back) come from Qt's bundled qtbase translations.
"""

from __future__ import annotations

import os
from datetime import datetime
from typing import Any

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator
from PySide6.QtWidgets import QComboBox, QWidget

from core import paths

LANGUAGES = ("system", "en", "ko")
SUPPORTED = ("en", "ko")
_installed: list[QTranslator] = []  # translators must outlive the call that installs them


def language_setting(config: Any = None) -> str:
    """The operator's choice: `[ui] language` from the config when present, else T4PANEL_LANG, else "system"."""
    ui = getattr(config, "ui", None)
    chosen = getattr(ui, "language", None)
    if chosen == "system":  # the default, also written by older versions: no choice, so the variable counts
        chosen = None
    value = chosen or os.environ.get("T4PANEL_LANG") or "system"
    value = str(value).strip().lower()
    return value if value in LANGUAGES else "system"


def resolve_language(setting: str = "system", system_locale: QLocale | None = None) -> str:
    """"en" or "ko" for a setting; "system" follows the OS language (anything but Korean is English)."""
    if setting in SUPPORTED:
        return setting
    locale = system_locale or QLocale.system()
    for name in [locale.name(), *locale.uiLanguages()]:
        if name.lower().startswith("ko"):
            return "ko"
    return "en"


def qm_path(language: str) -> str:
    return str(paths.resources_dir() / "i18n" / f"t4panel_{language}.qm")


def install_translators(app: QCoreApplication, setting: str | None = None) -> str:
    """Load the app's and Qt's translations for the chosen language; returns "en" or "ko".

    Calling it again switches language (already-built widgets keep their texts: rebuild them or restart).
    """
    if setting in (None, "system"):  # "system" in the file means nobody chose: T4PANEL_LANG may still
        setting = language_setting()
    language = resolve_language(setting)
    for old in _installed:
        app.removeTranslator(old)
    _installed.clear()
    QLocale.setDefault(QLocale("ko_KR" if language == "ko" else "en_US"))  # dates and numbers follow it
    ours = QTranslator(app)  # English has one too, for plural forms only ("1 run", "2 runs")
    if ours.load(qm_path(language)):
        app.installTranslator(ours)
        _installed.append(ours)
    qt_own = QTranslator(app)
    if qt_own.load(f"qtbase_{language}", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        app.installTranslator(qt_own)
        _installed.append(qt_own)
    return language


def remove_translators(app: QCoreApplication) -> None:
    """Back to the untranslated source strings and the system locale (tests switch languages)."""
    for old in _installed:
        app.removeTranslator(old)
    _installed.clear()
    QLocale.setDefault(QLocale.system())


def format_datetime(when: datetime, long: bool = False) -> str:
    """A date and time in the operator's language and local time zone (e.g. "2026. 11. 29. 오전 1:00")."""
    from PySide6.QtCore import QDateTime

    local = when.astimezone() if when.tzinfo else when
    fmt = QLocale.FormatType.LongFormat if long else QLocale.FormatType.ShortFormat
    return QLocale().toString(QDateTime(local.date(), local.time()), fmt)


def format_usd(amount: float) -> str:
    """Dollars (Google bills in USD) with the locale's digit grouping: "$1,234.50"."""
    locale = QLocale()
    if locale.language() in (QLocale.Language.C, QLocale.Language.AnyLanguage):
        locale = QLocale(QLocale.Language.English, QLocale.Country.UnitedStates)  # "C" would say "17.00$"
    return locale.toCurrencyString(float(amount), "$", 2)


class LanguagePicker(QComboBox):
    """The Settings override: "Follow the system", "English", "한국어" (each language named in itself).

    `value()` is what `[ui] language` stores. A change applies at the next start of T4 Panel.
    """

    def __init__(self, current: str = "system", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("languagePicker")
        self.addItem(QCoreApplication.translate("LanguagePicker", "Follow the system"), "system")
        self.addItem("English", "en")
        self.addItem("한국어", "ko")
        self.setCurrentIndex(max(0, self.findData(current if current in LANGUAGES else "system")))
        self.setToolTip(QCoreApplication.translate("LanguagePicker", "The language of T4 Panel's windows. "
                                                   "A change takes effect the next time T4 Panel starts."))

    def value(self) -> str:
        return str(self.currentData())
