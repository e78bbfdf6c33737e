"""The ``start`` / ``end`` / ``seconds`` filters of the flips list (spec §6): bad values are a 400
with an empty body."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from ztn.domain.hc.errors import bad_filter

MAX_TIMESTAMP = 10_000_000_000
MAX_SECONDS = 31_536_000


def _integer(name: str, raw: str, maximum: int) -> int:
    if not raw.isascii() or not raw.isdigit():
        raise bad_filter(f"{name} must be a non-negative integer")
    value = int(raw)
    if value > maximum:
        raise bad_filter(f"{name} must be at most {maximum}")
    return value


def flip_window(
    start: str | None, end: str | None, seconds: str | None, now: datetime
) -> tuple[datetime | None, datetime | None]:
    """(since inclusive, until exclusive); ``seconds`` empty or 0 means no filter."""
    since: datetime | None = None
    until: datetime | None = None
    if start is not None:
        value = _integer("start", start, MAX_TIMESTAMP)
        if value:
            since = datetime.fromtimestamp(value, UTC)
    if end is not None:
        value = _integer("end", end, MAX_TIMESTAMP)
        if value:
            until = datetime.fromtimestamp(value, UTC)
    if seconds:
        value = _integer("seconds", seconds, MAX_SECONDS)
        if value:
            threshold = now - timedelta(seconds=value)
            since = threshold if since is None else max(since, threshold)
    return since, until
