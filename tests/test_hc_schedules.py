"""Schedule kinds, validity and next occurrences (spec 3.2-3.3, 9.2), and time zone names (9.6)."""

from __future__ import annotations

import zoneinfo
from datetime import UTC, datetime

import pytest

from ztn.domain.hc.models import CRON, ONCALENDAR
from ztn.domain.hc.schedules import next_fire, schedule_kind, valid_schedule
from ztn.domain.hc.timezones import LEGACY_NAMES, canonical_tz, zone


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


# -- kind detection ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("schedule", "kind"),
    [
        ("5 * * * *", CRON),
        ("  0 0 * * 1#2 \n", CRON),  # surrounding whitespace does not count
        ("\t*/15  *\t* * *", CRON),
        ("* * * * * *", ONCALENDAR),  # six fields
        ("* * * *", ONCALENDAR),
        ("@daily", ONCALENDAR),
        ("", ONCALENDAR),
        ("12:34", ONCALENDAR),
        ("1 2\n3 4 5", ONCALENDAR),  # five tokens but two lines
        ("Mon *-*-* 09:00 Europe/Riga", ONCALENDAR),
    ],
)
def test_schedule_kind(schedule: str, kind: str) -> None:
    assert schedule_kind(schedule) == kind


# -- validity: every example of spec 9.2, plus edges -----------------------------------------------

SPEC_VALID = [
    "5 * * * *",
    "*/15 * * * *",
    "0 0 L * *",
    "0 0 * * 1#2",
    "5 4 * * sun",
    "0 0 * JAN *",
    "12:34",
    "*-*-* 12:00",
    "Mon..Fri 09:00",
    "weekly",
    "hourly",
    "*-*~1 12:00",
    "12:34\n13:00",
]

SPEC_INVALID = [
    "* * * * * *",
    "bad-expression",
    "",
    "* invalid *",
    "1,2 61 * * *",
    "0 0 31 2 *",
    "Surprise 12:34",
    "12:34 Europe/surprise",
    "12:34\nsurprise",
    "@daily",
]


@pytest.mark.parametrize("schedule", SPEC_VALID)
def test_spec_valid_examples(schedule: str) -> None:
    assert valid_schedule(schedule)


@pytest.mark.parametrize("schedule", SPEC_INVALID)
def test_spec_invalid_examples(schedule: str) -> None:
    assert not valid_schedule(schedule)


@pytest.mark.parametrize(
    ("schedule", "valid"),
    [
        ("0 0 29 2 *", True),  # leap days exist
        ("0 0 30 2 *", False),  # never fires
        ("0 0 * * 8", False),
        ("12:34 Europe/Riga", True),  # a line may name its zone
        ("12:34 UTC\n13:00 Asia/Tokyo", True),
        ("12:34 Europe", False),  # a directory of the zone tree: the library raises an OSError
        ("12:34 ../etc", False),
        ("2001-01-01 00:00", True),  # "future" counts from 2000-01-01
        ("1999-01-01 00:00", False),
        ("12:34\n\n13:00", False),  # an empty line does not parse
        ("   ", False),
    ],
)
def test_validity_edges(schedule: str, valid: bool) -> None:
    assert valid_schedule(schedule) is valid


# -- next occurrence ---------------------------------------------------------------------------------


def test_spec_cron_example_tokyo_midnight() -> None:
    # spec 3.3: cron "0 0 * * *", tz Asia/Tokyo, pinged 08:55Z -> the next Tokyo midnight, 15:00Z
    result = next_fire(CRON, "0 0 * * *", "Asia/Tokyo", utc(2024, 5, 6, 8, 55, 12))
    assert result == utc(2024, 5, 6, 15, 0)
    assert result is not None and result.tzinfo is UTC


def test_spec_oncalendar_example_riga_monday() -> None:
    # spec 3.3: "Mon *-*-* 09:00" in Europe/Riga (UTC+2 in winter) -> next Monday 07:00Z
    assert next_fire(ONCALENDAR, "Mon *-*-* 09:00", "Europe/Riga", utc(2024, 1, 10, 12)) == utc(
        2024, 1, 15, 7
    )
    # ... and 06:00Z in summer (UTC+3)
    assert next_fire(ONCALENDAR, "Mon *-*-* 09:00", "Europe/Riga", utc(2024, 7, 10, 12)) == utc(
        2024, 7, 15, 6
    )


def test_strictly_after() -> None:
    assert next_fire(CRON, "*/15 * * * *", "UTC", utc(2024, 3, 1, 0, 15)) == utc(2024, 3, 1, 0, 30)
    just_before = datetime(2024, 3, 1, 0, 14, 59, 999999, tzinfo=UTC)
    assert next_fire(CRON, "*/15 * * * *", "UTC", just_before) == utc(2024, 3, 1, 0, 15)
    assert next_fire(ONCALENDAR, "*:*:30", "UTC", utc(2024, 3, 1, 0, 14, 30)) == utc(2024, 3, 1, 0, 15, 30)
    assert next_fire(ONCALENDAR, "*:*:30", "UTC", just_before.replace(second=29)) == utc(
        2024, 3, 1, 0, 14, 30
    )


def test_cron_spring_forward_new_york() -> None:
    # 2024-03-10 02:30 does not exist in New York: cronsim fires at 03:00 EDT (07:00Z), then as usual
    tz = "America/New_York"
    first = next_fire(CRON, "30 2 * * *", tz, utc(2024, 3, 9, 12))
    assert first == utc(2024, 3, 10, 7, 0)
    assert next_fire(CRON, "30 2 * * *", tz, first) == utc(2024, 3, 11, 6, 30)
    assert next_fire(CRON, "30 2 * * *", tz, utc(2024, 3, 8, 12)) == utc(2024, 3, 9, 7, 30)  # EST


def test_cron_fall_back_new_york_fires_once() -> None:
    # 2024-11-03 01:30 happens twice; the first (EDT, 05:30Z) is the occurrence, the repeat is skipped
    tz = "America/New_York"
    first = next_fire(CRON, "30 1 * * *", tz, utc(2024, 11, 2, 12))
    assert first == utc(2024, 11, 3, 5, 30)
    assert next_fire(CRON, "30 1 * * *", tz, first) == utc(2024, 11, 4, 6, 30)


def test_cron_spring_forward_riga() -> None:
    # Riga skips 03:00-04:00 on 2024-03-31
    assert next_fire(CRON, "30 3 * * *", "Europe/Riga", utc(2024, 3, 30, 12)) == utc(2024, 3, 31, 1, 0)


def test_oncalendar_spring_forward_skips_the_missing_time() -> None:
    # oncalendar (like systemd) skips an occurrence that falls into the missing hour
    assert next_fire(ONCALENDAR, "02:30", "America/New_York", utc(2024, 3, 9, 12)) == utc(2024, 3, 11, 6, 30)


def test_oncalendar_lines_with_their_own_zones() -> None:
    schedule = "12:00 UTC\n12:00 Asia/Tokyo"
    assert next_fire(ONCALENDAR, schedule, "Europe/Riga", utc(2024, 1, 10, 1)) == utc(2024, 1, 10, 3)
    assert next_fire(ONCALENDAR, schedule, "Europe/Riga", utc(2024, 1, 10, 3)) == utc(2024, 1, 10, 12)


def test_evaluated_in_the_check_zone() -> None:
    after = utc(2024, 1, 10, 12)
    assert next_fire(ONCALENDAR, "12:34", "UTC", after) == utc(2024, 1, 10, 12, 34)
    assert next_fire(ONCALENDAR, "12:34", "Asia/Tokyo", after) == utc(2024, 1, 11, 3, 34)
    assert next_fire(CRON, "0 9 * * *", "America/New_York", after) == utc(2024, 1, 10, 14)


def test_never_again_is_none() -> None:
    assert next_fire(ONCALENDAR, "2001-01-01", "UTC", utc(2024, 1, 10)) is None
    assert next_fire(CRON, "0 0 29 2 *", "UTC", utc(2024, 3, 1)) == utc(2028, 2, 29)


def test_unevaluable_stored_values_do_not_raise() -> None:
    after = utc(2024, 3, 1, 0, 14)
    assert next_fire(ONCALENDAR, "12:34 Europe", "UTC", after) is None
    assert next_fire(CRON, "not a cron", "UTC", after) is None
    # a zone this machine does not know is evaluated as UTC
    assert next_fire(CRON, "0 0 * * *", "Nope/Nope", after) == utc(2024, 3, 2)


def test_after_in_another_zone_is_the_same_instant() -> None:
    riga = zoneinfo.ZoneInfo("Europe/Riga")
    after = utc(2024, 5, 6, 8, 55)
    assert next_fire(CRON, "0 0 * * *", "Asia/Tokyo", after.astimezone(riga)) == utc(2024, 5, 6, 15)


# -- time zone names -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("given", "stored"),
    [
        ("Europe/Kiev", "Europe/Kyiv"),
        ("UCT", "Etc/UTC"),
        ("Universal", "Etc/UTC"),
        ("Zulu", "Etc/UTC"),
        ("CET", "Europe/Brussels"),
        ("MET", "Europe/Brussels"),
        ("EST", "America/Panama"),
        ("US/Eastern", "America/New_York"),
        ("GMT0", "Etc/GMT"),
        ("UTC", "UTC"),
        ("GMT", "GMT"),
        ("Etc/UTC", "Etc/UTC"),
        ("Etc/UCT", "Etc/UCT"),  # Etc/* are canonical themselves
        ("Etc/GMT+5", "Etc/GMT+5"),
        ("Europe/Riga", "Europe/Riga"),
        ("Europe/Vatican", "Europe/Vatican"),  # a zone.tab location is kept as chosen
        ("Africa/Accra", "Africa/Accra"),
        ("Asia/Calcutta", "Asia/Kolkata"),
        ("EST5EDT", "America/New_York"),
    ],
)
def test_canonical_tz(given: str, stored: str) -> None:
    assert canonical_tz(given) == stored


@pytest.mark.parametrize(
    "name", ["", "Europe", "europe/riga", "Europe/Surprise", "Factory", "localtime", "posixrules", "../UTC"]
)
def test_unknown_tz(name: str) -> None:
    assert canonical_tz(name) is None


def test_alias_table_targets_are_canonical_and_loadable() -> None:
    assert 100 < len(LEGACY_NAMES) < 200
    for alias, target in LEGACY_NAMES.items():
        assert canonical_tz(target) == target, alias
        zoneinfo.ZoneInfo(target)


def test_every_known_zone_has_a_canonical_name() -> None:
    for name in zoneinfo.available_timezones() - {"Factory", "localtime", "posixrules"}:
        stored = canonical_tz(name)
        assert stored is not None and canonical_tz(stored) == stored, name


def test_zone() -> None:
    assert zone("UTC") is UTC
    assert zone("Europe/Riga") == zoneinfo.ZoneInfo("Europe/Riga")
    assert zone("Nope/Nope") is UTC
