"""The cloud-schedule fakes refuse what Google refuses: no token, an unknown field, a bad enum, a missing
required field, a malformed id, a duplicate, a stale IAM etag. Against a lenient fake a broken request from
core/app/cloud_steps.py would pass its tests."""

from __future__ import annotations

import json
import urllib.error
import urllib.request

import grpc
import pytest

from tests.integration.fakes.cloud_server import FakeCloud

P = "projects/demo-proj"
L = f"{P}/locations/us-central1"


def _call(url: str, verb: str = "POST", body: object | None = None, token: str | None = None) -> tuple[int, dict]:
    data = json.dumps(body).encode() if body is not None else None
    headers = {"Content-Type": "application/json", **({"Authorization": f"Bearer {token}"} if token else {})}
    request = urllib.request.Request(url, data=data, method=verb, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=5) as reply:
            return reply.status, json.loads(reply.read() or b"{}")
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read())


RUN_JOB = {"template": {"template": {"containers": [{"image": "busybox"}]}}}
DAILY = {"name": f"{L}/jobs/d", "schedule": "0 1 * * *", "timeZone": "Asia/Seoul",
         "httpTarget": {"uri": f"https://run.googleapis.com/v2/{L}/jobs/j:run",
                        "oauthToken": {"serviceAccountEmail": "a@demo-proj.iam.gserviceaccount.com"}}}
SECRET = {"replication": {"automatic": {}}}


@pytest.fixture
def fake():
    with FakeCloud() as fake:
        yield fake


def _open(fake: FakeCloud) -> None:
    """Tokens not checked (these tests send raw requests) and every API enabled."""
    for server in fake.rest:
        server.auth.required = False
        fake.project.enabled.add(server.service)


def test_an_api_not_enabled_answers_403_service_disabled(fake):
    fake.scheduler.auth.required = False
    code, reply = _call(fake.scheduler.url + f"/v1/{L}/jobs/d", "GET")
    assert code == 403 and reply["error"]["details"][0]["reason"] == "SERVICE_DISABLED"


def test_every_fake_refuses_a_call_without_a_token(fake):
    for server, path in ((fake.run, f"/v2/{L}/jobs?jobId=j"), (fake.scheduler, f"/v1/{L}/jobs"),
                         (fake.secretmanager, f"/v1/{P}/secrets?secretId=s")):
        code, body = _call(server.url + path, body={})
        assert code == 401 and body["error"]["status"] == "UNAUTHENTICATED"
        assert server.auth.rejected == ["CREDENTIALS_MISSING"]
    channel = grpc.insecure_channel(fake.iam.endpoint)
    from google.cloud import iam_admin_v1

    get = channel.unary_unary("/google.iam.admin.v1.IAM/GetServiceAccount",
                              request_serializer=iam_admin_v1.GetServiceAccountRequest.serialize,
                              response_deserializer=iam_admin_v1.ServiceAccount.deserialize)
    with pytest.raises(grpc.RpcError) as caught:
        get(iam_admin_v1.GetServiceAccountRequest(name=f"{P}/serviceAccounts/x@demo-proj.iam.gserviceaccount.com"))
    assert caught.value.code() is grpc.StatusCode.UNAUTHENTICATED
    channel.close()


@pytest.mark.parametrize(("api", "path", "body", "field"), [
    ("run", f"/v2/{L}/jobs?jobId=j", {**RUN_JOB, "colour": "red"}, "colour"),
    ("run", f"/v2/{L}/jobs?jobId=j", {**RUN_JOB, "launchStage": "SOON"}, "launch_stage"),
    ("run", f"/v2/{L}/jobs?jobId=j", {"labels": {"t4panel": "x"}}, "template"),
    ("scheduler", f"/v1/{L}/jobs", {**DAILY, "colour": "red"}, "colour"),
    ("scheduler", f"/v1/{L}/jobs", {**DAILY, "httpTarget": {**DAILY["httpTarget"], "httpMethod": "FETCH"}},
     "http_target.http_method"),
    ("secretmanager", f"/v1/{P}/secrets?secretId=s", {**SECRET, "colour": "red"}, "colour"),
    ("secretmanager", f"/v1/{P}/secrets?secretId=s", {**SECRET, "secretType": "PASSWORD"}, "secret_type"),
    ("secretmanager", f"/v1/{P}/secrets/s:addVersion", {}, "payload"),
])
def test_a_body_outside_googles_schema_gets_400_naming_the_field(fake, api, path, body, field):
    _open(fake)
    code, reply = _call(getattr(fake, api).url + path, body=body)
    assert code == 400 and reply["error"]["status"] == "INVALID_ARGUMENT"
    assert field in {v["field"] for v in reply["error"]["details"][0]["fieldViolations"]}


@pytest.mark.parametrize(("api", "path", "body", "words"), [
    ("run", f"/v2/{L}/jobs?jobId=Bad_Name", RUN_JOB, "Invalid job id"),
    ("run", f"/v2/{L}/jobs?jobId=j", {**RUN_JOB, "template": {"template": {
        "containers": [{"image": "b"}], "timeout": f"{169 * 3600}s"}}}, "168 hours"),
    ("scheduler", f"/v1/{L}/jobs", {**DAILY, "schedule": "0 25 * * *"}, "out of range"),
    ("scheduler", f"/v1/{L}/jobs", {**DAILY, "timeZone": "Mars/Base"}, "time zone"),
    ("scheduler", f"/v1/{L}/jobs", {**DAILY, "httpTarget": {"uri": DAILY["httpTarget"]["uri"]}}, "oauthToken"),
    ("secretmanager", f"/v1/{P}/secrets?secretId=no%20spaces", SECRET, "Invalid secret id"),
    ("secretmanager", f"/v1/{P}/secrets?secretId=s", {}, "replication"),
])
def test_googles_rules_beyond_the_schema(fake, api, path, body, words):
    _open(fake)
    code, reply = _call(getattr(fake, api).url + path, body=body)
    assert code == 400 and words in reply["error"]["message"]


def test_duplicates_get_409_and_missing_names_404(fake):
    _open(fake)
    assert _call(fake.secretmanager.url + f"/v1/{P}/secrets?secretId=s", body=SECRET)[0] == 200
    code, reply = _call(fake.secretmanager.url + f"/v1/{P}/secrets?secretId=s", body=SECRET)
    assert code == 409 and reply["error"]["status"] == "ALREADY_EXISTS"
    assert _call(fake.run.url + f"/v2/{L}/jobs/nothing", "GET")[0] == 404
    assert _call(fake.scheduler.url + f"/v1/{L}/jobs/nothing", "DELETE")[0] == 404


def test_a_policy_written_with_a_stale_etag_is_aborted(fake):
    _open(fake)
    assert _call(fake.secretmanager.url + f"/v1/{P}/secrets?secretId=s", body=SECRET)[0] == 200
    url = fake.secretmanager.url + f"/v1/{P}/secrets/s"
    policy = _call(url + ":getIamPolicy", "GET")[1]
    binding = {"role": "roles/secretmanager.secretAccessor", "members": ["user:a@example.com"]}
    assert _call(url + ":setIamPolicy", body={"policy": {**policy, "bindings": [binding]}})[0] == 200
    code, reply = _call(url + ":setIamPolicy", body={"policy": {**policy, "bindings": []}})  # the old etag
    assert code == 409 and reply["error"]["status"] == "ABORTED"


def test_setup_reads_a_raced_project_policy_again_and_keeps_the_other_writers_binding(google_signed_in, monkeypatch):
    from core.app.cloud_setup import CloudSchedule
    from tests.integration.cloud_fixtures import RUNNER, SECRETS, vertex_config
    from tests.integration.fakes.storage_server import FakeStorage

    with FakeCloud() as fake, FakeStorage() as storage:
        for name, url in fake.env().items():
            monkeypatch.setenv(name, url)
        monkeypatch.setenv("STORAGE_EMULATOR_HOST", storage.url)
        fake.policy_races = 2
        CloudSchedule(vertex_config(), secrets=SECRETS).setup()
        policy = fake.project.project_policy
    assert {("roles/viewer", "user:racer1@example.com"), ("roles/viewer", "user:racer0@example.com")} <= set(policy)
    assert {r for r, m in policy if m == RUNNER} == {"roles/aiplatform.user", "roles/logging.viewer"}
