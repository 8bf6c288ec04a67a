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
from core.errors import BackendError, Message, msg
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
        # The job's variables reach the job only, through the runner: set on the supervisor itself, a
        # PYTHONHOME or PYTHONPATH meant for the job would break the supervisor's own Python.
        job_env = {**request.job.env, **request.secret_env,  # secrets: handed to the job, never written to disk
                   "PYTHONUNBUFFERED": "1", "T4PANEL_RUN_ID": request.run_id}
        env = dict(os.environ)
        env[local_runner.JOB_ENV_VARIABLE] = json.dumps(job_env)
        kwargs: dict[str, Any] = {}
        if os.name == "nt":
            # Windows-only flags: typeshed declares them for win32 alone
            kwargs["creationflags"] = (subprocess.CREATE_NEW_PROCESS_GROUP  # type: ignore[attr-defined]
                                     | subprocess.CREATE_NO_WINDOW)  # type: ignore[attr-defined]
        else:
            kwargs["start_new_session"] = True  # survives a Ctrl-C or closing of the app
        try:
            # The runner gets its own copy of this descriptor; ours is closed once it has started.
            err_fd = os.open(run_dir / "runner.err", os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o600)
            try:
                child = subprocess.Popen(_runner_argv(run_dir), env=env, stdin=subprocess.DEVNULL,
                                         stdout=subprocess.DEVNULL, stderr=err_fd, **kwargs)
            finally:
                os.close(err_fd)
        except OSError as exc:
            raise BackendError(msg("local.start_failed", "T4 Panel could not start the job on this computer: "
                                   "{reason}.", reason=exc.strerror or exc)) from exc
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
                                 result.get("exit_code"), _result_error(result))
        if self._runner_alive(handle, status):
            return BackendStatus(RunState.RUNNING if status else RunState.PENDING, started)
        result = _read_json(run_dir / "result.json")  # it may have finished between the two reads
        if result:
            return self.poll(handle)
        from core.store.runs import utcnow

        if _stop_orphaned_job(status):  # never leave a job running that nothing watches or can cancel
            return BackendStatus(RunState.FAILED, started, utcnow(), None,
                                 "The job's supervisor was killed, so T4 Panel stopped the job rather than leave it "
                                 "running unwatched. Start it again with Run Now.")
        return BackendStatus(RunState.FAILED, started, utcnow(), None,
                             msg("run.local.lost", "The run stopped unexpectedly "
                                 "(the computer restarted or the job's supervisor was killed)."))

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
            if child.stderr:
                child.stderr.close()

    def cancel(self, handle: str) -> None:
        run_dir = Path(handle)
        if not run_dir.is_dir():
            raise BackendError(msg("local.cancel_gone",
                                   "This run's files are gone, so it cannot be cancelled from here."))
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


def _stop_orphaned_job(status: dict[str, Any] | None, grace: float = 5.0) -> bool:
    """Kill the job's process group when its supervisor is gone: found by the recorded job pid, which
    leads its own group (start_new_session), so a reused pid of another program is never touched."""
    import signal
    import time

    if os.name == "nt" or not status:
        return False
    try:
        pid = int(status.get("job_pid") or 0)
        if pid <= 0 or os.getpgid(pid) != pid:
            return False
    except (ProcessLookupError, PermissionError, OSError, ValueError):
        return False  # the job ended with its supervisor
    try:
        os.killpg(pid, signal.SIGTERM)
        deadline = time.monotonic() + grace
        while time.monotonic() < deadline:
            time.sleep(0.05)
            os.getpgid(pid)  # raises ProcessLookupError once the leader is gone
        os.killpg(pid, signal.SIGKILL)
    except ProcessLookupError:
        return True
    except OSError:
        return False
    return True


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
    return not _zombie(pid)


def _zombie(pid: int) -> bool:
    """A killed supervisor whose parent is gone may stay a zombie (an init that does not reap, as in many
    containers): it still answers kill(0) but runs nothing. Linux tells so in /proc; elsewhere assume not."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text(encoding="ascii", errors="replace")
    except OSError:
        return False
    return stat.rpartition(")")[2].split()[:1] == ["Z"]


def _result_error(result: dict[str, Any]) -> str | Message | None:
    """The run's error from result.json: the message with its id when the runner wrote one, else the text."""
    stored = result.get("error_msg")
    if isinstance(stored, dict) and "id" in stored:
        return Message.from_json(stored)
    error = result.get("error")
    return str(error) if error else None
