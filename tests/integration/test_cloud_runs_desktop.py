"""Cloud runs on the desktop: a job that `t4panel fire` launched in the cloud (another process, another home)
shows up in this computer's History as a run with trigger "cloud", is watched to its end with its log and
cost, is never offered as an orphan to cancel, and its webhook is posted once (by the cloud, not again here)."""

from __future__ import annotations

import time

import pytest

from core import paths
from core.app import services
from core.backends.vertex.backend import VertexBackend
from core.google.logs import ReadLimiter
from core.store import config as config_mod
from core.store.runs import RunState, RunStore
from tests.integration.fakes.vertex_server import Script
from tests.integration.test_fire import fire_env, rig, t4panel_fire, webhook_texts

__all__ = ["rig"]  # the fire tests' fixture: fakes, webhook and a schedule due now


def _desktop(cfg):
    backend = VertexBackend(min_poll_seconds=0.02, rpc_timeout=5.0, limiter=ReadLimiter(0.02), log_lag_seconds=0.05)
    controller = services.build_controller(lambda: cfg, store=RunStore(paths.history_path()),
                                           backend_factory=lambda _n: backend)
    controller.cloud_look_seconds = 0.0  # the test looks as often as it likes; the app looks once a minute
    return controller, backend


def _create_unknown_job(cloud, labels):
    """A job made behind T4 Panel's back with the real client (another computer's T4 Panel, say)."""
    from google.cloud.aiplatform_v1.types import ContainerSpec, CustomJob, CustomJobSpec, MachineSpec, WorkerPoolSpec

    from core.google import endpoints

    client = endpoints.job_service_client("us-central1")  # the fake wants the operator's token, as Google does
    job = CustomJob(display_name="other", labels=labels, job_spec=CustomJobSpec(worker_pool_specs=[WorkerPoolSpec(
        replica_count=1, machine_spec=MachineSpec(machine_type="n1-standard-4", accelerator_type=5,
                                                  accelerator_count=1),
        container_spec=ContainerSpec(image_uri="img:1", command=["x"]))]))
    return client.create_custom_job(parent="projects/my-proj/locations/us-central1", custom_job=job).name


@pytest.mark.slow
def test_a_cloud_run_appears_in_history_ends_with_its_log_and_is_no_orphan(rig, tmp_path, t4panel_home):
    cloud, _storage, hook, cfg = rig
    cfg.cloud.enabled = True
    config_mod.save(cfg)
    cloud.vertex.script = Script(queued=0.3, pending=0.2, running=1.5,
                                 logs=[(0.1, "predicting batch 1", "INFO"), (1.0, "rows written: 12", "INFO")])
    controller, backend = _desktop(cfg)
    finished = []
    controller.subscribe(lambda e: finished.append(e.run) if e.kind == "finished" else None)
    cloud_exec = t4panel_fire(fire_env(tmp_path / "cloud-exec", cfg), "--json", wait=False)
    try:
        deadline = time.monotonic() + 60
        while not cloud.vertex.jobs and time.monotonic() < deadline:
            assert cloud_exec.poll() is None, cloud_exec.communicate()
            time.sleep(0.05)
        (job,) = cloud.vertex.jobs.values()
        assert job.job.labels["t4panel-trigger"] == "cloud"
        assert backend.list_orphans(cfg.job, set()) == []  # unknown here, yet never one to cancel
        adopted = []
        while not adopted and time.monotonic() < deadline:
            adopted = [r for r in controller.reattach_all() if r.trigger == "cloud"]
        (run,) = adopted
        assert run.id == job.job.labels["t4panel-run"] and run.job_name == job.job.name
        assert run.occurrence is not None
        run = controller.wait(run.id, timeout=60)
        _out, err = cloud_exec.communicate(timeout=60)
    finally:
        if cloud_exec.poll() is None:
            cloud_exec.kill()
        controller.shutdown()
    assert cloud_exec.returncode == 0, err
    assert run.state == RunState.SUCCEEDED and run.trigger == "cloud" and run.cost_usd is not None
    text = (paths.runs_dir() / run.id / "job.log").read_text(encoding="utf-8")
    assert "predicting batch 1" in text and "rows written: 12" in text
    assert [r.id for r in finished] == [run.id]  # one end, so one tray note
    assert len(controller.store.recent()) == 1  # adopted once, however often the desktop looked
    assert controller.adopt_cloud_runs(force=True) == []
    assert len(cloud.vertex.creates()) == 1  # the desktop only watched
    assert len(webhook_texts(hook)) == 1  # posted by the cloud execution, not again by the desktop


@pytest.mark.slow
def test_an_unknown_job_that_is_not_a_cloud_run_is_still_an_orphan(rig, t4panel_home):
    cloud, _storage, _hook, cfg = rig
    cfg.cloud.enabled = True
    cloud.vertex.script = Script(queued=30.0)
    controller, backend = _desktop(cfg)
    try:
        _create_unknown_job(cloud, {"t4panel-run": "rstranger"})
        assert controller.adopt_cloud_runs(force=True) == []  # only cloud runs are adopted
        (orphan,) = backend.list_orphans(cfg.job, {r.id for r in controller.store.recent()})
        assert orphan.run_label == "rstranger"
    finally:
        controller.shutdown()


@pytest.mark.slow
def test_with_the_cloud_schedule_off_the_desktop_makes_no_cloud_look(rig, t4panel_home):
    cloud, _storage, _hook, cfg = rig
    assert cfg.cloud.enabled is False
    controller, _backend = _desktop(cfg)
    try:
        assert controller.adopt_cloud_runs(force=True) == [] and cloud.vertex.calls("list") == 0
    finally:
        controller.shutdown()
