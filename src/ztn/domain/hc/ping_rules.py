"""How a ping request is read (spec §4.1, §4.4, §4.5 steps 1-4, §5.1 durations)."""

from __future__ import annotations

import ipaddress
import uuid
from datetime import datetime, timedelta

from ztn.domain.hc.models import Check, Ping

MAX_DURATION = timedelta(hours=72)
MAX_MISSES = 10  # more unexplained run ends than this: durations are not shown at all


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


def ping_durations(pings_oldest_first: list[Ping]) -> list[float | None]:
    """Run durations (seconds, 2 decimals) for a window of pings, aligned with the input.

    A start opens a run under its rid (None is a rid too); the next success/fail with that rid closes
    it and gets a duration if the run took less than 72 hours. An end whose rid has not been seen
    in the window may belong to a run started before the window: it gets no duration, and when more
    than 10 such ends are near the window's start (within 72 h of its oldest ping), the window
    cannot tell runs apart and all durations are dropped. log and ign pings are transparent.
    """
    open_runs: dict[str | None, datetime | None] = {}  # rid -> start of its open run, None: closed
    out: list[float | None] = []
    misses = 0
    oldest = pings_oldest_first[0].created if pings_oldest_first else None
    for ping in pings_oldest_first:
        duration = None
        if ping.kind == "start":
            open_runs[ping.rid] = ping.created
        elif ping.kind in ("success", "fail"):
            if ping.rid not in open_runs:
                if oldest is not None and ping.created - oldest < MAX_DURATION:
                    misses += 1
            else:
                started = open_runs[ping.rid]
                if started is not None and ping.created - started < MAX_DURATION:
                    duration = round((ping.created - started).total_seconds(), 2)
            open_runs[ping.rid] = None
        out.append(duration)
    if misses > MAX_MISSES:
        return [None] * len(out)
    return out
