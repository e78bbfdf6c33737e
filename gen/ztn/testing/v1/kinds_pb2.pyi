import datetime

from google.protobuf import any_pb2 as _any_pb2
from google.protobuf import duration_pb2 as _duration_pb2
from google.protobuf import empty_pb2 as _empty_pb2
from google.protobuf import field_mask_pb2 as _field_mask_pb2
from google.protobuf import struct_pb2 as _struct_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf import wrappers_pb2 as _wrappers_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class Color(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    COLOR_UNSPECIFIED: _ClassVar[Color]
    COLOR_RED: _ClassVar[Color]
    COLOR_GREEN: _ClassVar[Color]
    COLOR_BLUE: _ClassVar[Color]
COLOR_UNSPECIFIED: Color
COLOR_RED: Color
COLOR_GREEN: Color
COLOR_BLUE: Color

class Inner(_message.Message):
    __slots__ = ("name", "count", "color", "values", "child")
    NAME_FIELD_NUMBER: _ClassVar[int]
    COUNT_FIELD_NUMBER: _ClassVar[int]
    COLOR_FIELD_NUMBER: _ClassVar[int]
    VALUES_FIELD_NUMBER: _ClassVar[int]
    CHILD_FIELD_NUMBER: _ClassVar[int]
    name: str
    count: int
    color: Color
    values: _containers.RepeatedScalarFieldContainer[int]
    child: Inner
    def __init__(self, name: _Optional[str] = ..., count: _Optional[int] = ..., color: _Optional[_Union[Color, str]] = ..., values: _Optional[_Iterable[int]] = ..., child: _Optional[_Union[Inner, _Mapping]] = ...) -> None: ...

class Kinds(_message.Message):
    __slots__ = ("f_int32", "f_int64", "f_uint32", "f_uint64", "f_sint32", "f_sint64", "f_fixed32", "f_fixed64", "f_sfixed32", "f_sfixed64", "f_float", "f_double", "f_bool", "f_string", "f_bytes", "f_enum", "f_message", "custom_name", "o_int32", "o_int64", "o_string", "o_bool", "o_enum", "o_double", "o_bytes", "r_int32", "r_int64", "r_uint64", "r_float", "r_double", "r_bool", "r_string", "r_bytes", "r_enum", "r_message", "r_timestamp", "r_value", "r_sfixed64", "m_string_string", "m_int32_int64", "m_int64_string", "m_uint32_bool", "m_uint64_double", "m_bool_enum", "m_sint64_bytes", "m_string_message", "m_string_value", "m_fixed32_float", "m_string_timestamp", "c_string", "c_int64", "c_message", "c_enum", "c_timestamp", "c_bytes", "w_timestamp", "w_duration", "w_field_mask", "w_struct", "w_value", "w_list_value", "w_any", "w_empty", "w_double", "w_float", "w_int64", "w_uint64", "w_int32", "w_uint32", "w_bool", "w_string", "w_bytes", "r_any", "r_duration", "r_wrapper", "child", "children")
    class MStringStringEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    class MInt32Int64Entry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: int
        value: int
        def __init__(self, key: _Optional[int] = ..., value: _Optional[int] = ...) -> None: ...
    class MInt64StringEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: int
        value: str
        def __init__(self, key: _Optional[int] = ..., value: _Optional[str] = ...) -> None: ...
    class MUint32BoolEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: int
        value: bool
        def __init__(self, key: _Optional[int] = ..., value: _Optional[bool] = ...) -> None: ...
    class MUint64DoubleEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: int
        value: float
        def __init__(self, key: _Optional[int] = ..., value: _Optional[float] = ...) -> None: ...
    class MBoolEnumEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: bool
        value: Color
        def __init__(self, key: _Optional[bool] = ..., value: _Optional[_Union[Color, str]] = ...) -> None: ...
    class MSint64BytesEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: int
        value: bytes
        def __init__(self, key: _Optional[int] = ..., value: _Optional[bytes] = ...) -> None: ...
    class MStringMessageEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: Inner
        def __init__(self, key: _Optional[str] = ..., value: _Optional[_Union[Inner, _Mapping]] = ...) -> None: ...
    class MStringValueEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: _struct_pb2.Value
        def __init__(self, key: _Optional[str] = ..., value: _Optional[_Union[_struct_pb2.Value, _Mapping]] = ...) -> None: ...
    class MFixed32FloatEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: int
        value: float
        def __init__(self, key: _Optional[int] = ..., value: _Optional[float] = ...) -> None: ...
    class MStringTimestampEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: _timestamp_pb2.Timestamp
        def __init__(self, key: _Optional[str] = ..., value: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...
    F_INT32_FIELD_NUMBER: _ClassVar[int]
    F_INT64_FIELD_NUMBER: _ClassVar[int]
    F_UINT32_FIELD_NUMBER: _ClassVar[int]
    F_UINT64_FIELD_NUMBER: _ClassVar[int]
    F_SINT32_FIELD_NUMBER: _ClassVar[int]
    F_SINT64_FIELD_NUMBER: _ClassVar[int]
    F_FIXED32_FIELD_NUMBER: _ClassVar[int]
    F_FIXED64_FIELD_NUMBER: _ClassVar[int]
    F_SFIXED32_FIELD_NUMBER: _ClassVar[int]
    F_SFIXED64_FIELD_NUMBER: _ClassVar[int]
    F_FLOAT_FIELD_NUMBER: _ClassVar[int]
    F_DOUBLE_FIELD_NUMBER: _ClassVar[int]
    F_BOOL_FIELD_NUMBER: _ClassVar[int]
    F_STRING_FIELD_NUMBER: _ClassVar[int]
    F_BYTES_FIELD_NUMBER: _ClassVar[int]
    F_ENUM_FIELD_NUMBER: _ClassVar[int]
    F_MESSAGE_FIELD_NUMBER: _ClassVar[int]
    CUSTOM_NAME_FIELD_NUMBER: _ClassVar[int]
    O_INT32_FIELD_NUMBER: _ClassVar[int]
    O_INT64_FIELD_NUMBER: _ClassVar[int]
    O_STRING_FIELD_NUMBER: _ClassVar[int]
    O_BOOL_FIELD_NUMBER: _ClassVar[int]
    O_ENUM_FIELD_NUMBER: _ClassVar[int]
    O_DOUBLE_FIELD_NUMBER: _ClassVar[int]
    O_BYTES_FIELD_NUMBER: _ClassVar[int]
    R_INT32_FIELD_NUMBER: _ClassVar[int]
    R_INT64_FIELD_NUMBER: _ClassVar[int]
    R_UINT64_FIELD_NUMBER: _ClassVar[int]
    R_FLOAT_FIELD_NUMBER: _ClassVar[int]
    R_DOUBLE_FIELD_NUMBER: _ClassVar[int]
    R_BOOL_FIELD_NUMBER: _ClassVar[int]
    R_STRING_FIELD_NUMBER: _ClassVar[int]
    R_BYTES_FIELD_NUMBER: _ClassVar[int]
    R_ENUM_FIELD_NUMBER: _ClassVar[int]
    R_MESSAGE_FIELD_NUMBER: _ClassVar[int]
    R_TIMESTAMP_FIELD_NUMBER: _ClassVar[int]
    R_VALUE_FIELD_NUMBER: _ClassVar[int]
    R_SFIXED64_FIELD_NUMBER: _ClassVar[int]
    M_STRING_STRING_FIELD_NUMBER: _ClassVar[int]
    M_INT32_INT64_FIELD_NUMBER: _ClassVar[int]
    M_INT64_STRING_FIELD_NUMBER: _ClassVar[int]
    M_UINT32_BOOL_FIELD_NUMBER: _ClassVar[int]
    M_UINT64_DOUBLE_FIELD_NUMBER: _ClassVar[int]
    M_BOOL_ENUM_FIELD_NUMBER: _ClassVar[int]
    M_SINT64_BYTES_FIELD_NUMBER: _ClassVar[int]
    M_STRING_MESSAGE_FIELD_NUMBER: _ClassVar[int]
    M_STRING_VALUE_FIELD_NUMBER: _ClassVar[int]
    M_FIXED32_FLOAT_FIELD_NUMBER: _ClassVar[int]
    M_STRING_TIMESTAMP_FIELD_NUMBER: _ClassVar[int]
    C_STRING_FIELD_NUMBER: _ClassVar[int]
    C_INT64_FIELD_NUMBER: _ClassVar[int]
    C_MESSAGE_FIELD_NUMBER: _ClassVar[int]
    C_ENUM_FIELD_NUMBER: _ClassVar[int]
    C_TIMESTAMP_FIELD_NUMBER: _ClassVar[int]
    C_BYTES_FIELD_NUMBER: _ClassVar[int]
    W_TIMESTAMP_FIELD_NUMBER: _ClassVar[int]
    W_DURATION_FIELD_NUMBER: _ClassVar[int]
    W_FIELD_MASK_FIELD_NUMBER: _ClassVar[int]
    W_STRUCT_FIELD_NUMBER: _ClassVar[int]
    W_VALUE_FIELD_NUMBER: _ClassVar[int]
    W_LIST_VALUE_FIELD_NUMBER: _ClassVar[int]
    W_ANY_FIELD_NUMBER: _ClassVar[int]
    W_EMPTY_FIELD_NUMBER: _ClassVar[int]
    W_DOUBLE_FIELD_NUMBER: _ClassVar[int]
    W_FLOAT_FIELD_NUMBER: _ClassVar[int]
    W_INT64_FIELD_NUMBER: _ClassVar[int]
    W_UINT64_FIELD_NUMBER: _ClassVar[int]
    W_INT32_FIELD_NUMBER: _ClassVar[int]
    W_UINT32_FIELD_NUMBER: _ClassVar[int]
    W_BOOL_FIELD_NUMBER: _ClassVar[int]
    W_STRING_FIELD_NUMBER: _ClassVar[int]
    W_BYTES_FIELD_NUMBER: _ClassVar[int]
    R_ANY_FIELD_NUMBER: _ClassVar[int]
    R_DURATION_FIELD_NUMBER: _ClassVar[int]
    R_WRAPPER_FIELD_NUMBER: _ClassVar[int]
    CHILD_FIELD_NUMBER: _ClassVar[int]
    CHILDREN_FIELD_NUMBER: _ClassVar[int]
    f_int32: int
    f_int64: int
    f_uint32: int
    f_uint64: int
    f_sint32: int
    f_sint64: int
    f_fixed32: int
    f_fixed64: int
    f_sfixed32: int
    f_sfixed64: int
    f_float: float
    f_double: float
    f_bool: bool
    f_string: str
    f_bytes: bytes
    f_enum: Color
    f_message: Inner
    custom_name: str
    o_int32: int
    o_int64: int
    o_string: str
    o_bool: bool
    o_enum: Color
    o_double: float
    o_bytes: bytes
    r_int32: _containers.RepeatedScalarFieldContainer[int]
    r_int64: _containers.RepeatedScalarFieldContainer[int]
    r_uint64: _containers.RepeatedScalarFieldContainer[int]
    r_float: _containers.RepeatedScalarFieldContainer[float]
    r_double: _containers.RepeatedScalarFieldContainer[float]
    r_bool: _containers.RepeatedScalarFieldContainer[bool]
    r_string: _containers.RepeatedScalarFieldContainer[str]
    r_bytes: _containers.RepeatedScalarFieldContainer[bytes]
    r_enum: _containers.RepeatedScalarFieldContainer[Color]
    r_message: _containers.RepeatedCompositeFieldContainer[Inner]
    r_timestamp: _containers.RepeatedCompositeFieldContainer[_timestamp_pb2.Timestamp]
    r_value: _containers.RepeatedCompositeFieldContainer[_struct_pb2.Value]
    r_sfixed64: _containers.RepeatedScalarFieldContainer[int]
    m_string_string: _containers.ScalarMap[str, str]
    m_int32_int64: _containers.ScalarMap[int, int]
    m_int64_string: _containers.ScalarMap[int, str]
    m_uint32_bool: _containers.ScalarMap[int, bool]
    m_uint64_double: _containers.ScalarMap[int, float]
    m_bool_enum: _containers.ScalarMap[bool, Color]
    m_sint64_bytes: _containers.ScalarMap[int, bytes]
    m_string_message: _containers.MessageMap[str, Inner]
    m_string_value: _containers.MessageMap[str, _struct_pb2.Value]
    m_fixed32_float: _containers.ScalarMap[int, float]
    m_string_timestamp: _containers.MessageMap[str, _timestamp_pb2.Timestamp]
    c_string: str
    c_int64: int
    c_message: Inner
    c_enum: Color
    c_timestamp: _timestamp_pb2.Timestamp
    c_bytes: bytes
    w_timestamp: _timestamp_pb2.Timestamp
    w_duration: _duration_pb2.Duration
    w_field_mask: _field_mask_pb2.FieldMask
    w_struct: _struct_pb2.Struct
    w_value: _struct_pb2.Value
    w_list_value: _struct_pb2.ListValue
    w_any: _any_pb2.Any
    w_empty: _empty_pb2.Empty
    w_double: _wrappers_pb2.DoubleValue
    w_float: _wrappers_pb2.FloatValue
    w_int64: _wrappers_pb2.Int64Value
    w_uint64: _wrappers_pb2.UInt64Value
    w_int32: _wrappers_pb2.Int32Value
    w_uint32: _wrappers_pb2.UInt32Value
    w_bool: _wrappers_pb2.BoolValue
    w_string: _wrappers_pb2.StringValue
    w_bytes: _wrappers_pb2.BytesValue
    r_any: _containers.RepeatedCompositeFieldContainer[_any_pb2.Any]
    r_duration: _containers.RepeatedCompositeFieldContainer[_duration_pb2.Duration]
    r_wrapper: _containers.RepeatedCompositeFieldContainer[_wrappers_pb2.StringValue]
    child: Kinds
    children: _containers.RepeatedCompositeFieldContainer[Kinds]
    def __init__(self, f_int32: _Optional[int] = ..., f_int64: _Optional[int] = ..., f_uint32: _Optional[int] = ..., f_uint64: _Optional[int] = ..., f_sint32: _Optional[int] = ..., f_sint64: _Optional[int] = ..., f_fixed32: _Optional[int] = ..., f_fixed64: _Optional[int] = ..., f_sfixed32: _Optional[int] = ..., f_sfixed64: _Optional[int] = ..., f_float: _Optional[float] = ..., f_double: _Optional[float] = ..., f_bool: _Optional[bool] = ..., f_string: _Optional[str] = ..., f_bytes: _Optional[bytes] = ..., f_enum: _Optional[_Union[Color, str]] = ..., f_message: _Optional[_Union[Inner, _Mapping]] = ..., custom_name: _Optional[str] = ..., o_int32: _Optional[int] = ..., o_int64: _Optional[int] = ..., o_string: _Optional[str] = ..., o_bool: _Optional[bool] = ..., o_enum: _Optional[_Union[Color, str]] = ..., o_double: _Optional[float] = ..., o_bytes: _Optional[bytes] = ..., r_int32: _Optional[_Iterable[int]] = ..., r_int64: _Optional[_Iterable[int]] = ..., r_uint64: _Optional[_Iterable[int]] = ..., r_float: _Optional[_Iterable[float]] = ..., r_double: _Optional[_Iterable[float]] = ..., r_bool: _Optional[_Iterable[bool]] = ..., r_string: _Optional[_Iterable[str]] = ..., r_bytes: _Optional[_Iterable[bytes]] = ..., r_enum: _Optional[_Iterable[_Union[Color, str]]] = ..., r_message: _Optional[_Iterable[_Union[Inner, _Mapping]]] = ..., r_timestamp: _Optional[_Iterable[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]]] = ..., r_value: _Optional[_Iterable[_Union[_struct_pb2.Value, _Mapping]]] = ..., r_sfixed64: _Optional[_Iterable[int]] = ..., m_string_string: _Optional[_Mapping[str, str]] = ..., m_int32_int64: _Optional[_Mapping[int, int]] = ..., m_int64_string: _Optional[_Mapping[int, str]] = ..., m_uint32_bool: _Optional[_Mapping[int, bool]] = ..., m_uint64_double: _Optional[_Mapping[int, float]] = ..., m_bool_enum: _Optional[_Mapping[bool, Color]] = ..., m_sint64_bytes: _Optional[_Mapping[int, bytes]] = ..., m_string_message: _Optional[_Mapping[str, Inner]] = ..., m_string_value: _Optional[_Mapping[str, _struct_pb2.Value]] = ..., m_fixed32_float: _Optional[_Mapping[int, float]] = ..., m_string_timestamp: _Optional[_Mapping[str, _timestamp_pb2.Timestamp]] = ..., c_string: _Optional[str] = ..., c_int64: _Optional[int] = ..., c_message: _Optional[_Union[Inner, _Mapping]] = ..., c_enum: _Optional[_Union[Color, str]] = ..., c_timestamp: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., c_bytes: _Optional[bytes] = ..., w_timestamp: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., w_duration: _Optional[_Union[datetime.timedelta, _duration_pb2.Duration, _Mapping]] = ..., w_field_mask: _Optional[_Union[_field_mask_pb2.FieldMask, _Mapping]] = ..., w_struct: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ..., w_value: _Optional[_Union[_struct_pb2.Value, _Mapping]] = ..., w_list_value: _Optional[_Union[_struct_pb2.ListValue, _Mapping]] = ..., w_any: _Optional[_Union[_any_pb2.Any, _Mapping]] = ..., w_empty: _Optional[_Union[_empty_pb2.Empty, _Mapping]] = ..., w_double: _Optional[_Union[_wrappers_pb2.DoubleValue, _Mapping]] = ..., w_float: _Optional[_Union[_wrappers_pb2.FloatValue, _Mapping]] = ..., w_int64: _Optional[_Union[_wrappers_pb2.Int64Value, _Mapping]] = ..., w_uint64: _Optional[_Union[_wrappers_pb2.UInt64Value, _Mapping]] = ..., w_int32: _Optional[_Union[_wrappers_pb2.Int32Value, _Mapping]] = ..., w_uint32: _Optional[_Union[_wrappers_pb2.UInt32Value, _Mapping]] = ..., w_bool: _Optional[_Union[_wrappers_pb2.BoolValue, _Mapping]] = ..., w_string: _Optional[_Union[_wrappers_pb2.StringValue, _Mapping]] = ..., w_bytes: _Optional[_Union[_wrappers_pb2.BytesValue, _Mapping]] = ..., r_any: _Optional[_Iterable[_Union[_any_pb2.Any, _Mapping]]] = ..., r_duration: _Optional[_Iterable[_Union[datetime.timedelta, _duration_pb2.Duration, _Mapping]]] = ..., r_wrapper: _Optional[_Iterable[_Union[_wrappers_pb2.StringValue, _Mapping]]] = ..., child: _Optional[_Union[Kinds, _Mapping]] = ..., children: _Optional[_Iterable[_Union[Kinds, _Mapping]]] = ...) -> None: ...
