"""Create/update fields of a check (spec §9.1, 9.3, 9.4 step 2, 9.6; §0.1 slugs): pure rules, no DB."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime
from typing import Any

import orjson
import pytest

from ztn.domain.hc.errors import HcError
from ztn.domain.hc.fields import (
    FIELD_NAMES,
    MISSING,
    VALIDATORS,
    CheckFields,
    apply_fields,
    fields_from_proto,
    parse_fields,
    resolve_channels,
    slugify,
    upsert_filter,
)
from ztn.domain.hc.models import CRON, ONCALENDAR, SIMPLE, Channel, Check
from ztn.healthchecks.v3 import healthchecks_pb2

STRING_FIELDS = ("channels", "desc", "name", "slug", "tags", "start_kw", "success_kw", "failure_kw",
                 "subject", "subject_fail", "schedule", "tz")
BOOL_FIELDS = ("filter_subject", "filter_body", "filter_http_body", "filter_default_fail", "manual_resume")
KEYWORD_FIELDS = ("start_kw", "success_kw", "failure_kw", "subject", "subject_fail")
DECLARATION_ORDER = (
    "channels", "desc", "failure_kw", "filter_subject", "filter_body", "filter_http_body",
    "filter_default_fail", "grace", "manual_resume", "methods", "name", "schedule", "slug", "start_kw",
    "subject", "subject_fail", "success_kw", "tags", "timeout", "tz", "unique",
)


def error_of(obj: dict[str, Any]) -> str:
    """The validation message (without the "json validation error: " prefix), checking the HTTP form."""
    with pytest.raises(HcError) as caught:
        parse_fields(obj)
    err = caught.value
    assert err.http_status == 400
    assert err.content_type == "application/json"
    prefix = "json validation error: "
    assert err.message.startswith(prefix)
    assert orjson.loads(err.body) == {"error": err.message}
    return err.message[len(prefix):]


# --- schema: types, nulls, limits -------------------------------------------------------------------


def test_declaration_order_is_the_specs() -> None:
    assert FIELD_NAMES == DECLARATION_ORDER
    assert tuple(name for name, _ in VALIDATORS) == DECLARATION_ORDER


def test_empty_object_gives_nothing_present() -> None:
    fields = parse_fields({})
    assert fields == CheckFields()
    assert all(getattr(fields, n) is MISSING for n in FIELD_NAMES if n != "unique")
    assert fields.unique == []
    assert fields.given() == {}


def test_unknown_keys_and_api_key_are_ignored() -> None:
    fields = parse_fields({"api_key": 5, "nonsense": None, "name": "a"})
    assert fields.given() == {"name": "a"}


@pytest.mark.parametrize("name", [n for n in STRING_FIELDS])
@pytest.mark.parametrize("value", [None, 5, 1.5, True, False, [], ["a"], {}, {"a": "b"}])
def test_string_fields_reject_other_types(name: str, value: Any) -> None:
    assert error_of({name: value}) == f"{name} is not a string"


@pytest.mark.parametrize("name", BOOL_FIELDS)
@pytest.mark.parametrize("value", [None, 0, 1, "true", "false", "", [], {}, 1.0])
def test_bool_fields_reject_other_types(name: str, value: Any) -> None:
    assert error_of({name: value}) == f"{name} is not a boolean"


@pytest.mark.parametrize("name", BOOL_FIELDS)
@pytest.mark.parametrize("value", [True, False])
def test_bool_fields_accept_booleans(name: str, value: bool) -> None:
    assert getattr(parse_fields({name: value}), name) is value


@pytest.mark.parametrize("name", ["timeout", "grace"])
@pytest.mark.parametrize("value", [None, "60", "abc", 60.0, 3600.5, 1e3, [], [60], {}])
def test_seconds_reject_non_integers(name: str, value: Any) -> None:
    assert error_of({name: value}) == f"{name} is not a number"


@pytest.mark.parametrize("name", ["timeout", "grace"])
@pytest.mark.parametrize("value", [True, False, 59, 0, -1, -(10**30)])
def test_seconds_too_small(name: str, value: Any) -> None:
    # `true` is the integer 1 for the reference, hence "too small" rather than a type error.
    assert error_of({name: value}) == f"{name} is too small"


@pytest.mark.parametrize("name", ["timeout", "grace"])
@pytest.mark.parametrize("value", [31_536_001, 2**63, 10**30])
def test_seconds_too_large(name: str, value: int) -> None:
    assert error_of({name: value}) == f"{name} is too large"


@pytest.mark.parametrize("name", ["timeout", "grace"])
@pytest.mark.parametrize("value", [60, 3600, 31_536_000])
def test_seconds_bounds_inclusive(name: str, value: int) -> None:
    got = getattr(parse_fields({name: value}), name)
    assert got == value and type(got) is int


@pytest.mark.parametrize("name,limit", [("name", 100), ("slug", 100), *[(k, 200) for k in KEYWORD_FIELDS]])
def test_string_length_limits(name: str, limit: int) -> None:
    ok = "a" * limit
    assert getattr(parse_fields({name: ok}), name) == ok
    assert error_of({name: "a" * (limit + 1)}) == f"{name} is too long"


def test_length_counts_characters_not_bytes() -> None:
    assert parse_fields({"name": "é" * 100}).name == "é" * 100
    assert error_of({"name": "é" * 101}) == "name is too long"


@pytest.mark.parametrize("name", ["desc", "tags", "channels"])
def test_unlimited_strings(name: str) -> None:
    long = "x" * 100_000 if name != "channels" else ","
    assert getattr(parse_fields({name: long}), name) == long


def test_tags_kept_verbatim() -> None:
    assert parse_fields({"tags": "  a  b "}).tags == "  a  b "


@pytest.mark.parametrize("slug", ["", "a", "abc-def_9", "-_-", "0" * 100])
def test_slug_pattern_accepts(slug: str) -> None:
    assert parse_fields({"slug": slug}).slug == slug


@pytest.mark.parametrize("slug", ["A", "a b", "a.b", "café", "abc\n", "\nabc", "a/b", " "])
def test_slug_pattern_rejects(slug: str) -> None:
    assert error_of({"slug": slug}) == "slug does not match pattern"


def test_slug_length_is_checked_before_pattern() -> None:
    assert error_of({"slug": "A" * 101}) == "slug is too long"


@pytest.mark.parametrize("value", ["", "POST"])
def test_methods_accepts(value: str) -> None:
    assert parse_fields({"methods": value}).methods == value


@pytest.mark.parametrize("value", [None, "post", "GET", " POST", "POST ", 5, True, [], ["POST"], {}])
def test_methods_rejects(value: Any) -> None:
    assert error_of({"methods": value}) == "methods has unexpected value"


@pytest.mark.parametrize("value", [None, "name", 5, True, {}, {"name": 1}])
def test_unique_not_an_array(value: Any) -> None:
    assert error_of({"unique": value}) == "unique is not an array"


@pytest.mark.parametrize("value", [["bogus"], ["name", "desc"], [5], [None], [["name"]], ["Name"], [True]])
def test_unique_bad_item(value: list[Any]) -> None:
    assert error_of({"unique": value}) == "an item in 'unique' has unexpected value"


def test_unique_accepts_the_five_fields_and_empty() -> None:
    assert parse_fields({"unique": []}).unique == []
    items = ["name", "slug", "tags", "timeout", "grace", "name"]
    assert parse_fields({"unique": items}).unique == items


@pytest.mark.parametrize(
    "schedule",
    ["5 * * * *", "*/15 * * * *", "0 0 L * *", "0 0 * * 1#2", "5 4 * * sun", "0 0 * JAN *",
     "12:34", "*-*-* 12:00", "Mon..Fri 09:00", "weekly", "hourly", "*-*~1 12:00", "12:34\n13:00",
     "  5 * * * *  ", "12:34 Europe/Riga"],
)
def test_valid_schedules_are_stored_verbatim(schedule: str) -> None:
    assert parse_fields({"schedule": schedule}).schedule == schedule


@pytest.mark.parametrize(
    "schedule",
    ["* * * * * *", "bad-expression", "", "* invalid *", "1,2 61 * * *", "0 0 31 2 *", "Surprise 12:34",
     "12:34 Europe/surprise", "12:34\nsurprise", "@daily"],
)
def test_invalid_schedules(schedule: str) -> None:
    assert error_of({"schedule": schedule}) == "schedule is not a valid cron or OnCalendar expression"


def test_schedule_length_checked_before_validity() -> None:
    assert error_of({"schedule": "* " * 50 + "*"}) == "schedule is too long"  # 101 chars


@pytest.mark.parametrize(
    "given,stored",
    [("UTC", "UTC"), ("GMT", "GMT"), ("Etc/UTC", "Etc/UTC"), ("Europe/Riga", "Europe/Riga"),
     ("Europe/Kiev", "Europe/Kyiv"), ("UCT", "Etc/UTC"), ("Universal", "Etc/UTC"), ("Zulu", "Etc/UTC"),
     ("CET", "Europe/Brussels"), ("MET", "Europe/Brussels"), ("EST", "America/Panama"),
     ("US/Eastern", "America/New_York"), ("GMT0", "Etc/GMT")],
)
def test_tz_is_canonicalised(given: str, stored: str) -> None:
    assert parse_fields({"tz": given}).tz == stored


@pytest.mark.parametrize(
    "tz", ["", "Europe/surprise", "Mars/Olympus", "localtime", "posix/Europe/Riga", " UTC"]
)
def test_invalid_tz(tz: str) -> None:
    assert error_of({"tz": tz}) == "tz is not a valid timezone"


def test_all_valid_fields_parse() -> None:
    obj = {
        "channels": "*", "desc": "d", "failure_kw": "f", "filter_subject": True, "filter_body": False,
        "filter_http_body": True, "filter_default_fail": True, "grace": 60, "manual_resume": True,
        "methods": "POST", "name": "N", "schedule": "5 * * * *", "slug": "n", "start_kw": "s",
        "subject": "S", "subject_fail": "SF", "success_kw": "ok", "tags": "a b", "timeout": 120,
        "tz": "Europe/Kiev", "unique": ["name"],
    }
    fields = parse_fields(obj)
    assert fields.given() == {**obj, "tz": "Europe/Kyiv"}
    assert list(fields.given()) == list(DECLARATION_ORDER)


# --- first error, in declaration order ----------------------------------------------------------------

BAD_VALUES: dict[str, Any] = {
    "channels": 1, "desc": 1, "failure_kw": 1, "filter_subject": 1, "filter_body": 1,
    "filter_http_body": 1, "filter_default_fail": 1, "grace": 59, "manual_resume": 1, "methods": 1,
    "name": 5, "schedule": "@daily", "slug": "A", "start_kw": 1, "subject": 1, "subject_fail": 1,
    "success_kw": 1, "tags": 1, "timeout": 59, "tz": "Nowhere", "unique": 1,
}


def test_the_specs_example() -> None:
    assert error_of({"timeout": 59, "grace": 59, "name": 5}) == "grace is too small"


def test_first_error_follows_declaration_order_not_request_order() -> None:
    # Offer every field wrong, in reverse order; peel off the reported one each time.
    remaining = dict(reversed(list(BAD_VALUES.items())))
    reported = []
    while remaining:
        message = error_of(remaining)
        field = next(n for n in DECLARATION_ORDER if n in remaining)
        assert message.startswith(field) or message == "an item in 'unique' has unexpected value"
        reported.append(field)
        del remaining[field]
    assert reported == list(DECLARATION_ORDER)


def test_a_valid_field_does_not_hide_a_later_error() -> None:
    assert error_of({"channels": "*", "name": "ok", "tz": 5}) == "tz is not a string"


# --- CheckFields as a mapping ---------------------------------------------------------------------------


def test_checkfields_membership_and_items() -> None:
    fields = parse_fields({"name": "", "filter_body": False, "unique": []})
    assert "name" in fields and fields["name"] == ""
    assert "filter_body" in fields and fields["filter_body"] is False  # falsy values are present
    assert "unique" not in fields  # empty = no upsert
    assert "slug" not in fields and "bogus" not in fields and 5 not in fields
    with pytest.raises(KeyError):
        fields["slug"]
    assert not MISSING and repr(MISSING) == "MISSING"
    with pytest.raises(dataclasses.FrozenInstanceError):
        fields.name = "x"  # type: ignore[misc]


# --- gRPC input -----------------------------------------------------------------------------------------


def test_proto_fields_match_declaration_order() -> None:
    declared = sorted(healthchecks_pb2.CheckFields.DESCRIPTOR.fields, key=lambda f: f.number)
    names = tuple(f.name for f in declared)
    assert names == DECLARATION_ORDER


def test_fields_from_proto_empty() -> None:
    assert fields_from_proto(healthchecks_pb2.CheckFields()) == {}


def test_fields_from_proto_keeps_presence_of_zero_values() -> None:
    msg = healthchecks_pb2.CheckFields(name="", filter_body=False, methods="", tz="Europe/Kiev", grace=0)
    expected = {"filter_body": False, "grace": 0, "methods": "", "name": "", "tz": "Europe/Kiev"}
    assert fields_from_proto(msg) == expected
    assert error_of(fields_from_proto(msg)) == "grace is too small"


def test_fields_from_proto_all() -> None:
    obj = {
        "channels": "*", "desc": "d", "failure_kw": "f", "filter_subject": True, "filter_body": False,
        "filter_http_body": True, "filter_default_fail": False, "grace": 60, "manual_resume": True,
        "methods": "POST", "name": "N", "schedule": "12:34", "slug": "n", "start_kw": "s",
        "subject": "S", "subject_fail": "SF", "success_kw": "ok", "tags": "a b", "timeout": 31_536_000,
        "tz": "UTC", "unique": ["name", "tags"],
    }
    got = fields_from_proto(healthchecks_pb2.CheckFields(**obj))
    assert got == obj and type(got["unique"]) is list
    assert parse_fields(got).given() == obj


def test_fields_from_proto_large_int64_is_too_large() -> None:
    got = fields_from_proto(healthchecks_pb2.CheckFields(timeout=2**62))
    assert error_of(got) == "timeout is too large"


# --- slugify --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name,slug",
    [("Café Über", "cafe-uber"), ("Hello World!", "hello-world"), ("", ""), ("Other", "other"),
     ("  a -- b  ", "a-b"), ("a\t\nb", "a-b"), ("_foo_", "foo"), ("-_x_-", "x"), ("foo_bar", "foo_bar"),
     ("a_-_b", "a_-_b"), ("ＡＢＣ １２", "abc-12"), ("日本語", ""), ("x.y/z", "xyz"),
     ("Naïve  Ñandú", "naive-nandu"), ("ﬁle", "file"), ("a - - b", "a-b"), ("MiXeD Case", "mixed-case")],
)
def test_slugify(name: str, slug: str) -> None:
    assert slugify(name) == slug


# --- channels -------------------------------------------------------------------------------------------

C1 = "11111111-1111-4111-8111-111111111111"
C2 = "22222222-2222-4222-8222-222222222222"
C3 = "33333333-3333-4333-8333-333333333333"
C4 = "44444444-4444-4444-8444-444444444444"
CX = "abcdef00-0000-4000-8000-0000000000ab"
OTHER = "99999999-9999-4999-8999-999999999999"


def channels(*pairs: tuple[str, str]) -> list[Channel]:
    return [Channel(id=cid, project_id="p", name=name, kind="webhook") for cid, name in pairs]


PROJECT = channels((C3, "A"), (C1, "B"), (C2, " B"), (CX, "X"))


def channel_error(spec: str, chans: list[Channel] = PROJECT) -> str:
    with pytest.raises(HcError) as caught:
        resolve_channels(spec, chans)
    err = caught.value
    assert err.http_status == 400 and orjson.loads(err.body) == {"error": err.message}
    return err.message


def test_channels_star_and_empty() -> None:
    assert resolve_channels("*", PROJECT) == [C1, C2, C3, CX]
    assert resolve_channels("*", []) == []
    assert resolve_channels("", PROJECT) == []


def test_channels_by_id_and_name_sorted_and_distinct() -> None:
    assert resolve_channels(C3, PROJECT) == [C3]
    assert resolve_channels("A", PROJECT) == [C3]
    assert resolve_channels(f"A,{C1},{C3},B, B", PROJECT) == [C1, C2, C3]


def test_channels_no_trimming() -> None:
    assert channel_error("A, C") == "invalid channel identifier:  C"
    assert resolve_channels("A, B", PROJECT) == [C2, C3]  # " B" is a name here


@pytest.mark.parametrize("spec", [",", "A,", ",A", "A,,B"])
def test_channels_empty_item(spec: str) -> None:
    # The empty name of a channel does not make an empty item acceptable.
    assert channel_error(spec, PROJECT + channels((C4, ""))) == "empty channel identifier"


def test_channels_first_bad_item_wins() -> None:
    assert channel_error("A,nope,,") == "invalid channel identifier: nope"
    assert channel_error("A,,nope") == "empty channel identifier"


def test_channels_unknown() -> None:
    assert channel_error(OTHER) == f"invalid channel identifier: {OTHER}"
    assert channel_error(CX.upper()) == f"invalid channel identifier: {CX.upper()}"
    assert channel_error("a") == "invalid channel identifier: a"  # names are case-sensitive
    assert channel_error("*,A") == "invalid channel identifier: *"


def test_channels_ambiguous_names() -> None:
    chans = channels((C1, "foo"), (C2, "foo"), (C3, "bar"))
    assert channel_error("bar,foo", chans) == "non-unique channel identifier: foo"
    assert resolve_channels(C2, chans) == [C2]  # the id still designates one channel


def test_channel_name_shaped_like_a_uuid() -> None:
    chans = channels((C1, C4), (C2, "x"))
    assert resolve_channels(C4, chans) == [C1]
    # A name equal to another channel's id matches both: ambiguous.
    chans = channels((C1, C2), (C2, "x"))
    assert channel_error(C2, chans) == f"non-unique channel identifier: {C2}"
    # A channel named with its own id is one match.
    assert resolve_channels(C1, channels((C1, C1))) == [C1]


def test_channel_errors_are_not_validation_errors() -> None:
    assert not channel_error("nope").startswith("json validation error")


# --- upsert lookup ---------------------------------------------------------------------------------------


def test_upsert_filter() -> None:
    assert upsert_filter(parse_fields({"name": "a"})) is None
    assert upsert_filter(parse_fields({"name": "a", "unique": []})) is None
    assert upsert_filter(parse_fields({"name": "a", "unique": ["name", "tags"]})) is None
    got = upsert_filter(parse_fields({
        "name": "a", "slug": "s", "tags": " t ", "timeout": 60, "grace": 120, "desc": "x",
        "unique": ["grace", "name", "slug", "tags", "timeout", "name"],
    }))
    assert got == {"grace": 120, "name": "a", "slug": "s", "tags": " t ", "timeout": 60}
    assert upsert_filter(parse_fields({"name": "", "unique": ["name"]})) == {"name": ""}


def test_upsert_filter_uses_given_values_only() -> None:
    # a schedule does not count as a timeout, nor a subject as anything listed
    assert upsert_filter(parse_fields({"schedule": "5 * * * *", "unique": ["timeout"]})) is None


# --- field application ---------------------------------------------------------------------------------

NOW = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)


def new_check(**kw: Any) -> Check:
    return Check(id=1, code="c", project_id="p", **kw)


def applied(obj: dict[str, Any], version: int = 3, **kw: Any) -> Check:
    check = new_check(**kw)
    apply_fields(check, parse_fields(obj), version)
    return check


def test_empty_fields_change_nothing() -> None:
    check = new_check(name="n", slug="s", alert_after=NOW, channel_ids=["x"])
    before = dataclasses.replace(check)
    apply_fields(check, CheckFields(), 1)
    assert check == before


def test_name_sets_slug_only_before_v3() -> None:
    check = applied({"name": "Café Über"}, 3)
    assert (check.name, check.slug) == ("Café Über", "")
    assert applied({"name": "Café Über"}, 2).slug == "cafe-uber"
    assert applied({"name": "Hello World!"}, 1).slug == "hello-world"
    assert applied({"name": "Hello World!"}, 3, slug="keep").slug == "keep"


def test_explicit_slug_applies_after_name() -> None:
    for version in (1, 2, 3):
        assert applied({"name": "Other", "slug": "explicit"}, version).slug == "explicit"
    assert applied({"slug": ""}, 3, slug="old").slug == ""


def test_unchanged_name_keeps_slug_before_v3() -> None:
    # The reference derives the slug only when the name changes.
    assert applied({"name": "Foo"}, 2, name="Foo", slug="custom").slug == "custom"
    assert applied({"name": "Foo2"}, 2, name="Foo", slug="custom").slug == "foo2"


def test_schedule_switches_kind() -> None:
    check = applied({"schedule": "5 * * * *"})
    assert (check.kind, check.schedule, check.timeout) == (CRON, "5 * * * *", 86400)
    check = applied({"schedule": "12:34\n13:00"})
    assert (check.kind, check.schedule) == (ONCALENDAR, "12:34\n13:00")
    assert applied({"schedule": " 5 * * * * "}).schedule == " 5 * * * * "  # verbatim


def test_schedule_wins_over_timeout() -> None:
    check = applied({"schedule": "weekly", "timeout": 120}, timeout=300)
    assert (check.kind, check.schedule, check.timeout) == (ONCALENDAR, "weekly", 300)


def test_timeout_switches_to_simple_and_keeps_schedule() -> None:
    check = applied({"timeout": 120}, kind=CRON, schedule="5 * * * *", tz="Europe/Riga")
    assert (check.kind, check.timeout, check.schedule, check.tz) == (SIMPLE, 120, "5 * * * *", "Europe/Riga")


def test_tz_stored_even_for_simple_and_reused_later() -> None:
    check = new_check()
    apply_fields(check, parse_fields({"tz": "Europe/Kiev"}), 3)
    assert (check.kind, check.tz) == (SIMPLE, "Europe/Kyiv")
    apply_fields(check, parse_fields({"schedule": "0 9 * * *"}), 3)
    assert (check.kind, check.tz) == (CRON, "Europe/Kyiv")
    apply_fields(check, parse_fields({"timeout": 60}), 3)
    apply_fields(check, parse_fields({"schedule": "5 4 * * sun"}), 3)
    assert (check.kind, check.tz, check.schedule) == (CRON, "Europe/Kyiv", "5 4 * * sun")


def test_subject_aliases() -> None:
    check = applied({"subject": "S"})
    assert (check.success_kw, check.failure_kw, check.filter_subject) == ("S", "", True)
    check = applied({"subject_fail": "F"})
    assert (check.success_kw, check.failure_kw, check.filter_subject) == ("", "F", True)
    check = applied({"subject": ""}, failure_kw="F", filter_subject=False)
    assert (check.success_kw, check.filter_subject) == ("", True)  # failure_kw left
    check = applied({"subject": "", "subject_fail": ""}, success_kw="S", failure_kw="F", filter_subject=True)
    assert (check.success_kw, check.failure_kw, check.filter_subject) == ("", "", False)


def test_explicit_filter_subject_wins_over_subject() -> None:
    check = applied({"subject": "S", "filter_subject": False})
    assert (check.success_kw, check.filter_subject) == ("S", False)
    check = applied({"subject": "", "filter_subject": True})
    assert (check.success_kw, check.filter_subject) == ("", True)


def test_explicit_keywords_win_over_subject_but_keep_its_filter_flag() -> None:
    check = applied({"subject": "S", "success_kw": "", "subject_fail": "F", "failure_kw": "G"})
    assert (check.success_kw, check.failure_kw, check.filter_subject) == ("", "G", True)


def test_methods_empty_clears_post() -> None:
    assert applied({"methods": ""}, methods="POST").methods == ""
    assert applied({"methods": "POST"}).methods == "POST"


def test_plain_fields_stored_as_given() -> None:
    obj = {
        "slug": "s", "tags": " a  b ", "desc": "d", "manual_resume": True, "methods": "POST", "tz": "UTC",
        "start_kw": "go", "success_kw": "ok", "failure_kw": "bad", "filter_subject": True,
        "filter_body": True, "filter_http_body": True, "filter_default_fail": True, "grace": 61,
    }
    check = applied(obj, tz="Europe/Riga")
    assert {k: getattr(check, k) for k in obj} == obj
    check = applied({k: False for k in BOOL_FIELDS}, **{k: True for k in BOOL_FIELDS})
    assert all(getattr(check, k) is False for k in BOOL_FIELDS)


def test_does_not_touch_alert_after_channels_or_state() -> None:
    check = new_check(alert_after=NOW, channel_ids=[C1], status="up", n_pings=3, last_ping=NOW)
    apply_fields(check, parse_fields({"timeout": 60, "grace": 60, "channels": "", "unique": ["grace"]}), 3)
    assert (check.alert_after, check.channel_ids, check.status, check.n_pings, check.last_ping) == (
        NOW, [C1], "up", 3, NOW)
    assert (check.timeout, check.grace) == (60, 60)
