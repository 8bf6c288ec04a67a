"""The Logs page: the live log of the current run, or the saved log of a run picked in History."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from core.backends.base import LogLine
from core.backends.local import parse_log_line
from core.store.runs import Run
from gui.log_view import LogView
from gui.run_texts import state_text, zone_name
from gui.tasks import Tasks


def read_log_file(path: str) -> list[LogLine]:
    """A run's saved log (worker thread)."""
    try:
        text = Path(path).read_text(encoding="utf-8", errors="replace")
    except OSError:
        return []
    return [parse_log_line(line) for line in text.splitlines()]


class LogsPage(QWidget):
    def __init__(self, tasks: Tasks, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.tasks = tasks
        self.run_id: str | None = None
        self.title = QLabel(self.tr("<h2>Log</h2>No run yet."))
        self.zone_label = QLabel("")  # the lines' times are in the operator's zone: say which
        self.zone_label.setObjectName("logZoneLabel")
        self.zone_label.setStyleSheet("color: #616161;")
        self.view = LogView(self)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.zone_label)
        layout.addWidget(self.view, 1)

    def follow(self, run: Run) -> None:
        """Show `run`'s live log from now on (clears the view for a new run)."""
        if run.id != self.run_id:
            self.run_id = run.id
            self.view.clear()
            self._set_title(run)

    def _set_title(self, run: Run) -> None:
        self.zone_label.setText(self.tr("Times are in %1.").replace("%1", zone_name(run.started or run.created)))
        if run.state.terminal:
            self.title.setText(self.tr("<h2>Log</h2>Run %1 (%2)").replace("%1", run.id)
                               .replace("%2", state_text(run.state, run.backend)))
        else:
            self.title.setText(self.tr("<h2>Log</h2>Run %1 (live)").replace("%1", run.id))

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
        wanted = run.id

        def loaded(lines: list[LogLine]) -> None:
            if self.run_id == wanted:
                self.view.append_lines(lines)
                if not lines:
                    self.view.append_text(self.tr("This run wrote no log lines."))

        self.tasks.run(lambda: read_log_file(run.log_path), loaded)
