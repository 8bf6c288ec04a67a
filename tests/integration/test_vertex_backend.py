"""VertexBackend against the fake Vertex and Cloud Logging servers, through the real client libraries."""

from __future__ import annotations

import os
import time
from datetime import datetime

import pytest

from core.backends.base import BackendStatus, LaunchRequest, LogLine
from core.backends.vertex.backend import VertexBackend
from core.errors import BackendError
from core.google.logs import ReadLimiter
from core.store.config import JobConfig
from core.store.runs import RunState
from tests.integration.fakes.logging_server import scaled_quota
from tests.integration.fakes.vertex_server import FakeCloud, Faults, Script

SECRET = "sb_secret_abcdef123456"


@pytest.fixture
def cloud(monkeypatch, google_signed_in):
    with FakeCloud(monkeypatch) as c:
        c.logging.read_quota = scaled_quota(0.01)  # the log reads of this file's clock
        yield c


def make_backend(**kw) -> VertexBackend:
    kw.setdefault("rpc_timeout", 2.0)
    return VertexBackend(min_poll_seconds=0.02, limiter=ReadLimiter(0.01), log_lag_seconds=0.05, **kw)


def job_config(**kw) -> JobConfig:
    base = dict(backend="vertex", project_id="my-proj", region="us-central1", image_uri="us-docker.pkg.dev/p/r/img:1",
                command=["python", "-u", "predict.py"], args=["--day", "today"], env={"MODE": "daily"})
    base.update(kw)
    return JobConfig(**base)


def request(run_id: str = "rtest0001", job: JobConfig | None = None, **kw) -> LaunchRequest:
    labels = kw.pop("labels", {"t4panel-run": run_id})
    return LaunchRequest(run_id=run_id, job=job or job_config(), display_name=kw.pop("display_name", "t4-predict"),
                         labels=labels, run_dir="/nonexistent", secret_env=kw.pop("secret_env", {}), **kw)


def watch(backend: VertexBackend, handle: str, timeout: float = 5.0, cancel_in: str | None = None):
    """Poll and read the log the way the controller does; returns (states seen, final status, lines)."""
    reader = backend.open_log(handle, os.path.join(os.environ["T4PANEL_HOME"], "runs", handle.rsplit("/", 1)[1]))
    states: list[RunState] = []
    lines: list[LogLine] = []
    since, deadline = time.monotonic(), time.monotonic() + timeout
    status: BackendStatus | None = None
    while time.monotonic() < deadline:
        status = backend.poll(handle)
        if not states or states[-1] != status.state:
            states.append(status.state)
            since = time.monotonic()
        if cancel_in is not None and status.state.value == cancel_in:
            backend.cancel(handle)
            cancel_in = None
        lines += reader.read_new()
        if status.state.terminal:
            lines += reader.drain()
            return states, status, lines
        time.sleep(backend.poll_interval(status.state, time.monotonic() - since))
    raise AssertionError(f"job did not end; states {states}")


def test_cpu_only_job_asks_for_no_accelerator_and_vertex_takes_it(cloud):
    """The Cost page's "without a GPU" advice sets 0 GPUs: the machine alone, on a larger N1 than a T4 allows."""
    backend = make_backend()
    handle = backend.launch(request("rcpu00001", job_config(machine_type="n1-highmem-64", accelerator_count=0)))
    (create,) = cloud.vertex.creates()
    assert create.body["jobSpec"]["workerPoolSpecs"][0]["machineSpec"] == {"machineType": "n1-highmem-64"}
    assert backend.poll(handle).state in (RunState.QUEUED, RunState.PENDING, RunState.RUNNING, RunState.SUCCEEDED)


def test_create_request_has_the_t4_machine_spec_timeout_strategy_labels_and_env(cloud):
    from google.cloud.aiplatform_v1.types import AcceleratorType, Scheduling

    backend = make_backend()
    job = job_config(accelerator_count=2, spot=True, max_runtime_minutes=90, boot_disk_gb=200,
                     service_account="runner@my-proj.iam.gserviceaccount.com")
    labels = {"t4panel-run": "rspec0001", "t4panel-occurrence": "20261129t0100z"}
    handle = backend.launch(request("rspec0001", job, labels=labels,
                                    secret_env={"SUPABASE_URL": "https://x.supabase.co", "SUPABASE_KEY": SECRET}))

    (create,) = cloud.vertex.creates()
    assert create.path == "/v1/projects/my-proj/locations/us-central1/customJobs"
    body = create.body
    pool = body["jobSpec"]["workerPoolSpecs"][0]
    assert AcceleratorType.NVIDIA_TESLA_T4 == 5
    assert pool["machineSpec"] == {"machineType": "n1-standard-4", "acceleratorType": 5, "acceleratorCount": 2}
    assert pool["replicaCount"] == "1"  # int64 travels as a string
    assert pool["diskSpec"] == {"bootDiskType": "pd-ssd", "bootDiskSizeGb": 200}
    container = pool["containerSpec"]
    assert container["imageUri"] == "us-docker.pkg.dev/p/r/img:1"
    assert container["command"] == ["python", "-u", "predict.py"] and container["args"] == ["--day", "today"]
    env = {e["name"]: e["value"] for e in container["env"]}
    assert env == {"MODE": "daily", "SUPABASE_URL": "https://x.supabase.co", "SUPABASE_KEY": SECRET}
    assert body["jobSpec"]["scheduling"] == {"timeout": "5400s", "strategy": Scheduling.Strategy.SPOT.value}
    assert body["jobSpec"]["serviceAccount"] == "runner@my-proj.iam.gserviceaccount.com"
    assert body["labels"] == labels
    assert body["displayName"] == "t4-predict"
    outside_env = str({k: v for k, v in body.items() if k != "jobSpec"})
    assert SECRET not in outside_env and "x.supabase.co" not in outside_env
    assert handle.startswith("projects/123456789012/locations/us-central1/customJobs/")


def test_standard_strategy_and_timeout_always_set(cloud):
    make_backend().launch(request(job=job_config(spot=False, max_runtime_minutes=10)))
    scheduling = cloud.vertex.creates()[0].body["jobSpec"]["scheduling"]
    assert scheduling == {"timeout": "600s", "strategy": 3}


def test_secret_in_display_name_is_refused_before_any_call(cloud):
    with pytest.raises(BackendError, match="secret"):
        make_backend().launch(request(display_name=f"run {SECRET}", secret_env={"SUPABASE_KEY": SECRET}))
    assert cloud.vertex.requests == []


def test_full_lifecycle_states_times_and_log_lines_in_order_none_twice(cloud):
    logs = [(i * 0.02, f"line {i}", "WARNING" if i == 5 else "INFO") for i in range(20)]
    cloud.vertex.script = Script(queued=0.3, pending=0.3, running=0.5, logs=logs, log_delay=0.02)
    backend = make_backend()
    handle = backend.launch(request())
    states, status, lines = watch(backend, handle)
    assert states == [RunState.QUEUED, RunState.PENDING, RunState.RUNNING, RunState.SUCCEEDED]
    assert [ln.text for ln in lines] == [f"line {i}" for i in range(20)]
    assert lines[5].severity == "WARNING" and lines[0].severity == "INFO"
    assert isinstance(status.started, datetime) and status.started.tzinfo is not None
    assert status.ended is not None and status.ended > status.started
    assert status.error is None
    # Nothing is read from Cloud Logging before the job leaves PENDING.
    first_read = cloud.logging.requests[0].at
    assert first_read >= status.started.timestamp()
    assert "job_id=\"" + handle.rsplit("/", 1)[1] + "\"" in cloud.logging.requests[0].filter


def test_failed_job_shows_its_error(cloud):
    cloud.vertex.script = Script(running=0.1, outcome="FAILED", error="The replica workerpool0-0 exited with a "
                                 "non-zero status of 2. Termination reason: Error.")
    backend = make_backend()
    _, status, _ = watch(backend, backend.launch(request()))
    assert status.state == RunState.FAILED
    assert "non-zero status of 2" in status.error
    assert status.ended is not None


def test_cancel_goes_cancelling_then_cancelled(cloud):
    cloud.vertex.script = Script(running=10.0, cancel_delay=0.6)  # long enough to see CANCELLING on a busy machine
    backend = make_backend()
    handle = backend.launch(request())
    states, status, _ = watch(backend, handle, cancel_in="RUNNING")
    assert states[-2:] == [RunState.CANCELLING, RunState.CANCELLED]
    assert status.state == RunState.CANCELLED and status.ended is not None and status.error
    assert cloud.vertex.calls("cancel") == 1


def test_expired_is_terminal_with_update_time_as_end(cloud):
    cloud.vertex.script = Script(outcome="EXPIRED")
    backend = make_backend()
    handle = backend.launch(request())
    _, status, lines = watch(backend, handle)
    assert status.state == RunState.EXPIRED and status.state.terminal
    assert status.started is None and status.ended is not None  # no end_time: update_time stands in
    assert "expired" in str(status.error).lower() and status.error.id == "vertex.expired"
    assert lines == [] and cloud.logging.requests == []  # never ran, so its log was never read


@pytest.mark.parametrize("code,status,message,spot,expect", [
    (429, "RESOURCE_EXHAUSTED", ("The following quota metrics exceed quota limits: "
     "aiplatform.googleapis.com/custom_model_training_nvidia_t4_gpus"), False, "custom_model_training_nvidia_t4_gpus"),
    (429, "RESOURCE_EXHAUSTED", ("Quota exceeded for aiplatform.googleapis.com/"
     "custom_model_training_preemptible_nvidia_t4_gpus"), True, "custom_model_training_preemptible_nvidia_t4_gpus"),
    (403, "PERMISSION_DENIED", "Permission 'aiplatform.customJobs.create' denied", False, "roles/aiplatform.user"),
    (403, "PERMISSION_DENIED", "Vertex AI API has not been used in project 1 before or it is disabled.", False,
     "Enable"),
    (400, "INVALID_ARGUMENT", "Machine type n1-standard-2 does not support 4 NVIDIA_TESLA_T4.", False,
     "n1-standard-2 does not support"),
    (404, "NOT_FOUND", "Project my-proj not found", False, "Check the project id"),
    (401, "UNAUTHENTICATED", "Request had invalid authentication credentials.", False, "Sign in again"),
])
def test_permanent_errors_stop_at_once_with_what_to_fix(cloud, google_signed_in, code, status, message, spot,
                                                        expect):
    cloud.vertex.faults.create_error = (code, status, message)
    with pytest.raises(BackendError) as info:
        make_backend().launch(request(job=job_config(spot=spot)))
    assert expect in info.value.message
    assert "Traceback" not in info.value.message and info.value.__cause__ is not None
    refreshes = [r for r in google_signed_in.oauth.token_requests if r["grant_type"] == "refresh_token"]
    if code == 401:  # a refused token is refreshed once and the request tried once more, no further
        assert cloud.vertex.calls("create") == 2 and len(refreshes) == 2
    else:
        assert cloud.vertex.calls("create") == 1 and len(refreshes) == 1  # never retried
    assert cloud.vertex.jobs == {}


def test_launch_adopts_a_job_already_created_for_the_run(cloud):
    backend = make_backend()
    first = backend.launch(request("radopt0001"))
    second = make_backend().launch(request("radopt0001"))  # a relaunch after a crash, say
    assert first == second and cloud.vertex.calls("create") == 1
    assert 'labels.t4panel-run="radopt0001"' in cloud.vertex.requests[0].query["filter"][0]


def test_find_by_run_id_and_occurrence(cloud):
    backend = make_backend()
    labels = {"t4panel-run": "rfind0001", "t4panel-occurrence": "20261129t0100z"}
    handle = backend.launch(request("rfind0001", labels=labels))
    assert backend.find_by_run_id("rfind0001", job_config()) == handle
    assert backend.find_by_run_id("rnothing01", job_config()) is None
    assert backend.find_by_occurrence("20261129t0100z", job_config()) == handle


def test_orphans_are_running_labelled_jobs_unknown_to_history(cloud):
    cloud.vertex.script = Script(queued=10.0)
    backend = make_backend()
    known = backend.launch(request("rknown0001"))
    orphan = backend.launch(request("rorphan001"))
    done = backend.launch(request("rdone00001"))
    backend.cancel(done)
    time.sleep(0.1)
    orphans = backend.list_orphans(job_config(), {"rknown0001"})
    assert [(o.name, o.run_label, o.state) for o in orphans] == [(orphan, "rorphan001", RunState.QUEUED)]
    assert orphans[0].create_time is not None and known not in [o.name for o in orphans]


def test_console_url_points_at_the_job():
    url = VertexBackend().console_url("projects/my-proj/locations/asia-northeast3/customJobs/987")
    assert url.startswith("https://console.cloud.google.com/")
    assert "locations/asia-northeast3/training/987" in url and url.endswith("project=my-proj")


def test_poll_interval_never_below_minimum_and_adaptive():
    b = VertexBackend()
    for state in RunState:
        for s in (0, 30, 119, 121, 600, 3600):
            assert b.poll_interval(state, s) >= 5.0
    assert b.poll_interval(RunState.QUEUED, 5) < b.poll_interval(RunState.QUEUED, 600)
    assert b.poll_interval(RunState.RUNNING, 5) < b.poll_interval(RunState.RUNNING, 1800)
    assert VertexBackend(min_poll_seconds=0.05).poll_interval(RunState.RUNNING, 0) >= 0.05


def test_transient_poll_failure_raises_transient_error(cloud):
    from core.errors import TransientBackendError

    backend = make_backend()
    handle = backend.launch(request())
    cloud.vertex.set_faults(Faults(error_rate=1.0, error_codes=(503,)))
    with pytest.raises(TransientBackendError):
        backend.poll(handle)


def test_cancel_of_a_job_that_already_ended_is_not_an_error(cloud):
    cloud.vertex.script = Script(queued=0.0, pending=0.0, running=0.0)
    backend = make_backend()
    handle = backend.launch(request())
    time.sleep(0.05)
    backend.cancel(handle)  # the server answers FAILED_PRECONDITION: nothing left to stop
    assert backend.poll(handle).state == RunState.SUCCEEDED


@pytest.mark.parametrize("endpoint,dev,expect", [
    ("http://127.0.0.1:9", "", "operator"), ("http://127.0.0.1:9", "1", "anonymous"),
    ("http://localhost:9", "1", "anonymous"), ("http://[::1]:9", "1", "anonymous"),
    ("https://10.1.2.3:9", "", "operator"), ("https://10.1.2.3:9", "1", "operator"),
    ("https://127.0.0.1.example.com", "1", "operator"), ("", "1", "operator"),
    ("http://10.1.2.3:9", "1", "https only"), ("http://10.1.2.3:9", "", "https only"),
])
def test_only_declared_dev_loopback_endpoints_get_anonymous_credentials(monkeypatch, endpoint, dev, expect):
    from google.auth.credentials import AnonymousCredentials

    from core.errors import AuthError
    from core.google import endpoints

    monkeypatch.setenv("T4PANEL_VERTEX_ENDPOINT", endpoint)
    monkeypatch.setenv("T4PANEL_LOGGING_ENDPOINT", endpoint.split("//")[-1])
    monkeypatch.setenv("T4PANEL_DEV_ANONYMOUS", dev)
    asked: list[str] = []

    def not_signed_in():
        asked.append("credentials")
        raise AuthError("Sign in with Google first.")

    monkeypatch.setattr(endpoints, "_provider", not_signed_in)
    if expect == "anonymous":
        client = endpoints.job_service_client("us-central1")
        assert isinstance(client._transport._credentials, AnonymousCredentials)
        endpoints.logging_client()
        assert asked == []
    elif expect == "operator":
        with pytest.raises(AuthError, match="Sign in with Google first"):
            endpoints.job_service_client("us-central1")
        with pytest.raises(AuthError, match="Sign in with Google first"):
            endpoints.logging_client()
        assert asked == ["credentials", "credentials"]
    else:  # the token would cross the network in clear: refused before any credential is loaded
        with pytest.raises(AuthError, match="only over https") as info:
            endpoints.job_service_client("us-central1")
        assert "T4PANEL_VERTEX_ENDPOINT" in info.value.message and "10.1.2.3" in info.value.message
        assert asked == []


def test_default_endpoint_is_regional(monkeypatch):
    from core.google import endpoints

    monkeypatch.delenv("T4PANEL_VERTEX_ENDPOINT", raising=False)
    assert endpoints.vertex_endpoint("asia-northeast3") == "asia-northeast3-aiplatform.googleapis.com"


def test_state_is_read_more_often_near_the_usual_end(cloud):
    cloud.vertex.script = Script(queued=0.0, pending=0.0, running=30.0)
    backend = VertexBackend(min_poll_seconds=0.01, rpc_timeout=2.0, limiter=ReadLimiter(0.01))
    handle = backend.launch(request())
    assert backend.poll(handle).state == RunState.RUNNING
    w = backend._watches[handle]
    w.state_since -= 1.0  # a long RUNNING stretch: 500 job seconds in

    def gets_in(seconds: float) -> int:
        before = cloud.vertex.calls("get")
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            backend.poll(handle)
            time.sleep(backend.poll_interval(RunState.RUNNING, 1.0))
        return cloud.vertex.calls("get") - before

    far = gets_in(0.3)  # state every 30 job-s = 0.06 s, on ticks of 0.03 s
    started = backend.poll(handle).started.timestamp()
    backend.expect_duration(handle, time.time() - started + 0.1)  # the usual end is right about now
    near = gets_in(0.3)  # state every 15 job-s = every tick
    assert near > far, (near, far)


def test_not_signed_in_reaches_the_operator_as_the_sign_in_sentence(monkeypatch):
    from core.errors import AuthError, TransientBackendError
    from core.google import endpoints

    monkeypatch.setenv("T4PANEL_VERTEX_ENDPOINT", "https://us-central1-aiplatform.googleapis.com")

    def not_signed_in():
        raise AuthError("Sign in with Google on the Account page first.")

    monkeypatch.setattr(endpoints, "_provider", not_signed_in)
    backend = VertexBackend()
    with pytest.raises(AuthError, match="Sign in with Google"):
        backend.launch(request())
    with pytest.raises(TransientBackendError, match="Sign in with Google"):
        backend.poll("projects/my-proj/locations/us-central1/customJobs/1")


# ------------------------------------------------------------------ what the operator reads about a refusal
# Survivors of the mutation run over core/backends/vertex/errors.py (docs/testing.md): each test names the
# change it catches. The server's own words come after "Google said:", behind the request's URL (api_core
# puts "POST http://...: " first), so those sentences are compared up to it and at their end.

def test_a_t4_quota_refusal_is_one_sentence_with_project_region_and_quota(cloud):
    # kills a reworded (or "XX"-wrapped) vertex.quota sentence: the whole sentence is what the Dashboard shows
    cloud.vertex.faults.create_error = (429, "RESOURCE_EXHAUSTED", "Quota exceeded for quota metric "
                                        "aiplatform.googleapis.com/custom_model_training_nvidia_t4_gpus")
    with pytest.raises(BackendError) as info:
        make_backend().launch(request())
    assert info.value.title == "GPU quota exceeded"
    assert info.value.message == (
        "Project my-proj has no free Vertex AI T4 GPU quota in us-central1 (custom_model_training_nvidia_t4_gpus). "
        "Request more in the Cloud console under IAM & Admin > Quotas, lower the GPU count, or pick another region.")


ACCOUNT = "runner@my-proj.iam.gserviceaccount.com"


def test_a_refused_act_as_names_the_service_account_the_job_runs_as(cloud):
    # kills `account=None`: the sentence would say "may not run jobs as None"
    cloud.vertex.faults.create_error = (403, "PERMISSION_DENIED", "Permission 'iam.serviceAccounts.actAs' denied "
                                        f"on service account {ACCOUNT} (or it may not exist).")
    with pytest.raises(BackendError) as info:
        make_backend().launch(request(job=job_config(service_account=ACCOUNT)))
    assert info.value.title == "Permission needed"
    assert info.value.message == (
        f"The signed-in account may not run jobs as {ACCOUNT}. Grant it the Service Account User role on that "
        "service account, or clear Service account on the Job page.")


def test_a_refused_create_with_a_service_account_set_asks_for_the_vertex_ai_user_role(cloud):
    # kills `"actas" not in low`: a job with a service account, refused for creating jobs at all, must ask
    # for roles/aiplatform.user, not send the operator to the service account
    said = ("Permission 'aiplatform.customJobs.create' denied on resource "
            "'//aiplatform.googleapis.com/projects/my-proj'.")
    cloud.vertex.faults.create_error = (403, "PERMISSION_DENIED", said)
    with pytest.raises(BackendError) as info:
        make_backend().launch(request(job=job_config(service_account=ACCOUNT)))
    assert info.value.title == "Permission needed"
    assert info.value.message.startswith(
        "The signed-in account may not create Vertex AI jobs in project my-proj. Grant it the Vertex AI User role "
        "(roles/aiplatform.user). Google said: ")
    assert info.value.message.endswith(said)


def test_cancel_of_a_job_vertex_no_longer_has_is_a_sentence_not_a_crash(cloud):
    # kills `getattr("name", code)` in status_name: a 404 carries a gRPC code (NOT_FOUND), and reading its
    # name must give "NOT_FOUND" (not FAILED_PRECONDITION, so not "already ended"), never a TypeError
    with pytest.raises(BackendError) as info:
        make_backend().cancel("projects/my-proj/locations/us-central1/customJobs/424242")
    assert info.value.title == "Project not found"
    assert info.value.message == (
        "Vertex AI could not find project my-proj in region us-central1. Check the project id and region on the "
        "Job page, and that the Vertex AI API is enabled.")
    assert cloud.vertex.calls("cancel") == 1  # asked once: a 404 is not retried
