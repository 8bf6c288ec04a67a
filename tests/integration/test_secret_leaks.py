"""Supabase secrets reach the job and nowhere else: not config, history, logs, the app log, job names or labels."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest

from core import paths
from core.app import applog, services
from core.backends.local import LocalBackend
from core.backends.vertex.backend import VertexBackend
from core.google.logs import ReadLimiter
from core.store import config as config_mod
from core.store.config import AppConfig, JobConfig
from core.store.runs import RunState, RunStore
from core.store.secrets import SUPABASE_KEY, SUPABASE_URL, SecretStore
from tests.integration.fakes.logging_server import scaled_quota
from tests.integration.fakes.vertex_server import FakeCloud, Script

KEY = "sb_secret_leakcheck_Zq81xP0oWm3vT7eR5yU2"
URL = "https://leakcheck-abcdefgh.supabase.co"


@pytest.fixture
def secret_store():
    store = SecretStore(session_only=True)
    store.set(SUPABASE_URL, URL)
    store.set(SUPABASE_KEY, KEY)
    return store


@pytest.fixture(autouse=True)
def debug_app_log():
    applog.setup(verbose=True)  # the most talkative the app log ever gets
    yield
    root = logging.getLogger()
    for handler in [h for h in root.handlers if getattr(h, "_t4panel", False)]:
        root.removeHandler(handler)
        handler.close()


def assert_no_secret_under(home: Path) -> None:
    for path in home.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            for secret in (KEY, URL):
                assert secret.encode() not in data, f"{secret[:12]}... found in {path.relative_to(home)}"


def test_local_run_gets_the_keys_and_no_file_keeps_them(t4panel_home, secret_store):
    cfg = AppConfig()
    cfg.job.env = {"SAMPLE_JOB_SECONDS": "0.2"}
    cfg.job.inject_supabase = True
    cfg.supabase.results_table = ""
    config_mod.save(cfg)
    backend = LocalBackend(poll_seconds=0.05)
    controller = services.build_controller(lambda: cfg, secret_store=secret_store, backend_factory=lambda n: backend)
    run = controller.wait(controller.launch().id, timeout=20)
    assert run.state == RunState.SUCCEEDED
    assert "predict: Supabase credentials received" in Path(run.log_path).read_text(encoding="utf-8")
    assert KEY not in json.dumps(run.to_json()) and URL not in json.dumps(run.to_json())
    assert_no_secret_under(t4panel_home)


def test_vertex_run_gets_the_keys_in_env_only(t4panel_home, secret_store, monkeypatch, google_signed_in):
    with FakeCloud(monkeypatch) as cloud:
        cloud.logging.read_quota = scaled_quota(0.01)  # the log reads of this test's clock
        cloud.vertex.script = Script(queued=0.05, pending=0.05, running=0.2, logs=[(0.0, "ok", "INFO")])
        job = JobConfig(backend="vertex", project_id="my-proj", region="us-central1",
                        image_uri="us-docker.pkg.dev/p/r/i:1",
                        command=["python", "predict.py"], max_runtime_minutes=30, inject_supabase=True)
        cfg = AppConfig(job=job)
        config_mod.save(cfg)
        backend = VertexBackend(min_poll_seconds=0.02, rpc_timeout=2.0, limiter=ReadLimiter(0.01), log_lag_seconds=0.05)
        store = RunStore(paths.history_path())
        controller = services.build_controller(lambda: cfg, store=store, secret_store=secret_store,
                                               backend_factory=lambda n: backend)
        run = controller.wait(controller.launch().id, timeout=20)
        assert run.state == RunState.SUCCEEDED
        (create,) = cloud.vertex.creates()
        body = create.body
        env = {e["name"]: e["value"] for e in body["jobSpec"]["workerPoolSpecs"][0]["containerSpec"]["env"]}
        assert env["SUPABASE_KEY"] == KEY and env["SUPABASE_URL"] == URL
        outside_env = json.dumps({k: v for k, v in body.items() if k != "jobSpec"})
        assert KEY not in outside_env and URL not in outside_env  # display name, labels
        assert KEY not in json.dumps(body["labels"]) and KEY not in body["displayName"]
    assert_no_secret_under(t4panel_home)


def _container_of(body: dict) -> dict:
    return body["jobSpec"]["workerPoolSpecs"][0]["containerSpec"]


def _assert_no_byte_of_the_keys(body: dict) -> None:
    import base64

    raw = json.dumps(body)
    for secret in (KEY, URL):
        for form in (secret, base64.b64encode(secret.encode()).decode(), json.dumps(secret)[1:-1]):
            assert form not in raw, f"{secret[:12]}... reached the Vertex AI request"


def _vertex_controller(cloud, cfg, secret_store, **overrides):
    cloud.logging.read_quota = scaled_quota(0.01)
    cloud.vertex.script = Script(queued=0.05, pending=0.05, running=0.2, logs=[(0.0, "ok", "INFO")])
    config_mod.save(cfg)
    backend = VertexBackend(min_poll_seconds=0.02, rpc_timeout=2.0, limiter=ReadLimiter(0.01), log_lag_seconds=0.05)
    return services.build_controller(lambda: cfg, store=RunStore(paths.history_path()), secret_store=secret_store,
                                     backend_factory=lambda n: backend, **overrides)


def test_keys_in_secret_manager_reach_the_job_and_no_byte_reaches_vertex(t4panel_home, secret_store, monkeypatch,
                                                                         google_signed_in, tmp_path):
    """The whole chain: the create request the fake Vertex AI received holds only the secrets' names; running
    that very container command with the metadata server and Secret Manager hands the job the keys."""
    import os
    import subprocess
    import sys

    from tests.integration.fakes.metadata_server import FakeMetadata, FakeSecretManager

    seen = tmp_path / "job-saw.txt"
    probe = f"import os; open({str(seen)!r}, 'w').write(os.environ['SUPABASE_KEY'] + ' ' + os.environ['SUPABASE_URL'])"
    job = JobConfig(backend="vertex", project_id="my-proj", region="us-central1", image_uri="us-docker.pkg.dev/p/r/i:1",
                    command=["python3", "-c", probe], max_runtime_minutes=30, inject_supabase=True)
    cfg = AppConfig(job=job)
    cfg.cloud.keys_in_secret_manager = True
    with FakeCloud(monkeypatch) as cloud:
        controller = _vertex_controller(cloud, cfg, secret_store)
        run = controller.wait(controller.launch().id, timeout=20)
        assert run.state == RunState.SUCCEEDED
        (create,) = cloud.vertex.creates()
    _assert_no_byte_of_the_keys(create.body)
    container = _container_of(create.body)
    env = {e["name"]: e["value"] for e in container.get("env", [])}
    assert "SUPABASE_KEY" not in env and "SUPABASE_URL" not in env
    assert env["T4PANEL_SECRETS"] == ("SUPABASE_KEY=projects/my-proj/secrets/t4panel-supabase-key/versions/latest,"
                                      "SUPABASE_URL=projects/my-proj/secrets/t4panel-supabase-url/versions/latest")
    values = {"projects/my-proj/secrets/t4panel-supabase-key": KEY,
              "projects/my-proj/secrets/t4panel-supabase-url": URL}
    with FakeMetadata() as meta, FakeSecretManager(meta, values) as sm:
        argv = [sys.executable if w == "python3" else w for w in [*container["command"], *container.get("args", [])]]
        clean = {k: v for k, v in os.environ.items() if not k.startswith(("SUPABASE_", "T4PANEL_"))}
        done = subprocess.run(argv, env={**clean, **env, "GCE_METADATA_HOST": meta.host,
                                         "T4PANEL_SECRETMANAGER_ENDPOINT": sm.url},
                              capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    assert seen.read_text(encoding="utf-8") == f"{KEY} {URL}"  # the job's own environment had them
    assert_no_secret_under(t4panel_home)


def test_a_cloud_run_sends_names_only_even_with_the_setting_off(t4panel_home, secret_store, monkeypatch,
                                                               google_signed_in):
    from datetime import UTC, datetime

    job = JobConfig(backend="vertex", project_id="my-proj", region="us-central1", image_uri="us-docker.pkg.dev/p/r/i:1",
                    command=["python", "predict.py"], max_runtime_minutes=30, inject_supabase=True)
    cfg = AppConfig(job=job)
    assert cfg.cloud.keys_in_secret_manager is False
    with FakeCloud(monkeypatch) as cloud:
        controller = _vertex_controller(cloud, cfg, secret_store, claims=None)
        run = controller.launch("cloud", occurrence=datetime(2026, 6, 1, 1, 0, tzinfo=UTC))
        run = controller.wait(run.id, timeout=20)
        assert run.state == RunState.SUCCEEDED and run.trigger == "cloud"
        (create,) = cloud.vertex.creates()
    _assert_no_byte_of_the_keys(create.body)
    assert create.body["labels"]["t4panel-trigger"] == "cloud"
    assert _container_of(create.body)["command"][:2] == ["python3", "-c"]
