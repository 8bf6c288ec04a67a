"""The Job form's cost line: per run, per month, on Spot, and at worst, as the fields change."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt
from PySide6.QtWidgets import QLabel, QWidget

from core.cost import JobEstimate, PricingError, RateOverrides, estimate
from core.store.config import JobConfig, ScheduleConfig


class CostEstimateLabel(QLabel):
    """Shows "About $0.62 per run, $18.63 a month; Spot would be about $0.22. At most ...".

    Computing is cheap (the price table is read once and cached), so `update_for` runs on the UI
    thread. Feed it the typical run length from history with `set_typical_seconds` (read off the UI
    thread) and the operator's own rates with `set_overrides`.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("costEstimateLabel")
        self.setWordWrap(True)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._typical: float | None = None
        self._overrides: RateOverrides | None = None
        self._last: tuple[JobConfig, ScheduleConfig] | None = None
        self.estimate: JobEstimate | None = None

    def set_typical_seconds(self, seconds: float | None) -> None:
        """The median length of recent successful runs (None: price a run at its max runtime)."""
        self._typical = seconds
        self._refresh()

    def set_overrides(self, overrides: RateOverrides | None) -> None:
        self._overrides = overrides
        self._refresh()

    def update_for(self, job: JobConfig, schedule: ScheduleConfig) -> None:
        """Recompute for the form's current values (unsaved values are fine)."""
        self._last = (job, schedule)
        self._refresh()

    def _refresh(self) -> None:
        if self._last is None:
            return
        job, schedule = self._last
        self.estimate, text, tip = _compute(job, schedule, self._typical, self._overrides, self.tr)
        self.setText(text)
        self.setToolTip(tip)


def estimate_text(job: JobConfig, schedule: ScheduleConfig, typical_seconds: float | None = None,
                  overrides: RateOverrides | None = None) -> str:
    """The label's sentence for a plain QLabel (what the Job page calls)."""

    def tr(text: str) -> str:
        return QCoreApplication.translate("CostEstimateLabel", text)

    return _compute(job, schedule, typical_seconds, overrides, tr)[1]


def _compute(job: JobConfig, schedule: ScheduleConfig, typical: float | None, overrides: RateOverrides | None,
             tr: Callable[[str], str]) -> tuple[JobEstimate | None, str, str]:
    """(estimate, sentence, tooltip); the sentence explains itself when there is nothing to show."""
    try:
        est = estimate(job, schedule, typical, overrides)
    except PricingError as exc:
        from gui.core_text import error_message

        return None, error_message(exc), ""
    except (TypeError, ValueError, KeyError):  # a half-typed field (e.g. an empty time): wait for more
        return None, tr(QT_TRANSLATE_NOOP("CostEstimateLabel", "Cost estimate: finish the fields above to see it.")), ""
    return est, _sentence(est, tr), est.rates.basis


def _sentence(est: JobEstimate, tr: Callable[[str], str]) -> str:
    if est.from_history:
        length = tr(QT_TRANSLATE_NOOP("CostEstimateLabel", "a typical {0} min run")).format(round(est.run_seconds / 60))
    else:
        length = tr(QT_TRANSLATE_NOOP("CostEstimateLabel", "a run of the full {0} min max runtime")).format(
            est.max_runtime_minutes)
    text = tr(QT_TRANSLATE_NOOP("CostEstimateLabel",
                                "Estimate on Vertex AI: about ${0} per run ({1}), ${2} a month")).format(
        f"{est.per_run:.2f}", length, f"{est.per_month:.2f}")
    if not est.schedule_enabled:
        text += tr(QT_TRANSLATE_NOOP("CostEstimateLabel", " if the schedule were on"))
    if est.spot_per_run is not None:
        text += tr(QT_TRANSLATE_NOOP("CostEstimateLabel", "; Spot would be about ${0}")).format(
            f"{est.spot_per_run:.2f}")
    text += tr(QT_TRANSLATE_NOOP("CostEstimateLabel",
                                 ". At most ${0} per run: the max runtime of {1} min stops it.")).format(
        f"{est.worst_case:.2f}", est.max_runtime_minutes)
    if est.rates.fallback:
        text += " " + tr(QT_TRANSLATE_NOOP("CostEstimateLabel", "No prices for {0} yet: {1} rates used.")).format(
            est.rates.region, est.rates.priced_region)
    return text
