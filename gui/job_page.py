"""The Job page: the T4 job's settings as a form, validated as you type, saved to config.toml."""

from __future__ import annotations

import copy
import dataclasses
import shlex
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from core.store import config as config_mod
from core.store.config import AppConfig, JobConfig
from gui.field_errors import FieldErrors
from gui.form_parts import SaveBar

MACHINE_TYPES = [f"{family}{n}" for family in config_mod.N1_FAMILIES for n in (4, 8, 16, 32)] + [
    "n1-standard-1", "n1-standard-2", "n1-standard-64", "n1-standard-96", "n1-highmem-2", "n1-highmem-64",
    "n1-highmem-96", "n1-highcpu-2", "n1-highcpu-64", "n1-highcpu-96"]


def join_words(words: list[str]) -> str:
    """Words as the operator would type them: quoted only when a space or quote makes it necessary
    (shlex.join would also quote the {python} placeholders and confuse everyone)."""
    return " ".join(w if w and not any(c.isspace() or c in "'\"\\" for c in w) else shlex.quote(w) for w in words)


def env_to_text(env: dict[str, str]) -> str:
    return "\n".join(f"{k}={v}" for k, v in env.items())


def text_to_env(text: str) -> tuple[dict[str, str], list[str]]:
    """Parse NAME=value lines. Returns (env, problems)."""
    env: dict[str, str] = {}
    problems: list[str] = []
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if "=" not in line:
            problems.append(QCoreApplication.translate("JobPage", "Line %1: write NAME=value.").replace("%1", str(n)))
            continue
        name, value = line.split("=", 1)
        if name.strip() in env:
            problems.append(QCoreApplication.translate("JobPage", "Line %1: %2 is set twice.")
                            .replace("%1", str(n)).replace("%2", name.strip()))
        env[name.strip()] = value
    return env, problems


# This computer's placeholders: Vertex AI runs the command inside the container image, where none of them
# means anything (core's spec would turn {python} into "python" and refuse the others only at Run Now).
LOCAL_PLACEHOLDERS = ("{python}", "{sample_job}", "{resources}")


def vertex_command_problem(words: list[str]) -> str:
    """A sentence when a Vertex AI command still uses this computer's placeholders, else ""."""
    if not any(p in word for word in words for p in LOCAL_PLACEHOLDERS):
        return ""
    return QCoreApplication.translate(
        "JobPage", "On Vertex AI the command runs in your container: enter its program, e.g. python -u predict.py")


class JobPage(QWidget):
    """objectName of the form: "jobForm". Signals: saveRequested(object) with the new AppConfig."""

    saveRequested = Signal(object)

    def __init__(self, get_config: Callable[[], AppConfig], parent: QWidget | None = None,
                 tasks: Any = None) -> None:
        super().__init__(parent)
        self.get_config = get_config
        self.form_widget = QWidget(self)
        self.form_widget.setObjectName("jobForm")
        form = QFormLayout()
        column = QVBoxLayout(self.form_widget)
        column.addLayout(form)
        column.addStretch(1)  # spare height goes below the form, never between its rows (fields stay put)

        self.backend = QComboBox()
        self.backend.setObjectName("backendCombo")
        self.backend.addItem(self.tr("This computer (free, for trying out)"), "local")
        self.backend.addItem(self.tr("Vertex AI (Google Cloud T4 GPU)"), "vertex")
        self.project = QLineEdit()
        self.project.setObjectName("projectEdit")
        self.project.setPlaceholderText("my-project-id")
        self.region = QComboBox()
        self.region.setObjectName("regionCombo")
        for r in config_mod.T4_REGIONS:
            self.region.addItem(r, r)
        self.region.setToolTip(self.tr("Only regions where Vertex AI offers NVIDIA T4 GPUs are listed."))
        self.display_name = QLineEdit()
        self.machine = QComboBox()
        self.machine.setEditable(True)
        self.machine.setObjectName("machineCombo")
        self.machine.addItems(sorted(set(MACHINE_TYPES), key=lambda m: (m.rsplit("-", 1)[0], int(m.rsplit("-", 1)[1]))))
        self.machine.setToolTip(self.tr("T4 GPUs attach to N1 machines only. n1-standard-4 has 4 vCPUs and 15 GB."))
        self.gpus = QComboBox()
        self.gpus.setObjectName("gpuCountCombo")
        for n in config_mod.T4_COUNTS:
            self.gpus.addItem(str(n), n)
        self.gpus.addItem(self.tr("none (CPU only)"), 0)  # what the Cost page's "without a GPU" advice sets
        self.image = QLineEdit()
        self.image.setPlaceholderText("asia-northeast3-docker.pkg.dev/my-project/jobs/predict:latest")
        self.image.setToolTip(self.tr("The container image Vertex AI runs. Not used on this computer."))
        self.command = QLineEdit()
        self.command.setObjectName("commandEdit")
        self.command.setToolTip(self.tr("The program and its arguments, as you would type them in a terminal. "
                                        "{python} is this computer's Python; {sample_job} the bundled sample."))
        self.args = QLineEdit()
        self.env = QPlainTextEdit()
        self.env.setObjectName("envEdit")
        self.env.setPlaceholderText("BATCH_SIZE=64\nMODEL=v3")
        self.env.setToolTip(self.tr("One NAME=value per line. Supabase keys do not go here: save them in Settings."))
        self.env.setFixedHeight(80)
        self.spot = QCheckBox(self.tr("Use Spot GPUs (much cheaper, may be interrupted)"))
        self.runtime = QSpinBox()
        self.runtime.setObjectName("maxRuntimeSpin")
        self.runtime.setRange(1, 100_000)
        self.runtime.setSuffix(self.tr(" min"))
        self.runtime.setToolTip(self.tr("The job is stopped after this long, so a stuck job can never cost more."))
        self.disk = QSpinBox()
        self.disk.setRange(1, 65536)
        self.disk.setSuffix(" GB")
        self.service_account = QLineEdit()
        self.service_account.setPlaceholderText(self.tr("optional: name@project.iam.gserviceaccount.com"))
        self.inject = QCheckBox(self.tr("Give the job the Supabase URL and key (as SUPABASE_URL, SUPABASE_KEY)"))
        from gui.job_fallbacks import FallbacksBox

        self.fallbacks = FallbacksBox()

        rows = [
            ("backend", self.tr("Run on"), self.backend), ("project_id", self.tr("Google Cloud project"), self.project),
            ("region", self.tr("Region"), self._with_hint(self.region, self.tr(
                "Only regions where Vertex AI training offers NVIDIA T4 GPUs are listed."))),
            ("display_name", self.tr("Job name"), self.display_name),
            ("machine_type", self.tr("Machine type"), self.machine),
            ("accelerator_count", self.tr("T4 GPUs"), self.gpus),
            ("image_uri", self.tr("Container image"), self.image), ("command", self.tr("Command"), self.command),
            ("args", self.tr("Arguments"), self.args), ("env", self.tr("Environment"), self.env),
            ("spot", "", self.spot),
            ("fallback_regions", self.tr("If no T4 is free"), self.fallbacks),
            ("max_runtime_minutes", self.tr("Max runtime"), self.runtime),
            ("boot_disk_gb", self.tr("Boot disk"), self.disk),
            ("service_account", self.tr("Service account"), self.service_account),
            ("inject_supabase", "", self.inject),
        ]
        self.field_errors = FieldErrors(form, rows, "error_")
        self.errors = self.field_errors.labels

        self.estimate = QLabel("")
        self.estimate.setObjectName("jobEstimate")
        self.estimate.setWordWrap(True)
        self.save_bar = buttons = SaveBar(self._save, self.load)
        self.status, self.save_button, self.revert_button = buttons.status, buttons.save_button, buttons.revert_button
        self.save_button.setObjectName("jobSaveButton")

        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.form_widget)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self.tr("<h2>Job</h2>What runs, and on which GPU machine.")))
        layout.addWidget(scroll, 1)
        layout.addWidget(self.estimate)
        layout.addLayout(buttons)
        from gui.setup_check_panel import SetupCheckPanel
        from gui.tasks import Tasks

        # Checks the *saved* settings (what the next run uses), off the UI thread.
        self.check_panel = SetupCheckPanel(tasks if tasks is not None else Tasks(self), parent=self)
        layout.addWidget(self.check_panel)

        for w in (self.project, self.display_name, self.image, self.command, self.args, self.service_account):
            w.textChanged.connect(self.revalidate)
        self.env.textChanged.connect(self.revalidate)
        for c in (self.backend, self.region, self.gpus):
            c.currentIndexChanged.connect(self.revalidate)
        self.machine.currentTextChanged.connect(self.revalidate)
        for s in (self.runtime, self.disk):
            s.valueChanged.connect(self.revalidate)
        for b in (self.spot, self.inject):
            b.toggled.connect(self.revalidate)
        self.fallbacks.changed.connect(self.revalidate)
        self.load()

    @staticmethod
    def _with_hint(widget: QWidget, hint: str) -> QWidget:
        """`widget` with a short grey explanation under it."""
        holder = QWidget()
        column = QVBoxLayout(holder)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(1)
        column.addWidget(widget)
        note = QLabel(hint)
        note.setStyleSheet("color: #616161;")
        note.setWordWrap(True)
        column.addWidget(note)
        return holder

    # ---------------------------------------------------------------- form <-> config

    def load(self) -> None:
        saved = self.get_config()
        # A hand-edited file can hold any type: the form shows what it can, and the field is marked below.
        job, default = copy.deepcopy(saved.job), JobConfig()
        for f in dataclasses.fields(JobConfig):
            if type(getattr(job, f.name)) is not type(getattr(default, f.name)):
                setattr(job, f.name, getattr(default, f.name))
        if not all(isinstance(w, str) for w in [*job.command, *job.args, *job.env, *job.env.values()]):
            job.command, job.args, job.env = default.command, default.args, default.env
        self._loading = True
        self.backend.setCurrentIndex(max(0, self.backend.findData(job.backend)))
        self.project.setText(job.project_id)
        idx = self.region.findData(job.region)
        if idx < 0:
            self.region.addItem(job.region, job.region)
            idx = self.region.count() - 1
        self.region.setCurrentIndex(idx)
        self.display_name.setText(job.display_name)
        self.machine.setCurrentText(job.machine_type)
        self.gpus.setCurrentIndex(max(0, self.gpus.findData(job.accelerator_count)))
        self.image.setText(job.image_uri)
        self.command.setText(join_words(job.command))
        self.args.setText(join_words(job.args))
        self.env.setPlainText(env_to_text(job.env))
        self.spot.setChecked(job.spot)
        self.runtime.setValue(job.max_runtime_minutes)
        self.disk.setValue(job.boot_disk_gb)
        self.service_account.setText(job.service_account)
        self.inject.setChecked(job.inject_supabase)
        self.fallbacks.set_values(job.fallback_regions, job.on_demand_fallback, job.region)
        self.field_errors.set_saved(config_mod.validate(saved), "job")
        self._loading = False
        self.revalidate()

    def job_from_form(self) -> tuple[JobConfig, dict[str, str]]:
        """The job the form describes, and parse problems that validation cannot see (keyed by field)."""
        extra: dict[str, str] = {}
        words: dict[str, list[str]] = {}
        for key, edit in (("command", self.command), ("args", self.args)):
            try:
                words[key] = shlex.split(edit.text())
            except ValueError:
                extra[key] = self.tr("Close the quotation marks.")
                words[key] = []
        if self.backend.currentData() == "vertex" and "command" not in extra:
            local_only = vertex_command_problem(words["command"] + words["args"])
            if local_only:
                extra["command"] = local_only
        env, env_problems = text_to_env(self.env.toPlainText())
        if env_problems:
            extra["env"] = " ".join(env_problems)
        job = JobConfig(
            backend=self.backend.currentData(), project_id=self.project.text().strip(),
            region=self.region.currentData(), display_name=self.display_name.text().strip(),
            machine_type=self.machine.currentText().strip(), accelerator_count=self.gpus.currentData(),
            image_uri=self.image.text().strip(), command=words["command"], args=words["args"], env=env,
            spot=self.spot.isChecked(), max_runtime_minutes=self.runtime.value(), boot_disk_gb=self.disk.value(),
            service_account=self.service_account.text().strip(), inject_supabase=self.inject.isChecked(),
            fallback_regions=self.fallbacks.regions(), on_demand_fallback=self.fallbacks.on_demand.isChecked(),
        )
        return job, extra

    def config_from_form(self) -> tuple[AppConfig, list[config_mod.Problem]]:
        cfg = copy.deepcopy(self.get_config())
        cfg.job, extra = self.job_from_form()
        self.reset_elsewhere = config_mod.reset_invalid(cfg, keep="job")
        problems = [p for p in config_mod.validate(cfg) if p.field.startswith("job.")]
        problems += [config_mod.Problem(f"job.{k}", v) for k, v in extra.items()]
        return cfg, problems

    def revalidate(self) -> list[config_mod.Problem]:
        if getattr(self, "_loading", False):
            return []
        cfg, problems = self.config_from_form()
        shown = self.field_errors.show(problems)
        vertex = cfg.job.backend == "vertex"
        for w in (self.project, self.region, self.image, self.service_account, self.disk, self.fallbacks):
            w.setEnabled(vertex)
        self.fallbacks.set_primary(cfg.job.region)
        self.fallbacks.refresh(cfg.job, cfg.schedule)
        self.save_bar.show_problems(problems, shown)
        self._update_estimate(cfg)
        return problems

    def _update_estimate(self, cfg: AppConfig) -> None:
        try:
            from gui.cost_estimate import estimate_text
        except ImportError:
            return
        self.estimate.setText(estimate_text(cfg.job, cfg.schedule))

    def _save(self) -> None:
        cfg, problems = self.config_from_form()
        if problems:
            return
        self.status.setText(self.tr("Saving…"))
        self.saveRequested.emit(cfg)

    def saved(self) -> None:
        note = ""
        if self.reset_elsewhere:
            note = " " + self.tr("Settings of other pages that had problems were set back to their defaults: "
                                 "%1.").replace("%1", ", ".join(self.reset_elsewhere))
        self.status.setText(self.tr("Saved.") + note)
