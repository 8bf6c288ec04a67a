"""The secret bootstrap, RUN as the container would run it: `python3 -c <script> <operator's command...>` against
a fake metadata server and a fake Secret Manager. The operator's command sees the keys in its environment; every
refusal is a sentence on stderr that names what to fix, and the operator's command never starts then."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from core.backends.base import LaunchRequest
from core.backends.vertex import bootstrap
from core.backends.vertex.spec import build_custom_job
from core.errors import BackendError
from core.store.config import JobConfig
from tests.integration.fakes.metadata_server import TOKEN_PATH, FakeMetadata, FakeSecretManager

KEY = "sb_secret_bootstrap_7Hq2LmX9pR4tZ0wY"
URL = "https://bootstrap-abcdefgh.supabase.co"
REFS = bootstrap.supabase_refs("my-proj")
SECRETS = {"projects/my-proj/secrets/t4panel-supabase-key": KEY,
           "projects/my-proj/secrets/t4panel-supabase-url": URL}
# The operator's command: writes what it received to a file, so the test sees the child's own environment.
CHILD = ["-c", "import os, sys; open(sys.argv[1], 'w').write(os.environ.get('SUPABASE_KEY', '-') + '\\n' + "
         "os.environ.get('SUPABASE_URL', '-'))"]


def run_bootstrap(tmp_path: Path, metadata_host: str, endpoint: str, command: list[str] | None = None,
                  refs: dict[str, str] | None = None) -> tuple[subprocess.CompletedProcess[str], Path]:
    out = tmp_path / "child.txt"
    argv = [sys.executable, "-c", bootstrap.script_source(),
            *(command if command is not None else [sys.executable, *CHILD, str(out)])]
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SUPABASE_", "T4PANEL_"))}
    env |= {bootstrap.SECRETS_ENV: bootstrap.refs_value(REFS if refs is None else refs),
            "GCE_METADATA_HOST": metadata_host, "T4PANEL_SECRETMANAGER_ENDPOINT": endpoint}
    done = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=60, check=False)
    return done, out


def test_the_operator_command_gets_the_keys_read_with_the_metadata_token(tmp_path):
    with FakeMetadata() as meta, FakeSecretManager(meta, SECRETS) as sm:
        done, out = run_bootstrap(tmp_path, meta.host, sm.url)
    assert done.returncode == 0, done.stderr
    assert out.read_text(encoding="utf-8").splitlines() == [KEY, URL]
    assert "read SUPABASE_KEY, SUPABASE_URL from Secret Manager" in done.stderr
    assert KEY not in done.stderr and KEY not in done.stdout  # the values are never printed
    (ask,) = meta.seen
    assert ask.path == TOKEN_PATH and ask.headers["metadata-flavor"] == "Google"
    token = next(iter(meta.issued))
    assert sorted(s.path for s in sm.seen) == sorted(f"/v1/{r}:access" for r in REFS.values())
    assert {s.headers["authorization"] for s in sm.seen} == {f"Bearer {token}"}  # the token the metadata issued


def test_a_missing_accessor_role_is_named_and_the_command_never_runs(tmp_path):
    only_url = {"projects/my-proj/secrets/t4panel-supabase-url"}
    with FakeMetadata() as meta, FakeSecretManager(meta, SECRETS, accessors=only_url) as sm:
        done, out = run_bootstrap(tmp_path, meta.host, sm.url)
    assert done.returncode == 78 and not out.exists()
    assert "t4panel-supabase-key" in done.stderr and "roles/secretmanager.secretAccessor" in done.stderr
    assert "Traceback" not in done.stderr


def test_a_job_without_a_service_account_says_to_set_one(tmp_path):
    with FakeMetadata(service_account=None) as meta, FakeSecretManager(meta, SECRETS) as sm:
        done, out = run_bootstrap(tmp_path, meta.host, sm.url)
    assert done.returncode == 78 and not out.exists()
    assert "HTTP 404" in done.stderr and "service account" in done.stderr and sm.seen == []


def test_a_missing_secret_says_to_copy_the_keys_again(tmp_path):
    with FakeMetadata() as meta, FakeSecretManager(meta, {}, accessors=set(SECRETS)) as sm:
        done, out = run_bootstrap(tmp_path, meta.host, sm.url)
    assert done.returncode == 78 and not out.exists()
    assert "does not exist" in done.stderr and "Set up" in done.stderr


def test_a_token_the_metadata_server_never_issued_is_refused(tmp_path):
    with FakeMetadata() as meta, FakeMetadata() as other, FakeSecretManager(other, SECRETS) as sm:
        done, out = run_bootstrap(tmp_path, meta.host, sm.url)
    assert done.returncode == 78 and "HTTP 401" in done.stderr and not out.exists()


def test_an_endpoint_off_this_machine_gets_no_token(tmp_path):
    with FakeMetadata() as meta:
        done, out = run_bootstrap(tmp_path, meta.host, "http://secretmanager.example.com")
    assert done.returncode == 78 and "may only name this machine" in done.stderr
    assert meta.seen == [] and not out.exists()


def test_an_unreachable_metadata_server_is_said_in_a_sentence(tmp_path):
    with FakeMetadata() as meta, FakeSecretManager(meta, SECRETS) as sm:
        gone = meta.host
    done, out = run_bootstrap(tmp_path, gone, sm.url)
    assert done.returncode == 78 and "metadata server" in done.stderr and "did not answer" in done.stderr
    assert not out.exists() and "Traceback" not in done.stderr


def test_without_a_command_the_bootstrap_says_what_to_fill_in(tmp_path):
    with FakeMetadata() as meta, FakeSecretManager(meta, SECRETS) as sm:
        done, _ = run_bootstrap(tmp_path, meta.host, sm.url, command=[])
    assert done.returncode == 78 and "Fill in Command" in done.stderr and meta.seen == []


def _request(command: list[str], refs: dict[str, str]) -> LaunchRequest:
    job = JobConfig(backend="vertex", project_id="my-proj", image_uri="img:1", command=command, args=["--day", "1"],
                    env={"MODE": "daily"})
    return LaunchRequest(run_id="r1", job=job, display_name="daily", labels={"t4panel-run": "r1"}, run_dir="",
                         secret_env={"SUPABASE_KEY": KEY, "SUPABASE_URL": URL}, secret_refs=refs)


def test_the_job_spec_wraps_the_command_and_carries_names_only():
    job = build_custom_job(_request(["python", "predict.py"], REFS))
    container = job.job_spec.worker_pool_specs[0].container_spec
    assert list(container.command) == ["python3", "-c", bootstrap.script_source(), "python", "predict.py"]
    assert list(container.args) == ["--day", "1"]
    env = {e.name: e.value for e in container.env}
    assert env == {"MODE": "daily", "T4PANEL_SECRETS": bootstrap.refs_value(REFS)}
    assert KEY not in type(job).to_json(job) and URL not in type(job).to_json(job)


def test_an_empty_command_cannot_be_wrapped_and_the_launch_says_what_to_fill_in():
    with pytest.raises(BackendError) as info:
        build_custom_job(_request([], REFS))
    assert info.value.msg.id == "vertex.bootstrap_no_command" and "Fill in Command" in info.value.message


def test_without_refs_the_less_safe_plain_env_is_kept():
    job = build_custom_job(_request(["python", "predict.py"], {}))
    container = job.job_spec.worker_pool_specs[0].container_spec
    assert list(container.command) == ["python", "predict.py"]
    assert {e.name: e.value for e in container.env}["SUPABASE_KEY"] == KEY



# google-auth reads GCE_METADATA_HOST when it is imported: the credentials are tried in a process of their own.
_REFRESH_TWICE = """
from google.auth import compute_engine
from google.auth.transport.requests import Request
creds = compute_engine.Credentials()
creds.refresh(Request())
first = creds.token
creds.refresh(Request())  # google-auth now knows the account's email, and asks by it
print(creds.service_account_email, first != creds.token, creds.token)
try:
    compute_engine.Credentials(service_account_email="someone-else@my-proj.iam.gserviceaccount.com").refresh(Request())
except Exception as exc:
    print("other account:", type(exc).__name__, "404" in str(exc))
"""


def test_the_metadata_fake_answers_for_the_account_by_email_as_well_as_default():
    """google-auth's Compute Engine credentials ask for "default" first and, once they know the account's email,
    by the email (a second refresh, a copy with a quota project). Google's metadata server answers both; a fake
    that knew only "default" made `t4panel fire` fail now and then in the Cloud Run test (RefreshError, 404)."""
    from tests.integration.fakes.metadata_server import RUNNER

    with FakeMetadata() as meta:
        env = dict(os.environ, GCE_METADATA_HOST=meta.host, GCE_METADATA_IP=meta.host)
        done = subprocess.run([sys.executable, "-c", _REFRESH_TWICE], env=env, capture_output=True, text=True,
                              timeout=60, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    email, renewed, token = done.stdout.splitlines()[0].split()
    assert (email, renewed) == (RUNNER, "True") and meta.valid(token)  # a token the fake issued, by email
    assert any(s.path.startswith(f"/computeMetadata/v1/instance/service-accounts/{RUNNER}/") for s in meta.seen)
    assert done.stdout.splitlines()[1] == "other account: RefreshError True"  # an account it does not have: 404
