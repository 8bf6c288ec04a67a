"""One scheduled occurrence, end to end: the real Scheduler and RunController with the Vertex AI backend and the
Cloud Storage occurrence claim, on a controlled clock that starts a minute before DAY1's 01:00 fire time.

Used by the occurrence tests (retries, fallbacks, the pre-launch check, retry notices) and the benchmark
tests/benchmarks/bench_occurrence_retries.py, against the fakes of tests/integration/fakes/.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

from core import paths
from core.app.services import occurrence_claims
from core.backends.vertex.backend import VertexBackend
from core.control.controller import RunController
from core.google.logs import ReadLimiter
from core.schedule.scheduler import Scheduler
from core.store.config import AppConfig, JobConfig, ScheduleConfig
from core.store.runs import RunStore
from tests.integration.fakes.storage_server import FakeStorage
from tests.integration.fakes.vertex_server import FakeCloud
from tests.unit.test_schedule_support import FakeClock

DAY1 = datetime(2026, 6, 1, 1, 0, tzinfo=UTC)
LABEL = "20260601t0100z"


def vertex_job(**changes: Any) -> JobConfig:
    """A Vertex AI job in my-proj with the fields the tests change set (region, fallbacks, Spot, ...)."""
    return JobConfig(backend="vertex", project_id="my-proj", image_uri="img:1", command=["x"], **changes)


@contextmanager
def vertex_and_storage(env: Any) -> Iterator[tuple[FakeCloud, FakeStorage]]:
    """The Vertex AI fakes (with Logging, Billing, Monitoring) and Cloud Storage, the app pointed at them.

    `env`: pytest's monkeypatch, or anything with its setenv (the benchmark's)."""
    with FakeCloud(env) as cloud, FakeStorage() as storage:
        env.setenv("STORAGE_EMULATOR_HOST", storage.url)
        yield cloud, storage


class Rig:
    """The schedule fires daily at 01:00 UTC with an hour of catch-up; `at(minutes)` is a scheduler pass then.

    `precheck` and `cost_of` go to the Scheduler and the RunController as the app passes them."""

    def __init__(self, cloud: FakeCloud, job: JobConfig | None = None, *,
                 precheck: Callable[[AppConfig], Any] | None = None, cost_of: Callable[[Any], Any] | None = None,
                 ) -> None:
        self.cloud = cloud
        self.cfg = AppConfig(job=job or vertex_job(), schedule=ScheduleConfig(
            enabled=True, time="01:00", timezone="UTC", catch_up_hours=1))
        self.store = RunStore(paths.history_path())
        backend = VertexBackend(min_poll_seconds=0.02, rpc_timeout=2.0, max_attempts=2, limiter=ReadLimiter(0.02))
        self.controller = RunController(self.store, lambda: self.cfg, backend_factory=lambda _n: backend,
                                        claims=occurrence_claims, cost_of=cost_of)
        self.clock = FakeClock(DAY1 - timedelta(minutes=1))
        self.notices: list[tuple[str, str]] = []
        self.scheduler = Scheduler(self.controller, lambda: self.cfg, clock=self.clock, precheck=precheck,
                                   monotonic=self.clock.monotonic, notify=lambda t, m: self.notices.append((t, m)))
        self.scheduler.start(background=False)

    def at(self, minutes: float) -> None:
        """The computer is awake `minutes` after the fire time; the scheduler does its periodic pass."""
        self.clock.advance_to(DAY1 + timedelta(minutes=minutes))
        self.scheduler.fire()

    def outcome(self) -> Any:
        return self.scheduler.occurrences.get(LABEL)

    def run(self) -> Any:
        return self.store.by_occurrence(DAY1)

    def ended(self) -> Any:
        """The run once its current job has ended (the watcher records it)."""
        run = self.controller.wait(self.run().id, timeout=20)
        assert run.state.terminal, run
        return run

    def created_jobs(self) -> list[tuple[str, str]]:
        """(region, strategy) of each create Vertex AI accepted, in order."""
        out = []
        for job in sorted(self.cloud.vertex.jobs.values(), key=lambda j: j.created):
            strategy = job.job.job_spec.scheduling.strategy.name
            out.append((job.job.name.split("/locations/")[1].split("/")[0], strategy))
        return out

    def close(self) -> None:
        self.scheduler.stop()
        self.controller.shutdown()


@contextmanager
def rig_maker(cloud: FakeCloud, **options: Any) -> Iterator[Callable[[JobConfig], Rig]]:
    """make(job) -> a Rig with `options`; every one made is closed on the way out (before the fakes stop)."""
    made: list[Rig] = []

    def make(job: JobConfig) -> Rig:
        made.append(Rig(cloud, job, **options))
        return made[-1]

    try:
        yield make
    finally:
        for rig in made:
            rig.close()
