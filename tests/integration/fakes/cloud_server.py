"""Fake Cloud Run (run.v2), Cloud Scheduler (cloudscheduler.v1) and Secret Manager (secretmanager.v1) on
127.0.0.1, plus the Service Usage enable and Resource Manager IAM-policy methods on setup_server.py's
servers and the IAM admin gRPC service (iam_server.py): everything the cloud schedule's setup calls.

Strict like setup_server.py: the caller's token first (google_auth.BearerCheck), then the method matched in
Google's discovery document with its query and body validated, Google's rules (cloud_rules.py), and each
answer checked against the response schema. Names that exist answer 409 ALREADY_EXISTS; missing ones 404;
an IAM policy written with a stale etag 409 ABORTED. `fail_once[method id] = code` fails the next call of
that method once (a step that breaks, for "resume after a failure"). `writes` lists every change made.
"""

from __future__ import annotations

import base64
import copy
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import unquote

from tests.integration.fakes.discovery import Api, Call, google_error, not_found
from tests.integration.fakes.google_auth import BearerCheck
from tests.integration.fakes.http_base import Loopback, raise_shape_errors, refusal, rest_handler, shaped
from tests.integration.fakes.iam_server import FakeIam
from tests.integration.fakes.setup_server import FakeSetupApis, Project

Reply = tuple[int, Any, Call | None]
STATUS = {400: "INVALID_ARGUMENT", 401: "UNAUTHENTICATED", 403: "PERMISSION_DENIED", 404: "NOT_FOUND",
          409: "ALREADY_EXISTS", 429: "RESOURCE_EXHAUSTED", 500: "INTERNAL", 503: "UNAVAILABLE"}


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def disabled_body(service: str, project: str) -> dict[str, Any]:
    """Google's answer from an API that is not enabled in the project: 403 with reason SERVICE_DISABLED."""
    return google_error(403, "PERMISSION_DENIED", f"{service} has not been used in project {project} before or it is "
                        f"disabled. Enable it by visiting https://console.developers.google.com/apis/api/{service}/"
                        f"overview?project={project} then retry.", [{
                            "@type": "type.googleapis.com/google.rpc.ErrorInfo", "reason": "SERVICE_DISABLED",
                            "domain": "googleapis.com",
                            "metadata": {"service": service, "consumer": f"projects/{project}"}}])


def err(code: int, message: str, status: str | None = None) -> Reply:
    return code, google_error(code, status or STATUS.get(code, "UNKNOWN"), message), None


@dataclass
class Policy:
    """One resource's IAM policy; the etag changes with each write."""

    bindings: dict[str, list[str]] = field(default_factory=dict)
    serial: int = 1

    @property
    def etag(self) -> str:
        return base64.b64encode(self.serial.to_bytes(4, "big")).decode()

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"version": 1, "etag": self.etag}
        if any(self.bindings.values()):
            out["bindings"] = [{"role": r, "members": m} for r, m in sorted(self.bindings.items()) if m]
        return out

    def write(self, body: dict[str, Any]) -> Reply | None:
        """setIamPolicy: refused (409 ABORTED) when the etag sent is not the current one."""
        sent = body.get("policy") or {}
        if sent.get("etag") and sent["etag"] != self.etag:
            return err(409, "There were concurrent policy changes. Please retry the whole read-modify-write "
                       "with exponential backoff.", "ABORTED")
        self.bindings = {b["role"]: list(b.get("members", [])) for b in sent.get("bindings", [])}
        self.serial += 1
        return None


@dataclass
class CloudState:
    """What Google holds of the cloud schedule. Tests add unrelated things to check that remove leaves them."""

    run_jobs: dict[str, dict[str, Any]] = field(default_factory=dict)
    run_policies: dict[str, Policy] = field(default_factory=dict)
    scheduler_jobs: dict[str, dict[str, Any]] = field(default_factory=dict)
    secrets: dict[str, dict[str, Any]] = field(default_factory=dict)
    versions: dict[str, list[bytes]] = field(default_factory=dict)
    secret_policies: dict[str, Policy] = field(default_factory=dict)
    operations: dict[str, dict[str, Any]] = field(default_factory=dict)  # Cloud Run's long-running operations


class RestApi:
    """One REST API on its own port, strict as described above."""

    def __init__(self, fake: FakeCloud, name: str, service: str, api: Api, route: Any) -> None:
        self.fake, self.name, self.api, self.route = fake, name, api, route
        self.auth = BearerCheck(service=service)
        self.service = service
        self.calls: list[str] = []
        self.shape_errors: list[str] = []
        self.http = Loopback(rest_handler(self, ["GET", "POST", "PATCH", "DELETE"]), f"fake-{name}")

    @property
    def url(self) -> str:
        return self.http.url

    def match(self, verb: str, path: str, query: dict[str, list[str]]) -> Call | None:
        # `{+name}` of a plain get would swallow ":getIamPolicy" ([^/]+ holds a colon); Google routes by the
        # custom verb after the colon, so methods with that verb are tried first.
        last = path.rsplit("/", 1)[-1]
        if ":" in last:
            suffix = ":" + last.rsplit(":", 1)[1]
            for m in self.api.methods.values():
                hit = m.regex.match(path) if m.verb == verb and m.path.endswith(suffix) else None
                params = {k.replace("__", "."): unquote(v) for k, v in (hit.groupdict() if hit else {}).items()}
                if hit and all(m.patterns[k].match(v) for k, v in params.items()):
                    alt = query.get("$alt", [""])[0]
                    return Call(m, params, "int" if "enum-encoding=int" in alt else "name")
        return self.api.match(verb, path, query)

    def answer(self, verb: str, path: str, query: dict[str, list[str]], body: Any) -> tuple[int, Any]:
        call = self.match(verb, path, query)
        if call is None:
            return 404, not_found(verb, path)
        refused = refusal(self.api, call, query, body)
        if refused is not None:
            return refused
        self.calls.append(call.method.id)
        if self.service not in self.fake.project.enabled:
            return 403, disabled_body(self.service, self.fake.project.project_id)
        with self.fake.lock:
            code = self.fake.fail_once.pop(call.method.id, None)
            if code is not None:
                return code, google_error(code, STATUS.get(code, "UNKNOWN"), f"Injected failure of {call.method.id}.")
            code, payload, answered = self.route(call, query, body or {})
        return shaped(self.api, answered, code, payload, self.shape_errors)


class FakeCloud:
    """All the cloud schedule's APIs. `env()` points the app at them (with STORAGE_EMULATOR_HOST separately)."""

    def __init__(self, project: Project | None = None) -> None:
        from tests.integration.fakes import cloud_routes

        self.lock = threading.RLock()
        self.state = CloudState()
        self.fail_once: dict[str, int] = {}
        self.writes: list[str] = []
        self.slow_operations = False  # Cloud Run operations answer done=false first: the client must poll
        self.policy_races = 0  # the next N reads of the project's IAM policy are followed by someone else's write
        self.setup = FakeSetupApis(project or Project())
        self.project = self.setup.project
        self.project.enabled = set()  # a new project: nothing on yet
        routes = cloud_routes.Routes(self)
        self.run = RestApi(self, "run", "run.googleapis.com", Api.load("run.v2"), routes.run)
        self.scheduler = RestApi(self, "scheduler", "cloudscheduler.googleapis.com", Api.load("cloudscheduler.v1"),
                                 routes.scheduler)
        self.secretmanager = RestApi(self, "secretmanager", "secretmanager.googleapis.com",
                                     Api.load("secretmanager.v1"), routes.secretmanager)
        self.iam = FakeIam(self)
        usage, manager = self.setup.serviceusage, self.setup.resourcemanager
        usage.route = routes.wrap(usage.route, routes.serviceusage)
        manager.route = routes.wrap(manager.route, routes.resourcemanager)
        self.rest = [self.run, self.scheduler, self.secretmanager]

    def env(self) -> dict[str, str]:
        return {**self.setup.env(), "T4PANEL_RUN_ENDPOINT": self.run.url,
                "T4PANEL_SCHEDULER_ENDPOINT": self.scheduler.url,
                "T4PANEL_SECRETMANAGER_ENDPOINT": self.secretmanager.url, "T4PANEL_IAM_ENDPOINT": self.iam.endpoint}

    def wrote(self, what: str) -> None:
        self.writes.append(what)

    def __enter__(self) -> FakeCloud:
        self.setup.__enter__()
        for s in self.rest:
            s.http.start()
        self.iam.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        for s in self.rest:
            s.http.stop()
        self.iam.stop()
        self.setup.__exit__(*exc)
        raise_shape_errors([e for s in self.rest for e in s.shape_errors], exc[0])

    def snapshot(self) -> dict[str, Any]:
        """Every resource held (not the operations log), for "nothing changed" comparisons."""
        with self.lock:
            state = copy.copy(self.state)
            state.operations = {}
            return copy.deepcopy({"state": state, "accounts": self.iam.accounts, "sa_policies": self.iam.policies,
                                  "enabled": sorted(self.project.enabled), "policy": self.project.project_policy})
