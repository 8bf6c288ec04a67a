"""The one-per-user lock: a second holder in another process is refused; a dead holder frees it."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

from core.app import instance_lock

ROOT = Path(__file__).resolve().parents[2]

_TRY = textwrap.dedent("""
    import sys, time
    from core.app import instance_lock
    lock = instance_lock.acquire(sys.argv[1])
    print("acquired" if lock else "refused: " + instance_lock.refusal_message(), flush=True)
    if lock and len(sys.argv) > 2:
        time.sleep(float(sys.argv[2]))
""")


def _other_process(kind: str, hold: float | None = None, **popen) -> subprocess.Popen:
    args = [sys.executable, "-c", _TRY, kind] + ([str(hold)] if hold else [])
    return subprocess.Popen(args, cwd=ROOT, env=dict(os.environ), stdout=subprocess.PIPE, text=True, **popen)


def test_second_acquire_in_another_process_fails_until_released():
    lock = instance_lock.acquire("gui")
    assert lock is not None and lock.held
    out, _ = _other_process("daemon").communicate(timeout=20)
    assert out.startswith("refused: T4 Panel is already running for this user: the T4 Panel window")
    assert f"(process {os.getpid()})" in out
    lock.release()
    out, _ = _other_process("daemon").communicate(timeout=20)
    assert out.strip() == "acquired"


def test_same_process_second_acquire_fails_too():
    with instance_lock.acquire("gui") as lock:
        assert lock is not None
        assert instance_lock.acquire("daemon") is None
    again = instance_lock.acquire("daemon")
    assert again is not None
    again.release()


def test_a_killed_holder_frees_the_lock():
    child = _other_process("daemon", hold=60)
    try:
        assert child.stdout.readline().strip() == "acquired"
        assert instance_lock.acquire("gui") is None
        assert instance_lock.holder().startswith("daemon pid")
        child.kill()
        child.wait(timeout=10)
        lock = instance_lock.acquire("gui")
        assert lock is not None
        assert instance_lock.holder() == f"gui pid {os.getpid()}"
        lock.release()
    finally:
        if child.poll() is None:
            child.kill()
        child.stdout.close()


def test_lock_file_lives_in_the_data_folder():
    lock = instance_lock.acquire("gui")
    assert lock.path == Path(os.environ["T4PANEL_HOME"]) / "instance.lock"
    assert oct(lock.path.stat().st_mode & 0o777) == "0o600"
    lock.release()
