"""What a scheduled occurrence costs in Google API calls when the first attempts fail, against one clean launch.

Runs the real Scheduler, RunController, VertexBackend and occurrence claim (Cloud Storage) on the fake
servers, on a controlled clock: a clean launch; a 503 storm for the first 3 minutes; a T4 stockout on the
first two attempts; a stockout in the job's region with a fallback region set; a job that Vertex AI accepted
but ended FAILED for lack of GPUs, retried in the fallback region. Prints Vertex AI and Cloud
Storage calls per scenario and the ratio to the clean launch. Not a pass/fail test:

    python tests/benchmarks/bench_occurrence_retries.py
"""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("NO_GCE_CHECK", "true")


class _MonkeyEnv:
    """The bit of pytest's monkeypatch the fakes use."""

    def __init__(self) -> None:
        self.saved: dict[str, str | None] = {}

    def setenv(self, key: str, value: str) -> None:
        self.saved.setdefault(key, os.environ.get(key))
        os.environ[key] = value

    def undo(self) -> None:
        for key, value in self.saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


@contextmanager
def _fakes() -> Iterator[tuple[Any, Any]]:
    """The Vertex AI and Cloud Storage fakes, in the developer-anonymous mode (no keyring here: every endpoint
    loopback, which the fakes then allow), with a fresh T4PANEL_HOME; the environment is put back after."""
    from tests.support.occurrence import vertex_and_storage

    env = _MonkeyEnv()
    try:
        with tempfile.TemporaryDirectory() as home, vertex_and_storage(env) as (cloud, storage):
            env.setenv("T4PANEL_HOME", home)
            env.setenv("T4PANEL_DEV_ANONYMOUS", "1")
            for fake in (cloud.vertex, cloud.logging, storage):
                fake.auth.required = False
            yield cloud, storage
    finally:
        env.undo()


def scenario(name: str, faults_until: float, faults, **job: object) -> tuple[str, int, int, int]:
    """(name, Vertex calls, Storage calls, attempts) until the occurrence has its job (passes every 30 s)."""
    from tests.integration.fakes.vertex_server import Faults, Script
    from tests.support.occurrence import DAY1, LABEL, Rig

    with _fakes() as (cloud, storage):
        cloud.vertex.script = Script(queued=3600.0)
        rig = Rig(cloud)
        for key, value in job.items():  # e.g. fallback_regions: read by the rig's config source at each attempt
            setattr(rig.cfg.job, key, value)
        try:
            if faults is not None:
                cloud.vertex.set_faults(faults)
            minute, record = 0.0, None
            while minute <= 20 and record is None:  # counted until the occurrence has its job
                if minute >= faults_until:
                    cloud.vertex.set_faults(Faults())
                rig.at(minute)
                record = rig.scheduler.occurrences.get(LABEL)
                minute += 0.5
            vertex_calls, storage_calls = len(cloud.vertex.requests), len(storage.requests)
            run = rig.store.get(record.run_id) if record and record.run_id else None
            attempts = len(run.detail.get("attempts", [])) + 1 if run else 0
        finally:
            rig.close()
        assert rig.clock.wall >= DAY1
        return name, vertex_calls, storage_calls, attempts


def scenario_no_gpus_after_create(name: str, **job: object) -> tuple[str, int, int, int]:
    """(name, Vertex calls, Storage calls, attempts) when the first job Vertex AI accepts ends FAILED before it
    ran ("Resources are insufficient in region"), counted until a job of the occurrence is running."""
    from tests.integration.fakes.vertex_server import Script
    from tests.integration.test_occurrence_fallbacks import NO_GPUS
    from tests.support.occurrence import DAY1, Rig

    with _fakes() as (cloud, storage):
        made: list[object] = []

        def script(created: object) -> Script:
            made.append(created)
            if len(made) == 1:
                return Script(queued=0.01, pending=0.02, outcome="FAILED", error=NO_GPUS, starts=False)
            return Script(queued=3600.0)

        cloud.vertex.script_for = script
        rig = Rig(cloud)
        for key, value in job.items():
            setattr(rig.cfg.job, key, value)
        try:
            minute, run = 0.0, None
            while minute <= 20 and (run is None or run.state.terminal or not run.job_name):
                rig.at(minute)
                run = rig.store.by_occurrence(DAY1)
                if run is not None and not run.state.terminal and run.job_name and len(made) == 1:
                    rig.controller.wait(run.id, timeout=10)  # the first job ends (no GPUs) and is recorded
                    run = rig.store.by_occurrence(DAY1)
                minute += 0.5
            vertex_calls, storage_calls = len(cloud.vertex.requests), len(storage.requests)
            attempts = len(run.detail.get("attempts", [])) + 1 if run else 0
        finally:
            rig.close()
        return name, vertex_calls, storage_calls, attempts


def main() -> None:
    from tests.integration.fakes.vertex_server import Faults
    from tests.integration.test_occurrence_retries import STOCKOUT

    rows = [scenario("clean launch", 0, None),
            scenario("503 storm, first 3 min", 3, Faults(error_rate=1.0, error_codes=(503,))),
            scenario("stockout, first 2 attempts", 2, Faults(create_error=STOCKOUT)),
            scenario("stockout in region, 1 fallback", 60, Faults(create_error=STOCKOUT,
                                                                   create_error_in=("us-central1",)),
                     fallback_regions=["us-east1"]),
            scenario_no_gpus_after_create("job FAILED, no GPUs, 1 fallback", fallback_regions=["us-east1"])]
    base = rows[0][1] + rows[0][2]
    print(f"{'scenario':30} {'vertex':>7} {'storage':>8} {'attempts':>9} {'calls vs clean':>15}")
    for name, vertex, storage, attempts in rows:
        print(f"{name:30} {vertex:7d} {storage:8d} {attempts:9d} {(vertex + storage) / base:14.1f}x")


if __name__ == "__main__":
    main()
