"""Soak benchmark: one GUI process runs many short local and Vertex runs; does it stay the same size?

The real `gui.app.PanelApp` with its real core (offscreen Qt) runs 1,000 local runs (a tiny command that
prints three lines) and then 200 Vertex AI runs against the fake Vertex and Logging servers, one after
another, each started by Run Now and waited to its end. Every 50 runs it samples RSS, the memory
tracemalloc sees, threads and open file descriptors. A bare QApplication + QTimer process doing nothing,
sampled the same way, is the baseline measured in the same run: its RSS and its own drift tell how much
of a figure is the machine and the allocator rather than T4 Panel.
    python tests/benchmarks/bench_soak.py [--quick] [--local N] [--vertex N] [--no-trace]
Goals: growth under 2 MB per 100 runs after warm-up; threads and open files at the end as after run 1.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

SAMPLE_EVERY = 50
WARM_UP_RUNS = 100  # caches, lazy imports and Qt's first-use set-up settle in these
LOCAL_COMMAND = [sys.executable, "-S", "-c", "print('loading'); print('predicting'); print('done')"]


@dataclass
class Sample:
    runs: int
    phase: str
    rss_mb: float
    held_mb: float  # RSS after malloc_trim, less tracemalloc's own tables: what the app holds
    traced_mb: float
    sqlite_mb: float  # SQLite's own heap (page caches of the history's connections, statements)
    threads: int
    fds: int
    seconds: float


@dataclass(frozen=True, slots=True)
class Ended:
    """What the soak keeps of a run (not the Run itself: 1,200 of those would be growth of the bench's own)."""

    id: str
    backend: str
    state: Any
    error: str | None
    log_path: str


def rss_mb() -> float:
    """Resident set size now (Linux /proc; elsewhere the peak, which still shows growth)."""
    try:
        pages = int(Path("/proc/self/statm").read_text().split()[1])
        return pages * os.sysconf("SC_PAGE_SIZE") / 2**20
    except (OSError, ValueError):
        import resource

        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def os_threads() -> int:
    """Threads of this process as the OS counts them (Qt's pool threads included, not only Python's)."""
    try:
        return len(os.listdir("/proc/self/task"))
    except OSError:
        import threading

        return threading.active_count()


def open_fds() -> int:
    for folder in ("/proc/self/fd", "/dev/fd"):
        with contextlib.suppress(OSError):
            return len(os.listdir(folder))
    return -1


def rss_after_trim() -> float | None:
    """RSS once glibc has handed its free memory back (malloc_trim): what is left is held, not just
    kept by the allocator for reuse. None where there is no glibc."""
    try:
        import ctypes

        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        return None
    return rss_mb()


def sqlite_mb() -> float:
    """What SQLite itself has allocated (its page caches grow with the history file, up to cache_size each)."""
    try:
        import ctypes

        lib = ctypes.CDLL("libsqlite3.so.0")  # the library Python's sqlite3 module loaded: one heap
        lib.sqlite3_memory_used.restype = ctypes.c_int64
        return float(lib.sqlite3_memory_used()) / 2**20
    except (OSError, AttributeError):
        return float("nan")


def sample(runs: int, phase: str, t0: float) -> Sample:
    traced = tracemalloc.get_traced_memory()[0] / 2**20 if tracemalloc.is_tracing() else 0.0
    rss = rss_mb()
    held = rss_after_trim()
    # tracemalloc's bookkeeping grows with every live allocation it traces: not the app's memory
    own = tracemalloc.get_tracemalloc_memory() / 2**20 if tracemalloc.is_tracing() else 0.0
    return Sample(runs, phase, rss, (rss if held is None else held) - own, traced, sqlite_mb(), os_threads(),
                  open_fds(),
                  time.monotonic() - t0)


# ------------------------------------------------------------------ the set-up (one place each)

def local_config() -> Any:
    from core.store.config import AppConfig

    cfg = AppConfig()
    cfg.job.backend = "local"
    cfg.job.command = list(LOCAL_COMMAND)
    return cfg


def vertex_config() -> Any:
    from core.store.config import AppConfig, JobConfig

    return AppConfig(job=JobConfig(backend="vertex", project_id="soak-proj", region="us-central1",
                                   image_uri="us-docker.pkg.dev/p/r/i:1", command=["python", "predict.py"],
                                   max_runtime_minutes=30))


FAKES = r"""
import json, os, sys
sys.path.insert(0, sys.argv[1])
import pytest
from core.google import auth
from tests.integration.fakes.logging_server import scaled_quota
from tests.integration.fakes.oauth_server import FakeOAuthServer
from tests.integration.fakes.vertex_server import FakeCloud, Script
before = dict(os.environ)
# the fakes accept only tokens of an OAuth server in their own process: the app signs in to this one
with pytest.MonkeyPatch.context() as mp, FakeOAuthServer() as oauth, FakeCloud(mp) as cloud:
    cloud.vertex.script = Script(queued=0.02, pending=0.02, running=0.1,
                                 logs=[(0.0, "loading", "INFO"), (0.02, "predicting", "INFO"), (0.04, "done", "INFO")])
    cloud.logging.read_quota = scaled_quota(0.02)
    cloud.vertex.rules.quota_limit = 10**6  # hundreds of runs squeezed into minutes
    mp.setenv(auth.TOKEN_ENDPOINT_ENV, oauth.url + "/token")
    env = {k: v for k, v in os.environ.items() if before.get(k) != v}
    env["_refresh_token"] = oauth.issue_refresh_token(" ".join(auth.SIGN_IN_SCOPES))
    env["_revoke_uri"] = oauth.url + "/revoke"
    print(json.dumps(env), flush=True)
    sys.stdin.read()  # until the soak closes the pipe
"""


@contextlib.contextmanager
def vertex_fakes(monkeypatch: Any) -> Iterator[dict[str, str]]:
    """The fake Vertex AI and Cloud Logging servers, each job living a fraction of a second; yields the
    environment the app needs to reach them (also set through `monkeypatch`).

    The one place that knows how the fakes start and how the app authenticates to them: adapt it here
    when the fakes change (strict schemas, real OAuth tokens). They run in their own process, so their
    records, threads and sockets are not counted as the app's.
    """
    child = subprocess.Popen([sys.executable, "-c", FAKES, str(ROOT)], stdin=subprocess.PIPE,
                             stdout=subprocess.PIPE, text=True)
    restore_sign_in = None
    try:
        assert child.stdout is not None and child.stdin is not None
        env = json.loads(child.stdout.readline() or "{}")
        if "T4PANEL_VERTEX_ENDPOINT" not in env:
            raise RuntimeError("the fake Vertex AI server did not start")
        restore_sign_in = _sign_in(env.pop("_refresh_token"), env.pop("_revoke_uri"))
        for key, value in env.items():
            monkeypatch.setenv(key, value)
        yield env
    finally:
        if restore_sign_in is not None:
            restore_sign_in()
        with contextlib.suppress(OSError):
            child.stdin.close()  # type: ignore[union-attr]
        try:
            child.wait(timeout=10)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()
        child.stdout.close()  # type: ignore[union-attr]


def _sign_in(refresh_token: str, revoke_uri: str) -> Any:
    """Leave the refresh token in the keyring as Sign in with Google does (tests/conftest.py's google_signed_in);
    returns what puts the keyring back as it was."""
    from keyring.backends import SecretService

    from core.google import auth
    from core.store.secrets import GOOGLE_TOKEN, SecretStore
    from tests.integration.fakes.oauth_server import CLIENT_ID, CLIENT_SECRET, EMAIL

    store = SecretStore(backend=SecretService.Keyring())
    before = store.get(GOOGLE_TOKEN)
    store.set(GOOGLE_TOKEN, json.dumps({
        "refresh_token": refresh_token, "client_id": CLIENT_ID, "client_secret": CLIENT_SECRET,
        "token_uri": "https://oauth2.googleapis.com/token", "revoke_uri": revoke_uri,
        "scopes": list(auth.SIGN_IN_SCOPES), "email": EMAIL}))

    def restore() -> None:
        if before is None:
            store.delete(GOOGLE_TOKEN)
        else:
            store.set(GOOGLE_TOKEN, before)

    return restore


def backends() -> Any:
    """The real backends with accelerated polling (what the tests pass as `backend_factory`)."""
    from core.backends.local import LocalBackend
    from core.backends.vertex.backend import VertexBackend
    from core.google.logs import ReadLimiter

    made = {
        "local": LocalBackend(poll_seconds=0.02),
        "vertex": VertexBackend(min_poll_seconds=0.02, rpc_timeout=5.0, limiter=ReadLimiter(0.01),
                                log_lag_seconds=0.02),
    }
    return made.__getitem__


class Soak:
    """Drives one PanelApp the way the operator does: Run Now, then wait for the run's end."""

    def __init__(self, build_every_page: bool = True) -> None:
        from core.app import services
        from gui.app import PanelApp

        factory = backends()
        self.panel = PanelApp(controller_factory=lambda source: services.build_controller(
            source, backend_factory=factory), run_scheduler=False)
        self.panel.window.tray_available = True  # closing hides; never a modal question
        self.panel.start()
        self._wait(lambda: self.panel.core.controller is not None, 20.0, "the core did not start")
        if build_every_page:  # the operator has looked at each page: each one's per-run work runs too
            for key in ("job", "schedule", "logs", "history", "cost", "settings", "dashboard"):
                self.panel.window.show_page(key)
        self.refusals: list[str] = []
        self.panel.core.runRefused.connect(self.refusals.append)
        self.panel.core.problem.connect(lambda title, msg: self.refusals.append(f"{title}: {msg}"))

    def use(self, cfg: Any) -> None:
        """Save `cfg` as the Job page does, and wait until the app has it."""
        saved: list[bool] = []
        self.panel.core.save_config(cfg, lambda: saved.append(True))
        self._wait(lambda: bool(saved), 10.0, "the config was not saved")

    def run_once(self, timeout: float = 180.0) -> Any:
        """Run Now (the button's slot) and wait for the run's end; returns the finished Run.

        The first Vertex run imports the client library (seconds, and far more under tracemalloc on a busy
        machine): hence the generous timeout.
        """
        started: list[str] = []
        finished: list[Any] = []

        def on_event(event: Any) -> None:
            # only this Run Now's run: a late second "finished" of the previous run must not end this wait
            if event.kind == "started" and not started:
                started.append(event.run.id)
            elif event.kind == "finished" and started and event.run.id == started[0]:
                finished.append(event.run)

        self.panel.core.runEvent.connect(on_event)
        try:
            self.panel.run_now()
            self._wait(lambda: bool(finished) or bool(self.refusals), timeout, "no run ended")
        finally:
            self.panel.core.runEvent.disconnect(on_event)
        if self.refusals:
            raise RuntimeError(f"Run Now was refused: {self.refusals}")
        run = finished[0]
        controller = self.panel.core.controller
        self._wait(lambda: not controller.is_watching(run.id), 10.0, "the watcher did not end")
        self.panel.core.tasks.wait_idle(10_000)  # the UI's follow-up work (history, cost) is part of a run
        self._settle()
        return run

    def close(self) -> None:
        self.panel.shutdown()
        self.panel.window.close()
        self.panel.window.deleteLater()
        self._settle()

    @staticmethod
    def _settle() -> None:
        Soak._wait(lambda: True, 0.0, "")

    @staticmethod
    def _wait(done: Any, seconds: float, what: str) -> None:
        """Spin a Qt event loop until `done()`, as the app's own loop would run (a bare processEvents()
        never carries out deleteLater(), so every finished worker's relay would pile up)."""
        from PySide6.QtCore import QEventLoop, QTimer

        loop = QEventLoop()
        deadline = time.monotonic() + seconds

        def check() -> None:
            if done() or time.monotonic() > deadline:
                loop.quit()

        timer = QTimer()
        timer.setInterval(2)
        timer.timeout.connect(check)
        timer.start()
        loop.exec()
        timer.stop()
        if not done():
            raise TimeoutError(f"{what} within {seconds} s")


def warm_up(count: int) -> int:
    """Runs into a phase before its growth is measured: caches, lazy imports and Qt's first use settle."""
    return max(1, min(WARM_UP_RUNS, count // 4))


def soak(local_runs: int, vertex_runs: int, monkeypatch: Any, trace: bool = True,
         on_sample: Any = None) -> tuple[list[Sample], list[Ended], dict[str, Any]]:
    """Run the loop in this process (QApplication must exist).

    Returns the samples, the runs, and per phase the tracemalloc sites that grew most from the end of
    its warm-up to its last run (tracing starts after the first run; imports before warm-up are not growth).
    """
    t0 = time.monotonic()
    samples: list[Sample] = []
    runs: list[Ended] = []
    growth: dict[str, Any] = {}
    with vertex_fakes(monkeypatch):
        app = Soak()
        try:
            plan = [("local", local_config(), local_runs), ("vertex", vertex_config(), vertex_runs)]
            for phase, cfg, count in plan:
                if not count:
                    continue
                app.use(cfg)
                before = None
                for i in range(1, count + 1):
                    run = app.run_once()
                    runs.append(Ended(run.id, run.backend, run.state, run.error, run.log_path))
                    del run
                    if i == 1 and trace and not tracemalloc.is_tracing():
                        tracemalloc.start(1)
                    if i == warm_up(count) and trace:
                        before = tracemalloc.take_snapshot()
                    # after the first run: the reference for "the same threads and files as after the first run"
                    if i in (1, warm_up(count), count) or len(runs) % SAMPLE_EVERY == 0:
                        samples.append(sample(len(runs), phase, t0))
                        if on_sample:
                            on_sample(samples[-1])
                if before is not None:
                    growth[phase] = tracemalloc.take_snapshot().compare_to(before, "lineno")[:8]
                    del before
            tracemalloc.stop()
        finally:
            app.close()
    return samples, runs, growth


# ------------------------------------------------------------------ the baseline

BARE = r"""
import json, sys, time
sys.path.insert(0, sys.argv[1])
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from tests.benchmarks.bench_soak import sample
app = QApplication(sys.argv[:1])
total, every, t0 = int(sys.argv[2]), int(sys.argv[3]), time.monotonic()
ticks = [0]
out = []
def tick():
    ticks[0] += 1
    if ticks[0] == 1 or ticks[0] % every == 0:
        out.append(sample(ticks[0], "bare", t0).__dict__)
    if ticks[0] >= total:
        app.exit(0)
timer = QTimer(); timer.setInterval(1); timer.timeout.connect(tick); timer.start()
app.exec()
print(json.dumps(out))
"""


def baseline(total: int, env: dict[str, str]) -> list[Sample]:
    out = subprocess.run([sys.executable, "-c", BARE, str(ROOT), str(total), str(SAMPLE_EVERY)], env=env,
                         capture_output=True, text=True, timeout=600, check=True)
    return [Sample(**row) for row in json.loads(out.stdout.strip().splitlines()[-1])]


def per_100(samples: list[Sample], start: int, field: str = "held_mb") -> float:
    """Least-squares slope of memory per 100 runs over the samples from run `start` on."""
    points = [(s.runs, getattr(s, field)) for s in samples if s.runs >= start]
    if len(points) < 2:
        return float("nan")
    mx = sum(x for x, _ in points) / len(points)
    my = sum(y for _, y in points) / len(points)
    sxx = sum((x - mx) ** 2 for x, _ in points)
    return 100 * sum((x - mx) * (y - my) for x, y in points) / sxx if sxx else float("nan")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="100 local + 20 Vertex runs")
    parser.add_argument("--local", type=int, default=1000)
    parser.add_argument("--vertex", type=int, default=200)
    parser.add_argument("--no-trace", action="store_true", help="RSS only (tracemalloc slows the loop)")
    args = parser.parse_args()
    local_runs, vertex_runs = (100, 20) if args.quick else (args.local, args.vertex)
    from core.app.allocator import limit_malloc_arenas

    limit_malloc_arenas()  # as main.py does for the window, before any thread starts
    home = tempfile.mkdtemp(prefix="t4soak-")
    os.environ.update({"T4PANEL_HOME": home, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen"),
                       "NO_GCE_CHECK": "true"})
    bare = baseline(local_runs + vertex_runs, dict(os.environ))

    import pytest
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication(sys.argv[:1])
    from core.store.runs import RunState

    def show(s: Sample) -> None:
        print(f"  run {s.runs:5d} ({s.phase:6s}) RSS {s.rss_mb:7.1f} MB  held {s.held_mb:7.1f} MB  "
              f"traced {s.traced_mb:6.1f} MB  sqlite {s.sqlite_mb:5.1f} MB  "
              f"threads {s.threads:3d}  fds {s.fds:3d}  {s.seconds:6.0f} s", flush=True)

    with pytest.MonkeyPatch.context() as mp:
        samples, runs, growth = soak(local_runs, vertex_runs, mp, trace=not args.no_trace, on_sample=show)
    del app
    bad = [r for r in runs if r.state != RunState.SUCCEEDED]
    first, last = samples[0], samples[-1]
    local = [s for s in samples if s.phase == "local"]
    vertex = [s for s in samples if s.phase == "vertex"]
    print(f"runs: {len(runs)} ({local_runs} local, {vertex_runs} Vertex), not SUCCEEDED: {len(bad)}, "
          f"{last.seconds:.0f} s")
    for phase, stats in growth.items():
        print(f"tracemalloc, {phase}: top growth sites from the end of its warm-up to its last run:")
        for stat in stats:
            print(f"  {stat.size_diff / 1024:+8.1f} KiB  {stat.count_diff:+6d} blocks  {stat.traceback}")
    local_slope = per_100(local, warm_up(local_runs))
    vertex_slope = per_100(vertex, local_runs + warm_up(vertex_runs)) if vertex else float("nan")
    warm = warm_up(local_runs)
    bare_slope = per_100(bare, warm)
    print(f"bare QApplication + QTimer: RSS {bare[-1].rss_mb:.1f} MB, drift {bare_slope:+.2f} MB per 100 ticks, "
          f"threads {bare[-1].threads}, fds {bare[-1].fds}")
    print(f"T4 Panel RSS after run 1: {first.rss_mb:.1f} MB, at the end: {last.rss_mb:.1f} MB "
          f"(ratio to the bare process: {last.rss_mb / bare[-1].rss_mb:.2f}x)")
    print(f"growth per 100 runs after warm-up, memory held (RSS after malloc_trim, less tracemalloc's tables): "
          f"local {local_slope:+.2f} MB, "
          f"Vertex {vertex_slope:+.2f} MB (bare: {bare_slope:+.2f}; goal: under 2 MB)")
    raw_local = per_100(local, warm_up(local_runs), "rss_mb")
    raw_vertex = per_100(vertex, local_runs + warm_up(vertex_runs), "rss_mb") if vertex else float("nan")
    print(f"  raw RSS, allocator slack included: local {raw_local:+.2f} MB, Vertex {raw_vertex:+.2f} MB")
    for name, phase in (("local", local), ("Vertex", vertex)):
        if phase:
            print(f"{name}: threads {phase[0].threads} after its first run, {phase[-1].threads} after its last; "
                  f"open fds {phase[0].fds} -> {phase[-1].fds} (goal: the same)")
    print(json.dumps({"samples": [asdict(s) for s in samples]}), file=sys.stderr)


if __name__ == "__main__":
    main()
