"""The setup-check fakes refuse what Google refuses: no token, a wrong method or query, a project that is not
the caller's. A fake that accepted these would let a broken client call pass its tests."""

from __future__ import annotations

import json
import urllib.error
import urllib.request

import pytest

from core.errors import AuthError
from core.google import endpoints, setup_apis
from tests.integration.fakes.setup_server import T4, FakeSetupApis, Project


def _get(url: str, token: str | None = None) -> tuple[int, dict]:
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"} if token else {})
    try:
        with urllib.request.urlopen(request, timeout=5) as reply:
            return reply.status, json.loads(reply.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read())


def test_every_fake_refuses_a_call_without_a_token():
    with FakeSetupApis() as fakes:
        paths = {fakes.serviceusage: "/v1/projects/demo-proj/services:batchGet?names=projects/demo-proj/services/x",
                 fakes.quotas: "/v1/projects/demo-proj/locations/global/services/aiplatform.googleapis.com/quotaInfos",
                 fakes.artifactregistry: "/v1/projects/demo-proj/locations/us/repositories/r/packages/p/tags/t",
                 fakes.resourcemanager: "/v3/projects/demo-proj"}
        for server, path in paths.items():
            code, body = _get(server.url + path)
            assert code == 401 and body["error"]["status"] == "UNAUTHENTICATED"
            assert server.auth.rejected == ["CREDENTIALS_MISSING"]


def test_the_real_clients_are_refused_a_wrong_project_and_a_missing_repository(google_signed_in, monkeypatch):
    from google.api_core import exceptions as api_exc

    with FakeSetupApis(Project()) as fakes:
        for name, url in fakes.env().items():
            monkeypatch.setenv(name, url)
        with pytest.raises(api_exc.Forbidden):
            setup_apis.disabled_services("someone-else", ["aiplatform.googleapis.com"])
        with pytest.raises(api_exc.Forbidden):
            setup_apis.regional_quota("someone-else", T4, "us-central1")
        ref = setup_apis.parse_image("us-central1-docker.pkg.dev/demo-proj/nothing/img:1")
        assert ref is not None
        assert setup_apis.image_exists(ref) is False  # the repository itself is missing: Google's 404
        # What the real clients sent passed the discovery documents' checks, with the operator's token.
        assert fakes.quotas.auth.seen_tokens and not fakes.quotas.auth.rejected


def test_the_quotas_fake_checks_query_names_against_the_clients_proto():
    with FakeSetupApis() as fakes:
        fakes.quotas.auth.required = False
        base = (fakes.quotas.url
                + "/v1/projects/demo-proj/locations/global/services/aiplatform.googleapis.com/quotaInfos")
        assert _get(base + "?pageSize=5")[0] == 200
        code, body = _get(base + "?page_sise=5")
        assert code == 400 and body["error"]["status"] == "INVALID_ARGUMENT"
        assert _get(base.replace("/global/", "/us-central1/"))[0] == 400


def test_a_setup_endpoint_over_plain_http_to_another_computer_is_refused(monkeypatch):
    from google.cloud import cloudquotas_v1

    monkeypatch.setenv(endpoints.QUOTAS_ENV, "http://quotas.example.com")
    with pytest.raises(AuthError, match=r"T4PANEL_QUOTAS_ENDPOINT points at quotas\.example\.com over plain http"):
        endpoints.rest_client(cloudquotas_v1.CloudQuotasClient, endpoints.QUOTAS_ENV)


@pytest.mark.parametrize("uri, parts", [
    ("us-central1-docker.pkg.dev/p/repo/img:1", ("us-central1", "p", "repo", "img", "1", "")),
    ("asia-docker.pkg.dev/p/repo/team/img", ("asia", "p", "repo", "team/img", "latest", "")),
    ("us-docker.pkg.dev/p/repo/img@sha256:ab", ("us", "p", "repo", "img", "", "sha256:ab")),
])
def test_artifact_registry_image_addresses_are_split_into_their_parts(uri, parts):
    ref = setup_apis.parse_image(uri)
    assert ref is not None
    assert (ref.location, ref.project, ref.repository, ref.package, ref.tag, ref.digest) == parts


@pytest.mark.parametrize("uri", ["python:3.11", "gcr.io/p/img:1", "docker.io/library/python", ""])
def test_images_outside_artifact_registry_are_not_parsed(uri):
    assert setup_apis.parse_image(uri) is None
