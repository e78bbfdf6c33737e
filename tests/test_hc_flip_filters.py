"""The flips list's start / end / seconds filters (spec §6): every example of the spec, and the window
each filter selects (since inclusive, until exclusive)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from ztn.domain.hc.errors import HcError
from ztn.domain.hc.flip_filters import flip_window

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)


def at(ts: int) -> datetime:
    return datetime.fromtimestamp(ts, UTC)


@pytest.mark.parametrize(
    "query",
    [
        {"start": "abc"},
        {"start": "-1"},
        {"start": ""},
        {"start": "1.5"},
        {"end": "10000000001"},
        {"seconds": "-1"},
        {"seconds": "31536001"},
        {"seconds": "abc"},
        {"seconds": "1.5"},
        {"start": "12345678901234567890"},
        {"end": ""},
        {"end": "abc"},
        {"start": "9" * 5000},  # beyond what int() parses: still a 400, not a crash
    ],
)
def test_bad_values_are_400_with_an_empty_body(query: dict[str, str]) -> None:
    with pytest.raises(HcError) as caught:
        flip_window(query.get("start"), query.get("end"), query.get("seconds"), NOW)
    assert caught.value.http_status == 400
    assert caught.value.body == b""


@pytest.mark.parametrize(
    ("query", "window"),
    [
        ({"start": "0"}, (at(0), None)),
        ({"start": "10000000000"}, (at(10_000_000_000), None)),
        ({"seconds": ""}, (None, None)),
        ({"seconds": "0"}, (None, None)),
        ({}, (None, None)),
    ],
)
def test_accepted_examples(query: dict[str, str], window: tuple[datetime | None, datetime | None]) -> None:
    assert flip_window(query.get("start"), query.get("end"), query.get("seconds"), NOW) == window


def test_start_and_end_are_unix_seconds() -> None:
    assert flip_window("1700000000", "1700003600", None, NOW) == (at(1_700_000_000), at(1_700_003_600))


def test_end_zero_is_a_bound_not_an_absent_filter() -> None:
    assert flip_window(None, "0", None, NOW) == (None, at(0))


def test_seconds_counts_back_from_now() -> None:
    assert flip_window(None, None, "3600", NOW) == (NOW - timedelta(hours=1), None)
    assert flip_window(None, None, "31536000", NOW) == (NOW - timedelta(days=365), None)


def test_start_and_seconds_together_keep_the_later_bound() -> None:
    hour_ago = NOW - timedelta(hours=1)
    assert flip_window("0", None, "3600", NOW) == (hour_ago, None)
    later = int((NOW - timedelta(minutes=5)).timestamp())
    assert flip_window(str(later), None, "3600", NOW) == (at(later), None)


@pytest.mark.parametrize(("raw", "value"), [(" 5", 5), ("+5", 5), ("1_0", 10)])
def test_integers_are_read_like_python_int(raw: str, value: int) -> None:
    # The reference's form field calls int(); these forms pass there, so they pass here.
    assert flip_window(raw, None, None, NOW) == (at(value), None)


def test_seconds_may_carry_a_zero_decimal_tail() -> None:
    # Django's IntegerField drops a ".0" tail before int().
    assert flip_window(None, None, "60.0", NOW) == (NOW - timedelta(minutes=1), None)
    assert flip_window(None, None, "60.", NOW) == (NOW - timedelta(minutes=1), None)
