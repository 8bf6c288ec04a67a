"""Settings: how a Vertex AI job gets the Supabase keys. Secret Manager (safer: the job's spec, which anyone who
can view the project reads, holds no key) or plain environment variables (less safe). `[cloud]
keys_in_secret_manager` in config.toml; the cloud schedule always uses Secret Manager."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QButtonGroup, QGroupBox, QLabel, QRadioButton, QVBoxLayout, QWidget

from core.store.config import AppConfig


class KeysChoice(QGroupBox):
    """objectName "keysChoice": the radio buttons `keysInSecretManager` and `keysAsPlainEnv`.

    Args:
        get_config: the saved AppConfig. save_config: saves a whole AppConfig (non-blocking).
    """

    def __init__(self, get_config: Callable[[], AppConfig], save_config: Callable[[AppConfig], Any],
                 parent: QWidget | None = None) -> None:
        super().__init__(self.tr("How the job gets the Supabase keys"), parent)
        self.setObjectName("keysChoice")
        self.get_config, self.save_config = get_config, save_config
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
        group = QButtonGroup(self)
        group.addButton(self.secret_manager)
        group.addButton(self.plain_env)
        layout = QVBoxLayout(self)
        for w in (self.secret_manager, self.plain_env, self.note):
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
        self.note.setVisible(not in_secret_manager)
        cfg = copy.deepcopy(self.get_config())
        if cfg.cloud.keys_in_secret_manager == in_secret_manager:
            return
        cfg.cloud.keys_in_secret_manager = in_secret_manager
        self.save_config(cfg)
