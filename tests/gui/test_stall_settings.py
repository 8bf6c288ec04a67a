"""The operator sets the idle stretch and the opt-in cancel in Settings, and they survive the config file."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from core.store import config as config_mod
from core.store.config import AppConfig


def test_stall_settings_are_saved_and_read_back(qtbot):
    from gui.general_settings import GeneralSettings
    from gui.tasks import Tasks

    tasks = Tasks()
    saved: list[AppConfig] = []
    page = GeneralSettings(tasks, AppConfig, saved.append)
    qtbot.addWidget(page)
    assert page.stall_minutes.value() == 20 and not page.cancel_stalled.isChecked()  # the defaults

    page.stall_minutes.setValue(45)
    page.cancel_stalled.setChecked(True)
    page._save()
    tasks.wait_idle()

    assert saved and saved[0].notifications.stall_minutes == 45 and saved[0].notifications.cancel_when_stalled
    back = config_mod.loads(config_mod.dumps(saved[0]))
    assert back.notifications.stall_minutes == 45 and back.notifications.cancel_when_stalled


def test_an_impossible_stretch_is_refused_with_its_field():
    cfg = AppConfig()
    cfg.notifications.stall_minutes = -5
    assert [p.field for p in config_mod.validate(cfg)] == ["notifications.stall_minutes"]
