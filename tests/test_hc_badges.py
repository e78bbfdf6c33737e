"""Status badges (spec §7.2-7.3): signatures compatible with the reference, URL quoting, path parsing,
the aggregate status in 2- and 3-state modes, and the json / shields / SVG renderings."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import UTC, datetime, timedelta
from urllib.parse import unquote, urlsplit

import pytest

from ztn.domain.hc.badges import (
    BadgeRequest,
    BadgeState,
    badge_signature,
    badge_state,
    badge_url,
    badge_urls,
    checks_with_tag,
    parse_badge_path,
    quote_tag,
    render_json,
    render_shields,
    render_svg,
    signature_ok,
    text_width,
)
from ztn.domain.hc.models import Check

SECRET = "probe-secret-key"
BK = "3f1a0e4b-8c5d-4e7f-9a2b-1c0d9e8f7a6b"
ROOT = "http://127.0.0.1:8765"
NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
SVG = "{http://www.w3.org/2000/svg}"


# -- signatures ----------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("badge_key", "tag", "expected"),
    [
        # Computed with Django 5.2's django.core.signing.base64_hmac(badge_key, tag, SECRET, "sha1")[:8].
        (BK, "*", "9BMpoOIU"),
        (BK, "db@dc1", "ouRuMLD_"),
        ("bk", "ünï", "qT4E5MKR"),
        ("bk", "a/b", "GgxjP9hb"),
    ],
)
def test_signature_is_djangos_base64_hmac(badge_key: str, tag: str, expected: str) -> None:
    assert badge_signature(badge_key, tag, SECRET) == expected


def test_signature_depends_on_key_tag_and_secret() -> None:
    sig = badge_signature(BK, "prod", SECRET)
    assert len(sig) == 8
    assert sig != badge_signature(BK, "prod", "other-secret")
    assert sig != badge_signature(BK, "dev", SECRET)
    assert sig != badge_signature("other-key", "prod", SECRET)


def test_only_the_first_8_signature_characters_are_checked() -> None:
    assert signature_ok(BK, "*", "9BMpoOIU", SECRET)
    assert signature_ok(BK, "*", "9BMpoOIU-2", SECRET)
    assert signature_ok(BK, "*", "9BMpoOIUanything", SECRET)
    assert not signature_ok(BK, "*", "9BMpoOI", SECRET)
    assert not signature_ok(BK, "*", "9BMpoOIV", SECRET)
    assert not signature_ok(BK, "prod", "9BMpoOIU", SECRET)


# -- URLs ----------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("tag", "segment"),
    [
        ("db@dc1", "db%2540dc1"),
        ("a/b", "a%252Fb"),
        ("ünï", "%25C3%25BCn%25C3%25AF"),
        ("a-b_c.d~e", "a-b_c.d~e"),
    ],
)
def test_tags_are_quoted_twice(tag: str, segment: str) -> None:
    assert quote_tag(tag) == segment


def test_urls_of_all_checks_and_of_each_tag() -> None:
    urls = badge_urls(ROOT, BK, ["prod", "db@dc1", "prod"], SECRET)
    assert set(urls) == {"*", "prod", "db@dc1"}
    for per_tag in urls.values():
        assert list(per_tag) == ["svg", "svg3", "json", "json3", "shields", "shields3"]
    assert urls["*"]["svg"] == f"{ROOT}/badge/{BK}/9BMpoOIU-2.svg"
    assert urls["*"]["svg3"] == f"{ROOT}/badge/{BK}/9BMpoOIU.svg"
    assert urls["*"]["shields3"] == f"{ROOT}/badge/{BK}/9BMpoOIU.shields"
    assert urls["db@dc1"]["json"] == f"{ROOT}/badge/{BK}/ouRuMLD_-2/db%2540dc1.json"
    assert urls["db@dc1"]["json3"] == f"{ROOT}/badge/{BK}/ouRuMLD_/db%2540dc1.json"


def test_no_tags_still_lists_the_all_checks_badge() -> None:
    assert list(badge_urls(ROOT, BK, [], SECRET)) == ["*"]


# -- parsing public badge paths ------------------------------------------------------------------------
def routed(url: str) -> tuple[str, str | None]:
    """What a router hands over for a badge URL: the path decoded once, split after the badge key."""
    parts = unquote(urlsplit(url).path).split("/")
    assert parts[1] == "badge" and parts[2] == BK
    return (parts[3], None) if len(parts) == 4 else (parts[3], parts[4])


@pytest.mark.parametrize("tag", ["*", "prod", "db@dc1", "a/b", "ünï", "50%", "x.y", "a b"])
@pytest.mark.parametrize("fmt", ["svg", "json", "shields"])
@pytest.mark.parametrize("three_state", [False, True])
def test_issued_urls_parse_back(tag: str, fmt: str, three_state: bool) -> None:
    request = parse_badge_path(*routed(badge_url(ROOT, BK, tag, SECRET, fmt, three_state)))
    assert request is not None
    assert (request.tag, request.fmt, request.three_state) == (tag, fmt, three_state)
    assert signature_ok(BK, tag, request.signature, SECRET)


@pytest.mark.parametrize(
    ("sig", "tag", "expected"),
    [
        ("9BMpoOIU.svg", None, BadgeRequest("9BMpoOIU", "*", "svg", True)),
        ("9BMpoOIU-2.json", None, BadgeRequest("9BMpoOIU-2", "*", "json", False)),
        ("9BMpoOIU-2x.json", None, BadgeRequest("9BMpoOIU-2x", "*", "json", True)),  # extra chars: 3-state
        ("9BMpoOI-2.json", None, BadgeRequest("9BMpoOI-2", "*", "json", True)),  # 9 chars: not "-2" mode
        ("abcdefgh-2", "prod.shields", BadgeRequest("abcdefgh-2", "prod", "shields", False)),
        ("abcdefgh", "db%40dc1.svg", BadgeRequest("abcdefgh", "db@dc1", "svg", True)),
        ("abcdefgh", "v1.2.svg", BadgeRequest("abcdefgh", "v1.2", "svg", True)),
    ],
)
def test_parse_badge_path(sig: str, tag: str | None, expected: BadgeRequest) -> None:
    assert parse_badge_path(sig, tag) == expected


@pytest.mark.parametrize(
    ("sig", "tag"),
    [
        ("9BMpoOIU.png", None),  # unknown format
        ("9BMpoOIU", None),  # no format
        (".svg", None),  # no signature
        ("9BMp+oIU.svg", None),  # not a slug
        ("abcdefgh", "prod.png"),
        ("abcdefgh", "prod"),
        ("abcdefgh", ".svg"),
        ("abcdefgh", "db@dc1.svg"),  # quoted only once: "@" is not allowed in the segment
        ("abcdefgh", "a b.svg"),
        ("abc.defgh", "prod.svg"),
    ],
)
def test_malformed_badge_paths_are_not_found(sig: str, tag: str | None) -> None:
    assert parse_badge_path(sig, tag) is None


# -- aggregate status ----------------------------------------------------------------------------------
def check(n: int, tags: str = "") -> Check:
    return Check(id=n, code=f"c{n}", project_id="p", tags=tags)


def statuses(*values: str) -> tuple[list[Check], dict[str, str]]:
    checks = [check(i) for i in range(len(values))]
    return checks, {c.code: v for c, v in zip(checks, values, strict=True)}


@pytest.mark.parametrize(
    ("values", "two", "three"),
    [
        ((), "up", "up"),
        (("up", "new", "paused", "started"), "up", "up"),
        (("up", "grace"), "up", "late"),
        (("grace", "down", "up"), "down", "down"),
        (("down",), "down", "down"),
    ],
)
def test_status_is_down_then_late_then_up(values: tuple[str, ...], two: str, three: str) -> None:
    checks, table = statuses(*values)

    def status_of(c: Check, now: datetime) -> str:
        return table[c.code]

    assert badge_state(checks, NOW, False, status_of).status == two
    assert badge_state(checks, NOW, True, status_of).status == three


def test_counts_are_kept_in_both_modes() -> None:
    checks, table = statuses("up", "grace", "grace", "down", "new")
    for three_state in (False, True):
        state = badge_state(checks, NOW, three_state, lambda c, now: table[c.code])
        assert (state.total, state.grace, state.down) == (5, 2, 1)


def test_default_status_is_the_reported_status() -> None:
    up = Check(id=1, code="a", project_id="p", status="up", last_ping=NOW, timeout=3600, grace=60)
    late = Check(id=2, code="b", project_id="p", status="up", last_ping=NOW - timedelta(seconds=3630))
    late.timeout, late.grace = 3600, 60
    assert badge_state([up], NOW, True) == BadgeState("up", 1, 0, 0)
    assert badge_state([up, late], NOW, True) == BadgeState("late", 2, 1, 0)
    assert badge_state([up, late], NOW + timedelta(seconds=60), True) == BadgeState("down", 2, 0, 1)


def test_tag_filter_is_an_exact_token_match() -> None:
    checks = [check(1, "prod db"), check(2, "production"), check(3, " prod "), check(4, "")]
    assert [c.id for c in checks_with_tag(checks, "prod")] == [1, 3]
    assert [c.id for c in checks_with_tag(checks, "*")] == [1, 2, 3, 4]
    assert checks_with_tag(checks, "unknown") == []


# -- renderings ----------------------------------------------------------------------------------------
def test_json_rendering() -> None:
    state = BadgeState("late", 3, 1, 0)
    assert render_json(state) == {"status": "late", "total": 3, "grace": 1, "down": 0}


@pytest.mark.parametrize(
    ("status", "color"), [("up", "success"), ("late", "important"), ("down", "critical")]
)
def test_shields_rendering(status: str, color: str) -> None:
    doc = render_shields("db", BadgeState(status, 1, 0, 0))
    assert doc == {"schemaVersion": 1, "label": "db", "message": status, "color": color}
    assert list(doc) == ["schemaVersion", "label", "message", "color"]


def parse_svg(label: str, status: str) -> ET.Element:
    return ET.fromstring(render_svg(label, status))


@pytest.mark.parametrize(("status", "color"), [("up", "#4c1"), ("late", "#fe7d37"), ("down", "#e05d44")])
def test_svg_is_a_flat_20px_badge(status: str, color: str) -> None:
    root = parse_svg("Mychecks", status)
    assert root.tag == f"{SVG}svg" and root.get("height") == "20"
    rects = root.findall(f"{SVG}g/{SVG}rect")
    assert [r.get("fill") for r in rects[:2]] == ["#555", color]
    left, right = int(rects[0].get("width", "")), int(rects[1].get("width", ""))
    assert int(rects[1].get("x", "")) == left
    assert int(root.get("width", "")) == left + right
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert texts == ["Mychecks", "Mychecks", status, status]  # shadow, then text


def test_svg_is_accessible() -> None:
    root = parse_svg("db", "down")
    assert root.get("role") == "img"
    assert root.get("aria-label") == "db: down"
    assert root.findtext(f"{SVG}title") == "db: down"


def test_svg_escapes_the_label() -> None:
    label = '<b>&"x"</b>'
    raw = render_svg(label, "up")
    assert b"<b>" not in raw
    root = ET.fromstring(raw)
    assert root.get("aria-label") == f"{label}: up"
    assert root.findtext(f"{SVG}title") == f"{label}: up"
    assert [t.text for t in root.iter(f"{SVG}text")][:2] == [label, label]


def test_svg_boxes_follow_the_text_widths() -> None:
    # "build" is 37 px wide on shields.io's own badges (27 px of text and 5 px padding each side).
    rects = parse_svg("build", "up").findall(f"{SVG}g/{SVG}rect")
    assert rects[0].get("width") == "37"
    narrow = int(parse_svg("iiii", "up").get("width", ""))
    wide = int(parse_svg("WWWW", "up").get("width", ""))
    assert wide > narrow + 20
    long = int(parse_svg("a much longer label for the badge", "up").get("width", ""))
    assert long > wide


def test_text_width_estimates() -> None:
    assert round(text_width("build")) == 27
    assert round(text_width("passing")) == 42
    assert text_width("") == 0
    assert text_width("é") == text_width("e")  # accented letters as their base letter
    assert text_width("数") > text_width("W") * 0.9  # full-width characters take about an em
    assert text_width("e\u0301") == text_width("e")  # combining marks take no room
