"""A damaged config.toml never runs the wrong job: every command refuses with the file's problem (line and
setting), launches nothing, and leaves the file byte for byte as the operator wrote it."""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from core import paths
from core.store import config as config_mod
from core.store.config import AppConfig, JobConfig, ScheduleConfig
from tests.integration.test_cli import cli

VERTEX = ('[job]\nbackend = "vertex"\nproject_id = "my-project-1"\nregion = "us-central1"\n'
          'image_uri = "us-docker.pkg.dev/my-project-1/jobs/predict:1"\n')
DAMAGED = {
    # (file bytes, words the operator must read in the refusal)
    "two numbers": ((VERTEX + "max_runtime_minutes = 60 60\n").encode(),
                    ["line 6", "max_runtime_minutes", "not valid TOML"]),
    "invalid utf-8": (b'[job]\nbackend = "vertex"\ndisplay_name = "caf\xe9"\n', ["line 3", "UTF-8"]),
    "binary": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", ["binary data"]),
    "saved half-way": ((VERTEX + '[schedule]\nenabled = true\ntimezone = "Asia/Se').encode(),
                       ["saved half-way"]),
    "empty": (b"", ["empty", "saved half-way"]),
}


def _write(raw: bytes) -> Path:
    path = paths.config_path()
    path.write_bytes(raw)
    return path


def _untouched(path: Path, raw: bytes) -> None:
    assert path.read_bytes() == raw
    assert sorted(p.name for p in path.parent.iterdir() if p.name.startswith("config.toml")) == ["config.toml"]


@pytest.mark.parametrize("kind", list(DAMAGED))
def test_run_now_wait_refuses_a_damaged_file_and_leaves_it_as_it_is(kind):
    raw, words = DAMAGED[kind]
    path = _write(raw)
    out = cli("run-now", "--wait")
    assert out.returncode == 2, out.stdout + out.stderr
    assert "Traceback" not in out.stderr
    for word in words:
        assert word in out.stderr
    assert "left as it is" in out.stderr
    _untouched(path, raw)
    assert not paths.runs_dir().exists()  # no job folder: nothing was launched
    status = cli("status", "--json")
    assert status.returncode == 0 and json.loads(status.stdout) == []
    assert "has problems" in status.stderr  # status works, and says the file is damaged
    _untouched(path, raw)


def test_run_now_without_wait_refuses_too():
    raw = DAMAGED["two numbers"][0]
    path = _write(raw)
    out = cli("run-now", "--json")
    assert out.returncode == 2 and out.stdout == ""
    _untouched(path, raw)


@pytest.mark.parametrize("kind", ["two numbers", "invalid utf-8", "binary"])
def test_daemon_refuses_to_start_on_a_damaged_file(kind):
    raw, words = DAMAGED[kind]
    path = _write(raw)
    out = cli("daemon", timeout=30)
    assert out.returncode == 2
    assert "Traceback" not in out.stderr + out.stdout
    assert "the daemon did not start" in out.stderr
    for word in words:
        assert word in out.stderr
    _untouched(path, raw)


@pytest.mark.parametrize("kind", ["two numbers", "invalid utf-8", "binary"])
def test_config_show_and_validate_say_the_file_is_damaged(kind):
    raw, words = DAMAGED[kind]
    path = _write(raw)
    show = cli("config", "show")
    assert show.returncode == 0 and "Traceback" not in show.stderr
    assert "has problems" in show.stderr and "damaged" in show.stdout
    validate = cli("config", "validate")
    assert validate.returncode == 2 and "Traceback" not in validate.stderr
    for word in words:
        assert word in validate.stdout
    _untouched(path, raw)


def test_validate_names_unknown_settings_and_tables_with_what_was_meant():
    raw = b'[job]\nmax_runtime_minute = 90\n[schedul]\nenabled = true\n'
    path = _write(raw)
    out = cli("config", "validate")
    assert out.returncode == 2
    assert ("unknown setting 'max_runtime_minute' in [job]; did you mean 'max_runtime_minutes'?"
            in out.stdout)
    assert "unknown table [schedul]; did you mean [schedule]?" in out.stdout
    assert cli("run-now").returncode == 2  # the operator's 90 minutes would silently be 60: refuse
    _untouched(path, raw)


def test_a_field_that_fails_validation_is_named_not_replaced():
    raw = b'[schedule]\nenabled = true\ntime = "25:99"\n'
    path = _write(raw)
    out = cli("config", "validate")
    assert out.returncode == 2 and "schedule.time: The time must be HH:MM" in out.stdout
    _untouched(path, raw)


def test_scheduler_refuses_an_occurrence_when_the_file_is_damaged_after_start():
    """A file saved half-way while the daemon runs: the due occurrence is blocked with the file's problem."""
    from core.app import daemon, services
    from core.schedule.scheduler import Scheduler
    from core.store.occurrences import Outcome

    due = (datetime.now(UTC) - timedelta(hours=1)).replace(second=0, microsecond=0)
    config_mod.save(AppConfig(job=JobConfig(env={"SAMPLE_JOB_SECONDS": "0.2"}),
                              schedule=ScheduleConfig(enabled=True, time=due.strftime("%H:%M"), timezone="UTC",
                                                      catch_up_hours=6)))
    source = daemon.ConfigFile()
    assert source().file_problems == []  # read once while good
    good = paths.config_path().read_bytes()
    raw = good[: good.index(b"[schedule]") + 5]  # the editor stopped writing mid-table
    paths.config_path().write_bytes(raw)
    notices: list[tuple[str, str]] = []
    controller = services.build_controller(config_source=source)
    try:
        scheduler = Scheduler(controller, source, notify=lambda t, m: notices.append((t, m)))
        records = scheduler.start(background=False)
    finally:
        controller.shutdown()
    assert [r.outcome for r in records] == [Outcome.BLOCKED]
    assert "saved half-way" in records[0].reason or "not valid TOML" in records[0].reason
    assert controller.store.recent() == []
    assert notices and "not started" in notices[0][1]
    _untouched(paths.config_path(), raw)


def test_saving_good_settings_replaces_the_damaged_file():
    raw = DAMAGED["binary"][0]
    _write(raw)
    loaded = config_mod.load()
    assert loaded.damaged
    config_mod.save(loaded.config)  # what the GUI does when the operator presses Save
    assert loaded.config.file_problems == [] and config_mod.validate(loaded.config) == []
    assert config_mod.load().notice is None
    assert os.stat(paths.config_path()).st_mode & 0o777 == 0o600
