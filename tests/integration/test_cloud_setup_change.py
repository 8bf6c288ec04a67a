"""The cloud schedule after setup: a changed config updates the cloud copy, status reports it, remove takes
away exactly what is ours, and Google's refusals reach the operator as sentences with the fix."""

from __future__ import annotations

import json

import pytest

from core.app.cloud_setup import STEP_KEYS, CloudSchedule, CloudSetupError, StepState
from core.store import config as config_mod
from tests.integration.cloud_fixtures import PROJECT, REGION, RUNNER, SECRETS, cloud, vertex_config
from tests.integration.fakes.cloud_server import Policy

__all__ = ["cloud"]
JOB = f"projects/{PROJECT}/locations/{REGION}/jobs/t4panel-runner"
DAILY = f"projects/{PROJECT}/locations/{REGION}/jobs/t4panel-daily"


def _cloud_config(cloud) -> config_mod.AppConfig:
    env = {e["name"]: e for e in cloud.fake.state.run_jobs[JOB]["template"]["template"]["containers"][0]["env"]}
    return config_mod.loads(env["T4PANEL_CONFIG_TOML"]["value"])


def test_status_after_setup_says_everything_is_there_and_in_step(cloud):
    CloudSchedule(vertex_config(), secrets=SECRETS).setup()
    status = CloudSchedule(vertex_config()).status()
    assert status.resources == dict.fromkeys(STEP_KEYS, True) and status.complete
    assert status.config_differs is False
    assert status.next_fire is not None and status.next_fire.endswith("Z")
    assert status.last_attempt is None and not status.missed
    data = json.loads(json.dumps(status.to_json()))  # JSON-able as it is
    assert data["complete"] is True and data["project"] == PROJECT


def test_status_of_nothing_lists_every_resource_missing(cloud):
    status = CloudSchedule(vertex_config()).status()
    assert status.resources == dict.fromkeys(STEP_KEYS, False) and status.config_differs is None


def test_status_reports_a_missed_fire_from_the_schedulers_last_attempt(cloud):
    CloudSchedule(vertex_config(), secrets=SECRETS).setup()
    with cloud.fake.lock:  # Cloud Scheduler tried at 01:00 and the runner was refused
        cloud.fake.state.scheduler_jobs[DAILY].update(
            lastAttemptTime="2026-11-29T16:00:00Z", status={"code": 7, "message": "Permission denied"})
    status = CloudSchedule(vertex_config()).status()
    assert status.last_attempt == "2026-11-29T16:00:00Z"
    assert status.last_status == "PERMISSION_DENIED" and status.missed


def test_a_job_change_patches_the_cloud_run_job_only(cloud):
    CloudSchedule(vertex_config(), secrets=SECRETS).setup()
    cfg = vertex_config()
    cfg.job.max_runtime_minutes = 120
    assert CloudSchedule(cfg).status().config_differs is True
    writes = len(cloud.fake.writes)
    assert CloudSchedule(cfg).update_config() is True
    assert cloud.fake.writes[writes:] == ["run.jobs.patch"]
    assert _cloud_config(cloud) == cfg
    task = cloud.fake.state.run_jobs[JOB]["template"]["template"]
    assert task["timeout"] == f"{(120 + 6 * 60 + 10) * 60}s"
    assert CloudSchedule(cfg).status().config_differs is False
    assert CloudSchedule(cfg).update_config() is False and cloud.fake.writes[writes + 1:] == []


def test_a_time_change_patches_the_job_and_the_schedulers_cron(cloud):
    CloudSchedule(vertex_config(), secrets=SECRETS).setup()
    cfg = vertex_config(time="06:30", weekdays=["mon", "wed", "sun"], timezone="Europe/Berlin")
    writes = len(cloud.fake.writes)
    assert CloudSchedule(cfg).update_config() is True
    assert cloud.fake.writes[writes:] == ["run.jobs.patch", "scheduler.jobs.patch"]
    daily = cloud.fake.state.scheduler_jobs[DAILY]
    assert (daily["schedule"], daily["timeZone"]) == ("30 6 * * 1,3,0", "Europe/Berlin")
    assert daily["httpTarget"]["oauthToken"]["serviceAccountEmail"].startswith("t4panel-runner@")


def _unrelated(cloud) -> None:
    """Someone else's things in the same project, some with roles T4 Panel also grants."""
    state, fake = cloud.fake.state, cloud.fake
    state.secrets[f"projects/{PROJECT}/secrets/db-password"] = {"name": f"projects/{PROJECT}/secrets/db-password",
                                                               "replication": {"automatic": {}}}
    state.versions[f"projects/{PROJECT}/secrets/db-password"] = [b"hunter2"]
    fake.iam.add("ci-bot-account", PROJECT, "the CI robot")
    fake.project.project_policy = [("roles/aiplatform.user", "user:boss@example.com"),
                                   ("roles/viewer", "serviceAccount:ci-bot-account@demo-proj.iam.gserviceaccount.com")]
    other = f"projects/{PROJECT}/locations/{REGION}/jobs/nightly-backup"
    state.scheduler_jobs[other] = {"name": other, "schedule": "0 3 * * *", "timeZone": "UTC",
                                   "httpTarget": {"uri": "https://example.com/backup"}}
    etl = f"projects/{PROJECT}/locations/{REGION}/jobs/etl"
    state.run_jobs[etl] = {"name": etl, "template": {"template": {"containers": [{"image": "busybox"}]}}}
    state.run_policies[etl] = Policy({"roles/run.invoker": ["user:boss@example.com"]})


def test_remove_leaves_nothing_of_ours_and_touches_nothing_else(cloud):
    with cloud.fake.lock:
        _unrelated(cloud)
    before = cloud.fake.snapshot()
    CloudSchedule(vertex_config(), secrets=SECRETS).setup()
    steps = CloudSchedule(vertex_config()).remove()
    assert [s.key for s in steps] == list(reversed(STEP_KEYS))
    assert {s.state for s in steps if s.key != "apis"} == {StepState.DONE}
    after = cloud.fake.snapshot()
    assert after["state"] == before["state"] and after["accounts"] == before["accounts"]
    assert after["policy"] == before["policy"]
    assert RUNNER not in json.dumps(cloud.storage.policies)
    assert f"{PROJECT}-t4panel" in cloud.storage.buckets  # the claims stay: History reads them
    # And again: nothing left to remove is not an error.
    writes = len(cloud.fake.writes)
    assert {s.state for s in CloudSchedule(vertex_config()).remove() if s.key != "apis"} == {StepState.DONE}
    assert cloud.fake.writes[writes:] == []


def test_a_same_named_service_account_someone_else_made_is_neither_used_nor_removed(cloud):
    cloud.fake.iam.add("t4panel-runner", PROJECT, "made by hand")
    with pytest.raises(CloudSetupError) as caught:
        CloudSchedule(vertex_config(), secrets=SECRETS).setup()
    assert caught.value.step == "service_account" and "did not make" in caught.value.message
    CloudSchedule(vertex_config()).remove()
    assert f"t4panel-runner@{PROJECT}.iam.gserviceaccount.com" in cloud.fake.iam.accounts


def test_without_keys_to_copy_setup_stops_at_the_secrets_and_says_how(cloud):
    with pytest.raises(CloudSetupError) as caught:
        CloudSchedule(vertex_config()).setup()
    assert caught.value.step == "secrets" and "Supabase URL and key" in caught.value.message


def test_a_refused_sign_in_says_sign_in_again(cloud, google_signed_in):
    google_signed_in.oauth.revoke_all()
    with pytest.raises(CloudSetupError) as caught:
        CloudSchedule(vertex_config(), secrets=SECRETS).setup()
    assert caught.value.title == "Sign in again" and "Sign in with Google again" in caught.value.message
    assert "Traceback" not in caught.value.message


def test_permission_denied_names_the_project_and_the_roles_to_ask_for(cloud):
    cloud.fake.setup.serviceusage.denied = True
    with pytest.raises(CloudSetupError) as caught:
        CloudSchedule(vertex_config(), secrets=SECRETS).setup()
    assert caught.value.title == "Permission needed"
    assert PROJECT in caught.value.message and "Owner" in caught.value.message


def test_a_secret_value_never_reaches_an_error_sentence(cloud):
    cloud.fake.fail_once["secretmanager.projects.secrets.addVersion"] = 500
    with pytest.raises(CloudSetupError) as caught:
        CloudSchedule(vertex_config(), secrets=SECRETS).setup()
    assert caught.value.step == "secrets"
    for value in SECRETS.values():
        assert value not in caught.value.message and value not in repr(caught.value.msg.to_json())


def test_a_job_with_its_own_service_account_lets_the_runner_act_as_that_one_account_only(cloud):
    with cloud.fake.lock:
        cloud.fake.project.enabled.add("iam.googleapis.com")
        cloud.fake.iam.add("predict-job", PROJECT, "the job's identity")
        cloud.fake.iam.add("other-robot", PROJECT)
    cfg = vertex_config()
    cfg.job.service_account = f"predict-job@{PROJECT}.iam.gserviceaccount.com"
    CloudSchedule(cfg, secrets=SECRETS).setup()
    job_sa = f"predict-job@{PROJECT}.iam.gserviceaccount.com"
    assert cloud.fake.iam.policies[job_sa].bindings == {"roles/iam.serviceAccountUser": [RUNNER]}
    assert f"other-robot@{PROJECT}.iam.gserviceaccount.com" not in cloud.fake.iam.policies
    assert CloudSchedule(cfg).status().resources["project_roles"] is True
    CloudSchedule(cfg).remove()
    assert not any(cloud.fake.iam.policies[job_sa].bindings.values())
    assert job_sa in cloud.fake.iam.accounts  # the job's own account is not ours to delete
