"""The fake's TailLogEntries refuses what Google refuses, through the real LoggingServiceV2Client (gRPC)."""

from __future__ import annotations

import time

import grpc
import pytest
from google.api_core import exceptions as api_exc
from google.cloud.logging_v2.services.logging_service_v2 import LoggingServiceV2Client
from google.cloud.logging_v2.services.logging_service_v2.transports import LoggingServiceV2GrpcTransport
from google.cloud.logging_v2.types import TailLogEntriesRequest
from google.protobuf import duration_pb2

from core.google import endpoints
from tests.integration.fakes.logging_server import FakeLogging

JOB = "31337"
GOOD = f'resource.type="ml_job" AND resource.labels.job_id="{JOB}"'


@pytest.fixture
def server(monkeypatch, google_signed_in):
    with FakeLogging() as s:
        monkeypatch.setenv("T4PANEL_LOGGING_ENDPOINT", s.endpoint)
        yield s


def first_answer(request: TailLogEntriesRequest, client=None):  # type: ignore[no-untyped-def]
    """Open a session with the gapic method (it waits for the first answer) and return that answer."""
    stream = (client or endpoints.logging_client()).tail_log_entries(requests=iter([request]), retry=None, timeout=5)
    try:
        return next(iter(stream))
    finally:
        stream.cancel()


def tail(**fields) -> TailLogEntriesRequest:  # type: ignore[no-untyped-def]
    return TailLogEntriesRequest(**{"resource_names": ["projects/my-proj"], "filter": GOOD, **fields})


@pytest.mark.parametrize("fields,named", [
    ({"resource_names": []}, "resource_names"),
    ({"resource_names": ["my-proj"]}, "resource_names[0]"),
    ({"filter": "severity>=ERROR"}, "filter"),
    ({"filter": "x" * 20_001}, "filter"),
    ({"buffer_window": duration_pb2.Duration(seconds=61)}, "buffer_window"),
    ({"buffer_window": duration_pb2.Duration(seconds=-1)}, "buffer_window"),
])
def test_a_bad_field_is_invalid_argument_naming_it(server, fields, named):
    with pytest.raises(api_exc.InvalidArgument) as info:
        first_answer(tail(**fields))
    assert info.value.message.startswith(named + ":")
    assert [r.status for r in server.tail.requests] == ["INVALID_ARGUMENT"]


def test_a_field_the_descriptor_does_not_know_is_refused(server):
    raw = TailLogEntriesRequest.pb(tail())
    raw.MergeFromString(b"\xa8\x06\x01")  # field 101, varint 1: not in google.logging.v2.TailLogEntriesRequest
    with pytest.raises(api_exc.InvalidArgument, match="unknown field number 101"):
        first_answer(TailLogEntriesRequest.wrap(raw))


def test_a_session_without_the_operators_token_is_refused(server):
    anonymous = LoggingServiceV2Client(transport=LoggingServiceV2GrpcTransport(
        channel=grpc.insecure_channel(server.endpoint)))
    with pytest.raises(api_exc.Unauthenticated):
        first_answer(tail(), anonymous)
    assert server.tail.requests == []  # the token is checked before anything else


def test_the_default_buffer_window_is_two_seconds_and_only_entries_ingested_after_the_start_come(server):
    server.add(JOB, time.time() - 1, "before the session")
    server.add(JOB, time.time(), "after the session", delay=0.3)
    started = time.time()
    answer = first_answer(tail())
    assert [e.text_payload for e in answer.entries] == ["after the session"]
    assert time.time() - started >= 2.0  # held for Google's default window
    assert server.tail.requests[0].buffer_window == 2.0


def test_sessions_over_the_limit_and_forced_refusals_are_resource_exhausted(server):
    server.tail.faults.refuse = True
    with pytest.raises(api_exc.ResourceExhausted, match="live-tailing sessions"):
        first_answer(tail(buffer_window=duration_pb2.Duration(nanos=10_000_000)))
    assert [r.status for r in server.tail.requests] == ["RESOURCE_EXHAUSTED"]


def test_a_session_is_cut_after_cut_every_seconds(server):
    server.tail.faults.cut_every = 0.2
    client = endpoints.logging_client()
    started = time.monotonic()
    with pytest.raises(api_exc.ServiceUnavailable):
        first_answer(tail(buffer_window=duration_pb2.Duration(nanos=10_000_000)), client)
    assert 0.2 <= time.monotonic() - started < 2
    assert [r.status for r in server.tail.requests] == ["UNAVAILABLE"]


def test_each_answer_is_in_timestamp_order_but_an_entry_later_than_the_window_comes_after(server):
    t = time.time() + 0.3  # ingested after the session opens (the gapic method waits for its first answer)
    server.add(JOB, t + 0.02, "b", delay=0.05)
    server.add(JOB, t, "a", delay=0.1)  # out of order, within the 0.1 s window
    server.add(JOB, t - 0.01, "late", delay=0.5)  # beyond it
    stream = endpoints.logging_client().tail_log_entries(
        requests=iter([tail(buffer_window=duration_pb2.Duration(nanos=100_000_000))]), retry=None, timeout=5)
    seen: list[str] = []
    try:
        for answer in stream:
            seen += [e.text_payload for e in answer.entries]
            if len(seen) == 3:
                break
    finally:
        stream.cancel()
    assert seen == ["a", "b", "late"]
