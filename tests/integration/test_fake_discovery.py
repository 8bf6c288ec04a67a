"""The discovery-document checker that strict REST fakes are built on, tried on several Google APIs.

What Google's front end accepts in a request (proto3 JSON: camelCase or proto names, int64 as number or
text, enums as names or numbers, null) passes; anything else is a Problem naming the field. Replies are
held to what Google sends (int64 as text, enums as names unless the client asked for numbers).
"""

from __future__ import annotations

import pytest

from tests.integration.fakes.discovery import (
    Api,
    Direction,
    Kind,
    ResponseShapeError,
    bad_request,
    google_error,
    not_found,
)

JOB = "GoogleCloudAiplatformV1CustomJob"


@pytest.fixture(scope="module")
def aiplatform() -> Api:
    import google.cloud.aiplatform_v1.types  # noqa: F401 - puts the protos in the descriptor pool

    return Api.load("aiplatform.v1", proto_package="google.cloud.aiplatform.v1")


@pytest.fixture(scope="module")
def storage() -> Api:
    return Api.load("storage.v1")


def kinds(problems) -> list[tuple[Kind, str]]:
    return [(p.kind, p.field) for p in problems]


# ---------------------------------------------------------------- methods and paths


def test_paths_and_verbs_come_from_the_document(aiplatform, storage):
    call = aiplatform.match("POST", "/v1/projects/p/locations/us-central1/customJobs:cancel")
    assert call is None  # not a job name: customJobs.cancel wants .../customJobs/{id}:cancel
    call = aiplatform.match("GET", "/v1/projects/p/locations/us-central1/customJobs/42")
    assert call.method.id == "aiplatform.projects.locations.customJobs.get"  # not datasets.get: same template
    assert call.params == {"name": "projects/p/locations/us-central1/customJobs/42"}
    assert aiplatform.match("PUT", "/v1/projects/p/locations/us-central1/customJobs/42") is None
    # {object} is one segment: a slash inside an object name travels as %2F and comes back decoded.
    call = storage.match("GET", "/storage/v1/b/my-proj-t4panel/o/t4panel%2Fdefault%2Foccurrences%2Fx")
    assert call.method.id == "storage.objects.get"
    assert call.params == {"bucket": "my-proj-t4panel", "object": "t4panel/default/occurrences/x"}
    assert storage.match("GET", "/storage/v1/b/my-proj-t4panel/o/t4panel/default") is None


def test_query_parameters_are_the_methods_and_the_system_ones(aiplatform, storage):
    listing = aiplatform.method("aiplatform.projects.locations.customJobs.list")
    ok = {"filter": ['labels.t4panel-run="r1"'], "pageSize": ["5"], "$alt": ["json;enum-encoding=int"],
          "prettyPrint": ["false"]}
    assert aiplatform.check_query(listing, ok) == []
    assert kinds(aiplatform.check_query(listing, {"parent": ["x"], "page_sise": ["5"]})) == [
        (Kind.UNKNOWN_PARAMETER, "parent"), (Kind.UNKNOWN_PARAMETER, "page_sise")]  # parent is in the path
    assert kinds(aiplatform.check_query(listing, {"pageSize": ["ten"]})) == [(Kind.WRONG_TYPE, "page_size")]
    insert = storage.method("storage.objects.insert")
    assert storage.check_query(insert, {"ifGenerationMatch": ["0"], "name": ["a/b"], "uploadType": ["media"]}) == []
    assert kinds(storage.check_query(insert, {"ifGenerationMatch": ["zero"]})) == [
        (Kind.WRONG_TYPE, "if_generation_match")]


# ---------------------------------------------------------------- request bodies


def test_required_fields_from_descriptions_and_from_annotations(aiplatform, storage):
    assert kinds(aiplatform.validate(JOB, {"displayName": "x"}, root="custom_job")) == [
        (Kind.MISSING_REQUIRED, "custom_job.job_spec")]
    # Required inside an optional message only when that message is there.
    assert aiplatform.validate("GoogleCloudAiplatformV1Scheduling", {}) == []
    # storage.v1 marks required fields per method: a bucket needs a name to be created.
    assert kinds(storage.validate("Bucket", {"labels": {"t4panel": "1"}}, method_id="storage.buckets.insert")) == [
        (Kind.MISSING_REQUIRED, "name")]
    assert storage.validate("Bucket", {"labels": {"t4panel": "1"}}, method_id="storage.buckets.patch") == []


def test_what_googles_json_parser_accepts(aiplatform):
    body = {"display_name": "x", "jobSpec": {"workerPoolSpecs": [{
        "machineSpec": {"machineType": "n1-standard-4", "acceleratorType": 5, "acceleratorCount": "2"},
        "replicaCount": 1, "container_spec": {"imageUri": "i", "env": [{"name": "A", "value": "b"}]}}],
        "scheduling": {"timeout": "3600.5s", "strategy": "SPOT"}, "network": None}}
    assert aiplatform.validate(JOB, body, root="custom_job") == []


@pytest.mark.parametrize(("patch", "kind", "field"), [
    ({"displayName": ["x"]}, Kind.WRONG_TYPE, "custom_job.display_name"),
    ({"labels": {"k": 5}}, Kind.WRONG_TYPE, "custom_job.labels[k]"),
    ({"satisfiesPzs": "yes"}, Kind.WRONG_TYPE, "custom_job.satisfies_pzs"),
    ({"jobSpec": {"workerPoolSpecs": [{"replicaCount": "1e3"}]}}, Kind.WRONG_TYPE,
     "custom_job.job_spec.worker_pool_specs[0].replica_count"),
    ({"jobSpec": {"workerPoolSpecs": [{"diskSpec": {"bootDiskSizeGb": 2**31}}]}}, Kind.WRONG_TYPE,
     "custom_job.job_spec.worker_pool_specs[0].disk_spec.boot_disk_size_gb"),
    ({"jobSpec": {"workerPoolSpecs": {}}}, Kind.WRONG_TYPE, "custom_job.job_spec.worker_pool_specs"),
    ({"jobSpec": {"scheduling": {"timeout": "1h"}}}, Kind.BAD_FORMAT, "custom_job.job_spec.scheduling.timeout"),
    ({"jobSpec": {"scheduling": {"strategy": "CHEAP"}}}, Kind.BAD_ENUM, "custom_job.job_spec.scheduling.strategy"),
    ({"jobSpec": {"scheduling": {"strategy": 5}}}, Kind.BAD_ENUM, "custom_job.job_spec.scheduling.strategy"),
    ({"jobSpec": {"scheduling": {"retries": 3}}}, Kind.UNKNOWN_FIELD, "custom_job.job_spec.scheduling"),
    ({"jobSpec": {"workerPoolSpecs": [{"containerSpec": {"env": [{"name": "A", "val": "b"}]}}]}},
     Kind.UNKNOWN_FIELD, "custom_job.job_spec.worker_pool_specs[0].container_spec.env[0]"),
])
def test_what_it_refuses_names_the_field(aiplatform, patch, kind, field):
    body = {"displayName": "x", "jobSpec": {"workerPoolSpecs": [{"machineSpec": {"machineType": "n1-standard-4"}}]},
            **patch}
    problems = [p for p in aiplatform.validate(JOB, body, root="custom_job") if p.kind is not Kind.MISSING_REQUIRED]
    assert kinds(problems) == [(kind, field)]
    assert field in problems[0].message


def test_bytes_and_timestamps_are_checked_in_other_apis_too():
    scheduler = Api.load("cloudscheduler.v1")
    job = {"name": "projects/p/locations/l/jobs/j", "schedule": "0 1 * * *", "timeZone": "Asia/Seoul",
           "httpTarget": {"uri": "https://x", "httpMethod": "POST", "body": "e30="}}
    assert scheduler.validate("Job", job, root="job") == []
    job["httpTarget"]["body"] = "{}"
    job["scheduleTime"] = "2026-11-30 01:00"
    assert sorted(kinds(scheduler.validate("Job", job, root="job"))) == sorted([
        (Kind.BAD_FORMAT, "job.http_target.body"), (Kind.BAD_FORMAT, "job.schedule_time")])


# ---------------------------------------------------------------- replies


def test_replies_are_held_to_what_google_sends(aiplatform, storage):
    get = aiplatform.match("GET", "/v1/projects/p/locations/l/customJobs/1", {"$alt": ["json;enum-encoding=int"]})
    job = {"name": "projects/1/locations/l/customJobs/1", "displayName": "x", "state": 4,
           "jobSpec": {"workerPoolSpecs": [{"replicaCount": "1"}]}, "createTime": "2026-11-30T01:00:00.123456Z"}
    aiplatform.check_response(get, job)
    with pytest.raises(ResponseShapeError, match="state"):
        aiplatform.check_response(get, {**job, "state": "JOB_STATE_SUCCEEDED"})  # the client asked for numbers
    by_name = aiplatform.match("GET", "/v1/projects/p/locations/l/customJobs/1")
    aiplatform.check_response(by_name, {**job, "state": "JOB_STATE_SUCCEEDED"})
    with pytest.raises(ResponseShapeError, match="replica_count"):
        aiplatform.check_response(by_name, {**job, "state": "JOB_STATE_SUCCEEDED",
                                            "jobSpec": {"workerPoolSpecs": [{"replicaCount": 1}]}})
    obj = storage.match("GET", "/storage/v1/b/b/o/x")
    storage.check_response(obj, {"kind": "storage#object", "name": "x", "generation": "1764464400000000"})
    with pytest.raises(ResponseShapeError, match="generation"):
        storage.check_response(obj, {"name": "x", "generation": 1764464400000000})


def test_error_bodies_are_googles_shape(aiplatform):
    [problem] = aiplatform.validate(JOB, {"displayName": "x", "jobSpec": {"workerPoolSpecs": [{}]}, "foo": 1},
                                    root="custom_job")
    body = bad_request([problem])
    assert body == {"error": {
        "code": 400, "status": "INVALID_ARGUMENT",
        "message": "Invalid JSON payload received. Unknown name \"foo\" at 'custom_job': Cannot find field.",
        "details": [{"@type": "type.googleapis.com/google.rpc.BadRequest",
                     "fieldViolations": [{"field": "custom_job", "description": problem.message}]}]}}
    assert not_found("GET", "/v1/x")["error"]["status"] == "NOT_FOUND"
    assert google_error(409, "ALREADY_EXISTS", "m") == {"error": {"code": 409, "message": "m",
                                                                  "status": "ALREADY_EXISTS"}}
    assert aiplatform.validate(JOB, {}, direction=Direction.RESPONSE) == []  # replies need no "Required" fields
