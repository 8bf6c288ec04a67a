"""Is a launch still going? The launching process's heartbeat, and the claim book a launch asks first.

A run is LAUNCHING (no job yet) while its launcher creates the job, which on a slow network takes
minutes (timeouts, backoff, waiting for a late commit). Another process must not call it abandoned
meanwhile, and a fixed grace time cannot know how long the launcher's retries last. So the launcher
touches `launching.json` in the run's folder while it works and marks it done when it stops; a run
is abandoned only when that file has gone quiet for longer than a late commit can take.
"""

from __future__ import annotations

import json
import logging
import os
import socket
import threading
import time
from pathlib import Path
from typing import Any, Protocol

from core import paths

log = logging.getLogger(__name__)

HEARTBEAT_FILE = "launching.json"
HEARTBEAT_SECONDS = 5.0  # how often the launcher says it is alive
QUIET_SECONDS = 3 * HEARTBEAT_SECONDS  # silence after which the launcher counts as gone
LATE_COMMIT_SECONDS = 120.0  # after the launcher went quiet, how long its last create may still appear


class ClaimBook(Protocol):
    """Atomic occurrence claims (core.google.storage.OccurrenceClaims), named here so control needs no Google."""

    def claim(self, occurrence_label: str, run_id: str) -> Any: ...

    def take_over(self, occurrence_label: str, run_id: str, stale: Any) -> Any: ...


class LaunchHeartbeat:
    """`with LaunchHeartbeat(run_dir):` around a backend's launch; a thread touches the file meanwhile."""

    def __init__(self, run_dir: Path, every: float = HEARTBEAT_SECONDS) -> None:
        self.path = Path(run_dir) / HEARTBEAT_FILE
        self.every = every
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._beat, name=f"heartbeat-{Path(run_dir).name}", daemon=True)

    def __enter__(self) -> LaunchHeartbeat:
        paths.ensure_private_dir(self.path.parent)
        self._write(done=False)
        self._thread.start()
        return self

    def __exit__(self, *_: Any) -> None:
        self._stop.set()
        self._thread.join()
        self._write(done=True)  # kept: its time is when the last create may have been sent

    def _beat(self) -> None:
        while not self._stop.wait(self.every):
            self._write(done=False)

    def _write(self, done: bool) -> None:
        body = {"pid": os.getpid(), "host": socket.gethostname(), "done": done}
        tmp = self.path.with_suffix(f".{os.getpid()}.{threading.get_ident()}.tmp")
        try:
            tmp.write_text(json.dumps(body), encoding="utf-8")
            os.replace(tmp, self.path)
        except OSError as exc:  # a full disk must not stop the launch; others then wait the long way
            log.warning("could not write the launch heartbeat %s: %s", self.path, exc)


def launcher_state(run_dir: Path) -> tuple[bool, float | None]:
    """(the launcher is still working, seconds since it last said anything; None if it never did)."""
    path = Path(run_dir) / HEARTBEAT_FILE
    try:
        age = time.time() - path.stat().st_mtime
        body = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False, None
    working = not body.get("done") and (age < QUIET_SECONDS or _alive_here(body))
    return working, max(0.0, age)


def _alive_here(body: dict[str, Any]) -> bool:
    """A launcher on this computer whose process still exists is working, however long it was silent
    (a laptop that slept, a keyring prompt that blocked every thread)."""
    if body.get("host") != socket.gethostname():
        return False
    try:
        pid = int(body.get("pid", 0))
    except (TypeError, ValueError):
        return False
    if pid <= 0:
        return False
    if pid == os.getpid():
        return True
    if os.name == "nt":  # os.kill there terminates the process: rely on the heartbeat's age alone
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True
    return True
