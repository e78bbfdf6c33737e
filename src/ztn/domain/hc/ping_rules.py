"""How a ping request is read (spec §4.1, §4.4, §4.5 steps 1-4, §5.1 durations)."""

from __future__ import annotations

import ipaddress
import uuid
from datetime import timedelta

from ztn.domain.hc.models import Check, Ping

MAX_DURATION = timedelta(hours=72)
MAX_UNMATCHED = 10


class InvalidRid(ValueError):
    pass


class InvalidUrl(ValueError):
    pass


def parse_rid(raw: str | None) -> str | None:
    """``rid``: a canonical 36-character UUID in any case, stored lowercase."""
    if raw is None:
        return None
    if len(raw) != 36:
        raise InvalidRid(raw)
    try:
        value = uuid.UUID(raw)
    except ValueError:
        raise InvalidRid(raw) from None
    if str(value) != raw.lower():
        raise InvalidRid(raw)
    return str(value)


def parse_exit_status(segment: str) -> int | None:
    """The ``/<0-255>`` URL segment; None when the segment is not a number (a slug route then)."""
    if not segment.isascii() or not segment.isdigit():
        return None
    value = int(segment)
    if value > 255:
        raise InvalidUrl(segment)
    return value


def client_address(x_forwarded_for: str | None, peer: str | None) -> str | None:
    """The first X-Forwarded-For element (trusted as the reference does), else the socket address; an
    ``a.b.c.d:port`` form loses its port."""
    value = x_forwarded_for.split(",")[0].strip() if x_forwarded_for is not None else peer
    if not value:
        return peer or None
    try:
        ipaddress.ip_address(value)
    except ValueError:
        parts = value.split(".")
        if len(parts) == 4 and ":" in parts[3]:
            value = value.rsplit(":", 1)[0]
    return value


def _keywords(spec: str) -> list[str]:
    return [k.strip() for k in spec.split(",") if k.strip()]


def resolve_action(check: Check, action: str, method: str, body: bytes) -> str:
    """The action a ping stands for once the check's method and keyword filters have spoken."""
    if check.methods == "POST" and method != "POST":
        return "ign"
    if check.filter_http_body:
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            text = None  # the reference fails with a 500 here; an undecodable body matches nothing
        if text is not None:
            if any(k in text for k in _keywords(check.failure_kw)):
                return "fail"
            if any(k in text for k in _keywords(check.success_kw)):
                return "success"
            if any(k in text for k in _keywords(check.start_kw)):
                return "start"
        return "fail" if check.filter_default_fail else "ign"
    return action


def ping_durations(pings: list[Ping]) -> list[float | None]:
    """Run durations for pings given oldest first: a success/fail gets the time since the start with
    the same rid (within 72 hours); too many unmatched ends in the window drop all durations."""
    starts: dict[str | None, object] = {}
    out: list[float | None] = []
    unmatched = 0
    oldest = pings[0].created if pings else None
    for ping in pings:
        duration = None
        if ping.kind == "start":
            starts[ping.rid] = ping.created
        elif ping.kind in ("success", "fail"):
            started = starts.pop(ping.rid, None)
            if started is not None and ping.created - started < MAX_DURATION:  # type: ignore[operator]
                duration = round((ping.created - started).total_seconds(), 2)  # type: ignore[operator]
            elif oldest is not None and ping.created - oldest < MAX_DURATION:
                unmatched += 1
        out.append(duration)
    if unmatched > MAX_UNMATCHED:
        return [None] * len(out)
    return out
