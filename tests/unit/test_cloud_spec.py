"""What the cloud schedule asks Google to create, worked out from the settings alone."""

from __future__ import annotations

from datetime import timedelta

import pytest

from core.app import cloud_spec as spec
from core.errors import AuthError
from core.google import cloud_clients
from core.store.config import AppConfig


@pytest.mark.parametrize(("time", "days", "cron"), [
    ("01:00", ["mon", "tue", "wed", "thu", "fri", "sat", "sun"], "0 1 * * *"),
    ("23:05", ["mon", "fri"], "5 23 * * 1,5"),
    ("00:30", ["sat", "sun"], "30 0 * * 6,0"),  # cron counts Sunday as 0
])
def test_cron_follows_the_schedule_form(time, days, cron):
    cfg = AppConfig()
    cfg.schedule.time, cfg.schedule.weekdays = time, days
    assert spec.cron(cfg) == cron


def test_task_timeout_is_runtime_plus_catch_up_plus_margin_capped_at_cloud_runs_168_hours():
    cfg = AppConfig()
    cfg.job.max_runtime_minutes, cfg.schedule.catch_up_hours = 90, 4
    assert spec.task_timeout(cfg) == timedelta(minutes=90 + 4 * 60 + 10)
    cfg.job.max_runtime_minutes, cfg.schedule.catch_up_hours = 7 * 24 * 60, 24
    assert spec.task_timeout(cfg) == timedelta(hours=168)


def test_the_run_job_carries_config_and_secret_references_never_values():
    cfg = AppConfig()
    cfg.job.backend, cfg.job.project_id = "vertex", "demo-proj"
    job = spec.run_job(cfg, "demo-proj")
    env = {e.name: e for e in job.template.template.containers[0].env}
    assert set(env) == {"T4PANEL_CONFIG_TOML", "SUPABASE_URL", "SUPABASE_KEY"}
    assert env["SUPABASE_KEY"].value == "" and env["SUPABASE_KEY"].value_source.secret_key_ref.secret == \
        "t4panel-supabase-key"
    assert job.labels == {"t4panel": "cloud-schedule"} and job.template.task_count == 1
    assert job.template.template.max_retries == 3


def test_the_runner_image_setting_wins_over_the_release_default():
    cfg = AppConfig()
    assert spec.runner_image(cfg) == spec.defaults()["runner_image"]
    cfg.cloud.runner_image = "europe-docker.pkg.dev/p/r/t4panel:2"
    assert spec.runner_image(cfg) == "europe-docker.pkg.dev/p/r/t4panel:2"


@pytest.mark.parametrize("env", [cloud_clients.RUN_ENV, cloud_clients.SCHEDULER_ENV, cloud_clients.SECRETMANAGER_ENV,
                                 cloud_clients.IAM_ENV])
def test_a_plain_http_endpoint_on_another_computer_is_refused(monkeypatch, env):
    monkeypatch.setenv(env, "http://example.com:8080")
    build = {cloud_clients.RUN_ENV: cloud_clients.run_jobs_client, cloud_clients.SCHEDULER_ENV:
             cloud_clients.scheduler_client, cloud_clients.SECRETMANAGER_ENV: cloud_clients.secret_manager_client,
             cloud_clients.IAM_ENV: cloud_clients.iam_client}[env]
    with pytest.raises(AuthError, match="plain http"):
        build()
