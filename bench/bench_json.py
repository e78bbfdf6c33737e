"""JsonCodec vs google.protobuf.json_format: encode and decode ops/s on realistic messages.

Run: .venv/bin/python bench/bench_json.py [--seconds 0.1] [--rounds 5]

Fairness: every timestamp in the samples is distinct (distinct days too, PostgreSQL's microsecond
precision), so no whole-timestamp memo could help (there is none, in either direction: the encoder and
the decoder keep only per-day date tables). Ours and json_format's runs alternate in short slices and
the best slice of each is kept, so a busy machine skews both sides alike. Each case also checks that
the generated decoder handles the sample itself (no fallback to the per-key plans).
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from typing import Any

from google.protobuf import json_format
from google.protobuf.duration_pb2 import Duration
from google.protobuf.message import Message
from google.protobuf.timestamp_pb2 import Timestamp

from zitadel import instance_pb2, object_pb2, system_pb2
from ztn.gateway import codec_json_decode
from ztn.gateway.codec_json import codec_for
from ztn.gateway.json_style import JsonStyle
from ztn.testing.v1 import kinds_pb2

_clock = iter(range(10**9))


def _ts() -> Timestamp:
    """A timestamp no other sample shares, on its own day, with microsecond precision."""
    n = next(_clock)
    return Timestamp(seconds=1_600_000_000 + n * 86_413, nanos=(123_456 + n * 7_919) % 1_000_000 * 1000)


def _details(i: int) -> object_pb2.ObjectDetails:
    return object_pb2.ObjectDetails(
        sequence=100 + i, creation_date=_ts(), change_date=_ts(), resource_owner=f"{270000000000000000 + i}"
    )


def _domains(i: int, n: int) -> list[instance_pb2.Domain]:
    return [
        instance_pb2.Domain(
            details=_details(j), domain=f"tenant{i}-{j}.zitadel.cloud", primary=j == 0, generated=j == 1
        )
        for j in range(n)
    ]


def samples() -> list[tuple[str, Message]]:
    k = kinds_pb2
    kinds = k.Kinds(
        f_int32=42,
        f_int64=1234567890123,
        f_string="hello",
        f_bool=True,
        f_enum=2,
        f_double=1.5,
        f_bytes=b"\x00\x01binary",
        f_message=k.Inner(name="inner", count=3, color=1, values=[1, 2, 3]),
        r_string=["a", "b", "c"],
        r_int64=[1, 2, 3],
        m_string_string={"k1": "v1", "k2": "v2"},
        w_timestamp=_ts(),
        w_duration=Duration(seconds=3),
        r_message=[k.Inner(name=f"n{i}", count=i) for i in range(3)],
    )
    detail = instance_pb2.InstanceDetail(
        id="270000000000000001",
        details=_details(1),
        state=instance_pb2.STATE_RUNNING,
        name="acme",
        version="v2.50.0",
        domains=_domains(1, 3),
    )
    listing = system_pb2.ListInstancesResponse(
        details=object_pb2.ListDetails(total_result=20, processed_sequence=999, view_timestamp=_ts()),
        sorting_column=instance_pb2.FIELD_NAME_CREATION_DATE,
        result=[
            instance_pb2.Instance(
                id=f"{270000000000000000 + i}",
                details=_details(i),
                state=instance_pb2.STATE_RUNNING,
                name=f"i{i}",
                version="v2.50.0",
                domains=_domains(i, 2),
            )
            for i in range(20)
        ],
    )
    return [
        ("InstanceDetail (3 domains)", detail),
        ("ListInstancesResponse (20)", listing),
        ("Kinds (mixed)", kinds),
    ]


def _best_rate(fn: Callable[[], Any], seconds: float) -> float:
    n, start = 0, time.perf_counter()
    while (elapsed := time.perf_counter() - start) < seconds:
        for _ in range(10):
            fn()
        n += 10
    return n / elapsed


def _compare(
    ours: Callable[[], Any], theirs: Callable[[], Any], seconds: float, rounds: int
) -> tuple[float, float]:
    a = b = 0.0
    for _ in range(rounds):
        a = max(a, _best_rate(ours, seconds))
        b = max(b, _best_rate(theirs, seconds))
    return a, b


Case = tuple[str, Callable[[], Any], Callable[[], Any]]


def cases(style: JsonStyle, msg: Message) -> list[Case]:
    """(operation, ours, json_format's equivalent) for one message; outputs checked equal first."""
    codec = codec_for(style)
    opts = {"always_print_fields_with_no_presence": style.emit_unpopulated}
    cls = type(msg)
    data = codec.encode(msg)
    obj = codec.to_obj(msg)
    assert obj == json_format.MessageToDict(msg, **opts)
    assert codec.decode(data, cls) == json_format.Parse(data, cls()) == msg
    fast = codec_json_decode.FastDecoder(codec_json_decode.Decoder(style)).message_into(cls.DESCRIPTOR)
    fast(obj, probe := cls(), 1)  # raises if the generated decoder would fall back to the plans
    assert probe == msg
    return [
        ("to_obj / MessageToDict", lambda: codec.to_obj(msg), lambda: json_format.MessageToDict(msg, **opts)),
        (
            "encode / MessageToJson",
            lambda: codec.encode(msg),
            lambda: json_format.MessageToJson(msg, indent=None, **opts),
        ),
        ("from_obj / ParseDict", lambda: codec.from_obj(obj, cls), lambda: json_format.ParseDict(obj, cls())),
        ("decode / Parse", lambda: codec.decode(data, cls), lambda: json_format.Parse(data, cls())),
    ]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=0.1, help="length of one timing slice")
    parser.add_argument("--rounds", type=int, default=5, help="slices per side; the best one counts")
    args = parser.parse_args()
    print(f"{'message [style]':46} {'operation':24} {'ours op/s':>11} {'json_format':>11} {'ratio':>6}")
    for style, label in ((JsonStyle(), "default"), (JsonStyle(emit_unpopulated=True), "emit_unpopulated")):
        for name, msg in samples():
            for op, ours, theirs in cases(style, msg):
                a, b = _compare(ours, theirs, args.seconds, args.rounds)
                print(f"{name + f' [{label}]':46} {op:24} {a:11.0f} {b:11.0f} {a / b:5.1f}x", flush=True)


if __name__ == "__main__":
    main()
