"""How a ping request is read: exit-status segments, rid, client address, action resolution with
keyword filters, and the run durations of the pings list (spec §4.1, §4.4, §4.5, §5.1)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from ztn.domain.hc.models import Check, Ping
from ztn.domain.hc.ping_rules import (
    InvalidRid,
    InvalidUrl,
    client_address,
    parse_exit_status,
    parse_rid,
    ping_durations,
    resolve_action,
)

RID = "0f8fad5b-d9cb-469f-a165-70867728950e"
T0 = datetime(2026, 1, 1, tzinfo=UTC)


# -- exit status segment -------------------------------------------------------------------------------
@pytest.mark.parametrize(("segment", "expected"), [("0", 0), ("1", 1), ("255", 255), ("007", 7), ("0000", 0)])
def test_exit_status_segments_are_integers_up_to_255(segment: str, expected: int) -> None:
    assert parse_exit_status(segment) == expected


@pytest.mark.parametrize("segment", ["256", "1000", "99999999999999999999999"])
def test_exit_status_above_255_is_an_invalid_url(segment: str) -> None:
    with pytest.raises(InvalidUrl):
        parse_exit_status(segment)


@pytest.mark.parametrize("segment", ["-1", "foo", "", "1.0", "+1", " 1", "١", "start"])
def test_non_numeric_segments_are_not_exit_statuses(segment: str) -> None:
    assert parse_exit_status(segment) is None


# -- rid -----------------------------------------------------------------------------------------------
def test_absent_rid_is_none() -> None:
    assert parse_rid(None) is None


@pytest.mark.parametrize("raw", [RID, RID.upper(), "0F8FAD5B-d9cb-469F-A165-70867728950E"])
def test_rid_is_case_insensitive_and_stored_lowercase(raw: str) -> None:
    assert parse_rid(raw) == RID


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "not-a-uuid",
        RID.replace("-", ""),  # 32 hex digits: not the canonical form
        "{" + RID + "}",
        "urn:uuid:" + RID,
        RID + " ",
        RID[:-1] + "g",
        RID[:8] + "+" + RID[9:],
    ],
)
def test_bad_or_empty_rid_is_rejected(raw: str) -> None:
    with pytest.raises(InvalidRid):
        parse_rid(raw)
    assert issubclass(InvalidRid, ValueError)


# -- remote address ------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("xff", "peer", "expected"),
    [
        (None, "10.0.0.1", "10.0.0.1"),
        ("1.1.1.1", "10.0.0.1", "1.1.1.1"),
        ("1.1.1.1, 2.2.2.2", "10.0.0.1", "1.1.1.1"),
        ("1.1.1.1:1234, 2.2.2.2", "10.0.0.1", "1.1.1.1"),  # spec example: the port is stripped
        ("1.1.1.1:1234", None, "1.1.1.1"),
        ("::ffff:1.1.1.1", "10.0.0.1", "::ffff:1.1.1.1"),  # a valid IPv6 address is kept as is
        ("2001:db8::1", "10.0.0.1", "2001:db8::1"),
        ("garbage", "10.0.0.1", "garbage"),  # trusted and stored as sent, like the reference
        ("", "10.0.0.1", "10.0.0.1"),  # an empty header says nothing: the socket address
        (None, None, None),
    ],
)
def test_client_address(xff: str | None, peer: str | None, expected: str | None) -> None:
    assert client_address(xff, peer) == expected


# -- action resolution ---------------------------------------------------------------------------------
def check(**fields: object) -> Check:
    return Check(id=1, code="c", project_id="p", **fields)  # type: ignore[arg-type]


@pytest.mark.parametrize("action", ["success", "start", "fail", "log"])
def test_without_filters_the_url_action_stands(action: str) -> None:
    assert resolve_action(check(), action, "GET", b"anything") == action


@pytest.mark.parametrize("method", ["GET", "HEAD", "PUT", "DELETE", "OPTIONS", "post"])
def test_post_only_check_ignores_other_methods(method: str) -> None:
    assert resolve_action(check(methods="POST"), "success", method, b"") == "ign"


def test_post_only_check_accepts_post() -> None:
    assert resolve_action(check(methods="POST"), "fail", "POST", b"") == "fail"


def test_method_filter_wins_over_keywords() -> None:
    c = check(methods="POST", filter_http_body=True, success_kw="OK", filter_default_fail=True)
    assert resolve_action(c, "success", "GET", b"OK") == "ign"


FILTERED = {"filter_http_body": True, "start_kw": "BEGIN", "success_kw": "SUCCESS, DONE", "failure_kw": "ERR"}


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (b"job ERR here", "fail"),
        (b"SUCCESS", "success"),
        (b"all DONE", "success"),  # items are trimmed: " DONE" matches "DONE"
        (b"BEGIN", "start"),
        (b"ERR and SUCCESS and BEGIN", "fail"),  # failure first
        (b"SUCCESS and BEGIN", "success"),  # then success, then start
        (b"success", "ign"),  # case-sensitive
        (b"", "ign"),
    ],
)
def test_keyword_rules_in_order(body: bytes, expected: str) -> None:
    assert resolve_action(check(**FILTERED), "success", "POST", body) == expected


def test_keywords_override_explicit_fail_and_log_urls() -> None:
    c = check(filter_http_body=True, success_kw="SUCCESS")
    assert resolve_action(c, "log", "POST", b"SUCCESS") == "success"  # spec example
    assert resolve_action(c, "fail", "POST", b"") == "ign"  # spec example


def test_default_fail_when_nothing_matches() -> None:
    c = check(filter_http_body=True, success_kw="SUCCESS", filter_default_fail=True)
    assert resolve_action(c, "success", "POST", b"whatever") == "fail"


def test_empty_keyword_items_never_match() -> None:
    c = check(filter_http_body=True, success_kw=" , ,", failure_kw=",")
    assert resolve_action(c, "success", "POST", b"anything") == "ign"


def test_non_utf8_body_matches_no_keyword() -> None:
    # The reference answers 500 here; an undecodable body simply matches nothing.
    c = check(filter_http_body=True, success_kw="OK")
    assert resolve_action(c, "success", "POST", b"OK \xff\xfe") == "ign"
    c.filter_default_fail = True
    assert resolve_action(c, "success", "POST", b"OK \xff\xfe") == "fail"


def test_utf8_keywords_match() -> None:
    c = check(filter_http_body=True, failure_kw="échec")
    assert resolve_action(c, "success", "POST", "une échec".encode()) == "fail"


def test_subject_and_body_filters_do_not_apply_to_http() -> None:
    c = check(filter_subject=True, filter_body=True, success_kw="SUCCESS", filter_default_fail=True)
    assert resolve_action(c, "log", "POST", b"nothing") == "log"


# -- durations -----------------------------------------------------------------------------------------
def ping(kind: str, minutes: float, rid: str | None = None) -> Ping:
    return Ping(id=0, check_id=1, n=0, created=T0 + timedelta(minutes=minutes), kind=kind, rid=rid)


def test_overlapping_runs_are_matched_by_rid() -> None:
    # The upstream test: starts a@0, b@1m, success a@2m -> 120.0, success b@6m -> 300.0.
    pings = [ping("start", 0, "a"), ping("start", 1, "b"), ping("success", 2, "a"), ping("success", 6, "b")]
    assert ping_durations(pings) == [None, None, 120.0, 300.0]


def test_null_rid_is_a_rid_of_its_own() -> None:
    pings = [
        ping("start", 0),
        ping("start", 1, "a"),
        ping("start", 2),  # restarts the null-rid run
        ping("success", 3, "a"),
        ping("fail", 5),
    ]
    assert ping_durations(pings) == [None, None, None, 120.0, 180.0]


def test_durations_round_to_two_decimals() -> None:
    start = ping("start", 0)
    end = Ping(id=0, check_id=1, n=0, created=start.created + timedelta(seconds=1.23456), kind="success")
    assert ping_durations([start, end]) == [None, 1.23]


def test_fail_closes_a_run_too() -> None:
    assert ping_durations([ping("start", 0), ping("fail", 1.5)]) == [None, 90.0]


def test_a_second_end_without_a_new_start_gets_no_duration() -> None:
    pings = [ping("start", 0), ping("success", 1), ping("success", 2), ping("start", 3), ping("fail", 4)]
    assert ping_durations(pings) == [None, 60.0, None, None, 60.0]


def test_log_and_ign_are_transparent() -> None:
    pings = [ping("start", 0), ping("log", 1), ping("ign", 2), ping("success", 3)]
    assert ping_durations(pings) == [None, None, None, 180.0]


def test_runs_of_72_hours_or_more_get_no_duration() -> None:
    limit = 72 * 60
    assert ping_durations([ping("start", 0), ping("success", limit)]) == [None, None]
    assert ping_durations([ping("start", 0), ping("success", limit - 1)]) == [None, (limit - 1) * 60.0]


def test_a_stale_start_is_closed_by_the_end_it_did_not_time() -> None:
    pings = [ping("start", 0), ping("success", 72 * 60 + 1), ping("success", 72 * 60 + 2)]
    assert ping_durations(pings) == [None, None, None]


def test_a_start_replaced_before_its_end_times_from_the_latest_start() -> None:
    assert ping_durations([ping("start", 0), ping("start", 2), ping("success", 3)]) == [None, None, 60.0]


def test_ten_unexplained_ends_keep_durations() -> None:
    # Ends of rids never seen in the window may belong to runs started before it.
    pings = [ping("success", i, f"r{i}") for i in range(10)] + [ping("start", 20), ping("success", 21)]
    assert ping_durations(pings)[-1] == 60.0


def test_more_than_ten_unexplained_ends_drop_all_durations() -> None:
    pings = [ping("success", i, f"r{i}") for i in range(11)] + [ping("start", 20), ping("success", 21)]
    assert ping_durations(pings) == [None] * len(pings)


def test_repeated_ends_of_one_rid_are_one_miss() -> None:
    # A check that never sends start: only its first success is unexplained.
    pings = [ping("success", i) for i in range(50)] + [ping("start", 60), ping("success", 61)]
    assert ping_durations(pings)[-1] == 60.0


def test_unexplained_ends_far_from_the_window_start_are_not_misses() -> None:
    # Any run they ended would have started over 72 h ago: known to have no duration.
    late = 72 * 60
    pings = [ping("log", 0)] + [ping("success", late + i, f"r{i}") for i in range(11)]
    pings += [ping("start", late + 20), ping("success", late + 21)]
    assert ping_durations(pings)[-1] == 60.0


def test_empty_window() -> None:
    assert ping_durations([]) == []
