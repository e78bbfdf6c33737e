"""Cron and OnCalendar schedules: which kind a schedule is, whether it is valid, when it next fires.

A schedule is cron when it is one line of exactly five fields; anything else is an OnCalendar
expression (one per line, each may name its own zone). Parsed iterators are cheap to build, but a
check list evaluates many checks with the same few schedules, so validity is memoised.
"""

from __future__ import annotations

from datetime import UTC, datetime
from functools import lru_cache

from cronsim import CronSim, CronSimError
from oncalendar import OnCalendar, OnCalendarError

from ztn.domain.hc.models import CRON, ONCALENDAR
from ztn.domain.hc.timezones import zone

_VALIDITY_START = datetime(2000, 1, 1)


def schedule_kind(schedule: str) -> str:
    text = schedule.strip()
    return CRON if "\n" not in text and len(text.split()) == 5 else ONCALENDAR


@lru_cache(maxsize=4096)
def valid_schedule(schedule: str) -> bool:
    """Parses, and fires at least once after 2000-01-01 (OnCalendar evaluated in UTC)."""
    try:
        if schedule_kind(schedule) == CRON:
            next(CronSim(schedule, _VALIDITY_START))
        else:
            next(OnCalendar(schedule, _VALIDITY_START.replace(tzinfo=UTC)))
    except (CronSimError, OnCalendarError, StopIteration, ValueError, KeyError):
        return False
    return True


def next_fire(kind: str, schedule: str, tz: str, after: datetime) -> datetime | None:
    """The first occurrence strictly after ``after`` (evaluated in ``tz``), in UTC; None if it never
    fires again or the stored schedule no longer parses."""
    local = after.astimezone(zone(tz))
    try:
        if kind == CRON:
            result = next(CronSim(schedule, local))
        else:
            result = next(OnCalendar(schedule, local), None)
    except (CronSimError, OnCalendarError, StopIteration, ValueError, KeyError):
        return None
    return result.astimezone(UTC) if result is not None else None
