"""Filling request fields from text: query parameters and path variables (grpc-gateway's query.go).

Per-type syntax follows grpc-gateway's DefaultQueryParser (spec gateway.md §1.3): base-10 integers,
Go ParseBool forms, Go ParseFloat, enum name or defined number, standard-then-URL-safe base64,
RFC 3339 Timestamps, Go-syntax Durations (``1h30m``), FieldMask paths verbatim, wrappers as their
scalar, Struct/Value as JSON text. Names are dotted paths; each part may be the proto or JSON name.
Unknown names are ignored; names of path- or body-bound fields are ignored.
"""

from __future__ import annotations

import base64
import binascii
import functools
import math
import re
from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

import orjson
from google.protobuf import json_format
from google.protobuf.descriptor import Descriptor, FieldDescriptor
from google.protobuf.message import Message
from multidict import MultiMapping

_T = FieldDescriptor
FieldPath = tuple[FieldDescriptor, ...]


class QueryError(ValueError):
    """A value that cannot be bound; the message is safe to show a client (answered with 400)."""


# --- scalar text -> value ------------------------------------------------------------------------

_INT = re.compile(r"[+-]?[0-9]+\Z")
_UINT = re.compile(r"\+?[0-9]+\Z")
_FLOAT = re.compile(r"[+-]?(?:inf|infinity|nan|[0-9]*\.?[0-9]+(?:[eE][+-]?[0-9]+)?|[0-9]+\.)\Z", re.I)
_FLOAT32_MAX = 3.4028234663852886e38
_BOOLS = {
    **dict.fromkeys(("1", "t", "T", "TRUE", "true", "True"), True),
    **dict.fromkeys(("0", "f", "F", "FALSE", "false", "False"), False),
}
_RANGES = {
    _T.TYPE_INT32: (-(2**31), 2**31 - 1),
    _T.TYPE_SINT32: (-(2**31), 2**31 - 1),
    _T.TYPE_SFIXED32: (-(2**31), 2**31 - 1),
    _T.TYPE_INT64: (-(2**63), 2**63 - 1),
    _T.TYPE_SINT64: (-(2**63), 2**63 - 1),
    _T.TYPE_SFIXED64: (-(2**63), 2**63 - 1),
    _T.TYPE_UINT32: (0, 2**32 - 1),
    _T.TYPE_FIXED32: (0, 2**32 - 1),
    _T.TYPE_UINT64: (0, 2**64 - 1),
    _T.TYPE_FIXED64: (0, 2**64 - 1),
}


def _int(fd: FieldDescriptor, text: str) -> int:
    lo, hi = _RANGES[fd.type]
    if not (_INT if lo < 0 else _UINT).match(text):
        raise QueryError(f"{text!r} is not a base-10 integer")
    value = int(text)
    if not lo <= value <= hi:
        raise QueryError(f"{text!r} is out of range")
    return value


def _float(fd: FieldDescriptor, text: str) -> float:
    if not _FLOAT.match(text):
        raise QueryError(f"{text!r} is not a number")
    value = float(text)
    if fd.type == _T.TYPE_FLOAT and math.isfinite(value) and abs(value) > _FLOAT32_MAX:
        raise QueryError(f"{text!r} is out of range")
    return value


def _bool(fd: FieldDescriptor, text: str) -> bool:
    try:
        return _BOOLS[text]
    except KeyError:
        raise QueryError(f"{text!r} is not a boolean") from None


def _bytes(fd: FieldDescriptor, text: str) -> bytes:
    for altchars in (None, b"-_"):
        try:
            return base64.b64decode(text, altchars=altchars, validate=True)
        except (binascii.Error, ValueError):
            continue
    raise QueryError(f"{text!r} is not base64")


def _enum(fd: FieldDescriptor, text: str) -> int:
    enum = fd.enum_type
    value = enum.values_by_name.get(text)
    if value is not None:
        return value.number
    if _INT.match(text) and int(text) in enum.values_by_number:
        return int(text)
    raise QueryError(f"{text!r} is not a valid value of {enum.full_name}")


def _string(fd: FieldDescriptor, text: str) -> str:
    return text


_SCALARS: dict[int, Callable[[FieldDescriptor, str], Any]] = {
    **dict.fromkeys(_RANGES, _int),
    _T.TYPE_DOUBLE: _float,
    _T.TYPE_FLOAT: _float,
    _T.TYPE_BOOL: _bool,
    _T.TYPE_BYTES: _bytes,
    _T.TYPE_ENUM: _enum,
    _T.TYPE_STRING: _string,
}

# --- well-known message types as leaves -----------------------------------------------------------

_DURATION_PART = re.compile(r"([0-9]*(?:\.[0-9]*)?)(ns|us|µs|μs|ms|s|m|h)")
_DURATION_NANOS = {
    "ns": 1,
    "us": 1_000,
    "µs": 1_000,
    "μs": 1_000,
    "ms": 1_000_000,
    "s": 1_000_000_000,
    "m": 60_000_000_000,
    "h": 3_600_000_000_000,
}


def parse_go_duration(text: str) -> int:
    """Go's time.ParseDuration, in nanoseconds (its range: a signed 64-bit count)."""
    s = text
    negative = s.startswith("-")
    if s and s[0] in "+-":
        s = s[1:]
    if s == "0":
        return 0
    if not s:
        raise QueryError(f"{text!r} is not a duration")
    total = Decimal(0)
    pos = 0
    while pos < len(s):
        m = _DURATION_PART.match(s, pos)
        if not m or m.group(1) in ("", "."):
            raise QueryError(f"{text!r} is not a duration (e.g. 1h30m, 1.5s, 300ms)")
        try:
            total += Decimal(m.group(1)) * _DURATION_NANOS[m.group(2)]
        except InvalidOperation:
            raise QueryError(f"{text!r} is not a duration") from None
        pos = m.end()
    nanos = int(total)
    if nanos > 2**63 - 1:
        raise QueryError(f"{text!r} is out of range")
    return -nanos if negative else nanos


def _set_duration(msg: Message, text: str) -> None:
    nanos = parse_go_duration(text)
    seconds = abs(nanos) // 1_000_000_000
    rest = abs(nanos) % 1_000_000_000
    sign = -1 if nanos < 0 else 1
    msg.seconds, msg.nanos = sign * seconds, sign * rest


def _set_timestamp(msg: Message, text: str) -> None:
    try:
        msg.FromJsonString(text)
    except ValueError:
        raise QueryError(f"{text!r} is not an RFC 3339 timestamp with a time zone") from None


def _set_field_mask(msg: Message, text: str) -> None:
    msg.paths.extend(p for p in text.split(",") if p)  # verbatim, as grpc-gateway (no camelCase conversion)


def _set_json(msg: Message, text: str) -> None:
    try:
        json_format.ParseDict(orjson.loads(text), msg)
    except (orjson.JSONDecodeError, json_format.ParseError, RecursionError) as e:
        raise QueryError(f"{text!r} is not valid JSON for {msg.DESCRIPTOR.full_name}: {e}") from None


def _wrapper(msg: Message, text: str) -> None:
    fd = msg.DESCRIPTOR.fields_by_name["value"]
    msg.value = _SCALARS[fd.type](fd, text)


_WKT_SETTERS: dict[str, Callable[[Message, str], None]] = {
    "google.protobuf.Timestamp": _set_timestamp,
    "google.protobuf.Duration": _set_duration,
    "google.protobuf.FieldMask": _set_field_mask,
    "google.protobuf.Struct": _set_json,
    "google.protobuf.Value": _set_json,
    "google.protobuf.ListValue": _set_json,
    **dict.fromkeys(
        (
            f"google.protobuf.{n}Value"
            for n in ("Double", "Float", "Int64", "UInt64", "Int32", "UInt32", "Bool", "String", "Bytes")
        ),
        _wrapper,
    ),
}


def is_leaf(fd: FieldDescriptor) -> bool:
    """Whether text can fill this field: a scalar, an enum or a supported well-known type."""
    return fd.message_type is None or fd.message_type.full_name in _WKT_SETTERS


# --- field paths ---------------------------------------------------------------------------------


@functools.cache
def field_index(desc: Descriptor) -> dict[str, FieldDescriptor]:
    """Field by proto name or JSON name; proto names win (grpc-gateway tries them first)."""
    index = {fd.json_name: fd for fd in desc.fields}
    index.update(desc.fields_by_name)
    return index


def set_value(msg: Message, path: FieldPath, values: list[str]) -> None:
    """Set the leaf at ``path`` (intermediates are singular messages) from text values."""
    for fd in path[:-1]:
        msg = getattr(msg, fd.name)
    fd = path[-1]
    if fd.is_repeated:
        target = getattr(msg, fd.name)
        if fd.message_type is None:
            target.extend(_SCALARS[fd.type](fd, v) for v in values)
        else:
            setter = _WKT_SETTERS[fd.message_type.full_name]
            for v in values:
                setter(target.add(), v)
        return
    if len(values) > 1:
        raise QueryError(f"too many values for field {fd.name!r}: {len(values)}")
    oneof = fd.containing_oneof
    if oneof is not None:
        current = msg.WhichOneof(oneof.name)
        if current is not None and current != fd.name:
            raise QueryError(f"field already set for oneof {oneof.name!r}: {current!r}")
    if fd.message_type is None:
        setattr(msg, fd.name, _SCALARS[fd.type](fd, values[0]))
    else:
        child = getattr(msg, fd.name)
        child.Clear()
        _WKT_SETTERS[fd.message_type.full_name](child, values[0])
        child.SetInParent()  # an empty FieldMask/Struct still counts as set


def _set_map(msg: Message, path: FieldPath, key: str, values: list[str]) -> None:
    for fd in path[:-1]:
        msg = getattr(msg, fd.name)
    fd = path[-1]
    if len(values) != 1:
        raise QueryError(f"map field {fd.name!r} key {key!r} needs exactly one value")
    key_fd = fd.message_type.fields_by_name["key"]
    value_fd = fd.message_type.fields_by_name["value"]
    if value_fd.message_type is not None:
        raise QueryError(f"map field {fd.name!r} with message values cannot be set from the query")
    getattr(msg, fd.name)[_SCALARS[key_fd.type](key_fd, key)] = _SCALARS[value_fd.type](value_fd, values[0])


def _is_map(fd: FieldDescriptor) -> bool:
    return fd.message_type is not None and fd.message_type.GetOptions().map_entry


MAX_PATH_DEPTH = 32
"""Dotted names deeper than this are refused: deep nesting would only exhaust the encoder's recursion."""

_MAP_KEY = re.compile(r"^(.*)\[(.*)\]$")


class QueryBinder:
    """The query parameters of one route: which names are bindable was decided at start-up."""

    def __init__(self, desc: Descriptor, excluded: Iterable[tuple[str, ...]]) -> None:
        self._desc = desc
        self._excluded = tuple(excluded)  # proto-name paths bound from the path or the body

    def _is_excluded(self, names: tuple[str, ...]) -> bool:
        for ex in self._excluded:
            n = min(len(ex), len(names))
            if ex[:n] == names[:n]:
                return True
        return False

    def _resolve(self, dotted: str) -> FieldPath | None:
        """The field chain for a dotted name; None for unknown names (ignored, as grpc-gateway)."""
        desc = self._desc
        chain: list[FieldDescriptor] = []
        parts = dotted.split(".")
        if len(parts) > MAX_PATH_DEPTH:
            raise QueryError(f"field path {dotted[:64]!r}... is nested too deeply")
        for i, part in enumerate(parts):
            if desc is None:
                raise QueryError(f"invalid path: {'.'.join(parts[:i])!r} is not a message")
            fd = field_index(desc).get(part)
            if fd is None:
                return None
            chain.append(fd)
            last = i == len(parts) - 1
            if not last:
                if fd.message_type is None or fd.is_repeated:
                    raise QueryError(f"invalid path: {'.'.join(parts[: i + 1])!r} is not a singular message")
                desc = fd.message_type
        return tuple(chain)

    def bind(self, msg: Message, query: MultiMapping[str] | Mapping[str, str]) -> None:
        seen: set[str] = set()
        for name in query:
            if name in seen:
                continue
            seen.add(name)
            values = query.getall(name) if isinstance(query, MultiMapping) else [query[name]]
            map_key = None
            m = _MAP_KEY.match(name)
            path = self._resolve(m.group(1)) if m else None
            if path is not None and _is_map(path[-1]):
                map_key = m.group(2)
            else:
                path = self._resolve(name)
                if path is None:
                    continue
            if self._is_excluded(tuple(fd.name for fd in path)):
                continue
            leaf = path[-1]
            try:
                if map_key is not None:
                    _set_map(msg, path, map_key, values)
                elif _is_map(leaf):
                    continue  # a map named without [key]: nothing to set
                elif not is_leaf(leaf):
                    raise QueryError(f"unsupported message type {leaf.message_type.full_name}")
                else:
                    set_value(msg, path, values)
            except QueryError as e:
                raise QueryError(f"invalid query parameter {name!r}: {e}") from None
            except (ValueError, TypeError) as e:  # e.g. a string that is not valid UTF-8
                raise QueryError(f"invalid query parameter {name!r}: {e}") from None
