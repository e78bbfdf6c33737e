import datetime

from google.api import annotations_pb2 as _annotations_pb2
from google.api import httpbody_pb2 as _httpbody_pb2
from google.protobuf import duration_pb2 as _duration_pb2
from google.protobuf import field_mask_pb2 as _field_mask_pb2
from google.protobuf import struct_pb2 as _struct_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf import wrappers_pb2 as _wrappers_pb2
from ztn.api import options_pb2 as _options_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class Shade(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    SHADE_UNSPECIFIED: _ClassVar[Shade]
    SHADE_LIGHT: _ClassVar[Shade]
    SHADE_DARK: _ClassVar[Shade]
SHADE_UNSPECIFIED: Shade
SHADE_LIGHT: Shade
SHADE_DARK: Shade

class HttpSub(_message.Message):
    __slots__ = ("name", "count", "child", "shade")
    NAME_FIELD_NUMBER: _ClassVar[int]
    COUNT_FIELD_NUMBER: _ClassVar[int]
    CHILD_FIELD_NUMBER: _ClassVar[int]
    SHADE_FIELD_NUMBER: _ClassVar[int]
    name: str
    count: int
    child: HttpSub
    shade: Shade
    def __init__(self, name: _Optional[str] = ..., count: _Optional[int] = ..., child: _Optional[_Union[HttpSub, _Mapping]] = ..., shade: _Optional[_Union[Shade, str]] = ...) -> None: ...

class HttpEcho(_message.Message):
    __slots__ = ("id", "name", "path", "sub", "text", "renamed_field", "f_int32", "f_int64", "f_uint32", "f_uint64", "f_bool", "f_float", "f_double", "f_bytes", "f_enum", "opt_int32", "r_string", "r_int32", "r_enum", "r_sub", "labels", "counts", "ts", "dur", "mask", "w_int64", "w_bool", "w_string", "w_double", "w_bytes", "f_struct", "f_value", "r_ts", "pick_a", "pick_b")
    class LabelsEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    class CountsEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: int
        def __init__(self, key: _Optional[str] = ..., value: _Optional[int] = ...) -> None: ...
    ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    PATH_FIELD_NUMBER: _ClassVar[int]
    SUB_FIELD_NUMBER: _ClassVar[int]
    TEXT_FIELD_NUMBER: _ClassVar[int]
    RENAMED_FIELD_FIELD_NUMBER: _ClassVar[int]
    F_INT32_FIELD_NUMBER: _ClassVar[int]
    F_INT64_FIELD_NUMBER: _ClassVar[int]
    F_UINT32_FIELD_NUMBER: _ClassVar[int]
    F_UINT64_FIELD_NUMBER: _ClassVar[int]
    F_BOOL_FIELD_NUMBER: _ClassVar[int]
    F_FLOAT_FIELD_NUMBER: _ClassVar[int]
    F_DOUBLE_FIELD_NUMBER: _ClassVar[int]
    F_BYTES_FIELD_NUMBER: _ClassVar[int]
    F_ENUM_FIELD_NUMBER: _ClassVar[int]
    OPT_INT32_FIELD_NUMBER: _ClassVar[int]
    R_STRING_FIELD_NUMBER: _ClassVar[int]
    R_INT32_FIELD_NUMBER: _ClassVar[int]
    R_ENUM_FIELD_NUMBER: _ClassVar[int]
    R_SUB_FIELD_NUMBER: _ClassVar[int]
    LABELS_FIELD_NUMBER: _ClassVar[int]
    COUNTS_FIELD_NUMBER: _ClassVar[int]
    TS_FIELD_NUMBER: _ClassVar[int]
    DUR_FIELD_NUMBER: _ClassVar[int]
    MASK_FIELD_NUMBER: _ClassVar[int]
    W_INT64_FIELD_NUMBER: _ClassVar[int]
    W_BOOL_FIELD_NUMBER: _ClassVar[int]
    W_STRING_FIELD_NUMBER: _ClassVar[int]
    W_DOUBLE_FIELD_NUMBER: _ClassVar[int]
    W_BYTES_FIELD_NUMBER: _ClassVar[int]
    F_STRUCT_FIELD_NUMBER: _ClassVar[int]
    F_VALUE_FIELD_NUMBER: _ClassVar[int]
    R_TS_FIELD_NUMBER: _ClassVar[int]
    PICK_A_FIELD_NUMBER: _ClassVar[int]
    PICK_B_FIELD_NUMBER: _ClassVar[int]
    id: str
    name: str
    path: str
    sub: HttpSub
    text: str
    renamed_field: str
    f_int32: int
    f_int64: int
    f_uint32: int
    f_uint64: int
    f_bool: bool
    f_float: float
    f_double: float
    f_bytes: bytes
    f_enum: Shade
    opt_int32: int
    r_string: _containers.RepeatedScalarFieldContainer[str]
    r_int32: _containers.RepeatedScalarFieldContainer[int]
    r_enum: _containers.RepeatedScalarFieldContainer[Shade]
    r_sub: _containers.RepeatedCompositeFieldContainer[HttpSub]
    labels: _containers.ScalarMap[str, str]
    counts: _containers.ScalarMap[str, int]
    ts: _timestamp_pb2.Timestamp
    dur: _duration_pb2.Duration
    mask: _field_mask_pb2.FieldMask
    w_int64: _wrappers_pb2.Int64Value
    w_bool: _wrappers_pb2.BoolValue
    w_string: _wrappers_pb2.StringValue
    w_double: _wrappers_pb2.DoubleValue
    w_bytes: _wrappers_pb2.BytesValue
    f_struct: _struct_pb2.Struct
    f_value: _struct_pb2.Value
    r_ts: _containers.RepeatedCompositeFieldContainer[_timestamp_pb2.Timestamp]
    pick_a: str
    pick_b: int
    def __init__(self, id: _Optional[str] = ..., name: _Optional[str] = ..., path: _Optional[str] = ..., sub: _Optional[_Union[HttpSub, _Mapping]] = ..., text: _Optional[str] = ..., renamed_field: _Optional[str] = ..., f_int32: _Optional[int] = ..., f_int64: _Optional[int] = ..., f_uint32: _Optional[int] = ..., f_uint64: _Optional[int] = ..., f_bool: _Optional[bool] = ..., f_float: _Optional[float] = ..., f_double: _Optional[float] = ..., f_bytes: _Optional[bytes] = ..., f_enum: _Optional[_Union[Shade, str]] = ..., opt_int32: _Optional[int] = ..., r_string: _Optional[_Iterable[str]] = ..., r_int32: _Optional[_Iterable[int]] = ..., r_enum: _Optional[_Iterable[_Union[Shade, str]]] = ..., r_sub: _Optional[_Iterable[_Union[HttpSub, _Mapping]]] = ..., labels: _Optional[_Mapping[str, str]] = ..., counts: _Optional[_Mapping[str, int]] = ..., ts: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., dur: _Optional[_Union[datetime.timedelta, _duration_pb2.Duration, _Mapping]] = ..., mask: _Optional[_Union[_field_mask_pb2.FieldMask, _Mapping]] = ..., w_int64: _Optional[_Union[_wrappers_pb2.Int64Value, _Mapping]] = ..., w_bool: _Optional[_Union[_wrappers_pb2.BoolValue, _Mapping]] = ..., w_string: _Optional[_Union[_wrappers_pb2.StringValue, _Mapping]] = ..., w_double: _Optional[_Union[_wrappers_pb2.DoubleValue, _Mapping]] = ..., w_bytes: _Optional[_Union[_wrappers_pb2.BytesValue, _Mapping]] = ..., f_struct: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ..., f_value: _Optional[_Union[_struct_pb2.Value, _Mapping]] = ..., r_ts: _Optional[_Iterable[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]]] = ..., pick_a: _Optional[str] = ..., pick_b: _Optional[int] = ...) -> None: ...
