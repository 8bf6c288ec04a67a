"""The fake Cloud Logging refuses what Google refuses, through the real LoggingServiceV2Client (gRPC), and
the app's reader still hands over each line once, in order, under the read quota and late arrivals."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import pytest
from google.api_core import exceptions as api_exc
from google.cloud.logging_v2.types import ListLogEntriesRequest

from core.google import endpoints
from core.google.logs import CloudLogReader, LogGate, ReadLimiter
from tests.integration.fakes.logging_server import FakeLogging

JOB = "777"
GOOD = 'resource.type="ml_job" AND resource.labels.job_id="777"'


@pytest.fixture
def server(monkeypatch, google_signed_in):
    with FakeLogging() as s:
        monkeypatch.setenv("T4PANEL_LOGGING_ENDPOINT", s.endpoint)
        yield s


@pytest.fixture
def ask(server):
    """One page of ListLogEntries with the app's own client (one client: one sign-in refresh)."""
    client = endpoints.logging_client()

    def call(**fields):
        request = ListLogEntriesRequest(**{"resource_names": ["projects/my-proj"], "filter": GOOD, **fields})
        return next(iter(client.list_log_entries(request=request, retry=None, timeout=5).pages))

    return call


@pytest.mark.parametrize("fields,named", [
    ({"resource_names": []}, "resource_names"),
    ({"resource_names": ["my-proj"]}, "resource_names[0]"),
    ({"resource_names": ["projects/My_Proj"]}, "resource_names[0]"),
    ({"page_size": 1001}, "page_size"),
    ({"page_size": -1}, "page_size"),
    ({"order_by": "timestamp"}, "order_by"),
    ({"order_by": "severity desc"}, "order_by"),
    ({"filter": "severity>=ERROR"}, "filter"),
    ({"filter": 'timestamp>="yesterday"'}, "filter"),
    ({"filter": "x" * 20_001}, "filter"),
    ({"page_token": "1000"}, "page_token"),
])
def test_a_bad_field_is_invalid_argument_naming_it(server, ask, fields, named):
    with pytest.raises(api_exc.InvalidArgument) as info:
        ask(**fields)
    assert info.value.message.startswith(named + ":")
    assert [r.status for r in server.requests] == ["INVALID_ARGUMENT"]


def test_the_apps_own_request_passes(server, ask):
    ask(page_size=1000, order_by="timestamp asc",
        filter=GOOD + ' AND timestamp>="2026-01-02T03:04:05.000000006Z" AND timestamp<="2026-01-02T04:00:00Z"')
    ask(resource_names=["projects/123456789012"], order_by="timestamp desc", page_size=0)
    assert [r.status for r in server.requests] == ["OK", "OK"]


def test_a_field_the_descriptor_does_not_know_is_refused(server):
    request = ListLogEntriesRequest(resource_names=["projects/my-proj"], filter=GOOD)
    raw = ListLogEntriesRequest.pb(request)
    raw.MergeFromString(b"\xa8\x06\x01")  # field 101, varint 1: not in google.logging.v2.ListLogEntriesRequest
    with pytest.raises(api_exc.InvalidArgument, match="unknown field number 101"):
        next(iter(endpoints.logging_client().list_log_entries(request=ListLogEntriesRequest.wrap(raw), retry=None,
                                                              timeout=5).pages))


def test_a_page_token_only_continues_its_own_query(server, ask):
    t = time.time() - 30
    for i in range(3):
        server.add(JOB, t + i, f"l{i}")
    first = ask(page_size=2)
    assert [e.text_payload for e in first.entries] == ["l0", "l1"] and first.next_page_token
    rest = ask(page_size=2, page_token=first.next_page_token)
    assert [e.text_payload for e in rest.entries] == ["l2"] and not rest.next_page_token
    with pytest.raises(api_exc.InvalidArgument) as info:
        ask(page_size=2, page_token=first.next_page_token, filter=GOOD + ' AND timestamp>="2026-01-01T00:00:00Z"')
    assert info.value.message.startswith("page_token:")


def test_read_quota_is_per_project_and_frees_up_after_its_window(server, ask):
    server.read_quota = (5, 2.0)  # Google: 60 a minute; the same rule on a faster clock
    began = time.monotonic()
    for _ in range(5):
        ask()
    with pytest.raises(api_exc.ResourceExhausted, match="Read requests"):
        ask()
    ask(resource_names=["projects/other-proj"])  # another project has its own quota
    assert time.monotonic() - began < 2.0, "the machine was too slow to fill the window in time"
    time.sleep(max(0.0, began + 2.05 - time.monotonic()))
    ask()
    assert [r.status for r in server.requests] == ["OK"] * 5 + ["RESOURCE_EXHAUSTED", "OK", "OK"]


def test_entries_become_visible_late_and_out_of_order(server, ask):
    server.visibility_jitter = 1.0
    now = time.time()
    for i in range(20):
        server.add(JOB, now - 0.9 + i * 0.01, f"e{i}")
    seen: list[list[str]] = []
    while time.time() < now + 1.2:
        page = ask(page_size=1000)
        seen.append([e.text_payload for e in page.entries])
        time.sleep(0.05)
    every = [f"e{i}" for i in range(20)]
    assert seen[-1] == every  # all visible in the end, listed in timestamp order
    # at some moment a later entry was visible while an earlier one was not
    assert any(names and names != every[:len(names)] for names in seen)


def reader(limiter: ReadLimiter, lag: float) -> CloudLogReader:
    gate = LogGate(started=datetime.now(UTC) - timedelta(seconds=30), pace=lambda: 0.0)
    client = endpoints.logging_client()  # one client, as VertexBackend keeps one
    return CloudLogReader(lambda: client, "my-proj", JOB, gate, limiter=limiter, lag_seconds=lag)


def test_reader_delivers_each_line_once_in_order_under_quota_and_late_out_of_order_arrival(server):
    server.read_quota = (3, 0.5)
    server.visibility_jitter = 0.3
    r = reader(ReadLimiter(0.02), lag=0.4)  # the reader stays further behind "now" than entries arrive late
    lines: list[str] = []
    start = time.time()
    for i in range(40):
        server.add(JOB, start + i * 0.05, f"line {i:02d}")
    while time.time() < start + 40 * 0.05 + 0.5:
        lines += [ln.text for ln in r.read_new()]
        time.sleep(0.01)
    lines += [ln.text for ln in r.drain()]
    assert lines == [f"line {i:02d}" for i in range(40)]
    statuses = [q.status for q in server.requests]
    assert "RESOURCE_EXHAUSTED" in statuses  # the quota was met ...
    after_refusal = [b.at - a.at for a, b in zip(server.requests, server.requests[1:], strict=False)
                     if a.status == "RESOURCE_EXHAUSTED"]
    assert min(after_refusal) >= 0.02 * 2 * 0.8  # ... and each refusal made the reader wait longer than usual
