"""How pings, pauses and resumes change a check (spec §3.5-3.6, §4.5-4.6).

Each function mutates the check in place and returns the flip to record (or None). They run inside
the store's write transaction, so they must stay pure: no I/O, ``now`` given by the caller.
"""

from __future__ import annotations

from datetime import datetime

from ztn.domain.hc.models import DOWN, NEW, PAUSED, UP, Check, Flip, PingInput
from ztn.domain.hc.status import compute_alert_after

PRUNE_EVERY = 100


def apply_ping(check: Check, action: str, ping: PingInput) -> tuple[str, Flip | None]:
    """Record one ping on the check; returns the kind it is stored as and the flip, if any."""
    now = ping.now
    if check.status == PAUSED and check.manual_resume:
        action = "ign"
    flip: Flip | None = None
    if action == "start":
        check.last_start = now
        check.last_start_rid = ping.rid
    elif action in ("success", "fail"):
        check.last_ping = now
        check.last_duration = None
        if check.last_start is not None:
            if check.last_start_rid == ping.rid:
                check.last_duration = (now - check.last_start).total_seconds()
                check.last_start = None
                check.last_start_rid = None
            elif action == "fail" or ping.rid is None:
                check.last_start = None
                check.last_start_rid = None
        new_status = DOWN if action == "fail" else UP
        if check.status != new_status:
            reason = "fail" if action == "fail" else ""
            flip = Flip(check.id, now, check.status, new_status, reason)
            check.status = new_status
    check.n_pings += 1
    check.alert_after = compute_alert_after(check)
    return action, flip


def pause(check: Check, now: datetime) -> Flip | None:
    """None when already paused (nothing changes). The flip is born processed: no notification."""
    if check.status == PAUSED:
        return None
    flip = Flip(check.id, now, check.status, PAUSED, processed=now)
    check.status = PAUSED
    check.last_start = None
    check.last_start_rid = None
    check.alert_after = None
    return flip


def resume(check: Check, now: datetime) -> Flip:
    """Only for a paused check (the caller answers 409 otherwise); n_pings is kept."""
    flip = Flip(check.id, now, check.status, NEW, processed=now)
    check.status = NEW
    check.last_start = None
    check.last_start_rid = None
    check.last_ping = None
    check.alert_after = None
    return flip


def needs_prune(n_pings: int) -> bool:
    return n_pings % PRUNE_EVERY == 0
