"""The local backend: the job's command runs on this computer under a small supervisor process."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from datetime import datetime
from pathlib import Path
from typing import Any

from core import paths
from core.backends import local_runner
from core.backends.base import BackendStatus, LaunchRequest, LogLine
from core.errors import BackendError
from core.store.config import JobConfig
from core.store.runs import RunState, parse_iso

_ERROR_WORDS = ("error", "exception", "traceback", "failed", "fatal")


def _python_argv() -> list[str]:
    """How to start a Python script here (the bundled app runs scripts itself)."""
    if getattr(sys, "frozen", False):
        return [sys.executable, "_python"]
    return [sys.executable]


def expand_command(job: JobConfig) -> list[str]:
    """command + args with the app's placeholders filled in: {python}, {sample_job}, {resources}."""
    sample = str(paths.resources_dir() / "sample_job" / "predict.py")
    out: list[str] = []
    for word in [*job.command, *job.args]:
        if word == "{python}":
            out.extend(_python_argv())
            continue
        out.append(word.replace("{sample_job}", sample).replace("{resources}", str(paths.resources_dir())))
    return out


def _runner_argv(run_dir: Path) -> list[str]:
    if getattr(sys, "frozen", False):
        return [sys.executable, "_local-runner", str(run_dir)]
    return [sys.executable, "-u", local_runner.__file__, str(run_dir)]


class LocalLogReader:
    """Reads job.log from where it left off; only whole lines."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._offset = 0
        self._partial = b""

    def read_new(self) -> list[LogLine]:
        try:
            with open(self.path, "rb") as fh:
                fh.seek(self._offset)
                data = fh.read()
        except FileNotFoundError:
            return []
        self._offset += len(data)
        data = self._partial + data
        *complete, self._partial = data.split(b"\n")
        return [parse_log_line(raw.decode("utf-8", errors="replace")) for raw in complete]

    def drain(self) -> list[LogLine]:
        lines = self.read_new()
        if self._partial:
            lines.append(parse_log_line(self._partial.decode("utf-8", errors="replace")))
            self._partial = b""
        return lines


def parse_log_line(raw: str) -> LogLine:
    """One job.log line ("<time>\\t<O|E>\\t<text>") as a LogLine; a plain line is kept as text."""
    parts = raw.split("\t", 2)
    if len(parts) == 3:
        try:
            when = datetime.fromisoformat(parts[0].replace("Z", "+00:00"))
        except ValueError:
            when = None
        if when is not None:
            stream = "stderr" if parts[1] == "E" else "stdout"
            return LogLine(when, parts[2], severity_of(parts[2], stream), stream)
    from core.store.runs import utcnow

    return LogLine(utcnow(), raw, severity_of(raw, "stdout"))


def severity_of(text: str, stream: str) -> str:
    lower = text.lower()
    if any(w in lower for w in _ERROR_WORDS):
        return "ERROR"
    if "warn" in lower:
        return "WARNING"
    return "INFO"


class LocalBackend:
    """Runs the job on this machine. `minute_seconds` compresses max runtime in tests."""

    name = "local"
    writes_log_file = True

    def __init__(self, minute_seconds: float = 60.0, poll_seconds: float = 0.25) -> None:
        self.minute_seconds = minute_seconds
        self.poll_seconds = poll_seconds
        self._children: dict[str, subprocess.Popen[bytes]] = {}
        self._lock = threading.Lock()

    def launch(self, request: LaunchRequest) -> str:
        run_dir = paths.ensure_private_dir(Path(request.run_dir))
        argv = expand_command(request.job)
        spec = {
            "argv": argv,
            "cwd": None,
            "max_runtime_minutes": request.job.max_runtime_minutes,
            "max_runtime_seconds": request.job.max_runtime_minutes * self.minute_seconds,
            "run_id": request.run_id,
        }
        (run_dir / "spec.json").write_text(json.dumps(spec), encoding="utf-8")
        env = dict(os.environ)
        env.update(request.job.env)
        env.update(request.secret_env)  # handed to the job only; never written to disk
        env["PYTHONUNBUFFERED"] = "1"
        env["T4PANEL_RUN_ID"] = request.run_id
        kwargs: dict[str, Any] = {}
        if os.name == "nt":
            # Windows-only flags: typeshed declares them for win32 alone
            kwargs["creationflags"] = (subprocess.CREATE_NEW_PROCESS_GROUP  # type: ignore[attr-defined]
                                     | subprocess.CREATE_NO_WINDOW)  # type: ignore[attr-defined]
        else:
            kwargs["start_new_session"] = True  # survives a Ctrl-C or closing of the app
        try:
            # the runner gets its own copy of the handle; ours is closed at once (it was left to the
            # garbage collector before: one ResourceWarning and one open file per run until then)
            with open(run_dir / "runner.err", "wb") as err:
                child = subprocess.Popen(
                    _runner_argv(run_dir), env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                    stderr=err, **kwargs,
                )
        except OSError as exc:
            raise BackendError(f"T4 Panel could not start the job on this computer: {exc.strerror or exc}.") from exc
        with self._lock:
            self._children[str(run_dir)] = child
        return str(run_dir)

    def poll(self, handle: str) -> BackendStatus:
        run_dir = Path(handle)
        result = _read_json(run_dir / "result.json")
        status = _read_json(run_dir / "status.json")
        started = parse_iso(status.get("started")) if status else None
        if result:
            self._forget(handle)
            return BackendStatus(RunState(result["state"]), started, parse_iso(result.get("ended")),
                                 result.get("exit_code"), result.get("error"))
        if self._runner_alive(handle, status):
            return BackendStatus(RunState.RUNNING if status else RunState.PENDING, started)
        result = _read_json(run_dir / "result.json")  # it may have finished between the two reads
        if result:
            return self.poll(handle)
        from core.store.runs import utcnow

        return BackendStatus(RunState.FAILED, started, utcnow(), None,
                             "The run stopped unexpectedly "
                             "(the computer restarted or the job's supervisor was killed).")

    def _runner_alive(self, handle: str, status: dict[str, Any] | None) -> bool:
        with self._lock:
            child = self._children.get(handle)
        if child is not None:
            return child.poll() is None  # our own child: poll() also reaps it
        if not status:
            return (Path(handle) / "spec.json").exists() and _recent(Path(handle) / "spec.json")
        return _pid_alive(int(status["runner_pid"]))

    def _forget(self, handle: str) -> None:
        with self._lock:
            child = self._children.pop(handle, None)
        if child is not None:
            try:
                child.wait(timeout=5)
            except subprocess.TimeoutExpired:
                pass

    def cancel(self, handle: str) -> None:
        run_dir = Path(handle)
        if not run_dir.is_dir():
            raise BackendError("This run's files are gone, so it cannot be cancelled from here.")
        (run_dir / "cancel").touch()

    def open_log(self, handle: str, run_dir: str) -> LocalLogReader:
        return LocalLogReader(Path(handle) / "job.log")

    def find_by_run_id(self, run_id: str, job: JobConfig) -> str | None:
        run_dir = paths.runs_dir() / run_id
        return str(run_dir) if (run_dir / "spec.json").exists() else None

    def poll_interval(self, state: RunState, seconds_in_state: float) -> float:
        return self.poll_seconds


def _read_json(path: Path) -> dict[str, Any] | None:
    try:
        data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        return data
    except (FileNotFoundError, ValueError):
        return None


def _recent(path: Path, seconds: float = 30.0) -> bool:
    import time

    try:
        return time.time() - path.stat().st_mtime < seconds
    except FileNotFoundError:
        return False


def _pid_alive(pid: int) -> bool:
    if os.name == "nt":
        import ctypes

        # ctypes.windll exists (and is typed) only on Windows
        handle = ctypes.windll.kernel32.OpenProcess(0x1000, False, pid)  # type: ignore[attr-defined]
        if not handle:
            return False
        ctypes.windll.kernel32.CloseHandle(handle)  # type: ignore[attr-defined]
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
