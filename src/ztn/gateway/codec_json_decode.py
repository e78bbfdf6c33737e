"""JSON-able objects -> protobuf, by per-class plans compiled once (see codec_json.py).

Accepts what json_format.ParseDict accepts (proto and json names, null = unset, int64 as string or
number, integral floats for integers, enum names or numbers, std or urlsafe base64), but is stricter
where json_format is lenient: duplicate fields via both names, top-level non-objects, bool as 1/"true".
Messages are filled in place (no temporaries, no copies); converters validate types and ranges
before a value is assigned.
"""

from __future__ import annotations

import binascii
import datetime
import keyword
import math
import re
from collections.abc import Callable
from typing import Any

from google.protobuf.descriptor import Descriptor, FieldDescriptor
from google.protobuf.message import Message
from google.protobuf.struct_pb2 import ListValue, Struct, Value

from ztn.gateway.codec_json_encode import (
    _TS_MAX,
    _TS_MIN,
    _WRAPPERS_FILE,
    WKT_NAMES,
    _Source,
    resolve_any,
)
from ztn.gateway.json_style import JsonStyle

MAX_DEPTH = 100
_T = FieldDescriptor
_SKIP = object()  # a converter's "leave the field unset" (unknown enum name with ignore_unknown_fields)
Conv = Callable[[Any, int], Any]

_INT_RE = re.compile(r"-?\d+")
_NUM_RE = re.compile(r"-?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")
_TS_RE = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:(Z)|([+-])(\d{2}):(\d{2}))",
    re.ASCII,  # no other scripts' digits
)
_EPOCH_ORDINAL = datetime.date(1970, 1, 1).toordinal()
_FLOAT_MAX = 3.4028234663852886e38
_RANGES = {
    _T.TYPE_INT32: (-(2**31), 2**31 - 1),
    _T.TYPE_SINT32: (-(2**31), 2**31 - 1),
    _T.TYPE_SFIXED32: (-(2**31), 2**31 - 1),
    _T.TYPE_UINT32: (0, 2**32 - 1),
    _T.TYPE_FIXED32: (0, 2**32 - 1),
    _T.TYPE_INT64: (-(2**63), 2**63 - 1),
    _T.TYPE_SINT64: (-(2**63), 2**63 - 1),
    _T.TYPE_SFIXED64: (-(2**63), 2**63 - 1),
    _T.TYPE_UINT64: (0, 2**64 - 1),
    _T.TYPE_FIXED64: (0, 2**64 - 1),
    _T.TYPE_ENUM: (-(2**31), 2**31 - 1),
}
_B64_URLSAFE = bytes.maketrans(b"-_", b"+/")


class Fail(Exception):
    """Internal: a decode failure; the path is filled in while it bubbles up."""

    def __init__(self, reason: str, *, structural: bool = False) -> None:
        self.reason = reason
        self.structural = structural  # the reason already says what is wrong with the key
        self.path: list[str] = []

    def message(self) -> str:
        path = "".join(reversed(self.path)).lstrip(".")
        if not path:
            return self.reason
        if self.structural:
            return self.reason.format(path=path)
        return f'invalid value for field "{path}": {self.reason}'


# --- scalars --------------------------------------------------------------------------------------
def _int_from(v: Any, lo: int, hi: int) -> int:
    t = type(v)
    if t is int:
        n = v
    elif t is float and v.is_integer():
        n = int(v)
    elif t is str and _INT_RE.fullmatch(v):
        n = int(v)
    elif t is str and _NUM_RE.fullmatch(v) and float(v).is_integer():
        n = int(float(v))
    else:
        raise Fail("expected integer")
    if not lo <= n <= hi:
        raise Fail("integer out of range")
    return n


def _int_conv(lo: int, hi: int) -> Conv:
    def conv(v: Any, depth: int) -> int:
        if type(v) is int and lo <= v <= hi:
            return v
        return _int_from(v, lo, hi)

    return conv


def _double_from(v: Any) -> float:
    t = type(v)
    if t is float:
        if math.isfinite(v):
            return v
        raise Fail('non-finite numbers must be quoted: "NaN", "Infinity", "-Infinity"')
    if t is int:
        try:
            return float(v)
        except OverflowError:
            raise Fail("number out of range") from None
    if t is str:
        if v == "NaN":
            return math.nan
        if v == "Infinity":
            return math.inf
        if v == "-Infinity":
            return -math.inf
        if _NUM_RE.fullmatch(v):
            return float(v)
    raise Fail("expected number")


def _double(v: Any, depth: int) -> float:
    return v if type(v) is float and math.isfinite(v) else _double_from(v)


def _float32(v: Any, depth: int) -> float:
    f = v if type(v) is float and math.isfinite(v) else _double_from(v)
    if math.isfinite(f) and abs(f) > _FLOAT_MAX:
        raise Fail("number out of range for float")
    return f


def _bool(v: Any, depth: int) -> bool:
    if v is True or v is False:
        return v
    raise Fail("expected true or false")


def _string(v: Any, depth: int) -> str:
    if type(v) is str:
        return v
    raise Fail("expected string")


def _bytes(v: Any, depth: int) -> bytes:
    if type(v) is not str:
        raise Fail("expected base64 string")
    raw = v.rstrip("=").encode("ascii", "replace").translate(_B64_URLSAFE)
    if len(raw) % 4 == 1:
        raise Fail("invalid base64")
    try:
        return binascii.a2b_base64(raw + b"=" * (-len(raw) % 4), strict_mode=True)
    except binascii.Error:
        raise Fail("invalid base64") from None


def _enum_conv(fd: FieldDescriptor, ignore_unknown: bool) -> Conv:
    if fd.enum_type.full_name == "google.protobuf.NullValue":
        return lambda v, depth: 0
    by_name = {v.name: v.number for v in fd.enum_type.values}
    lo, hi = _RANGES[_T.TYPE_ENUM]

    def conv(v: Any, depth: int) -> Any:
        if type(v) is str:
            n = by_name.get(v)
            if n is not None:
                return n
            if not _INT_RE.fullmatch(v):
                if ignore_unknown:
                    return _SKIP
                raise Fail(f"unknown enum value {v!r}")
        return _int_from(v, lo, hi)  # proto3 enums are open: any int32 number is kept

    return conv


# --- well-known types -----------------------------------------------------------------------------
# Each "into" function fills a fresh target message in place: no temporary messages, no copies.
Into = Callable[[Any, Message, int], None]

_DATE_RE = re.compile(r"(\d{4})-(\d{2})-(\d{2})T", re.ASCII)
_DAY_SECONDS: dict[str, int] = {}
"""Seconds since the epoch per "YYYY-MM-DDT" prefix, filled on first use (bounded). Only the date part
is tabled: whole timestamps are not memoised."""
_HHMM = {f"{h:02d}:{m:02d}:": h * 3600 + m * 60 for h in range(24) for m in range(60)}
_SS = {f"{s:02d}": s for s in range(60)}
_FRAC_SCALE = [10 ** (9 - n) for n in range(10)]


def _day_seconds(prefix: str) -> int | None:
    """The date part of a canonical timestamp in seconds; None when it is not a valid date."""
    m = _DATE_RE.fullmatch(prefix)
    if m is None:
        return None
    try:
        days = datetime.date(int(m[1]), int(m[2]), int(m[3])).toordinal() - _EPOCH_ORDINAL
    except ValueError:
        return None
    if len(_DAY_SECONDS) >= 100_000:
        _DAY_SECONDS.clear()
    seconds = _DAY_SECONDS[prefix] = days * 86400
    return seconds


def _parse_timestamp(v: Any) -> tuple[int, int]:
    """RFC 3339 -> (seconds, nanos). The canonical UTC form ("...T12:26:40.123456Z", what every
    protojson printer emits) is sliced against static tables; offsets and the rest take the regex."""
    if type(v) is str and 20 <= len(v) <= 30:
        day = _DAY_SECONDS.get(v[:11])
        if day is None:
            day = _day_seconds(v[:11])
        hm = _HHMM.get(v[11:17])
        ss = _SS.get(v[17:19])
        if day is not None and hm is not None and ss is not None:
            if len(v) == 20:
                if v[19] == "Z":
                    return day + hm + ss, 0
            elif v[19] == "." and v[-1] == "Z":
                frac = v[20:-1]
                if frac.isdigit() and frac.isascii():
                    return day + hm + ss, int(frac) * _FRAC_SCALE[len(frac)]
    return _parse_timestamp_full(v)


def _parse_timestamp_full(v: Any) -> tuple[int, int]:
    m = _TS_RE.fullmatch(v) if type(v) is str else None
    if m is None:
        raise Fail("expected RFC 3339 timestamp")
    y, mo, d, h, mi, s, frac, z, sign, oh, om = m.groups()
    try:
        days = datetime.date(int(y), int(mo), int(d)).toordinal() - _EPOCH_ORDINAL
    except ValueError:
        raise Fail("invalid date in timestamp") from None
    if int(h) > 23 or int(mi) > 59 or int(s) > 59 or (z is None and (int(oh) > 23 or int(om) > 59)):
        raise Fail("invalid time in timestamp")
    seconds = days * 86400 + int(h) * 3600 + int(mi) * 60 + int(s)
    if z is None:
        offset = int(oh) * 3600 + int(om) * 60
        seconds += offset if sign == "-" else -offset
    if not _TS_MIN <= seconds <= _TS_MAX:
        raise Fail("timestamp out of range")
    return seconds, int(frac.ljust(9, "0")) if frac else 0


def _timestamp_into(v: Any, target: Message, depth: int) -> None:
    seconds, nanos = _parse_timestamp(v)
    if seconds or nanos:
        target.seconds = seconds
        target.nanos = nanos
    else:
        target.SetInParent()  # the epoch itself: present, all fields zero


def _json_string_into(v: Any, target: Message, depth: int) -> None:
    if type(v) is not str:
        raise Fail("expected string")
    try:
        target.FromJsonString(v)
    except ValueError:
        raise Fail(f"invalid {target.DESCRIPTOR.name}") from None


def _fill_value(target: Value, v: Any, depth: int) -> None:
    t = type(v)
    if t is str:
        target.string_value = v
    elif v is None:
        target.null_value = 0
    elif t is bool:
        target.bool_value = v
    elif t is int or t is float:
        target.number_value = _double(v, depth)
    elif t is dict:
        _fill_struct(target.struct_value, v, depth + 1)
    elif t is list:
        _fill_list(target.list_value, v, depth + 1)
    else:
        raise Fail(f"unexpected type {t.__name__}")


def _fill_struct(target: Struct, v: dict[str, Any], depth: int) -> None:
    if depth > MAX_DEPTH:
        raise Fail("nesting too deep")
    target.Clear()  # marks an empty struct as present
    fields = target.fields
    for k, item in v.items():
        try:
            _fill_value(fields[k], item, depth)
        except Fail as e:
            e.path.append(f".{k}")
            raise


def _fill_list(target: ListValue, v: list[Any], depth: int) -> None:
    if depth > MAX_DEPTH:
        raise Fail("nesting too deep")
    target.Clear()
    add = target.values.add
    for i, item in enumerate(v):
        try:
            _fill_value(add(), item, depth)
        except Fail as e:
            e.path.append(f"[{i}]")
            raise


def _value_into(v: Any, target: Message, depth: int) -> None:
    _fill_value(target, v, depth - 1)


def _struct_into(v: Any, target: Message, depth: int) -> None:
    if type(v) is not dict:
        raise Fail("expected object")
    _fill_struct(target, v, depth)


def _list_value_into(v: Any, target: Message, depth: int) -> None:
    if type(v) is not list:
        raise Fail("expected array")
    _fill_list(target, v, depth)


# --- plans ----------------------------------------------------------------------------------------
_SCALAR, _REPEATED, _MAP, _MESSAGE, _REPEATED_MESSAGE, _MAP_MESSAGE = range(6)


class Decoder:
    """Decoding plans for one JsonStyle, compiled lazily per message descriptor."""

    def __init__(self, style: JsonStyle) -> None:
        self.ignore_unknown = style.ignore_unknown_fields
        self._plans: dict[Descriptor, Into] = {}
        self.field_kinds: dict[Descriptor, dict[str, tuple[str, bool]]] = {}
        """Per descriptor: input key -> (field name, is repeated or map); merge_obj uses it."""

    def message_into(self, desc: Descriptor) -> Into:
        into = self._plans.get(desc)
        if into is None:
            into = self._compile(desc)
        return into

    def _compile(self, desc: Descriptor) -> Into:
        special = self._wkt(desc)
        if special is not None:
            self._plans[desc] = special
            return special
        ignore_unknown = self.ignore_unknown
        # key -> (attribute name, kind, converter, real oneof name or None, null handling)
        fields: dict[str, tuple[str, int, Any, str | None, Any]] = {}
        kinds: dict[str, tuple[str, bool]] = {}

        def into(obj: Any, target: Message, depth: int) -> None:
            if type(obj) is not dict:
                raise Fail("expected object")
            if depth > MAX_DEPTH:
                raise Fail("nesting too deep")
            seen: set[str] = set()
            oneofs: set[str] | None = None
            for key, value in obj.items():
                plan = fields.get(key)
                if plan is None:
                    if ignore_unknown:
                        continue
                    e = Fail('unknown field "{path}"', structural=True)
                    e.path.append(f".{key}")
                    raise e
                name, kind, conv, oneof_name, null = plan
                if name in seen:
                    e = Fail('field "{path}" is given twice (proto and JSON name)', structural=True)
                    e.path.append(f".{key}")
                    raise e
                seen.add(name)
                if value is None:
                    if null is not None:
                        null(target)
                    continue
                if oneof_name is not None:
                    if oneofs is None:
                        oneofs = set()
                    elif oneof_name in oneofs:
                        e = Fail(f'only one field of oneof "{oneof_name}" may be set', structural=True)
                        e.path.append(f".{key}")
                        raise e
                    oneofs.add(oneof_name)
                try:
                    if kind == _SCALAR:
                        v = conv(value, depth)
                        if v is not _SKIP:
                            setattr(target, name, v)
                    elif kind == _MESSAGE:
                        sub = getattr(target, name)
                        sub.SetInParent()
                        conv(value, sub, depth + 1)
                    elif kind == _REPEATED:
                        getattr(target, name).extend(conv(value, depth))
                    elif kind == _REPEATED_MESSAGE:
                        conv(value, getattr(target, name), depth + 1)
                    else:  # _MAP, _MAP_MESSAGE
                        conv(value, getattr(target, name), depth + 1)
                except Fail as e:
                    e.path.append(f".{key}")
                    raise
                except (ValueError, TypeError) as err:  # converters validate first; this is a backstop
                    e = Fail(f"rejected: {err}")
                    e.path.append(f".{key}")
                    raise e from None

        self._plans[desc] = into  # before the fields: recursive message types find it
        for fd in desc.fields:
            oneof = fd.containing_oneof
            oneof_name = oneof.name if oneof is not None and oneof.name != "_" + fd.name else None
            plan = (fd.name, *self._field_plan(fd), oneof_name, self._null(fd))
            fields[fd.name] = fields[fd.json_name] = plan
            kinds[fd.name] = kinds[fd.json_name] = (fd.name, fd.is_repeated)
        self.field_kinds[desc] = kinds
        return into

    @staticmethod
    def _null(fd: FieldDescriptor) -> Callable[[Message], None] | None:
        """What JSON null does to a field (None: leaves it unset)."""
        name = fd.name
        if fd.is_repeated:
            return None
        if fd.message_type is not None and fd.message_type.full_name == "google.protobuf.Value":
            return lambda target: setattr(getattr(target, name), "null_value", 0)
        if fd.enum_type is not None and fd.enum_type.full_name == "google.protobuf.NullValue":
            return lambda target: setattr(target, name, 0)
        return None

    def _field_plan(self, fd: FieldDescriptor) -> tuple[int, Any]:
        mt = fd.message_type
        if mt is not None and mt.GetOptions().map_entry:
            return self._map_plan(mt)
        if mt is not None:
            into = self.message_into(mt)
            if not fd.is_repeated:
                return _MESSAGE, into
            allow_null = mt.full_name == "google.protobuf.Value"

            def repeated_messages(v: Any, target: Any, depth: int) -> None:
                if type(v) is not list:
                    raise Fail("expected array")
                add = target.add
                for i, item in enumerate(v):
                    try:
                        if item is None and not allow_null:
                            raise Fail("null is not allowed in an array")
                        into(item, add(), depth)
                    except Fail as e:
                        e.path.append(f"[{i}]")
                        raise

            return _REPEATED_MESSAGE, repeated_messages
        conv = self._scalar_conv(fd)
        if not fd.is_repeated:
            return _SCALAR, conv

        def repeated(v: Any, depth: int) -> list[Any]:
            if type(v) is not list:
                raise Fail("expected array")
            out = []
            for i, item in enumerate(v):
                try:
                    if item is None:
                        raise Fail("null is not allowed in an array")
                    x = conv(item, depth)
                except Fail as e:
                    e.path.append(f"[{i}]")
                    raise
                if x is not _SKIP:
                    out.append(x)
            return out

        return _REPEATED, repeated

    def _map_plan(self, entry: Descriptor) -> tuple[int, Any]:
        key_fd, val_fd = entry.fields_by_name["key"], entry.fields_by_name["value"]
        vt = val_fd.message_type
        allow_null = vt is not None and vt.full_name == "google.protobuf.Value"
        kconv = self._map_key_conv(key_fd)
        vconv = self._scalar_conv(val_fd) if vt is None else None
        vinto = self.message_into(vt) if vt is not None else None

        def fill(v: Any, target: Any, depth: int) -> None:
            if type(v) is not dict:
                raise Fail("expected object")
            for k, item in v.items():
                try:
                    if item is None and not allow_null:
                        raise Fail("null is not allowed as a map value")
                    key = k if kconv is None else kconv(k)
                    if vinto is not None:
                        vinto(item, target[key], depth)
                    else:
                        x = vconv(item, depth)
                        if x is not _SKIP:
                            target[key] = x
                except Fail as e:
                    e.path.append(f"[{k!r}]")
                    raise

        return (_MAP if vt is None else _MAP_MESSAGE), fill

    @staticmethod
    def _map_key_conv(key_fd: FieldDescriptor) -> Callable[[str], Any] | None:
        kt = key_fd.type
        if kt == _T.TYPE_STRING:
            return None
        if kt == _T.TYPE_BOOL:

            def bool_key(k: str) -> bool:
                if k == "true":
                    return True
                if k == "false":
                    return False
                raise Fail('map key must be "true" or "false"')

            return bool_key
        lo, hi = _RANGES[kt]

        def int_key(k: str) -> int:
            if not _INT_RE.fullmatch(k):
                raise Fail("map key must be an integer")
            n = int(k)
            if not lo <= n <= hi:
                raise Fail("map key out of range")
            return n

        return int_key

    def _scalar_conv(self, fd: FieldDescriptor) -> Conv:
        t = fd.type
        if t == _T.TYPE_ENUM:
            return _enum_conv(fd, self.ignore_unknown)
        if t in _RANGES:
            return _int_conv(*_RANGES[t])
        return {
            _T.TYPE_STRING: _string,
            _T.TYPE_BOOL: _bool,
            _T.TYPE_DOUBLE: _double,
            _T.TYPE_FLOAT: _float32,
            _T.TYPE_BYTES: _bytes,
        }[t]

    def _wkt(self, desc: Descriptor) -> Into | None:
        name = desc.full_name
        if desc.file.name == _WRAPPERS_FILE:
            inner = self._scalar_conv(desc.fields_by_name["value"])

            def wrapper_into(v: Any, target: Message, depth: int) -> None:
                target.value = inner(v, depth)

            return wrapper_into
        if name == "google.protobuf.Timestamp":
            return _timestamp_into
        if name in ("google.protobuf.Duration", "google.protobuf.FieldMask"):
            return _json_string_into
        if name == "google.protobuf.Value":
            return _value_into
        if name == "google.protobuf.Struct":
            return _struct_into
        if name == "google.protobuf.ListValue":
            return _list_value_into
        if name == "google.protobuf.Any":
            return self._any_into
        return None

    def _any_into(self, v: Any, target: Message, depth: int) -> None:
        if type(v) is not dict:
            raise Fail("expected object")
        if not v:
            return
        type_url = v.get("@type")
        if type_url is None:
            raise Fail('"@type" is missing')
        try:
            cls = resolve_any(type_url)
        except ValueError as e:
            raise Fail(str(e)) from None
        desc = cls.DESCRIPTOR
        inner = cls()
        into = self.message_into(desc)
        if desc.file.name == _WRAPPERS_FILE or desc.full_name in WKT_NAMES:
            if "value" not in v:
                raise Fail('"value" is missing')
            into(v["value"], inner, depth + 1)
        else:
            into({k: x for k, x in v.items() if k != "@type"}, inner, depth + 1)
        target.type_url = type_url
        target.value = inner.SerializeToString()


# --- generated decoders ---------------------------------------------------------------------------
class FastDecoder:
    """Per-class decoders generated from Python source, for well-formed input.

    A generated decoder probes the object for each field's key (`v = obj.get("instanceId")`) and sets
    the field with code specialised to its type: no per-key dispatch, no converter calls for strings,
    bools, ints, int64 strings and enum names, nested messages filled in place. It reports nothing: on
    anything unexpected (a type error, a key by both names, a value upb refuses) it raises, and the
    caller decodes again with the Decoder's plans, which produce the one exact JsonCodecError.
    Keys come by JSON name or by proto name; an object mixing both takes the plans too.
    """

    WIDE_FIELDS = 16
    """Wider messages fall back to the plans' per-key loop when the object has few keys."""

    def __init__(self, plans: Decoder) -> None:
        self.plans = plans
        self._fns: dict[Descriptor, Into] = {}

    def message_into(self, desc: Descriptor) -> Into:
        fn = self._fns.get(desc)
        if fn is None:
            fn = self._compile(desc)
        return fn

    def _compile(self, desc: Descriptor) -> Into:
        if self.plans._wkt(desc) is not None:
            fn = self._fns[desc] = self.plans.message_into(desc)
            return fn
        src = _Source()
        json_only = frozenset(fd.json_name for fd in desc.fields if fd.json_name != fd.name)
        proto_only = frozenset(fd.name for fd in desc.fields if fd.json_name != fd.name)
        lines = self._function("fast_json", desc, src, by_json=True)
        if proto_only:
            lines[2:2] = [
                f"    if not {src.ref(proto_only)}.isdisjoint(obj):",
                f"        if {src.ref(json_only)}.isdisjoint(obj):",
                "            return fast_proto(obj, m, depth)",
                "        raise Fail('JSON and proto names mixed')",
            ]
            lines += self._function("fast_proto", desc, src, by_json=False)
        namespace = src.namespace
        namespace.update(Fail=Fail, SKIP=_SKIP, TS=_timestamp_into, MAX_DEPTH=MAX_DEPTH)
        exec(compile("\n".join(lines), f"<json decode {desc.full_name}>", "exec"), namespace)
        fn = self._fns[desc] = namespace["fast_json"]  # before resolving: recursive types find it
        src.resolve(self.message_into)
        return fn

    def _function(self, name: str, desc: Descriptor, src: _Source, by_json: bool) -> list[str]:
        lines = [
            f"def {name}(obj, m, depth):",
            "    if type(obj) is not dict or depth > MAX_DEPTH: raise Fail('not an object')",
        ]
        if not self.plans.ignore_unknown:
            names = frozenset(n for fd in desc.fields for n in (fd.name, fd.json_name))
            lines.append(f"    if not obj.keys() <= {src.ref(names)}: raise Fail('unknown field')")
        if len(desc.fields) > self.WIDE_FIELDS:
            plan = src.ref(self.plans.message_into(desc))
            lines.append(f"    if len(obj) * 4 < {len(desc.fields)}: return {plan}(obj, m, depth)")
        lines.append("    g = obj.get")
        oneofs = {o.name: f"o{i}" for i, o in enumerate(desc.oneofs) if not _synthetic(o)}
        lines += [f"    {var} = 0" for var in oneofs.values()]
        for fd in desc.fields:
            key = fd.json_name if by_json else fd.name
            lines.append(f"    v = g({key!r})")
            null = Decoder._null(fd)
            if null is not None:
                lines += ["    if v is None:", f"        if {key!r} in obj: {src.ref(null)}(m)", "    else:"]
            else:
                lines.append("    if v is not None:")
            body = self._value_lines(fd, src)
            oneof = fd.containing_oneof
            if oneof is not None and oneof.name in oneofs:
                body.append(f"{oneofs[oneof.name]} += 1")
            lines += ["        " + line for line in body]
        lines += [f"    if {var} > 1: raise Fail('oneof')" for var in oneofs.values()]
        return lines

    def _value_lines(self, fd: FieldDescriptor, src: _Source) -> list[str]:
        """Source that sets field fd of message `m` from the JSON value `v` (not None)."""
        read = f"getattr(m, {fd.name!r})" if keyword.iskeyword(fd.name) else f"m.{fd.name}"

        def assign(expr: str) -> str:
            if keyword.iskeyword(fd.name):
                return f"setattr(m, {fd.name!r}, {expr})"
            return f"m.{fd.name} = {expr}"

        mt = fd.message_type
        if fd.is_repeated or (mt is not None and mt.full_name in _GENERIC_WKT):
            kind, conv = self.plans._field_plan(fd)
            if kind == _REPEATED:
                return [f"{read}.extend({src.ref(conv)}(v, depth))"]
            if kind == _MESSAGE:
                return [f"s = {read}", "s.SetInParent()", f"{src.ref(conv)}(v, s, depth + 1)"]
            if kind == _REPEATED_MESSAGE and self.plans._wkt(mt) is None:
                return [
                    "if type(v) is not list: raise Fail('not an array')",
                    f"add = {read}.add",
                    "for x in v:",
                    f"    {src.message_ref(mt)}(x, add(), depth + 1)",
                ]
            return [f"{src.ref(conv)}(v, {read}, depth + 1)"]  # maps, repeated WKTs
        if mt is not None:
            if mt.full_name == "google.protobuf.Timestamp":
                return [f"TS(v, {read}, depth)"]
            return [f"s = {read}", "s.SetInParent()", f"{src.message_ref(mt)}(v, s, depth + 1)"]
        t = fd.type
        conv = src.ref(self.plans._scalar_conv(fd))
        if t == _T.TYPE_STRING:
            return ["if type(v) is not str: raise Fail('not a string')", assign("v")]
        if t == _T.TYPE_BOOL:
            return ["if v is not True and v is not False: raise Fail('not a bool')", assign("v")]
        if t == _T.TYPE_ENUM:
            names = src.ref({v.name: v.number for v in fd.enum_type.values})
            return [
                f"n = {names}.get(v)",
                f"if n is None: n = {conv}(v, depth)",
                "if n is not SKIP: " + assign("n"),
            ]
        if t in _RANGES:  # upb checks the range on assignment (and raises)
            return [
                "if type(v) is not int:",
                f"    v = int(v) if type(v) is str and v.isdigit() and v.isascii() else {conv}(v, depth)",
                assign("v"),
            ]
        return [assign(f"{conv}(v, depth)")]  # double, float, bytes


_GENERIC_WKT = frozenset(
    f"google.protobuf.{n}" for n in ("Any", "Duration", "FieldMask", "ListValue", "Struct", "Value")
) | frozenset(
    f"google.protobuf.{n}Value"
    for n in ("Bool", "Bytes", "Double", "Float", "Int32", "Int64", "String", "UInt32", "UInt64")
)
"""Singular fields of these types are filled by the plans' converters (Timestamp has a fast path)."""


def _synthetic(oneof: Any) -> bool:
    return len(oneof.fields) == 1 and oneof.name == "_" + oneof.fields[0].name
