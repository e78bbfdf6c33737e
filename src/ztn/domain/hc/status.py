"""What a check's status is at a given moment (Healthchecks' rules, spec §3.2-3.4).

Only new/up/down/paused are stored; "grace" (and v1's "started") are computed on every read, so the
API can report a check down before the alert worker has marked it.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from ztn.domain.hc.models import DOWN, NEW, PAUSED, SIMPLE, UP, Check
from ztn.domain.hc.schedules import next_fire


def grace_start(check: Check, with_started: bool = True) -> datetime | None:
    """When the check is next expected: from its last ping for a stored "up" check, or its unfinished
    start when that is earlier (unless it is down). None: nothing is expected."""
    result: datetime | None = None
    if check.status == UP and check.last_ping is not None:
        if check.kind == SIMPLE:
            result = check.last_ping + timedelta(seconds=check.timeout)
        else:
            result = next_fire(check.kind, check.schedule, check.tz, check.last_ping)
    if with_started and check.last_start is not None and check.status != DOWN:
        result = check.last_start if result is None else min(result, check.last_start)
    return result


def reported_status(check: Check, now: datetime, v1: bool = False) -> str:
    """new | up | grace | down | paused; v1 reports a running check as "started"."""
    if check.last_start is not None:
        if now >= check.last_start + timedelta(seconds=check.grace):
            return DOWN
        if v1:
            return "started"
    if check.status in (NEW, PAUSED, DOWN):
        return check.status
    start = grace_start(check, with_started=False)
    if start is None:
        return UP
    if now >= start + timedelta(seconds=check.grace):
        return DOWN
    if now >= start:
        return "grace"
    return UP


def next_ping(check: Check) -> datetime | None:
    return grace_start(check, with_started=True)


def compute_alert_after(check: Check) -> datetime | None:
    """The moment the check goes down if nothing arrives (drives the alert worker)."""
    start = grace_start(check, with_started=True)
    return None if start is None else start + timedelta(seconds=check.grace)
