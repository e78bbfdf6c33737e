"""JsonCodec: output equal to json_format (values and types) across styles, round trips, input rules."""

from __future__ import annotations

import itertools
import math
import random
from typing import Any

import orjson
import pytest
from google.protobuf import json_format
from google.protobuf.any_pb2 import Any as AnyMsg
from google.protobuf.descriptor import FieldDescriptor
from google.protobuf.duration_pb2 import Duration
from google.protobuf.message import Message
from google.protobuf.struct_pb2 import Value
from google.protobuf.timestamp_pb2 import Timestamp
from google.protobuf.wrappers_pb2 import Int64Value

from zitadel import instance_pb2, object_pb2, system_pb2
from ztn.gateway.codec_json import JsonCodec, JsonCodecError, codec_for
from ztn.gateway.codec_json_decode import Decoder, FastDecoder
from ztn.gateway.codec_json_encode import Encoder
from ztn.gateway.json_style import JsonStyle
from ztn.testing.v1 import kinds_pb2

Kinds, Inner = kinds_pb2.Kinds, kinds_pb2.Inner
_T = FieldDescriptor


# --- a deterministic random message generator over descriptors ------------------------------------
class Gen:
    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)

    def scalar(self, fd: FieldDescriptor) -> Any:
        r, t = self.rng, fd.type
        if t in (_T.TYPE_INT32, _T.TYPE_SINT32, _T.TYPE_SFIXED32):
            return r.choice([0, 1, -1, 2**31 - 1, -(2**31), r.randint(-1000, 1000)])
        if t in (_T.TYPE_UINT32, _T.TYPE_FIXED32):
            return r.choice([0, 1, 2**32 - 1, r.randint(0, 10**6)])
        if t in (_T.TYPE_INT64, _T.TYPE_SINT64, _T.TYPE_SFIXED64):
            return r.choice([0, -1, 2**63 - 1, -(2**63), 2**53 + 1, r.randint(-(10**12), 10**12)])
        if t in (_T.TYPE_UINT64, _T.TYPE_FIXED64):
            return r.choice([0, 2**64 - 1, r.randint(0, 10**12)])
        if t in (_T.TYPE_DOUBLE, _T.TYPE_FLOAT):
            return r.choice([0.0, 1.5, -2.25, 0.1, 1e10, math.inf, -math.inf, math.nan, 3.0])
        if t == _T.TYPE_BOOL:
            return r.random() < 0.5
        if t == _T.TYPE_STRING:
            return r.choice(["", "a", "héllo wörld ✓", 'quote"back\\slash', "line\nbreak", "𝄞"])
        if t == _T.TYPE_BYTES:
            return bytes(r.randrange(256) for _ in range(r.randrange(0, 9)))
        if t == _T.TYPE_ENUM:
            numbers = [v.number for v in fd.enum_type.values]
            return r.choice([*numbers, 7])  # 7: an unknown number of an open enum
        raise AssertionError(t)

    def wkt(self, msg: Message) -> bool:
        r, name = self.rng, msg.DESCRIPTOR.full_name
        if name == "google.protobuf.Timestamp":
            msg.seconds = r.choice(
                [0, -1, 1700000000, -62135596800, 253402300799, r.randint(-(10**10), 10**10)]
            )
            msg.nanos = r.choice([0, 1, 500000000, 123000, 123456789, 1000])
        elif name == "google.protobuf.Duration":
            s = r.choice([0, 1, 315576000000, r.randint(1, 10**6)])
            n = r.choice([0, 500000000, 1000, 7])
            sign = r.choice([1, -1])
            msg.seconds, msg.nanos = s * sign, n * sign
        elif name == "google.protobuf.FieldMask":
            msg.paths.extend(r.sample(["foo", "foo_bar", "a.b_c", "x.y.z_w"], r.randint(0, 3)))
        elif name == "google.protobuf.Value":
            self.value(msg, 0)
        elif name == "google.protobuf.Struct":
            for k in r.sample(["a", "b", "c_d", "ключ"], r.randint(0, 3)):
                self.value(msg.fields[k], 1)
        elif name == "google.protobuf.ListValue":
            for _ in range(r.randint(0, 3)):
                self.value(msg.values.add(), 1)
        elif name == "google.protobuf.Any":
            if r.random() < 0.2:
                return True  # an empty Any prints as {}
            inner = r.choice(
                [
                    Inner(name="x", count=5, color=2),
                    Timestamp(seconds=3),
                    Int64Value(value=9),
                    Duration(seconds=1, nanos=5),
                    Value(string_value="v"),
                ]
            )
            msg.Pack(inner)
        else:
            return False
        return True

    def value(self, v: Value, depth: int) -> None:
        kinds_ = ["null", "num", "str", "bool"] + (["struct", "list"] if depth < 3 else [])
        k = self.rng.choice(kinds_)
        if k == "null":
            v.null_value = 0
        elif k == "num":
            v.number_value = self.rng.choice([0.0, 1.0, -3.5, 1e100])
        elif k == "str":
            v.string_value = self.rng.choice(["", "s", "ü"])
        elif k == "bool":
            v.bool_value = self.rng.random() < 0.5
        elif k == "struct":
            v.struct_value.SetInParent()
            for key in self.rng.sample(["p", "q"], self.rng.randint(0, 2)):
                self.value(v.struct_value.fields[key], depth + 1)
        else:
            v.list_value.SetInParent()
            for _ in range(self.rng.randint(0, 2)):
                self.value(v.list_value.values.add(), depth + 1)

    def fill(self, msg: Message, depth: int = 0) -> Message:
        if self.wkt(msg):
            return msg
        r = self.rng
        for fd in msg.DESCRIPTOR.fields:
            if r.random() < 0.45 or (fd.message_type is not None and depth >= 3):
                continue
            mt = fd.message_type
            if mt is not None and mt.GetOptions().map_entry:
                target = getattr(msg, fd.name)
                kfd, vfd = mt.fields_by_name["key"], mt.fields_by_name["value"]
                for _ in range(r.randint(0, 3)):
                    key = self.scalar(kfd)
                    if vfd.message_type is not None:
                        self.fill(target[key], depth + 1)
                    else:
                        target[key] = self.scalar(vfd)
            elif fd.is_repeated:
                target = getattr(msg, fd.name)
                for _ in range(r.randint(0, 3)):
                    if mt is not None:
                        self.fill(target.add(), depth + 1)
                    else:
                        target.append(self.scalar(fd))
            elif mt is not None:
                sub = getattr(msg, fd.name)
                sub.SetInParent()
                self.fill(sub, depth + 1)
            else:
                setattr(msg, fd.name, self.scalar(fd))
        return msg


def strict(x: Any) -> Any:
    """JSON value with its types pinned, so that 1 != 1.0 != True and "1" != 1 in comparisons."""
    if isinstance(x, dict):
        return {k: strict(v) for k, v in x.items()}
    if isinstance(x, list):
        return [strict(v) for v in x]
    return (type(x).__name__, x)


def wire(m: Message) -> bytes:
    return m.SerializeToString(deterministic=True)


STYLES = [
    JsonStyle(proto_names=p, emit_unpopulated=e, enums_as_ints=i)
    for p, e, i in itertools.product([False, True], repeat=3)
]


def json_format_dict(m: Message, style: JsonStyle) -> Any:
    return json_format.MessageToDict(
        m,
        preserving_proto_field_name=style.proto_names,
        always_print_fields_with_no_presence=style.emit_unpopulated,
        use_integers_for_enums=style.enums_as_ints,
    )


def generated(cls: type[Message], count: int, seed: int) -> list[Message]:
    return [Gen(seed * 1000 + i).fill(cls()) for i in range(count)]


# --- output equality with json_format -----------------------------------------------------------
@pytest.fixture(params=["direct", "walk"])
def plan_kind(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Encoders read fields directly, or walk ListFields() (wide messages): check both on every type."""
    monkeypatch.setattr(Encoder, "WIDE_FIELDS", 10**6 if request.param == "direct" else -1)
    return request.param


@pytest.mark.parametrize("style", STYLES, ids=repr)
def test_output_equals_json_format_for_generated_messages(style: JsonStyle, plan_kind: str) -> None:
    codec = JsonCodec(style)
    for m in [Kinds(), *generated(Kinds, 60, seed=1)]:
        assert strict(codec.to_obj(m)) == strict(json_format_dict(m, style)), m
        # Byte-equal too: same key order as json_format (set fields by number, then unpopulated ones).
        assert codec.encode(m) == orjson.dumps(json_format_dict(m, style))


def test_negative_zero_is_printed_like_json_format(plan_kind: str) -> None:
    m = Kinds(f_double=-0.0, f_float=-0.0, f_message=Inner())
    for style in STYLES:
        assert strict(JsonCodec(style).to_obj(m)) == strict(json_format_dict(m, style))


def test_timestamps_print_like_json_format() -> None:
    rng = random.Random(7)
    to = codec_for(JsonStyle()).to_obj
    for _ in range(3000):
        nanos = rng.choice(
            [0, rng.randrange(10**9), rng.randrange(1000) * 10**6, rng.randrange(10**6) * 1000]
        )
        ts = Timestamp(seconds=rng.randint(-62135596800, 253402300799), nanos=nanos)
        assert to(Kinds(w_timestamp=ts))["wTimestamp"] == ts.ToJsonString()


@pytest.mark.parametrize("style", STYLES, ids=repr)
def test_round_trip_and_decode_equals_json_format_parse(style: JsonStyle) -> None:
    codec = JsonCodec(style)
    for m in generated(Kinds, 40, seed=2):
        data = codec.encode(m)
        back = codec.decode(data, Kinds)
        assert wire(back) == wire(m)
        assert wire(back) == wire(json_format.Parse(data, Kinds()))


def test_zitadel_messages_equal_json_format() -> None:
    for style in STYLES:
        codec = JsonCodec(style)
        for cls in (instance_pb2.InstanceDetail, system_pb2.ListInstancesResponse):
            for m in generated(cls, 10, seed=3):
                assert strict(codec.to_obj(m)) == strict(json_format_dict(m, style))
                assert wire(codec.decode(codec.encode(m), cls)) == wire(m)


def test_int64_as_numbers_prints_plain_numbers() -> None:
    m = Kinds(
        f_int64=-5, f_uint64=2**64 - 1, r_int64=[1, 2], m_int64_string={7: "x"}, w_int64=Int64Value(value=3)
    )
    obj = JsonCodec(JsonStyle(int64_as_numbers=True)).to_obj(m)
    assert strict(obj) == strict(
        {"fInt64": -5, "fUint64": 2**64 - 1, "rInt64": [1, 2], "mInt64String": {"7": "x"}, "wInt64": 3}
    )


def test_null_unset_messages_prints_null_for_unset_messages_and_optionals_only() -> None:
    style = JsonStyle(emit_unpopulated=True, null_unset_messages=True)
    obj = JsonCodec(style).to_obj(Kinds(f_message=Inner(name="n")))
    assert obj["fMessage"] == {
        "name": "n",
        "count": "0",
        "color": "COLOR_UNSPECIFIED",
        "values": [],
        "child": None,
    }
    assert obj["wTimestamp"] is None and obj["wAny"] is None and obj["child"] is None
    assert obj["oInt32"] is None and obj["oString"] is None  # proto3 optional
    assert "cString" not in obj and "cMessage" not in obj  # real oneof members stay omitted
    assert obj["fInt32"] == 0 and obj["rInt32"] == [] and obj["mStringString"] == {}
    assert JsonCodec(JsonStyle(null_unset_messages=True)).to_obj(Kinds()) == {}  # only with emit_unpopulated


def test_encode_is_compact_utf8() -> None:
    data = codec_for(JsonStyle()).encode(Kinds(f_string="é", f_int32=1))
    assert data == '{"fInt32":1,"fString":"é"}'.encode()


def test_codec_for_is_cached_per_style() -> None:
    assert codec_for(JsonStyle()) is codec_for(JsonStyle())
    assert codec_for(JsonStyle()) is not codec_for(JsonStyle(proto_names=True))


def test_well_known_type_formats() -> None:
    to = codec_for(JsonStyle()).to_obj
    assert (
        to(Kinds(w_timestamp=Timestamp(seconds=1, nanos=500000000)))["wTimestamp"]
        == "1970-01-01T00:00:01.500Z"
    )
    assert to(Kinds(w_duration=Duration(seconds=1, nanos=500000000)))["wDuration"] == "1.500s"
    assert to(Kinds(w_duration=Duration(nanos=-500000000)))["wDuration"] == "-0.500s"
    assert to(Kinds(f_bytes=b"\xfb\xff"))["fBytes"] == "+/8="
    assert to(Kinds(f_double=math.nan, f_float=math.inf)) == {"fDouble": "NaN", "fFloat": "Infinity"}
    assert to(Kinds(f_enum=9)) == {"fEnum": 9}
    assert to(Kinds(m_bool_enum={True: 1})) == {"mBoolEnum": {"true": "COLOR_RED"}}


# --- input rules --------------------------------------------------------------------------------
LENIENT = codec_for(JsonStyle())
STRICT = codec_for(JsonStyle(ignore_unknown_fields=False))


def test_accepts_proto_and_json_names() -> None:
    a = LENIENT.from_obj({"f_int32": 1, "renamedField": "x", "rInt64": ["5", 6]}, Kinds)
    b = LENIENT.from_obj({"fInt32": 1, "custom_name": "x", "r_int64": [5, "6"]}, Kinds)
    assert a == b == Kinds(f_int32=1, custom_name="x", r_int64=[5, 6])


def test_numbers_in_their_accepted_forms() -> None:
    m = LENIENT.from_obj(
        {
            "fInt32": "12",
            "fUint32": 1e2,
            "fInt64": 7,
            "fSint64": "-3",
            "fDouble": "1e5",
            "fFloat": "-Infinity",
            "oDouble": "NaN",
            "fEnum": 2,
            "rEnum": ["COLOR_BLUE", 1],
        },
        Kinds,
    )
    assert (m.f_int32, m.f_uint32, m.f_int64, m.f_sint64, m.f_double) == (12, 100, 7, -3, 1e5)
    assert m.f_float == -math.inf and math.isnan(m.o_double)
    assert m.f_enum == 2 and list(m.r_enum) == [3, 1]


def test_null_means_unset_except_value() -> None:
    m = LENIENT.from_obj(
        {"fMessage": None, "fInt32": None, "rInt32": None, "wValue": None, "oInt32": None}, Kinds
    )
    assert not m.HasField("f_message") and not m.HasField("o_int32")
    assert m.HasField("w_value") and m.w_value.WhichOneof("kind") == "null_value"


def test_bytes_accept_std_and_urlsafe_padded_or_not() -> None:
    for text in ("+/8=", "+/8", "-_8=", "-_8"):
        assert LENIENT.from_obj({"fBytes": text}, Kinds).f_bytes == b"\xfb\xff"


def test_timestamp_with_offset_is_normalised_to_utc() -> None:
    m = LENIENT.from_obj({"wTimestamp": "1970-01-01T01:00:01.5+01:00"}, Kinds)
    assert (m.w_timestamp.seconds, m.w_timestamp.nanos) == (1, 500000000)
    assert LENIENT.to_obj(m) == {"wTimestamp": "1970-01-01T00:00:01.500Z"}


def test_maps_with_int_and_bool_keys() -> None:
    m = LENIENT.from_obj({"mInt32Int64": {"-1": "5"}, "mBoolEnum": {"false": "COLOR_RED"}}, Kinds)
    assert dict(m.m_int32_int64) == {-1: 5} and dict(m.m_bool_enum) == {False: 1}


def test_unknown_enum_name_is_ignored_only_when_unknown_fields_are() -> None:
    assert LENIENT.from_obj({"fEnum": "NOPE", "rEnum": ["NOPE", "COLOR_RED"]}, Kinds) == Kinds(r_enum=[1])
    with pytest.raises(JsonCodecError, match="fEnum"):
        STRICT.from_obj({"fEnum": "NOPE"}, Kinds)


def test_unknown_fields_ignored_or_rejected_by_style() -> None:
    assert LENIENT.from_obj({"nope": 1, "fInt32": 2}, Kinds) == Kinds(f_int32=2)
    with pytest.raises(JsonCodecError, match='unknown field "nope"'):
        STRICT.from_obj({"nope": 1}, Kinds)
    with pytest.raises(JsonCodecError, match='unknown field "fMessage.nope"'):
        STRICT.from_obj({"fMessage": {"nope": 1}}, Kinds)


def test_empty_body_is_empty_message() -> None:
    assert LENIENT.decode(b"", Kinds) == Kinds()
    assert LENIENT.decode(b"  \n", Kinds) == Kinds()


def test_any_decodes_regular_and_well_known_payloads() -> None:
    packed = AnyMsg()
    packed.Pack(Inner(name="z"))
    obj = LENIENT.to_obj(Kinds(w_any=packed))
    assert obj["wAny"] == {"@type": "type.googleapis.com/ztn.testing.v1.Inner", "name": "z"}
    assert LENIENT.from_obj(obj, Kinds).w_any == packed


def test_merge_obj_replaces_lists_sets_zero_and_clears_null() -> None:
    m = Kinds(f_int32=5, r_int32=[1, 2], f_message=Inner(name="a", count=1), f_string="keep")
    LENIENT.merge_obj({"fInt32": 0, "rInt32": [3], "fMessage": {"count": 2}, "fString": None}, m)
    assert m == Kinds(r_int32=[3], f_message=Inner(name="a", count=2))
    LENIENT.merge_field("7", "f_int64", m)
    assert m.f_int64 == 7


BAD_INPUTS = [
    ({"fInt32": "abc"}, 'invalid value for field "fInt32": expected integer'),
    ({"fInt32": 1.5}, "expected integer"),
    ({"fInt32": 2**31}, "out of range"),
    ({"fUint64": -1}, "out of range"),
    ({"fInt32": True}, "expected integer"),
    ({"fInt32": " 1"}, "expected integer"),
    ({"fBool": "true"}, "expected true or false"),
    ({"fBool": 1}, "expected true or false"),
    ({"fString": 5}, "expected string"),
    ({"fDouble": "nan"}, "expected number"),
    ({"fFloat": 1e39}, "out of range"),
    ({"fBytes": "!!!"}, "base64"),
    ({"fBytes": 5}, "base64"),
    ({"fEnum": 1.5}, "expected integer"),
    ({"fMessage": 5}, 'field "fMessage": expected object'),
    ({"fMessage": {"count": "x"}}, 'field "fMessage.count"'),
    ({"rInt32": 5}, "expected array"),
    ({"rInt32": [1, None]}, 'field "rInt32[1]": null is not allowed'),
    ({"rMessage": [{}, {"name": 3}]}, 'field "rMessage[1].name"'),
    ({"mStringString": []}, "expected object"),
    ({"mInt32Int64": {"x": "1"}}, "map key must be an integer"),
    ({"mBoolEnum": {"yes": 1}}, "map key"),
    ({"mStringString": {"a": None}}, "null is not allowed"),
    ({"cString": "a", "cInt64": 1}, 'oneof "choice"'),
    ({"f_int32": 1, "fInt32": 2}, "given twice"),
    ({"wTimestamp": "2020-01-01"}, "RFC 3339"),
    ({"wTimestamp": "2020-13-01T00:00:00Z"}, "invalid date"),
    ({"wTimestamp": "2020-01-01T00:00:00.1234567891Z"}, "RFC 3339"),
    ({"wTimestamp": 5}, "RFC 3339"),
    ({"wDuration": "1h"}, "invalid Duration"),
    ({"wDuration": 1}, "expected string"),
    ({"wStruct": []}, "expected object"),
    ({"wListValue": {}}, "expected array"),
    ({"wAny": {"name": "x"}}, '"@type" is missing'),
    ({"wAny": {"@type": "type.googleapis.com/no.Such"}}, "unknown Any type"),
    ({"wAny": {"@type": "type.googleapis.com/google.protobuf.Timestamp"}}, '"value" is missing'),
    ({"wInt64": "x"}, "expected integer"),
    ({"wValue": {"a": float("nan")}}, "NaN"),
]


@pytest.mark.parametrize(("obj", "message"), BAD_INPUTS, ids=[repr(o)[:60] for o, _ in BAD_INPUTS])
def test_bad_values_raise_codec_error_naming_the_field(obj: dict[str, Any], message: str) -> None:
    with pytest.raises(JsonCodecError, match=message.replace("[", r"\[").replace("(", r"\(")):
        STRICT.from_obj(obj, Kinds)


@pytest.mark.parametrize("top", [[], "str", 1, None, 1.5, True])
def test_top_level_must_be_an_object(top: Any) -> None:
    with pytest.raises(JsonCodecError, match="must be a JSON object"):
        LENIENT.from_obj(top, Kinds)


@pytest.mark.parametrize("data", [b"[]", b'"str"', b"1", b"null"])
def test_top_level_non_object_body_rejected(data: bytes) -> None:
    with pytest.raises(JsonCodecError):
        LENIENT.decode(data, Kinds)


@pytest.mark.parametrize("data", [b"{", b'{"fInt32": }', b"\xff\xfe", b'{"a":1} x', b"nul"])
def test_malformed_json_is_a_codec_error(data: bytes) -> None:
    with pytest.raises(JsonCodecError, match="malformed JSON"):
        LENIENT.decode(data, Kinds)


@pytest.mark.parametrize("depth", [101, 5000])
def test_deep_nesting_is_rejected_without_recursion_error(depth: int) -> None:
    nested_msg = b'{"child":' * depth + b"{}" + b"}" * depth
    nested_value = b'{"wValue":' + b"[" * depth + b"]" * depth + b"}"
    nested_struct = b'{"wStruct":' + b'{"a":' * depth + b"1" + b"}" * depth + b"}"
    for data in (nested_msg, nested_value, nested_struct):
        with pytest.raises(JsonCodecError):
            LENIENT.decode(data, Kinds)


def test_moderate_nesting_is_accepted() -> None:
    data = b'{"child":' * 50 + b'{"fInt32":1}' + b"}" * 50
    m = LENIENT.decode(data, Kinds)
    assert wire(m) == wire(json_format.Parse(data, Kinds()))


def test_unprintable_values_raise_codec_error() -> None:
    with pytest.raises(JsonCodecError):
        LENIENT.to_obj(Kinds(w_value=Value(number_value=math.inf)))
    with pytest.raises(JsonCodecError):
        LENIENT.to_obj(Kinds(w_timestamp=Timestamp(seconds=10**12)))
    bad_any = AnyMsg(type_url="type.googleapis.com/no.Such", value=b"")
    with pytest.raises(JsonCodecError, match="unknown Any type"):
        LENIENT.encode(Kinds(w_any=bad_any))


# --- generated decoders, timestamp fast paths ----------------------------------------------------
def _generated_decoder(style: JsonStyle, cls: type[Message]) -> Any:
    return FastDecoder(Decoder(style)).message_into(cls.DESCRIPTOR)


@pytest.mark.parametrize("style", STYLES + [JsonStyle(ignore_unknown_fields=False)], ids=repr)
def test_generated_decoder_handles_well_formed_input_itself(style: JsonStyle) -> None:
    """The generated decoders decode printed messages without falling back to the per-key plans."""
    codec = JsonCodec(style)
    cases = [
        (cls, m)
        for cls in (instance_pb2.InstanceDetail, system_pb2.ListInstancesResponse)
        for m in generated(cls, 10, seed=5)
    ]
    cases += [(Kinds, m) for m in generated(Kinds, 40, seed=6)]
    for cls, m in cases:
        out = cls()
        _generated_decoder(style, cls)(codec.to_obj(m), out, 1)  # raises instead of falling back
        assert wire(out) == wire(m)


def test_names_of_either_kind_per_object_and_mixed() -> None:
    ts = {"a": "2020-01-02T03:04:05.123456Z", "b": "2021-01-02T03:04:05Z"}
    want = instance_pb2.InstanceDetail(id="1")
    want.details.creation_date.FromJsonString(ts["a"])
    want.details.change_date.FromJsonString(ts["b"])
    want.details.resource_owner = "o"
    for details in (
        {"creationDate": ts["a"], "changeDate": ts["b"], "resourceOwner": "o"},
        {"creation_date": ts["a"], "change_date": ts["b"], "resource_owner": "o"},
        {"creation_date": ts["a"], "changeDate": ts["b"], "resource_owner": "o"},  # mixed: by the plans
    ):
        for codec in (LENIENT, STRICT):
            assert codec.from_obj({"id": "1", "details": details}, instance_pb2.InstanceDetail) == want
    with pytest.raises(JsonCodecError, match=r'field "details.creationDate" is given twice'):
        LENIENT.from_obj(
            {"details": {"creation_date": ts["a"], "creationDate": ts["a"]}}, instance_pb2.InstanceDetail
        )
    with pytest.raises(JsonCodecError, match=r'unknown field "details.nope"'):
        STRICT.from_obj({"details": {"creationDate": ts["a"], "nope": 1}}, instance_pb2.InstanceDetail)
    assert LENIENT.from_obj({"details": {"nope": 1}}, instance_pb2.InstanceDetail).HasField("details")


def test_timestamps_parse_like_json_format() -> None:
    rng = random.Random(11)
    for _ in range(3000):
        ts = Timestamp(seconds=rng.randint(-62135596800, 253402300799), nanos=rng.randrange(10**9))
        text = ts.ToJsonString()
        digits = rng.randrange(0, 10)  # any fraction length, not only 0/3/6/9
        if digits:
            text = text[:19] + "." + f"{ts.nanos:09d}"[:digits] + "Z"
        else:
            text = text[:19] + rng.choice(["Z", "+01:30", "-11:00"])
        want = Timestamp()
        want.FromJsonString(text)
        got = LENIENT.from_obj({"wTimestamp": text}, Kinds).w_timestamp
        assert (got.seconds, got.nanos) == (want.seconds, want.nanos), text
    epoch = LENIENT.from_obj({"wTimestamp": "1970-01-01T00:00:00Z"}, Kinds)
    assert epoch.HasField("w_timestamp") and epoch.w_timestamp.seconds == 0


@pytest.mark.parametrize(
    "text",
    [
        "2020-01-01T24:00:00Z",
        "2020-01-01T00:60:00Z",
        "2020-01-01T00:00:60Z",
        "2020-02-30T00:00:00Z",
        "0000-01-01T00:00:00Z",
        "2020-01-01T00:00:00.Z",
        "2020-01-01T00:00:00.\u0661Z",  # a non-ASCII digit
        "2020-01-01T00:00:00.+1Z",
        "2020-01-01t00:00:00z",
        "2020-01-01T00:00:00",
        "2020-01-01T00:00:00.123456789123Z",
        "+020-01-01T00:00:00Z",
        "9999-12-31T23:59:59-01:00",
    ],
)
def test_bad_timestamps_raise_codec_error(text: str) -> None:
    with pytest.raises(JsonCodecError, match='field "details.creationDate"'):
        LENIENT.from_obj({"details": {"creationDate": text}}, instance_pb2.InstanceDetail)


def test_inlined_timestamp_printing_in_generated_encoders() -> None:
    """ObjectDetails has a direct (generated) encoder: its Timestamp fields take the inlined path."""
    rng = random.Random(3)
    to = codec_for(JsonStyle()).to_obj
    for nanos in [0, 1, 999, 1000, 123_000, 123_000_000, 123_456_000, 999_999_999, -1, 10**9]:
        for seconds in [0, -1, 86399, 86400, -62135596800, 253402300799, rng.randint(0, 2**31)]:
            m = object_pb2.ObjectDetails(
                creation_date=Timestamp(seconds=seconds, nanos=nanos), change_date=Timestamp()
            )
            if not 0 <= nanos < 10**9:
                with pytest.raises(JsonCodecError):
                    to(m)
                continue
            assert to(m) == json_format.MessageToDict(m), (seconds, nanos)
    assert to(object_pb2.ObjectDetails()) == {}


def test_int64_strings_fast_and_slow_forms() -> None:
    m = LENIENT.from_obj({"fInt64": "123", "fUint64": "18446744073709551615", "rInt64": ["-5", "7"]}, Kinds)
    assert (m.f_int64, m.f_uint64, list(m.r_int64)) == (123, 2**64 - 1, [-5, 7])
    for bad, why in (
        ("18446744073709551616", "out of range"),
        ("1_000", "expected integer"),
        ("", "integer"),
    ):
        with pytest.raises(JsonCodecError, match=f'field "fUint64".*{why}'):
            LENIENT.from_obj({"fUint64": bad}, Kinds)
