"""A fake Cloud Monitoring API on 127.0.0.1: gRPC `google.monitoring.v3.MetricService/ListTimeSeries`.

Checked the way Google checks, in Google's order: the caller's token (google_auth.BearerCheck), then the
request as its REST twin `monitoring.projects.timeSeries.list` would be (query parameters and enums
against Google's discovery document monitoring.v3.json, through discovery.py), then Monitoring's own
rules (one metric type in the filter, an end time, an alignment period of at least 60 s with an aligner
when a reducer is asked, the read quota). Answers are checked against the document's TimeSeries schema.
Series are seeded per Vertex job id as raw 60 s samples and aggregated as asked (mean per period, mean
across replicas), newest point first, as Monitoring returns them.
"""

from __future__ import annotations

import re
import threading
import time
from collections import deque
from concurrent import futures
from datetime import UTC, datetime
from typing import Any

import grpc
from google.cloud.monitoring_v3.types import ListTimeSeriesRequest, ListTimeSeriesResponse
from google.protobuf import json_format

from tests.integration.fakes.discovery import Api
from tests.integration.fakes.google_auth import BearerCheck

SERVICE = "google.monitoring.v3.MetricService"
API = Api.load("monitoring.v3", proto_package="google.monitoring.v3")
_CLAUSE = re.compile(r'^(metric\.type|resource\.type|resource\.labels\.job_id)\s*=\s*"([^"]*)"$')


def _flatten(data: dict[str, Any], prefix: str = "") -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for key, value in data.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            out.update(_flatten(value, name + "."))
        else:
            out[name] = [str(v) for v in value] if isinstance(value, list) else [str(value)]
    return out


class FakeMonitoring:
    """Use as a context manager; `endpoint` is the value for T4PANEL_MONITORING_ENDPOINT.

    Attributes:
        reads: (monotonic time, job id, metric type) of every accepted call.
        read_quota: (calls, window seconds) per project; None turns it off.
    """

    def __init__(self) -> None:
        self.auth = BearerCheck(service="monitoring.googleapis.com")
        self.reads: list[tuple[float, str, str]] = []
        self.read_quota: tuple[int, float] | None = (6000, 60.0)
        self._samples: dict[tuple[str, str], list[tuple[float, float]]] = {}  # (job, metric) -> (t, v)
        self._window: deque[float] = deque()
        self._lock = threading.Lock()
        self._server = grpc.server(futures.ThreadPoolExecutor(max_workers=4))
        handler = grpc.method_handlers_generic_handler(SERVICE, {
            "ListTimeSeries": grpc.unary_unary_rpc_method_handler(
                self._list, request_deserializer=ListTimeSeriesRequest.deserialize,
                response_serializer=ListTimeSeriesResponse.serialize)})
        self._server.add_generic_rpc_handlers((handler,))
        self.port = self._server.add_insecure_port("127.0.0.1:0")

    @property
    def endpoint(self) -> str:
        return f"127.0.0.1:{self.port}"

    def __enter__(self) -> FakeMonitoring:
        self._server.start()
        return self

    def __exit__(self, *_: Any) -> None:
        self._server.stop(grace=None)

    def seed(self, job_id: str, metric_type: str, start: datetime, values: list[float], replicas: int = 1) -> None:
        """One raw sample a minute from `start` (per replica: the same value, as a single-GPU job sends)."""
        t0 = start.timestamp()
        rows = [(t0 + 60 * (i + 1), v) for i, v in enumerate(values) for _ in range(replicas)]
        self._samples[(job_id, metric_type)] = rows

    def _list(self, request: Any, context: grpc.ServicerContext) -> Any:
        self.auth.grpc_check(context)
        pb = ListTimeSeriesRequest.pb(request)
        query = _flatten(json_format.MessageToDict(pb))
        name = query.pop("name", [""])[0]
        problems = API.check_query(API.method("monitoring.projects.timeSeries.list"), query)
        if problems:
            context.abort(grpc.StatusCode.INVALID_ARGUMENT, problems[0].message)
        if not re.fullmatch(r"projects/[a-z0-9-]+", name):
            context.abort(grpc.StatusCode.INVALID_ARGUMENT, f"Name '{name}' is not a valid resource name.")
        clauses = {}
        for part in (p.strip() for p in request.filter.split(" AND ")):
            m = _CLAUSE.match(part)
            if m is None:
                context.abort(grpc.StatusCode.INVALID_ARGUMENT, f"Could not parse filter: {part}")
            clauses[m.group(1)] = m.group(2)
        if "metric.type" not in clauses:
            context.abort(grpc.StatusCode.INVALID_ARGUMENT, "A filter must specify exactly one metric type.")
        if not pb.interval.HasField("end_time"):
            context.abort(grpc.StatusCode.INVALID_ARGUMENT, "Field interval.endTime had an invalid value: required.")
        agg = request.aggregation
        period = agg.alignment_period.total_seconds() if agg.alignment_period else 0
        if agg.per_series_aligner and period < 60:
            context.abort(grpc.StatusCode.INVALID_ARGUMENT, "The alignment period must be at least 60 seconds.")
        if agg.cross_series_reducer and not agg.per_series_aligner:
            context.abort(grpc.StatusCode.INVALID_ARGUMENT, "A reducer requires a per-series aligner.")
        with self._lock:
            now = time.monotonic()
            if self.read_quota is not None:
                limit, window = self.read_quota
                while self._window and self._window[0] <= now - window:
                    self._window.popleft()
                if len(self._window) >= limit:
                    context.abort(grpc.StatusCode.RESOURCE_EXHAUSTED,
                                  "Quota exceeded for quota metric 'Time series queries'.")
                self._window.append(now)
            self.reads.append((now, clauses.get("resource.labels.job_id", ""), clauses["metric.type"]))
        start = pb.interval.start_time.ToDatetime(tzinfo=UTC).timestamp()
        end = pb.interval.end_time.ToDatetime(tzinfo=UTC).timestamp()
        rows = [(t, v) for t, v in self._samples.get((clauses.get("resource.labels.job_id", ""),
                                                        clauses["metric.type"]), []) if start < t <= end]
        if not rows:
            return ListTimeSeriesResponse()
        step = period or 60
        buckets: dict[int, list[float]] = {}
        for t, v in rows:
            buckets.setdefault(int((t - start - 1e-9) // step), []).append(v)
        points = [{"interval": {"startTime": _rfc(start + (k + 1) * step), "endTime": _rfc(start + (k + 1) * step)},
                   "value": {"doubleValue": sum(vs) / len(vs)}} for k, vs in sorted(buckets.items(), reverse=True)]
        series = {"metric": {"type": clauses["metric.type"]},
                  "resource": {"type": clauses.get("resource.type", "cloudml_job"),
                               "labels": {"project_id": name.split("/")[1]}},
                  "metricKind": "GAUGE", "valueType": "DOUBLE", "unit": "10^2.%", "points": points}
        call = API.match("GET", f"/v3/{name}/timeSeries")
        assert call is not None
        API.check_response(call, {"timeSeries": [series]})  # raises: the fake is wrong, not the app
        out = ListTimeSeriesResponse.pb()()
        json_format.ParseDict({"timeSeries": [series]}, out)
        return ListTimeSeriesResponse.wrap(out)


def _rfc(ts: float) -> str:
    return datetime.fromtimestamp(ts, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
