"""Settings' "Keep the Supabase keys in Secret Manager" driven like an operator on a Vertex AI project: the
sentence to agree to, the checklist, the fake Secret Manager holding the keyring's keys readable by the job's
account, the choice saved only then; a key changed in Settings adds a version; a refusal leaves the choice off;
off leaves the secrets unless the operator agrees to delete them. Real client libraries, strict fakes."""

from __future__ import annotations

import pytest

from core.app import cloud_spec
from core.store import secrets
from core.store.config import AppConfig
from core.store.secrets import SecretStore
from gui.settings_page import SettingsPage
from gui.tasks import Tasks
from tests.integration.cloud_fixtures import PROJECT, SECRETS, SERVICE_AGENT, cloud, vertex_config

__all__ = ["cloud"]  # the fixture, imported for pytest
ACCESSOR = "roles/secretmanager.secretAccessor"
NAMES = {key: f"projects/{PROJECT}/secrets/{sid}" for key, sid in cloud_spec.SECRET_IDS.items()}


@pytest.fixture
def page(qtbot, tmp_path, monkeypatch, cloud):
    monkeypatch.setenv("T4PANEL_HOME", str(tmp_path / "home"))
    holder = {"cfg": vertex_config()}
    store = SecretStore(session_only=True)
    store.set(secrets.SUPABASE_URL, SECRETS["supabase-url"])
    store.set(secrets.SUPABASE_KEY, SECRETS["supabase-key"])
    tasks = Tasks()

    def save(cfg: AppConfig) -> None:
        holder["cfg"] = cfg

    p = SettingsPage(tasks, lambda: holder["cfg"], save, store)
    qtbot.addWidget(p)
    p.show()
    p.holder, p.secret_store = holder, store  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: tasks.pending == 0, timeout=10_000)
    yield p
    tasks.wait_idle(10_000)


def answer(qtbot, choice, yes: bool) -> str:
    qtbot.waitUntil(lambda: choice.confirm_box is not None and choice.confirm_box.isVisible(), timeout=5_000)
    box = choice.confirm_box
    text = box.text()
    button = next(b for b in box.buttons() if (b.objectName() == "keysConfirmYes") == yes)
    button.click()
    return text


def turn_on(qtbot, page) -> None:
    choice = page.keys_choice
    choice.secret_manager.click()
    assert choice.plain_env.isChecked()  # nothing changes until the yes and the checklist
    sentence = answer(qtbot, choice, yes=True)
    assert f"Secret Manager in Google project {PROJECT}" in sentence
    assert "Vertex AI Custom Code Service Agent" in sentence and "Owner, Editor or Secret Manager" in sentence


def test_on_asks_then_puts_the_keyrings_keys_in_secret_manager_for_the_job_then_saves(qtbot, page, cloud):
    turn_on(qtbot, page)
    choice = page.keys_choice
    qtbot.waitUntil(lambda: choice.dialog is not None and choice.dialog.completed, timeout=15_000)
    assert choice.dialog.step_states() == {"keys_apis": "done", "secrets": "done", "keys_access": "done"}
    state = cloud.fake.state
    for key, name in NAMES.items():
        assert state.versions[name] == [SECRETS[key].encode()]
        assert state.secret_policies[name].bindings == {ACCESSOR: [SERVICE_AGENT]}
    qtbot.waitUntil(lambda: page.holder["cfg"].cloud.keys_in_secret_manager is True, timeout=5_000)
    assert choice.secret_manager.isChecked() and not choice.note.isVisible()
    assert PROJECT in choice.status.text()
    choice.dialog.close_button.click()

    # a key changed in Settings while the choice is on: one new version, the URL untouched
    page.url_edit.setText(SECRETS["supabase-url"])
    page.key_edit.setText("sb_secret_ROTATED-77")
    page.save_supabase_button.click()
    qtbot.waitUntil(lambda: "Saved." in page.supabase_label.text(), timeout=10_000)
    assert "Secret Manager in project demo-proj has the new keys too." in page.supabase_label.text()
    assert state.versions[NAMES["supabase-key"]][-1] == b"sb_secret_ROTATED-77"
    assert len(state.versions[NAMES["supabase-url"]]) == 1
    assert page.secret_store.get(secrets.SUPABASE_KEY) == "sb_secret_ROTATED-77"


def test_a_refusal_shows_the_sentence_and_leaves_the_choice_off(qtbot, page, cloud):
    cloud.fake.fail_once["secretmanager.projects.secrets.create"] = 403
    turn_on(qtbot, page)
    choice = page.keys_choice
    qtbot.waitUntil(lambda: choice.dialog is not None and choice.dialog.error.isVisible(), timeout=15_000)
    assert "refused" in choice.dialog.error.text() and PROJECT in choice.dialog.error.text()
    assert SECRETS["supabase-key"] not in choice.dialog.error.text()
    assert choice.dialog.step_states()["secrets"] == "failed"
    assert page.holder["cfg"].cloud.keys_in_secret_manager is False
    assert choice.plain_env.isChecked() and choice.note.isVisible()
    choice.dialog.close_button.click()


def test_saying_no_changes_nothing(qtbot, page, cloud):
    choice = page.keys_choice
    choice.secret_manager.click()
    answer(qtbot, choice, yes=False)
    assert cloud.fake.writes == [] and page.holder["cfg"].cloud.keys_in_secret_manager is False
    assert choice.plain_env.isChecked()


@pytest.mark.parametrize("delete", [True, False])
def test_off_deletes_the_secrets_only_when_the_operator_agrees(qtbot, page, cloud, delete):
    turn_on(qtbot, page)
    choice = page.keys_choice
    qtbot.waitUntil(lambda: page.holder["cfg"].cloud.keys_in_secret_manager is True, timeout=15_000)
    choice.dialog.close_button.click()
    choice.plain_env.click()
    text = answer(qtbot, choice, yes=delete)
    assert f"project {PROJECT}" in text
    qtbot.waitUntil(lambda: page.holder["cfg"].cloud.keys_in_secret_manager is False, timeout=10_000)
    assert (cloud.fake.state.secrets == {}) is delete
    assert ("deleted" if delete else "stay in Secret Manager") in choice.status.text()


def test_off_with_the_cloud_schedule_on_keeps_the_secrets_without_asking(qtbot, page, cloud):
    turn_on(qtbot, page)
    choice = page.keys_choice
    qtbot.waitUntil(lambda: page.holder["cfg"].cloud.keys_in_secret_manager is True, timeout=15_000)
    choice.dialog.close_button.click()
    page.holder["cfg"].cloud.enabled = True
    choice.plain_env.click()
    assert choice.confirm_box is None
    assert "the cloud schedule uses them" in choice.status.text()
    assert set(cloud.fake.state.secrets) == set(NAMES.values())
