"""Request validation from protoc-gen-validate (PGV) annotations, as ZITADEL's validation interceptor does.

Go PGV generates a ``Validate()`` per message; ZITADEL calls it and turns the first violation into
INVALID_ARGUMENT ``invalid <GoMsg>.<GoField>: <reason>`` (no error details). Here the same rules are
read from the descriptors' ``validate.rules`` / ``validate.required`` options and compiled ONCE per
message type into a list of small closures, so a call is a loop over precomputed checks. The order of
checks, the reason texts and the Go names in paths follow PGV's Go templates (templates/goshared).

The middleware knows no service: it only reads the request type's descriptor.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any

import grpc
from google.protobuf import descriptor_pb2
from google.protobuf.descriptor import Descriptor, FieldDescriptor, OneofDescriptor
from google.protobuf.message import Message

from validate import validate_pb2
from ztn.gateway.registry import Handler, MethodInfo

ValueRule = Callable[[Any], str | None]
"""Checks one value (a field value or a repeated item); returns the PGV reason, or None."""
FieldCheck = Callable[[Message], str | None]
"""Checks one field of a message; returns the full ``invalid Msg.Field: reason`` text, or None."""

_WRAPPERS = {
    f"google.protobuf.{n}Value"
    for n in ("Double", "Float", "Int64", "UInt64", "Int32", "UInt32", "Bool", "String", "Bytes")
}
_NUMERIC_RULES = {
    "float", "double", "int32", "int64", "uint32", "uint64", "sint32", "sint64",
    "fixed32", "fixed64", "sfixed32", "sfixed64",
}


# ---------------------------------------------------------------- public API


class ValidationMiddleware:
    """Aborts with INVALID_ARGUMENT when the request violates its PGV rules; a no-op for rule-less types."""

    def wrap(self, method: MethodInfo, handler: Handler) -> Handler:
        checker = _checker_for(method.request_cls.DESCRIPTOR)
        if checker is None:
            return handler

        async def validated(request: Message, context: Any) -> Message:
            violation = checker.run(request)
            if violation is not None:
                await context.abort(grpc.StatusCode.INVALID_ARGUMENT, violation)
            return await handler(request, context)

        return validated


def validate(message: Message) -> str | None:
    """The first violation's message text (Go PGV wording), or None when ``message`` is valid."""
    checker = _checker_for(message.DESCRIPTOR)
    return None if checker is None else checker.run(message)


# ---------------------------------------------------------------- per-message compilation


class _MessageChecker:
    """The compiled rules of one message type, in Go PGV's order: plain fields, oneofs, proto3 optionals."""

    __slots__ = ("checks",)

    def __init__(self) -> None:
        self.checks: list[FieldCheck] = []

    def run(self, message: Message) -> str | None:
        for check in self.checks:
            violation = check(message)
            if violation is not None:
                return violation
        return None


_cache: dict[str, _MessageChecker | None] = {}


def _checker_for(desc: Descriptor) -> _MessageChecker | None:
    """The compiled checker of a message type (None: nothing to check anywhere in its tree)."""
    try:
        return _cache[desc.full_name]
    except KeyError:
        pass
    if desc.file.package == "google.protobuf" or _message_opt(desc, validate_pb2.disabled) or _message_opt(
        desc, validate_pb2.ignored
    ):
        # Go has no Validate() on well-known types; disabled/ignored messages always pass.
        _cache[desc.full_name] = None
        return None
    checker = _MessageChecker()
    # Registered before the fields are compiled so recursive types refer to it (conservatively non-empty).
    _cache[desc.full_name] = checker
    checker.checks = _compile_fields(desc)
    if not checker.checks:
        _cache[desc.full_name] = None
        return None
    return checker


def _message_opt(desc: Descriptor, ext: Any) -> bool:
    opts = desc.GetOptions()
    return opts.HasExtension(ext) and bool(opts.Extensions[ext])


def _compile_fields(desc: Descriptor) -> list[FieldCheck]:
    msg_name = go_message_name(desc)
    proto = descriptor_pb2.DescriptorProto()
    desc.CopyToProto(proto)
    synthetic = {f.name for f in proto.field if f.proto3_optional}

    checks: list[FieldCheck] = []
    for fd in desc.fields:
        if fd.containing_oneof is None:
            check = _field_check(msg_name, fd)
            if check is not None:
                checks.append(check)
    for oneof in desc.oneofs:
        if len(oneof.fields) == 1 and oneof.fields[0].name in synthetic:
            continue
        check = _oneof_check(msg_name, oneof)
        if check is not None:
            checks.append(check)
    for fd in desc.fields:
        if fd.name in synthetic:
            check = _field_check(msg_name, fd)
            if check is not None:
                checks.append(_only_if_set(fd.name, check))
    return checks


def _only_if_set(name: str, check: FieldCheck) -> FieldCheck:
    def run(m: Message) -> str | None:
        return check(m) if m.HasField(name) else None

    return run


def _oneof_check(msg_name: str, oneof: OneofDescriptor) -> FieldCheck | None:
    opts = oneof.GetOptions()
    required = opts.HasExtension(validate_pb2.required) and opts.Extensions[validate_pb2.required]
    members = {fd.name: c for fd in oneof.fields if (c := _field_check(msg_name, fd)) is not None}
    if not required and not members:
        return None
    name = oneof.name
    missing = f"invalid {msg_name}.{go_camel_case(name)}: value is required" if required else None

    def run(m: Message) -> str | None:
        which = m.WhichOneof(name)
        if which is None:
            return missing
        check = members.get(which)
        return None if check is None else check(m)

    return run


def _field_check(msg_name: str, fd: FieldDescriptor) -> FieldCheck | None:
    opts = fd.GetOptions()
    rules = opts.Extensions[validate_pb2.rules] if opts.HasExtension(validate_pb2.rules) else None
    label = f"invalid {msg_name}.{go_camel_case(fd.name)}: "
    name = fd.name

    if _is_map(fd):
        item_rule = _map_rule(fd, rules)
        if item_rule is None:
            return None
        field_name = go_camel_case(fd.name)

        def run_map(m: Message) -> str | None:
            for key, value in getattr(m, name).items():
                reason = item_rule(value)
                if reason is not None:
                    return f"invalid {msg_name}.{field_name}[{_go_str(key)}]: {reason}"
            return None

        return run_map

    if fd.is_repeated:
        return _repeated_check(msg_name, fd, rules)

    if fd.type == FieldDescriptor.TYPE_MESSAGE:
        return _message_field_check(label, fd, rules)

    rule = _scalar_rule(fd, rules)
    if rule is None:
        return None

    def run(m: Message) -> str | None:
        reason = rule(getattr(m, name))
        return None if reason is None else label + reason

    return run


def _is_map(fd: FieldDescriptor) -> bool:
    is_message = fd.type == FieldDescriptor.TYPE_MESSAGE
    return fd.is_repeated and is_message and fd.message_type.GetOptions().map_entry


def _message_field_check(label: str, fd: FieldDescriptor, rules: Any) -> FieldCheck | None:
    """Singular message field: ``required`` first, then the type's own rules (WKT) or recursion."""
    name = fd.name
    kind = rules.WhichOneof("type") if rules is not None else None
    required = rules is not None and rules.message.required
    type_name = fd.message_type.full_name
    if kind is not None and type_name in _WRAPPERS:
        value_rule = _scalar_rule(fd.message_type.fields_by_name["value"], rules)
    elif kind == "duration":
        required = required or rules.duration.required
        value_rule = _duration_rule(rules.duration)
    elif kind == "timestamp":
        required = required or rules.timestamp.required
        value_rule = _timestamp_rule(rules.timestamp)
    elif kind == "any":
        required = required or rules.any.required
        value_rule = _any_rule(rules.any)
    elif rules is not None and rules.message.skip:
        value_rule = None
    else:
        value_rule = _embedded_rule(fd.message_type)
    if value_rule is None and not required:
        return None
    unwrap = type_name in _WRAPPERS and kind is not None

    def run(m: Message) -> str | None:
        if not m.HasField(name):
            return label + "value is required" if required else None
        if value_rule is None:
            return None
        value = getattr(m, name)
        reason = value_rule(value.value if unwrap else value)
        return None if reason is None else label + reason

    return run


def _embedded_rule(desc: Descriptor) -> ValueRule | None:
    checker = _checker_for(desc)
    if checker is None:
        return None

    def run(value: Message) -> str | None:
        cause = checker.run(value)
        return None if cause is None else f"embedded message failed validation | caused by: {cause}"

    return run


def _repeated_check(msg_name: str, fd: FieldDescriptor, rules: Any) -> FieldCheck | None:
    r = rules.repeated if rules is not None and rules.HasField("repeated") else None
    if fd.type == FieldDescriptor.TYPE_MESSAGE:
        items = r.items if r is not None and r.HasField("items") else None
        item_rule = _item_message_rule(fd, items)
    else:
        item_rule = _scalar_rule(fd, r.items) if r is not None and r.HasField("items") else None
    count_rule = _items_count_rule(r) if r is not None else None
    unique = r is not None and r.unique
    ignore_empty = r is not None and r.ignore_empty
    if count_rule is None and item_rule is None and not unique:
        return None
    name = fd.name
    field_name = go_camel_case(fd.name)
    prefix = f"invalid {msg_name}.{field_name}"

    def run(m: Message) -> str | None:
        values = getattr(m, name)
        if ignore_empty and not values:
            return None
        if count_rule is not None:
            reason = count_rule(len(values))
            if reason is not None:
                return f"{prefix}: {reason}"
        seen: set[Any] | None = set() if unique else None
        for idx, item in enumerate(values):
            if seen is not None:
                if item in seen:
                    return f"{prefix}[{idx}]: repeated value must contain unique items"
                seen.add(item)
            if item_rule is not None:
                reason = item_rule(item)
                if reason is not None:
                    return f"{prefix}[{idx}]: {reason}"
        return None

    return run


def _item_message_rule(fd: FieldDescriptor, items: Any) -> ValueRule | None:
    type_name = fd.message_type.full_name
    kind = items.WhichOneof("type") if items is not None else None
    if kind is not None and type_name in _WRAPPERS:
        inner = _scalar_rule(fd.message_type.fields_by_name["value"], items)
        return None if inner is None else lambda v: inner(v.value)
    if kind == "duration":
        return _duration_rule(items.duration)
    if kind == "timestamp":
        return _timestamp_rule(items.timestamp)
    if kind == "any":
        return _any_rule(items.any)
    if items is not None and items.message.skip:
        return None
    return _embedded_rule(fd.message_type)


def _map_rule(fd: FieldDescriptor, rules: Any) -> ValueRule | None:
    # Map key/value rules are rare; like Go PGV we at least recurse into message values.
    value_fd = fd.message_type.fields_by_name["value"]
    if value_fd.type == FieldDescriptor.TYPE_MESSAGE:
        return _embedded_rule(value_fd.message_type)
    return None


def _items_count_rule(r: Any) -> Callable[[int], str | None] | None:
    lo, hi = r.min_items, r.max_items
    if lo:
        if lo == hi:
            return lambda n: None if n == lo else f"value must contain exactly {lo} item(s)"
        if r.HasField("max_items"):
            return lambda n: (
                None if lo <= n <= hi else f"value must contain between {lo} and {hi} items, inclusive"
            )
        return lambda n: None if n >= lo else f"value must contain at least {lo} item(s)"
    if r.HasField("max_items"):
        return lambda n: None if n <= hi else f"value must contain no more than {hi} item(s)"
    return None


# ---------------------------------------------------------------- scalar rules


def _scalar_rule(fd: FieldDescriptor, rules: Any) -> ValueRule | None:
    if rules is None:
        return None
    kind = rules.WhichOneof("type")
    if kind == "string":
        return _chain(_string_rules(rules.string), ignore_empty=rules.string.ignore_empty, empty="")
    if kind == "bytes":
        return _chain(_bytes_rules(rules.bytes), ignore_empty=rules.bytes.ignore_empty, empty=b"")
    if kind == "enum":
        return _chain(_enum_rules(fd, rules.enum))
    if kind in _NUMERIC_RULES:
        r = getattr(rules, kind)
        return _chain(_numeric_rules(r), ignore_empty=r.ignore_empty, empty=0)
    if kind == "bool" and rules.bool.HasField("const"):
        want = rules.bool.const
        return lambda v: None if v == want else f"value must equal {_go_str(want)}"
    return None


def _chain(rules: Sequence[ValueRule], ignore_empty: bool = False, empty: Any = None) -> ValueRule | None:
    rules = tuple(rules)
    if not rules:
        return None
    if len(rules) == 1 and not ignore_empty:
        return rules[0]

    def run(value: Any) -> str | None:
        if ignore_empty and value == empty:
            return None
        for rule in rules:
            reason = rule(value)
            if reason is not None:
                return reason
        return None

    return run


def _const_in_rules(r: Any, show: Callable[[Any], str], with_const: bool = True) -> list[ValueRule]:
    out: list[ValueRule] = []
    if with_const and r.HasField("const"):
        const = r.const
        out.append(lambda v: None if v == const else f"value must equal {show(const)}")
    if len(getattr(r, "in")):
        allowed = frozenset(getattr(r, "in"))
        text = f"value must be in list {_go_list(getattr(r, 'in'), show)}"
        out.append(lambda v: None if v in allowed else text)
    elif len(r.not_in):
        banned = frozenset(r.not_in)
        text = f"value must not be in list {_go_list(r.not_in, show)}"
        out.append(lambda v: text if v in banned else None)
    return out


def _string_rules(r: Any) -> list[ValueRule]:
    out = _const_in_rules(r, str)
    out += _length_rules(r, "len", "min_len", "max_len", "runes", len)
    out += _length_rules(r, "len_bytes", "min_bytes", "max_bytes", "bytes", lambda s: len(s.encode()))
    for attr, test, reason in (
        ("prefix", str.startswith, "value does not have prefix"),
        ("suffix", str.endswith, "value does not have suffix"),
        ("contains", str.__contains__, "value does not contain substring"),
    ):
        if r.HasField(attr):
            part, text = getattr(r, attr), f"{reason} {_go_quote(getattr(r, attr))}"
            out.append(lambda v, p=part, t=text, f=test: None if f(v, p) else t)
    if r.HasField("not_contains"):
        part, text = r.not_contains, f"value contains substring {_go_quote(r.not_contains)}"
        out.append(lambda v: text if part in v else None)
    well_known = r.WhichOneof("well_known")
    if well_known == "email" and r.email:
        out.append(_caused("value must be a valid email address", _email_error))
    elif well_known == "hostname" and r.hostname:
        out.append(_caused("value must be a valid hostname", _hostname_error))
    elif well_known == "uuid" and r.uuid:
        text = "value must be a valid UUID | caused by: invalid uuid format"
        out.append(lambda v: None if _UUID.fullmatch(v) else text)
    if r.HasField("pattern"):
        pattern = re.compile(r.pattern)  # RE2 syntax; the common subset behaves the same in Python
        text = f"value does not match regex pattern {_go_quote(r.pattern)}"
        out.append(lambda v: None if pattern.search(v) else text)
    return out


def _bytes_rules(r: Any) -> list[ValueRule]:
    out = _length_rules(r, "len", "min_len", "max_len", "bytes", len)
    if r.HasField("prefix"):
        out.append(lambda v: None if v.startswith(r.prefix) else f"value does not have prefix {r.prefix!r}")
    return out


def _length_rules(
    r: Any, exact: str, lo_name: str, hi_name: str, unit: str, measure: Callable[[Any], int]
) -> list[ValueRule]:
    """PGV's len / min..max branches, with its exact texts (presence, not value, selects a branch)."""
    has_lo, has_hi = r.HasField(lo_name), r.HasField(hi_name)
    lo, hi = getattr(r, lo_name), getattr(r, hi_name)
    if r.HasField(exact) or (has_lo and has_hi and lo == hi):
        n = getattr(r, exact) if r.HasField(exact) else lo
        return [lambda v: None if measure(v) == n else f"value length must be {n} {unit}"]
    if has_lo and has_hi:
        text = f"value length must be between {lo} and {hi} {unit}, inclusive"
        return [lambda v: None if lo <= measure(v) <= hi else text]
    if has_lo:
        return [lambda v: None if measure(v) >= lo else f"value length must be at least {lo} {unit}"]
    if has_hi:
        return [lambda v: None if measure(v) <= hi else f"value length must be at most {hi} {unit}"]
    return []


def _enum_rules(fd: FieldDescriptor, r: Any) -> list[ValueRule]:
    names = {v.number: v.name for v in reversed(fd.enum_type.values)}  # first name wins for aliases
    out = _const_in_rules(r, lambda n: names.get(n, str(n)))
    if r.defined_only:
        out.append(lambda v: None if v in names else "value must be one of the defined enum values")
    return out


def _numeric_rules(r: Any) -> list[ValueRule]:
    out: list[ValueRule] = []
    if r.HasField("const"):
        const = r.const
        out.append(lambda v: None if v == const else f"value must equal {_go_str(const)}")
    bounds = _bounds_rule(r, lambda x: x, _go_str)
    if bounds is not None:
        out.append(bounds)
    out += _const_in_rules(r, _go_str, with_const=False)
    return out


def _bounds_rule(r: Any, key: Callable[[Any], Any], show: Callable[[Any], str]) -> ValueRule | None:
    """PGV's lt/lte/gt/gte template (templates/goshared/ltgt.go); ``key`` maps rule values to comparables."""
    has = r.HasField
    lt = key(r.lt) if has("lt") else None
    lte = key(r.lte) if has("lte") else None
    gt = key(r.gt) if has("gt") else None
    gte = key(r.gte) if has("gte") else None
    s = {n: show(getattr(r, n)) for n in ("lt", "lte", "gt", "gte") if has(n)}

    def rule(fails: Callable[[Any], bool], text: str) -> ValueRule:
        return lambda v: text if fails(v) else None

    inside, outside = "value must be inside range", "value must be outside range"
    if lt is not None:
        if gt is not None:
            if lt > gt:
                return rule(lambda v: v <= gt or v >= lt, f"{inside} ({s['gt']}, {s['lt']})")
            return rule(lambda v: gt >= v >= lt, f"{outside} [{s['lt']}, {s['gt']}]")
        if gte is not None:
            if lt > gte:
                return rule(lambda v: v < gte or v >= lt, f"{inside} [{s['gte']}, {s['lt']})")
            return rule(lambda v: lt <= v < gte, f"{outside} [{s['lt']}, {s['gte']})")
        return rule(lambda v: v >= lt, f"value must be less than {s['lt']}")
    if lte is not None:
        if gt is not None:
            if lte > gt:
                return rule(lambda v: v <= gt or v > lte, f"{inside} ({s['gt']}, {s['lte']}]")
            return rule(lambda v: lte < v <= gt, f"{outside} ({s['lte']}, {s['gt']}]")
        if gte is not None:
            if lte > gte:
                return rule(lambda v: v < gte or v > lte, f"{inside} [{s['gte']}, {s['lte']}]")
            return rule(lambda v: lte < v < gte, f"{outside} ({s['lte']}, {s['gte']})")
        return rule(lambda v: v > lte, f"value must be less than or equal to {s['lte']}")
    if gt is not None:
        return rule(lambda v: v <= gt, f"value must be greater than {s['gt']}")
    if gte is not None:
        return rule(lambda v: v < gte, f"value must be greater than or equal to {s['gte']}")
    return None


# ---------------------------------------------------------------- well-known message rules


def _nanos(x: Any) -> int:
    return x.seconds * 1_000_000_000 + x.nanos


def _duration_rule(r: Any) -> ValueRule | None:
    rules: list[ValueRule] = []
    if r.HasField("const"):
        const, text = _nanos(r.const), f"value must equal {go_duration(r.const)}"
        rules.append(lambda d: None if d == const else text)
    bounds = _bounds_rule(r, _nanos, go_duration)
    if bounds is not None:
        rules.append(bounds)
    if len(getattr(r, "in")):
        allowed = frozenset(_nanos(d) for d in getattr(r, "in"))
        text = f"value must be in list {_go_list(getattr(r, 'in'), go_duration)}"
        rules.append(lambda d: None if d in allowed else text)
    elif len(r.not_in):
        banned = frozenset(_nanos(d) for d in r.not_in)
        text = f"value must not be in list {_go_list(r.not_in, go_duration)}"
        rules.append(lambda d: text if d in banned else None)
    inner = _chain(rules)
    if inner is None:
        return None
    return lambda d: inner(_nanos(d))


def _timestamp_rule(r: Any) -> ValueRule | None:
    rules: list[ValueRule] = []
    if r.HasField("const"):
        const, text = _nanos(r.const), f"value must equal {go_time(r.const)}"
        rules.append(lambda t: None if t == const else text)
    bounds = _bounds_rule(r, _nanos, go_time)
    if bounds is not None:
        rules.append(bounds)
    within = _nanos(r.within) if r.HasField("within") else None
    within_s = go_duration(r.within) if r.HasField("within") else ""
    if r.lt_now:
        if within is not None:
            rules.append(lambda t: None if 0 <= time.time_ns() - t <= within
                         else f"value must be less than now within {within_s}")
        else:
            rules.append(lambda t: None if t < time.time_ns() else "value must be less than now")
    elif r.gt_now:
        if within is not None:
            rules.append(lambda t: None if 0 <= t - time.time_ns() <= within
                         else f"value must be greater than now within {within_s}")
        else:
            rules.append(lambda t: None if t > time.time_ns() else "value must be greater than now")
    elif within is not None:
        text = f"value must be within {within_s} of now"
        rules.append(lambda t: None if abs(t - time.time_ns()) <= within else text)
    inner = _chain(rules)
    if inner is None:
        return None
    return lambda t: inner(_nanos(t))


def _any_rule(r: Any) -> ValueRule | None:
    if len(getattr(r, "in")):
        allowed = frozenset(getattr(r, "in"))
        text = f"type URL must be in list {_go_list(getattr(r, 'in'), str)}"
        return lambda a: None if a.type_url in allowed else text
    if len(r.not_in):
        banned = frozenset(r.not_in)
        text = f"type URL must not be in list {_go_list(r.not_in, str)}"
        return lambda a: text if a.type_url in banned else None
    return None


# ---------------------------------------------------------------- email / hostname (PGV's known.go)

_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
_ATEXT = re.compile(r"[A-Za-z0-9!#$%&'*+\-/=?^_`{|}~\x80-\U0010ffff]+")


def _caused(reason: str, error: Callable[[str], str | None]) -> ValueRule:
    def run(value: str) -> str | None:
        cause = error(value)
        return None if cause is None else f"{reason} | caused by: {cause}"

    return run


def _hostname_error(host: str) -> str | None:
    s = host.removesuffix(".").lower()
    if len(host.encode()) > 253:
        return "hostname cannot exceed 253 characters"
    for part in s.split("."):
        if not part or len(part.encode()) > 63:
            return "hostname part must be non-empty and cannot exceed 63 characters"
        if part[0] == "-":
            return "hostname parts cannot begin with hyphens"
        if part[-1] == "-":
            return "hostname parts cannot end with hyphens"
        for ch in part:
            if not ("a" <= ch <= "z" or "0" <= ch <= "9" or ch == "-"):
                reason = "hostname parts can only contain alphanumeric characters or hyphens"
                return f"{reason}, got {_go_quote(ch)}"
    return None


def _email_error(addr: str) -> str | None:
    """Go's ``mail.ParseAddress`` (simplified: addr-spec or ``Name <addr-spec>``), then PGV's limits."""
    address, err = _parse_mail_address(addr)
    if err is not None:
        return err
    if len(address.encode()) > 254:
        return "email addresses cannot exceed 254 characters"
    local, _, domain = address.partition("@")
    if len(local.encode()) > 64:
        return "email address local phrase cannot exceed 64 characters"
    return _hostname_error(domain)


def _parse_mail_address(text: str) -> tuple[str, str | None]:
    s = text.strip(" \t")
    if not s:
        return "", "mail: no address"
    if s.endswith(">") and "<" in s:
        s = s[s.rindex("<") + 1 : -1].strip(" \t")
    elif "@" not in s:
        return "", "mail: missing '@' or angle-addr"
    if s.startswith('"'):
        end = s.find('"', 1)
        if end < 0:
            return "", "mail: unclosed quoted-string"
        local, rest = s[: end + 1], s[end + 1 :]
    else:
        local, sep, domain = s.partition("@")
        if not sep:
            return "", "mail: missing @ in addr-spec"
        rest = "@" + domain
        if not local or not all(_ATEXT.fullmatch(atom) for atom in local.split(".")):
            return "", "mail: invalid string" if local else "mail: no address"
    if not rest.startswith("@"):
        return "", "mail: missing @ in addr-spec"
    domain = rest[1:]
    if not domain:
        return "", "mail: no domain in addr-spec"
    if not domain.startswith("[") and not all(_ATEXT.fullmatch(atom) for atom in domain.split(".")):
        return "", "mail: invalid domain"
    return f"{local}@{domain}", None


# ---------------------------------------------------------------- Go naming and formatting


def go_camel_case(name: str) -> str:
    """protoc-gen-go's GoCamelCase: ``instance_name`` -> ``InstanceName``, ``a.b`` -> ``A_B``."""
    out: list[str] = []
    i, n = 0, len(name)
    while i < n:
        c = name[i]
        nxt = name[i + 1] if i + 1 < n else ""
        if c == "." and nxt.islower() and nxt.isascii():
            pass
        elif c == ".":
            out.append("_")
        elif c == "_" and (i == 0 or name[i - 1] == "."):
            out.append("X")
        elif c == "_" and nxt.islower() and nxt.isascii():
            pass
        elif c.isdigit():
            out.append(c)
        else:
            out.append(c.upper() if c.islower() and c.isascii() else c)
            while i + 1 < n and name[i + 1].islower() and name[i + 1].isascii():
                i += 1
                out.append(name[i])
        i += 1
    return "".join(out)


def go_message_name(desc: Descriptor) -> str:
    """The Go type name of a message: nested types joined with ``_`` (``CreateInstanceRequest_Machine``)."""
    package = desc.file.package
    relative = desc.full_name[len(package) + 1 :] if package else desc.full_name
    return go_camel_case(relative)


def _go_str(v: Any) -> str:
    """Go's ``fmt.Sprint`` for scalars."""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float):
        return f"{v:g}".replace("e+0", "e+").replace("e-0", "e-")
    return str(v)


def _go_list(values: Any, show: Callable[[Any], str]) -> str:
    return "[" + " ".join(show(v) for v in values) + "]"


def _go_quote(s: str) -> str:
    """Go's ``%q`` for the common cases (printable text, quotes, backslashes, control characters)."""
    out = ['"']
    for ch in s:
        if ch in '"\\':
            out.append("\\" + ch)
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\t":
            out.append("\\t")
        elif ch.isprintable():
            out.append(ch)
        else:
            code = ord(ch)
            width = "x02" if code < 0x80 else "u04" if code < 0x10000 else "U08"
            out.append(f"\\{width[0]}{code:{width[1:]}x}")
    out.append('"')
    return "".join(out)


def go_duration(d: Any) -> str:
    """Go's ``time.Duration.String()`` of a Duration message (``0s``, ``1.5s``, ``2m0s``, ``500ms``)."""
    total = _nanos(d)
    if total == 0:
        return "0s"
    sign, total = ("-", -total) if total < 0 else ("", total)
    if total < 1_000_000_000:
        for unit, size in (("ms", 1_000_000), ("µs", 1_000), ("ns", 1)):
            if total >= size:
                return sign + _decimal(total, size) + unit
    hours, rem = divmod(total, 3_600_000_000_000)
    minutes, rem = divmod(rem, 60_000_000_000)
    out = _decimal(rem, 1_000_000_000) + "s"
    if hours or minutes:
        out = f"{minutes}m" + out
    if hours:
        out = f"{hours}h" + out
    return sign + out


def _decimal(value: int, unit: int) -> str:
    whole, frac = divmod(value, unit)
    if not frac:
        return str(whole)
    digits = len(str(unit)) - 1
    return f"{whole}.{frac:0{digits}d}".rstrip("0")


def go_time(ts: Any) -> str:
    """Go's ``time.Time.String()`` of a UTC google.protobuf.Timestamp."""
    dt = datetime.fromtimestamp(ts.seconds, tz=UTC)
    frac = f".{ts.nanos:09d}".rstrip("0") if ts.nanos else ""
    return f"{dt:%Y-%m-%d %H:%M:%S}{frac} +0000 UTC"
