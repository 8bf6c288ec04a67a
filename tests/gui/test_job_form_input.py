"""Issue 13 items 9 and 11 on the Job page: the command is checked for the chosen backend as you type,
and red messages appear and go without moving any field (a click lands where the operator aimed)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint

from core.store.config import AppConfig


@pytest.fixture
def page(qtbot):
    from gui.job_page import JobPage

    cfg = AppConfig()
    page = JobPage(lambda: cfg)
    qtbot.addWidget(page)
    page.resize(900, 1100)
    page.show()
    qtbot.waitExposed(page)
    return page


def _vertex(page, command: str) -> None:
    page.backend.setCurrentIndex(page.backend.findData("vertex"))
    page.project.setText("my-team-predict")
    page.image.setText("asia-northeast3-docker.pkg.dev/my-team-predict/jobs/predict:latest")
    page.command.setText(command)


@pytest.mark.parametrize("command", ["{python} -u {sample_job}", "{python} predict.py", "python {sample_job}",
                                     "python {resources}/x.py"])
def test_vertex_refuses_the_computers_placeholders_as_you_type(page, command):
    _vertex(page, command)
    err = page.errors["command"]
    assert err.isVisibleTo(page)
    assert "Vertex AI" in err.text() and "python -u predict.py" in err.text()  # says what to enter instead
    assert not page.save_button.isEnabled()
    page.command.setText("python -u predict.py")
    assert not err.isVisibleTo(page) and page.save_button.isEnabled()


def test_this_computer_keeps_the_sample_command(page):
    page.backend.setCurrentIndex(page.backend.findData("local"))
    page.command.setText("{python} -u {sample_job}")
    assert not page.errors["command"].isVisibleTo(page)
    assert page.save_button.isEnabled()
    _vertex(page, "{python} -u {sample_job}")
    assert page.errors["command"].isVisibleTo(page)
    page.backend.setCurrentIndex(page.backend.findData("local"))  # switching back clears it
    assert not page.errors["command"].isVisibleTo(page) and page.save_button.isEnabled()


def _positions(qtbot, page) -> dict[str, QPoint]:
    qtbot.wait(50)  # let the layout settle
    fields = {"machine": page.machine, "gpus": page.gpus, "command": page.command, "spot": page.spot,
              "runtime": page.runtime, "save": page.save_button}
    return {name: w.mapTo(page, QPoint(0, 0)) for name, w in fields.items()}


def test_fields_stay_put_when_messages_appear_and_go(qtbot, page):
    before = _positions(qtbot, page)
    page.machine.setCurrentText("n2-standard-4")  # a message under the machine type, above Spot
    page.env.setPlainText("not a pair")
    assert page.errors["machine_type"].isVisibleTo(page) and page.errors["env"].isVisibleTo(page)
    assert _positions(qtbot, page) == before
    page.machine.setCurrentText("n1-standard-4")
    page.env.setPlainText("")
    assert not page.errors["machine_type"].isVisibleTo(page)
    assert _positions(qtbot, page) == before


def test_a_long_message_keeps_its_whole_text_for_the_tooltip(qtbot, page):
    before = _positions(qtbot, page)
    page.env.setPlainText("\n".join(f"line {n}" for n in range(12)))  # twelve problems: a long message
    err = page.errors["env"]
    assert "Line 12" in err.text() and err.toolTip() == err.text()
    assert _positions(qtbot, page) == before


def test_schedule_fields_stay_put_too(qtbot):
    from gui.schedule_page import SchedulePage

    cfg = AppConfig()
    cfg.schedule.enabled = True
    page = SchedulePage(lambda: cfg, lambda new: None)
    qtbot.addWidget(page)
    page.resize(900, 700)
    page.show()
    qtbot.waitExposed(page)

    def where():
        qtbot.wait(50)
        return [w.mapTo(page, QPoint(0, 0)) for w in (page.time, page.zone, page.catch_up, page.save_button)]

    before = where()
    page.zone.setEditText("Mars/Olympus")
    for box in page.weekdays.values():
        box.setChecked(False)
    assert page.errors["timezone"].isVisibleTo(page) and page.errors["weekdays"].isVisibleTo(page)
    assert where() == before
