"""One occurrence, one claim: the real google-cloud-storage client against a fake JSON API that enforces
Google's preconditions, and ten launchers (threads in processes, two T4PANEL_HOMEs as two computers)
firing one occurrence at the same instant through the real RunController and the Vertex AI fake."""

from __future__ import annotations

import multiprocessing
import os
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from core.google.storage import OccurrenceClaims, bucket_name, object_name, storage_client
from tests.integration.fakes.storage_server import FakeStorage
from tests.integration.fakes.vertex_server import FakeCloud, Script

ROUNDS = 200
FIRST = datetime(2026, 3, 1, 1, 0, tzinfo=UTC)
# (home, threads): two computers, each with two processes; 10 launchers in all
PROCESSES = [("a", 3), ("a", 2), ("b", 3), ("b", 2)]


@pytest.fixture
def storage(monkeypatch, google_signed_in):
    """The fake, with the operator signed in: it accepts only tokens the fake OAuth server issued."""
    with FakeStorage() as fake:
        monkeypatch.setenv("STORAGE_EMULATOR_HOST", fake.url)
        yield fake


def test_the_fake_enforces_google_preconditions_through_the_real_client(storage):
    from google.api_core import exceptions as gexc

    client = storage_client("p")  # the app's own client: the operator's token, to the emulator
    bucket = client.create_bucket("p-t4panel", location="us-central1")
    with pytest.raises(gexc.Conflict):
        client.create_bucket("p-t4panel")
    blob = bucket.blob("t4panel/default/occurrences/x")
    blob.upload_from_string(b"one", if_generation_match=0)
    first = blob.generation
    with pytest.raises(gexc.PreconditionFailed) as info:
        bucket.blob("t4panel/default/occurrences/x").upload_from_string(b"two", if_generation_match=0)
    assert info.value.code == 412 and "conditionNotMet" in str(info.value)  # Google's JSON error body
    with pytest.raises(gexc.PreconditionFailed):  # a take-over with a generation that is not the current one
        bucket.blob("t4panel/default/occurrences/x").upload_from_string(b"two", if_generation_match=first + 1)
    taker = bucket.blob("t4panel/default/occurrences/x")
    taker.upload_from_string(b"three", if_generation_match=first)
    assert taker.generation > first
    with pytest.raises(gexc.PreconditionFailed):  # the second taker read the same old generation: it loses
        bucket.blob("t4panel/default/occurrences/x").upload_from_string(b"four", if_generation_match=first)
    assert bucket.blob("t4panel/default/occurrences/x").download_as_bytes() == b"three"
    with pytest.raises(gexc.PreconditionFailed):
        bucket.blob("t4panel/default/occurrences/x").delete(if_metageneration_match=7)
    with pytest.raises(gexc.PreconditionFailed):  # a missing object fails every generation but 0
        bucket.blob("nothing").upload_from_string(b"x", if_generation_match=5)
    with pytest.raises(gexc.NotFound):
        bucket.blob("nothing").download_as_bytes()
    with pytest.raises(gexc.NotFound):
        client.bucket("other-bucket").blob("o").upload_from_string(b"x", if_generation_match=0)


def test_ten_clients_at_once_make_exactly_one_winner_200_times(storage):
    books = [OccurrenceClaims("my-proj", "us-central1", "default") for _ in range(10)]
    books[0].claim("warmup", "rwarm")  # the bucket exists before the race (its creation is tested below)
    with ThreadPoolExecutor(max_workers=10) as pool:
        for n in range(ROUNDS):
            label = f"2026{n:04d}t0100z"
            start = threading.Barrier(10)

            def one(i: int, label: str = label, start: threading.Barrier = start, n: int = n) -> tuple[bool, str]:
                start.wait()
                result = books[i].claim(label, f"r{n:04d}x{i}")
                return result.won, result.claim.run_id

            results = list(pool.map(one, range(10)))
            winners = [r for r in results if r[0]]
            assert len(winners) == 1, f"round {n}: {results}"
            assert {holder for _, holder in results} == {winners[0][1]}  # the losers name the winner


def test_the_bucket_is_made_private_in_the_job_region_and_the_operator_told_once(storage):
    first = OccurrenceClaims("my-proj", "asia-northeast3", "default").claim("20260301t0100z", "rone")
    second = OccurrenceClaims("my-proj", "asia-northeast3", "default").claim("20260302t0100z", "rtwo")
    assert first.won and second.won
    assert first.notice and "my-proj-t4panel" in first.notice and second.notice is None
    bucket = storage.buckets[bucket_name("my-proj")]
    assert bucket["location"] == "ASIA-NORTHEAST3" and bucket["labels"] == {"t4panel": "claims"}
    assert bucket["iamConfiguration"]["uniformBucketLevelAccess"]["enabled"] is True
    assert bucket["iamConfiguration"]["publicAccessPrevention"] == "enforced"
    import json

    body = json.loads(storage.object_data("my-proj-t4panel", object_name("default", "20260301t0100z")) or b"{}")
    assert body["run_id"] == "rone" and body["pid"] == os.getpid() and body["host"] and body["home_id"]
    assert storage.calls("bucket_insert") == 1


def test_a_stale_claim_is_taken_over_once(storage):
    from core.google.storage import Claim

    book = OccurrenceClaims("my-proj", "us-central1", "default")
    old = book.claim("20260301t0100z", "rdead").claim
    stale = Claim(**{**old.__dict__})
    assert book.take_over("20260301t0100z", "rnew1", stale).won
    late = book.take_over("20260301t0100z", "rnew2", stale)  # read the same old generation: must lose
    assert not late.won and late.claim.run_id == "rnew1"


def _launcher_process(home: str, threads: int, barrier, results) -> None:
    """One computer's process: `threads` controllers, each firing every round's occurrence at the barrier."""
    os.environ["T4PANEL_HOME"] = home
    from core import paths
    from core.app.services import occurrence_claims
    from core.backends.vertex.backend import VertexBackend
    from core.control.controller import RunController
    from core.errors import RunRefused, T4Error
    from core.google.logs import ReadLimiter
    from core.store.config import AppConfig, JobConfig
    from core.store.runs import RunStore

    cfg = AppConfig(job=JobConfig(backend="vertex", project_id="my-proj", image_uri="img:1", command=["x"]))
    store = RunStore(paths.history_path())

    def launcher(t: int) -> None:
        backend = VertexBackend(min_poll_seconds=0.05, rpc_timeout=10.0, limiter=ReadLimiter(0.05))
        for n in range(ROUNDS):
            c = RunController(store, lambda: cfg, backend_factory=lambda _n: backend, claims=occurrence_claims,
                              profile=f"p{n}")
            barrier.wait()
            try:
                run = c.launch("schedule", occurrence=FIRST + timedelta(days=n))
                results.put((n, "run", run.id, run.detail.get("adopted_run"), run.job_name))
            except RunRefused as exc:
                results.put((n, "refused", getattr(exc, "reason", ""), None, ""))
            except T4Error as exc:
                results.put((n, "error", exc.message, None, ""))
            c.shutdown(timeout=0)

    pool = [threading.Thread(target=launcher, args=(t,)) for t in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()


@pytest.mark.slow
def test_ten_launchers_on_two_computers_make_one_create_per_occurrence_200_times(storage, monkeypatch, tmp_path):
    with FakeCloud(monkeypatch) as cloud:
        cloud.vertex.script = Script(queued=3600.0)  # the jobs just sit in the queue
        # 200 days of launches in about a minute: far above Vertex AI's 600 calls/min, a rate no computer
        # reaches in real time, so the fake's per-minute quota is lifted for this compressed run
        cloud.vertex.rules.quota_limit = 1_000_000
        OccurrenceClaims("my-proj", "us-central1", "warm").claim("warm", "rwarm")  # the bucket exists
        ctx = multiprocessing.get_context("spawn")
        barrier = ctx.Barrier(sum(n for _, n in PROCESSES), timeout=120)
        results = ctx.Queue()
        procs = [ctx.Process(target=_launcher_process, args=(str(tmp_path / home), threads, barrier, results))
                 for home, threads in PROCESSES]
        for p in procs:
            p.start()
        got = [results.get(timeout=600) for _ in range(ROUNDS * 10)]
        for p in procs:
            p.join(60)
            assert p.exitcode == 0
        creates = cloud.vertex.creates()

    assert [r for r in got if r[1] == "error"] == []
    assert len(creates) == ROUNDS  # exactly 1 create call per occurrence
    for n in range(ROUNDS):
        label = (FIRST + timedelta(days=n)).strftime("%Y%m%dT%H%MZ").lower()
        jobs = cloud.vertex.jobs_labelled("t4panel-occurrence", label)
        assert len(jobs) == 1, f"round {n}: {len(jobs)} jobs"
        runs = [r for r in got if r[0] == n and r[1] == "run"]
        assert len(runs) == 2, f"round {n}: one run per computer, got {runs}"  # the rest: refused by history
        winner = jobs[0].labels["t4panel-run"]
        for _, _, run_id, adopted, job_name in runs:
            assert run_id == winner or adopted == winner
            assert job_name in ("", jobs[0].name)
    assert Path(tmp_path / "a").exists() and Path(tmp_path / "b").exists()


def _controller_on(cloud_backend_poll: float = 0.02):
    from core import paths
    from core.app.services import occurrence_claims
    from core.backends.vertex.backend import VertexBackend
    from core.control.controller import RunController
    from core.google.logs import ReadLimiter
    from core.store.config import AppConfig, JobConfig
    from core.store.runs import RunStore

    cfg = AppConfig(job=JobConfig(backend="vertex", project_id="my-proj", image_uri="img:1", command=["x"]))
    backend = VertexBackend(min_poll_seconds=cloud_backend_poll, rpc_timeout=5.0, limiter=ReadLimiter(0.02))
    return RunController(RunStore(paths.history_path()), lambda: cfg, backend_factory=lambda _n: backend,
                         claims=occurrence_claims), backend, cfg


def _claim_as(run_id: str, claimed_at: datetime) -> None:
    import json

    storage_client("my-proj").bucket("my-proj-t4panel").blob(
        object_name("default", "20260301t0100z")).upload_from_string(json.dumps(
            {"run_id": run_id, "host": "other-pc", "pid": 4242, "home_id": "h2", "claimed_at": claimed_at.isoformat()}),
            if_generation_match=0)


def test_a_claim_whose_holder_never_created_a_job_is_taken_over_and_launched_once(storage, monkeypatch):
    OccurrenceClaims("my-proj", "us-central1", "default").claim("warm", "rwarm")
    _claim_as("rdeadholder", datetime.now(UTC) - timedelta(hours=1))
    with FakeCloud(monkeypatch) as cloud:
        cloud.vertex.script = Script(queued=3600.0)
        controller, _, _ = _controller_on()
        run = controller.launch("schedule", occurrence=FIRST)
        controller.shutdown()
        assert run.job_name and "adopted_run" not in run.detail
        assert len(cloud.vertex.creates()) == 1
    import json

    body = json.loads(storage.object_data("my-proj-t4panel", object_name("default", "20260301t0100z")) or b"{}")
    assert body["run_id"] == run.id  # the claim is ours now


def test_a_fresh_claim_is_adopted_and_its_job_followed_once_it_appears(storage, monkeypatch):
    from core.backends.base import LaunchRequest
    from core.store.runs import RunState

    OccurrenceClaims("my-proj", "us-central1", "default").claim("warm", "rwarm")
    _claim_as("rotherpc0001", datetime.now(UTC))
    with FakeCloud(monkeypatch) as cloud:
        cloud.vertex.script = Script(queued=3600.0)
        monkeypatch.setattr("core.control.controller.ADOPT_RETRY_SECONDS", 0.05)
        controller, backend, cfg = _controller_on()
        run = controller.launch("schedule", occurrence=FIRST)
        assert run.state == RunState.LAUNCHING and not run.job_name and run.detail["adopted_run"] == "rotherpc0001"
        assert cloud.vertex.creates() == []  # the other computer holds it: nothing is created here
        other = backend.launch(LaunchRequest(run_id="rotherpc0001", job=cfg.job, display_name="t4-predict",
                                             labels={"t4panel-run": "rotherpc0001"}, run_dir=""))
        deadline = time.monotonic() + 10
        while not controller.store.get(run.id).job_name and time.monotonic() < deadline:
            time.sleep(0.05)
        controller.shutdown()
        assert controller.store.get(run.id).job_name == other
        assert len(cloud.vertex.creates()) == 1
