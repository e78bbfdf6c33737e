"""JsonCodec vs google.protobuf.json_format: encode and decode ops/s on realistic messages.

Run: .venv/bin/python bench/bench_json.py
"""

from __future__ import annotations

import importlib.util
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from google.protobuf import json_format
from google.protobuf.duration_pb2 import Duration
from google.protobuf.message import Message
from google.protobuf.timestamp_pb2 import Timestamp

from ztn.gateway.codec_json import codec_for
from ztn.gateway.json_style import JsonStyle

GEN = Path(__file__).resolve().parent.parent / "gen"


def _kinds() -> Any:
    # ztn.testing.v1 shares the top-level name "ztn" with src/ztn, so load the module by file.
    spec = importlib.util.spec_from_file_location(
        "ztn_testing_kinds_pb2", GEN / "ztn/testing/v1/kinds_pb2.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _samples() -> list[tuple[str, Message]]:
    k = _kinds()
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
        w_timestamp=Timestamp(seconds=1700000000, nanos=123000000),
        w_duration=Duration(seconds=3),
        r_message=[k.Inner(name=f"n{i}", count=i) for i in range(3)],
    )
    out = [("Kinds (mixed)", kinds)]
    if str(GEN) not in sys.path:
        sys.path.append(str(GEN))
    try:
        from zitadel import instance_pb2, object_pb2, system_pb2
    except ImportError:
        return out

    def details(i: int) -> Any:
        return object_pb2.ObjectDetails(
            sequence=100 + i,
            creation_date=Timestamp(seconds=1700000000 + i, nanos=5000000),
            change_date=Timestamp(seconds=1700000500 + i),
            resource_owner=f"{270000000000000000 + i}",
        )

    def domains(i: int, n: int) -> list[Any]:
        return [
            instance_pb2.Domain(
                details=details(j), domain=f"tenant{i}-{j}.zitadel.cloud", primary=j == 0, generated=j == 1
            )
            for j in range(n)
        ]

    detail = instance_pb2.InstanceDetail(
        id="270000000000000001",
        details=details(1),
        state=instance_pb2.STATE_RUNNING,
        name="acme",
        version="v2.50.0",
        domains=domains(1, 3),
    )
    listing = system_pb2.ListInstancesResponse(
        details=object_pb2.ListDetails(
            total_result=20, processed_sequence=999, view_timestamp=Timestamp(seconds=1700000999)
        ),
        sorting_column=instance_pb2.FIELD_NAME_CREATION_DATE,
        result=[
            instance_pb2.Instance(
                id=f"{270000000000000000 + i}",
                details=details(i),
                state=2,
                name=f"i{i}",
                version="v2.50.0",
                domains=domains(i, 2),
            )
            for i in range(20)
        ],
    )
    return [*out, ("InstanceDetail (3 domains)", detail), ("ListInstancesResponse (20)", listing)]


def _rate(fn: Callable[[], Any], seconds: float = 0.4) -> float:
    n, start = 0, time.perf_counter()
    while (elapsed := time.perf_counter() - start) < seconds:
        for _ in range(20):
            fn()
        n += 20
    return n / elapsed


Case = tuple[str, Callable[[], Any], Callable[[], Any]]


def _cases(style: JsonStyle, msg: Message) -> list[Case]:
    """(operation, ours, json_format's equivalent) for one message."""
    codec = codec_for(style)
    opts = {"always_print_fields_with_no_presence": style.emit_unpopulated}
    cls = type(msg)
    data = codec.encode(msg)
    obj = codec.to_obj(msg)
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
    rows = []
    for style, label in ((JsonStyle(), "default"), (JsonStyle(emit_unpopulated=True), "emit_unpopulated")):
        for name, msg in _samples():
            for op, ours, theirs in _cases(style, msg):
                a, b = _rate(ours), _rate(theirs)
                rows.append((f"{name} [{label}]", op, a, b, a / b))
    print(f"{'message [style]':46} {'operation':24} {'ours op/s':>11} {'json_format':>11} {'ratio':>6}")
    for name, op, a, b, r in rows:
        print(f"{name:46} {op:24} {a:11.0f} {b:11.0f} {r:5.1f}x")


if __name__ == "__main__":
    main()
