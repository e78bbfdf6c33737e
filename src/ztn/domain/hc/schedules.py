"""Cron and OnCalendar schedules: which kind a schedule is, whether it is valid, when it next fires.

A schedule is cron when it is one line of exactly five fields; anything else is an OnCalendar
expression (one per line, each may name its own zone). Evaluation is delegated to ``cronsim`` and
``oncalendar`` (their DST handling is the reference behaviour).

Both answers are pure functions of their arguments, so they are memoised: a list of a thousand checks
asks the same (schedule, tz, last ping) questions on every read, and only a new ping changes them.
"""

from __future__ import annotations

from datetime import UTC, datetime
from functools import lru_cache

from cronsim import CronSim
from oncalendar import OnCalendar

from ztn.domain.hc.models import CRON, ONCALENDAR
from ztn.domain.hc.timezones import zone

_VALIDITY_START = datetime(2000, 1, 1)
_VALIDITY_START_UTC = _VALIDITY_START.replace(tzinfo=UTC)


def schedule_kind(schedule: str) -> str:
    """CRON iff the stripped schedule is one line of exactly five whitespace-separated fields."""
    text = schedule.strip()
    return CRON if "\n" not in text and len(text.split()) == 5 else ONCALENDAR


@lru_cache(maxsize=4096)
def valid_schedule(schedule: str) -> bool:
    """It parses and fires at least once after 2000-01-01 (cron naive, OnCalendar in UTC)."""
    try:
        if schedule_kind(schedule) == CRON:
            next(CronSim(schedule, _VALIDITY_START))
        else:
            next(OnCalendar(schedule, _VALIDITY_START_UTC))
    except Exception:  # any parser failure (even an OSError from a zone lookup) means invalid
        return False
    return True


@lru_cache(maxsize=16384)
def next_fire(kind: str, schedule: str, tz: str, after: datetime) -> datetime | None:
    """The first occurrence strictly after ``after`` (aware), evaluated in ``tz``, as a UTC datetime.

    None when the schedule never fires again, or when a stored schedule no longer evaluates (tzdata
    changed under it): the check then simply has no deadline instead of breaking every read.
    """
    local = after.astimezone(zone(tz))
    try:
        if kind == CRON:
            result = next(CronSim(schedule, local))
        else:
            result = next(OnCalendar(schedule, local))
    except Exception:  # StopIteration (no occurrence) or a parser failure
        return None
    return result.astimezone(UTC)
