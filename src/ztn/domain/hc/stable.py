"""How long what the API reports about a set of checks stays true without any write (spec 3.2-3.3).

The reported status is a step function of ``now``: it can only change at a check's grace start, its
grace end, or the end of an unfinished run (last_start + grace); next_ping does not depend on ``now``.
So anything rendered from unchanged rows at ``now`` holds until the earliest such moment after ``now``.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from ztn.domain.hc.models import UP, Check
from ztn.domain.hc.status import grace_start


def stable_until(checks: Iterable[Check], now: datetime) -> datetime | None:
    """The earliest moment after ``now`` at which any check's reported status (v1 or later) may
    change; None: never, as long as the rows stay as they are."""
    first: datetime | None = None
    for check in checks:
        moments: list[datetime] = []
        grace = timedelta(seconds=check.grace)
        if check.last_start is not None:
            moments.append(check.last_start + grace)
        if check.status == UP:
            start = grace_start(check, with_started=False)
            if start is not None:
                moments += (start, start + grace)
        for moment in moments:
            if moment > now and (first is None or moment < first):
                first = moment
    return first
