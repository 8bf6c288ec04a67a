"""The cloud schedule's setup from nothing, run again, and resumed after a failure at each step, with the
real Google client libraries against strict fakes (tests/integration/fakes/cloud_server.py)."""

from __future__ import annotations

import json

import pytest

from core.app import cloud_spec
from core.app.cloud_setup import STEP_KEYS, CloudSchedule, CloudSetupError, StepState, plan
from core.store import config as config_mod
from tests.integration.cloud_fixtures import PROJECT, REGION, RUNNER, SECRETS, cloud, vertex_config

__all__ = ["cloud"]  # the fixture, imported for pytest
JOB = f"projects/{PROJECT}/locations/{REGION}/jobs/t4panel-runner"
DAILY = f"projects/{PROJECT}/locations/{REGION}/jobs/t4panel-daily"


def test_plan_is_the_checklist_all_todo_without_network():
    steps = plan(vertex_config())
    assert [s.key for s in steps] == list(STEP_KEYS)
    assert {s.state for s in steps} == {StepState.TODO}


def test_setup_from_nothing_makes_every_resource_with_the_right_fields(cloud):
    seen = []
    steps = CloudSchedule(vertex_config(), secrets=SECRETS, progress=seen.append).setup()
    assert [s.state for s in steps] == [StepState.DONE] * len(STEP_KEYS)
    assert [(s.key, s.state) for s in seen[:2]] == [("apis", StepState.RUNNING), ("apis", StepState.DONE)]
    fake, state = cloud.fake, cloud.fake.state
    assert set(cloud_spec.APIS) <= fake.project.enabled
    sa = fake.iam.accounts[f"t4panel-runner@{PROJECT}.iam.gserviceaccount.com"]
    assert sa.description == cloud_spec.SA_DESCRIPTION
    assert sorted(r for r, m in fake.project.project_policy if m == RUNNER) == ["roles/aiplatform.user",
                                                                               "roles/logging.viewer"]
    bucket_policy = cloud.storage.policies[f"{PROJECT}-t4panel"]
    assert {"role": "roles/storage.objectAdmin", "members": [RUNNER]} in bucket_policy["bindings"]
    for key, secret_id in cloud_spec.SECRET_IDS.items():
        name = f"projects/{PROJECT}/secrets/{secret_id}"
        assert state.secrets[name]["labels"] == {"t4panel": "cloud-schedule"}
        assert state.versions[name] == [SECRETS[key].encode()]
        assert state.secret_policies[name].bindings == {"roles/secretmanager.secretAccessor": [RUNNER]}
    job = state.run_jobs[JOB]
    assert job["labels"] == {"t4panel": "cloud-schedule"}
    task = job["template"]["template"]
    container = task["containers"][0]
    assert container["image"] == cloud_spec.runner_image(vertex_config())
    assert container["args"] == ["fire"]
    env = {e["name"]: e for e in container["env"]}
    assert config_mod.loads(env["T4PANEL_CONFIG_TOML"]["value"]) == vertex_config()
    assert env["SUPABASE_KEY"] == {"name": "SUPABASE_KEY", "valueSource": {"secretKeyRef": {
        "secret": "t4panel-supabase-key", "version": "latest"}}}
    assert env["SUPABASE_URL"]["valueSource"]["secretKeyRef"]["secret"] == "t4panel-supabase-url"
    assert task["timeout"] == f"{(60 + 6 * 60 + 10) * 60}s" and task["maxRetries"] == 3
    assert task["serviceAccount"] == f"t4panel-runner@{PROJECT}.iam.gserviceaccount.com"
    assert job["template"]["taskCount"] == 1
    assert state.run_policies[JOB].bindings == {"roles/run.invoker": [RUNNER]}
    daily = state.scheduler_jobs[DAILY]
    assert daily["schedule"] == "0 1 * * *" and daily["timeZone"] == "Asia/Seoul"
    target = daily["httpTarget"]
    assert target["uri"] == f"https://run.googleapis.com/v2/{JOB}:run"
    assert target["oauthToken"] == {"serviceAccountEmail": f"t4panel-runner@{PROJECT}.iam.gserviceaccount.com",
                                    "scope": "https://www.googleapis.com/auth/cloud-platform"}
    # No secret value anywhere but in Secret Manager's versions.
    for value in SECRETS.values():
        assert value not in json.dumps(state.run_jobs) and value not in json.dumps(state.scheduler_jobs)
        assert value not in json.dumps([s.to_json() for s in seen])


def test_setup_run_again_changes_nothing(cloud):
    CloudSchedule(vertex_config(), secrets=SECRETS).setup()
    before, writes = cloud.fake.snapshot(), len(cloud.fake.writes)
    bucket_before = json.dumps(cloud.storage.policies)
    steps = CloudSchedule(vertex_config(), secrets=SECRETS).setup()
    assert [s.state for s in steps] == [StepState.DONE] * len(STEP_KEYS)
    assert cloud.fake.writes[writes:] == []
    assert cloud.fake.snapshot() == before and json.dumps(cloud.storage.policies) == bucket_before


FAILURES = {
    "apis": "serviceusage.services.batchEnable",
    "service_account": "iam.CreateServiceAccount",
    "project_roles": "cloudresourcemanager.projects.setIamPolicy",
    "secrets": "secretmanager.projects.secrets.create",
    "secret_access": "secretmanager.projects.secrets.setIamPolicy",
    "run_job": "run.projects.locations.jobs.create",
    "run_invoker": "run.projects.locations.jobs.setIamPolicy",
    "scheduler_job": "cloudscheduler.projects.locations.jobs.create",
}


@pytest.mark.parametrize("step", sorted(FAILURES))
def test_a_failure_at_each_step_then_setup_resumed_completes_without_duplicates(cloud, step):
    cloud.fake.fail_once[FAILURES[step]] = 403
    seen = []
    with pytest.raises(CloudSetupError) as caught:
        CloudSchedule(vertex_config(), secrets=SECRETS, progress=seen.append).setup()
    assert caught.value.step == step
    assert seen[-1].key == step and seen[-1].state is StepState.FAILED
    assert "Permission" in caught.value.title or "permission" in caught.value.message
    steps = CloudSchedule(vertex_config(), secrets=SECRETS).setup()
    assert [s.state for s in steps] == [StepState.DONE] * len(STEP_KEYS)
    creates = sorted(w for w in cloud.fake.writes if w.endswith(("create", "CreateServiceAccount")))
    assert creates == ["iam.CreateServiceAccount", "run.jobs.create", "scheduler.jobs.create",
                       "secretmanager.secrets.create", "secretmanager.secrets.create"]  # one per secret
    state = cloud.fake.state
    assert all(len(v) == 1 for v in state.versions.values())
    assert len(state.run_jobs) == 1 and len(state.scheduler_jobs) == 1
    assert [m for r, m in cloud.fake.project.project_policy].count(RUNNER) == 2


def test_no_secret_value_reaches_any_log_record(cloud, caplog):
    import logging

    caplog.set_level(logging.DEBUG)
    CloudSchedule(vertex_config(), secrets=SECRETS).setup()
    CloudSchedule(vertex_config()).remove()
    assert caplog.records  # the clients did log (at DEBUG): the check below read something
    for value in SECRETS.values():
        assert value not in caplog.text


def test_a_cloud_run_operation_that_is_not_done_at_once_is_polled_to_its_end(cloud):
    cloud.fake.slow_operations = True
    CloudSchedule(vertex_config(), secrets=SECRETS).setup()
    assert "run.projects.locations.operations.get" in cloud.fake.run.calls
    assert JOB in cloud.fake.state.run_jobs
