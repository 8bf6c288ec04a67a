"""`t4panel check --json` through the real CLI process, the real Google client libraries and the real supabase
client, against strict fakes on 127.0.0.1: each failure kind an operator can meet before 01:00 is reported with
its fix, and an all-good setup passes with exit 0."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from core.app import autostart
from core.store import config as config_mod
from core.store.config import AppConfig, JobConfig, ScheduleConfig, SupabaseConfig
from tests.integration.fakes.postgrest_server import FakePostgrest
from tests.integration.fakes.setup_server import T4, T4_SPOT, FakeSetupApis, Project

REPO = Path(__file__).resolve().parents[2]
KEY = "sb-key-0123456789abcdef"
IMAGE = "us-central1-docker.pkg.dev/demo-proj/jobs/predict:1"
SA = "runner@demo-proj.iam.gserviceaccount.com"
ALL_PERMISSIONS = {"aiplatform.customJobs.create", "aiplatform.customJobs.get", "aiplatform.customJobs.list",
                   "aiplatform.customJobs.cancel", "logging.logEntries.list", "storage.objects.create"}


def healthy() -> Project:
    project = Project(operator_permissions=set(ALL_PERMISSIONS))
    project.add_image(IMAGE)
    project.repo_policy["projects/demo-proj/locations/us-central1/repositories/jobs"] = [
        ("roles/artifactregistry.reader", f"serviceAccount:{SA}")]
    return project


@pytest.fixture
def setup(tmp_path, monkeypatch, google_signed_in):
    """Healthy fakes, a saved Vertex config, Supabase answering and autostart on; tests break one thing."""
    xdg = tmp_path / "xdg"
    monkeypatch.setenv("XDG_CONFIG_HOME", str(xdg))
    autostart.enable(["t4panel"], platform="linux")
    with FakeSetupApis(healthy()) as fakes, FakePostgrest(KEY, {"predictions": 7}) as supabase:
        for name, url in fakes.env().items():
            monkeypatch.setenv(name, url)
        monkeypatch.setenv("SUPABASE_URL", supabase.url)
        monkeypatch.setenv("SUPABASE_KEY", KEY)
        save()
        yield fakes


def save(**job: object) -> None:
    fields: dict[str, object] = {"backend": "vertex", "project_id": "demo-proj", "region": "us-central1",
                                 "image_uri": IMAGE, "service_account": SA, "command": ["python", "predict.py"],
                                 "accelerator_count": 1, **job}
    config_mod.save(AppConfig(job=JobConfig(**fields),  # type: ignore[arg-type]
                              schedule=ScheduleConfig(enabled=True, time="01:00", timezone="Asia/Seoul"),
                              supabase=SupabaseConfig(results_table="predictions")))


def check_raw() -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO), "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.run([sys.executable, str(REPO / "main.py"), "check", "--json"], cwd=str(REPO), env=env,
                          capture_output=True, text=True, timeout=60, check=False)


def check() -> tuple[int, dict[str, dict[str, str]], str]:
    done = check_raw()
    items = {i["id"]: i for i in json.loads(done.stdout)} if done.stdout.strip() else {}
    return done.returncode, items, done.stderr


def test_an_all_good_setup_passes_every_line_and_exits_0(setup):
    code, items, err = check()
    assert code == 0, err
    assert list(items) == ["apis", "quota", "image", "pull", "permissions", "supabase", "schedule", "autostart"]
    assert {k: i["status"] for k, i in items.items() if i["status"] != "pass"} == {}, items
    assert set(items["apis"]) == {"id", "status", "title", "detail", "fix"}
    assert items["supabase"]["detail"] == "Connected: predictions has 7 rows."
    assert items["schedule"]["detail"].startswith("Next five runs: ") and items["schedule"]["detail"].count(",") == 4
    # The real clients reached every API with the operator's token, and nothing was refused.
    assert all(s.auth.seen_tokens and not s.auth.rejected for s in setup.servers)
    assert "serviceusage.services.batchGet" in setup.serviceusage.calls
    assert "cloudresourcemanager.projects.testIamPermissions" in setup.resourcemanager.calls


def test_no_secret_reaches_the_output_the_saved_result_or_the_app_log(setup, t4panel_home, google_signed_in):
    done = check_raw()
    assert done.returncode == 0, done.stderr
    written = [done.stdout, done.stderr] + [p.read_text(encoding="utf-8", errors="replace")
                                           for p in t4panel_home.rglob("*") if p.is_file() and p.suffix != ".sqlite3"]
    assert (t4panel_home / "last_check.json").exists()
    for secret in (KEY, os.environ["SUPABASE_URL"], google_signed_in.refresh_token):
        assert not [w for w in written if secret in w]


def test_the_text_form_prints_one_line_per_item_with_the_fix(setup):
    setup.project.enabled.discard("aiplatform.googleapis.com")
    env = {**os.environ, "PYTHONPATH": str(REPO), "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run([sys.executable, str(REPO / "main.py"), "check"], cwd=str(REPO), env=env,
                          capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 1
    lines = done.stdout.splitlines()
    assert len(lines) == 8 and lines[0].startswith("FAIL  Google APIs enabled: Not enabled in project demo-proj: "
                                                   "aiplatform.googleapis.com. Fix: Enable them at ")
    assert [line.split()[0] for line in lines[1:]] == ["PASS"] * 7
    assert "Checking apis (1/8)..." in done.stderr


def test_a_disabled_api_fails_with_the_page_to_enable_it(setup):
    setup.project.enabled.discard("logging.googleapis.com")
    code, items, _ = check()
    assert code == 1
    assert items["apis"]["status"] == "fail" and "logging.googleapis.com" in items["apis"]["detail"]
    assert "apis/library/logging.googleapis.com?project=demo-proj" in items["apis"]["fix"]


@pytest.mark.parametrize("quota, need", [(0, 1), (1, 2)])
def test_a_t4_quota_below_the_gpu_count_fails_naming_the_quota_and_region(setup, quota, need):
    setup.project.quotas[(T4, "us-central1")] = quota
    save(accelerator_count=need)
    code, items, _ = check()
    assert code == 1 and items["quota"]["status"] == "fail"
    assert "custom_model_training_nvidia_t4_gpus in us-central1 is " + str(quota) in items["quota"]["detail"]
    assert f"Ask for at least {need}" in items["quota"]["fix"]


def test_a_job_without_a_gpu_needs_no_t4_quota(setup):
    setup.project.quotas[(T4, "us-central1")] = 0
    save(accelerator_count=0)
    _, items, _ = check()
    assert items["quota"]["status"] == "pass" and "needs no T4 quota" in items["quota"]["detail"]


def test_spot_checks_the_preemptible_quota_not_the_on_demand_one(setup):
    setup.project.quotas[(T4_SPOT, "us-central1")] = 0
    save(spot=True)
    code, items, _ = check()
    assert code == 1 and "preemptible_nvidia_t4_gpus" in items["quota"]["detail"]
    save(spot=False)
    assert check()[1]["quota"]["status"] == "pass"


def test_a_region_without_its_own_quota_gets_the_default_of_zero(setup):
    save(region="asia-northeast3")
    code, items, _ = check()
    assert code == 1 and "asia-northeast3 is 0" in items["quota"]["detail"]


def test_a_missing_image_fails_with_the_push_command(setup):
    save(image_uri="us-central1-docker.pkg.dev/demo-proj/jobs/predict:2")
    code, items, _ = check()
    assert code == 1 and items["image"]["status"] == "fail"
    assert "docker push us-central1-docker.pkg.dev/demo-proj/jobs/predict:2" in items["image"]["fix"]


def test_a_service_account_without_pull_permission_fails_with_the_role_to_grant(setup):
    setup.project.repo_policy.clear()
    code, items, _ = check()
    assert code == 1 and items["pull"]["status"] == "fail"
    assert SA in items["pull"]["detail"] and "roles/artifactregistry.reader" in items["pull"]["fix"]
    setup.project.project_policy.append(("roles/artifactregistry.reader", f"serviceAccount:{SA}"))
    assert check()[1]["pull"]["status"] == "pass"  # a project-wide grant reaches every repository


def test_without_a_service_account_the_vertex_agent_must_be_able_to_pull_from_another_projects_repository(setup):
    shared = "us-central1-docker.pkg.dev/shared-images/jobs/predict:1"
    setup.project.add_image(shared)
    setup.project.other_projects["shared-images"] = []  # the operator may read its policy; nothing granted
    save(service_account="", image_uri=shared)
    agent = f"service-{setup.project.number}@gcp-sa-aiplatform-cc.iam.gserviceaccount.com"
    code, items, _ = check()
    assert code == 1 and items["pull"]["status"] == "fail" and agent in items["pull"]["detail"], items["pull"]
    setup.project.repo_policy["projects/shared-images/locations/us-central1/repositories/jobs"] = [
        ("roles/artifactregistry.reader", f"serviceAccount:{agent}")]
    assert check()[1]["pull"]["status"] == "pass"
    assert "cloudresourcemanager.projects.get" in setup.resourcemanager.calls  # the number came from Google


def test_missing_run_permissions_are_listed_with_the_roles_to_ask_for(setup):
    setup.project.operator_permissions -= {"aiplatform.customJobs.cancel", "logging.logEntries.list"}
    code, items, _ = check()
    assert code == 1 and items["permissions"]["status"] == "fail"
    assert "aiplatform.customJobs.cancel, logging.logEntries.list" in items["permissions"]["detail"]
    assert "Vertex AI User" in items["permissions"]["fix"]


def test_a_refused_supabase_key_fails_with_how_to_copy_it_again(setup, monkeypatch):
    monkeypatch.setenv("SUPABASE_KEY", "wrong-key-123456")
    code, items, _ = check()
    assert code == 1 and items["supabase"]["status"] == "fail"
    assert "Supabase refused the key" in items["supabase"]["fix"]


def test_autostart_off_warns_with_how_to_turn_it_on_and_does_not_fail(setup):
    autostart.disable(platform="linux")
    code, items, _ = check()
    assert code == 0
    assert items["autostart"]["status"] == "warn" and "Start T4 Panel when I log in" in items["autostart"]["fix"]


def test_an_item_google_will_not_let_the_operator_read_is_a_warning_not_a_failure(setup):
    setup.quotas.denied = True
    code, items, _ = check()
    assert code == 0
    assert items["quota"]["status"] == "warn" and "was not checked" in items["quota"]["detail"]
    assert "(The caller does not have permission)" in items["quota"]["detail"]  # Google's words, not its URL
    assert "Viewer role" in items["quota"]["fix"]


def test_not_signed_in_exits_2_with_a_sentence(tmp_path, monkeypatch):
    monkeypatch.setenv("T4PANEL_SERVICEUSAGE_ENDPOINT", "http://127.0.0.1:9")
    save()
    code, items, err = check()
    assert code == 2 and not items
    assert "Traceback" not in err and err.strip()


def test_no_saved_settings_exits_2(tmp_path):
    code, _, err = check()
    assert code == 2 and "no saved settings" in err


def test_on_this_computer_only_the_local_items_are_checked_and_no_sign_in_is_needed(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    config_mod.save(AppConfig(job=JobConfig(backend="local"), schedule=ScheduleConfig(enabled=False)))
    code, items, err = check()
    assert code == 0, err
    assert {k: v["status"] for k, v in items.items()} == {"supabase": "warn", "schedule": "warn", "autostart": "warn"}
    assert "Turn it on in the Schedule page" in items["schedule"]["fix"]


def test_fallbacks_without_quota_are_a_warning_naming_each(setup):
    setup.project.quotas[(T4, "us-east1")] = 2  # us-west1 has none of its own: the default 0
    save(fallback_regions=["us-east1", "us-west1"])
    code, items, err = check()
    assert code == 0, err  # a fallback that cannot help does not stop the job's own region
    assert list(items)[5] == "fallbacks" and items["fallbacks"]["status"] == "warn"
    assert "us-west1 (custom_model_training_nvidia_t4_gpus = 0)" in items["fallbacks"]["detail"]
    assert "us-east1" not in items["fallbacks"]["detail"]
    assert "remove them from the fallbacks" in items["fallbacks"]["fix"]


def test_on_demand_after_spot_checks_the_on_demand_quota_too(setup):
    setup.project.quotas[(T4, "us-central1")] = 0
    save(spot=True, on_demand_fallback=True)
    code, items, err = check()
    assert code == 0, err
    assert items["quota"]["status"] == "pass"  # Spot quota is there
    assert items["fallbacks"]["status"] == "warn"
    assert "us-central1 (custom_model_training_nvidia_t4_gpus = 0)" in items["fallbacks"]["detail"]
    setup.project.quotas[(T4, "us-central1")] = 1
    assert check()[1]["fallbacks"]["status"] == "pass"
