"""A watcher never dies silently: the real Scheduler and RunController on the Vertex AI and Cloud Storage
fakes, with the run history locked by another program across a job's end (issue 11)."""

from __future__ import annotations

import sqlite3
import threading
import time
from datetime import UTC, datetime, timedelta

import pytest

from core import paths
from core.app.services import occurrence_claims
from core.backends.vertex.backend import VertexBackend
from core.control.controller import RunController
from core.errors import T4Error
from core.google.logs import ReadLimiter
from core.schedule.scheduler import Scheduler
from core.store.config import AppConfig, JobConfig, ScheduleConfig
from core.store.occurrences import Outcome
from core.store.runs import RunState, RunStore
from tests.integration.fakes.storage_server import FakeStorage
from tests.integration.fakes.vertex_server import FakeCloud, Script
from tests.unit.test_schedule_support import FakeClock

DAY1 = datetime(2026, 6, 1, 1, 0, tzinfo=UTC)


@pytest.fixture
def cloud(monkeypatch, google_signed_in):
    with FakeCloud(monkeypatch) as c, FakeStorage() as storage:
        monkeypatch.setenv("STORAGE_EMULATOR_HOST", storage.url)
        c.vertex.script = Script(queued=0.05, pending=0.05, running=1.5)
        yield c


def _wait_for(predicate, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return False


@pytest.mark.slow
@pytest.mark.timeout(180)
def test_history_locked_15_s_across_a_jobs_end_the_run_ends_and_the_next_day_fires(cloud):
    threads_before = threading.active_count()  # what earlier tests left is theirs, not this test's
    cfg = AppConfig(job=JobConfig(backend="vertex", project_id="my-proj", image_uri="img:1", command=["x"]),
                    schedule=ScheduleConfig(enabled=True, time="01:00", timezone="UTC", catch_up_hours=6))
    store = RunStore(paths.history_path())
    backend = VertexBackend(min_poll_seconds=0.02, rpc_timeout=5.0, limiter=ReadLimiter(0.02))
    controller = RunController(store, lambda: cfg, backend_factory=lambda _n: backend, claims=occurrence_claims)
    clock = FakeClock(DAY1 - timedelta(minutes=1))
    scheduler = Scheduler(controller, lambda: cfg, clock=clock, monotonic=clock.monotonic)
    try:
        scheduler.start(background=False)
        clock.advance_to(DAY1)
        (first,) = scheduler.fire()
        assert first.outcome == Outcome.LAUNCHED
        assert _wait_for(lambda: store.get(first.run_id).state == RunState.RUNNING, 20)

        lock = sqlite3.connect(str(paths.history_path()), timeout=30, isolation_level=None)
        lock.execute("BEGIN EXCLUSIVE")  # another program holds the history while the job ends
        time.sleep(15)
        lock.execute("COMMIT")
        lock.close()

        run = controller.wait(first.run_id, timeout=40)
        assert run.state == RunState.SUCCEEDED, run  # on main: RUNNING for ever, its watcher dead

        clock.advance_to(DAY1 + timedelta(days=1))
        (second,) = scheduler.fire()
        assert second.outcome == Outcome.LAUNCHED, second.reason  # not "skipped: previous run still running"
        assert len(cloud.vertex.creates()) == 2
    finally:
        scheduler.stop()
        controller.shutdown()
    left = threading.active_count() - threads_before  # the watcher's retries do not pile up threads
    assert left < 15, sorted(t.name for t in threading.enumerate())


def test_a_launch_blocked_on_the_keyring_is_left_alone_and_keeps_its_own_error(cloud, monkeypatch):
    from core.errors import SecretsError

    monkeypatch.setattr("core.control.controller.ADOPT_RETRY_SECONDS", 0.05)
    cfg = AppConfig(job=JobConfig(backend="vertex", project_id="my-proj", image_uri="img:1", command=["x"],
                                  inject_supabase=True))
    unlock = threading.Event()
    prompts: list[float] = []

    def keyring(_cfg):  # the unlock prompt: open until the operator answers, then refused
        prompts.append(time.monotonic())
        unlock.wait(20)
        raise SecretsError("The keyring stayed locked, so the Supabase keys could not be read. Unlock it and "
                           "try again.")

    store = RunStore(paths.history_path())
    backend = VertexBackend(min_poll_seconds=0.02, rpc_timeout=5.0, limiter=ReadLimiter(0.02))
    launcher = RunController(store, lambda: cfg, backend_factory=lambda _n: backend, secret_env=keyring)
    other = RunController(store, lambda: cfg, backend_factory=lambda _n: backend)  # the adopt timer, `status`
    outcome: list[BaseException] = []
    thread = threading.Thread(target=lambda: _launch_into(launcher, outcome))
    thread.start()
    try:
        assert _wait_for(lambda: bool(store.active()), 10)
        for _ in range(20):  # 2 s of re-attaching and refreshing while the prompt is open
            other.reattach_all()
            other.refresh_active()
            time.sleep(0.1)
        assert cloud.vertex.calls("list") == 0  # nobody looked the run up behind its launcher's back
        assert store.active()[0].state == RunState.LAUNCHING
    finally:
        unlock.set()
        thread.join(20)
        other.shutdown()
        launcher.shutdown()
    assert len(prompts) == 1 and isinstance(outcome[0], SecretsError)
    (run,) = store.recent()
    assert run.state == RunState.FAILED and "keyring stayed locked" in (run.error or "")
    time.sleep(0.3)
    assert "keyring stayed locked" in (store.get(run.id).error or "")  # never replaced by a guess
    assert cloud.vertex.creates() == []


def _launch_into(controller, outcome: list[BaseException]) -> None:
    try:
        controller.launch("manual")
    except T4Error as exc:  # the test reads what the operator would see
        outcome.append(exc)
