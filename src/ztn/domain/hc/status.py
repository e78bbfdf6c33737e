"""What a check's status is at a given moment (spec 3.2-3.4).

Only new/up/down/paused are stored; "grace" (and v1's "started") are computed on every read, so the
API can report a check down before the alert worker has marked it.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from ztn.domain.hc.models import DOWN, NEW, PAUSED, SIMPLE, UP, Check
from ztn.domain.hc.schedules import next_fire

GRACE = "grace"
STARTED = "started"  # v1 only


def _expected(check: Check) -> datetime | None:
    """The next expected ping of a stored "up" check (spec 3.2 step 3); None otherwise, or never."""
    if check.status != UP or check.last_ping is None:
        return None
    if check.kind == SIMPLE:
        return check.last_ping + timedelta(seconds=check.timeout)
    return next_fire(check.kind, check.schedule, check.tz, check.last_ping)


def grace_start(check: Check, with_started: bool = True) -> datetime | None:
    """When the grace period starts: the next expected ping, or an unfinished start when that is
    earlier (unless the check is down). None: nothing is expected."""
    result = _expected(check)
    last_start = check.last_start
    if with_started and last_start is not None and check.status != DOWN:
        return last_start if result is None or last_start < result else result
    return result


def reported_status(check: Check, now: datetime, v1: bool = False) -> str:
    """new | up | grace | down | paused; v1 reports a running, unexpired check as "started"."""
    if check.last_start is not None:
        if now >= check.last_start + timedelta(seconds=check.grace):
            return DOWN
        if v1:
            return STARTED
    if check.status in (NEW, PAUSED, DOWN):
        return check.status
    start = _expected(check)
    if start is None:  # the schedule never fires again: up forever
        return UP
    if now >= start + timedelta(seconds=check.grace):
        return DOWN
    return GRACE if now >= start else UP


def next_ping(check: Check) -> datetime | None:
    """The API's next_ping (spec 3.3): the grace start, "started" taken into account."""
    return grace_start(check, with_started=True)


def compute_alert_after(check: Check) -> datetime | None:
    """The moment the check goes down if nothing arrives (spec 3.4); drives the alert worker."""
    start = grace_start(check, with_started=True)
    return None if start is None else start + timedelta(seconds=check.grace)
