"""Settings: how a Vertex AI job gets the Supabase keys. Secret Manager (safer: the job's spec, which anyone who
can view the project reads, holds no key) or plain environment variables (less safe). `[cloud]
keys_in_secret_manager` in config.toml; the cloud schedule always uses Secret Manager.

Turning Secret Manager on for a Vertex AI project first puts the keys there (core.app.cloud_keys, after a yes to a
sentence naming the project and who can read them) with the cloud schedule's checklist dialog; the choice is saved
only when that is done. Turning it off leaves the secrets, unless the cloud schedule is off too and the operator
agrees to delete them."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QButtonGroup, QGroupBox, QLabel, QMessageBox, QRadioButton, QVBoxLayout, QWidget

from core.store.config import AppConfig
from gui.core_text import error_message, message_text
from gui.tasks import Tasks


class KeysChoice(QGroupBox):
    """objectName "keysChoice": the radio buttons `keysInSecretManager` and `keysAsPlainEnv`.

    Args:
        get_config: the saved AppConfig. save_config: saves a whole AppConfig (non-blocking).
        tasks: the worker pool for the Google calls; store: the keyring (read only after the operator's yes).
            Without them (or without a Vertex AI project) the choice is only saved.
        keys_factory: makes the core.app.cloud_keys.KeysInSecretManager (tests may pass their own).
    """

    def __init__(self, get_config: Callable[[], AppConfig], save_config: Callable[[AppConfig], Any],
                 parent: QWidget | None = None, *, tasks: Tasks | None = None, store: Any = None,
                 keys_factory: Callable[..., Any] | None = None) -> None:
        super().__init__(self.tr("How the job gets the Supabase keys"), parent)
        self.setObjectName("keysChoice")
        self.get_config, self.save_config = get_config, save_config
        self.tasks, self.store, self.keys_factory = tasks, store, keys_factory
        self.confirm_box: QMessageBox | None = None
        self.dialog: Any = None  # the checklist while (and after) the keys are put in Secret Manager
        self.secret_manager = QRadioButton(self.tr("Keep the Supabase keys in Secret Manager (safer)"), self)
        self.secret_manager.setObjectName("keysInSecretManager")
        self.secret_manager.setToolTip(self.tr("The job reads the keys from Secret Manager in your project when it "
                                               "starts; its settings in the Google Cloud console show no key."))
        self.plain_env = QRadioButton(self.tr("Give the job the Supabase URL and key as plain environment variables "
                                              "(SUPABASE_URL, SUPABASE_KEY): less safe"), self)
        self.plain_env.setObjectName("keysAsPlainEnv")
        self.plain_env.setToolTip(self.tr("Anyone who can view the job in the project can read the key."))
        self.note = QLabel(self.tr("Less safe: anyone who can view Vertex AI jobs in the project can read the key in "
                                   "the job's settings."), self)
        self.note.setObjectName("keysNote")
        self.note.setWordWrap(True)
        self.status = QLabel("", self)  # what turning the choice on or off did in the project
        self.status.setObjectName("keysStatus")
        self.status.setWordWrap(True)
        self.status.hide()
        group = QButtonGroup(self)
        group.addButton(self.secret_manager)
        group.addButton(self.plain_env)
        layout = QVBoxLayout(self)
        for w in (self.secret_manager, self.plain_env, self.note, self.status):
            layout.addWidget(w)
        self.load()
        self.secret_manager.toggled.connect(self._changed)

    def load(self) -> None:
        on = self.get_config().cloud.keys_in_secret_manager is True
        self.secret_manager.blockSignals(True)
        (self.secret_manager if on else self.plain_env).setChecked(True)
        self.secret_manager.blockSignals(False)
        self.note.setVisible(not on)

    def _changed(self, in_secret_manager: bool) -> None:
        cfg = self.get_config()
        if cfg.cloud.keys_in_secret_manager is in_secret_manager:
            self.note.setVisible(not in_secret_manager)
            return
        if self.tasks is None or cfg.job.backend != "vertex" or not cfg.job.project_id:
            self._save(in_secret_manager)  # nothing in Google to prepare (yet): the choice alone
            return
        self.load()  # the buttons show the saved choice until the project is ready for the new one
        if self.confirm_box is not None or (self.dialog is not None and self.dialog.running):
            return
        self._ask_on(cfg) if in_secret_manager else self._ask_off(cfg)

    def _save(self, on: bool) -> None:
        cfg = copy.deepcopy(self.get_config())
        cfg.cloud.keys_in_secret_manager = on
        self.save_config(cfg)
        self.secret_manager.blockSignals(True)
        (self.secret_manager if on else self.plain_env).setChecked(True)
        self.secret_manager.blockSignals(False)
        self.note.setVisible(not on)

    def _say(self, text: str) -> None:
        self.status.setText(text)
        self.status.show()

    def _ask(self, title: str, text: str, yes_text: str, on_yes: Callable[[], None],
             on_no: Callable[[], None] | None = None) -> None:
        box = QMessageBox(self)
        box.setObjectName("keysConfirm")
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle(title)
        box.setText(text)
        yes = box.addButton(yes_text, QMessageBox.ButtonRole.AcceptRole)
        yes.setObjectName("keysConfirmYes")
        box.addButton(QMessageBox.StandardButton.Cancel if on_no is None else QMessageBox.StandardButton.No)
        box.buttonClicked.connect(lambda button: on_yes() if button is yes else on_no() if on_no else None)
        box.finished.connect(lambda _: setattr(self, "confirm_box", None))
        self.confirm_box = box
        box.open()

    def _factory(self) -> Callable[..., Any]:
        if self.keys_factory is not None:
            return self.keys_factory
        from core.app.cloud_keys import KeysInSecretManager

        return KeysInSecretManager

    # ------------------------------------------------------------ on: the keys go to Secret Manager

    def _ask_on(self, cfg: AppConfig) -> None:
        from core.app.cloud_keys import keys_consent_message

        self._ask(self.tr("Keep the keys in Secret Manager?"), message_text(keys_consent_message(cfg)),
                  self.tr("Copy the keys"), lambda: self._turn_on(cfg))

    def _turn_on(self, cfg: AppConfig) -> None:
        from core.app.cloud_keys import plan
        from gui.cloud_checklist import CloudChecklist
        from gui.cloud_panel import read_supabase_keys

        store, factory = self.store, self._factory()

        def action(progress: Callable[[Any], None]) -> Any:
            keys = read_supabase_keys(store) if store is not None else None  # only now, on the worker
            return factory(cfg, secrets=keys, progress=progress).setup()

        self.dialog = CloudChecklist(
            self.tasks, self.tr("Putting the keys in Secret Manager"),
            self.tr("Each step first looks at what is there and makes only what is missing."), plan(), action, self)
        self.dialog.succeeded.connect(lambda _: self._turned_on(cfg))
        self.dialog.open()
        self.dialog.start()

    def _turned_on(self, cfg: AppConfig) -> None:
        self._save(True)
        self._say(self.tr("The Supabase keys are in Secret Manager in project %1; Vertex AI runs read them from "
                          "there when they start.").replace("%1", cfg.job.project_id))

    # ------------------------------------------------------------ off: the secrets stay unless both are off

    def _ask_off(self, cfg: AppConfig) -> None:
        from core.app.cloud_keys import keys_left_message

        if cfg.cloud.enabled:  # the cloud schedule reads them: they stay whatever the choice here
            self._save(False)
            self._say(self.tr("The Supabase keys stay in Secret Manager: the cloud schedule uses them."))
            return

        def keep() -> None:
            self._save(False)
            self._say(message_text(keys_left_message(cfg, deleted=False)))

        self._ask(self.tr("Delete the keys from Secret Manager?"),
                  self.tr("New Vertex AI runs will get the Supabase keys as plain environment variables. Delete the "
                          "copies in Secret Manager in project %1 too? Keep them if anyone else needs them.")
                  .replace("%1", cfg.job.project_id), self.tr("Delete them"), lambda: self._delete(cfg), keep)

    def _delete(self, cfg: AppConfig) -> None:
        from core.app.cloud_keys import keys_left_message

        assert self.tasks is not None
        factory = self._factory()

        def deleted(_: Any) -> None:
            self._save(False)
            self._say(message_text(keys_left_message(cfg, deleted=True)))

        self.tasks.run(lambda: factory(cfg).delete(), deleted, lambda exc: self._say(error_message(exc)))
