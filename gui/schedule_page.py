"""The Schedule page: the daily schedule as a form, with the next five runs previewed as you type."""

from __future__ import annotations

import copy
from collections.abc import Callable
from datetime import UTC, datetime, tzinfo
from zoneinfo import available_timezones

from PySide6.QtCore import QCoreApplication, QStringListModel, Qt, QTime, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QCompleter,
    QFormLayout,
    QHeaderView,
    QLabel,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from core.errors import T4Error
from core.schedule.plan import next_occurrences
from core.store import config as config_mod
from core.store.config import AppConfig, ScheduleConfig
from gui.field_errors import FieldErrors
from gui.form_parts import SaveBar, WeekdayPicker
from gui.run_texts import describe_next, local_text

DEFAULT_ZONE = "Asia/Seoul"
PREVIEW_COUNT = 5


class SchedulePage(QWidget):
    """The form "scheduleForm": on/off, time, weekdays, time zone, catch-up window; preview; Save.

    Args:
        get_config: the current AppConfig (the page edits a copy of it).
        save_config: writes a whole AppConfig (raises T4Error when it cannot).
        clock: aware UTC now (tests fix it); local_zone: the computer's zone (tests fix it).
        cloud_panel: the "Run in Google Cloud" switch (gui/cloud_panel.py), shown below the form.

    Signals:
        saved(object): the new AppConfig, after `save_config` accepted it. Apply it to the Scheduler.
    """

    saved = Signal(object)

    def __init__(self, get_config: Callable[[], AppConfig], save_config: Callable[[AppConfig], None],
                 parent: QWidget | None = None, *, clock: Callable[[], datetime] | None = None,
                 local_zone: tzinfo | None = None, cloud_panel: QWidget | None = None) -> None:
        super().__init__(parent)
        self.cloud_panel = cloud_panel
        self.get_config = get_config
        self.save_config = save_config
        self.clock = clock or (lambda: datetime.now(UTC))
        self.local_zone = local_zone or datetime.now().astimezone().tzinfo or UTC
        self._zones = sorted(available_timezones())
        self._zones_lower = {z.lower(): z for z in self._zones}
        self._loading = False
        # What the last Save said, kept while the form still shows exactly what was saved (the page reloads
        # from the file once the save is done, which would otherwise wipe it).
        self._save_note: tuple[AppConfig, str] | None = None

        self.form_widget = QWidget(self)
        self.form_widget.setObjectName("scheduleForm")
        form = QFormLayout(self.form_widget)

        self.enabled = QCheckBox(self.tr("Run the job on this schedule"))
        self.enabled.setObjectName("scheduleEnabled")
        self.time = QTimeEdit()
        self.time.setObjectName("scheduleTime")
        self.time.setDisplayFormat("HH:mm")
        days = WeekdayPicker()
        self.weekdays: dict[str, QCheckBox] = days.boxes
        for day, box in self.weekdays.items():
            box.setObjectName(f"weekday_{day}")
        days.row.addStretch(1)
        self.zone = QComboBox()
        self.zone.setObjectName("scheduleZone")
        self.zone.setEditable(True)
        self.zone.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.zone.addItems(self._zones)
        completer = QCompleter(QStringListModel(self._zones, self), self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)  # "seoul" finds Asia/Seoul
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.zone.setCompleter(completer)
        self.zone.setToolTip(self.tr("Type part of a city, e.g. Seoul or New_York. The job runs at this zone's "
                                     "local time, daylight saving included."))
        self.catch_up = QSpinBox()
        self.catch_up.setObjectName("scheduleCatchUp")
        self.catch_up.setRange(0, 72)
        self.catch_up.setSuffix(self.tr(" h"))
        self.catch_up.setToolTip(self.tr("If the computer was off or asleep at run time, the missed run still "
                                         "starts when it comes back within this many hours. Older ones are "
                                         "recorded as missed and you are told."))

        rows = [("enabled", "", self.enabled), ("time", self.tr("Time of day"), self.time),
                ("weekdays", self.tr("Days"), days), ("timezone", self.tr("Time zone"), self.zone),
                ("catch_up_hours", self.tr("Catch up missed runs within"), self.catch_up)]
        self.field_errors = FieldErrors(form, rows, "scheduleError_")
        self.errors = self.field_errors.labels

        self.next_run = QLabel("")
        self.next_run.setObjectName("scheduleNextRun")
        self.preview = QTableWidget(PREVIEW_COUNT, 2, self)
        self.preview.setObjectName("schedulePreview")
        self.preview.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.preview.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.preview.verticalHeader().hide()
        self.preview.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.save_bar = buttons = SaveBar(self._save, self.load)
        self.status, self.save_button, self.revert_button = buttons.status, buttons.save_button, buttons.revert_button
        self.status.setObjectName("scheduleStatus")
        self.save_button.setObjectName("scheduleSaveButton")

        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self.tr("<h2>Schedule</h2>When the job runs by itself, every chosen day.")))
        layout.addWidget(self.form_widget)
        if cloud_panel is not None:
            layout.addWidget(cloud_panel)
        layout.addWidget(QLabel(self.tr("<b>Next runs</b>")))
        layout.addWidget(self.next_run)
        layout.addWidget(self.preview, 1)
        layout.addLayout(buttons)

        self.enabled.toggled.connect(self.revalidate)
        self.time.timeChanged.connect(self.revalidate)
        for box in self.weekdays.values():
            box.toggled.connect(self.revalidate)
        self.zone.editTextChanged.connect(self.revalidate)
        self.catch_up.valueChanged.connect(self.revalidate)
        self.load()

    # ---------------------------------------------------------------- form <-> config

    def load(self) -> None:
        """Fill the form from the saved config."""
        s = self.get_config().schedule
        self._loading = True
        self.enabled.setChecked(bool(s.enabled))
        hh, _, mm = str(s.time).partition(":")
        saved_time = QTime(int(hh), int(mm)) if hh.isdigit() and mm.isdigit() else QTime()
        self.time.setTime(saved_time if saved_time.isValid() else QTime(1, 0))  # marked below when not valid
        for day, box in self.weekdays.items():
            box.setChecked(day in (s.weekdays or []))
        self.zone.setEditText(s.timezone or DEFAULT_ZONE)
        self.catch_up.setValue(s.catch_up_hours if isinstance(s.catch_up_hours, int) else 6)
        self.field_errors.set_saved(config_mod.validate(self.get_config()), "schedule")
        if self.cloud_panel is not None:
            self.cloud_panel.load()  # type: ignore[attr-defined]
        self._loading = False
        self.revalidate()

    def schedule_from_form(self) -> ScheduleConfig:
        typed = self.zone.currentText().strip()
        return ScheduleConfig(
            enabled=self.enabled.isChecked(), time=self.time.time().toString("HH:mm"),
            weekdays=[d for d, box in self.weekdays.items() if box.isChecked()],
            timezone=self._zones_lower.get(typed.lower(), typed), catch_up_hours=self.catch_up.value())

    def config_from_form(self) -> tuple[AppConfig, list[config_mod.Problem]]:
        cfg = copy.deepcopy(self.get_config())
        cfg.schedule = self.schedule_from_form()
        self.reset_elsewhere = config_mod.reset_invalid(cfg, keep="schedule")
        problems = [p for p in config_mod.validate(cfg) if p.field.startswith("schedule.")]
        return cfg, problems

    def revalidate(self) -> list[config_mod.Problem]:
        """Show each problem under its field and refresh the preview. Returns the problems."""
        if self._loading:
            return []
        cfg, problems = self.config_from_form()
        by_field = self.field_errors.show(problems)
        note = self._save_note
        self.save_bar.show_problems(problems, by_field, note[1] if note and note[0].schedule == cfg.schedule else "")
        self._update_preview(cfg.schedule, bool(by_field.get("timezone") or by_field.get("time")))
        return problems

    def _update_preview(self, s: ScheduleConfig, unusable: bool) -> None:
        self.preview.setHorizontalHeaderLabels([self.tr("In {zone}").format(zone=s.timezone) if not unusable else "",
                                                self.tr("On this computer")])
        now = self.clock()
        upcoming = [] if unusable else next_occurrences(s, now, PREVIEW_COUNT)
        for row in range(PREVIEW_COUNT):
            when = upcoming[row] if row < len(upcoming) else None
            for col, zone in enumerate((s.timezone, self.local_zone)):
                self.preview.setItem(row, col, QTableWidgetItem(local_text(when, zone) if when else ""))
        if not upcoming:
            self.next_run.setText(self.tr("Pick at least one day and a valid time zone to see the next runs."))
        elif not s.enabled:
            self.next_run.setText(self.tr("The schedule is off. When on, the next run would be {when}.")
                                  .format(when=describe_next(now, upcoming[0], s.timezone)))
        else:
            self.next_run.setText(self.tr("Next run: {when}").format(when=describe_next(now, upcoming[0], s.timezone)))

    def preview_rows(self) -> list[tuple[str, str]]:
        """The preview as the operator reads it: (schedule's zone, this computer's zone) per run."""
        rows = []
        for row in range(PREVIEW_COUNT):
            cells = [self.preview.item(row, col) for col in (0, 1)]
            if cells[0] is not None and cells[0].text():
                rows.append((cells[0].text(), cells[1].text() if cells[1] else ""))
        return rows

    def _save(self) -> None:
        cfg, problems = self.config_from_form()
        if problems:
            return
        try:
            self.save_config(cfg)
        except T4Error as exc:
            from gui.core_text import error_message

            self.status.setText(error_message(exc))
            return
        note = self.tr("Saved. The schedule applies at once.") + _reset_note(self.reset_elsewhere)
        self._save_note = (cfg, note)
        self.status.setText(note)
        self.saved.emit(cfg)


def _reset_note(names: list[str]) -> str:
    if not names:
        return ""
    return " " + QCoreApplication.translate("SchedulePage", "Settings of other pages that had problems were set "
                                            "back to their defaults: %1.").replace("%1", ", ".join(names))
