"""Query parameters -> request fields, per grpc-gateway's DefaultQueryParser (spec gateway.md §1.3)."""

from __future__ import annotations

import pytest

from httprule_servicer import raw_request, serve_rest
from ztn.gateway.json_style import JsonStyle
from ztn.gateway.query import QueryError, parse_go_duration


@pytest.fixture(scope="module")
async def client():
    # proto names in the output so assertions read like the proto; zero values omitted.
    async with serve_rest(style=JsonStyle(proto_names=True)) as c:
        yield c


async def get(client, query: str) -> tuple[int, dict]:
    r = await raw_request(client, "GET", "/v1/items/the-id?" + query)
    return r.status, await r.json()


@pytest.mark.parametrize(
    "query, expected",
    [
        ("f_int32=-7", {"f_int32": -7}),
        ("fInt32=7", {"f_int32": 7}),  # JSON name works too
        ("f_int64=9223372036854775807", {"f_int64": "9223372036854775807"}),
        ("f_uint64=18446744073709551615", {"f_uint64": "18446744073709551615"}),
        ("f_bool=t", {"f_bool": True}),
        ("f_bool=TRUE", {"f_bool": True}),
        ("f_bool=1&f_int32=0", {"f_bool": True}),
        ("f_float=1.5", {"f_float": 1.5}),
        ("f_double=1e3", {"f_double": 1000.0}),
        ("f_double=inf", {"f_double": "Infinity"}),
        ("f_bytes=aGk%2B", {"f_bytes": "aGk+"}),  # standard base64 ('+' sent as %2B)
        ("f_bytes=aGk-", {"f_bytes": "aGk+"}),  # URL-safe fallback
        ("f_enum=SHADE_DARK", {"f_enum": "SHADE_DARK"}),
        ("f_enum=1", {"f_enum": "SHADE_LIGHT"}),
        ("opt_int32=0", {"opt_int32": 0}),
        ("name=a+b%20c", {"name": "a b c"}),  # '+' is a space
        ("other=x", {"renamed_field": "x"}),  # custom json_name
        ("r_string=a&r_string=b&rString=c", {"r_string": ["a", "b", "c"]}),
        ("r_int32=1&r_int32=2", {"r_int32": [1, 2]}),
        ("r_enum=SHADE_LIGHT&r_enum=2", {"r_enum": ["SHADE_LIGHT", "SHADE_DARK"]}),
        ("sub.name=n&sub.child.count=3", {"sub": {"name": "n", "child": {"count": "3"}}}),
        ("sub.shade=SHADE_DARK", {"sub": {"shade": "SHADE_DARK"}}),
        ("labels[k]=v&labels[x]=y", {"labels": {"k": "v", "x": "y"}}),
        ("counts[a]=5", {"counts": {"a": 5}}),
        ("ts=2024-01-02T03:04:05.5Z", {"ts": "2024-01-02T03:04:05.500Z"}),
        ("ts=2024-01-02T03:04:05%2B02:00", {"ts": "2024-01-02T01:04:05Z"}),
        ("dur=1h30m", {"dur": "5400s"}),
        ("dur=1.5s", {"dur": "1.500s"}),
        ("dur=-300ms", {"dur": "-0.300s"}),
        ("mask=a.b_c,d", {"mask": "a.bC,d"}),  # stored verbatim; JSON output camel-cases
        ("w_int64=5", {"w_int64": "5"}),
        ("w_bool=false", {"w_bool": False}),
        ("w_string=", {"w_string": ""}),
        ("w_double=2.5", {"w_double": 2.5}),
        ("w_bytes=aGk%3D", {"w_bytes": "aGk="}),
        ("f_struct=%7B%22a%22%3A%5B1%2Ctrue%5D%7D", {"f_struct": {"a": [1, True]}}),
        ("f_value=%22s%22", {"f_value": "s"}),
        ("r_ts=2024-01-01T00:00:00Z&r_ts=2024-01-02T00:00:00Z",
         {"r_ts": ["2024-01-01T00:00:00Z", "2024-01-02T00:00:00Z"]}),
        ("pick_a=x", {"pick_a": "x"}),
        ("unknown=1&sub.unknown=2&f_int32=4", {"f_int32": 4}),  # unknown names ignored
        ("id=other&f_int32=4", {"f_int32": 4}),  # path-bound field ignored
    ],
)
async def test_query_values_fill_fields(client, query, expected) -> None:
    status, body = await get(client, query)
    assert status == 200, body
    assert body == {"id": "the-id", **expected}


@pytest.mark.parametrize(
    "query, fragment",
    [
        ("f_int32=0x1F", "base-10"),
        ("f_int32=1_000", "base-10"),
        ("f_int32=2147483648", "out of range"),
        ("f_uint32=-1", "base-10"),
        ("f_int32=", "base-10"),
        ("f_bool=yes", "not a boolean"),
        ("f_float=1e39", "out of range"),
        ("f_double=abc", "not a number"),
        ("f_enum=SHADE_PURPLE", "not a valid value"),
        ("f_enum=9", "not a valid value"),
        ("f_enum=shade_dark", "not a valid value"),
        ("f_bytes=a+b", "not base64"),
        ("ts=2024-01-02T03:04:05", "RFC 3339"),
        ("dur=5", "not a duration"),
        ("dur=1d", "not a duration"),
        ("f_struct=%7Bbad", "not valid JSON"),
        ("f_int32=1&f_int32=2", "too many values"),
        ("pick_a=x&pick_b=1", "already set for oneof"),
        ("r_sub.name=x", "not a singular message"),
        ("name.x=1", "not a singular message"),
        ("r_sub=x", "unsupported message type"),
        ("sub=x", "unsupported message type"),
        ("labels[k]=a&labels[k]=b", "exactly one value"),
        ("counts[a]=x", "base-10"),
        ("sub." + "child." * 40 + "name=x", "nested too deeply"),
    ],
)
async def test_bad_query_values_are_400(client, query, fragment) -> None:
    status, body = await get(client, query)
    assert status == 400
    assert body["code"] == 3
    assert fragment in body["message"]


async def test_query_is_ignored_for_body_star(client) -> None:
    r = await raw_request(client, "POST", "/v1/whole/p?f_int32=5&name=q", json={"name": "b"})
    assert await r.json() == {"id": "p", "name": "b"}


async def test_query_does_not_set_the_body_field(client) -> None:
    r = await raw_request(client, "PATCH", "/v1/items/p?sub.name=q&name=n", json={"count": 2})
    assert await r.json() == {"id": "p", "name": "n", "sub": {"count": "2"}}


@pytest.mark.parametrize(
    "text, nanos",
    [
        ("0", 0),
        ("1h30m", 5400 * 10**9),
        ("1.5s", 1_500_000_000),
        ("-2s", -2 * 10**9),
        ("300ms", 300_000_000),
        ("1us", 1000),
        ("1µs", 1000),
        ("2h45m30.5s", (2 * 3600 + 45 * 60 + 30) * 10**9 + 500_000_000),
        (".5s", 5 * 10**8),
    ],
)
def test_go_duration_syntax(text, nanos) -> None:
    assert parse_go_duration(text) == nanos


@pytest.mark.parametrize("text", ["", "s", "1", "1x", "--1s", "1.s.s", "3000000h"])
def test_bad_go_durations(text) -> None:
    with pytest.raises(QueryError):
        parse_go_duration(text)
