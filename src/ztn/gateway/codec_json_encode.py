"""protobuf -> JSON-able objects, by per-class plans compiled once (see codec_json.py).

Output equals json_format.MessageToDict with the matching options; a plan maps each FieldDescriptor to
(output key, converter) so encoding is one ListFields() walk with a dict lookup per populated field.
"""

from __future__ import annotations

import binascii
import datetime
import keyword
import math
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

from google.protobuf import descriptor_pool, message_factory
from google.protobuf.descriptor import Descriptor, FieldDescriptor
from google.protobuf.internal import type_checkers
from google.protobuf.message import Message

from ztn.gateway.codec_json_errors import JsonCodecError
from ztn.gateway.json_style import JsonStyle

Conv = Callable[[Any], Any]
_T = FieldDescriptor
_INT64 = frozenset({_T.TYPE_INT64, _T.TYPE_UINT64, _T.TYPE_SINT64, _T.TYPE_FIXED64, _T.TYPE_SFIXED64})
_TS_MIN, _TS_MAX = -62135596800, 253402300799  # 0001-01-01T00:00:00Z .. 9999-12-31T23:59:59Z
_WRAPPERS_FILE = "google/protobuf/wrappers.proto"
_TIMESTAMP = "google.protobuf.Timestamp"


def _b64(v: bytes) -> str:
    return binascii.b2a_base64(v, newline=False).decode("ascii")


def _double(v: float) -> Any:
    if math.isfinite(v):
        return v
    return "NaN" if v != v else ("Infinity" if v > 0 else "-Infinity")


def _float32(v: float) -> Any:
    if math.isfinite(v):
        return type_checkers.ToShortestFloat(v)
    return "NaN" if v != v else ("Infinity" if v > 0 else "-Infinity")


_TWO_DIGITS = [f"{i:02d}" for i in range(100)]
_SECONDS_Z = [f"{i:02d}Z" for i in range(60)]
_THREE_DIGITS = [f"{i:03d}" for i in range(1000)]
_THREE_Z = [f"{i:03d}Z" for i in range(1000)]
_SECONDS_DOT = [f"{i:02d}." for i in range(60)]
_HH_MM = [f"{h:02d}:{m:02d}:" for h in range(24) for m in range(60)]  # per minute of the day
_EPOCH_ORDINAL = datetime.date(1970, 1, 1).toordinal()
_DAYS: dict[int, str] = {}
"""Lookup table "YYYY-MM-DDT" per day since the epoch, filled on first use (bounded; a year is 365
entries). Only the date part is tabled: whole timestamps are not memoised."""


def _timestamp(m: Message) -> str:
    # Hot (every object has two): table lookups and one f-string; `//`/`%` beat divmod() calls.
    seconds, nanos = m.seconds, m.nanos
    day = _DAYS.get(seconds // 86400)  # only in-range days are in the table
    if day is None or not 0 <= nanos < 1_000_000_000:
        return _format_timestamp(seconds, nanos)
    rem = seconds % 86400
    if not nanos:
        return day + _HH_MM[rem // 60] + _SECONDS_Z[rem % 60]
    if nanos % 1000:
        return f"{day}{_HH_MM[rem // 60]}{_TWO_DIGITS[rem % 60]}.{nanos:09d}Z"
    micros = nanos // 1000
    if micros % 1000:  # PostgreSQL's precision
        return (
            f"{day}{_HH_MM[rem // 60]}{_SECONDS_DOT[rem % 60]}{_THREE_DIGITS[micros // 1000]}"
            + _THREE_Z[micros % 1000]
        )
    return f"{day}{_HH_MM[rem // 60]}{_SECONDS_DOT[rem % 60]}{_THREE_Z[micros // 1000]}"


def _timestamp_lines(field: str, read: str, target: str) -> list[str]:
    """A Timestamp field with _timestamp's microsecond case (PostgreSQL's precision) inlined for a
    generated encoder. Non-zero nanos prove the field is set, so the common case skips HasField."""
    return [
        f"    t = {read}",
        "    s = t.seconds",
        "    n = t.nanos",
        "    d = DAYS.get(s // 86400)",
        "    if d is not None and 0 < n < 1000000000 and not n % 1000 and n % 1000000:",
        "        r = s % 86400",
        "        u = n // 1000",
        f"        {target} = f'{{d}}{{HHMM[r // 60]}}{{SDOT[r % 60]}}{{T3[u // 1000]}}' + T3Z[u % 1000]",
        f"    elif s or n or hf(m, {field!r}):",
        f"        {target} = TS(t)",
    ]


def _format_timestamp(seconds: int, nanos: int) -> str:
    """The slow path: range checks, and the day's entry in _DAYS on first use."""
    if not (_TS_MIN <= seconds <= _TS_MAX) or not (0 <= nanos < 1_000_000_000):
        raise JsonCodecError(f"timestamp out of range: seconds={seconds} nanos={nanos}")
    days = seconds // 86400
    if len(_DAYS) > 100_000:
        _DAYS.clear()
    _DAYS[days] = datetime.date.fromordinal(days + _EPOCH_ORDINAL).isoformat() + "T"
    return _timestamp(SimpleNamespace(seconds=seconds, nanos=nanos))  # now on the fast path


def _timestamp_iso(m: Message) -> str:
    """``datetime.isoformat()`` of the UTC instant: ``+00:00``, microseconds only when non-zero."""
    seconds, nanos = m.seconds, m.nanos
    if not (_TS_MIN <= seconds <= _TS_MAX) or not (0 <= nanos < 1_000_000_000):
        raise JsonCodecError(f"timestamp out of range: seconds={seconds} nanos={nanos}")
    moment = _EPOCH + datetime.timedelta(seconds=seconds, microseconds=nanos // 1000)
    return moment.isoformat()


_EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)

_TS_NAMES = {
    "DAYS": _DAYS,
    "HHMM": _HH_MM,
    "SDOT": _SECONDS_DOT,
    "T3": _THREE_DIGITS,
    "T3Z": _THREE_Z,
    "TS": _timestamp,
}


def _to_json_string(m: Message) -> str:
    try:
        return m.ToJsonString()
    except ValueError as e:  # Duration out of range, FieldMask path not convertible
        raise JsonCodecError(f"cannot print {m.DESCRIPTOR.full_name}: {e}") from None


def _value(m: Message) -> Any:
    kind = m.WhichOneof("kind")
    if kind is None or kind == "null_value":
        return None
    if kind == "number_value":
        v = m.number_value
        if not math.isfinite(v):
            raise JsonCodecError("google.protobuf.Value cannot hold NaN or Infinity in JSON")
        return v
    if kind == "string_value":
        return m.string_value
    if kind == "bool_value":
        return m.bool_value
    if kind == "struct_value":
        return _struct(m.struct_value)
    return _list_value(m.list_value)


def _struct(m: Message) -> dict[str, Any]:
    return {k: _value(v) for k, v in m.fields.items()}


def _list_value(m: Message) -> list[Any]:
    return [_value(v) for v in m.values]


class Encoder:
    """Encoding plans for one JsonStyle, compiled lazily per message descriptor.

    A plan is a function generated from source (see _Source) that reads each field by attribute:
    upb's ListFields() costs ~0.5-0.7 µs per call, more than reading a handful of fields directly.
    Very wide messages (more fields than WIDE_FIELDS) keep a ListFields() walk, which wins when most
    of many fields are unset.
    """

    WIDE_FIELDS = 32

    def __init__(self, style: JsonStyle) -> None:
        self.style = style
        self._plans: dict[Descriptor, Conv] = {}

    def message_conv(self, desc: Descriptor) -> Conv:
        conv = self._plans.get(desc)
        if conv is None:
            conv = self._compile(desc)
        return conv

    # --- compiling -------------------------------------------------------------------------------
    def _compile(self, desc: Descriptor) -> Conv:
        special = self._wkt(desc)
        if special is not None:
            self._plans[desc] = special
            return special
        wide = len(desc.fields) > self.WIDE_FIELDS and not self.style.declaration_order
        if wide or desc.extension_ranges:
            return self._compile_walk(desc)
        return self._compile_direct(desc)

    def _key(self, fd: FieldDescriptor) -> str:
        return fd.name if self.style.proto_names else fd.json_name

    def _compile_direct(self, desc: Descriptor) -> Conv:
        src = _Source()
        lines = ["def encode(m):", "    out = {}"]
        oneof_vars: dict[str, str] = {}
        for oneof in desc.oneofs:
            if not _is_synthetic(oneof.fields[0]):
                var = oneof_vars[oneof.name] = f"w{len(oneof_vars)}"
                lines.append(f"    {var} = m.WhichOneof({oneof.name!r})")
        in_place = self.style.emit_unpopulated and self.style.declaration_order
        order = desc.fields if self.style.declaration_order else sorted(desc.fields, key=lambda f: f.number)
        iso = self.style.timestamp_format == "isoformat"
        for fd in order:  # ListFields() order unless the style asks for declaration order
            key, read = repr(self._key(fd)), _read(fd.name)
            mt = fd.message_type
            if fd.is_repeated:  # repeated and map fields: print when non-empty
                if mt is not None and mt.GetOptions().map_entry:
                    expr = f"{src.ref(self._field_conv(fd))}(v)"
                else:
                    item = self._item_expr(fd, "x", src)
                    # v[:] copies upb's element wrappers in C, ~2x faster than iterating the container
                    expr = "v[:]" if item == "x" else f"[{item} for x in v[:]]"
                lines += [f"    v = {read}", f"    if v: out[{key}] = {expr}"]
            elif fd.containing_oneof is not None and not _is_synthetic(fd):
                var = oneof_vars[fd.containing_oneof.name]
                expr = self._item_expr(fd, read, src)
                lines.append(f"    if {var} == {fd.name!r}: out[{key}] = {expr}")
            elif fd.has_presence and not iso and mt is not None and mt.full_name == _TIMESTAMP:
                lines += _timestamp_lines(fd.name, read, f"out[{key}]")
            elif fd.has_presence:
                expr = self._item_expr(fd, read, src)
                lines.append(f"    if hf(m, {fd.name!r}): out[{key}] = {expr}")
            else:  # implicit presence: set means non-zero (-0.0 included, as upb sees it)
                test = "v or cs(1.0, v) < 0" if fd.type in (_T.TYPE_DOUBLE, _T.TYPE_FLOAT) else "v"
                lines += [f"    v = {read}", f"    if {test}: out[{key}] = {self._item_expr(fd, 'v', src)}"]
            if in_place:
                default = self._unpopulated_expr(fd, src)
                if default is not None:
                    lines.append(f"    if {key} not in out: out[{key}] = {default}")
        if self.style.emit_unpopulated and not in_place:  # absent fields after present ones, as json_format
            for fd in desc.fields:
                default = self._unpopulated_expr(fd, src)
                if default is not None:
                    key = repr(self._key(fd))
                    lines.append(f"    if {key} not in out: out[{key}] = {default}")
        lines.append("    return out")
        namespace = src.namespace
        namespace.update(hf=message_factory.GetMessageClass(desc).HasField, cs=math.copysign, **_TS_NAMES)
        exec(compile("\n".join(lines), f"<json encode {desc.full_name}>", "exec"), namespace)
        encode: Conv = namespace["encode"]
        # Registered before message converters are resolved so that recursive types find it.
        self._plans[desc] = encode
        src.resolve(self.message_conv)
        return encode

    def _item_expr(self, fd: FieldDescriptor, var: str, src: _Source) -> str:
        """Python expression printing one (non-map) value of fd held in `var`."""
        if fd.message_type is not None:
            return f"{src.message_ref(fd.message_type)}({var})"
        t = fd.type
        if t in _INT64:
            return var if self.style.int64_as_numbers else f"str({var})"
        if t == _T.TYPE_ENUM:
            if fd.enum_type.full_name == "google.protobuf.NullValue":
                return "None"
            if self.style.enums_as_ints:
                return var
            return f"{src.ref({v.number: v.name for v in fd.enum_type.values})}.get({var}, {var})"
        conv = self._scalar_conv(fd)
        return var if conv is None else f"{src.ref(conv)}({var})"

    def _unpopulated_expr(self, fd: FieldDescriptor, src: _Source) -> str | None:
        default = self._unpopulated(fd)
        if default is None:
            return None
        if default is dict or default is list:
            return "{}" if default is dict else "[]"
        return src.ref(default())  # immutable zero values and None

    def _compile_walk(self, desc: Descriptor) -> Conv:
        fields: dict[FieldDescriptor, tuple[str, Conv | None]] = {}
        defaults: list[tuple[str, Callable[[], Any]]] = []

        def encode(msg: Message) -> dict[str, Any]:
            out: dict[str, Any] = {}
            for fd, v in msg.ListFields():
                key, conv = fields[fd]
                out[key] = v if conv is None else conv(v)
            if defaults:
                for key, default in defaults:
                    if key not in out:
                        out[key] = default()
            return out

        # Registered before the fields are compiled so that recursive message types find it.
        self._plans[desc] = encode
        for fd in desc.fields:
            key = self._key(fd)
            fields[fd] = (key, self._field_conv(fd))
            if self.style.emit_unpopulated:
                default = self._unpopulated(fd)
                if default is not None:
                    defaults.append((key, default))
        return encode

    def _unpopulated(self, fd: FieldDescriptor) -> Callable[[], Any] | None:
        """What an absent field prints as with emit_unpopulated (None: stays omitted)."""
        if fd.message_type is not None and fd.message_type.GetOptions().map_entry:
            return dict
        if fd.is_repeated:
            return list
        if fd.has_presence:
            if self.style.omit_unset_optionals and fd.message_type is None:
                return None
            real_oneof = fd.containing_oneof is not None and not _is_synthetic(fd)
            is_null = self.style.null_unset_messages and not real_oneof
            return (lambda: None) if is_null else None
        conv = self._scalar_conv(fd)
        zero = fd.default_value if conv is None else conv(fd.default_value)
        return lambda: zero

    def _field_conv(self, fd: FieldDescriptor) -> Conv | None:
        mt = fd.message_type
        if mt is not None and mt.GetOptions().map_entry:
            key_fd, val_fd = mt.fields_by_name["key"], mt.fields_by_name["value"]
            vconv = self._single_conv(val_fd)
            if key_fd.type == _T.TYPE_BOOL:
                if vconv is None:
                    return lambda m: {("true" if k else "false"): v for k, v in m.items()}
                return lambda m: {("true" if k else "false"): vconv(v) for k, v in m.items()}
            if key_fd.type == _T.TYPE_STRING:
                if vconv is None:
                    return dict
                return lambda m: {k: vconv(v) for k, v in m.items()}
            if vconv is None:
                return lambda m: {str(k): v for k, v in m.items()}
            return lambda m: {str(k): vconv(v) for k, v in m.items()}
        conv = self._single_conv(fd)
        if fd.is_repeated:
            if conv is None:
                return list
            return lambda r: list(map(conv, r))
        return conv

    def _single_conv(self, fd: FieldDescriptor) -> Conv | None:
        if fd.message_type is None:
            return self._scalar_conv(fd)
        return self.message_conv(fd.message_type)

    def _scalar_conv(self, fd: FieldDescriptor) -> Conv | None:
        t = fd.type
        if t in _INT64:
            return None if self.style.int64_as_numbers else str
        if t == _T.TYPE_DOUBLE:
            return _double
        if t == _T.TYPE_FLOAT:
            return _float32
        if t == _T.TYPE_BYTES:
            return _b64
        if t == _T.TYPE_ENUM:
            if fd.enum_type.full_name == "google.protobuf.NullValue":
                return lambda v: None
            if self.style.enums_as_ints:
                return None
            names = {v.number: v.name for v in fd.enum_type.values}
            return lambda v: names.get(v, v)
        return None  # int32 kinds, bool, string print as they are

    def _wkt(self, desc: Descriptor) -> Conv | None:
        name = desc.full_name
        if desc.file.name == _WRAPPERS_FILE:
            conv = self._scalar_conv(desc.fields_by_name["value"])
            if conv is None:
                return lambda m: m.value
            return lambda m: conv(m.value)
        if name == "google.protobuf.Timestamp":
            return _timestamp_iso if self.style.timestamp_format == "isoformat" else _timestamp
        if name in ("google.protobuf.Duration", "google.protobuf.FieldMask"):
            return _to_json_string
        if name == "google.protobuf.Value":
            return _value
        if name == "google.protobuf.Struct":
            return _struct
        if name == "google.protobuf.ListValue":
            return _list_value
        if name == "google.protobuf.Any":
            return self._any
        return None

    def _any(self, m: Message) -> dict[str, Any]:
        if not m.ListFields():
            return {}
        type_url = m.type_url
        cls = resolve_any(type_url)
        inner = cls()
        try:
            inner.ParseFromString(m.value)
        except Exception:  # upb raises DecodeError (not a ValueError)
            raise JsonCodecError(f"cannot decode Any of type {type_url!r}") from None
        desc = inner.DESCRIPTOR
        js = self.message_conv(desc)(inner)
        if desc.file.name == _WRAPPERS_FILE or desc.full_name in WKT_NAMES:
            return {"@type": type_url, "value": js}
        return {"@type": type_url, **js}


class _Source:
    """Names that a generated encoder refers to: constants/helpers, and message converters that are
    bound only after the encoder itself is registered (recursive types refer to themselves)."""

    def __init__(self) -> None:
        self.namespace: dict[str, Any] = {}
        self._pending: dict[str, Descriptor] = {}

    def ref(self, obj: Any) -> str:
        name = f"r{len(self.namespace)}"
        self.namespace[name] = obj
        return name

    def message_ref(self, desc: Descriptor) -> str:
        for name, pending in self._pending.items():
            if pending is desc:
                return name
        name = f"c{len(self._pending)}"
        self._pending[name] = desc
        return name

    def resolve(self, message_conv: Callable[[Descriptor], Conv]) -> None:
        for name, desc in self._pending.items():
            self.namespace[name] = message_conv(desc)


def _read(name: str) -> str:
    """Source reading field `name` of message `m` (a field may be named like a Python keyword)."""
    return f"getattr(m, {name!r})" if keyword.iskeyword(name) else f"m.{name}"


WKT_NAMES = frozenset(
    f"google.protobuf.{n}"
    for n in ("Any", "Duration", "FieldMask", "ListValue", "Struct", "Timestamp", "Value")
)


def _is_synthetic(fd: FieldDescriptor) -> bool:
    oneof = fd.containing_oneof
    return oneof is not None and len(oneof.fields) == 1 and oneof.name == "_" + fd.name


def resolve_any(type_url: str) -> type[Message]:
    """The message class an Any's type URL names, from the default descriptor pool."""
    if not isinstance(type_url, str) or "/" not in type_url:
        raise JsonCodecError(f"invalid Any type URL {type_url!r}")
    try:
        desc = descriptor_pool.Default().FindMessageTypeByName(type_url.rsplit("/", 1)[1])
    except KeyError:
        raise JsonCodecError(f"unknown Any type {type_url!r}") from None
    return message_factory.GetMessageClass(desc)
