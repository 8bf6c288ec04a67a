"""A run's GPU, GPU memory and CPU utilisation as a small chart (QtCharts, built on the first data).

QtCharts is imported when the first figures arrive, never on the way to the first window.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from gui.core_text import message_text


class UsageChart(QWidget):
    """objectName "runUsage"; the chart view is "runUsageChart", the one-line summary "runUsageSummary"."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("runUsage")
        self.view: Any = None  # a QChartView once there are figures
        self.series: dict[str, Any] = {}
        self.summary = QLabel(self)
        self.summary.setObjectName("runUsageSummary")
        self.summary.setWordWrap(True)
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.addWidget(self.summary)
        self.hide()

    def clear(self) -> None:
        self.summary.clear()
        for s in self.series.values():
            s.clear()
        self.hide()

    def show_problem(self, text: str) -> None:
        self.summary.setText(text)
        self.show()

    def show_usage(self, usage: Any) -> None:
        """Draw a core.google.monitoring.Usage (percent over minutes since the first point)."""
        from core.google.monitoring import Metric

        if not any(usage.series.values()):
            self.summary.setText(self.tr("Cloud Monitoring has no figures for this run yet."))
            self.show()
            return
        self._make()
        names = {Metric.GPU: "gpu", Metric.GPU_MEMORY: "gpu_memory", Metric.CPU: "cpu"}
        first = min(points[0][0] for points in usage.series.values() if points)
        longest = 1.0
        for metric, key in names.items():
            points = usage.series.get(metric) or []
            line = self.series[key]
            line.clear()
            for when, value in points:
                minutes = (when - first).total_seconds() / 60.0
                longest = max(longest, minutes)
                line.append(minutes, 100.0 * value)
        self._x.setRange(0.0, longest)
        said = usage.summary()
        self.summary.setText(message_text(said) if said is not None else
                             self.tr("No GPU figures for this run in Cloud Monitoring."))
        self.show()

    def _make(self) -> None:
        if self.view is not None:
            return
        from PySide6.QtCharts import QChart, QChartView, QLineSeries, QValueAxis
        from PySide6.QtGui import QPainter

        chart = QChart()
        chart.setTitle(self.tr("The T4 at work (percent of what was allocated)"))
        chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
        self._x, y = QValueAxis(), QValueAxis()
        self._x.setTitleText(self.tr("minutes"))
        self._x.setLabelFormat("%d")
        y.setRange(0, 100)
        y.setLabelFormat("%d%%")
        chart.addAxis(self._x, Qt.AlignmentFlag.AlignBottom)
        chart.addAxis(y, Qt.AlignmentFlag.AlignLeft)
        for key, title in (("gpu", self.tr("GPU")), ("gpu_memory", self.tr("GPU memory")), ("cpu", self.tr("CPU"))):
            line = QLineSeries()
            line.setName(title)
            chart.addSeries(line)
            line.attachAxis(self._x)
            line.attachAxis(y)
            self.series[key] = line
        self.view = QChartView(chart, self)
        self.view.setObjectName("runUsageChart")
        self.view.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.view.setMinimumHeight(280)  # below this the axis labels are elided to "..."
        self._layout.insertWidget(0, self.view)
