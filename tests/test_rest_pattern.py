"""Path templates: grammar, matching on raw segments, %-decoding rules, precedence keys, overlaps."""

from __future__ import annotations

import pytest

from ztn.gateway.pattern import (
    PathError,
    TemplateError,
    check_escapes,
    decode_multi,
    overlaps,
    parse_template,
)


def segs(path: str) -> list[str]:
    return path[1:].split("/") if path != "/" else []


def test_single_variable_is_one_segment_fully_decoded() -> None:
    t = parse_template("/v1/items/{id}")
    assert t.match(segs("/v1/items/a%2Fb%20c")) == {("id",): "a/b c"}
    assert t.match(segs("/v1/items/a/b")) is None


def test_multi_segment_variable_keeps_encoded_slash() -> None:
    t = parse_template("/v1/{name=shelves/*/books/*}")
    assert t.match(segs("/v1/shelves/s%201/books/a%2fb")) == {("name",): "shelves/s 1/books/a%2fb"}
    assert t.match(segs("/v1/shelves/s1/novels/a")) is None


def test_double_star_matches_zero_or_more_segments() -> None:
    t = parse_template("/v1/files/{path=**}")
    assert t.match(segs("/v1/files/a/b/c.txt")) == {("path",): "a/b/c.txt"}
    assert t.match(segs("/v1/files")) == {("path",): ""}


def test_star_never_matches_an_empty_segment() -> None:
    t = parse_template("/v1/wild/*/x")
    assert t.match(segs("/v1/wild//x")) is None
    assert t.match(segs("/v1/wild/y/x")) == {}


def test_verb_is_required_and_stripped_only_on_verb_templates() -> None:
    verb = parse_template("/v1/{name=things/*}:cancel")
    assert verb.verb == "cancel"
    assert verb.match(segs("/v1/things/42:cancel")) == {("name",): "things/42"}
    assert verb.match(segs("/v1/things/42")) is None
    plain = parse_template("/v1/users/{id}")
    assert plain.match(segs("/v1/users/user:123")) == {("id",): "user:123"}


def test_nested_field_path_variable() -> None:
    t = parse_template("/v1/{sub.child.name}")
    assert t.variables[0].field_path == ("sub", "child", "name")


def test_literal_matches_its_percent_encoded_form() -> None:
    t = parse_template("/v1/_search")
    assert t.match(segs("/v1/%5Fsearch")) == {}


@pytest.mark.parametrize(
    "template, reason",
    [
        ("v1/items", "start with '/'"),
        ("/v1/items//", "empty segment"),
        ("/v1/**/", "cannot be followed"),
        ("/v1//items", "empty segment"),
        ("/v1/**/x", "last segment"),
        ("/v1/{a=**}/{b=**}", "more than one"),
        ("/v1/{a={b}}", "nested"),
        ("/v1/{a", "unbalanced"),
        ("/v1/{a-b}", "invalid field path"),
        ("/v1/{a}/{a}", "bound twice"),
        ("/v1/x:", "invalid verb"),
        ("/v1/sp ace", "not a wildcard"),
    ],
)
def test_malformed_templates_are_rejected(template: str, reason: str) -> None:
    with pytest.raises(TemplateError, match=reason):
        parse_template(template)


def test_root_template_matches_only_root() -> None:
    t = parse_template("/")
    assert t.match([]) == {}
    assert t.match(["x"]) is None


def test_malformed_escapes_and_bad_utf8_raise_path_error() -> None:
    with pytest.raises(PathError, match="%G1"):
        check_escapes("/v1/items/%G1")
    with pytest.raises(PathError):
        check_escapes("/v1/items/%2")
    with pytest.raises(PathError, match="UTF-8"):
        parse_template("/v1/{id}").match(["v1", "%FF"])
    assert decode_multi("a%2Fb%41") == "a%2FbA"


def test_specificity_literal_beats_star_beats_end_beats_double_star() -> None:
    literal = parse_template("/v1/items/special")
    star = parse_template("/v1/items/{id}")
    exact = parse_template("/v1/files")
    rest = parse_template("/v1/files/{path=**}")
    verb = parse_template("/v1/items/{id}:do")
    assert literal.specificity() < star.specificity()
    assert exact.specificity() < rest.specificity()
    assert verb.specificity() < star.specificity()


def test_overlap_detection() -> None:
    p = parse_template
    assert overlaps(p("/v1/items/special"), p("/v1/items/{id}"))
    assert overlaps(p("/v1/files"), p("/v1/files/{path=**}"))
    assert overlaps(p("/v1/items/{id}"), p("/v1/{name=items/*}:do"))
    assert not overlaps(p("/v1/items/{id}"), p("/v1/things/{id}"))
    assert not overlaps(p("/v1/items/{id}:a"), p("/v1/items/{id}:b"))
    assert not overlaps(p("/v1/items"), p("/v1/items/{id}"))


def test_a_trailing_slash_template_matches_only_paths_with_the_slash() -> None:
    t = parse_template("/api/{version}/checks/")
    assert t.trailing_slash
    assert t.match(["api", "v3", "checks"]) == {("version",): "v3"}  # the door strips the slash first
    assert not parse_template("/api/{version}/checks").trailing_slash
