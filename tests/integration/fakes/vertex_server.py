"""A fake Vertex AI JobService on 127.0.0.1 speaking the REST protocol the real client sends.

Strict like Google: every request is matched to a method of Google's discovery document (verb, path,
query parameters), its body checked against the method's schema (discovery.py) and Vertex AI's own rules
(vertex_rules.py: T4 machines and regions, labels, quotas), and refused in Google's error shape. Every
answer is checked against the method's response schema; a wrong one fails the test at the server's exit.

Bodies are (de)serialized with the aiplatform_v1 proto-plus types. Each job follows a `Script` on the
real clock (tests use fractions of a second): QUEUED -> PENDING -> RUNNING -> outcome, or CANCELLING ->
CANCELLED after a cancel. `Faults` injects the failures of a real network. Every request is recorded.
"""

from __future__ import annotations

import json
import random
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from google.cloud.aiplatform_v1.types import CustomJob, JobState

from tests.integration.fakes.discovery import Api, Call, Kind, ResponseShapeError, bad_request, google_error, not_found
from tests.integration.fakes.google_auth import BearerCheck
from tests.integration.fakes.http_base import BAD_JSON, HttpFake, JsonHandler
from tests.integration.fakes.vertex_rules import VertexRules, required_field, vertex_bad_request

API = Api.load("aiplatform.v1", proto_package="google.cloud.aiplatform.v1")
# The methods this fake serves; any other method of the document answers 501 UNIMPLEMENTED.
_SERVED = {f"aiplatform.projects.locations.customJobs.{m}" for m in ("create", "get", "list", "cancel")}
_BODY_FIELD = {"aiplatform.projects.locations.customJobs.create": "custom_job"}  # the request field a body fills
_PARENT = re.compile(r"^/v1/projects/([^/]+)/locations/([^/]+)/customJobs$")
_NAME = re.compile(r"^/v1/(projects/[^/]+/locations/[^/]+/customJobs/[0-9]+)(:cancel)?$")
_TERMINAL = {"SUCCEEDED", "FAILED", "CANCELLED", "EXPIRED"}


@dataclass
class Script:
    """How a job lives. Times in real seconds after create. Logs go to a FakeLogging, if attached."""

    queued: float = 0.05
    pending: float = 0.05
    running: float = 0.3
    outcome: str = "SUCCEEDED"  # SUCCEEDED | FAILED | EXPIRED (expires instead of running)
    error: str = "The replica workerpool0-0 exited with a non-zero status of 1."
    cancel_delay: float = 0.05
    logs: list[tuple[float, str, str]] = field(default_factory=list)  # (seconds into RUNNING, text, severity)
    log_delay: float = 0.0  # each entry becomes visible this long after its timestamp
    # False: a FAILED job ends when it leaves PENDING, before its container ran (no start_time), as a job that
    # Vertex AI accepted but then found no GPUs for does ("Resources are insufficient in region: ...").
    starts: bool = True


@dataclass
class Faults:
    """Failures to inject; each call draws once from a seeded generator."""

    error_rate: float = 0.0  # answer with one of `error_codes` before doing anything
    error_codes: tuple[int, ...] = (503, 429)
    drop_after_create_rate: float = 0.0  # create the job, then close the connection without a reply
    stall_rate: float = 0.0  # do the work, then hold the reply for `stall_seconds`
    stall_seconds: float = 1.0
    create_error: tuple[int, str, str] | None = None  # every create fails: (http code, status, message)
    create_error_in: tuple[str, ...] = ()  # ... only in these regions (empty: in every region)
    seed: int = 1234


@dataclass
class Recorded:
    method: str
    path: str
    query: dict[str, list[str]]
    body: dict[str, Any] | None
    at: float


@dataclass
class _Job:
    job: CustomJob
    script: Script
    created: float
    cancelled_at: float | None = None


class FakeVertex(HttpFake):
    """The server. Use as a context manager; `url` is the value for T4PANEL_VERTEX_ENDPOINT."""

    def __init__(self, project_number: str = "123456789012", logging_server: Any = None) -> None:
        super().__init__(_handler_for(self), "fake-vertex")  # a client that hung up is part of the game
        self.project_number = project_number
        self.logging_server = logging_server
        self.script = Script()
        self.script_for: Callable[[CustomJob], Script] | None = None
        self.faults = Faults()
        self.rules = VertexRules()
        self.requests: list[Recorded] = []
        self.auth = BearerCheck(service="aiplatform.googleapis.com")  # a token from a running FakeOAuthServer
        self.jobs: dict[str, _Job] = {}
        self._lock = threading.Lock()
        self._next_id = 1000
        self._rng = random.Random(self.faults.seed)

    def refusal(self, verb: str, path: str, query: dict[str, list[str]],
                body: Any) -> tuple[int, dict[str, Any]] | None:
        """Google's answer to a request its front end or Vertex AI refuses, or None to go on serving it."""
        call = API.match(verb, path, query)
        if call is None:
            return 404, not_found(verb, path)
        if call.method.id not in _SERVED:
            return 501, google_error(501, "UNIMPLEMENTED", f"{call.method.id} is not served by this fake.")
        if body is BAD_JSON:
            return 400, google_error(400, "INVALID_ARGUMENT", "Invalid JSON payload received. Unexpected token.")
        problems = API.check_query(call.method, query)
        problems += API.validate(call.method.request, body, root=_BODY_FIELD.get(call.method.id, ""),
                                 method_id=call.method.id)
        if problems and any(p.kind is not Kind.MISSING_REQUIRED for p in problems):
            return 400, bad_request([p for p in problems if p.kind is not Kind.MISSING_REQUIRED])
        if problems:  # the parser let it through; Vertex's own check of required fields did not
            return 400, vertex_bad_request([required_field(p, _BODY_FIELD.get(call.method.id, "")) for p in problems])
        location = _location(call)
        # The fake serves one project: its id in a parent and its number in a job name count as one.
        over = self.rules.take_quota(self.project_number, location)
        if over is not None:
            return 429, over
        if call.method.id.endswith(".create"):
            job = CustomJob.from_json(json.dumps(body))
            broken = self.rules.check_create(location, job)
            if broken:
                return 400, vertex_bad_request(broken)
        return None

    def check_answer(self, call: Call | None, code: int, payload: dict[str, Any]) -> bool:
        """False (and the test fails at exit) when `payload` is not what Google would send."""
        try:
            if code < 300 and call is not None:
                API.check_response(call, payload)
            elif code >= 400:
                _check_error_shape(code, payload)
        except ResponseShapeError as exc:
            self.shape_errors.append(str(exc))
            return False
        return True

    def set_faults(self, faults: Faults) -> None:
        with self._lock:
            self.faults = faults
            self._rng = random.Random(faults.seed)

    # ------------------------------------------------------------ inspection

    def creates(self) -> list[Recorded]:
        return [r for r in self.requests if r.method == "POST" and r.path.endswith("/customJobs")]

    def jobs_labelled(self, key: str, value: str) -> list[CustomJob]:
        with self._lock:
            return [j.job for j in self.jobs.values() if j.job.labels.get(key) == value]

    def calls(self, kind: str) -> int:
        """Recorded calls of one kind: create, get, list, cancel."""
        return sum(1 for r in self.requests if _kind(r) == kind)

    # ------------------------------------------------------------ behaviour

    def _draw(self) -> str:
        with self._lock:
            f, x = self.faults, self._rng.random()
        if x < f.error_rate:
            return "error"
        x -= f.error_rate
        if x < f.stall_rate:
            return "stall"
        x -= f.stall_rate
        if x < f.drop_after_create_rate:
            return "drop"
        return "ok"

    def create(self, project: str, location: str, body: dict[str, Any]) -> CustomJob:
        job = CustomJob.from_json(json.dumps(body))
        now = time.time()
        with self._lock:
            self._next_id += 1
            job.name = f"projects/{self.project_number}/locations/{location}/customJobs/{self._next_id}"
            job.state = JobState.JOB_STATE_QUEUED
            job.create_time = job.update_time = _dt(now)
            script = self.script_for(job) if self.script_for else self.script
            self.jobs[job.name] = _Job(job, script, now)
        if self.logging_server is not None and script.logs and script.outcome != "EXPIRED":
            run_start = now + script.queued + script.pending
            for offset, text, severity in script.logs:
                if offset <= script.running:
                    self.logging_server.add(str(self._next_id), run_start + offset, text, severity,
                                            delay=script.log_delay)
        return self.get(job.name)  # type: ignore[return-value]

    def get(self, name: str) -> CustomJob | None:
        with self._lock:
            j = self.jobs.get(name)
            if j is None:
                return None
            _advance(j, time.time())
            return CustomJob(j.job)

    def cancel(self, name: str) -> str:
        """"" when accepted, else the reason."""
        with self._lock:
            j = self.jobs.get(name)
            if j is None:
                return "NOT_FOUND"
            _advance(j, time.time())
            if j.job.state.name.removeprefix("JOB_STATE_") in _TERMINAL:
                return "FAILED_PRECONDITION"
            if j.cancelled_at is None:
                j.cancelled_at = time.time()
            _advance(j, time.time())
            return ""

    def list(self, parent: str, filter_text: str) -> list[CustomJob]:
        match = _filter_matcher(filter_text)
        with self._lock:
            out = []
            now = time.time()
            for j in self.jobs.values():
                _advance(j, now)
                if not self.rules.listed(j.created, now):
                    continue  # Google's list is eventually consistent: a new job shows up a little later
                if j.job.name.split("/customJobs/")[0].split("/locations/")[1] == parent.split("/locations/")[1] \
                        and match(j.job):
                    out.append(CustomJob(j.job))
            return out


def _location(call: Call) -> str:
    """The region a call is counted against (its parent's or name's location)."""
    m = re.match(r"^projects/[^/]+/locations/([^/]+)", next(iter(call.params.values()), ""))
    return m.group(1) if m else ""


def _check_error_shape(code: int, payload: dict[str, Any]) -> None:
    error = payload.get("error")
    if not (isinstance(error, dict) and error.get("code") == code and isinstance(error.get("message"), str)
            and isinstance(error.get("status"), str) and set(error) <= {"code", "message", "status", "details"}):
        raise ResponseShapeError(f"an error not in Google's shape: {payload}")


def job_json(job: CustomJob, call: Call | None) -> dict[str, Any]:
    """A CustomJob as Google sends it: defaults left out, enums as names unless the client asked for numbers."""
    ints = call is not None and call.enum_encoding == "int"
    return json.loads(CustomJob.to_json(job, use_integers_for_enums=ints, always_print_fields_with_no_presence=False))


def _dt(t: float) -> datetime:
    return datetime.fromtimestamp(t, UTC)


def _advance(j: _Job, now: float) -> None:
    """Move the job along its script up to `now` (called under the server lock)."""
    s, job = j.script, j.job
    state = job.state.name.removeprefix("JOB_STATE_")
    if state in _TERMINAL:
        return
    q_end, p_end = j.created + s.queued, j.created + s.queued + s.pending
    r_end = p_end + s.running
    if j.cancelled_at is not None:
        if p_end <= j.cancelled_at and not job.start_time:
            job.start_time = _dt(p_end)
        done = now >= j.cancelled_at + s.cancel_delay
        new = "CANCELLED" if done else "CANCELLING"
        if done:
            job.end_time = _dt(j.cancelled_at + s.cancel_delay)
            job.error = {"code": 1, "message": "CANCELED"}
    elif now < q_end:
        new = "QUEUED"
    elif now < p_end:
        new = "PENDING"
    elif s.outcome == "EXPIRED":
        new = "EXPIRED"  # no start_time and no end_time: the client falls back to update_time
    elif s.outcome == "FAILED" and not s.starts:
        new, job.end_time = "FAILED", _dt(p_end)
        job.error = {"code": 8, "message": s.error}
    elif now < r_end:
        new, job.start_time = "RUNNING", _dt(p_end)
    else:
        new, job.start_time, job.end_time = s.outcome, _dt(p_end), _dt(r_end)
        if s.outcome == "FAILED":
            job.error = {"code": 3, "message": s.error}
    if new != state:
        job.state = JobState[f"JOB_STATE_{new}"]
        job.update_time = _dt(now)


_CLAUSE = re.compile(r'^(NOT\s+)?(labels\.[a-z0-9_-]+|state|display_name)\s*(=|:)\s*("([^"]*)"|\*)$')


def _filter_matcher(text: str) -> Callable[[CustomJob], bool]:
    """AND-joined clauses: labels.k="v", labels.k:*, state="JOB_STATE_X", display_name="n" (NOT allowed)."""
    clauses = [c.strip() for c in re.split(r"\s+AND\s+", text.strip()) if c.strip()] if text.strip() else []
    tests = []
    for clause in clauses:
        m = _CLAUSE.match(clause)
        if not m:
            raise ValueError(f"unsupported filter clause: {clause}")
        neg, key, op, _, value = m.groups()

        def test(job: CustomJob, key=key, op=op, value=value, neg=bool(neg)) -> bool:
            if key.startswith("labels."):
                label = key[len("labels."):]
                hit = label in job.labels if op == ":" else job.labels.get(label) == value
            elif key == "state":
                hit = job.state.name == value
            else:
                hit = job.display_name == value
            return hit != neg

        tests.append(test)
    return lambda job: all(t(job) for t in tests)


def _kind(r: Recorded) -> str:
    if r.method == "POST":
        return "cancel" if r.path.endswith(":cancel") else "create"
    return "list" if r.path.endswith("/customJobs") else "get"


def _handler_for(server: FakeVertex) -> type[JsonHandler]:
    class Handler(JsonHandler):
        def _error(self, code: int, status: str, message: str) -> None:
            self._answer(None, code, google_error(code, status, message))

        def _answer(self, call: Call | None, code: int, payload: dict[str, Any]) -> None:
            if server.check_answer(call, code, payload):
                self.send_json(code, payload)
            else:
                self.send_json(500, google_error(500, "INTERNAL", "The fake's answer was not in Google's shape."))

        def _handle(self, method: str) -> None:
            parts = urlsplit(self.path)
            path, query = unquote(parts.path), parse_qs(parts.query)
            body = self.read_json() if method == "POST" else None
            denied = server.auth.rest_error(self.headers)  # Google checks the caller before anything else
            if denied is not None:
                self.send_json(*denied)
                return
            rec = Recorded(method, path, query, body if isinstance(body, dict) else None, time.time())
            server.requests.append(rec)
            refused = server.refusal(method, parts.path, query, body)
            if refused is not None:
                self._answer(None, *refused)
                return
            draw = server._draw()
            if draw == "error":
                code = server._rng.choice(server.faults.error_codes)
                status = {503: "UNAVAILABLE", 429: "RESOURCE_EXHAUSTED", 500: "INTERNAL", 504: "DEADLINE_EXCEEDED"}
                self._error(code, status.get(code, "UNKNOWN"), "Injected fault: please retry.")
                return
            call = API.match(method, parts.path, query)
            code, payload = self._dispatch(method, path, query, body, call)
            if draw == "drop" and _kind(rec) == "create" and code == 200:
                self.hang_up()  # the job exists; the client never hears so
                return
            if draw == "stall":
                time.sleep(server.faults.stall_seconds)
            if code >= 400:
                self._error(code, payload["status"], payload["message"])
            else:
                self._answer(call, code, payload)

        def _dispatch(self, method: str, path: str, query: dict[str, list[str]], body: Any,
                      call: Call | None) -> tuple[int, dict[str, Any]]:
            m = _PARENT.match(path)
            if m and method == "POST":
                if server.faults.create_error and (not server.faults.create_error_in
                                                   or m.group(2) in server.faults.create_error_in):
                    c, s, msg = server.faults.create_error
                    return c, {"status": s, "message": msg}
                job = server.create(m.group(1), m.group(2), body or {})
                return 200, job_json(job, call)
            if m and method == "GET":
                try:
                    jobs = server.list(path[len("/v1/"):-len("/customJobs")], query.get("filter", [""])[0])
                except ValueError as exc:
                    return 400, {"status": "INVALID_ARGUMENT", "message": str(exc)}
                size = int(query.get("pageSize", ["100"])[0] or 100)
                start = int(query.get("pageToken", ["0"])[0] or 0)
                page = jobs[start:start + size]
                out: dict[str, Any] = {"customJobs": [job_json(j, call) for j in page]} if page else {}
                if start + size < len(jobs):
                    out["nextPageToken"] = str(start + size)
                return 200, out
            n = _NAME.match(path)
            if n and method == "GET" and not n.group(2):
                job = server.get(n.group(1))
                if job is None:
                    return 404, {"status": "NOT_FOUND", "message": f"CustomJob {n.group(1)} not found."}
                return 200, job_json(job, call)
            if n and method == "POST" and n.group(2):
                why = server.cancel(n.group(1))
                if why == "NOT_FOUND":
                    return 404, {"status": why, "message": "Not found."}
                if why:
                    return 400, {"status": why, "message": "The job is already in a terminal state."}
                return 200, {}
            return 404, {"status": "NOT_FOUND", "message": f"No route for {method} {path}"}

        def do_GET(self) -> None:
            self._handle("GET")

        def do_POST(self) -> None:
            self._handle("POST")

    return Handler


def job_id_of(name: str) -> str:
    return name.rsplit("/", 1)[-1]


class FakeCloud:
    """Both fakes, wired together (job scripts feed the log server), with the app's endpoint env vars set.

    Args:
        monkeypatch: pytest's, so the env vars are undone after the test.
    """

    def __init__(self, monkeypatch: Any) -> None:
        from tests.integration.fakes.billing_server import FakeBilling
        from tests.integration.fakes.logging_server import FakeLogging
        from tests.integration.fakes.monitoring_server import FakeMonitoring

        self.logging = FakeLogging()
        self.vertex = FakeVertex(logging_server=self.logging)
        # The app also reads prices and GPU usage in the background: never from Google during a test.
        self.billing = FakeBilling([])
        self.monitoring = FakeMonitoring()
        self._monkeypatch = monkeypatch

    def __enter__(self) -> FakeCloud:
        self.logging.__enter__()
        self.vertex.__enter__()
        self.billing.__enter__()
        self.monitoring.__enter__()
        self._monkeypatch.setenv("T4PANEL_VERTEX_ENDPOINT", self.vertex.url)
        self._monkeypatch.setenv("T4PANEL_LOGGING_ENDPOINT", self.logging.endpoint)
        self._monkeypatch.setenv("T4PANEL_BILLING_ENDPOINT", self.billing.url)
        self._monkeypatch.setenv("T4PANEL_MONITORING_ENDPOINT", self.monitoring.endpoint)
        return self

    def __exit__(self, *exc: Any) -> None:
        self.monitoring.__exit__(*exc)
        self.billing.__exit__(*exc)
        self.vertex.__exit__(*exc)
        self.logging.__exit__(*exc)
