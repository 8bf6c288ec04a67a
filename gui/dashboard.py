"""The Dashboard, read in two seconds: the current run (state, elapsed, cost, step, Cancel), the last 30
days as a strip of coloured days, this month's spend against the budget, the next run, and Run Now.

Nothing here reads the disk: the days come through `attach_days` (a callable run on the worker pool) and
the spend through `set_spend` (core.cost.budget_status, computed on a worker by the app)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

if TYPE_CHECKING:
    from core.cost import BudgetStatus
    from core.store.runs import Run
    from core.store.states import RunState
    from gui.day_strip import DayStrip
    from gui.days_panel import DaysPanel
    from gui.month_days import Day
    from gui.tasks import Tasks

_SPEND_COLOURS = {"ok": "#2e7d32", "warn80": "#ef6c00", "over100": "#c62828"}

# keyed by value: RunState is a str enum, and its module (enum + dataclasses) is not needed for the first paint
_STATE_COLOURS = {
    "SUCCEEDED": "#2e7d32", "FAILED": "#c62828", "EXPIRED": "#c62828",
    "CANCELLED": "#757575", "RUNNING": "#1565c0", "CANCELLING": "#b26a00",
}


def state_text(state: RunState, backend: str = "vertex") -> str:
    """Plain words for a state (operators are not engineers), in the app's language."""
    from gui.run_texts import state_text as translated

    return translated(state, backend)


def elapsed_text(seconds: float) -> str:
    """A run's length so far, as every page writes lengths ("20 s", "41 min 5 s")."""
    from gui.run_texts import seconds_text  # run texts load history types: after the first paint

    return seconds_text(seconds)


class Dashboard(QWidget):
    """Signals:
        runNowClicked(): the operator pressed Run Now.
        cancelClicked(str): Cancel on the current run (its id).
        showLogClicked(): open the Logs page.
        dayRunClicked(object): a day of the 30-day strip was clicked; carries that day's run.
    """

    runNowClicked = Signal()
    cancelClicked = Signal(str)
    showLogClicked = Signal()
    signInClicked = Signal()
    cancelOrphanClicked = Signal(str)
    dayRunClicked = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.run: Run | None = None
        title = QLabel(self.tr("<h2>Today's prediction job</h2>"))

        self.card = QFrame(self)
        self.card.setObjectName("runCard")
        self.card.setFrameShape(QFrame.Shape.StyledPanel)
        self.state_label = QLabel(self.tr("No run yet"), self.card)
        self.state_label.setObjectName("runStateLabel")
        font = self.state_label.font()
        font.setPointSizeF(font.pointSizeF() * 1.5)
        font.setBold(True)
        self.state_label.setFont(font)
        self.detail_label = QLabel(self.tr("Press Run Now to start the job, or set a daily schedule."), self.card)
        self.detail_label.setWordWrap(True)
        self.detail_label.setObjectName("runDetailLabel")
        self.elapsed_label = QLabel("", self.card)
        self.elapsed_label.setObjectName("elapsedLabel")
        self.cost_label = QLabel("", self.card)
        self.timeline_label = QLabel("", self.card)
        self.timeline_label.setObjectName("runTimeline")
        self.timeline_label.setWordWrap(True)
        self.console_link = QLabel("", self.card)
        self.console_link.setObjectName("consoleLink")
        self.console_link.setOpenExternalLinks(True)
        self.cancel_button = QPushButton(self.tr("Cancel run"), self.card)
        self.cancel_button.setObjectName("cancelButton")
        self.cancel_button.setEnabled(False)
        self.cancel_button.setToolTip(self.tr("Stop the current run. A stopped run is not charged further."))
        self.cancel_button.clicked.connect(self._cancel)
        self.log_button = QPushButton(self.tr("Show log"), self.card)
        self.log_button.clicked.connect(self.showLogClicked)
        self.log_button.setEnabled(False)  # no run yet: no log to show
        grid = QGridLayout(self.card)
        grid.setVerticalSpacing(4)
        grid.addWidget(self._caption(self.tr("Current run")), 0, 0, 1, 3)
        headline = QHBoxLayout()  # state, elapsed and cost read as one line: "Running   Elapsed 23 min   $0.24"
        headline.setSpacing(28)
        headline.addWidget(self.state_label)
        headline.addWidget(self.elapsed_label)
        headline.addWidget(self.cost_label)
        headline.addStretch(1)
        grid.addLayout(headline, 1, 0, 1, 3)
        grid.addWidget(self.detail_label, 2, 0, 1, 3)
        grid.addWidget(self.timeline_label, 3, 0, 1, 3)
        buttons = QHBoxLayout()
        buttons.setSpacing(16)
        buttons.addWidget(self.log_button)
        buttons.addWidget(self.console_link)
        buttons.addStretch(1)
        buttons.addWidget(self.cancel_button)
        grid.addLayout(buttons, 4, 0, 1, 3)

        self.orphans = QFrame(self)
        self.orphans.setObjectName("orphanJobs")
        self.orphans.setFrameShape(QFrame.Shape.StyledPanel)
        self.orphans.setStyleSheet("#orphanJobs { background: #fdecea; }")
        self.orphans_layout = QVBoxLayout(self.orphans)
        self.orphans.hide()

        self.next_run_label = QLabel(self.tr("Next run: no schedule yet"), self)
        self.next_run_label.setObjectName("nextRunLabel")
        self.message_label = QLabel("", self)
        self.message_label.setObjectName("dashboardMessage")
        self.message_label.setWordWrap(True)
        self.message_label.setStyleSheet("color: #b26a00;")
        self.last_check_label = QLabel(self.tr("Setup not checked yet: use Check my setup on the Job page."), self)
        self.last_check_label.setObjectName("lastCheckLabel")
        self.last_check_label.setWordWrap(True)
        self.run_now_button = QPushButton(self.tr("Run Now"), self)
        self.run_now_button.setObjectName("runNowButton")
        self.run_now_button.setToolTip(self.tr("Start the job now with the saved settings."))
        self.run_now_button.setMinimumHeight(56)
        self.run_now_button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        big = self.run_now_button.font()
        big.setPointSizeF(big.pointSizeF() * 1.4)
        big.setBold(True)
        self.run_now_button.setFont(big)
        self.run_now_button.clicked.connect(self._run_now)
        self.backend_label = QLabel("", self)
        self.backend_label.setWordWrap(True)
        self.invite = QFrame(self)
        self.invite.setObjectName("firstRunInvite")
        self.invite.setFrameShape(QFrame.Shape.StyledPanel)
        self.invite.setStyleSheet("#firstRunInvite { background: #e8f0fe; }")
        invite_text = QLabel(self.tr("You are trying T4 Panel on this computer with a sample job: press Run Now to "
                                     "see it work. To run your job on a Google Cloud T4 GPU, sign in with Google, "
                                     "then choose Vertex AI on the Job page."), self.invite)
        invite_text.setWordWrap(True)
        sign_in = QPushButton(self.tr("Sign in with Google…"), self.invite)
        sign_in.clicked.connect(self.signInClicked)
        keep = QPushButton(self.tr("Keep using this computer"), self.invite)
        keep.clicked.connect(self.invite.hide)
        invite_row = QHBoxLayout()
        invite_row.addStretch(1)
        invite_row.addWidget(keep)
        invite_row.addWidget(sign_in)
        invite_box = QVBoxLayout(self.invite)
        invite_box.addWidget(invite_text)
        invite_box.addLayout(invite_row)
        self.invite.hide()

        # The 30-day strip is built on first use (its days are read after the first paint anyway): its Qt
        # painting types cost ~40 ms of start-up that the first frame does not need (bench_startup.py).
        self._days_box = QWidget(self)
        self._days_box_layout = QVBoxLayout(self._days_box)
        self._days_box_layout.setContentsMargins(0, 0, 0, 0)
        self._days_panel: DaysPanel | None = None
        self._build_spend()
        # Reserved for the last "Check my setup" result (built elsewhere): hidden until it has something to say.
        self.last_check_row = QFrame(self)
        self.last_check_row.setObjectName("lastCheckRow")
        self.last_check_layout = QHBoxLayout(self.last_check_row)
        self.last_check_layout.setContentsMargins(0, 0, 0, 0)
        self.last_check_layout.addWidget(self.last_check_label, 1)
        self.last_check_row.hide()  # shown once a setup check has run

        layout = QVBoxLayout(self)
        layout.setSpacing(6)
        layout.addWidget(title)
        layout.addWidget(self.backend_label)
        layout.addWidget(self.invite)
        layout.addWidget(self.card)
        layout.addWidget(self.orphans)
        layout.addWidget(self._days_box)
        layout.addWidget(self.spend_row)
        layout.addWidget(self.next_run_label)
        layout.addWidget(self.last_check_row)
        layout.addWidget(self.run_now_button)
        layout.addWidget(self.message_label)
        layout.addStretch(1)

        self._ticker = QTimer(self)
        self._ticker.setInterval(1000)
        self._ticker.timeout.connect(self._tick)

    def _caption(self, text: str) -> QLabel:
        """A section's small bold heading ("Current run", "Last 30 days", "This month")."""
        label = QLabel(text, self)
        font = label.font()
        font.setBold(True)
        label.setFont(font)
        return label

    # ---------------------------------------------------------------- the last 30 days (gui/days_panel.py)

    @property
    def days_panel(self) -> DaysPanel:
        if self._days_panel is None:
            from gui.days_panel import DaysPanel

            self._days_panel = DaysPanel(self._days_box)
            self._days_panel.dayRunClicked.connect(self.dayRunClicked)
            self._days_box_layout.addWidget(self._days_panel)
        return self._days_panel

    @property
    def day_strip(self) -> DayStrip:
        return self.days_panel.strip

    @property
    def days_summary(self) -> QLabel:
        return self.days_panel.summary

    @property
    def days_legend(self) -> QLabel:
        return self.days_panel.legend

    def attach_days(self, tasks: Tasks, source: Callable[[], list[Day]]) -> None:
        """Where the days come from (gui.month_days.load_days bound to the history); read now and on refresh."""
        self.days_panel.attach(tasks, source)

    def refresh_days(self) -> None:
        self.days_panel.refresh()

    def set_days(self, days: list[Day]) -> None:
        self.days_panel.set_days(days)

    # ---------------------------------------------------------------- this month's spend

    def _build_spend(self) -> None:
        self.spend_row = QFrame(self)
        self.spend_row.setObjectName("spendRow")
        self.spend_bar = QProgressBar(self.spend_row)
        self.spend_bar.setObjectName("spendBar")
        self.spend_bar.setRange(0, 1000)
        self.spend_bar.setTextVisible(False)
        self.spend_bar.setFixedHeight(12)
        self.spend_bar.setMaximumWidth(220)
        # One sentence for the spend and its warnings at 80% and 100% (objectName kept from the warning line).
        self.budget_label = QLabel(self.tr("Not read yet."), self.spend_row)
        self.budget_label.setObjectName("budgetWarning")
        self.budget_label.setWordWrap(True)
        row = QHBoxLayout(self.spend_row)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self._caption(self.tr("This month")))
        row.addWidget(self.spend_bar)
        row.addWidget(self.budget_label, 1)

    def set_spend(self, status: BudgetStatus) -> None:
        """This month's spend against the budget, from core.cost.budget_status (worded by gui.core_text)."""
        from gui.core_text import budget_text

        self.set_budget(status.level.value, budget_text(status))
        self.spend_bar.setVisible(status.budget > 0)
        self.spend_bar.setValue(min(1000, round(status.fraction * 1000)) if status.budget > 0 else 0)
        colour = _SPEND_COLOURS.get(status.level.value, "#2e7d32")
        self.spend_bar.setStyleSheet(f"QProgressBar::chunk {{ background-color: {colour}; }}")

    # ---------------------------------------------------------------- the current run

    def _run_now(self) -> None:
        self.message_label.clear()
        self.runNowClicked.emit()

    def _cancel(self) -> None:
        if self.run is not None:
            self.cancel_button.setEnabled(False)
            self.cancelClicked.emit(self.run.id)

    def show_message(self, text: str) -> None:
        self.message_label.setText(text)

    def set_backend(self, backend: str, project: str, region: str) -> None:
        self.invite.setVisible(backend == "local")
        if backend == "vertex":
            self.backend_label.setText(self.tr("Runs on Vertex AI in project %1, region %2.")
                                       .replace("%1", project).replace("%2", region))
        else:
            self.backend_label.setText(self.tr("Runs on this computer (no Google project set). "
                                               "Choose Vertex AI on the Job page to use a cloud T4 GPU."))

    def set_run(self, run: Run | None) -> None:
        if run is not None and (self.run is None or self.run.id != run.id):
            self.timeline_label.clear()
            self.console_link.clear()
        if run is not None and run.state.terminal and self.run is not None and not self.run.state.terminal:
            self.message_label.clear()  # "A run is already going" and the like are stale once it ends
        self.run = run
        self.log_button.setEnabled(run is not None)
        if run is None:
            return
        state = run.state
        from gui.core_text import run_error_text
        from gui.run_texts import when_text

        self.state_label.setText(state_text(state, run.backend))
        colour = _STATE_COLOURS.get(state, "#424242")
        self.state_label.setStyleSheet(f"color: {colour};")
        when = when_text(run.started or run.created)
        detail = self.tr("Run %1 · %2 · started %3").replace("%1", run.id).replace(
            "%2", self.tr("this computer") if run.backend == "local" else "Vertex AI").replace("%3", when)
        if run.error:
            detail += "\n" + run_error_text(run)
        if run.exit_code not in (None, 0) and not run.error and state == "FAILED":  # said once, if at all
            detail += "\n" + self.tr("Exit code: %1").replace("%1", str(run.exit_code))
        rows = run.detail.get("rows_written")
        if rows is not None:
            detail += "\n" + self.tr("Rows written: +%1").replace("%1", str(rows))
        self.detail_label.setText(detail)
        self.cancel_button.setEnabled(not state.terminal and state != "CANCELLING")
        if run.cost_usd is not None:
            self.cost_label.setText(self.tr("Cost: about $%1 (estimate)").replace("%1", f"{run.cost_usd:.2f}"))
        else:
            self.cost_label.clear()
        if state.terminal:
            self._ticker.stop()
        elif not self._ticker.isActive():
            self._ticker.start()
        self._tick()

    def set_budget(self, level: str, message: str) -> None:
        """The spend sentence; amber and bold at 80%, red at 100% of the monthly budget."""
        self.budget_label.setText(message)
        self.budget_label.setStyleSheet(f"color: {_SPEND_COLOURS[level]}; font-weight: bold;"
                                        if level in ("warn80", "over100") else "")

    def set_timeline(self, changes: list[tuple[RunState, datetime]]) -> None:
        """The run's state changes with their local times, e.g. "Queued 01:00:02 → Running 01:03:40"."""
        from gui.run_texts import clock_text, zone_name

        backend = self.run.backend if self.run is not None else "vertex"
        steps: list[str] = []
        shown = ""
        for state, when in changes:
            words = state_text(state, backend)
            if state != "LAUNCHING" and words != shown:  # this computer's queued/pending: one "Starting…"
                steps.append(f"{words} {clock_text(when)}")
                shown = words
        self.timeline_label.setText(" → ".join(steps) + (f" ({zone_name(changes[-1][1])})" if steps else ""))

    def set_console_url(self, url: str | None) -> None:
        if url:
            self.console_link.setText(f'<a href="{url}">' + self.tr("Open this job in the Google Cloud console")
                                      + "</a>")
        else:
            self.console_link.clear()

    def set_orphans(self, orphans: list) -> None:  # type: ignore[type-arg]
        """Jobs in the project that T4 Panel started but has no record of, still running (still costing)."""
        while self.orphans_layout.count():
            item = self.orphans_layout.takeAt(0)
            if item.widget():
                item.widget().deleteLater()
        self.orphans.setVisible(bool(orphans))
        if not orphans:
            return
        self.orphans_layout.addWidget(QLabel(self.tr(
            "These Vertex AI jobs were started by T4 Panel but are not in this computer's history, and they "
            "are still running (and costing money). Cancel them unless someone else is running them on purpose.")))
        for orphan in orphans:
            row = QHBoxLayout()
            from gui.run_texts import when_text

            when = when_text(orphan.create_time) if orphan.create_time else ""
            row.addWidget(QLabel(f"{orphan.display_name} · {state_text(orphan.state)} · {when}"), 1)
            button = QPushButton(self.tr("Cancel this job"))
            button.clicked.connect(lambda _=False, name=orphan.name, b=button: (b.setEnabled(False),
                                                                               self.cancelOrphanClicked.emit(name)))
            row.addWidget(button)
            holder = QWidget()
            holder.setLayout(row)
            self.orphans_layout.addWidget(holder)

    def _tick(self) -> None:
        run = self.run
        if run is None:
            return
        start = run.started
        if start is None:
            self.elapsed_label.setText(self.tr("Not started yet"))
            return
        end: datetime = run.ended or datetime.now(UTC)
        self.elapsed_label.setText(self.tr("Elapsed: %1").replace("%1", elapsed_text((end - start).total_seconds())))

    def set_last_check(self, data: dict | None) -> None:  # type: ignore[type-arg]
        """The last setup check ({"checked": iso, "items": [{"status": ...}, ...]}, or None: never run)."""
        if not data:
            return
        statuses = [i.get("status") for i in data.get("items", []) if isinstance(i, dict)]
        try:
            when = datetime.fromisoformat(str(data.get("checked"))).astimezone().strftime("%Y-%m-%d %H:%M")
        except ValueError:
            when = "?"
        fails, warns = statuses.count("fail"), statuses.count("warn")
        if fails:
            text = self.tr("Setup check (%1): %n problem(s) to fix before the next run.", "", fails).replace("%1", when)
        elif warns:
            text = self.tr("Setup check (%1): ready, %n warning(s).", "", warns).replace("%1", when)
        else:
            text = self.tr("Setup check (%1): everything is ready.").replace("%1", when)
        self.last_check_label.setText(text)
        self.last_check_label.setStyleSheet("color: #c5221f;" if fails else "")
        self.last_check_row.show()

    def set_next_run(self, text: str) -> None:
        self.next_run_label.setText(text)
