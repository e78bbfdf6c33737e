"""Effects of pings, pause and resume on a check (spec 3.5, 3.6, 3.8, 4.5 step 5, 4.6)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from ztn.domain.hc.models import CRON, DOWN, NEW, PAUSED, UP, Check, Flip, PingInput
from ztn.domain.hc.transitions import apply_ping, needs_prune, pause, resume

T0 = datetime(2024, 5, 6, 8, 55, 12, 250000, tzinfo=UTC)
SEC = timedelta(seconds=1)


def check(**fields: Any) -> Check:
    base: dict[str, Any] = {"id": 7, "code": "c0de", "project_id": "p", "timeout": 300, "grace": 60}
    base.update(fields)
    return Check(**base)


def ping(c: Check, action: str, at: datetime, rid: str | None = None) -> tuple[str, Flip | None]:
    return apply_ping(c, action, PingInput(action=action, now=at, rid=rid))


# -- success / fail ------------------------------------------------------------------------------------


def test_first_success_flips_new_to_up() -> None:
    c = check()
    kind, flip = ping(c, "success", T0)
    assert kind == "success"
    assert flip == Flip(7, T0, NEW, UP, "")
    assert flip.processed is None  # to be notified
    assert (c.status, c.last_ping, c.n_pings, c.last_duration) == (UP, T0, 1, None)
    assert c.alert_after == T0 + 360 * SEC

    kind, flip = ping(c, "success", T0 + 10 * SEC)
    assert (kind, flip) == ("success", None)
    assert (c.n_pings, c.last_ping, c.alert_after) == (2, T0 + 10 * SEC, T0 + 370 * SEC)


def test_fail_flips_to_down_with_reason() -> None:
    c = check(status=UP, last_ping=T0, n_pings=5)
    kind, flip = ping(c, "fail", T0 + SEC)
    assert kind == "fail"
    assert flip == Flip(7, T0 + SEC, UP, DOWN, "fail")
    assert (c.status, c.last_ping, c.n_pings, c.alert_after) == (DOWN, T0 + SEC, 6, None)
    # already down: no second flip
    assert ping(c, "fail", T0 + 2 * SEC) == ("fail", None)
    # and a success brings it back up
    _, flip = ping(c, "success", T0 + 3 * SEC)
    assert flip == Flip(7, T0 + 3 * SEC, DOWN, UP, "")
    assert c.status == UP


def test_cron_alert_after_follows_the_schedule() -> None:
    c = check(kind=CRON, schedule="0 0 * * *", tz="Asia/Tokyo", grace=3600)
    ping(c, "success", T0)
    assert c.alert_after == datetime(2024, 5, 6, 16, tzinfo=UTC)


# -- start and durations -------------------------------------------------------------------------------


def test_start_sets_last_start_only() -> None:
    c = check(status=UP, last_ping=T0, last_duration=12.0)
    started = T0 + 5 * SEC
    kind, flip = ping(c, "start", started, rid="r1")
    assert (kind, flip) == ("start", None)
    assert (c.last_start, c.last_start_rid, c.status, c.last_ping, c.last_duration) == (
        started,
        "r1",
        UP,
        T0,
        12.0,
    )
    assert c.n_pings == 1
    assert c.alert_after == started + 60 * SEC  # the start is earlier than the ping deadline


def test_start_on_new_check_keeps_it_new() -> None:
    c = check()
    assert ping(c, "start", T0) == ("start", None)
    assert c.status == NEW
    assert c.alert_after == T0 + 60 * SEC


def test_matching_rids_give_a_duration() -> None:
    for rid in (None, "r1"):
        c = check(status=UP)
        ping(c, "start", T0, rid=rid)
        ping(c, "success", T0 + timedelta(seconds=2.5), rid=rid)
        assert c.last_duration == 2.5
        assert c.last_start is None and c.last_start_rid is None


def test_fail_with_matching_rid_gives_a_duration_too() -> None:
    c = check(status=UP)
    ping(c, "start", T0, rid="r1")
    _, flip = ping(c, "fail", T0 + 3 * SEC, rid="r1")
    assert c.last_duration == 3.0 and c.last_start is None
    assert flip is not None and flip.reason == "fail"


def test_success_of_another_run_keeps_the_start() -> None:
    c = check(status=UP)
    ping(c, "start", T0, rid="r1")
    ping(c, "success", T0 + SEC, rid="r2")
    assert (c.last_start, c.last_start_rid, c.last_duration, c.last_ping) == (T0, "r1", None, T0 + SEC)
    # a start without rid, then a success with one: also another run
    c = check(status=UP)
    ping(c, "start", T0)
    ping(c, "success", T0 + SEC, rid="r2")
    assert c.last_start == T0


@pytest.mark.parametrize(("action", "rid"), [("success", None), ("fail", None), ("fail", "r2")])
def test_mismatch_clears_the_start_without_duration(action: str, rid: str | None) -> None:
    c = check(status=UP, last_duration=9.0)
    ping(c, "start", T0, rid="r1")
    ping(c, action, T0 + SEC, rid=rid)
    assert (c.last_start, c.last_start_rid, c.last_duration, c.last_ping) == (None, None, None, T0 + SEC)


def test_success_without_start_clears_the_previous_duration() -> None:
    c = check(status=UP, last_ping=T0, last_duration=4.0)
    ping(c, "success", T0 + SEC)
    assert c.last_duration is None


# -- log / ign / paused ------------------------------------------------------------------------------


@pytest.mark.parametrize("action", ["log", "ign"])
def test_log_and_ign_only_count(action: str) -> None:
    c = check(status=UP, last_ping=T0, last_start=T0 + SEC, last_start_rid="r", n_pings=3)
    kind, flip = ping(c, action, T0 + 2 * SEC)
    assert (kind, flip) == (action, None)
    assert (c.status, c.last_ping, c.last_start, c.n_pings) == (UP, T0, T0 + SEC, 4)
    assert c.alert_after == T0 + 61 * SEC


@pytest.mark.parametrize("action", ["success", "fail", "start", "log"])
def test_paused_with_manual_resume_ignores_everything(action: str) -> None:
    c = check(status=PAUSED, manual_resume=True, last_ping=T0, n_pings=2)
    kind, flip = ping(c, action, T0 + SEC, rid="r")
    assert (kind, flip) == ("ign", None)
    assert (c.status, c.last_ping, c.last_start, c.n_pings, c.alert_after) == (PAUSED, T0, None, 3, None)


def test_success_unpauses() -> None:
    c = check(status=PAUSED, last_ping=T0)
    kind, flip = ping(c, "success", T0 + SEC)
    assert kind == "success"
    assert flip == Flip(7, T0 + SEC, PAUSED, UP, "")
    assert c.status == UP


def test_fail_on_paused_goes_down() -> None:
    c = check(status=PAUSED)
    _, flip = ping(c, "fail", T0)
    assert flip == Flip(7, T0, PAUSED, DOWN, "fail")


def test_start_on_paused_arms_the_alert_quirk() -> None:
    c = check(status=PAUSED)
    assert ping(c, "start", T0) == ("start", None)
    assert c.status == PAUSED
    assert c.alert_after == T0 + 60 * SEC


# -- pause / resume ----------------------------------------------------------------------------------


def test_pause() -> None:
    c = check(status=UP, last_ping=T0, last_start=T0 + SEC, last_start_rid="r", alert_after=T0, n_pings=4)
    now = T0 + 2 * SEC
    flip = pause(c, now)
    assert flip == Flip(7, now, UP, PAUSED, "", processed=now)
    assert (c.status, c.last_start, c.last_start_rid, c.alert_after) == (PAUSED, None, None, None)
    assert (c.last_ping, c.n_pings) == (T0, 4)
    # pausing again changes nothing
    assert pause(c, now + SEC) is None
    assert c.status == PAUSED


def test_pause_a_new_or_down_check() -> None:
    for status in (NEW, DOWN):
        c = check(status=status)
        flip = pause(c, T0)
        assert flip is not None and (flip.old_status, flip.new_status) == (status, PAUSED)


def test_resume() -> None:
    c = check(status=PAUSED, last_ping=T0, last_start=T0, n_pings=9, alert_after=T0)
    now = T0 + SEC
    flip = resume(c, now)
    assert flip == Flip(7, now, PAUSED, NEW, "", processed=now)
    assert (c.status, c.last_ping, c.last_start, c.alert_after, c.n_pings) == (NEW, None, None, None, 9)


def test_needs_prune() -> None:
    assert [n for n in range(0, 401) if needs_prune(n)] == [100, 200, 300, 400]
