from validate import validate_pb2 as _validate_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable
from typing import ClassVar as _ClassVar, Optional as _Optional

DESCRIPTOR: _descriptor.FileDescriptor

class PaginationRequest(_message.Message):
    __slots__ = ("offset", "limit", "asc")
    OFFSET_FIELD_NUMBER: _ClassVar[int]
    LIMIT_FIELD_NUMBER: _ClassVar[int]
    ASC_FIELD_NUMBER: _ClassVar[int]
    offset: int
    limit: int
    asc: bool
    def __init__(self, offset: _Optional[int] = ..., limit: _Optional[int] = ..., asc: _Optional[bool] = ...) -> None: ...

class PaginationResponse(_message.Message):
    __slots__ = ("total_result", "applied_limit")
    TOTAL_RESULT_FIELD_NUMBER: _ClassVar[int]
    APPLIED_LIMIT_FIELD_NUMBER: _ClassVar[int]
    total_result: int
    applied_limit: int
    def __init__(self, total_result: _Optional[int] = ..., applied_limit: _Optional[int] = ...) -> None: ...

class InIDsFilter(_message.Message):
    __slots__ = ("ids",)
    IDS_FIELD_NUMBER: _ClassVar[int]
    ids: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, ids: _Optional[_Iterable[str]] = ...) -> None: ...
