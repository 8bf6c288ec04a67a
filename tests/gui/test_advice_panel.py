"""The Cost page's advice: one click applies exactly the suggested change through the normal save path and
says what changed; a dismissed suggestion stays away; too little history says how many days are missing."""

from __future__ import annotations

import os

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from core import paths
from core.cost import advice
from core.store import config as config_mod
from core.store.runs import RunStore
from tests.support.advice import NOW, job_config, seed_prices, seed_week


@pytest.fixture
def store():
    s = RunStore(paths.history_path())
    yield s
    s.close()


@pytest.fixture
def core(qtbot):
    from gui.app_core import AppCore

    app_core = AppCore()
    app_core.config = job_config()
    config_mod.save(app_core.config)
    yield app_core
    app_core.tasks.wait_idle()
    app_core.tasks.close()


def panel_for(qtbot, core, store):
    from gui.advice_panel import AdvicePanel

    panel = AdvicePanel(core.tasks, lambda: advice.advise(core.config, store, NOW), core.current_config,
                        core.save_config)
    qtbot.addWidget(panel)
    panel.show()
    panel.refresh()
    qtbot.waitUntil(lambda: panel.advice is not None and not panel._busy)
    return panel


def buttons(panel, prefix):
    from PySide6.QtWidgets import QPushButton

    return sorted(b.objectName() for b in panel.findChildren(QPushButton) if b.objectName().startswith(prefix)
                  and b.isVisibleTo(panel))


def test_idle_week_shows_three_suggestions_with_their_prices(qtbot, core, store):
    seed_prices()
    seed_week(store)
    panel = panel_for(qtbot, core, store)
    shown = buttons(panel, "adviceApply_")
    assert shown == ["adviceApply_cpu_only", "adviceApply_runtime", "adviceApply_spot"], panel.advice
    from PySide6.QtWidgets import QLabel

    spot = panel.findChild(QLabel, "adviceText_spot").text()
    assert "$0.19 per run instead of $0.55" in spot
    assert panel.prices_label.text() == "Prices: Google Cloud Billing Catalog, fetched 2026-11-27."
    assert not panel.status_label.isVisible()


@pytest.mark.parametrize(("kind", "expected"), [
    ("cpu_only", {"machine_type": "n1-highmem-4", "accelerator_count": 0}),
    ("spot", {"spot": True}),
    ("runtime", {"max_runtime_minutes": 75}),
])
def test_one_click_saves_exactly_the_suggestion_and_says_so(qtbot, core, store, kind, expected):
    seed_prices()
    seed_week(store)
    panel = panel_for(qtbot, core, store)
    before = config_mod.load().config
    from PySide6.QtWidgets import QPushButton

    with qtbot.waitSignal(core.configChanged, timeout=5000):
        qtbot.mouseClick(panel.findChild(QPushButton, f"adviceApply_{kind}"), _left())
    after = config_mod.load().config  # what is on disk now
    changed = {k: getattr(after.job, k) for k in vars(after.job) if getattr(after.job, k) != getattr(before.job, k)}
    assert changed == expected
    assert after.schedule == before.schedule and after.budget == before.budget
    assert panel.result_label.isVisible() and panel.result_label.text().startswith("Saved on the Job page: ")
    # Worked out again against the saved settings: that suggestion is not offered a second time.
    qtbot.waitUntil(lambda: not panel._busy and f"adviceApply_{kind}" not in buttons(panel, "adviceApply_"))


def test_stale_advice_is_not_applied(qtbot, core, store):
    seed_prices()
    seed_week(store)
    panel = panel_for(qtbot, core, store)
    edited = job_config(machine_type="n1-standard-8")
    config_mod.save(edited)
    core.config = edited  # the operator changed the machine on the Job page meanwhile
    from PySide6.QtWidgets import QPushButton

    qtbot.mouseClick(panel.findChild(QPushButton, "adviceApply_cpu_only"), _left())
    assert "changed since this advice" in panel.result_label.text()
    assert config_mod.load().config.job.machine_type == "n1-standard-8"
    qtbot.waitUntil(lambda: not panel._busy)


def test_dismissed_suggestion_stays_away(qtbot, core, store):
    seed_prices()
    seed_week(store)
    panel = panel_for(qtbot, core, store)
    from PySide6.QtWidgets import QPushButton

    qtbot.mouseClick(panel.findChild(QPushButton, "adviceDismiss_spot"), _left())
    qtbot.waitUntil(lambda: buttons(panel, "adviceApply_") == ["adviceApply_cpu_only", "adviceApply_runtime"])
    again = panel_for(qtbot, core, store)  # the next time the page is built
    assert buttons(again, "adviceApply_") == ["adviceApply_cpu_only", "adviceApply_runtime"]
    assert config_mod.load().config.job.spot is False


def test_three_days_of_runs_say_how_many_more(qtbot, core, store):
    seed_prices()
    seed_week(store, days=3)
    panel = panel_for(qtbot, core, store)
    assert buttons(panel, "adviceApply_") == []
    assert panel.isVisible() and panel.status_label.isVisible()
    assert panel.status_label.text() == "Advice on saving money comes after runs on 7 different days; 4 more to go."


def test_busy_week_shows_nothing(qtbot, core, store):
    seed_prices()
    seed_week(store, gpu=70)
    panel = panel_for(qtbot, core, store)
    assert buttons(panel, "adviceApply_") == [] and not panel.isVisible()


def _left():
    from PySide6.QtCore import Qt

    return Qt.MouseButton.LeftButton


def test_the_job_page_shows_and_keeps_a_cpu_only_job(qtbot):
    from gui.job_page import JobPage

    cfg = job_config(machine_type="n1-highmem-4", accelerator_count=0, command=["python", "-u", "predict.py"])
    page = JobPage(lambda: cfg)
    qtbot.addWidget(page)
    page.load()
    assert page.gpus.currentData() == 0 and page.gpus.currentText() == "none (CPU only)"
    form, problems = page.config_from_form()
    assert problems == [] and form.job.accelerator_count == 0 and form.job.machine_type == "n1-highmem-4"
