"""The T4 at work per run: the real MetricServiceClient against a strict fake Cloud Monitoring."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import pytest

from core.google.monitoring import Metric, MonitoringError, UsageNotDue, UsageReader, alignment_for
from tests.integration.fakes.monitoring_server import FakeMonitoring

START = datetime(2026, 11, 30, 1, 0, tzinfo=UTC)
JOB = "4567890123"
# 50 minutes: the GPU idle for the first 14 (loading data), then busy at 100%: 36/50 = 72% on average.
GPU = [0.0] * 14 + [1.0] * 36
CPU = [0.9] * 14 + [0.3] * 36
MEMORY = [0.1] * 14 + [0.6] * 36


@pytest.fixture
def monitoring(google_signed_in, monkeypatch):
    with FakeMonitoring() as fake:
        monkeypatch.setenv("T4PANEL_MONITORING_ENDPOINT", fake.endpoint)
        fake.seed(JOB, Metric.GPU.value, START, GPU, replicas=2)
        fake.seed(JOB, Metric.CPU.value, START, CPU)
        fake.seed(JOB, Metric.GPU_MEMORY.value, START, MEMORY)
        fake.seed("999", Metric.GPU.value, START, [0.5] * 50)  # another job: never mixed in
        yield fake


def test_a_finished_runs_usage_and_its_history_summary(monitoring):
    reader = UsageReader("my-proj", min_interval=0.0)

    usage = reader.read(JOB, START, START + timedelta(minutes=50), finished=True)

    assert usage.alignment_seconds == 60
    assert len(usage.series[Metric.GPU]) == 50 and len(usage.series[Metric.CPU]) == 50
    assert [v for _, v in usage.series[Metric.GPU][:15]] == [0.0] * 14 + [1.0]  # oldest first
    assert usage.series[Metric.GPU][0][0] == START + timedelta(minutes=1)
    assert usage.summary() is not None and usage.summary().text == "GPU busy 72% of the run"
    assert usage.mean(Metric.GPU_MEMORY) == pytest.approx((14 * 0.1 + 36 * 0.6) / 50)
    assert {job for _, job, _ in monitoring.reads} == {JOB}
    assert monitoring.auth.seen_tokens and not monitoring.auth.rejected


def test_a_finished_run_is_read_once_and_reads_are_paced(monitoring):
    reader = UsageReader("my-proj", min_interval=0.4)
    end = START + timedelta(minutes=50)

    reader.read(JOB, START, end - timedelta(minutes=20), finished=False)
    with pytest.raises(UsageNotDue) as early:  # too soon: the caller is told when, never kept waiting
        reader.read(JOB, START, end, finished=True)
    assert 0.0 < early.value.retry_after <= 0.4
    assert len(monitoring.reads) == 3
    time.sleep(early.value.retry_after)
    reader.read(JOB, START, end, finished=True)
    reader.read(JOB, START, end, finished=True)

    times = sorted({round(t, 3) for t, _, _ in monitoring.reads})
    assert len(monitoring.reads) == 6  # three metrics per read, two reads: the third came from memory
    first_of_second = min(t for t, _, _ in monitoring.reads[3:])
    assert first_of_second - max(t for t, _, _ in monitoring.reads[:3]) >= 0.35, times


def test_a_read_under_way_turns_a_second_caller_away_at_once(monitoring):
    reader = UsageReader("my-proj", min_interval=0.0)
    end = START + timedelta(minutes=50)
    reader._lock.acquire()  # another worker is reading
    try:
        began = time.monotonic()
        with pytest.raises(UsageNotDue):
            reader.read(JOB, START, end, finished=True)
        assert time.monotonic() - began < 0.2
    finally:
        reader._lock.release()
    assert reader.read(JOB, START, end, finished=True).mean(Metric.GPU) is not None


def test_a_long_run_is_read_in_wider_steps():
    assert alignment_for(50 * 60) == 60
    assert alignment_for(10 * 3600) == 300  # 120 points at most
    assert alignment_for(10 * 3600) * 120 >= 10 * 3600


def test_a_refusal_is_a_sentence(monitoring):
    monitoring.read_quota = (0, 60.0)

    with pytest.raises(MonitoringError) as caught:
        UsageReader("my-proj", min_interval=0.0).read(JOB, START, START + timedelta(minutes=50), finished=True)

    assert "Cloud Monitoring could not be read" in caught.value.message
    assert "Traceback" not in caught.value.message


@pytest.mark.parametrize("broken", ["short_period", "no_metric_type"])
def test_the_fake_refuses_what_monitoring_refuses(monitoring, broken):
    """Through the real client: an alignment under 60 s, a filter without its one metric type."""
    from google.api_core import exceptions as gexc
    from google.cloud.monitoring_v3 import types as t
    from google.protobuf import duration_pb2, timestamp_pb2

    from core.google.monitoring import metric_client

    end = timestamp_pb2.Timestamp()
    end.FromDatetime((START + timedelta(minutes=50)).replace(tzinfo=None))
    request = t.ListTimeSeriesRequest(
        name="projects/my-proj",
        filter=(f'resource.type="cloudml_job" AND resource.labels.job_id="{JOB}"' if broken == "no_metric_type"
                else f'metric.type="{Metric.GPU.value}"'),
        interval=t.TimeInterval(end_time=end),
        aggregation=t.Aggregation(alignment_period=duration_pb2.Duration(seconds=30 if broken == "short_period"
                                                                           else 60),
                                  per_series_aligner=t.Aggregation.Aligner.ALIGN_MEAN))
    with pytest.raises(gexc.InvalidArgument):
        list(metric_client().list_time_series(request=request))
    assert monitoring.reads == []
