"""`t4panel fire` end to end: the real CLI process, the real RunController and clients, against the strict
Vertex AI, Cloud Logging and Cloud Storage fakes. One job per occurrence however often and however many
times at once it runs; a run past its window launches nothing; a 503 storm then recovery launches once; the
webhook is posted once per run."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from core.store import config as config_mod
from core.store.config import AppConfig, JobConfig, NotificationsConfig, ScheduleConfig
from core.store.runs import RunState, RunStore
from tests.integration.fakes.logging_server import scaled_quota
from tests.integration.fakes.storage_server import FakeStorage
from tests.integration.fakes.vertex_server import FakeCloud, Faults, Script
from tests.support.webhook import WebhookServer

REPO = Path(__file__).resolve().parents[2]


def schedule_at(minutes_ago: float, catch_up_hours: int = 1) -> ScheduleConfig:
    """A daily schedule whose latest fire time was `minutes_ago` minutes ago (UTC, every day)."""
    when = datetime.now(UTC) - timedelta(minutes=minutes_ago)
    return ScheduleConfig(enabled=True, time=f"{when:%H:%M}", timezone="UTC", catch_up_hours=catch_up_hours)


def occurrence_of(cfg: AppConfig) -> str:
    hh, mm = cfg.schedule.time.split(":")
    now = datetime.now(UTC)
    occ = now.replace(hour=int(hh), minute=int(mm), second=0, microsecond=0)
    if occ > now:
        occ -= timedelta(days=1)
    return occ.strftime("%Y%m%dT%H%MZ").lower()


@pytest.fixture
def rig(monkeypatch, google_signed_in):
    with FakeCloud(monkeypatch) as cloud, FakeStorage() as storage, WebhookServer() as hook:
        monkeypatch.setenv("STORAGE_EMULATOR_HOST", storage.url)
        monkeypatch.setenv("T4PANEL_MIN_POLL_SECONDS", "0.02")  # honoured because the endpoint is loopback
        cloud.logging.read_quota = scaled_quota(0.02)
        cloud.vertex.script = Script(queued=0.1, pending=0.1, running=0.6,
                                     logs=[(0.05, "predicting batch 1", "INFO"), (0.3, "rows written: 12", "INFO")])
        cfg = AppConfig(job=JobConfig(backend="vertex", project_id="my-proj", image_uri="img:1",
                                      command=["python", "predict.py"]),
                        schedule=schedule_at(2), notifications=NotificationsConfig(webhook_url=hook.url))
        yield cloud, storage, hook, cfg


def fire_env(home: Path, cfg: AppConfig | None = None, **extra: str) -> dict[str, str]:
    """The environment of a Cloud Run execution: its own empty T4PANEL_HOME and the config as text."""
    home.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "PYTHONPATH": str(REPO), "T4PANEL_HOME": str(home), **extra}
    if cfg is not None:
        env["T4PANEL_CONFIG_TOML"] = config_mod.dumps(cfg)
    return env


def t4panel_fire(env: dict[str, str], *args: str, wait: bool = True):
    argv = [sys.executable, str(REPO / "main.py"), "fire", *args]
    if wait:
        return subprocess.run(argv, cwd=str(REPO), env=env, capture_output=True, text=True, timeout=120, check=False)
    return subprocess.Popen(argv, cwd=str(REPO), env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def webhook_texts(hook: WebhookServer) -> list[str]:
    return [p.body["text"] for p in hook.posts]


@pytest.mark.slow
def test_fire_launches_the_occurrence_watches_it_and_posts_the_webhook_once(rig, tmp_path):
    cloud, _storage, hook, cfg = rig
    done = t4panel_fire(fire_env(tmp_path / "exec1", cfg), "--json")
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["outcome"] == "launched" and report["run"]["state"] == "SUCCEEDED", report
    assert report["run"]["trigger"] == "cloud" and report["run"]["occurrence"].startswith(report["occurrence"][:16])
    (create,) = cloud.vertex.creates()
    assert create.body["labels"]["t4panel-trigger"] == "cloud"
    assert create.body["labels"]["t4panel-occurrence"] == occurrence_of(cfg)
    assert create.body["labels"]["t4panel-run"] == report["run"]["id"]
    log = (tmp_path / "exec1" / "runs").rglob("job.log")
    assert any("rows written: 12" in p.read_text(encoding="utf-8") for p in log)  # watched to the end, log kept
    texts = webhook_texts(hook)
    assert len(texts) == 1 and "finished" in texts[0] and report["run"]["id"] in texts[0]


@pytest.mark.slow
@pytest.mark.parametrize("times", [1, 3, 5])
def test_fire_run_again_and_again_makes_one_job_and_one_webhook(rig, tmp_path, times):
    cloud, _storage, hook, cfg = rig
    reports = []
    for n in range(times):  # each Cloud Run execution starts from an empty T4PANEL_HOME
        done = t4panel_fire(fire_env(tmp_path / f"exec{n}", cfg), "--json")
        assert done.returncode == 0, done.stderr
        reports.append((json.loads(done.stdout), done.stderr))
    assert len(cloud.vertex.creates()) == 1
    first = reports[0][0]
    assert first["outcome"] == "launched" and first["run"]["state"] == "SUCCEEDED"
    for later, stderr in reports[1:]:
        assert later["outcome"] == "adopted" and later["run"]["state"] == "SUCCEEDED"
        assert "already claimed by" in stderr
    # the same execution home again (a Cloud Run task retried in place): history says it was launched
    again = t4panel_fire(fire_env(tmp_path / "exec0", cfg), "--json")
    assert again.returncode == 0 and json.loads(again.stdout)["outcome"] == "already"
    assert len(cloud.vertex.creates()) == 1
    assert len(webhook_texts(hook)) == 1


@pytest.mark.slow
def test_five_executions_at_once_on_separate_homes_make_one_job(rig, tmp_path):
    cloud, _storage, hook, cfg = rig
    cloud.vertex.script = Script(queued=0.3, pending=0.1, running=0.6)
    procs = [t4panel_fire(fire_env(tmp_path / f"exec{n}", cfg), "--json", wait=False) for n in range(5)]
    outs = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [0] * 5, [err for _, err in outs]
    reports = [json.loads(out) for out, _ in outs]
    assert len(cloud.vertex.creates()) == 1
    assert sorted(r["outcome"] for r in reports) == ["adopted"] * 4 + ["launched"]
    assert {r["run"]["state"] for r in reports} == {"SUCCEEDED"}
    assert sum("already claimed by" in err for _, err in outs) == 4
    assert len(webhook_texts(hook)) == 1


@pytest.mark.slow
def test_fire_in_threads_of_one_execution_launches_once(rig, tmp_path, monkeypatch):
    from core.app import fire

    cloud, _storage, hook, cfg = rig
    reports, errors = [], []
    start = threading.Barrier(4)

    def one() -> None:
        start.wait()
        try:
            reports.append(fire.fire(cfg))
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=one) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert errors == []
    assert len(cloud.vertex.creates()) == 1
    outcomes = sorted(r.outcome for r in reports)
    assert outcomes.count("launched") == 1 and set(outcomes) <= {"launched", "already"}, outcomes
    assert {r.run.state for r in reports} == {RunState.SUCCEEDED}
    assert len({r.run.id for r in reports}) == 1  # one history, one run: the others follow it
    assert len(webhook_texts(hook)) == 1


@pytest.mark.slow
def test_a_fire_past_the_catch_up_window_launches_nothing_and_says_why(rig, tmp_path):
    cloud, storage, hook, cfg = rig
    cfg.schedule = schedule_at(150, catch_up_hours=1)  # 2.5 h ago, 1 h window
    done = t4panel_fire(fire_env(tmp_path / "late", cfg))
    assert done.returncode == 0, done.stderr
    assert "older than the catch-up window (1 h)" in done.stdout and "nothing was launched" in done.stdout
    assert cloud.vertex.creates() == [] and cloud.vertex.calls("list") == 0
    assert storage.calls("upload") == 0 and hook.posts == []
    assert not (tmp_path / "late" / "history.sqlite3").exists()  # not even a history was opened


@pytest.mark.slow
def test_a_503_storm_then_recovery_launches_once(rig, tmp_path):
    cloud, _storage, hook, cfg = rig
    cloud.vertex.set_faults(Faults(error_rate=1.0, error_codes=(503,)))
    proc = t4panel_fire(fire_env(tmp_path / "storm", cfg), "--json", wait=False)
    said: list[str] = []
    for line in proc.stderr:  # the storm lasts until a whole launch has failed and fire says it will retry
        said.append(line)
        if "Scheduled run retrying" in line:
            break
    lists_in_storm = cloud.vertex.calls("list")
    cloud.vertex.set_faults(Faults())  # recovery
    out, rest = proc.communicate(timeout=120)
    assert proc.returncode == 0, "".join(said) + rest
    assert any("tries again until" in line for line in said)
    assert lists_in_storm > 1  # it kept asking through the storm, and never created blind
    report = json.loads(out)
    assert report["outcome"] == "launched" and report["run"]["state"] == "SUCCEEDED", report
    assert len(cloud.vertex.creates()) == 1 and len(cloud.vertex.jobs) == 1
    run = RunStore(tmp_path / "storm" / "history.sqlite3").get(report["run"]["id"])
    assert run is not None and len(run.detail["attempts"]) >= 1  # it tried again inside its window
    assert len(webhook_texts(hook)) == 1


@pytest.mark.slow
@pytest.mark.parametrize("via", ["env", "file"])
def test_a_damaged_config_is_refused_with_exit_2_and_nothing_launched(rig, tmp_path, via):
    cloud, storage, _hook, cfg = rig
    text = config_mod.dumps(cfg).replace("max_runtime_minutes = 60", "max_runtime_minutes = 60 60")
    assert "60 60" in text
    if via == "env":
        env = fire_env(tmp_path / "bad", T4PANEL_CONFIG_TOML=text)
        done = t4panel_fire(env)
    else:
        path = tmp_path / "given.toml"
        path.write_text(text, encoding="utf-8")
        done = t4panel_fire(fire_env(tmp_path / "bad"), "--config", str(path))
        assert path.read_text(encoding="utf-8") == text  # left as it is
    assert done.returncode == 2, (done.stdout, done.stderr)
    assert "nothing was launched" in done.stderr and "max_runtime_minutes" in done.stderr
    assert "Traceback" not in done.stderr
    assert cloud.vertex.creates() == [] and storage.calls("upload") == 0


def test_fire_help_lists_the_command():
    done = subprocess.run([sys.executable, "-m", "main", "fire", "--help"], cwd=str(REPO), capture_output=True,
                          text=True, timeout=60, check=False, env={**os.environ, "PYTHONPATH": str(REPO)})
    assert done.returncode == 0 and "--config" in done.stdout and "Idempotent" in done.stdout


def test_the_window_is_never_shorter_than_the_on_time_grace():
    from core.app.fire import current_occurrence

    cfg = ScheduleConfig(enabled=True, time="01:00", timezone="UTC", catch_up_hours=0)
    occ, _ = current_occurrence(cfg, datetime(2026, 6, 1, 1, 3, tzinfo=UTC))
    assert occ == datetime(2026, 6, 1, 1, 0, tzinfo=UTC)
    occ, why = current_occurrence(cfg, datetime(2026, 6, 1, 1, 6, tzinfo=UTC))
    assert occ is None and "Mon 1 Jun 01:00 UTC" in why.text
    occ, why = current_occurrence(ScheduleConfig(enabled=False), datetime(2026, 6, 1, 1, 0, tzinfo=UTC))
    assert occ is None and why.id == "fire.schedule_off"


@pytest.fixture
def cloud_run(monkeypatch):
    """A Cloud Run execution's world: nobody signed in on this machine, only the job's service account behind
    the metadata server (google-auth's Application Default Credentials find it through GCE_METADATA_*)."""
    from tests.integration.fakes.metadata_server import FakeMetadata

    with FakeCloud(monkeypatch) as cloud, FakeStorage() as storage, FakeMetadata() as meta:
        monkeypatch.setenv("STORAGE_EMULATOR_HOST", storage.url)
        monkeypatch.setenv("T4PANEL_MIN_POLL_SECONDS", "0.02")
        cloud.logging.read_quota = scaled_quota(0.02)
        cloud.vertex.script = Script(queued=0.1, pending=0.1, running=0.3)
        cfg = AppConfig(job=JobConfig(backend="vertex", project_id="my-proj", image_uri="img:1",
                                      command=["python", "predict.py"], inject_supabase=True),
                        schedule=schedule_at(1))
        yield cloud, storage, meta, cfg


def _cloud_run_env(home: Path, cfg: AppConfig, meta, in_cloud_run: bool) -> dict[str, str]:
    env = fire_env(home, cfg, GCE_METADATA_HOST=meta.host, GCE_METADATA_IP=meta.host,
                   SUPABASE_URL="https://x.supabase.co", SUPABASE_KEY="sb_secret_from_secret_manager_mount")
    for name in ("NO_GCE_CHECK", "T4PANEL_OAUTH_TOKEN_ENDPOINT", "GOOGLE_APPLICATION_CREDENTIALS"):
        env.pop(name, None)
    if in_cloud_run:
        env["CLOUD_RUN_JOB"] = "t4panel-fire"  # Cloud Run sets it in every execution
    return env


@pytest.mark.slow
def test_in_cloud_run_fire_signs_in_as_the_jobs_service_account(cloud_run, tmp_path):
    cloud, storage, meta, cfg = cloud_run
    done = t4panel_fire(_cloud_run_env(tmp_path / "exec", cfg, meta, in_cloud_run=True), "--json")
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["outcome"] == "launched" and report["run"]["state"] == "SUCCEEDED", (
        report["run"].get("error"), done.stderr[-2000:])
    assert meta.issued and set(cloud.vertex.auth.seen_tokens) <= set(meta.issued)
    assert set(storage.auth.seen_tokens) <= set(meta.issued) and storage.auth.seen_tokens
    (create,) = cloud.vertex.creates()
    assert "sb_secret_from_secret_manager_mount" not in json.dumps(create.body)  # names only, even here


@pytest.mark.slow
def test_outside_cloud_run_nobody_signed_in_is_exit_2_and_nothing_launched(cloud_run, tmp_path):
    cloud, _storage, meta, cfg = cloud_run
    done = t4panel_fire(_cloud_run_env(tmp_path / "exec", cfg, meta, in_cloud_run=False))
    assert done.returncode == 2, (done.stdout, done.stderr)
    assert "not signed in" in done.stderr and "Traceback" not in done.stderr
    assert cloud.vertex.creates() == [] and meta.issued == {}
