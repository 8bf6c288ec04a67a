"""The Job page's fallbacks (issue 11 item 3): extra T4 regions in the operator's order, a warning when the image
lives elsewhere, and "run on demand" with what it costs more per run."""

from __future__ import annotations

import copy

import pytest
from PySide6.QtCore import Qt

from core import cost
from core.store import config as config_mod
from core.store.config import AppConfig, JobConfig


@pytest.fixture
def page(qtbot):
    from gui.job_page import JobPage

    cfg = AppConfig(job=JobConfig(backend="vertex", project_id="my-team-predict", region="asia-northeast3",
                                  image_uri="asia-northeast3-docker.pkg.dev/my-team-predict/jobs/predict:latest",
                                  command=["python", "-u", "predict.py"]))
    page = JobPage(lambda: cfg)
    qtbot.addWidget(page)
    page.resize(900, 1200)
    page.show()
    qtbot.waitExposed(page)
    return page


def _add(qtbot, page, region: str) -> None:
    box = page.fallbacks
    box.pick.setCurrentText(region)
    assert box.pick.currentText() == region
    qtbot.mouseClick(box.add_button, Qt.MouseButton.LeftButton)


def test_only_t4_regions_other_than_the_jobs_own_are_offered(page, qtbot):
    box = page.fallbacks
    offered = [box.pick.itemText(i) for i in range(box.pick.count())]
    assert set(offered) == set(config_mod.T4_REGIONS) - {"asia-northeast3"}
    _add(qtbot, page, "us-central1")
    assert "us-central1" not in [box.pick.itemText(i) for i in range(box.pick.count())]  # never listed twice


def test_the_order_chosen_is_the_order_saved(page, qtbot):
    _add(qtbot, page, "us-central1")
    _add(qtbot, page, "asia-northeast1")
    box = page.fallbacks
    box.list.setCurrentRow(1)
    qtbot.mouseClick(box.up_button, Qt.MouseButton.LeftButton)
    assert box.regions() == ["asia-northeast1", "us-central1"]
    page.spot.setChecked(True)
    box.on_demand.setChecked(True)
    with qtbot.waitSignal(page.saveRequested, timeout=2000) as saved:
        qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    job = saved.args[0].job
    assert job.fallback_regions == ["asia-northeast1", "us-central1"] and job.on_demand_fallback is True
    box.list.setCurrentRow(0)
    qtbot.mouseClick(box.remove_button, Qt.MouseButton.LeftButton)
    assert box.regions() == ["us-central1"]


def test_a_fallback_far_from_the_image_is_warned_on_the_form(page, qtbot):
    warning = page.fallbacks.warning
    assert not warning.isVisibleTo(page)
    _add(qtbot, page, "us-central1")
    assert warning.isVisibleTo(page)
    assert "asia-northeast3" in warning.text() and "us-central1" in warning.text()
    page.image.setText("us-docker.pkg.dev/my-team-predict/jobs/predict:latest")  # the "us" multi-region
    assert not warning.isVisibleTo(page)
    assert page.save_button.isEnabled()  # a warning, not a refusal


def test_the_jobs_region_moved_onto_a_fallback_is_refused_with_the_reason(page, qtbot):
    _add(qtbot, page, "us-central1")
    page.region.setCurrentIndex(page.region.findData("us-central1"))
    err = page.errors["fallback_regions"]
    assert err.isVisibleTo(page) and "us-central1" in err.text() and "twice" in err.text()
    assert not page.save_button.isEnabled()


def test_run_on_demand_is_offered_for_spot_jobs_with_the_cost_difference(page, qtbot):
    box = page.fallbacks
    page.spot.setChecked(False)
    assert not box.on_demand.isEnabled()
    page.spot.setChecked(True)
    assert box.on_demand.isEnabled()
    job, _ = page.job_from_form()
    cfg = page.get_config()
    spot = cost.estimate(job, cfg.schedule).per_run
    standard_job = copy.deepcopy(job)
    standard_job.spot = False
    standard = cost.estimate(standard_job, cfg.schedule).per_run
    assert standard > spot
    text = box.on_demand_cost.text()
    more = round(standard, 2) - round(spot, 2)
    assert f"${more:.2f}" in text and f"${standard:.2f}" in text and f"${spot:.2f}" in text
    assert "Prices:" in text  # with its source


def test_a_saved_unknown_fallback_region_is_shown_as_wrong(qtbot):
    from gui.job_page import JobPage

    cfg = AppConfig(job=JobConfig(backend="vertex", project_id="my-team-predict", image_uri="img:1",
                                  command=["x"], fallback_regions=["mars-north1"]))
    page = JobPage(lambda: cfg)
    qtbot.addWidget(page)
    assert page.fallbacks.regions() == ["mars-north1"]
    assert "mars-north1" in page.errors["fallback_regions"].text()
