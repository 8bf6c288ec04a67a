"""Korean translation: complete in the .ts, compiled into the committed .qm, and nothing left in English on
any page of the running window."""

from __future__ import annotations

import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PySide6 import QtCore
from PySide6.QtCore import QLocale, QModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QTableView,
    QTabWidget,
    QTreeView,
    QWidget,
)

from gui import i18n

ROOT = Path(__file__).resolve().parents[2]
I18N = ROOT / "resources" / "i18n"
TS = I18N / "t4panel_ko.ts"
LANGS = ("ko", "en")  # English: plural forms only

# Words that stay as they are in Korean: product and company names, units, and the technical names an
# operator types or sees in Google's own console.
ALLOWED = {
    "T4", "Panel", "Vertex", "AI", "Supabase", "Google", "Cloud", "GPU", "GPUs", "NVIDIA", "N1", "vCPU", "GB",
    "Spot", "Colab", "Pro", "Slack", "API", "URL", "JSON", "OAuth", "ID", "gcloud", "Python", "Qt", "LGPLv3",
    "MIT", "Apache", "BSD", "PSF", "Project", "Settings", "UTC", "KST", "USD", "Docker",
    "Seoul", "predictions",  # example values the operator types as they are (a time zone name, a table name)
    "English",  # the language picker names each language in itself ("English", "한국어")
    # product names, kept as their makers write them
    "Compute", "Engine", "GNOME", "Keyring", "KDE", "Wallet", "macOS", "Windows",
    "Secret", "Service",  # freedesktop's Secret Service API, named as the keyring shows it
    "Run", "Scheduler", "Manager",  # Cloud Run, Cloud Scheduler, Secret Manager: Google's Korean console keeps them
}


def _tool(name: str) -> str:
    """pyside6-<name>, or the binary inside the PySide6 folder (works without the console scripts)."""
    binary = Path(QtCore.__file__).parent / (name + (".exe" if QtCore.__file__.endswith(".pyd") else ""))
    if binary.exists():
        return str(binary)
    found = shutil.which(f"pyside6-{name}")
    if not found:
        pytest.skip(f"pyside6-{name} not found")
    return found


def _unfinished(ts: Path) -> list[str]:
    root = ET.parse(ts).getroot()
    bad = []
    for ctx in root.iter("context"):
        for m in ctx.iter("message"):
            tr = m.find("translation")
            text = (tr.text or "") + "".join(f.text or "" for f in tr.findall("numerusform"))
            if tr.get("type") in ("unfinished", "obsolete", "vanished") or not text.strip():
                bad.append(f"{ctx.findtext('name')}: {m.findtext('source')!r}")
    return bad


@pytest.mark.parametrize("lang", LANGS)
def test_every_message_in_the_ts_is_translated(lang) -> None:
    ts = I18N / f"t4panel_{lang}.ts"
    assert _unfinished(ts) == []
    assert ET.parse(ts).getroot().get("language", "").startswith(lang)


@pytest.mark.parametrize("lang", LANGS)
def test_no_string_in_the_code_is_missing_from_the_ts(tmp_path, lang) -> None:
    fresh = tmp_path / f"t4panel_{lang}.ts"
    shutil.copy(I18N / fresh.name, fresh)
    sources = sorted(str(p) for p in (ROOT / "gui").glob("*.py"))
    only = ["-pluralonly"] if lang == "en" else []
    subprocess.run([_tool("lupdate"), "-silent", "-no-obsolete", "-locations", "none", *only, *sources,
                    "-ts", str(fresh)], check=True, capture_output=True, timeout=60)
    missing = _unfinished(fresh)
    assert missing == [], "run scripts/update_translations.sh and translate:\n" + "\n".join(missing)


@pytest.mark.parametrize("lang", LANGS)
def test_committed_qm_is_compiled_from_the_ts(tmp_path, lang) -> None:
    qm = tmp_path / f"t4panel_{lang}.qm"
    subprocess.run([_tool("lrelease"), "-silent", str(I18N / f"t4panel_{lang}.ts"), "-qm", str(qm)],
                   check=True, capture_output=True, timeout=60)
    assert (I18N / qm.name).read_bytes() == qm.read_bytes(), "run scripts/update_translations.sh and commit the .qm"


def test_plural_forms_read_naturally_in_both_languages(qapp) -> None:
    from PySide6.QtCore import QCoreApplication

    def count(n: int) -> str:
        return QCoreApplication.translate("LogView", "%n line(s)", None, n)

    try:
        i18n.install_translators(qapp, "en")
        assert (count(1), count(3)) == ("1 line", "3 lines")
        i18n.install_translators(qapp, "ko")
        assert (count(1), count(3)) == ("1줄", "3줄")
    finally:
        i18n.remove_translators(qapp)


def test_dates_and_money_follow_the_language(qapp) -> None:
    from datetime import UTC, datetime

    when = datetime(2026, 11, 29, 16, 0, tzinfo=UTC)
    try:
        i18n.install_translators(qapp, "ko")
        assert i18n.format_usd(1234.5) == "$1,234.50" or "1,234.50" in i18n.format_usd(1234.5)
        assert "2026" in i18n.format_datetime(when, long=True) and "년" in i18n.format_datetime(when, long=True)
        i18n.install_translators(qapp, "en")
        assert "November" in i18n.format_datetime(when, long=True)
    finally:
        i18n.remove_translators(qapp)


@pytest.mark.parametrize(("setting", "system", "expected"), [
    ("system", "ko_KR", "ko"), ("system", "en_US", "en"), ("system", "de_DE", "en"),
    ("ko", "en_US", "ko"), ("en", "ko_KR", "en"),
])
def test_language_follows_the_system_unless_chosen(setting, system, expected) -> None:
    assert i18n.resolve_language(setting, QLocale(system)) == expected


def test_env_and_config_override(monkeypatch) -> None:
    monkeypatch.setenv("T4PANEL_LANG", "ko")
    assert i18n.language_setting() == "ko"

    class _Ui:
        language = "en"

    class _Cfg:
        ui = _Ui()

    assert i18n.language_setting(_Cfg()) == "en"
    monkeypatch.setenv("T4PANEL_LANG", "klingon")
    assert i18n.language_setting() == "system"


# ---------------------------------------------------------------- the running window in Korean


def _english_words(text: str) -> list[str]:
    text = re.sub(r"<[^>]+>", " ", text)  # rich-text tags
    words = []
    for token in text.split():
        if re.search(r"[-_./=@:{}%$0-9\\]", token):  # ids, URLs, paths, examples, placeholders, numbers
            continue
        for word in re.findall(r"[A-Za-z]{2,}", token):
            if word not in ALLOWED:
                words.append(word)
    return words


def _visible_texts(widget: QWidget) -> list[tuple[str, str]]:
    """(where, text) for every operator-visible string of a widget."""
    name = f"{type(widget).__name__}#{widget.objectName() or '?'}"
    out = [(name + ".toolTip", widget.toolTip())]
    if isinstance(widget, (QLabel, QAbstractButton)):
        out.append((name, widget.text()))
    elif isinstance(widget, QGroupBox):
        out.append((name, widget.title()))
    elif isinstance(widget, (QLineEdit, QPlainTextEdit)):
        out.append((name + ".placeholder", widget.placeholderText()))
    elif isinstance(widget, QComboBox) and not widget.isEditable():  # editable ones hold data (zones, machines)
        out.extend((f"{name}[{i}]", widget.itemText(i)) for i in range(widget.count()))
    elif isinstance(widget, QTabWidget):
        out.extend((f"{name}.tab{i}", widget.tabText(i)) for i in range(widget.count()))
    elif isinstance(widget, QAbstractSpinBox):
        out.append((name + ".special", widget.specialValueText()))
        if hasattr(widget, "suffix"):
            out.append((name + ".suffix", widget.suffix()))
    if isinstance(widget, QListWidget):
        out.extend((f"{name}[{i}]", widget.item(i).text()) for i in range(widget.count()))
    if isinstance(widget, (QTableView, QTreeView)) and widget.model() is not None:
        model = widget.model()
        for col in range(model.columnCount(QModelIndex())):
            out.append((f"{name}.header{col}", str(model.headerData(col, Qt.Orientation.Horizontal) or "")))
    return out


# Widgets that show sentences written by core/ (English only: the CLI and the daemon use it). They need
# core to hand the GUI structured facts (or message ids) instead of sentences; until then they are listed
# here, checked by the strict xfail below, and reported on issue 7.
CORE_SENTENCE_WIDGETS = ("#costBasis", "#costColab.toolTip", "#costBudgetMessage", "#keyringLabel")


@pytest.fixture
def korean(qapp):
    assert i18n.install_translators(qapp, "ko") == "ko"
    yield
    i18n.remove_translators(qapp)


def _english_on_screen(qtbot) -> list[str]:
    """"page: widget: text (English words)" for every visible string left in English, page by page."""
    from gui.app import PanelApp

    panel = PanelApp()
    try:
        with qtbot.waitSignal(panel.core.ready, timeout=15_000):
            panel.start()
        qtbot.waitExposed(panel.window)
        assert panel.window.nav.item(0).text() == "대시보드"
        english: list[str] = []
        for key in list(panel.window.pages):
            panel.window.show_page(key)
            # the page's background loads (keyring, history, costs) fill its labels: read it once they have
            qtbot.waitUntil(lambda: panel.core.tasks.pending == 0, timeout=15_000)
            page = panel.window.pages[key]
            for widget in [panel.window.nav, page, *page.findChildren(QWidget)]:
                if not widget.isVisible():
                    continue
                for where, text in _visible_texts(widget):
                    words = _english_words(text or "")
                    if words:
                        english.append(f"{key}: {where}: {text!r} ({', '.join(words)})")
        return english
    finally:
        panel.window.quitting = True
        panel.core.shutdown()
        panel.tray.icon.hide()
        panel.window.close()
        QApplication.processEvents()


def _from_core(line: str) -> bool:
    return any(f"{name}:" in line or f"{name}." in line for name in CORE_SENTENCE_WIDGETS)


def test_no_visible_english_on_any_page(qtbot, korean) -> None:
    english = [line for line in _english_on_screen(qtbot) if not _from_core(line)]
    assert english == [], "untranslated on screen:\n" + "\n".join(english)


def test_sentences_from_core_are_translated_too(qtbot, korean) -> None:
    english = [line for line in _english_on_screen(qtbot) if _from_core(line)]
    assert english == [], "core sentences on screen:\n" + "\n".join(english)


def test_language_picker_stores_the_setting(qtbot, korean) -> None:
    picker = i18n.LanguagePicker("ko")
    qtbot.addWidget(picker)
    assert picker.value() == "ko"
    assert [picker.itemText(i) for i in range(3)] == ["시스템 언어 따르기", "English", "한국어"]
    picker.setCurrentIndex(0)
    assert picker.value() == "system"
