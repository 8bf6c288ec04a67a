"""The fake Cloud Storage refuses what Google refuses, in Cloud Storage's error shape, and answers only as
Google would; it serves only a signed-in operator, and the app's occurrence claim works through it.

Driven through the real google-cloud-storage client (with the operator's credentials, as the app builds
it) and, for what that client would never send, through raw HTTP with the operator's token.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
import requests
from google.api_core import exceptions as gexc
from google.auth.credentials import AnonymousCredentials
from google.auth.exceptions import InvalidOperation
from google.cloud import storage as gcs

from core.errors import AuthError
from core.google.storage import OccurrenceClaims, bucket_name, object_name, storage_client
from tests.integration.fakes.discovery import ResponseShapeError
from tests.integration.fakes.storage_server import FakeStorage

BUCKET = "my-proj-t4panel"


@pytest.fixture
def token(google_signed_in) -> str:
    """An access token issued through the app's own path (keyring refresh token -> fake OAuth server)."""
    from google.auth.transport.requests import Request

    from core.google import endpoints

    creds = endpoints.google_credentials()
    creds.refresh(Request())
    return str(creds.token)


@pytest.fixture
def fake(monkeypatch, token):
    with FakeStorage() as server:
        monkeypatch.setenv("STORAGE_EMULATOR_HOST", server.url)
        yield server


def raw(fake: FakeStorage, verb: str, path: str, token: str | None, body: Any = None,
        params: dict[str, str] | None = None, data: bytes | None = None,
        headers: dict[str, str] | None = None) -> tuple[int, dict[str, Any]]:
    sent = dict(headers or {})
    if token is not None:
        sent["Authorization"] = f"Bearer {token}"
    reply = requests.request(verb, fake.url + path, params=params, json=body, data=data, headers=sent, timeout=10)
    return reply.status_code, (reply.json() if reply.content else {})


def the_error(code: int, payload: dict[str, Any], reason: str) -> dict[str, Any]:
    """Cloud Storage's error shape, asserted whole: the client reads error.message and error.errors."""
    assert set(payload) == {"error"}, payload
    error = payload["error"]
    assert set(error) == {"code", "message", "errors"} and error["code"] == code, error
    assert [e["reason"] for e in error["errors"]][:1] == [reason], error
    assert all(e["domain"] == "global" and e["message"] for e in error["errors"])
    return dict(error)


def test_a_bucket_with_an_unknown_field_is_refused_naming_it(fake, token):
    code, payload = raw(fake, "POST", "/storage/v1/b", token, {"name": BUCKET, "colour": "blue"},
                        {"project": "my-proj"})
    assert code == 400
    assert '"colour"' in the_error(400, payload, "invalid")["message"]
    assert fake.buckets == {}


def test_a_bad_public_access_prevention_is_refused_through_the_real_client(fake):
    client = storage_client("my-proj")
    bucket = client.bucket(BUCKET)
    bucket.iam_configuration.public_access_prevention = "open"
    with pytest.raises(gexc.BadRequest) as info:
        client.create_bucket(bucket, location="us-central1")
    assert "publicAccessPrevention" in info.value.message and "'open'" in info.value.message
    assert fake.buckets == {}
    bucket.iam_configuration.public_access_prevention = "enforced"
    assert client.create_bucket(bucket, location="us-central1").name == BUCKET  # the same, with a value Google takes


def test_a_wrong_type_and_a_bad_enum_in_the_body_are_refused(fake, token):
    code, payload = raw(fake, "POST", "/storage/v1/b", token, {"name": BUCKET, "versioning": {"enabled": "yes"}},
                        {"project": "my-proj"})
    assert code == 400 and "versioning.enabled" in the_error(400, payload, "invalid")["message"]
    mode = {"googleManagedEncryptionEnforcementConfig": {"restrictionMode": "Sometimes"}}
    body = {"name": BUCKET, "encryption": mode}
    code, payload = raw(fake, "POST", "/storage/v1/b", token, body, {"project": "my-proj"})
    assert code == 400 and "restriction_mode" in the_error(400, payload, "invalid")["message"]


def test_a_missing_required_parameter_or_field_is_refused(fake, token):
    code, payload = raw(fake, "POST", "/storage/v1/b", token, {"name": BUCKET})
    error = the_error(400, payload, "required")
    assert error["message"] == "Required parameter: project"
    assert error["errors"][0]["locationType"] == "parameter" and error["errors"][0]["location"] == "project"
    code, payload = raw(fake, "POST", "/storage/v1/b", token, {"location": "US"}, {"project": "my-proj"})
    assert code == 400 and "'name'" in the_error(400, payload, "required")["message"]  # storage.buckets.insert's
    assert fake.buckets == {}


def test_an_unknown_query_parameter_is_refused(fake, token):
    storage_client("my-proj").create_bucket(BUCKET)
    code, payload = raw(fake, "GET", f"/storage/v1/b/{BUCKET}", token, params={"colour": "blue"})
    error = the_error(400, payload, "invalidParameter")
    assert error["errors"][0]["location"] == "colour"
    assert raw(fake, "GET", f"/storage/v1/b/{BUCKET}", token, params={"projection": "noAcl"})[0] == 200
    code, payload = raw(fake, "GET", f"/storage/v1/b/{BUCKET}", token, params={"projection": "most"})
    assert code == 400 and "projection" in the_error(400, payload, "invalid")["message"]


def test_a_multipart_upload_is_matched_to_objects_insert_and_its_metadata_checked(fake, token):
    storage_client("my-proj").create_bucket(BUCKET)
    boundary = "b0undary"

    def upload(metadata: dict[str, Any], params: dict[str, str]) -> tuple[int, dict[str, Any]]:
        data = (f"--{boundary}\r\nContent-Type: application/json; charset=UTF-8\r\n\r\n{json.dumps(metadata)}\r\n"
                f"--{boundary}\r\nContent-Type: text/plain\r\n\r\nhello\r\n--{boundary}--\r\n").encode()
        return raw(fake, "POST", f"/upload/storage/v1/b/{BUCKET}/o", token, data=data,
                   params={"uploadType": "multipart", **params},
                   headers={"Content-Type": f'multipart/related; boundary="{boundary}"'})

    code, payload = upload({"name": "a", "metadata": {"k": 1}}, {})
    assert code == 400 and "metadata[k]" in the_error(400, payload, "invalid")["message"]
    code, payload = upload({"name": "a", "owner": {"entity": "me"}, "colour": "x"}, {})
    assert code == 400 and '"colour"' in the_error(400, payload, "invalid")["message"]
    code, payload = upload({"name": "a"}, {"ifGenerationMatch": "zero"})
    assert code == 400 and "if_generation_match" in the_error(400, payload, "invalid")["message"]
    assert fake.object_data(BUCKET, "a") is None
    code, payload = upload({"name": "a", "metadata": {"k": "1"}}, {"ifGenerationMatch": "0"})
    assert code == 200 and payload["name"] == "a" and fake.object_data(BUCKET, "a") == b"hello"


def test_preconditions_still_give_412_condition_not_met(fake, token):
    client = storage_client("my-proj")
    blob = client.create_bucket(BUCKET).blob("t4panel/default/occurrences/x")
    blob.upload_from_string(b"one", if_generation_match=0)
    with pytest.raises(gexc.PreconditionFailed) as info:
        client.bucket(BUCKET).blob("t4panel/default/occurrences/x").upload_from_string(b"two", if_generation_match=0)
    assert info.value.code == 412 and '"reason": "conditionNotMet"' in str(info.value)  # the upload's error text
    code, payload = raw(fake, "DELETE", f"/storage/v1/b/{BUCKET}/o/t4panel%2Fdefault%2Foccurrences%2Fx", token,
                        params={"ifGenerationMatch": str(blob.generation + 1)})
    assert code == 412 and the_error(412, payload, "conditionNotMet")["errors"][0]["location"] == "If-Match"
    assert fake.object_data(BUCKET, "t4panel/default/occurrences/x") == b"one"


def test_a_reply_google_would_never_send_fails_the_test(monkeypatch, token):
    server = FakeStorage()
    with pytest.raises(ResponseShapeError, match=r"storage\.buckets\.get"), server:
        monkeypatch.setenv("STORAGE_EMULATOR_HOST", server.url)
        client = storage_client("my-proj")
        client.create_bucket(BUCKET)
        server.buckets[BUCKET]["metageneration"] = 1  # int64 goes out as text: a number is a fake's bug
        with pytest.raises(gexc.InternalServerError):
            client.get_bucket(BUCKET, retry=None)
    assert server.shape_errors  # the client saw a 500; the test fails at the server's exit


def test_no_token_is_401_in_cloud_storages_shape_and_nothing_happens(fake, token):
    code, payload = raw(fake, "POST", "/storage/v1/b", None, {"name": BUCKET}, {"project": "my-proj"})
    assert code == 401
    error = the_error(401, payload, "required")
    assert error["errors"][0]["location"] == "Authorization" and "storage.buckets.create" in error["message"]
    code, payload = raw(fake, "POST", "/storage/v1/b", "ya29.never-issued", {"name": BUCKET}, {"project": "my-proj"})
    assert code == 401 and the_error(401, payload, "authError")["message"] == "Invalid Credentials"
    anonymous = gcs.Client(project="my-proj")  # the library's emulator mode: what the claim used to send
    assert isinstance(anonymous._credentials, AnonymousCredentials)
    with pytest.raises(InvalidOperation):  # the 401 makes google-auth try to refresh nothing
        anonymous.bucket(BUCKET).blob("o").upload_from_string(b"x", if_generation_match=0, retry=None)
    assert fake.buckets == {} and fake.requests == []  # refused before anything was read or recorded
    assert fake.auth.rejected[:2] == ["CREDENTIALS_MISSING", "ACCESS_TOKEN_INVALID"]
    assert set(fake.auth.rejected[2:]) == {"CREDENTIALS_MISSING"}  # the anonymous client's tries


def test_the_apps_claim_succeeds_with_the_signed_in_operators_token(fake, google_signed_in):
    claims = OccurrenceClaims("my-proj", "us-central1", "default")
    result = claims.claim("20261130t0100z", "rsignedin01")
    assert result.won and result.claim.run_id == "rsignedin01" and result.notice  # bucket made, operator told
    assert json.loads(fake.object_data(bucket_name("my-proj"), object_name("default", "20261130t0100z")) or b"{}")[
        "run_id"] == "rsignedin01"
    assert fake.auth.rejected == []
    used = set(fake.auth.seen_tokens)
    assert used and used <= set(google_signed_in.oauth.access_tokens)  # every call carried an issued token
    assert not OccurrenceClaims("my-proj", "us-central1", "default").claim("20261130t0100z", "rother0001").won


def test_the_claim_without_a_sign_in_says_so_and_sends_nothing(fake, monkeypatch):
    from keyring.backends import SecretService

    from core.google import auth
    from core.store.secrets import GOOGLE_TOKEN, SecretStore

    SecretStore(backend=SecretService.Keyring()).delete(GOOGLE_TOKEN)  # as conftest stores it
    monkeypatch.delenv(auth.TOKEN_ENDPOINT_ENV, raising=False)
    with pytest.raises(AuthError, match="not signed in"):
        OccurrenceClaims("my-proj", "us-central1", "default").claim("20261130t0100z", "rnosignin1")
    assert fake.requests == [] and fake.auth.rejected == []


def test_anonymous_only_in_the_developer_mode_with_every_endpoint_on_this_computer(monkeypatch):
    with FakeStorage() as server:
        server.auth.required = False  # the developer-anonymous setup: fakes without a sign-in
        monkeypatch.setenv("STORAGE_EMULATOR_HOST", server.url.removeprefix("http://"))  # a bare host:port too
        monkeypatch.setenv("T4PANEL_DEV_ANONYMOUS", "1")
        monkeypatch.setenv("T4PANEL_VERTEX_ENDPOINT", "http://127.0.0.1:9")
        monkeypatch.setenv("T4PANEL_LOGGING_ENDPOINT", "127.0.0.1:9")
        assert OccurrenceClaims("my-proj", "us-central1", "default").claim("20261130t0100z", "rdevanon01").won
        assert server.auth.seen_tokens and set(server.auth.seen_tokens) == {""}  # no token went out
        monkeypatch.setenv("T4PANEL_VERTEX_ENDPOINT", "https://us-central1-aiplatform.googleapis.com")
        with pytest.raises(AuthError, match="not signed in"):  # Google in the mix: the operator's sign-in again
            storage_client("my-proj")


def test_no_such_method_is_404_and_a_real_one_the_fake_does_not_serve_is_501(fake, token):
    code, payload = raw(fake, "GET", "/storage/v1/buckets", token)
    assert code == 404 and the_error(404, payload, "notFound")
    code, payload = raw(fake, "GET", f"/storage/v1/b/{BUCKET}/o", token)  # storage.objects.list
    assert code == 501 and "storage.objects.list" in the_error(501, payload, "notImplemented")["message"]
