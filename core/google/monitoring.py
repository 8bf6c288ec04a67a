"""The T4 at work: a run's GPU, GPU memory and CPU utilisation from Cloud Monitoring.

Vertex AI custom training reports to the `cloudml_job` monitored resource (label `job_id`: the numeric id
at the end of the job's name) under the `ml.googleapis.com/training/...` metric types, as fractions of
the allocation (1.0 = 100%, sampled every 60 s). One reader per app, no faster than one call every
MIN_INTERVAL seconds (Monitoring's read quota is per project and shared, like Logging's), and a finished
run is read once. `T4PANEL_MONITORING_ENDPOINT` (`host:port`, gRPC: the client's only transport here)
points it elsewhere with the credentials rules of core.google.endpoints. The client library is imported
inside the functions: it is heavy.
"""

from __future__ import annotations

import enum
import math
import os
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from core.errors import Message, T4Error, msg
from core.google.endpoints import grpc_client
from core.store.runs import Run

MONITORING_ENV = "T4PANEL_MONITORING_ENDPOINT"
RESOURCE_TYPE = "cloudml_job"
#: Seconds between two reads by this app (three metric calls count as one read).
MIN_INTERVAL = 10.0
#: At most this many points per series: the chart stays readable and a long run costs no more calls.
MAX_POINTS = 120
#: Seconds one ListTimeSeries call may take before it counts as unreachable.
CALL_TIMEOUT = 30.0


class Metric(enum.Enum):
    GPU = "ml.googleapis.com/training/accelerator/utilization"
    GPU_MEMORY = "ml.googleapis.com/training/accelerator/memory/utilization"
    CPU = "ml.googleapis.com/training/cpu/utilization"


class MonitoringError(T4Error):
    """Cloud Monitoring could not be read."""

    title_msg = Message("usage.title", "GPU usage unavailable")


class UsageNotDue(MonitoringError):
    """Another read is under way or the last one was too recent: ask again in `retry_after` seconds.

    The reader never makes a caller wait: a worker thread sleeping on the pace would hold a slot of the
    app's small pool that the run's own work needs (many ends in a row once starved the soak's runs)."""

    def __init__(self, retry_after: float) -> None:
        super().__init__(msg("usage.not_due", "GPU usage is read again in a moment."))
        self.retry_after = max(0.0, retry_after)


@dataclass(frozen=True)
class Usage:
    """A run's utilisation series: metric -> [(aware UTC time, fraction 0..1)], oldest first."""

    job_id: str
    series: dict[Metric, list[tuple[datetime, float]]]
    alignment_seconds: int

    def mean(self, metric: Metric) -> float | None:
        points = self.series.get(metric) or []
        return sum(v for _, v in points) / len(points) if points else None

    def summary(self) -> Message | None:
        """"GPU busy 72% of the run", or None when Monitoring has no GPU figures for it."""
        gpu = self.mean(Metric.GPU)
        if gpu is None:
            return None
        return msg("usage.summary", "GPU busy {percent}% of the run", percent=round(100 * min(gpu, 1.0)))


def monitoring_endpoint() -> str:
    return os.environ.get(MONITORING_ENV, "").strip() or "monitoring.googleapis.com:443"


def metric_client(credentials: Any = None) -> Any:
    """A `MetricServiceClient` on a channel that carries the operator's token (TLS unless loopback).

    Raises:
        AuthError: plain http to another computer; not signed in.
    """
    from google.cloud.monitoring_v3.services.metric_service import MetricServiceClient
    from google.cloud.monitoring_v3.services.metric_service.transports import MetricServiceGrpcTransport

    return grpc_client(MetricServiceClient, MetricServiceGrpcTransport, monitoring_endpoint(), MONITORING_ENV,
                       credentials)


def alignment_for(seconds: float) -> int:
    """Seconds per point: 60 s (the metrics' own sampling) or a whole number of minutes for MAX_POINTS."""
    return max(60, 60 * math.ceil(seconds / MAX_POINTS / 60))


class UsageReader:
    """The app's one Monitoring reader: paced, and a finished run read once.

    Args:
        project_id: the job's project.
        client: a MetricServiceClient (made on first use when None).
        min_interval: seconds between reads (tests shorten it).
    """

    def __init__(self, project_id: str, client: Any = None, min_interval: float | None = None) -> None:
        self.project_id = project_id
        self._client = client
        self.min_interval = MIN_INTERVAL if min_interval is None else min_interval
        self._lock = threading.Lock()
        self._last = -math.inf
        self._final: dict[str, Usage] = {}

    def read(self, job_id: str, start: datetime, end: datetime | None, finished: bool) -> Usage:
        """The run's series from `start` to `end` (now while it runs), if the pace allows a read now.

        Raises:
            UsageNotDue: a read is under way or the last was less than `min_interval` ago (never waits).
            MonitoringError: Monitoring refused or could not be reached.
        """
        if job_id in self._final:
            return self._final[job_id]
        if not self._lock.acquire(blocking=False):  # one read at a time: the other caller asks again later
            raise UsageNotDue(self.min_interval)
        try:
            wait = self._last + self.min_interval - time.monotonic()
            if wait > 0:
                raise UsageNotDue(wait)
            try:
                usage = self._read(job_id, start, end or datetime.now(UTC))
            finally:
                self._last = time.monotonic()
        finally:
            self._lock.release()
        if finished:
            self._final[job_id] = usage
        return usage

    def _read(self, job_id: str, start: datetime, end: datetime) -> Usage:
        from google.api_core import exceptions as api_exc
        from google.cloud.monitoring_v3 import types as t
        from google.protobuf import duration_pb2, timestamp_pb2

        if self._client is None:
            self._client = metric_client()
        period = alignment_for((end - start).total_seconds())
        start_ts, end_ts = timestamp_pb2.Timestamp(), timestamp_pb2.Timestamp()
        start_ts.FromDatetime(start.astimezone(UTC).replace(tzinfo=None))
        end_ts.FromDatetime(end.astimezone(UTC).replace(tzinfo=None))
        series: dict[Metric, list[tuple[datetime, float]]] = {}
        for metric in Metric:
            request = t.ListTimeSeriesRequest(
                name=f"projects/{self.project_id}",
                filter=(f'metric.type="{metric.value}" AND resource.type="{RESOURCE_TYPE}" '
                        f'AND resource.labels.job_id="{job_id}"'),
                interval=t.TimeInterval(start_time=start_ts, end_time=end_ts),
                # Mean per minute(s), then the mean over replicas and GPUs: one line per metric.
                aggregation=t.Aggregation(alignment_period=duration_pb2.Duration(seconds=period),
                                          per_series_aligner=t.Aggregation.Aligner.ALIGN_MEAN,
                                          cross_series_reducer=t.Aggregation.Reducer.REDUCE_MEAN),
                view=t.ListTimeSeriesRequest.TimeSeriesView.FULL)
            try:
                points = [(p.interval.end_time, p.value.double_value)
                          for ts in self._client.list_time_series(request=request, timeout=CALL_TIMEOUT)
                          for p in ts.points]
            except api_exc.GoogleAPICallError as exc:
                raise MonitoringError(msg("usage.unreadable", "Cloud Monitoring could not be read ({error}).",
                                          error=type(exc).__name__)) from exc
            series[metric] = sorted((when.astimezone(UTC), value) for when, value in points)
        return Usage(job_id=job_id, series=series, alignment_seconds=period)


_readers: dict[str, UsageReader] = {}
_readers_lock = threading.Lock()


def read_run(run: Run) -> Usage | None:
    """A Vertex run's usage through the app's one reader for its project; None for runs Monitoring never saw.

    Raises:
        MonitoringError: Monitoring refused or could not be reached.
    """
    parts = run.job_name.split("/")
    if run.backend != "vertex" or run.started is None or len(parts) != 6 or parts[4] != "customJobs":
        return None  # not started: nothing is reported before the job leaves PENDING
    project, job_id = parts[1], parts[5]
    with _readers_lock:
        reader = _readers.setdefault(project, UsageReader(project))
    finished = run.state.terminal
    return reader.read(job_id, run.started, run.ended if finished else None, finished)
