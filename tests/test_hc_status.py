"""Reported status, next_ping and alert_after of a check at a given moment (spec 3.2-3.4)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from ztn.domain.hc.models import CRON, DOWN, NEW, ONCALENDAR, PAUSED, UP, Check
from ztn.domain.hc.status import compute_alert_after, grace_start, next_ping, reported_status

T0 = datetime(2024, 5, 6, 8, 55, 12, tzinfo=UTC)
MIN = timedelta(minutes=1)


def check(**fields: Any) -> Check:
    base: dict[str, Any] = {"id": 1, "code": "c0de", "project_id": "p", "timeout": 300, "grace": 60}
    base.update(fields)
    return Check(**base)


def statuses(c: Check, *moments: datetime, v1: bool = False) -> list[str]:
    return [reported_status(c, m, v1=v1) for m in moments]


def test_new_check() -> None:
    c = check()
    assert statuses(c, T0, T0 + timedelta(days=400)) == [NEW, NEW]
    assert next_ping(c) is None
    assert compute_alert_after(c) is None
    assert grace_start(c) is None


def test_new_and_started() -> None:
    c = check(last_start=T0)
    assert next_ping(c) == T0
    assert compute_alert_after(c) == T0 + MIN
    # step 1: an expired start is down whatever the stored status
    assert statuses(c, T0, T0 + 59 * timedelta(seconds=1), T0 + MIN) == [NEW, NEW, DOWN]
    assert statuses(c, T0, T0 + MIN, v1=True) == ["started", DOWN]
    assert grace_start(c, with_started=False) is None


def test_up_simple_timeout() -> None:
    c = check(status=UP, last_ping=T0)
    deadline = T0 + timedelta(seconds=300)
    assert next_ping(c) == deadline
    assert compute_alert_after(c) == deadline + MIN
    just = timedelta(microseconds=1)
    assert statuses(c, deadline - just, deadline, deadline + MIN - just) == [UP, "grace", "grace"]
    assert reported_status(c, deadline + MIN) == DOWN
    # v1 reports the same when nothing is running
    assert reported_status(c, deadline, v1=True) == "grace"


def test_up_and_started_takes_the_earlier() -> None:
    started = T0 + MIN
    c = check(status=UP, last_ping=T0, last_start=started)
    assert next_ping(c) == started
    assert compute_alert_after(c) == started + MIN
    assert grace_start(c, with_started=False) == T0 + timedelta(seconds=300)
    # the status uses the ping deadline, and the start's own expiry
    assert reported_status(c, started + timedelta(seconds=30)) == UP
    assert reported_status(c, started + timedelta(seconds=30), v1=True) == "started"
    assert reported_status(c, started + MIN) == DOWN

    late_start = T0 + timedelta(seconds=400)  # after the deadline: the deadline is the earlier
    c = check(status=UP, last_ping=T0, last_start=late_start)
    assert next_ping(c) == T0 + timedelta(seconds=300)


def test_paused() -> None:
    c = check(status=PAUSED, last_ping=T0)
    assert statuses(c, T0, T0 + timedelta(days=10)) == [PAUSED, PAUSED]
    assert next_ping(c) is None
    assert compute_alert_after(c) is None


def test_paused_and_started_quirk() -> None:
    # spec 3.4: a paused check that receives /start will go down if nothing follows
    c = check(status=PAUSED, last_start=T0)
    assert next_ping(c) == T0
    assert compute_alert_after(c) == T0 + MIN
    assert statuses(c, T0, T0 + MIN) == [PAUSED, DOWN]


def test_stored_down() -> None:
    c = check(status=DOWN, last_ping=T0)
    assert reported_status(c, T0) == DOWN
    assert next_ping(c) is None
    assert compute_alert_after(c) is None
    # a start on a down check is not a deadline (step 3.3), yet v1 shows it as started
    c = check(status=DOWN, last_ping=T0, last_start=T0)
    assert next_ping(c) is None
    assert compute_alert_after(c) is None
    assert reported_status(c, T0) == DOWN
    assert reported_status(c, T0, v1=True) == "started"
    assert reported_status(c, T0 + MIN, v1=True) == DOWN


def test_cron_tokyo_example() -> None:
    # spec 3.3: cron "0 0 * * *", tz Asia/Tokyo, pinged 08:55Z -> next_ping 15:00Z
    c = check(status=UP, kind=CRON, schedule="0 0 * * *", tz="Asia/Tokyo", last_ping=T0, grace=3600)
    expected = datetime(2024, 5, 6, 15, tzinfo=UTC)
    assert next_ping(c) == expected
    assert compute_alert_after(c) == expected + timedelta(hours=1)
    assert statuses(c, expected - MIN, expected, expected + timedelta(hours=1)) == [UP, "grace", DOWN]


def test_cron_ignores_timeout() -> None:
    c = check(status=UP, kind=CRON, schedule="*/10 * * * *", timeout=60, last_ping=T0)
    assert next_ping(c) == datetime(2024, 5, 6, 9, 0, tzinfo=UTC)


def test_oncalendar_riga_example() -> None:
    # spec 3.3: "Mon *-*-* 09:00" in Europe/Riga -> next Monday 07:00Z (winter time)
    last = datetime(2024, 1, 10, 12, tzinfo=UTC)
    c = check(status=UP, kind=ONCALENDAR, schedule="Mon *-*-* 09:00", tz="Europe/Riga", last_ping=last)
    assert next_ping(c) == datetime(2024, 1, 15, 7, tzinfo=UTC)


def test_schedule_without_future_occurrence_is_up_forever() -> None:
    c = check(status=UP, kind=ONCALENDAR, schedule="2001-01-01", last_ping=T0)
    assert next_ping(c) is None
    assert compute_alert_after(c) is None
    assert reported_status(c, T0 + timedelta(days=10_000)) == UP
    # ... unless it is running: then the start is the deadline
    c.last_start = T0
    assert next_ping(c) == T0
    assert reported_status(c, T0 + MIN) == DOWN


def test_reported_down_before_the_alerter_keeps_old_next_ping() -> None:
    c = check(status=UP, last_ping=T0)
    assert reported_status(c, T0 + timedelta(days=1)) == DOWN
    assert next_ping(c) == T0 + timedelta(seconds=300)
