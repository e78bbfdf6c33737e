"""The SNAKE_NULLS_ISO JSON style (Python web APIs): key order, nulls, omitted optionals, ``+00:00``."""

from __future__ import annotations

import orjson

from ztn.gateway.codec_json import codec_for
from ztn.gateway.json_style import SNAKE_NULLS_ISO
from ztn.healthchecks.v3 import healthchecks_pb2 as pb

codec = codec_for(SNAKE_NULLS_ISO)


def test_keys_follow_declaration_order_with_unset_fields_in_place() -> None:
    check = pb.Check(name="A", grace=60, status="new", uuid="u", timeout=300)
    keys = list(orjson.loads(codec.encode(check)))
    declared = [f.name for f in pb.Check.DESCRIPTOR.fields]
    assert keys == [k for k in declared if k in keys]
    assert keys.index("last_ping") < keys.index("manual_resume")


def test_unset_messages_are_null_and_unset_optional_scalars_are_omitted() -> None:
    out = orjson.loads(codec.encode(pb.Check(name="A", timeout=300)))
    assert out["last_ping"] is None and out["next_ping"] is None
    for absent in ("last_duration", "unique_key", "uuid", "schedule", "tz"):
        assert absent not in out
    assert out["timeout"] == 300 and out["n_pings"] == 0 and out["started"] is False
    assert len(out) == 23


def test_int64_are_numbers_and_zero_optionals_that_are_set_print() -> None:
    out = orjson.loads(codec.encode(pb.Check(n_pings=12345678901, last_duration=0)))
    assert out["n_pings"] == 12345678901 and out["last_duration"] == 0


def test_timestamps_print_as_python_isoformat() -> None:
    check = pb.Check()
    check.last_ping.seconds = 1584885723  # 2020-03-22T14:02:03Z
    assert orjson.loads(codec.encode(check))["last_ping"] == "2020-03-22T14:02:03+00:00"
    ping = pb.Ping(type="success")
    ping.date.seconds, ping.date.nanos = 1591714266, 113073000
    assert orjson.loads(codec.encode(ping))["date"] == "2020-06-09T14:51:06.113073+00:00"


def test_wrappers_print_their_value_or_null() -> None:
    ping = pb.Ping()
    ping.rid.value = "0b2f1a14-3bcd-4cc2-9e32-0f4d6c1c5d3a"
    out = orjson.loads(codec.encode(ping))
    assert out["rid"] == "0b2f1a14-3bcd-4cc2-9e32-0f4d6c1c5d3a"
    assert out["remote_addr"] is None and out["body_url"] is None and "duration" not in out


def test_maps_of_messages() -> None:
    out = orjson.loads(codec.encode(pb.ListBadgesResponse(badges={"*": pb.BadgeUrls(svg="s")})))
    assert out == {"badges": {"*": {"svg": "s", "svg3": "", "json": "", "json3": "", "shields": "",
                                    "shields3": ""}}}
