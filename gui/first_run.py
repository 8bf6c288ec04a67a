"""The first-run guide: where the job runs, project and region, Supabase keys, the job, the schedule.

Shown when there is no config.toml yet (`should_show_first_run`). Everything it sets can be changed
later on the pages; it saves through AppCore.save_config, and secrets through the app's SecretStore.
"""

from __future__ import annotations

import copy
from pathlib import Path
from zoneinfo import available_timezones

from PySide6.QtCore import QTime, Signal
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from core import paths
from core.errors import T4Error
from core.store import config as config_mod
from core.store.config import WEEKDAYS, AppConfig
from gui.app_core import AppCore
from gui.core_text import error_message, message_text, problem_text
from gui.cost_estimate import estimate_text
from gui.form_parts import WeekdayPicker

MACHINES = ("n1-standard-4", "n1-standard-8", "n1-standard-16", "n1-highmem-4", "n1-highmem-8", "n1-highcpu-8")
PAGE_WHERE, PAGE_PROJECT, PAGE_SUPABASE, PAGE_JOB, PAGE_SCHEDULE = range(5)


def should_show_first_run(home: Path | str | None = None) -> bool:
    """True when this computer has no saved settings yet (no config.toml in `home`, default the config folder)."""
    folder = Path(home) if home is not None else paths.config_dir()
    return not (folder / "config.toml").exists()


def _wrapped(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    return label


class _WherePage(QWizardPage):
    def __init__(self, cfg: AppConfig) -> None:
        super().__init__()
        self.setTitle(self.tr("Where should the job run?"))
        self.setSubTitle(self.tr("You can change this later on the Job page."))
        self.local = QRadioButton(self.tr("Try on this computer (free; runs the sample job here)"))
        self.local.setObjectName("firstRunLocal")
        self.local.setToolTip(self.tr("Nothing is sent to Google. Good for a first look at how runs, logs and "
                                      "the schedule work."))
        self.vertex = QRadioButton(self.tr("Run on a Google Cloud T4 GPU (Vertex AI; sign in with Google)"))
        self.vertex.setObjectName("firstRunVertex")
        self.vertex.setToolTip(self.tr("The job runs on Google's GPU machines and is billed to your Google Cloud "
                                       "project. After this guide, sign in on the Settings page."))
        (self.vertex if cfg.job.backend == "vertex" else self.local).setChecked(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.local)
        layout.addWidget(self.vertex)
        layout.addStretch(1)

    def nextId(self) -> int:
        return PAGE_PROJECT if self.vertex.isChecked() else PAGE_SUPABASE


class _ProjectPage(QWizardPage):
    def __init__(self, cfg: AppConfig) -> None:
        super().__init__()
        self.setTitle(self.tr("Google Cloud project and region"))
        self.setSubTitle(self.tr("The project pays for the GPU; the region is where it runs."))
        self.project = QLineEdit(cfg.job.project_id)
        self.project.setObjectName("firstRunProject")
        self.project.setPlaceholderText(self.tr("project ID, e.g. my-team-predict"))
        self.project.setToolTip(self.tr("The project ID shown in the Google Cloud console (lowercase letters, "
                                        "digits and dashes). You can pick it from a list on the Settings page "
                                        "after signing in."))
        self.region = QComboBox()
        self.region.setObjectName("firstRunRegion")
        for r in config_mod.T4_REGIONS:
            self.region.addItem(r, r)
        self.region.setCurrentIndex(max(0, self.region.findData(cfg.job.region)))
        self.region.setToolTip(self.tr("Only regions with T4 GPUs are listed. asia-northeast3 is Seoul."))
        self.problem = _wrapped("")
        self.problem.setStyleSheet("color: #c62828;")
        form = QFormLayout(self)
        form.addRow(self.tr("Project"), self.project)
        form.addRow(self.tr("Region"), self.region)
        form.addRow(self.problem)
        self.project.textChanged.connect(self.completeChanged)

    def isComplete(self) -> bool:
        text = self.project.text().strip()
        probe = AppConfig()
        probe.job.backend, probe.job.project_id = "vertex", text
        ok = bool(text) and not any(p.field == "job.project_id" for p in config_mod.validate(probe))
        self.problem.setText("" if ok or not text else self.tr("A project ID has 6 to 30 lowercase letters, "
                                                               "digits or dashes and starts with a letter."))
        return ok


class _SupabasePage(QWizardPage):
    def __init__(self, core: AppCore) -> None:
        super().__init__()
        self.core = core
        self.setTitle(self.tr("Supabase (optional)"))
        self.setSubTitle(self.tr("Where the job writes its results. Leave empty to skip; the keys are kept "
                                 "in this computer's password store, never in a file."))
        self.url = QLineEdit()
        self.url.setObjectName("firstRunSupabaseUrl")
        self.url.setPlaceholderText("https://abcd.supabase.co")
        self.url.setToolTip(self.tr("Project URL from Supabase: Project Settings, API."))
        self.key = QLineEdit()
        self.key.setObjectName("firstRunSupabaseKey")
        self.key.setEchoMode(QLineEdit.EchoMode.Password)
        self.key.setToolTip(self.tr("The API key the job uses (SUPABASE_KEY). It is never shown or logged."))
        self.table = QLineEdit(core.config.supabase.results_table)
        self.table.setObjectName("firstRunSupabaseTable")
        self.table.setPlaceholderText(self.tr("table name, e.g. predictions"))
        self.table.setToolTip(self.tr("The table the job writes; Test connection counts its rows."))
        self.test_button = QPushButton(self.tr("Test connection"))
        self.test_button.setObjectName("firstRunTestButton")
        self.test_button.clicked.connect(self._test)
        self.result = _wrapped("")
        self.result.setObjectName("firstRunTestResult")
        form = QFormLayout(self)
        form.addRow(self.tr("Project URL"), self.url)
        form.addRow(self.tr("API key"), self.key)
        form.addRow(self.tr("Results table"), self.table)
        row = QHBoxLayout()
        row.addWidget(self.test_button)
        row.addWidget(self.result, 1)
        form.addRow(row)

    def _test(self) -> None:
        from core.app import supabase_check  # imported on demand: supabase is heavy

        url, key, table = self.url.text().strip(), self.key.text().strip(), self.table.text().strip()
        if not (url and key and table):
            self.result.setText(self.tr("Fill in the URL, the key and the table first."))
            return
        self.test_button.setEnabled(False)
        self.result.setText(self.tr("Testing the connection..."))

        def finish(text: str) -> None:
            self.test_button.setEnabled(True)
            self.result.setText(text)

        def failed(exc: BaseException) -> None:
            finish(error_message(exc) if isinstance(exc, T4Error) else self.tr("The test failed."))

        self.core.tasks.run(lambda: supabase_check.test_connection(url, key, table),
                            lambda result: finish(message_text(result)), failed)


class _JobPage(QWizardPage):
    def __init__(self, cfg: AppConfig) -> None:
        super().__init__()
        self.cfg = cfg
        self.setTitle(self.tr("The job"))
        self.setSubTitle(self.tr("What runs and on which GPU machine. The Job page has every detail."))
        self.image = QLineEdit(cfg.job.image_uri)
        self.image.setObjectName("firstRunImage")
        self.image.setPlaceholderText("asia-northeast3-docker.pkg.dev/my-project/jobs/predict:latest")
        self.image.setToolTip(self.tr("The container image with your predict job. Only used on Google Cloud."))
        self.machine = QComboBox()
        self.machine.setObjectName("firstRunMachine")
        self.machine.setEditable(True)
        self.machine.addItems(MACHINES)
        self.machine.setCurrentText(cfg.job.machine_type)
        self.machine.setToolTip(self.tr("T4 GPUs attach to N1 machines only. n1-standard-4 has 4 vCPUs and 15 GB."))
        self.gpus = QComboBox()
        self.gpus.setObjectName("firstRunGpus")
        for n in config_mod.T4_COUNTS:
            self.gpus.addItem(str(n), n)
        if cfg.job.accelerator_count == 0:  # kept as saved (the Cost page's CPU-only advice), never reset to 1
            self.gpus.addItem(self.tr("none (CPU only)"), 0)
        self.gpus.setCurrentIndex(max(0, self.gpus.findData(cfg.job.accelerator_count)))
        self.gpus.setToolTip(self.tr("How many T4 GPUs the machine gets: 1, 2 or 4."))
        self.spot = QCheckBox(self.tr("Use Spot GPUs (much cheaper, may be interrupted)"))
        self.spot.setChecked(cfg.job.spot)
        self.runtime = QSpinBox()
        self.runtime.setObjectName("firstRunRuntime")
        self.runtime.setRange(config_mod.MIN_RUNTIME_MINUTES, config_mod.MAX_RUNTIME_MINUTES)
        self.runtime.setValue(cfg.job.max_runtime_minutes)
        self.runtime.setSuffix(self.tr(" min"))
        self.runtime.setToolTip(self.tr("The job is stopped after this long, so a stuck job can never cost more."))
        self.cost = _wrapped("")
        self.cost.setObjectName("firstRunCost")
        form = QFormLayout(self)
        self.form = form
        form.addRow(self.tr("Container image"), self.image)
        form.addRow(self.tr("Machine type"), self.machine)
        form.addRow(self.tr("T4 GPUs"), self.gpus)
        form.addRow("", self.spot)
        form.addRow(self.tr("Max runtime"), self.runtime)
        form.addRow(self.cost)
        self.machine.currentTextChanged.connect(self.refresh_cost)
        self.gpus.currentIndexChanged.connect(self.refresh_cost)
        self.spot.toggled.connect(self.refresh_cost)
        self.runtime.valueChanged.connect(self.refresh_cost)

    def apply(self, cfg: AppConfig) -> None:
        job = cfg.job
        job.image_uri = self.image.text().strip()
        job.machine_type = self.machine.currentText().strip()
        job.accelerator_count = int(self.gpus.currentData())
        job.spot = self.spot.isChecked()
        job.max_runtime_minutes = self.runtime.value()

    def refresh_cost(self) -> None:
        cfg = copy.deepcopy(self.cfg)
        self.apply(cfg)
        self.cost.setText(estimate_text(cfg.job, cfg.schedule))

    def initializePage(self) -> None:
        vertex = self.wizard().field("vertex") is True
        self.image.setEnabled(vertex)
        for widget in (self.image, self.machine, self.gpus, self.spot):  # no GPU questions for this computer
            self.form.setRowVisible(widget, vertex)
        self.setSubTitle(self.tr("What runs and on which GPU machine. The Job page has every detail.") if vertex
                         else self.tr("The sample job runs on this computer. A run that takes longer than this "
                                      "is stopped; the line below says what it would cost on Vertex AI."))
        self.refresh_cost()


class _SchedulePage(QWizardPage):
    def __init__(self, cfg: AppConfig) -> None:
        super().__init__()
        s = cfg.schedule
        self.setTitle(self.tr("The daily schedule"))
        self.setSubTitle(self.tr("When the job runs by itself. You can also press Run Now at any time."))
        self.enabled = QCheckBox(self.tr("Run the job every day at this time"))
        self.enabled.setObjectName("firstRunScheduleOn")
        self.enabled.setChecked(s.enabled)
        self.time = QTimeEdit(QTime.fromString(s.time, "HH:mm"))
        self.time.setObjectName("firstRunTime")
        self.time.setDisplayFormat("HH:mm")
        self.time.setToolTip(self.tr("The time in the time zone below (01:00 Asia/Seoul by default)."))
        days = WeekdayPicker()
        self.days: dict[str, QCheckBox] = days.boxes
        for day, box in self.days.items():
            box.setChecked(day in s.weekdays)
        self.zone = QComboBox()
        self.zone.setObjectName("firstRunZone")
        self.zone.setEditable(True)
        self.zone.addItems(sorted(available_timezones()))
        self.zone.setCurrentText(s.timezone)
        self.zone.setToolTip(self.tr("The job runs at this zone's local time, daylight saving included."))
        form = QFormLayout(self)
        form.addRow("", self.enabled)
        form.addRow(self.tr("Time of day"), self.time)
        form.addRow(self.tr("Days"), days)
        form.addRow(self.tr("Time zone"), self.zone)

    def apply(self, cfg: AppConfig) -> None:
        s = cfg.schedule
        s.enabled = self.enabled.isChecked()
        s.time = self.time.time().toString("HH:mm")
        s.weekdays = [d for d in WEEKDAYS if self.days[d].isChecked()]
        s.timezone = self.zone.currentText().strip()


class FirstRunWizard(QWizard):
    """The guided first set-up. Signals: openSettingsRequested() after Finish when Google Cloud was chosen
    (the Settings page has the Google sign-in)."""

    openSettingsRequested = Signal()

    def __init__(self, core: AppCore, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.core = core
        self.setObjectName("firstRunWizard")
        self.setWindowTitle(self.tr("Welcome to T4 Panel"))
        self.setWizardStyle(QWizard.WizardStyle.ModernStyle)
        icon = QIcon(str(paths.resources_dir() / "icons" / "t4panel.svg"))
        self.setWindowIcon(icon)
        self.setPixmap(QWizard.WizardPixmap.LogoPixmap, icon.pixmap(48, 48))
        cfg = copy.deepcopy(core.config)
        self.where = _WherePage(cfg)
        self.project = _ProjectPage(cfg)
        self.supabase = _SupabasePage(core)
        self.job = _JobPage(cfg)
        self.schedule = _SchedulePage(cfg)
        for page_id, page in enumerate((self.where, self.project, self.supabase, self.job, self.schedule)):
            self.setPage(page_id, page)
        self.where.registerField("vertex", self.where.vertex)
        self.saved_config: AppConfig | None = None

    def config_from_pages(self) -> AppConfig:
        cfg = copy.deepcopy(self.core.config)
        vertex = self.where.vertex.isChecked()
        cfg.job.backend = "vertex" if vertex else "local"
        if vertex:
            cfg.job.project_id = self.project.project.text().strip()
            cfg.job.region = self.project.region.currentData()
        self.job.apply(cfg)
        self.schedule.apply(cfg)
        cfg.supabase.results_table = self.supabase.table.text().strip()
        return cfg

    def accept(self) -> None:
        cfg = self.config_from_pages()
        problems = config_mod.validate(cfg)
        if problems:
            QMessageBox.warning(self, self.tr("Please check these settings"),
                                "\n".join(f"• {problem_text(p)}" for p in problems))
            return
        url, key = self.supabase.url.text().strip(), self.supabase.key.text().strip()
        self.button(QWizard.WizardButton.FinishButton).setEnabled(False)
        if url and key:
            from core.store import secrets

            store = self.core.secret_store

            def keep() -> None:
                store.set(secrets.SUPABASE_URL, url)
                store.set(secrets.SUPABASE_KEY, key)

            self.core.tasks.run(keep, lambda _: self._save(cfg), self._secrets_failed)
        else:
            self._save(cfg)

    def _secrets_failed(self, exc: BaseException) -> None:
        self.button(QWizard.WizardButton.FinishButton).setEnabled(True)
        message = error_message(exc) if isinstance(exc, T4Error) else self.tr("The Supabase keys could not be saved.")
        QMessageBox.warning(self, self.tr("Supabase keys not saved"), message + "\n\n"
                            + self.tr("Leave the fields empty to skip, or save them later in Settings."))

    def _save(self, cfg: AppConfig) -> None:
        def saved() -> None:
            self.saved_config = cfg
            if cfg.job.backend == "vertex":
                self.openSettingsRequested.emit()
            super(FirstRunWizard, self).accept()

        self.core.save_config(cfg, saved)
