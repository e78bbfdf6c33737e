"""The ``start`` / ``end`` / ``seconds`` filters of the flips list (spec §6): a bad value is a 400 with
an empty body.

Values are read as the reference's form fields read them: an integer as Python's ``int()`` parses it
(surrounding blanks and a sign are fine), ``seconds`` may also carry a ".0" tail and may be empty.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from ztn.domain.hc.errors import bad_filter

MAX_TIMESTAMP = 10_000_000_000  # year 2286: a sanity bound
MAX_SECONDS = 31_536_000  # one year
_ZERO_DECIMALS = re.compile(r"\.0*\s*\Z")


def _integer(name: str, raw: str, maximum: int) -> int:
    try:
        value = int(raw)
    except ValueError:
        raise bad_filter(f"{name} must be an integer") from None
    if not 0 <= value <= maximum:
        raise bad_filter(f"{name} must be between 0 and {maximum}")
    return value


def _timestamp(name: str, raw: str) -> datetime:
    return datetime.fromtimestamp(_integer(name, raw, MAX_TIMESTAMP), UTC)


def flip_window(
    start: str | None, end: str | None, seconds: str | None, now: datetime
) -> tuple[datetime | None, datetime | None]:
    """(since inclusive, until exclusive), None meaning unbounded. An empty ``start``/``end`` is an
    error; ``seconds`` empty or 0 means no filter; ``start`` and ``seconds`` together: the later bound."""
    since = _timestamp("start", start) if start is not None else None
    until = _timestamp("end", end) if end is not None else None
    if seconds:
        value = _integer("seconds", _ZERO_DECIMALS.sub("", seconds), MAX_SECONDS)
        if value:
            threshold = now - timedelta(seconds=value)
            since = threshold if since is None else max(since, threshold)
    return since, until
