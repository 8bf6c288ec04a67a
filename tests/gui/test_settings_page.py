"""SettingsPage with the real core underneath: Supabase save + Test connection against a fake PostgREST
server, Google sign-in / cancel / sign-out against a fake OAuth server, and the no-keyring path."""

from __future__ import annotations

import threading

import pytest
import requests
from keyring.backends import fail
from PySide6.QtWidgets import QLineEdit, QPushButton

from core import paths
from core.google import auth
from core.google.auth import AuthMode, AuthSettings, save_auth_settings
from core.store import secrets
from core.store.config import AppConfig
from core.store.secrets import SecretStore
from gui.settings_page import SettingsPage
from gui.tasks import Tasks
from tests.integration.fakes.oauth_server import EMAIL, FakeOAuthServer
from tests.integration.fakes.postgrest_server import FakePostgrest

KEY = "sb_secret_fake_0123456789abcdef"


@pytest.fixture(autouse=True)
def _env(tmp_path, monkeypatch):
    monkeypatch.setenv("T4PANEL_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("OAUTHLIB_INSECURE_TRANSPORT", "1")
    monkeypatch.setenv("NO_GCE_CHECK", "true")
    monkeypatch.setenv("CLOUDSDK_CONFIG", str(tmp_path / "gcloud"))


class Harness:
    def __init__(self, qtbot, store, **kw):
        self.saved: list[AppConfig] = []
        self.config = AppConfig()
        self.tasks = Tasks()
        self.page = SettingsPage(self.tasks, lambda: self.config, self._save, store, **kw)
        qtbot.addWidget(self.page)
        self.qtbot = qtbot

    def _save(self, cfg):
        self.saved.append(cfg)
        self.config = cfg

    def wait_text(self, label, text, timeout=8000):
        self.qtbot.waitUntil(lambda: text in label.text(), timeout=timeout)


@pytest.fixture
def harness(qtbot):
    made = []

    def make(store, **kw):
        h = Harness(qtbot, store, **kw)
        made.append(h)
        return h

    yield make
    for h in made:
        h.tasks.wait_idle(10000)


def test_save_supabase_keys_and_test_connection(harness, qtbot):
    store = SecretStore(session_only=True)
    h = harness(store)
    page = h.page
    h.wait_text(page.keyring_label, "this session only")
    assert page.key_edit.echoMode() == QLineEdit.EchoMode.Password
    with FakePostgrest(KEY, {"predictions": 1234}) as srv:
        qtbot.keyClicks(page.url_edit, srv.url)
        qtbot.keyClicks(page.key_edit, KEY)
        qtbot.keyClicks(page.table_edit, "predictions")
        page.findChild(QPushButton, "saveSupabaseButton").click()
        h.wait_text(page.supabase_label, "Saved.")
        assert store.get(secrets.SUPABASE_KEY) == KEY
        assert store.get(secrets.SUPABASE_URL) == srv.url
        assert h.saved[-1].supabase.results_table == "predictions"
        page.findChild(QPushButton, "testConnectionButton").click()
        assert page.busy.isVisibleTo(page) and not page.test_button.isEnabled()
        h.wait_text(page.supabase_label, "Connected: predictions has 1,234 rows.")
        assert not page.busy.isVisibleTo(page) and page.test_button.isEnabled()
        page.key_edit.setText("wrong-key-0123456789")
        page.test_button.click()
        h.wait_text(page.supabase_label, "Supabase refused the key")
    page.reveal_button.click()
    assert page.key_edit.echoMode() == QLineEdit.EchoMode.Normal


def test_no_keyring_offers_this_session_only(harness):
    store = SecretStore(backend=fail.Keyring())
    h = harness(store)
    h.wait_text(h.page.keyring_label, "No keyring is available")
    assert h.page.session_button.isVisibleTo(h.page)
    h.page.session_button.click()
    assert store.session_only
    assert "this session only" in h.page.keyring_label.text()


def _browser(url: str) -> None:
    threading.Thread(target=lambda: requests.get(url, timeout=10), daemon=True).start()


def test_sign_in_with_google_then_sign_out(harness, qtbot, tmp_path):
    """The organisation's client in the config folder (a source install): no file to pick, the button signs in."""
    store = SecretStore(session_only=True)
    with FakeOAuthServer() as srv:
        import json

        client = paths.config_dir() / auth.OAUTH_CLIENT_FILE
        client.parent.mkdir(parents=True, exist_ok=True)
        client.write_text(json.dumps(srv.client_config()))
        h = harness(store, open_url=_browser, sign_in_timeout=10, projects_endpoint=srv.url)
        page = h.page
        h.wait_text(page.account_label, "Not signed in")
        assert [b.text() for b in page.findChildren(QPushButton) if b.text() == "Import..."] == []  # no picker
        button = page.findChild(QPushButton, "signInButton")
        with qtbot.waitSignal(page.signedIn, timeout=10000) as signal:
            button.click()
        assert signal.args == [EMAIL]
        assert page.account_label.text() == f"Signed in as {EMAIL}."
        assert store.get(secrets.GOOGLE_TOKEN)
        page.list_projects_button.click()
        qtbot.waitUntil(lambda: page.project_combo.count() == 2, timeout=8000)
        page.project_combo.setCurrentText("beta-project")
        page.use_project_button.click()
        assert h.saved[-1].job.project_id == "beta-project"
        with qtbot.waitSignal(page.signedOut, timeout=8000):
            page.sign_out_button.click()
        assert store.get(secrets.GOOGLE_TOKEN) is None
        assert len(srv.revoked) == 1


def test_cancel_while_waiting_for_the_browser(harness, qtbot, tmp_path, monkeypatch):
    opened: list[str] = []
    with FakeOAuthServer() as srv:
        client = tmp_path / "client.json"
        import json

        client.write_text(json.dumps(srv.client_config()))
        monkeypatch.setenv(auth.OAUTH_CLIENT_ENV, str(client))  # the variable a source install may set
        h = harness(SecretStore(session_only=True), open_url=opened.append, sign_in_timeout=60)
        page = h.page
        h.wait_text(page.account_label, "Not signed in")
        page.sign_in_button.click()
        assert page.cancel_sign_in_button.isVisibleTo(page) and not page.sign_in_button.isEnabled()
        h.wait_text(page.account_label, "Waiting for the browser")
        qtbot.waitUntil(lambda: bool(opened), timeout=5000)
        assert opened[0].startswith(srv.url + "/o/oauth2/auth?")
        page.cancel_sign_in_button.click()
        h.wait_text(page.account_label, "Sign-in cancelled.", timeout=5000)
        assert page.sign_in_button.isEnabled() and not page.cancel_sign_in_button.isVisibleTo(page)


def test_no_secret_reaches_files_or_the_log(harness, qtbot, tmp_path):
    """Sign in, save Supabase keys, test the connection with the app log at DEBUG: nothing secret is written
    under T4PANEL_HOME (config, auth.json, the app log)."""
    import json
    import logging

    from core.app import applog

    root = logging.getLogger()
    before = list(root.handlers)
    level = root.level
    applog.setup(verbose=True)
    store = SecretStore(session_only=True)
    try:
        with FakeOAuthServer() as oauth_srv, FakePostgrest(KEY, {"predictions": 5}) as pg:
            client = tmp_path / "outside" / "client.json"
            client.parent.mkdir()
            client.write_text(json.dumps(oauth_srv.client_config()))
            save_auth_settings(AuthSettings(AuthMode.OAUTH, client_config_path=str(client)))
            h = harness(store, open_url=_browser, sign_in_timeout=10)
            page = h.page
            h.wait_text(page.account_label, "Not signed in")
            with qtbot.waitSignal(page.signedIn, timeout=10000):
                page.sign_in_button.click()
            page.url_edit.setText(pg.url)
            page.key_edit.setText(KEY)
            page.table_edit.setText("predictions")
            page.save_supabase_button.click()
            h.wait_text(page.supabase_label, "Saved.")
            page.test_button.click()
            h.wait_text(page.supabase_label, "Connected: predictions has 5 rows.")
            from core.google import auth

            creds = auth.google_credentials(AuthSettings(AuthMode.OAUTH), store)  # a refresh, as at restart
            assert auth.list_projects(creds, endpoint=oauth_srv.url)
            token = json.loads(store.get(secrets.GOOGLE_TOKEN))
            access = list(oauth_srv.access_tokens)
            assert len(access) == 2
    finally:
        for handler in root.handlers[:]:
            if handler not in before:
                root.removeHandler(handler)
                handler.close()
        root.setLevel(level)
    home = tmp_path / "home"
    written = "\n".join(p.read_text(errors="replace") for p in home.rglob("*") if p.is_file())
    assert "signed in to Google" in written  # the log was really written
    for secret in [KEY, pg.url, token["refresh_token"], token["client_secret"], *access]:
        assert secret not in written, f"a secret leaked into {home}"


def test_bad_table_name_is_refused_before_anything_is_saved(harness):
    store = SecretStore(session_only=True)
    h = harness(store)
    h.wait_text(h.page.keyring_label, "this session only")
    h.page.url_edit.setText("https://abc.supabase.co")
    h.page.key_edit.setText(KEY)
    h.page.table_edit.setText("drop table;")
    h.page.save_supabase_button.click()
    h.wait_text(h.page.supabase_label, "The results table is a table name")
    assert store.get(secrets.SUPABASE_KEY) is None and h.saved == []


def test_without_a_client_the_button_explains_the_three_ways_in(harness, qtbot, tmp_path):
    """No client built in, none in the config folder, no T4PANEL_OAUTH_CLIENT_FILE: the button starts nothing
    and says, in plain words, how to get in instead."""
    opened: list[str] = []
    h = harness(SecretStore(session_only=True), open_url=opened.append, sign_in_timeout=10)
    page = h.page
    h.wait_text(page.account_label, "Not signed in")
    with qtbot.waitSignal(page.problem, timeout=8000) as problem:
        page.sign_in_button.click()
    title, text = problem.args
    assert title == "Sign-in setup needed"
    assert "administrator" in text and "gcloud auth application-default login" in text and "Service-account" in text
    assert "OAuth client file" not in text and "import" not in text.lower()
    assert page.account_label.text() == text and page.sign_in_button.isEnabled() and opened == []


def test_without_a_client_the_explanation_is_korean_in_korean(harness, qtbot, qapp):
    from gui import i18n

    assert i18n.install_translators(qapp, "ko") == "ko"
    try:
        h = harness(SecretStore(session_only=True), sign_in_timeout=10)
        page = h.page
        h.wait_text(page.account_label, "로그인하지 않았습니다")
        with qtbot.waitSignal(page.problem, timeout=8000) as problem:
            page.sign_in_button.click()
        title, text = problem.args
        assert title == "로그인 설정 필요"
        assert "관리자" in text and "gcloud auth application-default login" in text and "서비스 계정" in text
        assert "administrator" not in text and "could not be read" not in text
    finally:
        i18n.remove_translators(qapp)


def test_an_older_versions_imported_client_still_signs_in(harness, qtbot, tmp_path):
    """auth.json's client_config_path (the file picker of earlier versions) keeps working without a picker."""
    import json

    with FakeOAuthServer() as srv:
        client = tmp_path / "imported.json"
        client.write_text(json.dumps(srv.client_config()))
        save_auth_settings(AuthSettings(AuthMode.OAUTH, client_config_path=str(client)))
        h = harness(SecretStore(session_only=True), open_url=_browser, sign_in_timeout=10)
        h.wait_text(h.page.account_label, "Not signed in")
        with qtbot.waitSignal(h.page.signedIn, timeout=10000) as signal:
            h.page.sign_in_button.click()
        assert signal.args == [EMAIL]
        h.page.mode_buttons[AuthMode.ADC].setChecked(True)  # saving auth.json again keeps the imported path
        h.tasks.wait_idle(5000)
        assert auth.load_auth_settings().client_config_path == str(client)


@pytest.mark.parametrize("url", ["not a url", "ftp://abc.supabase.co", "https://"])
def test_an_invalid_supabase_url_is_refused_and_nothing_stored(harness, url):
    store = SecretStore(session_only=True)
    h = harness(store)
    h.wait_text(h.page.keyring_label, "this session only")
    h.page.url_edit.setText(url)
    h.page.key_edit.setText(KEY)
    h.page.save_supabase_button.click()
    h.wait_text(h.page.supabase_label, "The Supabase URL must be your project's address")
    assert store.get(secrets.SUPABASE_URL) is None and store.get(secrets.SUPABASE_KEY) is None
    assert h.saved == []
