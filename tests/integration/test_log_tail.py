"""The live tail (`TailLogEntries`) through the real gapic client against the fake Cloud Logging: lines in
seconds, `entries.list` only around the stream, nothing lost or doubled when the stream drops or is refused."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta

import pytest

from core.google import endpoints
from core.google.log_tail import LiveCloudLogReader, TailMode, TailTiming
from core.google.logs import LogGate, ReadLimiter
from core.store.states import LogLine
from tests.integration.fakes.logging_server import FakeLogging

JOB = "5150"
FAST = TailTiming(buffer_window=0.05, settle=0.2, backoff_first=0.05, backoff_max=0.2, refused_retry=0.4,
                  healthy_after=1.0)


@pytest.fixture
def server(monkeypatch, google_signed_in):
    with FakeLogging() as s:
        s.read_quota = None
        monkeypatch.setenv("T4PANEL_LOGGING_ENDPOINT", s.endpoint)
        yield s


@pytest.fixture
def open_reader(server) -> Iterator[Callable[..., LiveCloudLogReader]]:
    """A live reader of JOB started 30 s ago (closed after the test, whatever happened)."""
    made: list[LiveCloudLogReader] = []
    client = endpoints.logging_client()

    def make(timing: TailTiming = FAST, limiter: ReadLimiter | None = None) -> LiveCloudLogReader:
        gate = LogGate(started=datetime.now(UTC) - timedelta(seconds=30), pace=lambda: 0.05)
        made.append(LiveCloudLogReader(lambda: client, "my-proj", JOB, gate, limiter=limiter or ReadLimiter(0.02),
                                       lag_seconds=0.1, timing=timing))
        return made[-1]

    yield make
    for r in made:
        r.close()


def collect(reader: LiveCloudLogReader, want: int, timeout: float = 8.0) -> list[tuple[float, LogLine]]:
    """Read as the controller does (wait for lines, then take them) until `want` lines came; (arrival, line)."""
    got: list[tuple[float, LogLine]] = []
    deadline = time.monotonic() + timeout
    while len(got) < want and time.monotonic() < deadline:
        reader.wait_lines(0.02)
        got += [(time.time(), ln) for ln in reader.read_new()]
    return got


def until(check: Callable[[], bool], timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.01)


def texts(got: list[tuple[float, LogLine]]) -> list[str]:
    return [ln.text for _, ln in got]


def write(server: FakeLogging, count: int, every: float, prefix: str = "n", delay: float = 0.05) -> threading.Thread:
    """A job writing `count` lines, one every `every` seconds, each ingested `delay` s (plus jitter) later."""
    def job() -> None:
        for i in range(count):
            server.add(JOB, time.time(), f"{prefix}{i}", delay=delay)
            time.sleep(every)

    thread = threading.Thread(target=job)
    thread.start()
    return thread


def test_lines_come_through_the_stream_in_seconds_with_no_entries_list_call_while_it_is_healthy(server, open_reader):
    r = open_reader()
    assert r.read_new() == []
    until(lambda: r.mode is TailMode.LIVE)
    assert len(server.requests) == 1  # the backfill of what came before the session
    writer = write(server, 20, 0.02)
    got = collect(r, 20)
    writer.join()
    assert texts(got) == [f"n{i}" for i in range(20)]
    assert len(server.requests) == 1, "no entries.list call while the stream is healthy"
    (session,) = server.tail.requests
    assert session.resource_names == ["projects/my-proj"] and session.status == "OPEN"
    assert session.filter == f'resource.type="ml_job" AND resource.labels.job_id="{JOB}"'
    assert session.buffer_window == pytest.approx(0.05)
    delays = [at - ln.time.timestamp() for at, ln in got]
    assert max(delays) < 0.05 + 0.05 + 0.5  # ingestion lag + buffer window + this machine's scheduling


def test_the_start_is_backfilled_once_and_in_order_before_the_streamed_lines(server, open_reader):
    t0 = time.time() - 10
    for i in range(5):
        server.add(JOB, t0 + i, f"before{i}")
    server.add("9999", t0, "another job")
    r = open_reader()
    r.read_new()
    writer = write(server, 5, 0.02, prefix="after")
    got = collect(r, 10)
    writer.join()
    assert texts(got) == [f"before{i}" for i in range(5)] + [f"after{i}" for i in range(5)]
    assert collect(r, 1, timeout=0.3) == []


def test_out_of_order_arrivals_within_the_buffer_window_come_out_in_order(server, open_reader):
    server.visibility_jitter = 0.04  # under the 0.05 s window
    r = open_reader()
    r.read_new()
    until(lambda: r.mode is TailMode.LIVE)
    writer = write(server, 40, 0.005)
    got = collect(r, 40)
    writer.join()
    assert texts(got) == [f"n{i}" for i in range(40)]


def test_a_cut_stream_reconnects_and_fills_the_gap_with_nothing_lost_or_doubled(server, open_reader):
    server.tail.faults.cut_every = 0.3
    server.visibility_jitter = 0.03
    r = open_reader()
    r.read_new()
    writer = write(server, 150, 0.01)
    got = collect(r, 150, timeout=15)
    writer.join()
    assert texts(got) == [f"n{i}" for i in range(150)]
    assert collect(r, 1, timeout=0.3) == []
    cuts = [s for s in server.tail.requests if s.status == "UNAVAILABLE"]
    assert len(cuts) >= 3 and len(server.tail.requests) == len(cuts) + 1
    assert r.sessions == len(server.tail.requests)
    assert r.fill_reads >= len(cuts)  # every reconnect read the gap from the cursor


def test_entries_the_stream_suppressed_are_read_from_entries_list(server, open_reader):
    r = open_reader()
    r.read_new()
    until(lambda: r.mode is TailMode.LIVE)
    server.tail.faults.suppress_next = 3
    writer = write(server, 10, 0.02)
    got = collect(r, 10)
    writer.join()
    assert texts(got) == [f"n{i}" for i in range(10)]
    # The backfill, then one fill per answer that reported suppressed entries (at most one per entry).
    assert server.tail.faults.suppress_next == 0 and 2 <= len(server.requests) <= 4


def test_a_refused_session_falls_back_to_polling_then_tails_again(server, open_reader):
    server.tail.faults.refuse = True
    r = open_reader()
    r.read_new()
    until(lambda: r.mode is TailMode.POLLING)
    assert [s.status for s in server.tail.requests] == ["RESOURCE_EXHAUSTED"]
    writer = write(server, 10, 0.02)
    got = collect(r, 10)
    writer.join()
    assert texts(got) == [f"n{i}" for i in range(10)]
    assert len(server.requests) >= 2  # polled while refused
    server.tail.faults.refuse = False  # a session slot came free
    until(lambda: r.mode is TailMode.LIVE, timeout=3)
    before = len(server.requests)
    writer = write(server, 10, 0.02, prefix="m")
    got = collect(r, 10)
    writer.join()
    assert texts(got) == [f"m{i}" for i in range(10)]
    assert len(server.requests) == before and server.tail.requests[-1].status == "OPEN"


def test_sessions_beyond_the_projects_limit_are_refused(server, open_reader):
    server.tail.faults.max_sessions = 1
    first, second = open_reader(), open_reader()
    first.read_new()
    until(lambda: first.mode is TailMode.LIVE)
    second.read_new()
    until(lambda: second.mode is TailMode.POLLING)
    assert [s.status for s in server.tail.requests] == ["OPEN", "RESOURCE_EXHAUSTED"]


def client_threads() -> set[threading.Thread]:
    """This process's threads but the fake server's workers and threads gRPC's C core made (Dummy-N)."""
    return {t for t in threading.enumerate() if not t.name.startswith(("ThreadPoolExecutor", "Dummy"))}


def test_the_final_drain_reads_what_came_after_the_end_and_the_tail_leaves_nothing_behind(server, open_reader):
    before = client_threads()
    r = open_reader()
    r.read_new()
    until(lambda: r.mode is TailMode.LIVE)
    writer = write(server, 5, 0.02)
    got = collect(r, 5)
    writer.join()
    end = time.time()
    server.add(JOB, end - 0.01, "last words", severity="ERROR", delay=0.08)  # ingested after the end
    r.gate.ended = datetime.fromtimestamp(end, UTC)
    drained = r.drain()
    assert texts(got) + [ln.text for ln in drained] == [f"n{i}" for i in range(5)] + ["last words"]
    assert r.mode is TailMode.CLOSED
    until(lambda: server.tail.open_sessions == 0)
    assert server.tail.requests[0].status == "CANCELLED"
    until(lambda: client_threads() <= before)  # the tail's, its reader's, and gRPC's feeder of our requests


def test_a_quiet_job_can_be_closed_while_no_answer_ever_came(server, open_reader):
    before = client_threads()
    r = open_reader()
    r.read_new()
    until(lambda: server.tail.open_sessions == 1)
    started = time.monotonic()
    r.close()
    assert time.monotonic() - started < 2
    until(lambda: server.tail.open_sessions == 0 and client_threads() <= before)


def test_an_entry_later_than_the_buffer_window_is_shown_late_rather_than_lost(server, open_reader):
    r = open_reader()
    r.read_new()
    until(lambda: r.mode is TailMode.LIVE)
    t = time.time()
    server.add(JOB, t, "written first, ingested last", delay=0.4)  # far beyond the 0.05 s window
    server.add(JOB, t + 0.01, "written second", delay=0.02)
    got = collect(r, 2)
    assert texts(got) == ["written second", "written first, ingested last"]
    assert collect(r, 1, timeout=0.3) == [] and len(server.requests) == 1
