"""The schema half of discovery.py: walks a JSON value against a discovery document's schemas.

Kept apart so discovery.py reads as "which method, which query, which error"; this file is "which value".
It accepts what Google's proto3 JSON parser accepts in a request (camelCase or proto names, int64 as a
number or text, enums as names or numbers, null as the default) and checks what Google sends in a reply.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from typing import Any

EnumNumbers = tuple[str, dict[int, str]]  # (enum type's full name, {number: name})
_INT32 = (-(2**31), 2**31 - 1)
_UINT32 = (0, 2**32 - 1)
_DURATION = re.compile(r"^-?[0-9]+(\.[0-9]{1,9})?s$")
_DATETIME = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{1,9})?"
                       r"(Z|[+-][0-9]{2}:[0-9]{2})$")
_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
INTEGER_TEXT = re.compile(r"^-?[0-9]+$")
# Field behaviours that Google's generators put in front of a description ("Optional. Immutable. ...").
_BEHAVIOUR = re.compile(r"^(Required|Optional|Immutable|Output only|Input only|Identifier)\.\s*")



class Kind(Enum):
    UNKNOWN_FIELD = "unknown field"
    WRONG_TYPE = "wrong type"
    BAD_ENUM = "enum value outside the document"
    BAD_FORMAT = "badly formatted value"
    MISSING_REQUIRED = "required field not set"
    UNKNOWN_PARAMETER = "unknown query parameter"
    RULE = "rule of the service"  # for the rules a fake adds beyond the schema


class Direction(Enum):
    REQUEST = "request"  # what Google's JSON parser accepts: int64 as number or text, enums as name or number
    RESPONSE = "response"  # what Google sends: int64 as text, enums as names unless the client asked for ints


@dataclass(frozen=True)
class Problem:
    """One thing Google would refuse. `field` is the proto path; `message` is Google's sentence for it."""

    kind: Kind
    field: str
    message: str


class SchemaWalk:
    """One walk over a JSON value against a discovery document's schemas; problems go to `out`.

    `enum_numbers(schema, json_name)` gives (enum type name, {number: name}) for an enum field, or None.
    """

    def __init__(self, schemas: dict[str, Any], enum_numbers: Callable[[str, str], EnumNumbers | None],
                 direction: Direction, method_id: str, enum_encoding: str, out: list[Problem]) -> None:
        self.schemas, self.enum_numbers, self.direction, self.method_id, self.enum_encoding, self.out = (
            schemas, enum_numbers, direction, method_id, enum_encoding, out)

    def message(self, schema: str, spec: dict[str, Any], body: Any, path: str) -> None:
        """`schema` names the message for enum look-ups; `spec` is its schema (inline objects have none)."""
        if not isinstance(body, dict):
            self._wrong(path, schema, body)
            return
        props: dict[str, Any] = spec.get("properties", {})
        extra = spec.get("additionalProperties")
        seen = set()
        for key, value in body.items():
            name = key if key in props else _camel(key)
            if name not in props:
                if extra is not None:
                    self.value(extra, value, f"{path}[{key}]" if path else key, schema, key)
                    continue
                at = f" at '{path}'" if path else ""
                self.out.append(Problem(Kind.UNKNOWN_FIELD, path or key,
                                        f'Invalid JSON payload received. Unknown name "{key}"{at}: Cannot find field.'))
                continue
            seen.add(name)
            self.value(props[name], value, _join(path, snake(name)), schema, name)
        if self.direction is Direction.REQUEST:
            for name, prop in props.items():
                if name not in seen and self._required(prop) and not prop.get("readOnly"):
                    self.out.append(Problem(Kind.MISSING_REQUIRED, _join(path, snake(name)),
                                            f"Field '{_join(path, snake(name))}' is required."))

    def value(self, prop: dict[str, Any], value: Any, path: str, schema: str, name: str) -> None:
        if value is None:
            return  # JSON null means "the default" to Google's parser
        if "$ref" in prop:
            self.message(prop["$ref"], self.schemas[prop["$ref"]], value, path)
            return
        kind, fmt = prop.get("type"), prop.get("format")
        if kind == "any":
            return
        if kind == "array":
            if not isinstance(value, list):
                self._wrong(path, "array", value)
                return
            for i, item in enumerate(value):
                self.value(prop["items"], item, f"{path}[{i}]", schema, name)
        elif kind == "object":
            if not isinstance(value, dict):
                self._wrong(path, "object", value)
            elif "additionalProperties" in prop:
                for k, v in value.items():
                    self.value(prop["additionalProperties"], v, f"{path}[{k}]", schema, name)
            elif "properties" in prop:
                self.message(f"{schema}.{name}", prop, value, path)
        elif "enum" in prop:
            self.enum(prop, value, path, schema, name)
        elif kind == "boolean":
            if not isinstance(value, bool):
                self._wrong(path, "TYPE_BOOL", value)
        elif kind == "integer":
            low, high = _UINT32 if fmt == "uint32" else _INT32
            number = _as_int(value, allow_text=self.direction is Direction.REQUEST)
            if number is None or not low <= number <= high:
                self._wrong(path, f"TYPE_{(fmt or 'int32').upper()}", value)
        elif kind == "number":
            ok = isinstance(value, int | float) and not isinstance(value, bool)
            if not ok and not (isinstance(value, str) and value in ("NaN", "Infinity", "-Infinity")):
                self._wrong(path, f"TYPE_{(fmt or 'double').upper()}", value)
        elif kind == "string":
            self.string(fmt, value, path)

    def string(self, fmt: str | None, value: Any, path: str) -> None:
        if fmt in ("int64", "uint64"):
            # Google's parser takes a number or its text; Google itself always sends text.
            number = _as_int(value, allow_text=True)
            if self.direction is Direction.RESPONSE and not isinstance(value, str):
                number = None
            if number is None or (fmt == "uint64" and number < 0):
                self._wrong(path, f"TYPE_{fmt.upper()}", value)
            return
        if not isinstance(value, str):
            self._wrong(path, "TYPE_STRING", value)
            return
        checks = {"google-duration": _DURATION.match, "google-datetime": _DATETIME.match,
                  "date-time": _DATETIME.match, "date": _DATE.match, "byte": _is_base64}
        check = checks.get(fmt or "")
        if check is not None and not check(value):
            self.out.append(Problem(Kind.BAD_FORMAT, path, f"Invalid value at '{path}' ({fmt}), \"{value}\""))

    def enum(self, prop: dict[str, Any], value: Any, path: str, schema: str, name: str) -> None:
        names: list[str] = prop["enum"]
        resolved = self.enum_numbers(schema, name)
        type_name = f"type.googleapis.com/{resolved[0]}" if resolved else "TYPE_ENUM"
        if isinstance(value, int) and not isinstance(value, bool):
            if self.direction is Direction.RESPONSE and self.enum_encoding != "int":
                ok = False  # Google answers with names unless the client asked for numbers
            elif resolved:
                ok = resolved[1].get(value) in names
            else:
                ok = 0 <= value < len(names)  # no descriptors: the best a document alone can say
        elif isinstance(value, str):
            ok = value in names and not (self.direction is Direction.RESPONSE and self.enum_encoding == "int")
        else:
            ok = False
        if not ok:
            shown = json.dumps(value)
            self.out.append(Problem(Kind.BAD_ENUM, path, f"Invalid value at '{path}' ({type_name}), {shown}"))

    def _required(self, prop: dict[str, Any]) -> bool:
        text = prop.get("description", "")
        while m := _BEHAVIOUR.match(text):
            if m.group(1) == "Required":
                return True
            text = text[m.end():]
        return bool(self.method_id) and self.method_id in prop.get("annotations", {}).get("required", [])

    def _wrong(self, path: str, type_name: str, value: Any) -> None:
        self.out.append(Problem(Kind.WRONG_TYPE, path, f"Invalid value at '{path}' ({type_name}), {json.dumps(value)}"))


def _as_int(value: Any, allow_text: bool) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if allow_text and isinstance(value, str) and INTEGER_TEXT.match(value):
        return int(value)
    return None


def _is_base64(value: str) -> bool:
    try:
        base64.b64decode(value.replace("-", "+").replace("_", "/") + "=" * (-len(value) % 4), validate=True)
        return True
    except (binascii.Error, ValueError):
        return False


def snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(w[:1].upper() + w[1:] for w in rest)


def _join(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name
