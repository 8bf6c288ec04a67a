"""The Vertex AI job's own account may read the Supabase keys in Secret Manager (its bootstrap reads them as that
account), from the cloud schedule's setup and from Settings' "keep the keys in Secret Manager" alone; remove takes
away exactly our bindings. Real client libraries against the strict fakes."""

from __future__ import annotations

import pytest

from core.app import cloud_spec
from core.app.cloud_keys import KEY_STEPS, KeysInSecretManager
from core.app.cloud_setup import CloudSchedule, CloudSetupError, StepState
from tests.integration.cloud_fixtures import PROJECT, RUNNER, SECRETS, SERVICE_AGENT, cloud, vertex_config
from tests.integration.fakes.cloud_server import Policy

__all__ = ["cloud"]  # the fixture, imported for pytest
ACCESSOR = "roles/secretmanager.secretAccessor"
JOB_SA = f"predict-job@{PROJECT}.iam.gserviceaccount.com"
NAMES = [f"projects/{PROJECT}/secrets/{s}" for s in cloud_spec.SECRET_IDS.values()]


def readers(cloud, name):
    return sorted(cloud.fake.state.secret_policies[name].bindings.get(ACCESSOR, []))


def test_setup_lets_the_jobs_own_service_account_read_the_keys(cloud):
    cloud.fake.iam.add("predict-job", PROJECT)
    cfg = vertex_config()
    cfg.job.service_account = JOB_SA
    steps = CloudSchedule(cfg, secrets=SECRETS).setup()
    for name in NAMES:
        assert readers(cloud, name) == sorted([RUNNER, f"serviceAccount:{JOB_SA}"])
    access = next(s for s in steps if s.key == "secret_access")
    assert JOB_SA in access.detail.text and "t4panel-runner@" in access.detail.text
    assert CloudSchedule(cfg).status().resources["secret_access"] is True


def test_a_job_service_account_that_does_not_exist_stops_at_the_access_step_with_a_sentence(cloud):
    cfg = vertex_config()
    cfg.job.service_account = f"typo-job@{PROJECT}.iam.gserviceaccount.com"
    with pytest.raises(CloudSetupError) as caught:
        CloudSchedule(cfg, secrets=SECRETS).setup()
    # the act-as grant on the job's account comes first and meets the missing account there
    assert caught.value.step in ("project_roles", "secret_access")
    assert "Traceback" not in caught.value.message


def test_status_sees_the_service_agents_binding_missing(cloud):
    CloudSchedule(vertex_config(), secrets=SECRETS).setup()
    cloud.fake.state.secret_policies[NAMES[1]].bindings[ACCESSOR].remove(SERVICE_AGENT)
    assert CloudSchedule(vertex_config()).status().resources["secret_access"] is False
    CloudSchedule(vertex_config()).setup()  # resumes: puts back only what is missing
    assert readers(cloud, NAMES[1]) == sorted([RUNNER, SERVICE_AGENT])


def test_the_keys_alone_make_both_secrets_readable_by_the_service_agent_only(cloud):
    cfg = vertex_config()
    cfg.cloud.keys_in_secret_manager = True
    seen = []
    steps = KeysInSecretManager(cfg, secrets=SECRETS, progress=seen.append).setup()
    assert [(s.key, s.state) for s in steps] == [(k, StepState.DONE) for k in KEY_STEPS]
    state = cloud.fake.state
    assert {"secretmanager.googleapis.com", "aiplatform.googleapis.com"} <= cloud.fake.project.enabled
    assert "run.googleapis.com" not in cloud.fake.project.enabled  # only what the keys need
    for key, name in zip(cloud_spec.SECRET_IDS, NAMES, strict=True):
        assert state.versions[name] == [SECRETS[key].encode()]
        assert state.secrets[name]["labels"] == {"t4panel": "cloud-schedule"}
        assert readers(cloud, name) == [SERVICE_AGENT]  # no runner: there is no cloud schedule
    assert not cloud.fake.iam.accounts  # no service account was made
    before = cloud.fake.snapshot()
    KeysInSecretManager(cfg, secrets=SECRETS).setup()  # again: looks, changes nothing
    assert cloud.fake.snapshot() == before


def test_a_changed_key_adds_one_version_and_an_unchanged_one_adds_none(cloud):
    cfg = vertex_config()
    KeysInSecretManager(cfg, secrets=SECRETS).setup()
    changed = {**SECRETS, "supabase-key": "sb_secret_NEW-value-43"}
    assert KeysInSecretManager(cfg, secrets=changed).update_keys() == ["t4panel-supabase-key"]
    state = cloud.fake.state
    assert state.versions[NAMES[1]] == [SECRETS["supabase-key"].encode(), b"sb_secret_NEW-value-43"]
    assert state.versions[NAMES[0]] == [SECRETS["supabase-url"].encode()]
    assert KeysInSecretManager(cfg, secrets=changed).update_keys() == []


def test_remove_with_the_keys_kept_takes_away_only_the_runners_access(cloud):
    cfg = vertex_config()
    cfg.cloud.keys_in_secret_manager = True
    KeysInSecretManager(cfg, secrets=SECRETS).setup()
    with cloud.fake.lock:  # someone else's reader, there before the cloud schedule
        cloud.fake.state.secret_policies[NAMES[0]].bindings[ACCESSOR].append("user:alice@example.com")
    before = {name: readers(cloud, name) for name in NAMES}
    CloudSchedule(cfg, secrets=SECRETS).setup()
    assert RUNNER in readers(cloud, NAMES[0])
    steps = CloudSchedule(cfg).remove()
    assert next(s for s in steps if s.key == "secrets").state == StepState.DONE
    assert {name: readers(cloud, name) for name in NAMES} == before  # exactly what was there before
    assert cloud.fake.state.versions[NAMES[1]] == [SECRETS["supabase-key"].encode()]


def test_remove_without_the_choice_deletes_the_secrets_with_their_bindings(cloud):
    CloudSchedule(vertex_config(), secrets=SECRETS).setup()
    CloudSchedule(vertex_config()).remove()
    assert not cloud.fake.state.secrets and not cloud.fake.state.secret_policies


def test_delete_removes_only_our_secrets(cloud):
    cfg = vertex_config()
    KeysInSecretManager(cfg, secrets=SECRETS).setup()
    other = f"projects/{PROJECT}/secrets/someone-elses"
    with cloud.fake.lock:
        cloud.fake.state.secrets[other] = {"name": other, "replication": {"automatic": {}}}
        cloud.fake.state.secret_policies[other] = Policy()
    KeysInSecretManager(cfg).delete()
    assert set(cloud.fake.state.secrets) == {other}


def test_the_fake_refuses_a_reader_that_does_not_exist(cloud):
    """The fake is only as good as what it refuses: the service agent named by the project id, not its number."""
    from google.api_core import exceptions

    from core.google import cloud_clients

    cfg = vertex_config()
    KeysInSecretManager(cfg, secrets=SECRETS).setup()
    client = cloud_clients.secret_manager_client()
    policy = client.get_iam_policy(request={"resource": NAMES[0]})
    policy.bindings.add(role=ACCESSOR, members=[f"serviceAccount:service-{PROJECT}@gcp-sa-aiplatform-cc"
                                                ".iam.gserviceaccount.com"])
    with pytest.raises(exceptions.BadRequest):
        client.set_iam_policy(request={"resource": NAMES[0], "policy": policy})


def test_a_refusal_is_a_sentence_at_the_step_that_failed(cloud):
    cloud.fake.fail_once["secretmanager.projects.secrets.setIamPolicy"] = 403
    with pytest.raises(CloudSetupError) as caught:
        KeysInSecretManager(vertex_config(), secrets=SECRETS).setup()
    assert caught.value.step == "keys_access"
    assert "refused" in caught.value.message and PROJECT in caught.value.message
    assert SECRETS["supabase-key"] not in caught.value.message


def _set(name: str, value: str) -> tuple[int, str, str]:
    import argparse
    import io

    from core.app import cli_secrets
    from core.store.secrets import SecretStore

    out, err = io.StringIO(), io.StringIO()
    args = argparse.Namespace(secrets_command="set", name=name)
    code = cli_secrets.handle(args, out, err, io.StringIO(value + "\n"), SecretStore(session_only=True))
    return code, out.getvalue(), err.getvalue()


def test_secrets_set_adds_a_version_when_secret_manager_holds_the_keys(cloud):
    from core.store import config as config_mod

    cfg = vertex_config()
    cfg.cloud.keys_in_secret_manager = True
    config_mod.save(cfg)
    KeysInSecretManager(cfg, secrets=SECRETS).setup()
    code, out, err = _set("supabase-key", "sb_secret_CLI-99")
    assert code == 0, err
    assert f"Secret Manager in project {PROJECT} has the new value too" in out and "sb_secret_CLI" not in out
    assert cloud.fake.state.versions[NAMES[1]][-1] == b"sb_secret_CLI-99"
    assert len(cloud.fake.state.versions[NAMES[0]]) == 1

    cloud.fake.fail_once["secretmanager.projects.secrets.addVersion"] = 403
    code, out, err = _set("supabase-key", "sb_secret_CLI-100")
    assert code == 1 and "still holds the old value" in err and "sb_secret_CLI-100" not in err
    assert "Traceback" not in err


def test_secrets_set_touches_no_cloud_when_the_keys_are_only_here(cloud):
    from core.store import config as config_mod

    config_mod.save(vertex_config())
    code, out, _ = _set("supabase-key", "sb_secret_CLI-1")
    assert code == 0 and "Secret Manager" not in out
    assert cloud.fake.writes == []


@pytest.mark.parametrize("own_account", [False, True])
def test_the_vertex_jobs_bootstrap_reads_the_keys_as_the_jobs_account(cloud, tmp_path, own_account):
    """End to end: what setup granted in the fake project decides what the bootstrap, run as the job's account
    (the metadata server's), may read; the operator's command then has both keys."""
    from core.backends.vertex import bootstrap
    from tests.integration.fakes.metadata_server import FakeMetadata, FakeSecretManager
    from tests.integration.test_secret_bootstrap import run_bootstrap

    cfg = vertex_config()
    if own_account:
        cloud.fake.iam.add("predict-job", PROJECT)
        cfg.job.service_account = JOB_SA
    KeysInSecretManager(cfg, secrets=SECRETS).setup()
    account = JOB_SA if own_account else SERVICE_AGENT.removeprefix("serviceAccount:")
    state = cloud.fake.state
    values = {name: state.versions[name][-1].decode() for name in NAMES}
    readable = {name for name in NAMES if f"serviceAccount:{account}" in readers(cloud, name)}
    with FakeMetadata(service_account=account) as meta, FakeSecretManager(meta, values, accessors=readable) as sm:
        done, out = run_bootstrap(tmp_path, meta.host, sm.url, refs=bootstrap.supabase_refs(PROJECT))
    assert done.returncode == 0, done.stderr
    assert out.read_text(encoding="utf-8").splitlines() == [SECRETS["supabase-key"], SECRETS["supabase-url"]]
