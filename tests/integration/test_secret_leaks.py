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
