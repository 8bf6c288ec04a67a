"""What core says, in the app's language.

core/ speaks English (the CLI and the daemon use it), and every operator message of core carries a stable id
and its parameters (core.errors.Message). The window translates those by id from
resources/i18n/core_messages_<lang>.toml, so core's wording can change without breaking a translation;
tests/gui/test_core_text.py fails on any id in core/ without Korean. A few facts the window words itself
(budget, rates), and keyring names are looked up by name.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QLocale

from core.errors import Message, T4Error, fill

if TYPE_CHECKING:
    from core.cost import BudgetStatus
    from core.cost.rates import Rates
    from core.store.config import Problem
    from core.store.runs import Run

LIST_ID = "list"  # core.errors.joined: several messages in one; only its items are translated

# core.store.secrets' keyring names, as core writes them (lupdate extracts these literals); its sentences
# are messages with ids, translated by `message_text`.
KEYRING_SENTENCES = (
    QT_TRANSLATE_NOOP("CoreText", "GNOME Keyring / Secret Service"),
    QT_TRANSLATE_NOOP("CoreText", "GNOME Keyring / Secret Service (libsecret)"),
    QT_TRANSLATE_NOOP("CoreText", "KDE Wallet"),
    QT_TRANSLATE_NOOP("CoreText", "macOS Keychain"),
    QT_TRANSLATE_NOOP("CoreText", "Windows Credential Manager"),
    QT_TRANSLATE_NOOP("CoreText", "none (no keyring found)"),
    QT_TRANSLATE_NOOP("CoreText", "none (keyring disabled)"),
    QT_TRANSLATE_NOOP("CoreText", "a plain file (keyrings.alt, not used)"),
)


def _t(text: str) -> str:
    return QCoreApplication.translate("CoreText", text)


def core_sentence(text: str) -> str:
    """A keyring's name in the app's language (a name not listed stays as core wrote it).
    A " + " joined list of keyring names is translated name by name."""
    return " + ".join(_t(part) for part in text.split(" + "))


def _usd(amount: float) -> str:
    from gui.i18n import format_usd

    return format_usd(amount)


def budget_text(b: BudgetStatus) -> str:
    """core.cost.budget_status's sentence, worded here."""
    if b.budget <= 0:
        return QCoreApplication.translate(
            "CoreText", "About %1 spent on Vertex AI this month (estimate); no monthly budget set.").replace(
            "%1", _usd(b.spent))
    pct = f"{b.fraction:.0%}"
    if b.level.value == "over100":
        text = QCoreApplication.translate("CoreText", "Over budget: about %1 of %2 spent this month (%3, estimate).")
        tail = (QCoreApplication.translate("CoreText", "Scheduled runs are blocked until next month.")
                if b.block_when_over else
                QCoreApplication.translate("CoreText",
                                           "Runs still start: turn on blocking in Settings to stop scheduled runs."))
        return text.replace("%1", _usd(b.spent)).replace("%2", _usd(b.budget)).replace("%3", pct) + " " + tail
    if b.level.value == "warn80":
        text = QCoreApplication.translate("CoreText", "About %1 of your %2 monthly budget is spent (%3, estimate).")
    else:
        text = QCoreApplication.translate("CoreText", "About %1 of %2 spent this month (%3, estimate).")
    return text.replace("%1", _usd(b.spent)).replace("%2", _usd(b.budget)).replace("%3", pct)


def rates_text(r: Rates) -> str:
    """core.cost.rates.Rates.basis, worded here."""
    machine, gpu = f"${r.machine_usd_per_hour:.4f}", f"${r.gpu_usd_per_hour:.4f}"
    if r.overridden and r.machine_usd_per_hour is not None and _both_overridden(r):
        return QCoreApplication.translate(
            "CoreText", "Your own rates from Settings: %1 %2/h and %3/h per T4 (estimate).").replace(
            "%1", r.machine_type).replace("%2", machine).replace("%3", gpu)
    from core.cost.rates import load_pricing

    kind = (QCoreApplication.translate("CoreText", "Spot") if r.spot
            else QCoreApplication.translate("CoreText", "on-demand"))
    if r.from_catalog:
        text = QCoreApplication.translate("CoreText", "Vertex AI %1 rates, %2: %3 %4/h, T4 %5/h each "
                                          "(estimate from Google's Cloud Billing Catalog, fetched %6).")
        text = (text.replace("%1", kind).replace("%2", r.region).replace("%3", r.machine_type)
                .replace("%4", machine).replace("%5", gpu).replace("%6", r.read_on.isoformat() if r.read_on else "?"))
        if r.overridden:
            text += " " + QCoreApplication.translate("CoreText", "Some of these rates are your own, from Settings.")
        return text
    where = (QCoreApplication.translate("CoreText", "no prices for %1 in the table, so %2 rates are used")
             .replace("%1", r.region).replace("%2", r.priced_region) if r.fallback else r.priced_region)
    text = QCoreApplication.translate("CoreText", "Vertex AI %1 rates, %2: %3 %4/h, T4 %5/h each "
                                      "(estimate: %6 x Compute Engine list prices read %7).")
    text = (text.replace("%1", kind).replace("%2", where).replace("%3", r.machine_type).replace("%4", machine)
            .replace("%5", gpu).replace("%6", f"{load_pricing().vertex_factor:g}")
            .replace("%7", r.read_on.isoformat()))
    if r.overridden:
        text += " " + QCoreApplication.translate("CoreText", "Some of these rates are your own, from Settings.")
    return text


def price_source_text(r: Rates) -> str:
    """Which prices, of which day: the line every cost figure on screen stands under."""
    day = r.read_on.isoformat() if r.read_on else "?"
    if r.overridden and _both_overridden(r):
        return QCoreApplication.translate("CoreText", "Prices: your own rates from Settings.")
    if r.from_catalog:
        return QCoreApplication.translate("CoreText", "Prices: Google Cloud Billing Catalog, fetched %1.").replace(
            "%1", day)
    return QCoreApplication.translate("CoreText", "Prices: T4 Panel's price table, read %1.").replace("%1", day)


def _both_overridden(r: Rates) -> bool:
    return r.basis.startswith("Your own rates from Settings")


def colab_source_text(source: str) -> str:
    """The Colab prices' source as a tooltip: the address, in a sentence of the app's language."""
    found = re.search(r"https?://\S+?(?=[),\s]|$)", source)
    return QCoreApplication.translate("CoreText", "Colab prices from %1").replace(
        "%1", found.group(0) if found else source)


# ---------------------------------------------------------------- core's messages, by id

CATALOG_FILE = "core_messages_{lang}.toml"  # in resources/i18n: id = "text with {name} fields"
_catalogs: dict[str, dict[str, str]] = {}


def catalog(language: str) -> dict[str, str]:
    """The translations of core's message ids for `language` ("ko"); English has none (core's own text)."""
    if language not in _catalogs:
        import tomllib

        from core import paths

        path = paths.resources_dir() / "i18n" / CATALOG_FILE.format(lang=language)
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            data = {}  # no file: core's English stays
        _catalogs[language] = {str(k): str(v) for k, v in data.items()}
    return _catalogs[language]


def _language() -> str:
    # gui.i18n.install_translators sets the default QLocale to the chosen language (ko_KR or en_US).
    return "ko" if QLocale().language() == QLocale.Language.Korean else "en"


def message_text(m: Message | None, fallback: str = "") -> str:
    """A message from core in the app's language, looked up by its id; its parameters are put in (those that
    are messages themselves translated too). An id without a translation shows core's English."""
    if m is None:
        return fallback
    params = {k: message_text(v) if isinstance(v, Message) else v for k, v in m.params.items()}
    template = catalog(_language()).get(m.id) if m.id and m.id != LIST_ID else None
    return fill(template if template is not None else m.default, params)


def error_title(exc: BaseException) -> str:
    """The heading of a core error in the app's language (T4Error only; anything else gets a generic one)."""
    if isinstance(exc, T4Error):
        return message_text(exc.title_msg)
    return QCoreApplication.translate("CoreText", "Something went wrong")


def error_message(exc: BaseException) -> str:
    """The sentence of a core error in the app's language."""
    if isinstance(exc, T4Error):
        return message_text(exc.msg)
    return QCoreApplication.translate("CoreText", "The action failed; see the app log for details.")


def problem_text(problem: Problem) -> str:
    """A settings problem (core.store.config.Problem) in the app's language."""
    return message_text(problem.msg)


def run_error_text(run: Run) -> str:
    """A run's error from history in the app's language (rows from before message ids show their text)."""
    if run.error_msg is not None:
        return message_text(run.error_msg)
    return run.error or ""
