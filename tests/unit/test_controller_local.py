"""Runs on this computer through the RunController: success, failure, cancel, max runtime, one at a time."""

from __future__ import annotations

import os
import threading
import time
from datetime import UTC
from pathlib import Path

import pytest

from core.errors import RunRefused
from core.store.runs import RunState
from tests.support.local import controller, fast_config, script_config


def _collect(ctl):
    events = []
    lock = threading.Lock()

    def on(e):
        with lock:
            events.append(e)

    ctl.subscribe(on)
    return events


def test_sample_job_succeeds_with_log_history_and_times():
    ctl = controller(fast_config(seconds=0.5))
    events = _collect(ctl)
    run = ctl.launch()
    done = ctl.wait(run.id, timeout=20)
    assert done.state == RunState.SUCCEEDED
    assert done.exit_code == 0 and done.error is None
    assert done.created <= done.started <= done.ended
    texts = [line.text for e in events if e.kind == "log" for line in e.lines]
    assert texts[0].startswith("predict: starting")
    assert texts[-1] == "predict: wrote predictions, finished"
    assert [f"predict: batch {i}/10 done ({i * 10}%)" for i in range(1, 11)] == [t for t in texts if "batch" in t]
    states = [s for s, _ in ctl.store.state_changes(run.id)]
    assert states[0] == RunState.LAUNCHING and states[-1] == RunState.SUCCEEDED and RunState.RUNNING in states
    assert [e.kind for e in events][-1] == "finished"
    with open(done.log_path, encoding="utf-8") as fh:
        assert "wrote predictions" in fh.read()


def test_exit_code_3_ends_failed_with_the_code():
    ctl = controller(fast_config(seconds=0.2, exit_code=3))
    run = ctl.wait(ctl.launch().id, timeout=20)
    assert run.state == RunState.FAILED
    assert run.exit_code == 3
    assert "code 3" in run.error


def test_second_launch_while_running_is_refused_with_a_reason():
    ctl = controller(fast_config(seconds=3))
    first = ctl.launch()
    with pytest.raises(RunRefused) as refused:
        ctl.launch()
    assert "already going" in refused.value.message and first.id in refused.value.message
    assert len(ctl.store.recent()) == 1
    ctl.cancel(first.id)
    ctl.wait(first.id, timeout=20)


def test_cancel_ends_cancelled_and_kills_the_whole_process_group(tmp_path):
    # the job starts a grandchild that would outlive a naive kill of the leader
    body = (
        "import subprocess, sys, time, pathlib\n"
        "child = subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(120)'])\n"
        f"pathlib.Path({str(tmp_path / 'child.pid')!r}).write_text(str(child.pid))\n"
        "print('started child', flush=True)\n"
        "time.sleep(120)\n"
    )
    ctl = controller(script_config(tmp_path, body))
    run = ctl.launch()
    pid_file = tmp_path / "child.pid"
    deadline = time.monotonic() + 10
    while not pid_file.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    child = int(pid_file.read_text())
    ctl.cancel(run.id)
    done = ctl.wait(run.id, timeout=20)
    assert done.state == RunState.CANCELLED
    assert RunState.CANCELLING in [s for s, _ in ctl.store.state_changes(run.id)]
    deadline = time.monotonic() + 5
    while _alive(child) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _alive(child), "the job's own child process survived the cancel"


def test_max_runtime_kills_an_overlong_job(tmp_path):
    ctl = controller(script_config(tmp_path, "import time\nprint('working', flush=True)\ntime.sleep(60)\n",
                                   max_runtime_minutes=10), minute_seconds=0.1)  # 10 "minutes" = 1 s
    t0 = time.monotonic()
    done = ctl.wait(ctl.launch().id, timeout=20)
    assert done.state == RunState.FAILED
    assert "max runtime of 10 minutes" in done.error
    assert time.monotonic() - t0 < 15


def test_a_missing_program_fails_with_a_sentence(tmp_path):
    cfg = fast_config()
    cfg.job.command = [str(tmp_path / "no-such-program")]
    ctl = controller(cfg)
    done = ctl.wait(ctl.launch().id, timeout=20)
    assert done.state == RunState.FAILED
    assert "could not be started" in done.error


def test_invalid_config_is_refused_before_anything_starts():
    cfg = fast_config()
    ctl = controller(cfg)
    cfg.job.accelerator_count = 3
    with pytest.raises(RunRefused, match="GPU count must be 1, 2 or 4"):
        ctl.launch()
    assert ctl.store.recent() == []


def test_occurrence_launches_once():
    from datetime import datetime

    ctl = controller(fast_config(seconds=0.1))
    occ = datetime(2026, 11, 28, 16, 0, tzinfo=UTC)
    run = ctl.launch("schedule", occurrence=occ)
    ctl.wait(run.id, timeout=20)
    with pytest.raises(RunRefused, match="already launched"):
        ctl.launch("schedule", occurrence=occ)
    assert [r.occurrence for r in ctl.store.recent()] == [occ]


def test_a_restarted_controller_reattaches_and_finishes_the_record():
    cfg = fast_config(seconds=1.5)
    first = controller(cfg)
    run = first.launch()
    first.shutdown()  # the window closed; the job goes on under its supervisor
    second = controller(cfg)
    assert [r.id for r in second.reattach_all()] == [run.id]
    done = second.wait(run.id, timeout=20)
    assert done.state == RunState.SUCCEEDED
    assert len(second.store.recent()) == 1


def test_secret_env_reaches_the_job_but_no_file(tmp_path, t4panel_home):
    secret = "sb_secret_test_only_value_0123456789"
    body = "import os\nprint('key length', len(os.environ['SUPABASE_KEY']), flush=True)\n"
    cfg = script_config(tmp_path, body, inject_supabase=True)
    ctl = controller(cfg, secret_env=lambda c: {"SUPABASE_KEY": secret, "SUPABASE_URL": "http://127.0.0.1:9"})
    done = ctl.wait(ctl.launch().id, timeout=20)
    assert done.state == RunState.SUCCEEDED
    assert f"key length {len(secret)}" in Path(done.log_path).read_text(encoding="utf-8")
    for path in t4panel_home.rglob("*"):
        if path.is_file():
            assert secret.encode() not in path.read_bytes(), path


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:  # a zombie counts as gone
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().split()[2] != "Z"
    except FileNotFoundError:
        return False


def test_a_launch_whose_answer_was_lost_is_adopted_not_repeated(monkeypatch):
    from core.backends.local import LocalBackend
    from core.control import controller as controller_mod
    from core.errors import TransientBackendError

    monkeypatch.setattr(controller_mod, "ADOPT_RETRY_SECONDS", 0.05)
    launches = []

    class LostAnswer(LocalBackend):
        def launch(self, request):
            launches.append(super().launch(request))  # the job really starts...
            raise TransientBackendError("The server did not answer.")  # ...but the answer is lost

    ctl = controller(fast_config(seconds=0.3))
    backend = LostAnswer(poll_seconds=0.05)
    ctl.backend_factory = lambda name: backend
    run = ctl.launch()
    assert run.state == RunState.LAUNCHING and "Checking whether the job started" in run.error
    done = ctl.wait(run.id, timeout=20)
    assert done.state == RunState.SUCCEEDED
    assert done.job_name == launches[0] and len(launches) == 1
    assert done.error is None
