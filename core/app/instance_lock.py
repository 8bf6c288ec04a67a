"""One scheduler per user: the lock file that the GUI and the daemon both take before scheduling.

The OS releases the lock when the process ends, however it ends (crash, kill -9), so a stale file
never blocks the next start. `fcntl.flock` on Linux/macOS, `msvcrt.locking` on Windows.
"""

from __future__ import annotations

import atexit
import os
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Self

from core import paths

LOCK_NAME = "instance.lock"
_INFO_OFFSET = 1  # Windows locks byte 0; the holder's description lives after it, readable by others


def lock_path() -> Path:
    return paths.data_dir() / LOCK_NAME


@dataclass
class InstanceLock:
    """A held lock. Call `release()` (or leave it to process exit)."""

    path: Path
    kind: str
    _fd: int | None

    def release(self) -> None:
        fd, self._fd = self._fd, None
        if fd is None:
            return
        try:
            _unlock(fd)
        finally:
            os.close(fd)

    @property
    def held(self) -> bool:
        return self._fd is not None

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *_: object) -> None:
        self.release()


_guard = threading.Lock()


def acquire(kind: str = "gui", path: Path | None = None) -> InstanceLock | None:
    """Take the one-per-user lock, or return None when another T4 Panel (GUI or daemon) holds it.

    Args:
        kind: "gui" or "daemon", written into the file so the refusal can say who holds it.
        path: the lock file (default: <data folder>/instance.lock).
    """
    path = path or lock_path()
    paths.ensure_private_dir(path.parent)
    with _guard:
        fd = os.open(str(path), os.O_RDWR | os.O_CREAT, 0o600)
        try:
            locked = _try_lock(fd)
        except BaseException:
            os.close(fd)
            raise
        if not locked:
            os.close(fd)
            return None
        info = f"{kind} pid {os.getpid()}\n".encode()
        os.lseek(fd, _INFO_OFFSET, os.SEEK_SET)
        os.write(fd, info)
        os.ftruncate(fd, _INFO_OFFSET + len(info))
    lock = InstanceLock(path, kind, fd)
    atexit.register(lock.release)
    return lock


def holder(path: Path | None = None) -> str:
    """Who holds the lock, as written by them ("daemon pid 1234"), or "" when unknown."""
    try:
        data = (path or lock_path()).read_bytes()
    except OSError:
        return ""
    return data[_INFO_OFFSET:].decode("utf-8", errors="replace").strip()


def refusal_message(path: Path | None = None) -> str:
    """The sentence shown when the lock is taken."""
    who = holder(path)
    what = "the T4 Panel daemon" if who.startswith("daemon") else "the T4 Panel window"
    pid = f" (process {who.split()[-1]})" if who.split() and who.split()[-1].isdigit() else ""
    if not who:
        what = "another T4 Panel"
    return (f"T4 Panel is already running for this user: {what}{pid} is scheduling runs. "
            "Only one may run at a time, so scheduled runs are never started twice. "
            "Use that one, or stop it first.")


if os.name == "nt":
    import msvcrt

    def _try_lock(fd: int) -> bool:
        os.lseek(fd, 0, os.SEEK_SET)
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)  # type: ignore[attr-defined]  # typeshed: win32 only
        except OSError:
            return False
        return True

    def _unlock(fd: int) -> None:
        os.lseek(fd, 0, os.SEEK_SET)
        try:
            msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)  # type: ignore[attr-defined]  # typeshed: win32 only
        except OSError:
            pass

else:
    import fcntl

    def _try_lock(fd: int) -> bool:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True

    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)
