"""Core's operator sentences in the app's language.

core/ speaks English (the CLI and the daemon use it). Where the window shows what core says, it words the
facts itself (budget, rates) or looks up core's fixed sentences here (keyring), so Korean operators read
Korean. tests/gui/test_core_text.py fails when a core sentence listed here drifts from core's own text.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

if TYPE_CHECKING:
    from core.cost import BudgetStatus
    from core.cost.rates import Rates

# core.store.secrets' fixed sentences and keyring names, as core writes them (lupdate extracts these literals).
KEYRING_SENTENCES = (
    QT_TRANSLATE_NOOP("CoreText", "No keyring is available on this computer, so T4 Panel cannot save secrets. Install "
                      "and unlock a keyring (GNOME Keyring, KDE Wallet, macOS Keychain or Windows Credential Manager). "
                      "Choose \"Keep for this session only\" to keep secrets in memory until T4 Panel closes; on a "
                      "server, give the daemon SUPABASE_URL and SUPABASE_KEY in its environment instead."),
    QT_TRANSLATE_NOOP("CoreText", "The keyring is locked (its unlock prompt was dismissed or could not be shown). "
                      "Unlock it - for example by logging out and in again - and retry. Choose \"Keep for this "
                      "session only\" to keep secrets in memory until T4 Panel closes; on a server, give the daemon "
                      "SUPABASE_URL and SUPABASE_KEY in its environment instead."),
    QT_TRANSLATE_NOOP("CoreText", "The keyring could not be opened (the keyring service is not running or its unlock "
                      "prompt was dismissed). Start or unlock it and retry. Choose \"Keep for this session only\" to "
                      "keep secrets in memory until T4 Panel closes; on a server, give the daemon SUPABASE_URL and "
                      "SUPABASE_KEY in its environment instead."),
    QT_TRANSLATE_NOOP("CoreText", "The only keyring found keeps secrets in a plain file (keyrings.alt), which T4 Panel "
                      "does not use. Remove keyrings.alt or install a real keyring. Choose \"Keep for this session "
                      "only\" to keep secrets in memory until T4 Panel closes; on a server, give the daemon "
                      "SUPABASE_URL and SUPABASE_KEY in its environment instead."),
    QT_TRANSLATE_NOOP("CoreText", "Keyring unavailable"),
    QT_TRANSLATE_NOOP("CoreText", "Keyring locked"),
    QT_TRANSLATE_NOOP("CoreText", "GNOME Keyring / Secret Service"),
    QT_TRANSLATE_NOOP("CoreText", "GNOME Keyring / Secret Service (libsecret)"),
    QT_TRANSLATE_NOOP("CoreText", "KDE Wallet"),
    QT_TRANSLATE_NOOP("CoreText", "macOS Keychain"),
    QT_TRANSLATE_NOOP("CoreText", "Windows Credential Manager"),
    QT_TRANSLATE_NOOP("CoreText", "none (no keyring found)"),
    QT_TRANSLATE_NOOP("CoreText", "none (keyring disabled)"),
)


def _t(text: str) -> str:
    return QCoreApplication.translate("CoreText", text)


def core_sentence(text: str) -> str:
    """One of core's fixed sentences in the app's language (a sentence not listed stays as core wrote it).
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


def _both_overridden(r: Rates) -> bool:
    return r.basis.startswith("Your own rates from Settings")


def colab_source_text(source: str) -> str:
    """The Colab prices' source as a tooltip: the address, in a sentence of the app's language."""
    found = re.search(r"https?://\S+?(?=[),\s]|$)", source)
    return QCoreApplication.translate("CoreText", "Colab prices from %1").replace(
        "%1", found.group(0) if found else source)


# core.store.config's field messages that the forms show, as templates: %1, %2... stand for the values core puts in.
PROBLEM_TEMPLATES = (
    QT_TRANSLATE_NOOP("CoreText", "Enter the Google Cloud project id to run on Vertex AI."),
    QT_TRANSLATE_NOOP("CoreText", "A project id is 6-30 lowercase letters, digits or hyphens, starting with a letter."),
    QT_TRANSLATE_NOOP("CoreText", "\"%1\" does not offer T4 GPUs for Vertex AI training; pick one from the list."),
    QT_TRANSLATE_NOOP("CoreText", "Give the job a name (it appears in the Google Cloud console)."),
    QT_TRANSLATE_NOOP("CoreText", "The job name must be at most 128 characters."),
    QT_TRANSLATE_NOOP("CoreText", "A T4 GPU only fits N1 machine types; %1 is not one."),
    QT_TRANSLATE_NOOP("CoreText", "GPU count must be 1, 2 or 4."),
    QT_TRANSLATE_NOOP("CoreText", "%1 T4 GPU(s) allow at most %2 vCPUs and %3 GB of memory; %4 is larger. Use 4 GPUs "
                      "or a smaller machine."),
    QT_TRANSLATE_NOOP("CoreText", "Enter the container image to run on Vertex AI (e.g. us-docker.pkg.dev/...)."),
    QT_TRANSLATE_NOOP("CoreText", "The container image address cannot contain spaces."),
    QT_TRANSLATE_NOOP("CoreText", "Enter the command to run on this computer."),
    QT_TRANSLATE_NOOP("CoreText", "Max runtime must be between 10 minutes and 7 days (10080 minutes)."),
    QT_TRANSLATE_NOOP("CoreText", "Boot disk must be between 100 and 65536 GB."),
    QT_TRANSLATE_NOOP("CoreText", "A service account looks like name@project.iam.gserviceaccount.com."),
    QT_TRANSLATE_NOOP("CoreText", "At most %1 environment variables are allowed; there are %2."),
    QT_TRANSLATE_NOOP("CoreText", "\"%1\" is not a valid variable name (letters, digits, _; "
                      "not starting with a digit)."),
    QT_TRANSLATE_NOOP("CoreText", "Do not put %1 here: save it under Supabase in Settings, where it is kept in the "
                      "keyring."),
    QT_TRANSLATE_NOOP("CoreText", "Vertex AI refuses a variable without a value: give %1 a value or remove it."),
    QT_TRANSLATE_NOOP("CoreText", "The time must be HH:MM on a 24-hour clock, e.g. \"01:00\"."),
    QT_TRANSLATE_NOOP("CoreText", "Pick at least one weekday, or turn the schedule off."),
    QT_TRANSLATE_NOOP("CoreText", "Each weekday may appear only once."),
    QT_TRANSLATE_NOOP("CoreText", "\"%1\" is not a time zone name; pick one such as Asia/Seoul."),
    QT_TRANSLATE_NOOP("CoreText", "The catch-up window must be between 0 and 72 hours."),
    QT_TRANSLATE_NOOP("CoreText", "The webhook address must start with https:// (or http://)."),
    QT_TRANSLATE_NOOP("CoreText", "The monthly budget must be a dollar amount between 0 (no budget) and 1,000,000."),
    QT_TRANSLATE_NOOP("CoreText", "A rate must be dollars per hour between 0 (use the price table) and 1000."),
    QT_TRANSLATE_NOOP("CoreText", "The results table is a table name such as predictions (letters, digits, _)."),
)
# What core says about a run (run.error, a refused Run Now): the sentences of the local backend and the
# controller. Vertex AI's own error texts are passed on as Google wrote them.
RUN_TEMPLATES = (
    QT_TRANSLATE_NOOP("CoreText", "The job exited with code %1."),
    QT_TRANSLATE_NOOP("CoreText", "The job was killed by signal %1."),
    QT_TRANSLATE_NOOP("CoreText", "Cancelled by the operator."),
    QT_TRANSLATE_NOOP("CoreText", "Stopped after the max runtime of %1 minutes. Raise it on the Job page if the job "
                      "needs longer."),
    QT_TRANSLATE_NOOP("CoreText", "The command could not be started: %1 (%2). Check the command on the Job page."),
    QT_TRANSLATE_NOOP("CoreText", "The run stopped unexpectedly (the computer restarted or the job's supervisor was "
                      "killed)."),
    QT_TRANSLATE_NOOP("CoreText", "A run is already going (run %1, %2 since %3 UTC). Wait for it to finish or cancel "
                      "it first."),
    QT_TRANSLATE_NOOP("CoreText", "T4 Panel stopped while starting this run; the job was never created."),
    QT_TRANSLATE_NOOP("CoreText", "The job settings have problems: %1"),
)
_PATTERNS: list[tuple[re.Pattern[str], str]] = []


def _patterns() -> list[tuple[re.Pattern[str], str]]:
    if not _PATTERNS:
        for template in (*PROBLEM_TEMPLATES, *RUN_TEMPLATES):
            regex = re.escape(template)
            for n in range(1, 5):
                regex = regex.replace(re.escape(f"%{n}"), f"(?P<v{n}>.+?)")
            _PATTERNS.append((re.compile(f"^{regex}$"), template))
    return _PATTERNS


def template_of(message: str) -> str | None:
    """The PROBLEM_TEMPLATES or RUN_TEMPLATES entry `message` was made from, or None."""
    return next((template for pattern, template in _patterns() if pattern.match(message)), None)


def problem_text(message: str) -> str:
    """A field or run message from core in the app's language (an unknown message stays as it is)."""
    for pattern, template in _patterns():
        found = pattern.match(message)
        if found:
            text = QCoreApplication.translate("CoreText", template)
            for name, value in found.groupdict().items():
                text = text.replace("%" + name[1:], value)
            return text
    return message


def run_message_text(message: str) -> str:
    """A run's error or a refusal from core in the app's language; settings problems inside it too."""
    prefix = "The job settings have problems: "
    if message.startswith(prefix):  # several field messages joined by spaces: translate what can be matched
        return QCoreApplication.translate("CoreText", "The job settings have problems: %1").replace(
            "%1", message[len(prefix):])
    return problem_text(message)
