"""CloudLogReader against the fake Cloud Logging gRPC server, through the real gapic client."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import pytest

from core.google import endpoints
from core.google.logs import PAGE_SIZE, CloudLogReader, LogGate, ReadLimiter, severity_name
from tests.integration.fakes.logging_server import FakeLogging

JOB = "4242"


@pytest.fixture
def server(monkeypatch, google_signed_in):
    with FakeLogging() as s:
        monkeypatch.setenv("T4PANEL_LOGGING_ENDPOINT", s.endpoint)
        yield s


def reader(limiter: ReadLimiter | None = None, lag: float = 0.2, started: datetime | None = None,
           job_id: str = JOB) -> CloudLogReader:
    gate = LogGate(started=started or datetime.now(UTC) - timedelta(seconds=30), pace=lambda: 0.0)
    client = endpoints.logging_client()
    return CloudLogReader(lambda: client, "my-proj", job_id, gate, limiter=limiter or ReadLimiter(0.0),
                          lag_seconds=lag)


def texts(lines) -> list[str]:
    return [ln.text for ln in lines]


def test_request_has_the_job_filter_parent_page_size_and_a_timestamp_bound(server):
    r = reader()
    r.read_new()
    (req,) = server.requests
    assert req.resource_names == ["projects/my-proj"]
    assert req.filter.startswith(f'resource.type="ml_job" AND resource.labels.job_id="{JOB}" AND timestamp>="')
    assert 'timestamp<="' in req.filter  # stays behind "now"
    assert req.page_size == PAGE_SIZE == 1000 and req.order_by == "timestamp asc"


def test_nothing_is_read_before_the_job_started(server):
    gate = LogGate(started=None)
    r = CloudLogReader(endpoints.logging_client, "my-proj", JOB, gate, limiter=ReadLimiter(0.0))
    assert r.read_new() == [] and r.drain() == []
    assert server.requests == []


def test_equal_timestamps_are_neither_repeated_nor_lost(server):
    t = time.time() - 5
    same = (int(t), 123_456_789)
    for i in range(3):
        server.add(JOB, same, f"a{i}")
    server.add("9999", same, "another job")
    r = reader()
    assert texts(r.read_new()) == ["a0", "a1", "a2"]
    server.add(JOB, same, "a3")  # arrives later with the very same timestamp
    server.add(JOB, same, "a4")
    server.add(JOB, (same[0], same[1] + 1), "b0")
    assert texts(r.read_new()) == ["a3", "a4", "b0"]
    assert r.read_new() == []
    assert f'timestamp>="{datetime.fromtimestamp(same[0], UTC):%Y-%m-%dT%H:%M:%S}.123456790Z"' \
        in server.requests[-1].filter  # the cursor moved to b0's timestamp


def test_late_entries_within_the_lag_are_not_lost(server):
    r = reader(lag=0.4)
    now = time.time()
    server.add(JOB, now - 0.05, "early but late to arrive", delay=0.3)
    server.add(JOB, now, "on time")
    assert r.read_new() == []  # both are younger than the lag: not read yet
    time.sleep(0.45)
    assert texts(r.read_new()) == ["early but late to arrive", "on time"]


def test_drain_reads_entries_that_arrive_after_the_end(server):
    r = reader(lag=0.2)
    end = time.time()
    server.add(JOB, end - 1.0, "work")
    assert texts(r.read_new()) == ["work"]
    server.add(JOB, end - 0.01, "last words", severity="ERROR", delay=0.15)
    r.gate.ended = datetime.fromtimestamp(end, UTC)
    lines = r.drain()
    assert texts(lines) == ["last words"] and lines[0].severity == "ERROR"


def test_many_pages_arrive_in_order_once(server):
    t0 = time.time() - 60
    for i in range(2500):
        server.add(JOB, t0 + i * 0.001, f"n{i}")
    r = reader()
    lines = []
    for _ in range(5):
        lines += r.read_new()
    assert texts(lines) == [f"n{i}" for i in range(2500)]
    assert [q.page_token for q in server.requests[:3]] == ["", "1000", "2000"]


def test_resource_exhausted_backs_off_exponentially_and_loses_nothing(server):
    server.add(JOB, time.time() - 5, "hello")
    limiter = ReadLimiter(0.05)
    r = reader(limiter)
    server.exhaust_next = 2
    lines = []
    deadline = time.monotonic() + 3
    while not lines and time.monotonic() < deadline:
        lines += r.read_new()
        time.sleep(0.005)
    assert texts(lines) == ["hello"]
    calls = [q.at for q in server.requests]
    assert [q.status for q in server.requests] == ["RESOURCE_EXHAUSTED", "RESOURCE_EXHAUSTED", "OK"]
    first_gap, second_gap = calls[1] - calls[0], calls[2] - calls[1]
    assert first_gap >= 0.05 * 2 * 0.8 and second_gap >= 0.05 * 4 * 0.8 and second_gap > first_gap


def test_one_limiter_caps_reads_for_the_whole_app(server):
    limiter = ReadLimiter(0.2)
    readers = [reader(limiter, job_id=str(n)) for n in range(3)]
    end = time.monotonic() + 0.9
    while time.monotonic() < end:
        for r in readers:
            r.read_new()
        time.sleep(0.01)
    assert 2 <= len(server.requests) <= 5  # one read per 0.2 s whoever asks (fewer on a busy machine)
    gaps = [b.at - a.at for a, b in zip(server.requests, server.requests[1:], strict=False)]
    assert min(gaps) >= 0.18


def test_severity_names_for_the_log_view():
    assert [severity_name(v) for v in (0, 100, 200, 300, 400, 500, 600, 800)] == [
        "INFO", "DEBUG", "INFO", "INFO", "WARNING", "ERROR", "ERROR", "ERROR"]


def test_multiline_payload_becomes_lines(server):
    server.add(JOB, time.time() - 5, "Traceback (most recent call last):\n  File x\nValueError: bad\n", "ERROR")
    assert texts(reader().read_new()) == ["Traceback (most recent call last):", "  File x", "ValueError: bad"]


def test_a_reader_opened_after_a_restart_goes_on_from_the_saved_cursor(server, tmp_path):
    t = time.time() - 10
    for i in range(3):
        server.add(JOB, t + i, f"x{i}")
    cursor = tmp_path / "run" / "log_cursor.json"
    first = reader()
    first.cursor_path = cursor
    assert texts(first.read_new()) == ["x0", "x1", "x2"]
    server.add(JOB, t + 3, "x3")
    gate = LogGate(started=datetime.now(UTC) - timedelta(seconds=30), pace=lambda: 0.0)
    again = CloudLogReader(endpoints.logging_client, "my-proj", JOB, gate, limiter=ReadLimiter(0.0),
                           lag_seconds=0.2, cursor_path=cursor)
    assert texts(again.read_new()) == ["x3"]


def test_a_log_that_cannot_be_read_says_why_once(server):
    server.deny = True
    r = reader()
    lines = r.read_new() + r.read_new()
    assert len(lines) == 1 and lines[0].severity == "WARNING"
    assert "roles/logging.viewer" in lines[0].text and "my-proj" in lines[0].text
    assert r.problem == lines[0].text


def test_drain_gives_up_quickly_when_the_log_cannot_be_read(server):
    server.deny = True
    r = reader(ReadLimiter(0.05), lag=0.05)
    r.gate.ended = datetime.now(UTC)
    started = time.monotonic()
    lines = r.drain()
    assert len(lines) == 1 and "roles/logging.viewer" in lines[0].text
    assert len(server.requests) == 1 and time.monotonic() - started < 1.0


def test_drain_waits_out_resource_exhausted_for_the_last_lines(server):
    r = reader(ReadLimiter(0.02), lag=0.05)
    server.add(JOB, time.time() - 0.02, "Traceback: the reason it failed", severity="ERROR")
    server.exhaust_next = 4
    r.gate.ended = datetime.now(UTC)
    assert texts(r.drain()) == ["Traceback: the reason it failed"]
    assert [q.status for q in server.requests][:4] == ["RESOURCE_EXHAUSTED"] * 4
