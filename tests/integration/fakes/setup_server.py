"""Fake Service Usage, Cloud Quotas, Artifact Registry and Resource Manager APIs on 127.0.0.1, for the
setup check. One server per API (each gets its own T4PANEL_<API>_ENDPOINT), one shared `Project` state.

Strict like vertex_server.py: the caller's token is checked first (google_auth.BearerCheck), each
request is matched to a method of Google's discovery document (serviceusage.v1, artifactregistry.v1,
cloudresourcemanager.v3) with its query and body validated, and each answer checked against the
response schema. Cloud Quotas has no discovery document: its path and query are checked against the
client's own proto descriptors (ListQuotaInfosRequest), and its answers are built from its proto types.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote

from tests.integration.fakes.discovery import Api, Call, google_error, not_found
from tests.integration.fakes.google_auth import BearerCheck
from tests.integration.fakes.http_base import Loopback, raise_shape_errors, refusal, rest_handler, shaped

T4 = "aiplatform.googleapis.com/custom_model_training_nvidia_t4_gpus"
T4_SPOT = "aiplatform.googleapis.com/custom_model_training_preemptible_nvidia_t4_gpus"
Reply = tuple[int, dict[str, Any]]


@dataclass
class Project:
    """What Google knows about the operator's project. Tests change it to make each failure."""

    project_id: str = "demo-proj"
    number: str = "123456789012"
    enabled: set[str] = field(default_factory=lambda: {"aiplatform.googleapis.com", "logging.googleapis.com",
                                                       "storage.googleapis.com"})
    quotas: dict[tuple[str, str], int] = field(
        default_factory=lambda: {(T4, "us-central1"): 2, (T4_SPOT, "us-central1"): 2})
    default_quota: dict[str, int] = field(default_factory=lambda: {T4: 0, T4_SPOT: 0})  # regions without their own
    images: set[str] = field(default_factory=set)  # "repo-location/project/repo/package:tag"
    repositories: set[str] = field(default_factory=set)  # "projects/p/locations/l/repositories/r"
    repo_policy: dict[str, list[tuple[str, str]]] = field(default_factory=dict)  # repository -> (role, member)
    project_policy: list[tuple[str, str]] = field(default_factory=list)
    operator_permissions: set[str] = field(default_factory=set)  # what testIamPermissions grants
    other_projects: dict[str, list[tuple[str, str]]] = field(default_factory=dict)  # readable policies elsewhere

    def add_image(self, uri: str) -> None:
        host, _, rest = uri.partition("/")
        project, repo, image = rest.split("/", 2)
        self.repositories.add(f"projects/{project}/locations/{host.removesuffix('-docker.pkg.dev')}/repositories/{repo}")
        self.images.add(uri if ":" in image else uri + ":latest")


class _Server:
    """One API on its own port. `route(verb, path, query, body)` returns (code, payload, call)."""

    def __init__(self, name: str, service: str, route: Callable[..., tuple[int, dict[str, Any], Call | None]],
                 api: Api | None) -> None:
        self.auth = BearerCheck(service=service)
        self.api = api
        self.route = route
        self.calls: list[str] = []
        self.shape_errors: list[str] = []
        self.denied = False  # the caller may not read this API in the project (IAM), as Google answers 403
        self.http = Loopback(rest_handler(self, ["GET", "POST"]), f"fake-{name}")

    @property
    def url(self) -> str:
        return self.http.url

    def answer(self, verb: str, raw_path: str, query: dict[str, list[str]], body: Any) -> Reply:
        if self.denied:
            return 403, google_error(403, "PERMISSION_DENIED", "The caller does not have permission")
        call = None
        if self.api is not None:
            call = self.api.match(verb, raw_path, query)
            if call is None:
                return 404, not_found(verb, raw_path)
            refused = refusal(self.api, call, query, body)
            if refused is not None:
                return refused
            self.calls.append(call.method.id)
        code, payload, call = self.route(verb, raw_path, query, body, call)
        if self.api is None:  # Cloud Quotas builds its answers from its own proto types
            return code, payload
        return shaped(self.api, call, code, payload, self.shape_errors)


def _err(code: int, status: str, message: str) -> tuple[int, dict[str, Any], None]:
    return code, google_error(code, status, message), None


class FakeSetupApis:
    """The four servers. `env()` gives the T4PANEL_<API>_ENDPOINT values to point the app at them."""

    def __init__(self, project: Project | None = None) -> None:
        self.project = project or Project()
        self.serviceusage = _Server("serviceusage", "serviceusage.googleapis.com", self._serviceusage,
                                    Api.load("serviceusage.v1", proto_package="google.api.serviceusage.v1"))
        self.quotas = _Server("quotas", "cloudquotas.googleapis.com", self._quotas, None)
        self.artifactregistry = _Server("artifactregistry", "artifactregistry.googleapis.com", self._registry,
                                        Api.load("artifactregistry.v1"))
        self.resourcemanager = _Server("resourcemanager", "cloudresourcemanager.googleapis.com", self._manager,
                                       Api.load("cloudresourcemanager.v3"))
        self.servers = [self.serviceusage, self.quotas, self.artifactregistry, self.resourcemanager]

    def env(self) -> dict[str, str]:
        return {"T4PANEL_SERVICEUSAGE_ENDPOINT": self.serviceusage.url, "T4PANEL_QUOTAS_ENDPOINT": self.quotas.url,
                "T4PANEL_ARTIFACTREGISTRY_ENDPOINT": self.artifactregistry.url,
                "T4PANEL_RESOURCEMANAGER_ENDPOINT": self.resourcemanager.url}

    def __enter__(self) -> FakeSetupApis:
        for s in self.servers:
            s.http.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        for s in self.servers:
            s.http.stop()
        raise_shape_errors([e for s in self.servers for e in s.shape_errors], exc[0])

    def _known(self, project: str) -> bool:
        return project in (self.project.project_id, self.project.number)

    # ------------------------------------------------------------ Service Usage

    def _serviceusage(self, verb: str, path: str, query: dict[str, list[str]], body: Any, call: Call) -> Any:
        if call.method.id != "serviceusage.services.batchGet":
            return _err(501, "UNIMPLEMENTED", f"{call.method.id} is not served by this fake.")
        parent = path.removeprefix("/v1/").removesuffix("/services:batchGet")
        if not parent.startswith("projects/") or not self._known(parent.split("/")[1]):
            return _err(403, "PERMISSION_DENIED", f"Permission denied to get services on {parent}.")
        names = query.get("names", [])
        if not names or len(names) > 30:
            return _err(400, "INVALID_ARGUMENT", "Between 1 and 30 names are required.")
        services = []
        for name in names:
            if not name.startswith(parent + "/services/"):
                return _err(400, "INVALID_ARGUMENT", f"Service name {name} is not under {parent}.")
            api = name.rpartition("/")[2]
            state = "ENABLED" if api in self.project.enabled else "DISABLED"
            services.append({"name": f"projects/{self.project.number}/services/{api}",
                             "parent": f"projects/{self.project.number}", "config": {"name": api},
                             "state": state if call.enum_encoding != "int" else (2 if state == "ENABLED" else 1)})
        return 200, {"services": services}, call

    # ------------------------------------------------------------ Cloud Quotas (proto descriptors)

    _QUOTA_LIST = re.compile(r"^/v1/projects/([^/]+)/locations/([^/]+)/services/([^/]+)/quotaInfos$")

    def _quotas(self, verb: str, path: str, query: dict[str, list[str]], body: Any, call: None) -> Any:
        from google.cloud import cloudquotas_v1

        m = self._QUOTA_LIST.match(path)
        if verb != "GET" or m is None:
            return 404, not_found(verb, path), None
        fields = cloudquotas_v1.ListQuotaInfosRequest.pb().DESCRIPTOR.fields_by_camelcase_name
        unknown = [k for k in query if k.removeprefix("$") not in ("alt", "prettyPrint") and k not in fields]
        if unknown or "parent" in query:
            return _err(400, "INVALID_ARGUMENT", f"Unknown name {unknown or ['parent']}: Cannot bind query parameter.")
        project, location, service = m.groups()
        if location != "global":
            return _err(400, "INVALID_ARGUMENT", "Quota infos are listed at location 'global'.")
        if not self._known(project):
            return _err(403, "PERMISSION_DENIED", f"Permission denied on resource project {project}.")
        self.quotas.calls.append("cloudquotas.quotaInfos.list")
        infos = []
        for metric in sorted({k[0] for k in self.project.quotas} | set(self.project.default_quota)):
            if not metric.startswith(service + "/"):
                continue
            dims = [cloudquotas_v1.DimensionsInfo(dimensions={"region": r}, details={"value": v},
                                                  applicable_locations=[r])
                    for (mm, r), v in sorted(self.project.quotas.items()) if mm == metric]
            dims.append(cloudquotas_v1.DimensionsInfo(details={"value": self.project.default_quota.get(metric, 0)}))
            quota_id = "".join(w.title() for w in metric.split("/")[1].split("_")) + "PerProjectPerRegion"
            infos.append(cloudquotas_v1.QuotaInfo(
                name=f"projects/{self.project.number}/locations/global/services/{service}/quotaInfos/{quota_id}",
                quota_id=quota_id, metric=metric, service=service, dimensions=["region"], dimensions_infos=dims,
                container_type=cloudquotas_v1.QuotaInfo.ContainerType.PROJECT))
        reply = cloudquotas_v1.ListQuotaInfosResponse(quota_infos=infos)
        ints = "enum-encoding=int" in query.get("$alt", [""])[0]
        return 200, json.loads(cloudquotas_v1.ListQuotaInfosResponse.to_json(reply, use_integers_for_enums=ints)), None

    # ------------------------------------------------------------ Artifact Registry

    def _registry(self, verb: str, path: str, query: dict[str, list[str]], body: Any, call: Call) -> Any:
        m = re.match(r"^/v1/projects/(?P<projectsId>[^/]+)/locations/(?P<locationsId>[^/]+)/repositories/"
                     r"(?P<repositoriesId>[^/:]+)(?:/packages/(?P<packagesId>[^/]+)/tags/(?P<tagsId>[^/]+))?", path)
        assert m is not None, path  # the discovery document matched it already
        p = {k: unquote(v or "") for k, v in m.groupdict().items()}
        repo = f"projects/{p['projectsId']}/locations/{p['locationsId']}/repositories/{p['repositoriesId']}"
        if repo not in self.project.repositories:
            return _err(404, "NOT_FOUND", f"Requested entity was not found. Repository {repo}.")
        if path.endswith(":getIamPolicy") and verb == "GET":
            # discovery.py's matcher lets `repositories.get`'s {name} swallow ":getIamPolicy"; Google routes by
            # the colon, so this fake does too, and checks the answer against getIamPolicy's schema.
            call = Call(self.artifactregistry.api.method(  # type: ignore[union-attr]
                "artifactregistry.projects.locations.repositories.getIamPolicy"), {}, call.enum_encoding)
            self.artifactregistry.calls[-1] = call.method.id
            bindings: dict[str, list[str]] = {}
            for role, member in self.project.repo_policy.get(repo, []):
                bindings.setdefault(role, []).append(member)
            policy: dict[str, Any] = {"etag": "BwY="}
            if bindings:
                policy["bindings"] = [{"role": r, "members": m} for r, m in sorted(bindings.items())]
            return 200, policy, call
        if call.method.id.endswith("packages.tags.get"):
            uri = (f"{p['locationsId']}-docker.pkg.dev/{p['projectsId']}/{p['repositoriesId']}/"
                   f"{p['packagesId']}:{p['tagsId']}")
            if uri not in self.project.images:
                return _err(404, "NOT_FOUND", "Requested entity was not found.")
            name = f"{repo}/packages/{p['packagesId']}/tags/{p['tagsId']}"
            return 200, {"name": name, "version": f"{repo}/packages/{p['packagesId']}/versions/sha256:0f"}, call
        return _err(501, "UNIMPLEMENTED", f"{call.method.id} is not served by this fake.")

    # ------------------------------------------------------------ Resource Manager

    def _manager(self, verb: str, path: str, query: dict[str, list[str]], body: Any, call: Call) -> Any:
        project = re.sub(r"^/v3/projects/([^/:]+).*$", r"\1", path)
        if project in self.project.other_projects and call.method.id.endswith(".getIamPolicy"):
            return 200, {"etag": "BwY=", "version": 1, **({"bindings": [
                {"role": r, "members": [m]} for r, m in self.project.other_projects[project]]}
                if self.project.other_projects[project] else {})}, call
        if not self._known(project):
            return _err(403, "PERMISSION_DENIED", f"The caller does not have permission on project {project}.")
        if call.method.id == "cloudresourcemanager.projects.testIamPermissions":
            asked = (body or {}).get("permissions", [])
            if not asked or any("." not in p or p.count(".") != 2 for p in asked):
                return _err(400, "INVALID_ARGUMENT", "Permissions must look like service.resource.verb.")
            held = [p for p in asked if p in self.project.operator_permissions]
            return 200, ({"permissions": held} if held else {}), call
        if call.method.id == "cloudresourcemanager.projects.getIamPolicy":
            bindings: dict[str, list[str]] = {}
            for role, member in self.project.project_policy:
                bindings.setdefault(role, []).append(member)
            return 200, {"etag": "BwY=", "version": 1,
                         **({"bindings": [{"role": r, "members": m} for r, m in sorted(bindings.items())]}
                            if bindings else {})}, call
        if call.method.id == "cloudresourcemanager.projects.get":
            return 200, {"name": f"projects/{self.project.number}", "projectId": self.project.project_id,
                         "state": "ACTIVE" if call.enum_encoding != "int" else 1}, call
        return _err(501, "UNIMPLEMENTED", f"{call.method.id} is not served by this fake.")
