"""How pings, pauses and resumes change a check (spec 3.5-3.6, 4.5 step 5, 4.6).

Each function mutates the check in place and returns the flip to record (or None). They run inside
the store's write transaction, so they stay pure: no I/O, the time comes from the caller.
"""

from __future__ import annotations

from datetime import datetime

from ztn.domain.hc.models import DOWN, NEW, PAUSED, UP, Check, Flip, PingInput
from ztn.domain.hc.status import compute_alert_after

START, SUCCESS, FAIL, LOG, IGN = "start", "success", "fail", "log", "ign"
PRUNE_EVERY = 100


def apply_ping(check: Check, action: str, ping: PingInput) -> tuple[str, Flip | None]:
    """Record one ping whose action is already resolved (D3); returns the kind to store it as and
    the flip to insert, if any."""
    now = ping.now
    if check.status == PAUSED and check.manual_resume:
        action = IGN  # whatever it was: a manually resumed check ignores pings while paused
    flip: Flip | None = None
    if action == START:
        check.last_start = now
        check.last_start_rid = ping.rid
    elif action == SUCCESS or action == FAIL:
        check.last_ping = now
        check.last_duration = None
        if check.last_start is not None:
            if check.last_start_rid == ping.rid:  # both None counts as a match
                check.last_duration = (now - check.last_start).total_seconds()
                check.last_start = check.last_start_rid = None
            elif action == FAIL or ping.rid is None:
                check.last_start = check.last_start_rid = None
            # else: a success of another run; the started one is still running
        new_status = DOWN if action == FAIL else UP
        if check.status != new_status:
            flip = Flip(check.id, now, check.status, new_status, FAIL if action == FAIL else "")
            check.status = new_status
    # log and ign change nothing but the counters
    check.n_pings += 1
    check.alert_after = compute_alert_after(check)
    return action, flip


def pause(check: Check, now: datetime) -> Flip | None:
    """None when already paused (nothing changes). The flip is born processed: no notification."""
    if check.status == PAUSED:
        return None
    flip = Flip(check.id, now, check.status, PAUSED, processed=now)
    check.status = PAUSED
    check.last_start = check.last_start_rid = None
    check.alert_after = None
    return flip


def resume(check: Check, now: datetime) -> Flip:
    """Only for a paused check (the caller answers 409 otherwise); n_pings is kept."""
    flip = Flip(check.id, now, check.status, NEW, processed=now)
    check.status = NEW
    check.last_start = check.last_start_rid = None
    check.last_ping = None
    check.alert_after = None
    return flip


def needs_prune(n_pings: int) -> bool:
    """Every 100th ping of a check prunes its old pings and flips."""
    return n_pings > 0 and n_pings % PRUNE_EVERY == 0
