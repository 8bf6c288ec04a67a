"""`t4panel daemon`: catches up a due run on start, stops cleanly, and refuses a second scheduler."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime, timedelta

from core import paths
from core.app import daemon, instance_lock
from core.store import config as config_mod
from core.store.config import AppConfig, JobConfig, ScheduleConfig
from core.store.occurrences import OccurrenceStore, Outcome
from core.store.runs import RunStore


def _save_schedule_due_an_hour_ago() -> datetime:
    due = (datetime.now(UTC) - timedelta(hours=1)).replace(second=0, microsecond=0)
    cfg = AppConfig(job=JobConfig(env={"SAMPLE_JOB_SECONDS": "0.2"}),
                    schedule=ScheduleConfig(enabled=True, time=due.strftime("%H:%M"), timezone="UTC",
                                            catch_up_hours=6))
    config_mod.save(cfg)
    return due


def test_daemon_catches_up_then_stops_cleanly(capsys):
    due = _save_schedule_due_an_hour_ago()
    stop = threading.Event()
    result: list[int] = []
    thread = threading.Thread(target=lambda: result.append(daemon.run_daemon(stop, tick_seconds=0.5)))
    thread.start()
    try:
        store = RunStore(paths.history_path())
        deadline = time.monotonic() + 20
        run = None
        while time.monotonic() < deadline:
            run = store.by_occurrence(due)
            if run is not None and run.state.terminal:
                break
            time.sleep(0.1)
        assert run is not None, "the catch-up was not launched"
        assert run.trigger == "catch-up" and run.state.value == "SUCCEEDED"
        record = OccurrenceStore(paths.history_path()).get(due.strftime("%Y%m%dT%H%MZ").lower())
        assert record.outcome == Outcome.CAUGHT_UP and record.run_id == run.id
        assert instance_lock.acquire("gui") is None  # the daemon holds the one-per-user lock
    finally:
        stop.set()
        thread.join(15)
    assert not thread.is_alive() and result == [0]
    lock = instance_lock.acquire("gui")  # released on the way out
    assert lock is not None
    lock.release()
    assert len(store.recent()) == 1  # the catch-up ran once; nothing else was started


def test_daemon_refuses_when_another_scheduler_holds_the_lock(capsys):
    _save_schedule_due_an_hour_ago()
    gui = instance_lock.acquire("gui")
    try:
        assert daemon.run_daemon(threading.Event()) == 3
    finally:
        gui.release()
    err = capsys.readouterr().err
    assert "T4 Panel is already running for this user: the T4 Panel window" in err
    assert RunStore(paths.history_path()).recent() == []  # nothing was scheduled or started


def test_main_daemon_logs_to_stdout_refuses_a_twin_and_stops_on_sigterm():
    import os
    import signal
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    config_mod.save(AppConfig(schedule=ScheduleConfig(enabled=True, time="01:00", timezone="Asia/Seoul")))
    first = subprocess.Popen([sys.executable, "main.py", "daemon"], cwd=root, env=dict(os.environ),
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        lines = []
        for line in first.stdout:  # wait until it is scheduling
            lines.append(line)
            if "daemon started" in line:
                break
        assert "next run: " in lines[-1] and "KST, in " in lines[-1]
        twin = subprocess.run([sys.executable, "main.py", "daemon"], cwd=root, env=dict(os.environ),
                              capture_output=True, text=True, timeout=30, check=False)
        assert twin.returncode == 3
        assert "already running for this user: the T4 Panel daemon" in twin.stderr
        first.send_signal(signal.SIGTERM)
        assert first.wait(timeout=15) == 0
    finally:
        if first.poll() is None:
            first.kill()
        first.stdout.close()
        first.stderr.close()


def test_daemon_launches_nothing_while_the_cloud_schedule_fires(caplog):
    """With `[cloud] enabled` Google Cloud starts the runs: a due run is neither caught up nor counted missed."""
    import logging

    due = _save_schedule_due_an_hour_ago()
    cfg = config_mod.load().config
    cfg.cloud.enabled = True
    config_mod.save(cfg)
    stop = threading.Event()
    result: list[int] = []
    thread = threading.Thread(target=lambda: result.append(daemon.run_daemon(stop, tick_seconds=0.2)))
    with caplog.at_level(logging.INFO):
        thread.start()
        try:
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline and "only watches" not in caplog.text:
                time.sleep(0.05)
            assert "this daemon launches none and only watches" in caplog.text
            time.sleep(1.0)  # five ticks
        finally:
            stop.set()
            thread.join(15)
    assert result == [0]
    assert RunStore(paths.history_path()).by_occurrence(due) is None
    assert OccurrenceStore(paths.history_path()).all() == []
