"""The cloud switch in Korean: the switch, its reason, the sentence to agree to, the checklist (core's step
titles by id) and a failed step's sentence, with no English left where the operator reads."""

from __future__ import annotations

import pytest

from core.app.cloud_setup import STEP_KEYS
from gui import i18n
from tests.gui.test_cloud_switch import answer, open_schedule, project, vertex_panel  # noqa: F401 (fixtures)
from tests.gui.test_translations import _english_words
from tests.support import panel as panel_support

make_panel = panel_support.make_panel


@pytest.fixture
def korean(qapp):
    assert i18n.install_translators(qapp, "ko") == "ko"
    yield
    i18n.remove_translators(qapp)


def test_switch_and_reason_in_korean_on_the_local_backend(qtbot, korean, make_panel):
    from core.store.config import AppConfig

    app = make_panel(AppConfig())
    _, cloud = open_schedule(qtbot, app)
    assert cloud.switch.text() == "Google Cloud에서 실행 (이 컴퓨터는 꺼져 있어도 됨)"
    assert "Vertex AI에서 실행될 때" in cloud.reason.text()
    assert _english_words(cloud.switch.text() + " " + cloud.reason.text()) == []


def test_consent_checklist_and_failed_step_in_korean(qtbot, korean, vertex_panel, project):  # noqa: F811
    app = vertex_panel()
    _, cloud = open_schedule(qtbot, app)
    project.fail_once = {"scheduler_job"}
    cloud.switch.click()
    qtbot.waitUntil(lambda: cloud.confirm_box is not None, timeout=5_000)
    box = cloud.confirm_box
    assert "Google 프로젝트 my-team-predict의 Secret Manager로 복사할까요" in box.text()
    assert "소유자, 편집자 또는 Secret Manager 역할" in box.text() and "켤까요?" in box.informativeText()
    assert _english_words(box.text() + " " + box.informativeText()) == []
    assert [b.text() for b in box.buttons() if b.objectName() == "cloudConfirmYes"] == ["켜기"]
    answer(qtbot, cloud)
    qtbot.waitUntil(lambda: cloud.dialog is not None and cloud.dialog.retry_button.isVisible(), timeout=10_000)
    dialog = cloud.dialog
    assert dialog.windowTitle() == "클라우드 일정 설정 중"
    assert dialog.retry_button.text() == "다시 시도" and dialog.close_button.text() == "닫기"
    rows = [dialog.list.item(i).text() for i in range(dialog.list.count())]
    assert len(rows) == len(STEP_KEYS)
    assert [(row, _english_words(row)) for row in rows if _english_words(row)] == []
    assert "실패한 단계에서 멈췄습니다" in dialog.status.text()
    assert dialog.progress.text() == f"{len(STEP_KEYS)}단계 중 {len(STEP_KEYS) - 1}단계 완료"
    dialog.retry_button.click()
    qtbot.waitUntil(lambda: dialog.completed, timeout=10_000)
    assert dialog.status.text() == "모든 단계가 끝났습니다."
    qtbot.waitUntil(lambda: "Google Cloud가 실행을 시작합니다" in cloud.reason.text(), timeout=5_000)
