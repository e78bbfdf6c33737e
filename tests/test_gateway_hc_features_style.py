"""JsonStyle options for Python-web-style APIs, one by one and as SNAKE_NULLS_ISO: declaration-order keys,
omitted unset optionals, isoformat timestamps; over the REST door, and decoding still working."""

from __future__ import annotations

import datetime

import orjson
import pytest
from google.protobuf import json_format

from styled_servicer import serve_styled
from ztn.gateway.codec_json import JsonCodecError, codec_for
from ztn.gateway.json_style import CANONICAL, SNAKE_NULLS_ISO, JsonStyle
from ztn.testing.v1 import styled_pb2

Item = styled_pb2.StyledItem
NULLS = JsonStyle(proto_names=True, emit_unpopulated=True, null_unset_messages=True)


def encode(style: JsonStyle, msg) -> bytes:
    return codec_for(style).encode(msg)


def keys(style: JsonStyle, msg) -> list[str]:
    return list(orjson.loads(encode(style, msg)))


def at(seconds: int, nanos: int = 0):
    ts = Item().seen
    ts.seconds, ts.nanos = seconds, nanos
    return Item(seen=ts)


async def test_the_rest_door_prints_the_whole_style() -> None:
    async with serve_styled() as client:
        r = await client.get("/styled/v1/items/full")
        assert await r.read() == (
            b'{"name":"full","count":12345678901,"seen":"2020-03-24T14:02:03.113073+00:00","note":"",'
            b'"label":"lbl","size":0,"tags":["a"],"child":{"name":"kid","count":0,"seen":null,"label":null,'
            b'"tags":[],"child":null,"attrs":{},"flag":false},"attrs":{"k":"v"},"flag":true}'
        )
        r = await client.get("/styled/v1/items/empty")
        assert await r.read() == (
            b'{"name":"","count":0,"seen":null,"label":null,"tags":[],"child":null,"attrs":{},"flag":false}'
        )


def test_declaration_order_alone_orders_the_populated_keys() -> None:
    msg = Item(name="n", count=1, note="x", flag=True)
    assert keys(JsonStyle(declaration_order=True), msg) == ["name", "count", "note", "flag"]
    assert keys(CANONICAL, msg) == ["count", "note", "name", "flag"]  # field-number order, unchanged


def test_declaration_order_puts_unpopulated_keys_in_place() -> None:
    style = JsonStyle(proto_names=True, emit_unpopulated=True, declaration_order=True)
    declared = [f.name for f in Item.DESCRIPTOR.fields]
    # Unset optionals and (without null_unset_messages) unset messages stay omitted.
    omitted = ("note", "size", "seen", "label", "child")
    assert keys(style, Item(flag=True)) == [k for k in declared if k not in omitted]
    assert keys(SNAKE_NULLS_ISO, Item(flag=True)) == [k for k in declared if k not in ("note", "size")]
    # Without it, unpopulated keys come after the populated ones, as json_format prints them.
    assert keys(NULLS, Item(flag=True))[0] == "flag"


def test_omit_unset_optionals_keeps_set_zero_optionals_and_nulls_messages() -> None:
    style = JsonStyle(emit_unpopulated=True, null_unset_messages=True, omit_unset_optionals=True)
    out = orjson.loads(encode(style, Item(size=0)))
    assert out["size"] == "0" and "note" not in out
    assert out["seen"] is None and out["label"] is None and out["child"] is None
    # Without the option the unset optionals print as null.
    out = orjson.loads(encode(NULLS, Item()))
    assert out["note"] is None and out["size"] is None


@pytest.mark.parametrize(
    "seconds, nanos, text",
    [
        (1585058523, 0, "2020-03-24T14:02:03+00:00"),
        (1585058523, 113073000, "2020-03-24T14:02:03.113073+00:00"),
        (1585058523, 500000000, "2020-03-24T14:02:03.500000+00:00"),
        (1585058523, 1500, "2020-03-24T14:02:03.000001+00:00"),  # nanoseconds truncated to micros
        (1585058523, 999, "2020-03-24T14:02:03+00:00"),  # no microseconds left: no fraction
        (0, 0, "1970-01-01T00:00:00+00:00"),
        (-62135596800, 0, "0001-01-01T00:00:00+00:00"),
    ],
)
def test_isoformat_timestamps(seconds, nanos, text) -> None:
    style = JsonStyle(timestamp_format="isoformat")
    assert orjson.loads(encode(style, at(seconds, nanos)))["seen"] == text
    moment = datetime.datetime.fromtimestamp(seconds, datetime.UTC)
    assert text == (moment + datetime.timedelta(microseconds=nanos // 1000)).isoformat()


def test_isoformat_timestamps_in_lists_and_maps_and_range_checks() -> None:
    from google.protobuf import struct_pb2, timestamp_pb2  # noqa: F401 (descriptors for Any)

    style = JsonStyle(timestamp_format="isoformat")
    codec = codec_for(style)
    assert codec.to_obj(timestamp_pb2.Timestamp(seconds=1)) == "1970-01-01T00:00:01+00:00"
    with pytest.raises(JsonCodecError, match="out of range"):
        codec.encode(at(253402300800))
    with pytest.raises(JsonCodecError, match="out of range"):
        codec.encode(at(0, -1))


def test_rfc3339_stays_the_default() -> None:
    assert orjson.loads(encode(CANONICAL, at(1585058523, 113073000)))["seen"] == "2020-03-24T14:02:03.113073Z"
    with pytest.raises(ValueError, match="timestamp_format"):
        JsonStyle(timestamp_format="django")


def test_the_default_style_still_matches_json_format() -> None:
    msg = Item(name="n", count=5, note="", size=7, tags=["t"], flag=True)
    msg.seen.FromDatetime(datetime.datetime(2020, 3, 24, 14, 2, 3, 113073))
    msg.label.value = ""
    msg.child.name = "c"
    msg.attrs["k"] = "v"
    expected = json_format.MessageToDict(msg)
    assert list(orjson.loads(encode(CANONICAL, msg)).items()) == list(expected.items())


def test_decoding_under_the_style_accepts_its_own_output() -> None:
    codec = codec_for(SNAKE_NULLS_ISO)
    msg = Item(name="x", count=3, note="", tags=["a"], flag=True)
    msg.seen.FromDatetime(datetime.datetime(2020, 3, 24, 14, 2, 3, 5))
    msg.child.name = "kid"
    assert codec.decode(codec.encode(msg), Item) == msg
    offset = codec.decode(b'{"seen": "2020-03-24T16:02:03+02:00", "label": null}', Item)
    assert offset.seen.seconds == 1585058523 and not offset.HasField("label")
