"""The Logs page: the live log of the current run, or the saved log of a run picked in History."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget
from shiboken6 import isValid

from core.backends.base import LogLine
from core.backends.local import parse_log_line
from core.store.runs import Run
from gui.log_view import LogView
from gui.run_texts import state_text, zone_name
from gui.tasks import Tasks
from gui.usage_chart import UsageChart

#: How often a running job's usage is read again (Monitoring samples once a minute).
USAGE_REFRESH_MS = 60_000


def read_log_file(path: str) -> list[LogLine]:
    """A run's saved log (worker thread)."""
    try:
        text = Path(path).read_text(encoding="utf-8", errors="replace")
    except OSError:
        return []
    return [parse_log_line(line) for line in text.splitlines()]


class LogsPage(QWidget):
    """A run's page: its log and, for Vertex AI runs, the T4 at work.

    Args:
        usage_source: reads a run's core.google.monitoring.Usage (worker thread); None shows no chart.
    """

    def __init__(self, tasks: Tasks, parent: QWidget | None = None,
                 usage_source: Callable[[Run], Any] | None = None) -> None:
        super().__init__(parent)
        self.tasks = tasks
        self.run_id: str | None = None
        self.usage_source = usage_source
        self._usage_run: Run | None = None
        self.title = QLabel(self.tr("<h2>Log</h2>No run yet."))
        self.zone_label = QLabel("")  # the lines' times are in the operator's zone: say which
        self.zone_label.setObjectName("logZoneLabel")
        self.zone_label.setStyleSheet("color: #616161;")
        self.usage = UsageChart(self)
        self.view = LogView(self)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.zone_label)
        layout.addWidget(self.usage)
        layout.addWidget(self.view, 1)
        self._usage_timer = QTimer(self)
        self._usage_timer.setInterval(USAGE_REFRESH_MS)
        self._usage_timer.timeout.connect(self._load_usage)
        self._usage_retry = QTimer(self)  # Monitoring's pace said "not yet": one more try when it allows
        self._usage_retry.setSingleShot(True)
        self._usage_retry.timeout.connect(self._load_usage)

    def follow(self, run: Run) -> None:
        """Show `run`'s live log from now on (clears the view for a new run)."""
        if run.id != self.run_id:
            self.run_id = run.id
            self.view.clear()
            self._set_title(run)
        self._watch_usage(run, live=True)

    def _set_title(self, run: Run) -> None:
        self.zone_label.setText(self.tr("Times are in %1.").replace("%1", zone_name(run.started or run.created)))
        if run.state.terminal:
            self.title.setText(self.tr("<h2>Log</h2>Run %1 (%2)").replace("%1", run.id)
                               .replace("%2", state_text(run.state, run.backend)))
        else:
            self.title.setText(self.tr("<h2>Log</h2>Run %1 (live)").replace("%1", run.id))
        self._watch_usage(run, live=True)

    def run_changed(self, run: Run) -> None:
        """A state change of a run: the followed run's usage goes on (started) or is read a last time (ended)."""
        if self._usage_run is not None and self._usage_run.id == run.id:
            self._watch_usage(run, live=True)

    def _watch_usage(self, run: Run, live: bool) -> None:
        if self._usage_run is None or self._usage_run.id != run.id:
            self.usage.clear()
        self._usage_run = run
        if self.usage_source is None or run.backend != "vertex":
            self._usage_timer.stop()
            return
        if live and not run.state.terminal:
            if not self._usage_timer.isActive():
                self._usage_timer.start()
                self._load_usage()
        else:
            self._usage_timer.stop()
            self._load_usage()

    def _load_usage(self) -> None:
        run, source = self._usage_run, self.usage_source
        if run is None or source is None or run.started is None:
            return

        def current() -> bool:  # the answer may arrive after the page was closed, or for an older run
            return isValid(self.usage) and self._usage_run is not None and self._usage_run.id == run.id

        def loaded(usage: Any) -> None:
            if current() and usage is not None:
                self.usage.show_usage(usage)

        def failed(exc: BaseException) -> None:
            if not current():
                return
            retry_after = getattr(exc, "retry_after", None)  # core.google.monitoring.UsageNotDue
            if retry_after is not None:
                if not self._usage_retry.isActive():
                    self._usage_retry.start(int(retry_after * 1000) + 50)
            else:
                self.usage.show_problem(getattr(exc, "message", "") or self.tr("GPU usage could not be read."))

        self.tasks.run(lambda: source(run), loaded, failed)

    def update_run(self, run: Run) -> None:
        """The shown run changed state: "live" only while it goes."""
        if run.id == self.run_id:
            self._set_title(run)

    def open_run(self, run: Run) -> None:
        """Show `run`'s log: the live one while it goes, else the saved file (a shown run stays as it is)."""
        if run.id == self.run_id:
            return
        if run.state.terminal:
            self.show_saved(run)
        else:
            self.follow(run)

    def offer(self, run: Run | None) -> None:
        """After a start, the latest run's log instead of "No run yet" (if the page shows nothing else)."""
        if run is not None and self.run_id is None:
            self.open_run(run)

    def add_lines(self, run: Run, lines: list[LogLine]) -> None:
        if run.id != self.run_id:
            self.follow(run)
        self.view.append_lines(lines)

    def show_saved(self, run: Run) -> None:
        """Load a finished run's log from its file, off the UI thread."""
        self.run_id = run.id
        self.view.clear()
        self._set_title(run)
        self._watch_usage(run, live=False)
        wanted = run.id

        def loaded(lines: list[LogLine]) -> None:
            if self.run_id == wanted:
                self.view.append_lines(lines)
                if not lines:
                    self.view.append_text(self.tr("This run wrote no log lines."))

        self.tasks.run(lambda: read_log_file(run.log_path), loaded)
