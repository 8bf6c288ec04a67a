"""What Cloud Storage's JSON API refuses, and how it says so: the request checks of storage_server.py.

Three sources, in this order, as Google's front end applies them:
1. The caller (google_auth.BearerCheck): no token, a token never issued, an expired one. Cloud Storage
   answers in its own, older error shape (below), e.g. 401 `required` at header `Authorization` for an
   anonymous caller (https://cloud.google.com/storage/docs/json_api/v1/status-codes#401_Unauthorized).
2. Google's discovery document `storage.v1.json`: the method (verb and path template; uploads at
   `mediaUpload.protocols.simple.path`, downloads at `/download/...`), its query parameters (unknown ones
   refused, `required: true` ones demanded), and the body against the method's request schema, whose
   required fields storage.v1 marks per method (`annotations.required`).
3. Rules the document leaves to prose, cited where they come from.

Cloud Storage's error body is `{"error": {"code", "message", "errors": [{"domain", "reason", "message",
"locationType"?, "location"?}]}}` (https://cloud.google.com/storage/docs/json_api/v1/status-codes), not
the newer `status`/`details` form: google-api-core's `from_http_response` reads `error.message` and
`error.errors`, and the storage client matches reasons such as `conditionNotMet` in that list.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from tests.integration.fakes.discovery import Api, Call, Kind, Problem, ResponseShapeError
from tests.integration.fakes.google_auth import Denial

API = Api.load("storage.v1")
# Media paths of the JSON API: the same methods, under another prefix.
_MEDIA = {"/upload": "storage.objects.insert", "/download": "storage.objects.get"}
# https://cloud.google.com/storage/docs/json_api/v1/buckets#resource (iamConfiguration.publicAccessPrevention,
# "Currently, 'inherited' and 'enforced' are supported"; the document lists no enum for it)
_PUBLIC_ACCESS_PREVENTION = ("inherited", "enforced")
# https://cloud.google.com/storage/docs/storage-classes
_STORAGE_CLASSES = ("STANDARD", "NEARLINE", "COLDLINE", "ARCHIVE", "MULTI_REGIONAL", "REGIONAL",
                    "DURABLE_REDUCED_AVAILABILITY")
# https://cloud.google.com/storage/docs/tags-and-labels#bucket-labels: lower case, at most 63 characters
_LABEL_KEY = re.compile(r"^[a-z][a-z0-9_-]{0,62}$")
_LABEL_VALUE = re.compile(r"^[a-z0-9_-]{0,63}$")
_REASONS = {Kind.MISSING_REQUIRED: "required", Kind.UNKNOWN_PARAMETER: "invalidParameter"}
# The permission each method needs, for the anonymous caller's sentence.
_PERMISSION = {"storage.buckets.insert": "storage.buckets.create", "storage.objects.insert": "storage.objects.create",
               "storage.objects.patch": "storage.objects.update"}


class StorageError(Exception):
    """An answer in Cloud Storage's error shape. `errors` holds one item per problem (reason, message, ...)."""

    def __init__(self, code: int, reason: str, message: str, location: str = "",
                 location_type: str = "header", errors: list[dict[str, str]] | None = None) -> None:
        super().__init__(message)
        self.code, self.reason, self.message = code, reason, message
        item = {"domain": "global", "reason": reason, "message": message}
        if location:
            item |= {"locationType": location_type, "location": location}
        self.errors = errors or [item]

    def body(self) -> dict[str, Any]:
        return {"error": {"code": self.code, "message": self.message, "errors": self.errors}}


def match(verb: str, raw_path: str) -> Call:
    """The storage.v1 method a request calls (`raw_path` still percent-encoded), or 404 as Google answers."""
    if raw_path.startswith("/resumable/upload/storage/v1/"):  # the document's resumable protocol: real, not served
        raise StorageError(501, "notImplemented", "Resumable uploads are not served by this fake.")
    for prefix, method_id in _MEDIA.items():
        if raw_path.startswith(prefix + "/storage/v1/"):
            call = API.match(verb, raw_path[len(prefix):])
            if call is not None and call.method.id == method_id:
                return call
            break
    else:
        call = API.match(verb, raw_path)
        if call is not None:
            return call
    raise StorageError(404, "notFound", "Not Found")


def check(call: Call, query: dict[str, list[str]], body: dict[str, Any] | None, media_only: bool) -> None:
    """Raise StorageError (400) for what Google's front end or Cloud Storage refuses in this request.

    Args:
        query: every query parameter as sent (a parameter may repeat).
        body: the JSON body, or the metadata part of a multipart upload; None when there is none.
        media_only: an `uploadType=media` upload, whose body is the object's content, not metadata.
    """
    problems = API.check_query(call.method, query)
    for name, spec in call.method.parameters.items():
        if spec.get("location") == "query" and spec.get("required") and not query.get(name, [""])[0]:
            raise StorageError(400, "required", f"Required parameter: {name}", name, "parameter")
    if call.method.request is not None and not media_only:
        problems += API.validate(call.method.request, body if body is not None else {}, method_id=call.method.id)
    elif body not in (None, {}):
        problems += API.validate(None, body)
    if call.method.id == "storage.buckets.insert" and isinstance(body, dict):
        problems += _bucket_rules(body)
    if problems:
        raise StorageError(400, _reason(problems[0]), problems[0].message,
                           errors=[_item(p) for p in problems])


def _bucket_rules(body: dict[str, Any]) -> list[Problem]:
    out = []
    iam = body.get("iamConfiguration")
    pap = iam.get("publicAccessPrevention") if isinstance(iam, dict) else None
    if pap is not None and pap not in _PUBLIC_ACCESS_PREVENTION:
        out.append(Problem(Kind.RULE, "iamConfiguration.publicAccessPrevention",
                           f"Invalid value for iamConfiguration.publicAccessPrevention: '{pap}'. Supported values "
                           f"are {' and '.join(repr(v) for v in _PUBLIC_ACCESS_PREVENTION)}."))
    storage_class = body.get("storageClass")
    if storage_class is not None and str(storage_class).upper() not in _STORAGE_CLASSES:
        out.append(Problem(Kind.RULE, "storageClass", f"Invalid storage class: '{storage_class}'."))
    labels = body.get("labels")
    for key, value in (labels.items() if isinstance(labels, dict) else ()):
        if not _LABEL_KEY.match(str(key)) or not _LABEL_VALUE.match(str(value)):
            out.append(Problem(Kind.RULE, f"labels.{key}", f"Invalid label: '{key}': '{value}'. Keys and values "
                               "use lower-case letters, digits, '_' and '-', at most 63 characters."))
    return out


def _reason(p: Problem) -> str:
    return _REASONS.get(p.kind, "invalid")


def _item(p: Problem) -> dict[str, str]:
    item = {"domain": "global", "reason": _reason(p), "message": p.message}
    if p.kind is Kind.UNKNOWN_PARAMETER:
        item |= {"locationType": "parameter", "location": p.field}
    return item


def auth_error(denial: Denial, verb: str, raw_path: str) -> StorageError:
    """BearerCheck's verdict in Cloud Storage's words and shape."""
    if denial.reason == "CREDENTIALS_MISSING":
        try:
            method_id = match(verb, raw_path).method.id
        except StorageError:
            method_id = "storage.objects.get"
        perm = _PERMISSION.get(method_id, method_id)
        what = "bucket" if ".buckets." in method_id else "object"
        text = (f"Anonymous caller does not have {perm} access to the Google Cloud Storage {what}. Permission "
                f"'{perm}' denied on resource (or it may not exist).")
        return StorageError(401, "required", text, "Authorization")
    if denial.code == 401:
        return StorageError(401, "authError", "Invalid Credentials", "Authorization")
    if denial.reason == "ACCESS_TOKEN_SCOPE_INSUFFICIENT":
        return StorageError(403, "insufficientPermissions", "Insufficient Permission")
    return StorageError(denial.code, "forbidden", denial.message)


def check_reply(call: Call | None, code: int, payload: Any) -> None:
    """Raise ResponseShapeError when the fake is about to answer in a shape Cloud Storage never sends."""
    if code in (204, 304):
        return
    if code >= 400:
        _check_error(code, payload)
    elif call is not None and isinstance(payload, Mapping):
        API.check_response(call, dict(payload))
    elif call is not None and not (call.method.id == "storage.objects.get" and isinstance(payload, bytes)):
        raise ResponseShapeError(f"{call.method.id} answered with {type(payload).__name__}, not JSON")


def _check_error(code: int, payload: Any) -> None:
    error = payload.get("error") if isinstance(payload, Mapping) and set(payload) == {"error"} else None
    ok = (isinstance(error, Mapping) and set(error) == {"code", "message", "errors"} and error["code"] == code
          and isinstance(error["message"], str) and isinstance(error["errors"], list) and error["errors"])
    for item in error["errors"] if ok and error else ():
        keys = set(item) if isinstance(item, Mapping) else set()
        ok = ok and {"domain", "reason", "message"} <= keys <= {"domain", "reason", "message", "locationType",
                                                                 "location"}
    if not ok:
        raise ResponseShapeError(f"an error answer not in Cloud Storage's shape: {payload!r}")
