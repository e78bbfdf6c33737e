"""Create/update input of a check: strict validation with Healthchecks' messages, and how the fields
are applied (spec §9).

Validation reports only the first error, in the fields' declaration order (the reference validates a
schema whose fields are declared in that order), so ``{"timeout": 59, "grace": 59}`` complains about
grace. Values are never coerced: ``"60"`` and ``60.0`` are not numbers, ``0``/``1`` are not booleans,
``null`` is a type error for every field. The one leniency is the reference's: ``true`` is the
integer 1 for timeout/grace (and so "too small").
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from dataclasses import fields as dc_fields
from enum import Enum
from typing import Any, Literal

from ztn.domain.hc.errors import bad_request, validation_error
from ztn.domain.hc.models import SIMPLE, Channel, Check
from ztn.domain.hc.schedules import schedule_kind, valid_schedule
from ztn.domain.hc.timezones import canonical_tz
from ztn.healthchecks.v3 import healthchecks_pb2

MIN_SECONDS, MAX_SECONDS = 60, 31_536_000
NAME_MAX, SLUG_MAX, SCHEDULE_MAX, KEYWORD_MAX = 100, 100, 100, 200
UNIQUE_FIELDS = ("name", "slug", "tags", "timeout", "grace")
_SLUG = re.compile(r"[a-z0-9_-]*")  # used with fullmatch: a trailing newline does not pass


class _Missing(Enum):
    MISSING = "MISSING"

    def __bool__(self) -> bool:
        return False

    def __repr__(self) -> str:
        return "MISSING"


MISSING = _Missing.MISSING
"""The value of a CheckFields attribute whose key was absent from the request."""
Missing = Literal[_Missing.MISSING]


@dataclass(frozen=True, slots=True)
class CheckFields:
    """The validated writable fields of one create/update request, in declaration order.

    Supports ``"name" in fields`` and ``fields["name"]`` for the present ones (``unique`` counts as
    present when non-empty).
    """

    channels: str | Missing = MISSING
    desc: str | Missing = MISSING
    failure_kw: str | Missing = MISSING
    filter_subject: bool | Missing = MISSING
    filter_body: bool | Missing = MISSING
    filter_http_body: bool | Missing = MISSING
    filter_default_fail: bool | Missing = MISSING
    grace: int | Missing = MISSING
    manual_resume: bool | Missing = MISSING
    methods: str | Missing = MISSING
    name: str | Missing = MISSING
    schedule: str | Missing = MISSING
    slug: str | Missing = MISSING
    start_kw: str | Missing = MISSING
    subject: str | Missing = MISSING
    subject_fail: str | Missing = MISSING
    success_kw: str | Missing = MISSING
    tags: str | Missing = MISSING
    timeout: int | Missing = MISSING
    tz: str | Missing = MISSING  # canonical name
    unique: list[str] = field(default_factory=list)

    def __contains__(self, name: object) -> bool:
        if not isinstance(name, str) or name not in FIELD_NAMES:
            return False
        return bool(self.unique) if name == "unique" else getattr(self, name) is not MISSING

    def __getitem__(self, name: str) -> Any:
        if name not in self:
            raise KeyError(name)
        return getattr(self, name)

    def given(self) -> dict[str, Any]:
        """The present fields, in declaration order."""
        return {name: getattr(self, name) for name in FIELD_NAMES if name in self}


FIELD_NAMES: tuple[str, ...] = tuple(f.name for f in dc_fields(CheckFields))


# --- validators: (field name, raw JSON value) -> stored value, or raise validation_error ---------------

Validator = Callable[[str, Any], Any]


def _string(max_len: int | None = None, pattern: re.Pattern[str] | None = None) -> Validator:
    def check(name: str, value: Any) -> str:
        if not isinstance(value, str):
            raise validation_error(f"{name} is not a string")
        if max_len is not None and len(value) > max_len:
            raise validation_error(f"{name} is too long")
        if pattern is not None and not pattern.fullmatch(value):
            raise validation_error(f"{name} does not match pattern")
        return value

    return check


def _seconds(name: str, value: Any) -> int:
    # bool is an int subclass on purpose here: the reference takes `true` as 1 ("too small").
    # Arbitrary-precision ints compare fine, so 10**30 is "too large" rather than an overflow.
    if not isinstance(value, int):
        raise validation_error(f"{name} is not a number")
    if value < MIN_SECONDS:
        raise validation_error(f"{name} is too small")
    if value > MAX_SECONDS:
        raise validation_error(f"{name} is too large")
    return int(value)


def _boolean(name: str, value: Any) -> bool:
    if not isinstance(value, bool):
        raise validation_error(f"{name} is not a boolean")
    return value


def _methods(name: str, value: Any) -> str:
    if not isinstance(value, str) or value not in ("", "POST"):
        raise validation_error(f"{name} has unexpected value")
    return value


_schedule_text = _string(SCHEDULE_MAX)


def _schedule(name: str, value: Any) -> str:
    _schedule_text(name, value)
    if not valid_schedule(value):
        raise validation_error(f"{name} is not a valid cron or OnCalendar expression")
    return value  # stored verbatim, not normalised


def _tz(name: str, value: Any) -> str:
    if not isinstance(value, str):
        raise validation_error(f"{name} is not a string")
    canonical = canonical_tz(value)
    if canonical is None:
        raise validation_error(f"{name} is not a valid timezone")
    return canonical


def _unique(name: str, value: Any) -> list[str]:
    if not isinstance(value, list):
        raise validation_error(f"{name} is not an array")
    for item in value:
        if not isinstance(item, str) or item not in UNIQUE_FIELDS:
            raise validation_error(f"an item in '{name}' has unexpected value")
    return list(value)


_text = _string()
_keyword = _string(KEYWORD_MAX)

# Declaration order = the order in which the first error is looked for.
VALIDATORS: tuple[tuple[str, Validator], ...] = (
    ("channels", _text),
    ("desc", _text),
    ("failure_kw", _keyword),
    ("filter_subject", _boolean),
    ("filter_body", _boolean),
    ("filter_http_body", _boolean),
    ("filter_default_fail", _boolean),
    ("grace", _seconds),
    ("manual_resume", _boolean),
    ("methods", _methods),
    ("name", _string(NAME_MAX)),
    ("schedule", _schedule),
    ("slug", _string(SLUG_MAX, _SLUG)),
    ("start_kw", _keyword),
    ("subject", _keyword),
    ("subject_fail", _keyword),
    ("success_kw", _keyword),
    ("tags", _text),
    ("timeout", _seconds),
    ("tz", _tz),
    ("unique", _unique),
)


def parse_fields(obj: dict[str, Any]) -> CheckFields:
    """Validate a create/update JSON object; unknown keys (``api_key`` included) are ignored.

    Raises ``errors.validation_error`` with the first error in declaration order.
    """
    values = {name: validate(name, obj[name]) for name, validate in VALIDATORS if name in obj}
    return CheckFields(**values)


def fields_from_proto(msg: healthchecks_pb2.CheckFields) -> dict[str, Any]:
    """A typed gRPC ``CheckFields`` as the JSON-like dict ``parse_fields`` takes: unset optionals
    absent, ``unique`` absent when empty."""
    obj: dict[str, Any] = {}
    for name in FIELD_NAMES:
        if name == "unique":
            if msg.unique:
                obj["unique"] = list(msg.unique)
        elif msg.HasField(name):
            obj[name] = getattr(msg, name)
    return obj


_NOT_SLUG_CHARS = re.compile(r"[^\w\s-]")
_SLUG_SEPARATORS = re.compile(r"[-\s]+")


def slugify(name: str) -> str:
    """Django's slugify (no unicode): fold to ASCII, lowercase, keep only word characters, spaces
    and dashes, turn every run of spaces/dashes into one dash, trim dashes and underscores."""
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    kept = _NOT_SLUG_CHARS.sub("", folded.lower())
    return _SLUG_SEPARATORS.sub("-", kept).strip("-_")


def resolve_channels(spec: str, channels: list[Channel]) -> list[str]:
    """The sorted, distinct channel ids a ``channels`` value designates among the project's channels.

    ``*`` = all, ``""`` = none, else comma-separated items (no trimming), each matching exactly one
    channel by id or by name (both are tried together: a name equal to another channel's id is
    ambiguous). Raises ``errors.bad_request`` with the first bad item.
    """
    if spec == "*":
        return sorted({c.id for c in channels})
    if spec == "":
        return []
    chosen: set[str] = set()
    for item in spec.split(","):
        if item == "":
            raise bad_request("empty channel identifier")
        matches = [c for c in channels if c.id == item or c.name == item]
        if not matches:
            raise bad_request(f"invalid channel identifier: {item}")
        if len(matches) > 1:
            raise bad_request(f"non-unique channel identifier: {item}")
        chosen.add(matches[0].id)
    return sorted(chosen)


def upsert_filter(fields: CheckFields) -> dict[str, Any] | None:
    """The column values an existing check must equal for a create to update it instead (spec 9.4
    step 2); None when there is no lookup (``unique`` empty, or one of its fields absent)."""
    if not fields.unique or any(name not in fields for name in fields.unique):
        return None
    return {name: getattr(fields, name) for name in dict.fromkeys(fields.unique)}


# Stored as given, after name/kind/subject handling (so an explicit slug beats the derived one and an
# explicit filter_subject beats the one implied by subject/subject_fail).
_PLAIN_FIELDS = (
    "slug",
    "tags",
    "desc",
    "manual_resume",
    "methods",
    "tz",
    "start_kw",
    "success_kw",
    "failure_kw",
    "filter_subject",
    "filter_body",
    "filter_http_body",
    "filter_default_fail",
    "grace",
)


def apply_fields(check: Check, fields: CheckFields, version: int) -> None:
    """Store the given fields on ``check`` (spec 9.6). alert_after and channels are the caller's."""
    if fields.name is not MISSING and fields.name != check.name:
        # v1/v2 derive the slug from a *changed* name only (the reference compares first), so
        # resending the same name keeps a slug that was set explicitly.
        check.name = fields.name
        if version < 3:
            check.slug = slugify(fields.name)
    if fields.schedule is not MISSING:  # schedule wins over a timeout in the same request
        check.kind = schedule_kind(fields.schedule)
        check.schedule = fields.schedule
    elif fields.timeout is not MISSING:  # the old schedule (and tz) stay stored, hidden
        check.kind = SIMPLE
        check.timeout = fields.timeout
    # Deprecated aliases: each also switches subject filtering on iff a keyword is left.
    if fields.subject is not MISSING:
        check.success_kw = fields.subject
        check.filter_subject = bool(check.success_kw or check.failure_kw)
    if fields.subject_fail is not MISSING:
        check.failure_kw = fields.subject_fail
        check.filter_subject = bool(check.success_kw or check.failure_kw)
    for name in _PLAIN_FIELDS:
        value = getattr(fields, name)
        if value is not MISSING:
            setattr(check, name, value)
