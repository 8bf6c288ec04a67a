"""T4 Panel's own files through the real `python main.py` process: a folder that is a file, read-only or
full; a damaged or busy history; private modes whatever the umask. Each says what happened, what is kept and
what to do, never a traceback."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import sqlite3
import stat
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from core import paths
from core.store import config as config_mod
from core.store.runs import RunStore
from tests.integration.test_cli import ROOT, cli
from tests.support.local import fast_config


def _mode(path: Path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def _no_traceback(out: subprocess.CompletedProcess[str]) -> None:
    assert "Traceback" not in out.stderr + out.stdout


@contextlib.contextmanager
def _tmpfs(size: str, read_only_after: bool = False) -> Iterator[Path]:
    """A small real file system (root only): the only honest way to get a full or read-only disk."""
    where = Path(tempfile.mkdtemp(prefix="t4panel-fs-"))
    if os.geteuid() != 0 or shutil.which("mount") is None or subprocess.run(
            ["mount", "-t", "tmpfs", "-o", f"size={size},mode=0755", "tmpfs", str(where)],
            capture_output=True).returncode != 0:
        where.rmdir()
        pytest.skip("cannot mount a small file system here")
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], capture_output=True, check=False)
        where.rmdir()


def test_a_home_that_is_a_file_is_said_by_every_command(tmp_path, monkeypatch):
    home = tmp_path / "not-a-folder"
    home.write_text("oops", encoding="utf-8")
    monkeypatch.setenv("T4PANEL_HOME", str(home))
    for args in (["status"], ["config", "validate"], ["config", "show"], ["run-now", "--wait"], ["daemon"]):
        out = cli(*args, timeout=30)
        _no_traceback(out)
        assert out.returncode == 2, (args, out.stderr)
        assert "is a file, not a folder" in out.stderr and "Nothing was changed" in out.stderr
    assert home.read_text(encoding="utf-8") == "oops"


def test_a_read_only_home_still_validates_and_says_why_status_cannot_run(monkeypatch):
    with _tmpfs("1m") as fs:
        home = fs / "home"
        monkeypatch.setenv("T4PANEL_HOME", str(home))
        config_mod.save(fast_config())
        subprocess.run(["mount", "-o", "remount,ro", str(fs)], check=True)
        validate = cli("config", "validate")
        _no_traceback(validate)
        assert validate.returncode == 0 and "OK" in validate.stdout
        show = cli("config", "show")
        assert show.returncode == 0 and "[job]" in show.stdout
        for args in (["status"], ["run-now", "--wait"]):
            out = cli(*args)
            _no_traceback(out)
            assert out.returncode == 2 and "read-only" in out.stderr and "Nothing was changed" in out.stderr


def test_a_full_disk_is_said_as_a_full_disk(monkeypatch):
    with _tmpfs("64k") as fs:
        home = fs / "home"
        monkeypatch.setenv("T4PANEL_HOME", str(home))
        config_mod.save(fast_config())
        with contextlib.suppress(OSError), open(fs / "filler", "wb") as fh:
            while True:
                fh.write(b"\0" * 4096)
                fh.flush()
        out = cli("status")
        _no_traceback(out)
        assert out.returncode == 2 and "The disk is full" in out.stderr and "Free some space" in out.stderr


def _history_bytes() -> bytes:
    store = RunStore(paths.history_path())
    store.close()
    return paths.history_path().read_bytes()


@pytest.mark.parametrize("damage", ["truncated", "garbage", "zero bytes"])
def test_a_damaged_history_is_set_aside_and_the_operator_told(damage):
    config_mod.save(fast_config(seconds=0.1))
    assert cli("run-now", "--wait").returncode == 0
    whole = _history_bytes()
    raw = {"truncated": whole[: len(whole) // 2], "garbage": b"this is not a database\n" * 300,
           "zero bytes": b""}[damage]
    for suffix in ("-wal", "-shm"):
        Path(str(paths.history_path()) + suffix).unlink(missing_ok=True)
    paths.history_path().write_bytes(raw)
    out = cli("status", "--json")
    _no_traceback(out)
    assert out.returncode == 0 and json.loads(out.stdout) == []
    assert "was damaged" in out.stderr and "set it aside as history.sqlite3.damaged-" in out.stderr
    kept = [p for p in paths.history_path().parent.iterdir() if p.name.startswith("history.sqlite3.damaged-")
            and not p.name.endswith(("-wal", "-shm"))]
    assert len(kept) == 1 and kept[0].read_bytes() == raw  # set aside, byte for byte
    again = cli("status", "--json")
    assert again.returncode == 0 and "damaged" not in again.stderr  # told once
    assert cli("run-now", "--wait").returncode == 0  # the new history works


def test_a_history_held_by_another_program_is_said_after_10_seconds():
    config_mod.save(fast_config(seconds=0.1))
    _history_bytes()
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sqlite3, sys, time\n"
         "db = sqlite3.connect(sys.argv[1], isolation_level=None)\n"
         "db.execute('BEGIN EXCLUSIVE'); print('held', flush=True); time.sleep(25)\n", str(paths.history_path())],
        stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        started = time.monotonic()
        out = cli("run-now", "--wait")
        waited = time.monotonic() - started
    finally:
        holder.kill()
        holder.wait()
    _no_traceback(out)
    assert out.returncode == 2 and waited >= 9.5
    assert "held by another program for more than 10 seconds" in out.stderr and "Nothing was changed" in out.stderr
    assert not paths.runs_dir().exists() or not any(paths.runs_dir().iterdir())  # nothing launched


def test_files_are_private_whatever_the_umask(tmp_path, monkeypatch):
    home = tmp_path / "fresh" / "home"  # made by the app itself
    monkeypatch.setenv("T4PANEL_HOME", str(home))
    old = os.umask(0)
    try:
        config_mod.save(fast_config(seconds=0.1))
        out = subprocess.run([sys.executable, "main.py", "run-now", "--wait", "--json"], cwd=ROOT,
                             env=dict(os.environ), capture_output=True, text=True, timeout=60)
    finally:
        os.umask(old)
    assert out.returncode == 0, out.stderr
    run_dir = paths.runs_dir() / json.loads(out.stdout)["id"]
    for folder in (home, home / "logs", paths.runs_dir(), run_dir):
        assert _mode(folder) == 0o700, folder
    history = paths.history_path()
    files = [history, home / "logs" / "t4panel.log", run_dir / "job.log", run_dir / "runner.err"]
    files += [Path(str(history) + s) for s in ("-wal", "-shm") if Path(str(history) + s).exists()]
    for file in files:
        assert _mode(file) == 0o600, file


def test_pythonhome_in_the_job_env_reaches_the_job_only():
    cfg = fast_config()
    cfg.job.command = ["/bin/sh", "-c", 'echo "job sees PYTHONHOME=$PYTHONHOME PYTHONPATH=$PYTHONPATH"']
    cfg.job.env = {"PYTHONHOME": "/nowhere/python", "PYTHONPATH": "/nowhere/lib"}
    config_mod.save(cfg)
    out = cli("run-now", "--wait")
    assert out.returncode == 0, out.stdout + out.stderr
    assert "job sees PYTHONHOME=/nowhere/python PYTHONPATH=/nowhere/lib" in out.stdout


def test_cancel_matches_an_exact_id_or_prefix_never_a_pattern():
    config_mod.save(fast_config(seconds=0.1))
    assert cli("run-now", "--wait").returncode == 0
    run_id = json.loads(cli("status", "--json").stdout)[0]["id"]
    for pattern in ("%", "r%", "_", run_id[:3] + "_"):
        out = cli("cancel", pattern)
        _no_traceback(out)
        assert out.returncode == 1 and f'No run has the id "{pattern}"' in out.stderr
    out = cli("cancel", run_id[:6])  # an unambiguous prefix still finds it
    assert out.returncode == 1 and f"Run {run_id} already ended" in out.stderr


def test_the_history_file_of_an_old_install_is_made_private():
    paths.history_path().parent.mkdir(parents=True, exist_ok=True)
    db = sqlite3.connect(paths.history_path())
    db.execute("CREATE TABLE x (y)")
    db.close()
    os.chmod(paths.history_path(), 0o644)
    RunStore(paths.history_path()).close()
    assert _mode(paths.history_path()) == 0o600
