"""The supervisor of one local run: starts the job, timestamps its output, enforces max runtime and cancel.

It runs as its own process so that a run outlives the window or CLI that started it, and another process
can re-attach from the files it keeps. It imports nothing from T4 Panel (it is started by file path).

Files in the run folder:
    spec.json     what to run (written by LocalBackend; no secret: secrets come through the environment)
    status.json   written at start: runner and job pids, start time
    job.log       one line per output line: "<ISO time>\t<O|E>\t<text>"
    cancel        created by anyone who wants the run stopped
    result.json   written once at the end: state, exit code, end time, error (text and message id)
"""

from __future__ import annotations

import errno
import json
import os
import signal
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

KILL_GRACE_SECONDS = 5.0
TICK = 0.1
RESERVE = 4096  # bytes set aside at start, so the result can still be written on a full disk
_DISK_FULL = (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC))
# The job's own variables (its [job.env], the Supabase keys, T4PANEL_RUN_ID), as JSON: LocalBackend hands
# them over here so they reach the job only, never this supervisor's Python (a PYTHONHOME would break it).
JOB_ENV_VARIABLE = "T4PANEL_JOB_ENV"


def _now() -> str:
    return datetime.now(UTC).isoformat().replace("+00:00", "Z")


def _write_json(path: Path, data: dict[str, Any]) -> None:
    tmp = path.with_suffix(".tmp")
    try:
        tmp.write_text(json.dumps(data), encoding="utf-8")
    except OSError as exc:
        reserve = path.parent / "result.reserve"
        if exc.errno not in _DISK_FULL or not reserve.exists():
            raise
        with open(reserve, "r+b") as fh:  # overwriting blocks it already has needs no free space
            body = json.dumps(data).encode("utf-8")[:RESERVE]
            fh.write(body)
            fh.truncate(len(body))
        tmp = reserve
    os.replace(tmp, path)


class _LogWriter:
    def __init__(self, path: Path) -> None:
        # Held open for the whole run by this object (two reader threads write through it); close() ends it.
        # 0600 whatever the umask: a job's output can carry what only the operator should read.
        fd = os.open(path, os.O_CREAT | os.O_WRONLY | os.O_APPEND, 0o600)
        self._fh = open(fd, "a", encoding="utf-8", errors="replace", newline="\n")  # noqa: SIM115
        self._lock = threading.Lock()
        self.disk_full = False  # the log could not be written: the run is stopped, the pipes still drained

    def line(self, stream: str, text: str) -> None:
        text = text.rstrip("\r\n").replace("\t", "    ")
        with self._lock:
            if self.disk_full:
                return
            try:
                self._fh.write(f"{_now()}\t{stream}\t{text}\n")
                self._fh.flush()
            except OSError as exc:  # never let the reader die: a job blocked on a full pipe would hang
                if exc.errno not in _DISK_FULL:
                    raise
                self.disk_full = True

    def pump(self, pipe: IO[bytes], stream: str) -> None:
        for raw in iter(pipe.readline, b""):
            self.line(stream, raw.decode("utf-8", errors="replace"))
        pipe.close()

    def close(self) -> None:
        with self._lock:
            try:
                self._fh.close()
            except OSError:  # the last buffered bytes did not fit on a full disk
                self.disk_full = True


def _kill_group(proc: subprocess.Popen[bytes], grace: float) -> None:
    """Stop the job and everything it started: TERM to the process group, then KILL."""
    if os.name == "nt":
        subprocess.run(["taskkill", "/T", "/F", "/PID", str(proc.pid)], capture_output=True, check=False)
        return
    try:
        os.killpg(proc.pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    deadline = time.monotonic() + grace
    while time.monotonic() < deadline and proc.poll() is None:
        time.sleep(TICK)
    try:
        os.killpg(proc.pid, signal.SIGKILL)  # also reaps children that outlived the leader
    except ProcessLookupError:
        pass


def run(run_dir: Path) -> int:
    spec = json.loads((run_dir / "spec.json").read_text(encoding="utf-8"))
    (run_dir / "result.reserve").write_bytes(b" " * RESERVE)
    log = _LogWriter(run_dir / "job.log")
    cancel_file = run_dir / "cancel"
    max_seconds = float(spec["max_runtime_seconds"])
    kwargs: dict[str, Any] = {}
    if os.name == "nt":
        kwargs["creationflags"] = subprocess.CREATE_NEW_PROCESS_GROUP  # type: ignore[attr-defined]  # win32 only
    else:
        kwargs["start_new_session"] = True  # its own process group, killed as a whole
    env = dict(os.environ)
    env.update(json.loads(env.pop(JOB_ENV_VARIABLE, "{}")))
    try:
        proc = subprocess.Popen(
            spec["argv"], cwd=spec.get("cwd") or None, stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, **kwargs,
        )
    except OSError as exc:
        log.line("E", f"Could not start {spec['argv'][0]}: {exc.strerror or exc}")
        log.close()
        _write_json(run_dir / "result.json", {
            "state": "FAILED", "exit_code": None, "ended": _now(),
            **_error("run.local.not_started", "The command could not be started: {program} ({reason}). Check the "
                     "command on the Job page.", program=spec["argv"][0], reason=exc.strerror or exc),
        })
        return 0
    started = _now()
    _write_json(run_dir / "status.json", {"runner_pid": os.getpid(), "job_pid": proc.pid, "started": started})
    pumps = [threading.Thread(target=log.pump, args=(proc.stdout, "O"), daemon=True),
             threading.Thread(target=log.pump, args=(proc.stderr, "E"), daemon=True)]
    for t in pumps:
        t.start()
    t0 = time.monotonic()
    state, error = None, {}
    while proc.poll() is None:
        if cancel_file.exists():
            state, error = "CANCELLED", _error("run.cancelled", "Cancelled by the operator.")
            _kill_group(proc, KILL_GRACE_SECONDS)
            break
        if log.disk_full:
            state = "FAILED"
            error = _error("run.disk_full", "The disk is full, so the job's output could not be written to {folder} "
                           "and T4 Panel stopped the job. Its log keeps what was written before. Free some space "
                           "and run it again.", folder=run_dir)
            _kill_group(proc, KILL_GRACE_SECONDS)
            break
        if time.monotonic() - t0 > max_seconds:
            minutes = spec["max_runtime_minutes"]
            state = "FAILED"
            error = _error("run.max_runtime", "Stopped after the max runtime of {minutes} minutes. Raise it on the "
                           "Job page if the job needs longer.", minutes=minutes)
            _kill_group(proc, KILL_GRACE_SECONDS)
            break
        time.sleep(TICK)
    code = proc.wait()
    if os.name != "nt" and state is None:
        # the leader ended by itself: leave no stray children of the job running
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
    for t in pumps:
        t.join(timeout=2)
    if state is None:
        state = "SUCCEEDED" if code == 0 else "FAILED"
        if code != 0:
            error = (_error("run.exit_code", "The job exited with code {code}.", code=code) if code > 0
                     else _error("run.signal", "The job was killed by signal {signal}.", signal=-code))
    log.close()
    _write_json(run_dir / "result.json", {"state": state, "exit_code": code, "ended": _now(), "error": None, **error})
    (run_dir / "result.reserve").unlink(missing_ok=True)
    return 0


def _error(msg_id: str, default: str, **params: object) -> dict[str, Any]:
    """result.json's "error" (English) and "error_msg" (core.errors.Message's JSON: id, default, params)."""
    values = {k: str(v) for k, v in params.items()}
    text = default
    for name, value in values.items():
        text = text.replace("{" + name + "}", value)
    return {"error": text, "error_msg": {"id": msg_id, "default": default, "params": values}}


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: local_runner.py RUN_DIR", file=sys.stderr)
        return 2
    return run(Path(argv[0]))


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
