"""The fake Vertex AI refuses what Google refuses, in Google's shape, and answers only as Google would.

Driven through the real aiplatform_v1 JobServiceClient (REST transport, as the app sends) and, for what
that client would never send, through raw HTTP. Each refusal must name the field the operator would fix.
"""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from datetime import timedelta
from typing import Any
from urllib.parse import urlencode

import pytest
from google.api_core import exceptions as gexc
from google.auth.credentials import AnonymousCredentials
from google.cloud.aiplatform_v1 import JobServiceClient
from google.cloud.aiplatform_v1.types import CustomJob, EnvVar
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from core.backends.base import LaunchRequest
from core.backends.vertex.spec import build_custom_job
from core.errors import BackendError
from core.store import config as config_mod
from core.store.config import N1_FAMILIES, N1_VCPUS, T4_REGIONS, AppConfig, JobConfig
from tests.integration.fakes import vertex_server
from tests.integration.fakes.discovery import ResponseShapeError
from tests.integration.fakes.vertex_rules import VertexRules
from tests.integration.fakes.vertex_server import FakeVertex

PARENT = "projects/my-proj/locations/us-central1"
POOL = "custom_job.job_spec.worker_pool_specs[0]"
INTS = {"$alt": "json;enum-encoding=int"}  # what the REST transport adds to every call


@pytest.fixture
def vertex():
    with FakeVertex() as v:
        yield v


@pytest.fixture
def client(vertex):
    return JobServiceClient(credentials=AnonymousCredentials(), transport="rest",
                            client_options={"api_endpoint": vertex.url})


def app_job(**job: Any) -> CustomJob:
    """The CustomJob the app itself builds for a scheduled run (secrets injected, as in production)."""
    config = dict(backend="vertex", project_id="my-proj", region="us-central1", image_uri="us-docker.pkg.dev/p/r/i:1",
                  command=["python", "-u", "predict.py"], args=["--day", "today"], env={"MODE": "daily"}, spot=True)
    config.update(job)
    request = LaunchRequest(run_id="rstrict0001", job=JobConfig(**config), display_name="t4-predict",
                            labels={"t4panel-run": "rstrict0001", "t4panel-occurrence": "20261130t0600z"},
                            run_dir="/nonexistent", secret_env={"SUPABASE_KEY": "sb_secret_strict123"})
    return build_custom_job(request)


def wire(job: CustomJob) -> dict[str, Any]:
    """The JSON body the REST transport sends for `job` (enums as numbers, int64 as text)."""
    return json.loads(CustomJob.to_json(job, use_integers_for_enums=True, always_print_fields_with_no_presence=False))


def raw(vertex: FakeVertex, verb: str, path: str, body: Any = None,
        query: dict[str, str] | None = None) -> tuple[int, dict[str, Any]]:
    data = body if isinstance(body, bytes) else None if body is None else json.dumps(body).encode()
    q = urlencode(INTS if query is None else query)
    req = urllib.request.Request(f"{vertex.url}{path}{'?' + q if q else ''}", data=data, method=verb,
                                 headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=5) as reply:
            return reply.status, json.loads(reply.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read())


def assert_google_error(code: int, payload: dict[str, Any], status: str, field: str) -> dict[str, Any]:
    """Google's error body: {"error": {code, message, status, details}}; the message and details name `field`."""
    assert set(payload) == {"error"}, payload
    error = payload["error"]
    assert set(error) <= {"code", "message", "status", "details"}
    assert error["code"] == code and error["status"] == status, error
    assert field in error["message"], error["message"]
    if status == "INVALID_ARGUMENT":
        [bad] = [d for d in error["details"] if d["@type"] == "type.googleapis.com/google.rpc.BadRequest"]
        assert any(field in v["field"] or v["field"] in field or field in v["description"]
                   for v in bad["fieldViolations"]), bad
    return error


def refused(client: JobServiceClient, job: CustomJob, status: str, field: str,
            parent: str = PARENT) -> dict[str, Any]:
    """Create `job` through the real client; it must raise, and the wire answer must be Google's error."""
    with pytest.raises(gexc.GoogleAPICallError) as info:
        client.create_custom_job(parent=parent, custom_job=job)
    assert info.value.code == {"INVALID_ARGUMENT": 400, "RESOURCE_EXHAUSTED": 429}[status]
    assert field in info.value.message
    return assert_google_error(info.value.code, info.value.response.json(), status, field)


# ---------------------------------------------------------------- what Google accepts


def test_the_job_the_app_builds_is_accepted_and_answered_as_google_would(vertex, client):
    created = client.create_custom_job(parent=PARENT, custom_job=app_job())
    assert created.name.startswith("projects/123456789012/locations/us-central1/customJobs/")
    assert created.job_spec.worker_pool_specs[0].machine_spec.accelerator_type.name == "NVIDIA_TESLA_T4"
    assert client.get_custom_job(name=created.name).labels["t4panel-run"] == "rstrict0001"
    # Without enum-encoding=int Google answers with enum names, and int64 as text.
    code, payload = raw(vertex, "GET", f"/v1/{created.name}", query={})
    assert code == 200
    assert payload["jobSpec"]["workerPoolSpecs"][0]["machineSpec"]["acceleratorType"] == "NVIDIA_TESLA_T4"
    assert payload["jobSpec"]["workerPoolSpecs"][0]["replicaCount"] == "1"
    assert payload["state"].startswith("JOB_STATE_")


def test_proto_field_names_are_accepted_like_googles_parser_does(vertex):
    body = {"display_name": "snake", "job_spec": {"worker_pool_specs": [{"machine_spec": {
        "machine_type": "n1-standard-4", "accelerator_type": "NVIDIA_TESLA_T4", "accelerator_count": 1},
        "replica_count": 1, "container_spec": {"image_uri": "i"}}]}}
    code, payload = raw(vertex, "POST", f"/v1/{PARENT}/customJobs", body)
    assert code == 200, payload
    assert payload["displayName"] == "snake"


def test_four_t4_on_the_largest_highmem_host_is_accepted(client):
    job = app_job(machine_type="n1-highmem-96", accelerator_count=4)
    assert client.create_custom_job(parent=PARENT, custom_job=job).name


_ENV_NAMES = st.from_regex(r"[A-Z_][A-Z0-9_]{0,10}", fullmatch=True).filter(
    lambda n: n not in ("SUPABASE_URL", "SUPABASE_KEY"))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    machine=st.sampled_from([f"{f}{n}" for f in N1_FAMILIES for n in N1_VCPUS]),
    gpus=st.sampled_from([1, 2, 4]),
    region=st.sampled_from(T4_REGIONS),
    env=st.dictionaries(_ENV_NAMES, st.text(max_size=20), max_size=8),
    name=st.text(min_size=1, max_size=140),
    runtime=st.integers(10, 10080),
    spot=st.booleans(),
)
def test_every_vertex_job_the_app_validates_google_accepts(vertex, client, machine, gpus, region, env, name,
                                                            runtime, spot):
    cfg = AppConfig(job=JobConfig(backend="vertex", project_id="my-proj", region=region, display_name=name,
                                  machine_type=machine, accelerator_count=gpus, image_uri="us-docker.pkg.dev/p/r/i:1",
                                  command=["python", "-u", "predict.py"],
                                  env=env, max_runtime_minutes=runtime, spot=spot))
    assume(config_mod.validate(cfg) == [])
    job = build_custom_job(LaunchRequest(run_id="rprop0001", job=cfg.job, display_name=name,
                                         labels={"t4panel-run": "rprop0001"}, run_dir="/nonexistent"))
    assert client.create_custom_job(parent=f"projects/my-proj/locations/{region}", custom_job=job).name


def test_an_env_var_without_a_value_never_leaves_the_app(vertex):
    with pytest.raises(BackendError, match="SUPABASE_URL"):
        build_custom_job(LaunchRequest(run_id="rempty001", job=JobConfig(backend="vertex", image_uri="i"),
                                       display_name="t4-predict", labels={}, run_dir="/nonexistent",
                                       secret_env={"SUPABASE_URL": "", "SUPABASE_KEY": "k" * 20}))
    assert vertex.requests == []


# ---------------------------------------------------------------- the schema


def test_unknown_field_is_refused_naming_where(vertex):
    body = wire(app_job())
    body["jobSpec"]["fooBar"] = 1
    code, payload = raw(vertex, "POST", f"/v1/{PARENT}/customJobs", body)
    error = assert_google_error(code, payload, "INVALID_ARGUMENT", "custom_job.job_spec")
    assert error["message"] == ("Invalid JSON payload received. Unknown name \"fooBar\" at 'custom_job.job_spec': "
                                "Cannot find field.")
    assert vertex.jobs == {}


@pytest.mark.parametrize("value", ["NVIDIA_TESLA_T5", 99, True])
def test_enum_value_outside_the_document_is_refused(vertex, value):
    body = wire(app_job())
    body["jobSpec"]["workerPoolSpecs"][0]["machineSpec"]["acceleratorType"] = value
    code, payload = raw(vertex, "POST", f"/v1/{PARENT}/customJobs", body)
    error = assert_google_error(code, payload, "INVALID_ARGUMENT", f"{POOL}.machine_spec.accelerator_type")
    assert "google.cloud.aiplatform.v1.AcceleratorType" in error["message"]


def test_enum_numbers_are_the_protos_not_the_documents_order(client):
    # FLEX_START is number 6 but sixth (index 5) in the document's list: read by position it would be refused.
    job = app_job()
    job.job_spec.worker_pool_specs[0].machine_spec = {"machine_type": "n1-standard-4"}  # no GPU: FLEX_START allowed
    job.job_spec.scheduling.strategy = 6
    assert client.create_custom_job(parent=PARENT, custom_job=job).job_spec.scheduling.strategy.name == "FLEX_START"


def test_flex_start_is_not_offered_for_t4(client):
    job = app_job()
    job.job_spec.scheduling.strategy = "FLEX_START"
    refused(client, job, "INVALID_ARGUMENT", "job_spec.scheduling.strategy")


@pytest.mark.parametrize(("where", "value", "field"), [
    (("displayName",), 5, "custom_job.display_name"),
    (("jobSpec", "workerPoolSpecs", 0, "machineSpec", "acceleratorCount"), "two",
     f"{POOL}.machine_spec.accelerator_count"),
    (("labels",), ["t4panel"], "custom_job.labels"),
    (("jobSpec", "workerPoolSpecs", 0, "replicaCount"), "1.5", f"{POOL}.replica_count"),
    (("jobSpec", "scheduling", "timeout"), "90m", "custom_job.job_spec.scheduling.timeout"),
])
def test_wrong_json_type_or_format_is_refused(vertex, where, value, field):
    body = wire(app_job())
    node = body
    for step in where[:-1]:
        node = node[step]
    node[where[-1]] = value
    code, payload = raw(vertex, "POST", f"/v1/{PARENT}/customJobs", body)
    assert_google_error(code, payload, "INVALID_ARGUMENT", field)


# Vertex names a missing field from inside the CustomJob: "1.Field: job_spec...; Message: Required field is not set."
def test_missing_display_name_is_refused(client):
    job = app_job()
    job.display_name = ""
    error = refused(client, job, "INVALID_ARGUMENT", "display_name")
    assert error["message"] == "List of found errors:\t1.Field: display_name; Message: Required field is not set.\t"


def test_missing_worker_pool_spec_is_refused(client):
    job = app_job()
    del job.job_spec.worker_pool_specs[:]
    refused(client, job, "INVALID_ARGUMENT", "Field: job_spec.worker_pool_specs;")


def test_missing_job_spec_and_container_image_are_refused(vertex):
    code, payload = raw(vertex, "POST", f"/v1/{PARENT}/customJobs", {"displayName": "x"})
    assert_google_error(code, payload, "INVALID_ARGUMENT", "Field: job_spec;")
    body = wire(app_job())
    del body["jobSpec"]["workerPoolSpecs"][0]["containerSpec"]["imageUri"]
    code, payload = raw(vertex, "POST", f"/v1/{PARENT}/customJobs", body)
    assert_google_error(code, payload, "INVALID_ARGUMENT", "job_spec.worker_pool_specs[0].container_spec.image_uri")


def test_env_var_without_a_value_or_with_a_bad_name_is_refused(client):
    job = app_job()
    job.job_spec.worker_pool_specs[0].container_spec.env.append(EnvVar(name="EMPTY", value=""))
    error = refused(client, job, "INVALID_ARGUMENT", "job_spec.worker_pool_specs[0].container_spec.env[2].value")
    assert "env[2].value; Message: Required field is not set." in error["message"]
    job = app_job()
    job.job_spec.worker_pool_specs[0].container_spec.env.append(EnvVar(name="NOT-C", value="x"))
    refused(client, job, "INVALID_ARGUMENT", "job_spec.worker_pool_specs[0].container_spec.env[2].name")


def test_unknown_path_unknown_query_parameter_and_bad_json(vertex):
    code, payload = raw(vertex, "GET", "/v1/projects/my-proj/jobs")
    assert_google_error(code, payload, "NOT_FOUND", "/v1/projects/my-proj/jobs")
    code, payload = raw(vertex, "GET", f"/v1/{PARENT}/customJobs", query={**INTS, "pageSise": "5"})
    assert_google_error(code, payload, "INVALID_ARGUMENT", "pageSise")
    code, payload = raw(vertex, "GET", f"/v1/{PARENT}/customJobs", query={**INTS, "pageSize": "five"})
    assert_google_error(code, payload, "INVALID_ARGUMENT", "page_size")
    code, payload = raw(vertex, "POST", f"/v1/{PARENT}/customJobs", b"{not json")
    assert code == 400 and payload["error"]["status"] == "INVALID_ARGUMENT"


# ---------------------------------------------------------------- Vertex's rules


@pytest.mark.parametrize(("machine", "count", "field"), [
    ("e2-standard-4", 1, "machine_spec.machine_type"),
    ("a2-highgpu-1g", 1, "machine_spec.machine_type"),
    ("n1-standard-4", 3, "machine_spec.accelerator_count"),
    ("n1-standard-64", 2, "machine_spec.machine_type"),  # 64 vCPU > 48 for 1-2 T4
    ("n1-highmem-64", 1, "machine_spec.machine_type"),  # 416 GB > 312 GB
])
def test_t4_only_on_n1_with_1_2_or_4_within_host_limits(client, machine, count, field):
    job = app_job()
    spec = job.job_spec.worker_pool_specs[0].machine_spec
    spec.machine_type, spec.accelerator_count = machine, count
    error = refused(client, job, "INVALID_ARGUMENT", f"job_spec.worker_pool_specs[0].{field}")
    assert error["message"].startswith("List of found errors:\t1.Field: job_spec.worker_pool_specs[0].")


def test_region_without_t4_is_refused(client):
    error = refused(client, app_job(), "INVALID_ARGUMENT", "machine_spec.accelerator_type",
                    parent="projects/my-proj/locations/mars-central9")
    assert "mars-central9" in error["message"]


@pytest.mark.parametrize("key", ["bad key", "Upper", "k" * 65, "9starts-with-digit"])
def test_label_keys_google_refuses(client, key):
    job = app_job()
    job.labels[key] = "v"
    error = refused(client, job, "INVALID_ARGUMENT", f"labels[{key}]")
    assert "Label key" in error["message"]


def test_label_values_and_label_count_google_refuses(client):
    job = app_job()
    job.labels["fine"] = "Not Fine"
    refused(client, job, "INVALID_ARGUMENT", "labels[fine]")
    job = app_job()
    job.labels.update({f"k{i}": "v" for i in range(63)})  # 2 already there: 65 in all
    refused(client, job, "INVALID_ARGUMENT", "labels")


def test_display_name_longer_than_128_characters_is_refused(client):
    job = app_job()
    job.display_name = "x" * 129
    refused(client, job, "INVALID_ARGUMENT", "display_name")


def test_more_than_100_env_vars_are_refused(client):
    job = app_job()
    env = job.job_spec.worker_pool_specs[0].container_spec.env
    env.extend(EnvVar(name=f"V{i}", value="x") for i in range(101 - len(env)))
    assert len(env) == 101
    refused(client, job, "INVALID_ARGUMENT", "job_spec.worker_pool_specs[0].container_spec.env")


def test_timeout_must_be_a_positive_duration(client):
    job = app_job()
    job.job_spec.scheduling.timeout = timedelta(seconds=-5)
    refused(client, job, "INVALID_ARGUMENT", "job_spec.scheduling.timeout")


def test_crud_quota_answers_429_in_googles_shape_per_region_and_window(vertex, client):
    vertex.rules = VertexRules(quota_limit=5, quota_window=1.0)
    name = client.create_custom_job(parent=PARENT, custom_job=app_job()).name
    for _ in range(4):
        client.get_custom_job(name=name)
    with pytest.raises(gexc.TooManyRequests) as info:
        client.get_custom_job(name=name)
    error = assert_google_error(429, info.value.response.json(), "RESOURCE_EXHAUSTED", "Quota exceeded")
    [quota] = [d for d in error["details"] if d["@type"] == "type.googleapis.com/google.rpc.ErrorInfo"]
    assert quota["metadata"]["quota_location"] == "us-central1"
    assert "resource_management_requests" in quota["metadata"]["quota_metric"]
    other = "projects/my-proj/locations/europe-west4"
    assert list(client.list_custom_jobs(parent=other)) == []  # another region has its own quota
    time.sleep(1.05)
    assert client.get_custom_job(name=name).name == name  # the window moved on


def test_default_quota_is_googles_600_per_minute(vertex):
    assert (vertex.rules.quota_limit, vertex.rules.quota_window) == (600, 60.0)
    for _ in range(600):
        assert vertex.rules.take_quota("p", "us-central1", now=100.0) is None
    assert vertex.rules.take_quota("p", "us-central1", now=159.9)["error"]["code"] == 429
    assert vertex.rules.take_quota("p", "us-central1", now=160.0) is None


def test_list_lags_a_create_when_asked(vertex, client):
    vertex.rules = VertexRules(list_lag=0.4)
    job = client.create_custom_job(parent=PARENT, custom_job=app_job())
    flt = 'labels.t4panel-run="rstrict0001"'
    assert list(client.list_custom_jobs(request={"parent": PARENT, "filter": flt})) == []
    assert client.get_custom_job(name=job.name).name == job.name  # get sees it at once
    time.sleep(0.45)
    assert [j.name for j in client.list_custom_jobs(request={"parent": PARENT, "filter": flt})] == [job.name]


# ---------------------------------------------------------------- the fake's own answers


def test_an_answer_google_would_never_send_fails_the_test(monkeypatch):
    real = vertex_server.job_json
    monkeypatch.setattr(vertex_server, "job_json", lambda job, call: {**real(job, call), "fooBar": 1})
    with pytest.raises(ResponseShapeError, match="fooBar"), FakeVertex() as v:
        client = JobServiceClient(credentials=AnonymousCredentials(), transport="rest",
                                  client_options={"api_endpoint": v.url})
        with pytest.raises(gexc.InternalServerError):
            client.create_custom_job(parent=PARENT, custom_job=app_job())
