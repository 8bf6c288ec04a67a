"""The operator's Google sign-in, end to end against the fakes: a refresh token in the real keyring,
access tokens from the fake OAuth server, the fakes refusing what Google refuses (google_auth.py)."""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime, timedelta

import grpc
import pytest
import requests
from google.api_core import exceptions as api_exc
from google.auth.exceptions import InvalidOperation
from keyring.backends import SecretService

from core.backends.base import LaunchRequest
from core.backends.vertex.backend import VertexBackend
from core.errors import AuthError, BackendError
from core.google import auth, endpoints
from core.google.logs import CloudLogReader, LogGate, ReadLimiter
from core.store import config as config_mod
from core.store.config import AppConfig, JobConfig
from core.store.secrets import GOOGLE_TOKEN, SecretStore
from tests.integration.fakes.logging_server import FakeLogging
from tests.integration.fakes.oauth_server import CLIENT_ID, CLIENT_SECRET
from tests.integration.fakes.vertex_server import FakeCloud, FakeVertex

PARENT = "projects/my-proj/locations/us-central1"
JOB = "4242"


@pytest.fixture
def cloud(monkeypatch):
    with FakeCloud(monkeypatch) as c:
        yield c


def _refreshes(signed_in) -> int:
    return sum(1 for r in signed_in.oauth.token_requests if r["grant_type"] == "refresh_token")


def _keyring() -> SecretStore:
    """The Secret Service itself (see conftest.google_signed_in for why not keyring's chainer)."""
    return SecretStore(backend=SecretService.Keyring())


def _list_jobs() -> list:
    return list(endpoints.job_service_client("us-central1").list_custom_jobs(parent=PARENT, timeout=5))


def _reader(job_id: str = JOB) -> CloudLogReader:
    """A reader keeping one client (and so one credential), as VertexBackend does."""
    gate = LogGate(started=datetime.now(UTC) - timedelta(seconds=30), pace=lambda: 0.0)
    client = endpoints.logging_client()
    return CloudLogReader(lambda: client, "my-proj", job_id, gate, limiter=ReadLimiter(0.0), lag_seconds=0.2)


# ------------------------------------------------------------ the fakes refuse what Google refuses


def test_rest_fake_answers_google_401_without_a_token_or_with_one_it_never_issued(cloud, google_signed_in):
    url = f"{cloud.vertex.url}/v1/{PARENT}/customJobs"
    bare = requests.post(url, json={"displayName": "x"}, timeout=5)
    forged = requests.get(url, headers={"Authorization": "Bearer ya29.made-up"}, timeout=5)
    for reply, reason in ((bare, "CREDENTIALS_MISSING"), (forged, "ACCESS_TOKEN_INVALID")):
        assert reply.status_code == 401
        error = reply.json()["error"]
        assert error["code"] == 401 and error["status"] == "UNAUTHENTICATED"
        assert error["details"][0]["reason"] == reason
    assert cloud.vertex.requests == [] and cloud.vertex.jobs == {}  # refused before anything happened


def test_grpc_fake_answers_unauthenticated_without_a_token(cloud, google_signed_in):
    from google.cloud.logging_v2.services.logging_service_v2 import LoggingServiceV2Client
    from google.cloud.logging_v2.services.logging_service_v2.transports import LoggingServiceV2GrpcTransport

    bare = LoggingServiceV2Client(transport=LoggingServiceV2GrpcTransport(
        channel=grpc.insecure_channel(cloud.logging.endpoint)))
    with pytest.raises(api_exc.Unauthenticated):
        next(iter(bare.list_log_entries(request={"resource_names": ["projects/my-proj"]}, retry=None,
                                        timeout=5).pages))
    assert cloud.logging.auth.rejected == ["CREDENTIALS_MISSING"] and cloud.logging.requests == []


def test_a_token_without_the_cloud_platform_scope_is_refused_403(cloud, google_signed_in):
    oauth = google_signed_in.oauth
    narrow = oauth.issue_refresh_token("openid")
    token = requests.post(f"{oauth.url}/token", timeout=5, data={
        "grant_type": "refresh_token", "refresh_token": narrow, "client_id": CLIENT_ID,
        "client_secret": CLIENT_SECRET}).json()["access_token"]
    reply = requests.get(f"{cloud.vertex.url}/v1/{PARENT}/customJobs", headers={"Authorization": f"Bearer {token}"},
                         timeout=5)
    assert reply.status_code == 403 and reply.json()["error"]["status"] == "PERMISSION_DENIED"
    assert cloud.vertex.auth.rejected == ["ACCESS_TOKEN_SCOPE_INSUFFICIENT"]


# ------------------------------------------------------------ the app's real credential path


def test_signed_in_app_sends_tokens_the_fake_oauth_server_issued(cloud, google_signed_in):
    cloud.logging.add(JOB, time.time() - 5, "hello")
    assert _list_jobs() == []
    assert [ln.text for ln in _reader().read_new()] == ["hello"]
    used = set(cloud.vertex.auth.seen_tokens) | set(cloud.logging.auth.seen_tokens)
    assert used and used <= set(google_signed_in.oauth.access_tokens)
    assert cloud.vertex.auth.rejected == [] and cloud.logging.auth.rejected == []
    assert _refreshes(google_signed_in) == 2  # one per client: each starts without an access token


def test_rest_401_for_a_dropped_token_refreshes_once_and_the_call_succeeds(cloud, google_signed_in):
    client = endpoints.job_service_client("us-central1")
    assert list(client.list_custom_jobs(parent=PARENT, timeout=5)) == []
    first = cloud.vertex.auth.seen_tokens[-1]
    google_signed_in.oauth.expire_access_tokens()  # Google dropped it; the client still thinks it is valid
    assert list(client.list_custom_jobs(parent=PARENT, timeout=5)) == []
    assert cloud.vertex.auth.rejected == ["ACCESS_TOKEN_EXPIRED"]
    assert _refreshes(google_signed_in) == 2 and cloud.vertex.auth.seen_tokens[-1] != first
    assert cloud.vertex.calls("list") == 2  # the refused call never reached the API


def test_grpc_unauthenticated_for_a_dropped_token_refreshes_once_and_the_read_succeeds(cloud, google_signed_in):
    cloud.logging.add(JOB, time.time() - 5, "before")
    reader = _reader()
    assert [ln.text for ln in reader.read_new()] == ["before"]
    google_signed_in.oauth.expire_access_tokens()
    cloud.logging.add(JOB, time.time() - 4, "after")
    assert [ln.text for ln in reader.read_new()] == ["after"]
    assert cloud.logging.auth.rejected == ["ACCESS_TOKEN_EXPIRED"]
    assert _refreshes(google_signed_in) == 2 and reader.problem is None


def test_revoked_sign_in_reaches_the_operator_as_sign_in_again(cloud, google_signed_in):
    google_signed_in.oauth.revoke_all()
    with pytest.raises(AuthError) as info:
        auth.google_credentials(store=_keyring())
    assert info.value.msg == auth.SIGN_IN_AGAIN

    backend = VertexBackend(min_poll_seconds=0.02, rpc_timeout=2.0, limiter=ReadLimiter(0.01))
    job = JobConfig(backend="vertex", project_id="my-proj", region="us-central1", image_uri="img:1",
                    command=["python", "x"])
    launch = LaunchRequest(run_id="rtest0001", job=job, display_name="t4-predict", labels={"t4panel-run": "rtest0001"},
                           run_dir="/nonexistent", secret_env={})
    with pytest.raises(BackendError) as launched:
        backend.launch(launch)
    assert "Sign in again" in launched.value.message and "Traceback" not in launched.value.message

    cloud.logging.add(JOB, time.time() - 5, "never shown")
    reader = _reader()
    (line,) = reader.read_new()
    assert "Sign in again" in line.text and "Traceback" not in line.text and line.text == reader.problem
    assert cloud.vertex.requests == [] and cloud.logging.requests == []  # nothing went out with a dead sign-in


def test_quota_project_is_sent_as_x_goog_user_project(cloud, google_signed_in):
    cloud.vertex.auth.user_project = "my-proj"
    cloud.logging.auth.user_project = "my-proj"
    with pytest.raises(api_exc.Forbidden):  # no project configured: no quota project, Google says 403
        _list_jobs()
    assert cloud.vertex.auth.rejected == ["USER_PROJECT_DENIED"]
    config_mod.save(AppConfig(job=JobConfig(backend="vertex", project_id="my-proj", image_uri="img:1",
                                            command=["python", "x"])))
    assert _list_jobs() == []
    assert _reader().read_new() == []
    assert cloud.vertex.auth.user_projects == ["my-proj"] and cloud.logging.auth.user_projects == ["my-proj"]


# ------------------------------------------------------------ where a token may go


def test_a_plain_http_token_endpoint_on_another_computer_is_refused(google_signed_in, monkeypatch):
    store = _keyring()
    info = json.loads(store.get(GOOGLE_TOKEN))
    store.set(GOOGLE_TOKEN, json.dumps({**info, "token_uri": "http://10.9.8.7/token"}))
    monkeypatch.delenv(auth.TOKEN_ENDPOINT_ENV)
    with pytest.raises(AuthError, match="only over https"):
        auth.google_credentials(store=store, refresh=False)
    monkeypatch.setenv(auth.TOKEN_ENDPOINT_ENV, "http://10.9.8.7/token")  # not loopback: not an override
    assert auth.token_endpoint_override() is None
    with pytest.raises(AuthError, match="only over https"):
        auth.google_credentials(store=store, refresh=False)
    assert google_signed_in.oauth.token_requests == []


def test_token_endpoint_override_replaces_googles_token_uri(google_signed_in):
    creds = auth.google_credentials(store=_keyring(), refresh=True)
    assert creds.token in google_signed_in.oauth.access_tokens
    assert creds.token_uri == f"{google_signed_in.oauth.url}/token"


def test_dev_anonymous_mode_sends_no_token_and_needs_no_sign_in(monkeypatch):
    with FakeVertex() as vertex, FakeLogging() as logs:
        monkeypatch.setenv("T4PANEL_VERTEX_ENDPOINT", vertex.url)
        monkeypatch.setenv("T4PANEL_LOGGING_ENDPOINT", logs.endpoint)
        monkeypatch.setenv("T4PANEL_DEV_ANONYMOUS", "1")
        vertex.auth.required = logs.auth.required = False
        logs.add(JOB, time.time() - 5, "dev")
        assert _list_jobs() == []
        assert [ln.text for ln in _reader().read_new()] == ["dev"]
        assert vertex.auth.seen_tokens == [""] and logs.auth.seen_tokens == [""]
        vertex.auth.required = True  # and a fake that insists sees no credential at all
        with pytest.raises(InvalidOperation):  # google-auth: anonymous credentials cannot be refreshed
            _list_jobs()
        assert vertex.auth.rejected == ["CREDENTIALS_MISSING"]


def test_revoking_the_sign_in_also_stops_the_access_token_in_use(cloud, google_signed_in):
    cloud.logging.add(JOB, time.time() - 5, "one")
    reader = _reader()
    assert [ln.text for ln in reader.read_new()] == ["one"]
    google_signed_in.oauth.revoke_all()  # e.g. the operator removed T4 Panel at myaccount.google.com
    cloud.logging.add(JOB, time.time() - 4, "two")
    (line,) = reader.read_new()
    assert "Sign in again" in line.text and reader.problem == line.text
    assert cloud.logging.auth.rejected == ["ACCESS_TOKEN_EXPIRED"]  # then the refresh met invalid_grant


def test_application_default_credentials_refresh_at_the_overridden_token_endpoint(cloud, google_signed_in, tmp_path,
                                                                                   monkeypatch):
    adc = tmp_path / "adc.json"  # what `gcloud auth application-default login` writes
    adc.write_text(json.dumps({"type": "authorized_user", "client_id": CLIENT_ID, "client_secret": CLIENT_SECRET,
                               "refresh_token": google_signed_in.oauth.issue_refresh_token(auth.CLOUD_SCOPE)}))
    monkeypatch.setenv("GOOGLE_APPLICATION_CREDENTIALS", str(adc))
    _keyring().delete(GOOGLE_TOKEN)  # no Google sign-in: ADC is the only way in
    auth.save_auth_settings(auth.AuthSettings(mode=auth.AuthMode.ADC))
    # from_authorized_user_info sets Google's token_uri; the override must still win
    assert _list_jobs() == []
    assert cloud.vertex.auth.rejected == [] and _refreshes(google_signed_in) == 1


def test_cli_run_now_with_a_revoked_sign_in_exits_2_saying_sign_in_again(cloud, google_signed_in):
    import os
    import subprocess
    import sys
    from pathlib import Path

    config_mod.save(AppConfig(job=JobConfig(backend="vertex", project_id="my-proj", image_uri="img:1",
                                            command=["python", "x"])))
    google_signed_in.oauth.revoke_all()
    repo = Path(__file__).resolve().parents[2]
    done = subprocess.run([sys.executable, str(repo / "main.py"), "run-now", "--wait"], cwd=repo, timeout=60,
                          capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(repo)})
    assert "Sign in again" in done.stderr and "Traceback" not in done.stderr
    assert cloud.vertex.jobs == {}
    assert done.returncode == 2  # DESIGN.md: 2 on a config or sign-in problem


def test_dev_anonymous_is_ignored_while_any_endpoint_is_another_computer(monkeypatch):
    monkeypatch.setenv("T4PANEL_VERTEX_ENDPOINT", "http://127.0.0.1:9")
    monkeypatch.setenv("T4PANEL_LOGGING_ENDPOINT", "127.0.0.1:9")
    monkeypatch.setenv("T4PANEL_DEV_ANONYMOUS", "1")
    assert endpoints.dev_anonymous()
    monkeypatch.setenv("T4PANEL_SCHEDULER_ENDPOINT", "https://cloudscheduler.googleapis.com")
    assert not endpoints.dev_anonymous()
    monkeypatch.delenv("T4PANEL_SCHEDULER_ENDPOINT")
    monkeypatch.delenv("T4PANEL_LOGGING_ENDPOINT")  # Logging would go to Google
    assert not endpoints.dev_anonymous()


def test_no_token_reaches_the_log_even_at_debug(cloud, google_signed_in, caplog):
    caplog.set_level("DEBUG")
    client = endpoints.job_service_client("us-central1")
    reader = _reader()
    assert list(client.list_custom_jobs(parent=PARENT, timeout=5)) == [] and reader.read_new() == []
    google_signed_in.oauth.expire_access_tokens()
    cloud.logging.add(JOB, time.time() - 5, "x")
    assert [ln.text for ln in reader.read_new()] == ["x"]
    assert list(client.list_custom_jobs(parent=PARENT, timeout=5)) == []
    assert cloud.vertex.auth.rejected == cloud.logging.auth.rejected == ["ACCESS_TOKEN_EXPIRED"]  # both refreshed
    secrets_seen = [google_signed_in.refresh_token, *google_signed_in.oauth.access_tokens]
    assert len(secrets_seen) >= 3 and caplog.records
    assert not [s for s in secrets_seen if s in caplog.text]
