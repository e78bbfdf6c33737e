from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class EchoRequest(_message.Message):
    __slots__ = ("message", "payload", "fail_code", "fail_message", "fail_reason", "header_metadata", "trailer_metadata", "echo_metadata", "sleep_ms")
    class HeaderMetadataEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    class TrailerMetadataEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    MESSAGE_FIELD_NUMBER: _ClassVar[int]
    PAYLOAD_FIELD_NUMBER: _ClassVar[int]
    FAIL_CODE_FIELD_NUMBER: _ClassVar[int]
    FAIL_MESSAGE_FIELD_NUMBER: _ClassVar[int]
    FAIL_REASON_FIELD_NUMBER: _ClassVar[int]
    HEADER_METADATA_FIELD_NUMBER: _ClassVar[int]
    TRAILER_METADATA_FIELD_NUMBER: _ClassVar[int]
    ECHO_METADATA_FIELD_NUMBER: _ClassVar[int]
    SLEEP_MS_FIELD_NUMBER: _ClassVar[int]
    message: str
    payload: bytes
    fail_code: int
    fail_message: str
    fail_reason: str
    header_metadata: _containers.ScalarMap[str, str]
    trailer_metadata: _containers.ScalarMap[str, str]
    echo_metadata: bool
    sleep_ms: int
    def __init__(self, message: _Optional[str] = ..., payload: _Optional[bytes] = ..., fail_code: _Optional[int] = ..., fail_message: _Optional[str] = ..., fail_reason: _Optional[str] = ..., header_metadata: _Optional[_Mapping[str, str]] = ..., trailer_metadata: _Optional[_Mapping[str, str]] = ..., echo_metadata: _Optional[bool] = ..., sleep_ms: _Optional[int] = ...) -> None: ...

class Metadatum(_message.Message):
    __slots__ = ("key", "value", "binary_value")
    KEY_FIELD_NUMBER: _ClassVar[int]
    VALUE_FIELD_NUMBER: _ClassVar[int]
    BINARY_VALUE_FIELD_NUMBER: _ClassVar[int]
    key: str
    value: str
    binary_value: bytes
    def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ..., binary_value: _Optional[bytes] = ...) -> None: ...

class EchoResponse(_message.Message):
    __slots__ = ("message", "payload", "metadata", "has_deadline")
    MESSAGE_FIELD_NUMBER: _ClassVar[int]
    PAYLOAD_FIELD_NUMBER: _ClassVar[int]
    METADATA_FIELD_NUMBER: _ClassVar[int]
    HAS_DEADLINE_FIELD_NUMBER: _ClassVar[int]
    message: str
    payload: bytes
    metadata: _containers.RepeatedCompositeFieldContainer[Metadatum]
    has_deadline: bool
    def __init__(self, message: _Optional[str] = ..., payload: _Optional[bytes] = ..., metadata: _Optional[_Iterable[_Union[Metadatum, _Mapping]]] = ..., has_deadline: _Optional[bool] = ...) -> None: ...
