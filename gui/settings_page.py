"""Settings: the Google account, the Supabase keys and where secrets are kept. Every keyring, network
and file call runs through `Tasks`, so the window never freezes."""

from __future__ import annotations

import copy
import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, QUrl, Signal, Slot
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from core.errors import SecretsError, T4Error
from core.google import auth
from core.google.auth import AuthMode, AuthSettings, GoogleSignIn, SignInCancelled
from core.store import secrets
from core.store.config import AppConfig, supabase_url_problem, validate
from core.store.secrets import SecretStore
from gui.core_text import core_sentence, error_message, error_title, message_text, problem_text
from gui.tasks import Tasks

log = logging.getLogger(__name__)


class SettingsPage(QWidget):
    """Signals:
        signedIn(str): the Google account's email ("" when unknown) after a sign-in.
        signedOut(): the stored sign-in was removed.
        problem(str, str): (title, message) worth a dialog.
        browserRequested(str): internal; carries the sign-in URL from the worker to the UI thread.

    Args:
        tasks: the app's worker pool.
        get_config / save_config: the saved AppConfig and a non-blocking way to save it.
        store: the app's SecretStore (shared with the controller, so "this session only" reaches runs).
        open_url: opens the sign-in page (default: the system browser via QDesktopServices).
    """

    signedIn = Signal(str)
    signedOut = Signal()
    problem = Signal(str, str)
    browserRequested = Signal(str)

    def __init__(self, tasks: Tasks, get_config: Callable[[], AppConfig], save_config: Callable[[AppConfig], Any],
                 store: SecretStore | None = None, parent: QWidget | None = None, *,
                 open_url: Callable[[str], Any] | None = None, sign_in_timeout: int = auth.DEFAULT_SIGN_IN_TIMEOUT,
                 projects_endpoint: str | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("settingsPage")
        self.tasks, self.get_config, self.save_config = tasks, get_config, save_config
        self.store = store if store is not None else SecretStore()
        self.open_url = open_url or (lambda url: QDesktopServices.openUrl(QUrl(url)))
        self.sign_in_timeout, self.projects_endpoint = sign_in_timeout, projects_endpoint
        self._sign_in: GoogleSignIn | None = None
        self._cancel_requested = False
        self._client_path = ""  # auth.json's client_config_path (set by older versions), passed on unchanged
        self.browserRequested.connect(self._open_browser)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self.tr("<h2>Settings</h2>")))
        layout.addWidget(self._build_google())
        layout.addWidget(self._build_supabase())
        from gui.keys_choice import KeysChoice

        self.keys_choice = KeysChoice(get_config, save_config, self)
        layout.addWidget(self.keys_choice)
        layout.addWidget(self._build_keyring())
        layout.addStretch(1)
        self._loading = True  # set from saved state: do not write it back
        for button in self.mode_buttons.values():
            button.toggled.connect(self._mode_changed)
        self._apply_mode()
        self._loading = False
        self.refresh()

    # ---------------------------------------------------------------- layout

    def _build_google(self) -> QGroupBox:
        box = QGroupBox(self.tr("Google account"), self)
        form = QFormLayout(box)
        self.mode_group = QButtonGroup(box)
        self.mode_buttons: dict[AuthMode, QRadioButton] = {}
        modes = QVBoxLayout()
        for mode, text in ((AuthMode.OAUTH, self.tr("Sign in with Google")),
                           (AuthMode.ADC, self.tr("Application Default Credentials (gcloud)")),
                           (AuthMode.SERVICE_ACCOUNT, self.tr("Service-account key file"))):
            button = QRadioButton(text, box)
            self.mode_group.addButton(button)
            self.mode_buttons[mode] = button
            modes.addWidget(button)
        self.mode_buttons[AuthMode.OAUTH].setChecked(True)
        form.addRow(self.tr("How to sign in"), modes)
        self.sa_edit = QLineEdit(box)
        self.sa_edit.setPlaceholderText(self.tr("Only the path is saved, never the key"))
        form.addRow(self.tr("Key file"), self._with_browse(self.sa_edit, self.tr("Choose...")))
        row = QHBoxLayout()
        self.sign_in_button = QPushButton(self.tr("Sign in with Google"), box)
        self.sign_in_button.setObjectName("signInButton")
        self.sign_in_button.clicked.connect(self._sign_in_clicked)
        self.cancel_sign_in_button = QPushButton(self.tr("Cancel"), box)
        self.cancel_sign_in_button.setObjectName("cancelSignInButton")
        self.cancel_sign_in_button.clicked.connect(self._cancel_sign_in)
        self.cancel_sign_in_button.hide()
        self.sign_out_button = QPushButton(self.tr("Sign out"), box)
        self.sign_out_button.setObjectName("signOutButton")
        self.sign_out_button.clicked.connect(self._sign_out)
        self.sign_out_button.setEnabled(False)
        for w in (self.sign_in_button, self.cancel_sign_in_button, self.sign_out_button):
            row.addWidget(w)
        row.addStretch(1)
        form.addRow(row)
        self.account_label = QLabel(self.tr("Checking..."), box)
        self.account_label.setObjectName("accountLabel")
        self.account_label.setWordWrap(True)
        self.account_label.setOpenExternalLinks(True)
        form.addRow(self.account_label)
        self.project_combo = QComboBox(box)
        self.project_combo.setEditable(True)  # typing an id stays possible
        self.project_combo.setObjectName("projectCombo")
        projects = QHBoxLayout()
        projects.addWidget(self.project_combo, 1)
        self.list_projects_button = QPushButton(self.tr("List my projects"), box)
        self.list_projects_button.clicked.connect(self._list_projects)
        self.use_project_button = QPushButton(self.tr("Use this project"), box)
        self.use_project_button.clicked.connect(self._use_project)
        projects.addWidget(self.list_projects_button)
        projects.addWidget(self.use_project_button)
        form.addRow(self.tr("Google Cloud project"), projects)
        return box

    def _build_supabase(self) -> QGroupBox:
        box = QGroupBox(self.tr("Supabase"), self)
        form = QFormLayout(box)
        self.url_edit = QLineEdit(box)
        self.url_edit.setObjectName("supabaseUrl")
        self.url_edit.setPlaceholderText("https://<project>.supabase.co")
        form.addRow(self.tr("Project URL"), self.url_edit)
        self.key_edit = QLineEdit(box)
        self.key_edit.setObjectName("supabaseKey")
        self.key_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.reveal_button = QToolButton(box)
        self.reveal_button.setObjectName("revealKeyButton")
        self.reveal_button.setText(self.tr("Show"))
        self.reveal_button.setCheckable(True)
        self.reveal_button.toggled.connect(self._reveal)
        key_row = QHBoxLayout()
        key_row.addWidget(self.key_edit, 1)
        key_row.addWidget(self.reveal_button)
        form.addRow(self.tr("API key"), key_row)
        self.table_edit = QLineEdit(self.get_config().supabase.results_table, box)
        self.table_edit.setObjectName("resultsTable")
        self.table_edit.setPlaceholderText(self.tr("The table your job writes, e.g. predictions"))
        form.addRow(self.tr("Results table"), self.table_edit)
        row = QHBoxLayout()
        self.save_supabase_button = QPushButton(self.tr("Save"), box)
        self.save_supabase_button.setObjectName("saveSupabaseButton")
        self.save_supabase_button.clicked.connect(self._save_supabase)
        self.test_button = QPushButton(self.tr("Test connection"), box)
        self.test_button.setObjectName("testConnectionButton")
        self.test_button.clicked.connect(self._test_connection)
        self.busy = QProgressBar(box)
        self.busy.setObjectName("supabaseBusy")
        self.busy.setRange(0, 0)  # an endless bar: "working"
        self.busy.setMaximumWidth(120)
        self.busy.hide()
        for w in (self.save_supabase_button, self.test_button, self.busy):
            row.addWidget(w)
        row.addStretch(1)
        form.addRow(row)
        self.supabase_label = QLabel(box)
        self.supabase_label.setObjectName("supabaseResult")
        self.supabase_label.setWordWrap(True)
        form.addRow(self.supabase_label)
        return box

    def _build_keyring(self) -> QGroupBox:
        box = QGroupBox(self.tr("Where secrets are kept"), self)
        col = QVBoxLayout(box)
        self.keyring_label = QLabel(self.tr("Checking the keyring..."), box)
        self.keyring_label.setObjectName("keyringLabel")
        self.keyring_label.setWordWrap(True)
        self.session_button = QPushButton(self.tr("Keep for this session only"), box)
        self.session_button.setObjectName("sessionOnlyButton")
        self.session_button.setToolTip(self.tr("Keep secrets in memory until T4 Panel closes; nothing is written."))
        self.session_button.clicked.connect(self._keep_for_session)
        self.session_button.hide()
        col.addWidget(self.keyring_label)
        col.addWidget(self.session_button)
        return box

    def _with_browse(self, edit: QLineEdit, text: str) -> QWidget:
        holder = QWidget(self)
        row = QHBoxLayout(holder)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(edit, 1)
        button = QPushButton(text, holder)
        button.clicked.connect(lambda: self._browse(edit))
        row.addWidget(button)
        edit.editingFinished.connect(self._save_auth_settings)
        return holder

    # ---------------------------------------------------------------- state

    def refresh(self) -> None:
        """Re-read keyring, sign-in and Supabase state (in the background)."""
        def load() -> dict[str, Any]:
            state: dict[str, Any] = {"settings": auth.load_auth_settings(), "adc": auth.adc_available()}
            state["backend"] = self.store.backend_description()
            try:
                state.update(email=auth.signed_in_email(self.store), url=self.store.get(secrets.SUPABASE_URL),
                             key=self.store.get(secrets.SUPABASE_KEY))
            except SecretsError as exc:
                state["keyring_error"] = exc
            return state

        self.tasks.run(load, self._loaded, self._failed)

    def _loaded(self, state: dict[str, Any]) -> None:
        settings: AuthSettings = state["settings"]
        self._loading = True
        self.mode_buttons[settings.mode].setChecked(True)
        self._client_path = settings.client_config_path  # kept as it was: an older version's imported client
        self.sa_edit.setText(settings.service_account_path)
        self._loading = False
        adc = self.mode_buttons[AuthMode.ADC]
        adc.setText(self.tr("Application Default Credentials (gcloud)") + " - " +
                    (self.tr("found") if state["adc"] else self.tr("not set up")))
        if "keyring_error" in state:
            self._show_keyring_problem(state["keyring_error"])
        else:
            self.keyring_label.setText(self.tr("Secrets are kept in: %1").replace(
                "%1", core_sentence(state["backend"])))
            self.session_button.hide()
            self.url_edit.setText(state.get("url") or "")
            self.key_edit.setText(state.get("key") or "")
        self._show_account(state.get("email"))
        project = self.get_config().job.project_id
        if project and self.project_combo.findText(project) < 0:
            self.project_combo.addItem(project)
        self.project_combo.setCurrentText(project)

    def _show_account(self, email: str | None) -> None:
        mode = self._mode()
        if mode is AuthMode.OAUTH:
            signed_in = email is not None
            self.account_label.setText(
                self.tr("Signed in as %1.").replace("%1", email or self.tr("a Google account")) if signed_in
                else self.tr("Not signed in. Sign in to run on Vertex AI, or keep running on this computer."))
            self.sign_out_button.setEnabled(signed_in)

    def _show_keyring_problem(self, exc: SecretsError) -> None:
        self.keyring_label.setText(f"<b>{error_title(exc)}</b><br>{error_message(exc)}")
        self.session_button.setVisible(not self.store.session_only)

    def _failed(self, exc: BaseException) -> None:
        if isinstance(exc, SecretsError):
            self._show_keyring_problem(exc)
        title, message = error_title(exc), error_message(exc)
        if not isinstance(exc, SecretsError):
            self.account_label.setText(message)
        self.problem.emit(title, message)

    def _mode(self) -> AuthMode:
        return next(m for m, b in self.mode_buttons.items() if b.isChecked())

    def _mode_changed(self, checked: bool) -> None:
        if checked:
            self._apply_mode()
            if not self._loading:
                self._save_auth_settings()

    def _apply_mode(self) -> None:
        oauth = self._mode() is AuthMode.OAUTH
        self.sign_in_button.setText(self.tr("Sign in with Google") if oauth else self.tr("Check and use"))
        self.sign_out_button.setVisible(oauth)
        self.sa_edit.parentWidget().setEnabled(self._mode() is AuthMode.SERVICE_ACCOUNT)

    def _auth_settings(self) -> AuthSettings:
        return AuthSettings(self._mode(), self._client_path, self.sa_edit.text().strip())

    def _save_auth_settings(self) -> None:
        settings = self._auth_settings()
        self.tasks.run(lambda: auth.save_auth_settings(settings), None, self._failed)

    def _browse(self, edit: QLineEdit) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Choose a JSON file"), "", self.tr("JSON files (*.json)"))
        if path:
            edit.setText(path)
            self._save_auth_settings()

    # ---------------------------------------------------------------- Google

    def _sign_in_clicked(self) -> None:
        settings = self._auth_settings()
        if settings.mode is not AuthMode.OAUTH:
            self.account_label.setText(self.tr("Checking the credentials..."))
            project = self.get_config().job.project_id or None
            self.tasks.run(lambda: auth.google_credentials(settings, self.store, project), self._credentials_ok,
                           self._failed)
            return
        self._cancel_requested = False
        self._set_waiting(True)

        def work() -> auth.SignInResult:
            # the organisation's client: built into the app, in the config folder, or T4PANEL_OAUTH_CLIENT_FILE;
            # with none, AuthError(NO_CLIENT) explains the other ways in (no file picker for operators)
            flow = GoogleSignIn(auth.find_client_config(settings), self.store,
                                self.browserRequested.emit, self.sign_in_timeout)
            self._sign_in = flow
            if self._cancel_requested:
                flow.cancel()
            return flow.run()

        self.tasks.run(work, self._signed_in, self._sign_in_failed)

    def _credentials_ok(self, creds: Any) -> None:
        who = getattr(creds, "service_account_email", None)
        self.account_label.setText(self.tr("Using %1.").replace("%1", who) if who else
                                   self.tr("Using Application Default Credentials."))

    @Slot(str)
    def _open_browser(self, url: str) -> None:
        self.account_label.setText(self.tr('Waiting for the browser... Finish signing in there. '
                                           'If no browser opened, <a href="%1">open the sign-in page</a>.')
                                   .replace("%1", url))
        self.open_url(url)

    def _set_waiting(self, waiting: bool) -> None:
        self.sign_in_button.setEnabled(not waiting)
        self.cancel_sign_in_button.setVisible(waiting)
        if waiting:
            self.account_label.setText(self.tr("Waiting for the browser..."))

    def _cancel_sign_in(self) -> None:
        self._cancel_requested = True
        if self._sign_in is not None:
            self._sign_in.cancel()  # never blocks

    def _signed_in(self, result: auth.SignInResult) -> None:
        self._set_waiting(False)
        self._sign_in = None
        self._show_account(result.email)
        self.signedIn.emit(result.email)

    def _sign_in_failed(self, exc: BaseException) -> None:
        self._set_waiting(False)
        self._sign_in = None
        if isinstance(exc, SignInCancelled):
            self.account_label.setText(self.tr("Sign-in cancelled."))
            return
        self._failed(exc)

    def _sign_out(self) -> None:
        self.sign_out_button.setEnabled(False)
        self.tasks.run(lambda: auth.sign_out(self.store), lambda _: self._signed_out(), self._failed)

    def _signed_out(self) -> None:
        self._show_account(None)
        self.signedOut.emit()

    def _list_projects(self) -> None:
        settings, endpoint = self._auth_settings(), self.projects_endpoint
        self.list_projects_button.setEnabled(False)

        def done(found: list[tuple[str, str]]) -> None:
            self.list_projects_button.setEnabled(True)
            current = self.project_combo.currentText()
            self.project_combo.clear()
            for pid, name in found:
                self.project_combo.addItem(f"{pid}", pid)
                self.project_combo.setItemData(self.project_combo.count() - 1, name, Qt.ItemDataRole.ToolTipRole)
            self.project_combo.setCurrentText(current or (found[0][0] if found else ""))

        def failed(exc: BaseException) -> None:
            self.list_projects_button.setEnabled(True)
            self._failed(exc)

        self.tasks.run(lambda: auth.list_projects(auth.google_credentials(settings, self.store), endpoint=endpoint),
                       done, failed)

    def _use_project(self) -> None:
        cfg = copy.deepcopy(self.get_config())
        cfg.job.project_id = self.project_combo.currentText().strip()
        self.save_config(cfg)

    # ---------------------------------------------------------------- Supabase and keyring

    def _reveal(self, shown: bool) -> None:
        self.key_edit.setEchoMode(QLineEdit.EchoMode.Normal if shown else QLineEdit.EchoMode.Password)
        self.reveal_button.setText(self.tr("Hide") if shown else self.tr("Show"))

    def _save_supabase(self) -> None:
        url, key, table = self.url_edit.text().strip(), self.key_edit.text().strip(), self.table_edit.text().strip()
        cfg = copy.deepcopy(self.get_config())
        cfg.supabase.results_table = table
        self.save_supabase_button.setEnabled(False)

        def store() -> tuple[str, str | None]:
            bad = [problem_text(p) for p in validate(cfg) if p.field.startswith("supabase")]
            if bad:
                return "", bad[0]
            if url and supabase_url_problem(url):  # the same rule as `t4panel secrets set supabase-url`
                return "", self.tr("The Supabase URL must be your project's address, such as "
                                   "https://abcd1234.supabase.co (Supabase dashboard, Project Settings, API). "
                                   "Nothing was saved.")
            for name, value in ((secrets.SUPABASE_URL, url), (secrets.SUPABASE_KEY, key)):
                if value:
                    self.store.set(name, value)
                else:
                    self.store.delete(name)
            return self.store.backend_description(), None

        def done(result: tuple[str, str | None]) -> None:
            self.save_supabase_button.setEnabled(True)
            where, problem = result
            if problem:
                self.supabase_label.setText(problem)
                return
            if table != self.get_config().supabase.results_table:
                self.save_config(cfg)  # non-blocking: AppCore writes the file in a worker
            self.supabase_label.setText(self.tr("Saved. Kept in: %1.").replace("%1", where))

        def failed(exc: BaseException) -> None:
            self.save_supabase_button.setEnabled(True)
            self.supabase_label.setText(error_message(exc) if isinstance(exc, T4Error) else self.tr("Could not save."))
            self._failed(exc)

        self.tasks.run(store, done, failed)

    def _test_connection(self) -> None:
        from core.app import supabase_check  # keeps supabase off the start-up path until needed

        url, key, table = self.url_edit.text().strip(), self.key_edit.text().strip(), self.table_edit.text().strip()
        self.test_button.setEnabled(False)
        self.busy.show()
        self.supabase_label.setText(self.tr("Testing the connection..."))

        def finish(text: str) -> None:
            self.test_button.setEnabled(True)
            self.busy.hide()
            self.supabase_label.setText(text)

        def failed(exc: BaseException) -> None:
            finish(error_message(exc) if isinstance(exc, T4Error) else self.tr("The test failed."))

        self.tasks.run(lambda: supabase_check.test_connection(url, key, table), lambda m: finish(message_text(m)),
                       failed)

    def _keep_for_session(self) -> None:
        self.store.keep_for_session_only()
        self.session_button.hide()
        self.keyring_label.setText(self.tr("Secrets are kept for this session only (in memory); they are "
                                           "forgotten when T4 Panel closes."))
