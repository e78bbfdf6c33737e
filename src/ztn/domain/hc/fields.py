"""Create/update input of a check: strict validation with Healthchecks' messages, and how the fields
are applied (spec §9).

Validation reports only the first error, in the fields' declaration order (the reference validates a
schema whose fields are declared alphabetically), so ``{"timeout": 59, "grace": 59}`` complains about
grace. Values are never coerced: ``"60"`` and ``60.0`` are not numbers, ``0``/``1`` are not booleans,
``null`` is a type error for every field.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from typing import Any

from ztn.domain.hc.errors import bad_request, validation_error
from ztn.domain.hc.models import SIMPLE, Channel, Check
from ztn.domain.hc.schedules import schedule_kind, valid_schedule
from ztn.domain.hc.timezones import canonical_tz

MIN_SECONDS, MAX_SECONDS = 60, 31_536_000
UNIQUE_FIELDS = ("name", "slug", "tags", "timeout", "grace")
_SLUG = re.compile(r"^[a-z0-9_-]*\Z")


def _string(max_len: int | None = None, pattern: re.Pattern[str] | None = None) -> Callable[[str, Any], Any]:
    def check(name: str, value: Any) -> Any:
        if not isinstance(value, str):
            raise validation_error(f"{name} is not a string")
        if max_len is not None and len(value) > max_len:
            raise validation_error(f"{name} is too long")
        if pattern is not None and not pattern.match(value):
            raise validation_error(f"{name} does not match pattern")
        return value

    return check


def _seconds(name: str, value: Any) -> int:
    if not isinstance(value, int):  # bool is an int: `true` counts as 1, as in the reference
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
    if value not in ("", "POST") or not isinstance(value, str):
        raise validation_error("methods has unexpected value")
    return value


def _schedule(name: str, value: Any) -> str:
    _string(100)(name, value)
    if not valid_schedule(value):
        raise validation_error("schedule is not a valid cron or OnCalendar expression")
    return value


def _tz(name: str, value: Any) -> str:
    _string()(name, value)
    canonical = canonical_tz(value)
    if canonical is None:
        raise validation_error("tz is not a valid timezone")
    return canonical


def _unique(name: str, value: Any) -> list[str]:
    if not isinstance(value, list):
        raise validation_error("unique is not an array")
    for item in value:
        if item not in UNIQUE_FIELDS or not isinstance(item, str):
            raise validation_error("an item in 'unique' has unexpected value")
    return list(value)


_KEYWORD = _string(200)
# Declaration (= error reporting) order.
VALIDATORS: tuple[tuple[str, Callable[[str, Any], Any]], ...] = (
    ("channels", _string()),
    ("desc", _string()),
    ("failure_kw", _KEYWORD),
    ("filter_subject", _boolean),
    ("filter_body", _boolean),
    ("filter_http_body", _boolean),
    ("filter_default_fail", _boolean),
    ("grace", _seconds),
    ("manual_resume", _boolean),
    ("methods", _methods),
    ("name", _string(100)),
    ("schedule", _schedule),
    ("slug", _string(100, _SLUG)),
    ("start_kw", _KEYWORD),
    ("subject", _KEYWORD),
    ("subject_fail", _KEYWORD),
    ("success_kw", _KEYWORD),
    ("tags", _string()),
    ("timeout", _seconds),
    ("tz", _tz),
    ("unique", _unique),
)


def parse_fields(obj: dict[str, Any]) -> dict[str, Any]:
    """The present, valid fields (tz canonicalised); unknown keys (``api_key`` included) ignored."""
    fields: dict[str, Any] = {}
    for name, validate in VALIDATORS:
        if name in obj:
            fields[name] = validate(name, obj[name])
    return fields


def fields_from_proto(msg: Any) -> dict[str, Any]:
    """A typed ``CheckFields`` as the JSON-like dict ``parse_fields`` validates (presence kept)."""
    obj: dict[str, Any] = {}
    for name, _ in VALIDATORS:
        if name == "unique":
            if msg.unique:
                obj["unique"] = list(msg.unique)
        elif msg.HasField(name):
            obj[name] = getattr(msg, name)
    return obj


def slugify(value: str) -> str:
    """Django's slugify: ASCII-fold, drop what is not a word character, space or dash, lowercase,
    collapse runs of spaces and dashes into one dash, trim dashes and underscores at the ends."""
    value = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode("ascii")
    value = re.sub(r"[^\w\s-]", "", value.lower())
    return re.sub(r"[-\s]+", "-", value).strip("-_")


def resolve_channels(spec: str, channels: list[Channel]) -> list[str]:
    """``*`` = all, ``""`` = none, else comma-separated UUIDs or names of this project's channels."""
    if spec == "*":
        return sorted({c.id for c in channels})
    if spec == "":
        return []
    chosen: set[str] = set()
    for item in spec.split(","):
        if item == "":
            raise bad_request("empty channel identifier")
        matches = [c for c in channels if c.id == item]
        if not matches:
            matches = [c for c in channels if c.name == item]
        if not matches:
            raise bad_request(f"invalid channel identifier: {item}")
        if len(matches) > 1:
            raise bad_request(f"non-unique channel identifier: {item}")
        chosen.add(matches[0].id)
    return sorted(chosen)


def upsert_filter(fields: dict[str, Any]) -> dict[str, Any] | None:
    """The column values that identify an existing check for ``unique``; None: no lookup."""
    unique = fields.get("unique")
    if not unique or any(name not in fields for name in unique):
        return None
    return {name: fields[name] for name in dict.fromkeys(unique)}


def apply_fields(check: Check, fields: dict[str, Any], version: int) -> None:
    """Store the given fields (spec §9.6). alert_after and channels are the caller's business."""
    if "name" in fields:
        check.name = fields["name"]
        if version < 3:
            check.slug = slugify(check.name)
    if "schedule" in fields:
        check.kind = schedule_kind(fields["schedule"])
        check.schedule = fields["schedule"]
    elif "timeout" in fields:
        check.kind = SIMPLE
        check.timeout = fields["timeout"]
    if "subject" in fields:
        check.success_kw = fields["subject"]
        check.filter_subject = bool(check.success_kw or check.failure_kw)
    if "subject_fail" in fields:
        check.failure_kw = fields["subject_fail"]
        check.filter_subject = bool(check.success_kw or check.failure_kw)
    for name in (
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
    ):
        if name in fields:
            setattr(check, name, fields[name])
