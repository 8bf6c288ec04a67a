"""Google's discovery documents as a strict request/response checker for REST fakes.

`google-api-python-client` ships the discovery document of every Google REST API (the methods' verbs,
path templates and query parameters, and a JSON schema per message). A fake built on this module refuses
what Google's front end refuses, in Google's error shape, and never answers in a shape Google would not.

Usage (a fake's request handler)::

    from tests.integration.fakes.discovery import Api, bad_request, not_found

    API = Api.load("aiplatform.v1", proto_package="google.cloud.aiplatform.v1")
    call = API.match("POST", "/v1/projects/p/locations/us-central1/customJobs")  # None: no such method
    # (the path as sent, still percent-encoded: "/storage/v1/b/bkt/o/a%2Fb" has one {object}, "a/b")
    if call is None:
        return 404, not_found(...)
    problems = API.check_query(call.method, {"$alt": ["json;enum-encoding=int"]})
    problems += API.validate(call.method.request, body, root="custom_job", method_id=call.method.id)
    if problems:  # Kind.MISSING_REQUIRED comes from the service, not the parser: word it as that API does
        return 400, bad_request(problems)  # (vertex_server.py does, with vertex_rules.required_field)
    ...
    reply = {...}
    API.check_response(call, reply)  # raises ResponseShapeError: the fake is wrong, not the app

Field paths in problems use proto names (`custom_job.job_spec.worker_pool_specs[0].machine_spec`), as
Google's messages do. Enum values sent as integers (the REST transport's `$alt=json;enum-encoding=int`)
are resolved through the client library's proto descriptors when `proto_package` is given, because a
discovery document lists enum names in an order that is not their numbers (AcceleratorType: TPU_V2 is 6).
"""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from tests.integration.fakes.discovery_schema import (
    INTEGER_TEXT,
    Direction,
    EnumNumbers,
    Kind,
    Problem,
    SchemaWalk,
    snake,
)

__all__ = ["Api", "Call", "Direction", "Kind", "Method", "Problem", "ResponseShapeError", "bad_request",
           "google_error", "not_found"]


@dataclass(frozen=True)
class Method:
    id: str  # e.g. aiplatform.projects.locations.customJobs.create
    verb: str
    path: str  # the template, e.g. v1/{+parent}/customJobs
    request: str | None  # schema names
    response: str | None
    parameters: dict[str, Any]
    regex: re.Pattern[str]
    patterns: dict[str, re.Pattern[str]]  # path parameter -> its pattern, compiled once


@dataclass(frozen=True)
class Call:
    """A request matched to its method: the method and the path parameters (unescaped)."""

    method: Method
    params: dict[str, str]
    enum_encoding: str = "name"  # "int" when the client sent $alt=json;enum-encoding=int


class ResponseShapeError(AssertionError):
    """The fake was about to answer in a shape Google never would: a bug in the fake or its test."""


def documents_dir() -> Path:
    import googleapiclient

    return Path(googleapiclient.__file__).parent / "discovery_cache" / "documents"


class Api:
    """One discovery document: its methods (matched by verb and path) and its schemas (validated)."""

    def __init__(self, doc: dict[str, Any], proto_package: str | None = None) -> None:
        self.doc = doc
        self.schemas: dict[str, Any] = doc["schemas"]
        self.prefix = "/" + doc.get("servicePath", "")
        self.global_params: dict[str, Any] = doc.get("parameters", {})
        self.proto_package = proto_package
        self.schema_prefix = _schema_prefix(proto_package)
        self.methods: dict[str, Method] = {}
        self._by_verb: dict[str, list[Method]] = {}
        self._collect(doc)

    @classmethod
    def load(cls, name: str, proto_package: str | None = None) -> Api:
        """`name` is the document's file stem, e.g. "aiplatform.v1", "storage.v1", "run.v2"."""
        return _load(name, proto_package)

    # ------------------------------------------------------------ methods

    def _collect(self, node: dict[str, Any]) -> None:
        for m in node.get("methods", {}).values():
            params = m.get("parameters", {})
            patterns = {k: re.compile(v.get("pattern", ".*")) for k, v in params.items() if v["location"] == "path"}
            self.methods[m["id"]] = Method(m["id"], m["httpMethod"], m["path"], m.get("request", {}).get("$ref"),
                                           m.get("response", {}).get("$ref"), params,
                                           _template_regex(self.prefix + m["path"]), patterns)
            self._by_verb.setdefault(m["httpMethod"], []).append(self.methods[m["id"]])
        for child in node.get("resources", {}).values():
            self._collect(child)

    def method(self, method_id: str) -> Method:
        return self.methods[method_id]

    def match(self, verb: str, path: str, query: dict[str, list[str]] | None = None) -> Call | None:
        """The method this request calls, or None (Google answers 404).

        `path` is the path as sent, still percent-encoded (no query): a `{name}` segment holds no "/", but
        may hold "%2F", as a Cloud Storage object name does. The parameters come back decoded.
        """
        alt = (query or {}).get("$alt", [""])[0]
        method = self._method_for(verb, path)
        if method is None:
            return None
        hit = method.regex.match(path)
        assert hit is not None
        params = {_ungroup(k): unquote(v) for k, v in hit.groupdict().items()}
        return Call(method, params, "int" if "enum-encoding=int" in alt else "name")

    @functools.lru_cache(maxsize=4096)  # noqa: B019 (an Api lives as long as the test session anyway)
    def _method_for(self, verb: str, path: str) -> Method | None:
        for m in self._by_verb.get(verb, []):
            hit = m.regex.match(path)
            # Many methods share a template (v1/{+name}); the parameter's pattern tells them apart.
            if hit and all(m.patterns[_ungroup(k)].match(unquote(v)) for k, v in hit.groupdict().items()):
                return m
        return None

    def check_query(self, method: Method, query: dict[str, list[str]]) -> list[Problem]:
        """Unknown or mistyped query parameters. System parameters may also come as `$name`."""
        problems = []
        for key, values in query.items():
            spec = method.parameters.get(key) or self.global_params.get(key.removeprefix("$"))
            if spec is None or spec.get("location") == "path":
                problems.append(Problem(Kind.UNKNOWN_PARAMETER, key,
                                        f'Invalid JSON payload received. Unknown name "{key}": Cannot bind query '
                                        f"parameter. Field '{key}' could not be found in request message."))
                continue
            for value in values:
                value = value.split(";")[0] if key.removeprefix("$") == "alt" else value
                if not _query_value_ok(spec, value):
                    problems.append(Problem(Kind.WRONG_TYPE, snake(key),
                                            f"Invalid value at '{snake(key)}' ({_type_name(spec)}), \"{value}\""))
        return problems

    # ------------------------------------------------------------ schemas

    def validate(self, schema: str | None, body: Any, root: str = "",
                 direction: Direction = Direction.REQUEST, method_id: str = "",
                 enum_encoding: str = "name") -> list[Problem]:
        """Everything Google's JSON parser (and its required-field check) refuses in `body`.

        Args:
            schema: the message's schema name (a method's `request` or `response`); None means no body.
            root: the path prefix for messages, e.g. "custom_job" (the request field the body fills).
            direction: REQUEST accepts what Google's parser accepts; RESPONSE checks what Google sends.
            method_id: for documents that mark required fields per method (`annotations.required`).
            enum_encoding: for RESPONSE, "int" when the client asked for enums as numbers.
        """
        if schema is None:
            return [] if body in (None, {}) else [Problem(Kind.UNKNOWN_FIELD, root, "This method takes no body.")]
        problems: list[Problem] = []
        walk = SchemaWalk(self.schemas, self.enum_numbers, direction, method_id, enum_encoding, problems)
        walk.message(schema, self.schemas[schema], body, root)
        return problems

    def check_response(self, call: Call, payload: Any) -> None:
        """Raise ResponseShapeError when `payload` is not what Google would answer to `call`."""
        problems = self.validate(call.method.response, payload, direction=Direction.RESPONSE,
                                 enum_encoding=call.enum_encoding)
        if problems:
            raise ResponseShapeError(f"{call.method.id} answered in a shape Google never sends: "
                                     + "; ".join(f"{p.field}: {p.message}" for p in problems))

    def enum_numbers(self, schema: str, json_name: str) -> EnumNumbers | None:
        """(enum type name, {number: name}) from the client library's descriptors, if it has them."""
        return _enum_numbers(self.proto_package, self.schema_prefix, schema, json_name)


def google_error(code: int, status: str, message: str, details: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """Google's JSON error body (https://cloud.google.com/apis/design/errors#http_mapping)."""
    error: dict[str, Any] = {"code": code, "message": message, "status": status}
    if details:
        error["details"] = details
    return {"error": error}


def bad_request(problems: list[Problem], message: str | None = None) -> dict[str, Any]:
    """HTTP 400 INVALID_ARGUMENT with a google.rpc.BadRequest naming each field, as Google's front end sends."""
    violations = [{"field": p.field, "description": p.message} for p in problems]
    text = message if message is not None else "\n".join(p.message for p in problems)
    return google_error(400, "INVALID_ARGUMENT", text,
                        [{"@type": "type.googleapis.com/google.rpc.BadRequest", "fieldViolations": violations}])


def not_found(verb: str, path: str) -> dict[str, Any]:
    return google_error(404, "NOT_FOUND", f"The requested URL {path} ({verb}) was not found on this server.")


# ---------------------------------------------------------------- helpers


@cache
def _load(name: str, proto_package: str | None) -> Api:
    return Api(json.loads((documents_dir() / f"{name}.json").read_text()), proto_package)


def _template_regex(template: str) -> re.Pattern[str]:
    """RFC 6570 as discovery uses it: {+name} may hold slashes (a resource name), {name} may not."""
    out, pos = ["^"], 0
    for m in re.finditer(r"\{(\+?)([A-Za-z0-9_.]+)\}", template):
        out.append(re.escape(template[pos:m.start()]))
        out.append(f"(?P<{m.group(2).replace('.', '__')}>{'.+?' if m.group(1) else '[^/]+'})")
        pos = m.end()
    out.append(re.escape(template[pos:]) + "$")
    return re.compile("".join(out))


def _ungroup(name: str) -> str:
    return name.replace("__", ".")


def _schema_prefix(proto_package: str | None) -> str:
    """google.cloud.aiplatform.v1 -> GoogleCloudAiplatformV1, the discovery names' prefix."""
    return "".join(p[:1].upper() + p[1:] for p in (proto_package or "").split("."))


@cache
def _enum_numbers(package: str | None, prefix: str, schema: str, json_name: str) -> EnumNumbers | None:
    if not package or not schema.startswith(prefix):
        return None
    from google.protobuf import descriptor_pool

    try:
        message = descriptor_pool.Default().FindMessageTypeByName(f"{package}.{schema[len(prefix):]}")
    except KeyError:
        return None
    field = message.fields_by_camelcase_name.get(json_name)
    if field is None or field.enum_type is None:
        return None
    return field.enum_type.full_name, {v.number: v.name for v in field.enum_type.values}


def _query_value_ok(spec: dict[str, Any], value: str) -> bool:
    if "enum" in spec:
        return value in spec["enum"]
    if spec.get("type") == "integer" or spec.get("format") in ("int64", "uint64"):
        return bool(INTEGER_TEXT.match(value))
    if spec.get("type") == "boolean":
        return value in ("true", "false")
    return True


def _type_name(spec: dict[str, Any]) -> str:
    return "TYPE_ENUM" if "enum" in spec else f"TYPE_{(spec.get('format') or spec.get('type', 'string')).upper()}"
