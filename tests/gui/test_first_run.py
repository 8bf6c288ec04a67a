"""The first-run guide, driven like an operator: the "try on this computer" path ends in a saved config."""

from __future__ import annotations

import tomllib

import pytest
from PySide6.QtCore import QTime
from PySide6.QtWidgets import QWizard

from core import paths
from gui.app_core import AppCore
from gui.first_run import PAGE_JOB, PAGE_PROJECT, PAGE_SCHEDULE, PAGE_SUPABASE, FirstRunWizard, should_show_first_run


@pytest.fixture(autouse=True)
def _own_home(tmp_path, monkeypatch):  # until tests/conftest.py's fixture is everywhere
    monkeypatch.setenv("T4PANEL_HOME", str(tmp_path / "home"))
    (tmp_path / "home").mkdir()


@pytest.fixture
def wizard(qtbot):
    core = AppCore()
    w = FirstRunWizard(core)
    qtbot.addWidget(w)
    w.show()
    yield w
    core.tasks.wait_idle(3000)


def test_shown_only_without_a_config(tmp_path):
    home = tmp_path / "fresh"
    home.mkdir()
    assert should_show_first_run(home)
    (home / "config.toml").write_text("[job]\n", encoding="utf-8")
    assert not should_show_first_run(home)
    assert should_show_first_run() == (not paths.config_path().exists())


def test_local_path_saves_a_working_config(qtbot, wizard):
    assert should_show_first_run()
    wizard.where.local.setChecked(True)
    wizard.next()
    assert wizard.currentId() == PAGE_SUPABASE  # no Google project needed to try it here
    wizard.next()
    assert wizard.currentId() == PAGE_JOB
    assert not wizard.job.image.isEnabled()
    wizard.job.runtime.setValue(30)
    wizard.job.spot.setChecked(True)
    assert "$" in wizard.job.cost.text() and "30 min" in wizard.job.cost.text()
    wizard.next()
    assert wizard.currentId() == PAGE_SCHEDULE
    wizard.schedule.enabled.setChecked(True)
    wizard.schedule.time.setTime(QTime(2, 30))
    wizard.schedule.days["sun"].setChecked(False)
    wizard.schedule.zone.setCurrentText("Asia/Seoul")
    with qtbot.waitSignal(wizard.finished, timeout=5000):
        wizard.button(QWizard.WizardButton.FinishButton).click()
    saved = tomllib.loads(paths.config_path().read_text(encoding="utf-8"))
    assert saved["job"]["backend"] == "local"
    assert saved["job"]["max_runtime_minutes"] == 30 and saved["job"]["spot"] is True
    assert saved["schedule"]["enabled"] is True and saved["schedule"]["time"] == "02:30"
    assert saved["schedule"]["timezone"] == "Asia/Seoul" and "sun" not in saved["schedule"]["weekdays"]
    assert not should_show_first_run()
    assert wizard.core.config.job.backend == "local"  # the app's copy follows the file


def test_google_path_asks_for_a_valid_project_and_opens_settings(qtbot, wizard):
    wizard.where.vertex.setChecked(True)
    wizard.next()
    assert wizard.currentId() == PAGE_PROJECT
    wizard.project.project.setText("X")
    assert not wizard.button(QWizard.WizardButton.NextButton).isEnabled()
    assert wizard.project.problem.text()
    wizard.project.project.setText("my-team-predict")
    wizard.project.region.setCurrentIndex(wizard.project.region.findData("asia-northeast3"))
    assert wizard.button(QWizard.WizardButton.NextButton).isEnabled()
    wizard.next()
    wizard.next()
    assert wizard.job.image.isEnabled()
    wizard.job.image.setText("asia-northeast3-docker.pkg.dev/my-team-predict/jobs/predict:latest")
    wizard.next()
    with qtbot.waitSignal(wizard.openSettingsRequested, timeout=5000):
        wizard.button(QWizard.WizardButton.FinishButton).click()
    saved = tomllib.loads(paths.config_path().read_text(encoding="utf-8"))
    assert saved["job"]["backend"] == "vertex"
    assert (saved["job"]["project_id"], saved["job"]["region"]) == ("my-team-predict", "asia-northeast3")


def _finish_local(qtbot, wizard):
    wizard.where.local.setChecked(True)
    wizard.next()
    wizard.next()
    wizard.next()
    with qtbot.waitSignal(wizard.finished, timeout=5000):
        wizard.button(QWizard.WizardButton.FinishButton).click()


def test_the_guide_leaves_the_language_unchosen_so_t4panel_lang_works(qtbot, wizard, monkeypatch, qapp):
    """Issue 13.13: nobody picked a language in the guide, so none is written and T4PANEL_LANG still counts."""
    from core.store import config as config_mod
    from gui import app as app_mod
    from gui import i18n

    _finish_local(qtbot, wizard)
    text = paths.config_path().read_text(encoding="utf-8")
    assert "language" not in text and "[ui]" not in text
    monkeypatch.setenv("T4PANEL_LANG", "ko")
    loaded = config_mod.load().config
    assert i18n.language_setting(loaded) == "ko"
    try:  # what the app does at start
        assert i18n.install_translators(qapp, app_mod._saved_language() or i18n.language_setting()) == "ko"
    finally:
        i18n.remove_translators(qapp)


def test_a_file_that_says_system_still_lets_t4panel_lang_choose(monkeypatch, qapp):
    """Files written before the fix say `language = "system"`: that is no choice either."""
    from gui import app as app_mod
    from gui import i18n

    paths.config_path().write_text('[ui]\nlanguage = "system"\n', encoding="utf-8")
    monkeypatch.setenv("T4PANEL_LANG", "ko")
    try:
        assert i18n.install_translators(qapp, app_mod._saved_language() or i18n.language_setting()) == "ko"
    finally:
        i18n.remove_translators(qapp)


def test_in_local_mode_the_guide_asks_no_gpu_questions(qtbot, wizard):
    wizard.where.local.setChecked(True)
    wizard.next()
    wizard.next()
    assert wizard.currentId() == PAGE_JOB
    page = wizard.job
    for widget in (page.machine, page.gpus, page.spot, page.image):
        assert not widget.isVisibleTo(wizard), widget.objectName()
    assert page.runtime.isVisibleTo(wizard)  # a stuck job is stopped here too
    wizard.back()
    wizard.back()
    wizard.where.vertex.setChecked(True)
    wizard.next()
    wizard.project.project.setText("my-team-predict")
    wizard.next()
    wizard.next()
    for widget in (page.machine, page.gpus, page.spot, page.image):
        assert widget.isVisibleTo(wizard), widget.objectName()
