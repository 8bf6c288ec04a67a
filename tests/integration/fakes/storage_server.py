"""A fake Cloud Storage JSON API on 127.0.0.1 that the real google-cloud-storage client talks to.

Point the client at it with `STORAGE_EMULATOR_HOST=<url>`. It keeps buckets and objects in memory and
enforces what the occurrence claim relies on, as Google does: `ifGenerationMatch=0` creates only a new
object, every precondition failure is HTTP 412 `conditionNotMet` in Google's JSON error shape (304 for a
read whose `...NotMatch` holds), generations only grow, and checksums the client sends are checked. One
lock guards the state, so ten clients at once see one winner. Every request is recorded.

It is as strict as Google's front end (storage_rules.py): a request without an operator's token (one the
fake OAuth server issued) is refused 401 before anything else; `parse_request` matches each request to
its storage.v1 method and checks query and body against Google's discovery document; and every answer
is checked against the method's response schema (or Cloud Storage's error shape) before it is sent. An
answer Google would never send goes out as a 500 and fails the test when the server closes.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qs, quote, unquote, urlsplit

import google_crc32c

from tests.integration.fakes import storage_rules
from tests.integration.fakes.discovery import Call, ResponseShapeError
from tests.integration.fakes.google_auth import BearerCheck
from tests.integration.fakes.http_base import HttpFake, JsonHandler
from tests.integration.fakes.storage_rules import StorageError

__all__ = ["FakeStorage", "Request", "StorageError", "parse_request"]

_BUCKETS = re.compile(r"^/storage/v1/b$")
_BUCKET = re.compile(r"^/storage/v1/b/([^/]+)$")
_OBJECT = re.compile(r"^/(?:download/)?storage/v1/b/([^/]+)/o/(.+)$")
_UPLOAD = re.compile(r"^/upload/storage/v1/b/([^/]+)/o$")
_BUCKET_IAM = re.compile(r"^/storage/v1/b/([^/]+)/iam$")
_BUCKET_NAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,61}[a-z0-9]$")


@dataclass
class Request:
    """One parsed request: what the handlers (and a schema check) see."""

    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    metadata: dict[str, Any] | None = None  # the JSON body, or the metadata part of a multipart upload
    media: bytes | None = None  # the object's content, for uploads
    call: Call | None = None  # the storage.v1 method it calls
    at: float = field(default_factory=time.time)


@dataclass
class _Object:
    resource: dict[str, Any]
    data: bytes


class FakeStorage(HttpFake):
    """The server. Use as a context manager; `url` is the value for STORAGE_EMULATOR_HOST."""

    def __init__(self) -> None:
        super().__init__(_handler_for(self), "fake-storage", hush=())
        self.buckets: dict[str, dict[str, Any]] = {}
        self.objects: dict[tuple[str, str], _Object] = {}
        self.policies: dict[str, dict[str, Any]] = {}  # bucket -> its IAM policy (buckets.getIamPolicy)
        self.requests: list[Request] = []
        self.fail_next: list[int] = []  # HTTP codes to answer the next requests with (503, 429, ...)
        self.auth = BearerCheck(service="storage.googleapis.com")  # a token from a running FakeOAuthServer
        self._lock = threading.Lock()
        self._generation = int(time.time() * 1_000_000)

    def checked(self, req: Request | None, code: int, payload: Any) -> bool:
        """False (and the test fails at exit) when `payload` is not what Cloud Storage would send."""
        try:
            storage_rules.check_reply(req.call if req else None, code, payload)
        except ResponseShapeError as exc:
            self.shape_errors.append(str(exc))
            return False
        return True

    # ------------------------------------------------------------ inspection

    def calls(self, kind: str) -> int:
        """Recorded calls of one kind: bucket_insert, bucket_get, upload, get, media, delete, patch."""
        return sum(1 for r in self.requests if _kind(r) == kind)

    def object_data(self, bucket: str, name: str) -> bytes | None:
        with self._lock:
            obj = self.objects.get((bucket, name))
            return obj.data if obj else None

    # ------------------------------------------------------------ behaviour (all under the lock)

    def handle(self, req: Request) -> tuple[int, dict[str, Any] | bytes, dict[str, str]]:
        with self._lock:
            self.requests.append(req)
            if self.fail_next:
                code = self.fail_next.pop(0)
                raise StorageError(code, "backendError" if code >= 500 else "rateLimitExceeded",
                                   "Injected fault: please retry.")
            if _BUCKETS.match(req.path) and req.method == "POST":
                return 200, self._insert_bucket(req), {}
            if (m := _BUCKET.match(req.path)) and req.method == "GET":
                return 200, self._bucket(m.group(1)), {}
            if m := _BUCKET_IAM.match(req.path):
                return 200, self._iam(m.group(1), req), {}
            if (m := _UPLOAD.match(req.path)) and req.method == "POST":
                return 200, self._upload(m.group(1), req), {}
            if m := _OBJECT.match(req.path):
                bucket, name = m.group(1), unquote(m.group(2))
                if req.method == "GET":
                    return self._get(bucket, name, req)
                if req.method == "DELETE":
                    self._check(self._live(bucket, name), req)
                    del self.objects[(bucket, name)]
                    return 204, b"", {}
                if req.method == "PATCH":
                    return 200, self._patch(bucket, name, req), {}
        # A storage.v1 method Google serves and this fake does not: say so, never pretend it does not exist.
        raise StorageError(501, "notImplemented", f"{req.call.method.id if req.call else req.path} is not served "
                           "by this fake.")

    def _insert_bucket(self, req: Request) -> dict[str, Any]:
        body = req.metadata or {}
        name = str(body.get("name", ""))
        if not req.query.get("project"):
            raise StorageError(400, "required", "Required parameter: project", "project")
        if not _BUCKET_NAME.match(name):
            raise StorageError(400, "invalid", f"Invalid bucket name: '{name}'")
        if name in self.buckets:
            raise StorageError(409, "conflict", "Your previous request to create the named bucket succeeded "
                               "and you already own it.")
        now = _now()
        self.buckets[name] = {
            **body, "kind": "storage#bucket", "id": name, "name": name, "projectNumber": "123456789012",
            "metageneration": "1", "location": str(body.get("location", "US")).upper(), "storageClass":
            body.get("storageClass", "STANDARD"), "timeCreated": now, "updated": now, "etag": "CAE=",
        }
        return self.buckets[name]

    def _iam(self, bucket: str, req: Request) -> dict[str, Any]:
        """buckets.getIamPolicy / setIamPolicy. A policy written with a stale etag is refused with 412, as
        Cloud Storage does (https://cloud.google.com/storage/docs/json_api/v1/buckets/setIamPolicy)."""
        self._bucket(bucket)
        # A new bucket's policy holds the project's legacy roles, as Cloud Storage's own is never empty.
        project = self.buckets[bucket].get("projectNumber", "123456789012")
        policy = self.policies.setdefault(bucket, {
            "kind": "storage#policy", "resourceId": f"projects/_/buckets/{bucket}", "version": 1, "etag": "CAE=",
            "bindings": [{"role": "roles/storage.legacyBucketOwner",
                          "members": [f"projectEditor:{project}", f"projectOwner:{project}"]},
                         {"role": "roles/storage.legacyBucketReader", "members": [f"projectViewer:{project}"]}]})
        if req.method == "PUT":
            sent = req.metadata or {}
            if sent.get("etag") and sent["etag"] != policy["etag"]:
                raise StorageError(412, "conditionNotMet", "Precondition Failed: the policy changed; read it again.")
            serial = int.from_bytes(base64.b64decode(policy["etag"]), "big") + 1
            policy = {**policy, "bindings": [b for b in sent.get("bindings", []) if b.get("members")],
                      "etag": base64.b64encode(serial.to_bytes(4, "big")).decode()}
            self.policies[bucket] = policy
        return {k: v for k, v in policy.items() if k != "bindings" or v}

    def _bucket(self, name: str) -> dict[str, Any]:
        if name not in self.buckets:
            raise StorageError(404, "notFound", "The specified bucket does not exist.")
        return self.buckets[name]

    def _live(self, bucket: str, name: str) -> _Object | None:
        self._bucket(bucket)
        return self.objects.get((bucket, name))

    def _check(self, obj: _Object | None, req: Request, reading: bool = False) -> None:
        """Google's preconditions. A missing object fails every one but ifGenerationMatch=0 (404 on reads)."""
        q = req.query
        gen = int(obj.resource["generation"]) if obj else 0
        meta = int(obj.resource["metageneration"]) if obj else None
        if obj is None and (reading or req.method == "DELETE" or req.method == "PATCH"):
            raise StorageError(404, "notFound", f"No such object: {req.path}")
        failed = False
        if "ifGenerationMatch" in q and int(q["ifGenerationMatch"]) != gen:
            failed = True
        if "ifMetagenerationMatch" in q and (meta is None or int(q["ifMetagenerationMatch"]) != meta):
            failed = True
        not_modified = False
        if "ifGenerationNotMatch" in q and (obj is None or int(q["ifGenerationNotMatch"]) == gen):
            not_modified = obj is not None
            failed = failed or obj is None
        if "ifMetagenerationNotMatch" in q and (meta is None or int(q["ifMetagenerationNotMatch"]) == meta):
            not_modified = not_modified or meta is not None
            failed = failed or meta is None
        if failed or (not_modified and not reading):
            raise StorageError(412, "conditionNotMet", "At least one of the pre-conditions you specified did "
                               "not hold.", "If-Match")
        if not_modified:
            raise StorageError(304, "notModified", "Not Modified")

    def _upload(self, bucket: str, req: Request) -> dict[str, Any]:
        kind = req.query.get("uploadType", "")
        if kind not in ("media", "multipart"):
            raise StorageError(400, "invalid", f"Upload type {kind!r} is not supported by this fake.")
        meta = dict(req.metadata or {})
        name = req.query.get("name") or str(meta.get("name", ""))
        if not name or req.media is None:
            raise StorageError(400, "required", "Required: an object name and its content.")
        data = req.media
        crc = base64.b64encode(google_crc32c.Checksum(data).digest()).decode()
        md5 = base64.b64encode(hashlib.md5(data).digest()).decode()
        for key, value in (("crc32c", crc), ("md5Hash", md5)):
            if key in meta and meta[key] != value:
                raise StorageError(400, "invalid", f"Provided {key} \"{meta[key]}\" doesn't match calculated "
                                   f"{key} \"{value}\".")
        self._check(self._live(bucket, name), req)
        self._generation += 1
        now = _now()
        resource = {
            "kind": "storage#object", "id": f"{bucket}/{name}/{self._generation}", "name": name,
            "bucket": bucket, "generation": str(self._generation), "metageneration": "1",
            "contentType": meta.get("contentType") or req.headers.get("content-type", "application/octet-stream"),
            "size": str(len(data)), "crc32c": crc, "md5Hash": md5, "timeCreated": now, "updated": now,
            "storageClass": "STANDARD", "etag": f"CL{self._generation}=",
            "selfLink": f"{self.url}/storage/v1/b/{bucket}/o/{quote(name, safe='')}",
            "mediaLink": f"{self.url}/download/storage/v1/b/{bucket}/o/{quote(name, safe='')}"
                         f"?generation={self._generation}&alt=media",
        }
        if isinstance(meta.get("metadata"), dict):
            resource["metadata"] = {str(k): str(v) for k, v in meta["metadata"].items()}
        self.objects[(bucket, name)] = _Object(resource, data)
        return resource

    def _get(self, bucket: str, name: str, req: Request) -> tuple[int, dict[str, Any] | bytes, dict[str, str]]:
        obj = self._live(bucket, name)
        self._check(obj, req, reading=True)
        assert obj is not None  # _check raised 404 otherwise
        if req.query.get("alt") == "media":
            hashes = f"crc32c={obj.resource['crc32c']},md5={obj.resource['md5Hash']}"
            return 200, obj.data, {"x-goog-hash": hashes, "x-goog-generation": obj.resource["generation"],
                                   "Content-Type": obj.resource["contentType"]}
        return 200, obj.resource, {}

    def _patch(self, bucket: str, name: str, req: Request) -> dict[str, Any]:
        obj = self._live(bucket, name)
        self._check(obj, req)
        assert obj is not None
        body = req.metadata or {}
        if isinstance(body.get("metadata"), dict):
            obj.resource["metadata"] = {**obj.resource.get("metadata", {}),
                                        **{str(k): str(v) for k, v in body["metadata"].items()}}
        obj.resource["metageneration"] = str(int(obj.resource["metageneration"]) + 1)
        obj.resource["updated"] = _now()
        return obj.resource


def parse_request(method: str, raw_path: str, headers: dict[str, str], body: bytes) -> Request:
    """The one place that reads the wire format: query, JSON body, and media or multipart/related uploads.

    The request is matched to its storage.v1 method and checked against Google's discovery document here.

    Raises:
        StorageError: 404 for no such method, 400 for what Google's front end refuses.
    """
    parts = urlsplit(raw_path)
    raw_query = parse_qs(parts.query, keep_blank_values=True)
    query = {k: v[-1] for k, v in raw_query.items()}
    req = Request(method, parts.path, query, headers, call=storage_rules.match(method, parts.path))
    ctype = headers.get("content-type", "")
    media_only = False
    if _UPLOAD.match(parts.path):
        if query.get("uploadType") == "multipart":
            req.metadata, req.media = _multipart(ctype, body)
        else:
            req.media, media_only = body, True
    elif body:
        try:
            req.metadata = json.loads(body)
        except ValueError as exc:
            raise StorageError(400, "parseError", "Parse Error") from exc
    storage_rules.check(req.call, raw_query, req.metadata, media_only)
    return req


def _multipart(ctype: str, body: bytes) -> tuple[dict[str, Any], bytes]:
    m = re.search(r'boundary="?([^";]+)"?', ctype)
    if not ctype.startswith("multipart/related") or not m:
        raise StorageError(400, "invalid", "A multipart upload needs Content-Type multipart/related with a boundary.")
    delimiter = b"--" + m.group(1).encode()
    chunks = [c for c in body.split(delimiter)[1:] if not c.startswith(b"--")]
    if len(chunks) != 2:
        raise StorageError(400, "invalid", f"A multipart upload has 2 parts, not {len(chunks)}.")
    parts = []
    for chunk in chunks:
        _head, _, content = chunk.lstrip(b"\r\n").partition(b"\r\n\r\n")
        parts.append(content.removesuffix(b"\r\n"))
    try:
        return json.loads(parts[0]), parts[1]
    except ValueError as exc:
        raise StorageError(400, "parseError", "The metadata part is not JSON.") from exc


def _kind(r: Request) -> str:
    if _BUCKETS.match(r.path):
        return "bucket_insert"
    if _BUCKET.match(r.path):
        return "bucket_get"
    if _UPLOAD.match(r.path):
        return "upload"
    if r.method == "GET":
        return "media" if r.query.get("alt") == "media" else "get"
    return r.method.lower()


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _handler_for(server: FakeStorage) -> type[JsonHandler]:
    class Handler(JsonHandler):
        def _serve(self) -> None:
            body = self.read_raw()
            headers = {k.lower(): v for k, v in self.headers.items()}
            req = None
            try:
                denial = server.auth.denial(headers)  # Google checks the caller before anything else
                if denial is not None:
                    raise storage_rules.auth_error(denial, self.command, urlsplit(self.path).path)
                req = parse_request(self.command, self.path, headers, body)
                code, payload, extra = server.handle(req)
            except StorageError as exc:
                code, payload, extra = exc.code, exc.body(), {}
            if not server.checked(req, code, payload):
                code, extra = 500, {}
                payload = StorageError(500, "backendError", "The fake's answer was not in Google's shape.").body()
            if isinstance(payload, dict):
                data, extra = json.dumps(payload).encode(), {"Content-Type": "application/json", **extra}
            else:
                data = payload
            self.send(code, data, extra.items())

        do_GET = do_POST = do_DELETE = do_PATCH = do_PUT = _serve

    return Handler
