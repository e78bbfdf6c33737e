"""Cron and OnCalendar checks go down at the right moment in several time zones, across DST changes
(the worker's clock is injected: no waiting)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from hc_alerts_support import Clock, context, new_check, new_project
from ztn.domain.hc.alerts import AlertWorker
from ztn.store.db import Database
from ztn.store.hc_alerts_repo import AlertStore
from ztn.store.hc_repo import HcStore


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


SYDNEY = "*-*-* 00:00:00 Australia/Sydney"
CASES = [
    # kind, schedule, tz, last ping, expected next run (UTC), grace
    ("cron", "0 0 * * *", "Asia/Tokyo", utc(2026, 11, 23, 8, 55), utc(2026, 11, 23, 15, 0), 3600),
    # Berlin springs forward on 2026-03-29: 09:00 is 07:00Z that day, 08:00Z the day before.
    ("cron", "0 9 * * *", "Europe/Berlin", utc(2026, 3, 28, 8, 0), utc(2026, 3, 29, 7, 0), 60),
    # ... and falls back on 2026-10-25: 09:00 is 08:00Z that day, 07:00Z the day before.
    ("cron", "0 9 * * *", "Europe/Berlin", utc(2026, 10, 24, 7, 0), utc(2026, 10, 25, 8, 0), 60),
    # 02:30 does not exist in New York on 2026-03-08: the run happens at 03:00 EDT.
    ("cron", "30 2 * * *", "America/New_York", utc(2026, 3, 7, 8, 0), utc(2026, 3, 8, 7, 0), 300),
    ("cron", "45 */6 * * *", "Asia/Kolkata", utc(2026, 3, 7, 8, 0), utc(2026, 3, 7, 13, 15), 120),
    # Riga changes to summer time on 2026-03-29: Monday 09:00 is 06:00Z, not 07:00Z.
    ("oncalendar", "Mon *-*-* 09:00", "Europe/Riga", utc(2026, 3, 24, 12, 0), utc(2026, 3, 30, 6, 0), 600),
    # A zone inside the expression: Sydney leaves summer time on 2026-04-05 (midnight is 13:00Z before,
    # 14:00Z after).
    ("oncalendar", SYDNEY, "UTC", utc(2026, 4, 4, 12, 0), utc(2026, 4, 4, 13, 0), 60),
    ("oncalendar", SYDNEY, "UTC", utc(2026, 4, 5, 12, 0), utc(2026, 4, 5, 14, 0), 60),
]


@pytest.fixture
async def store(database: Database):
    s = HcStore(database)
    yield s
    await s.close()


@pytest.mark.parametrize(("kind", "schedule", "tz", "last_ping", "fires", "grace"), CASES)
async def test_goes_down_at_the_scheduled_moment_plus_grace(
    store: HcStore, database: Database, kind, schedule, tz, last_ping, fires, grace
):
    pid = await new_project(store)
    check = await new_check(
        store, pid, status="up", kind=kind, schedule=schedule, tz=tz, last_ping=last_ping, grace=grace
    )
    deadline = fires + timedelta(seconds=grace)
    assert check.alert_after == deadline
    clock = Clock(deadline - timedelta(seconds=1))
    worker = AlertWorker(AlertStore(database), context(), clock=clock)
    assert await worker.going_down_pass() == []
    clock.now = deadline  # alert_after < now is required: the very moment is still in grace
    assert await worker.going_down_pass() == []
    clock.now = deadline + timedelta(seconds=1)
    [flip] = await worker.going_down_pass()
    assert (flip.old_status, flip.new_status, flip.reason, flip.created) == (
        "up",
        "down",
        "timeout",
        deadline,
    )
    assert (await store.check_by_code(check.code)).status == "down"
