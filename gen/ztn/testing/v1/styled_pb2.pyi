import datetime

from google.api import annotations_pb2 as _annotations_pb2
from google.api import httpbody_pb2 as _httpbody_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf import wrappers_pb2 as _wrappers_pb2
from ztn.api import options_pb2 as _options_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class StyledItem(_message.Message):
    __slots__ = ("name", "count", "seen", "note", "label", "size", "tags", "child", "attrs", "flag")
    class AttrsEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    NAME_FIELD_NUMBER: _ClassVar[int]
    COUNT_FIELD_NUMBER: _ClassVar[int]
    SEEN_FIELD_NUMBER: _ClassVar[int]
    NOTE_FIELD_NUMBER: _ClassVar[int]
    LABEL_FIELD_NUMBER: _ClassVar[int]
    SIZE_FIELD_NUMBER: _ClassVar[int]
    TAGS_FIELD_NUMBER: _ClassVar[int]
    CHILD_FIELD_NUMBER: _ClassVar[int]
    ATTRS_FIELD_NUMBER: _ClassVar[int]
    FLAG_FIELD_NUMBER: _ClassVar[int]
    name: str
    count: int
    seen: _timestamp_pb2.Timestamp
    note: str
    label: _wrappers_pb2.StringValue
    size: int
    tags: _containers.RepeatedScalarFieldContainer[str]
    child: StyledItem
    attrs: _containers.ScalarMap[str, str]
    flag: bool
    def __init__(self, name: _Optional[str] = ..., count: _Optional[int] = ..., seen: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., note: _Optional[str] = ..., label: _Optional[_Union[_wrappers_pb2.StringValue, _Mapping]] = ..., size: _Optional[int] = ..., tags: _Optional[_Iterable[str]] = ..., child: _Optional[_Union[StyledItem, _Mapping]] = ..., attrs: _Optional[_Mapping[str, str]] = ..., flag: _Optional[bool] = ...) -> None: ...

class ListStyledItemsRequest(_message.Message):
    __slots__ = ("version", "tag", "since")
    VERSION_FIELD_NUMBER: _ClassVar[int]
    TAG_FIELD_NUMBER: _ClassVar[int]
    SINCE_FIELD_NUMBER: _ClassVar[int]
    version: str
    tag: _containers.RepeatedScalarFieldContainer[str]
    since: str
    def __init__(self, version: _Optional[str] = ..., tag: _Optional[_Iterable[str]] = ..., since: _Optional[str] = ...) -> None: ...

class ListStyledItemsResponse(_message.Message):
    __slots__ = ("items",)
    ITEMS_FIELD_NUMBER: _ClassVar[int]
    items: _containers.RepeatedCompositeFieldContainer[StyledItem]
    def __init__(self, items: _Optional[_Iterable[_Union[StyledItem, _Mapping]]] = ...) -> None: ...

class CreateStyledItemRequest(_message.Message):
    __slots__ = ("version", "body")
    VERSION_FIELD_NUMBER: _ClassVar[int]
    BODY_FIELD_NUMBER: _ClassVar[int]
    version: str
    body: _httpbody_pb2.HttpBody
    def __init__(self, version: _Optional[str] = ..., body: _Optional[_Union[_httpbody_pb2.HttpBody, _Mapping]] = ...) -> None: ...

class StyledItemRequest(_message.Message):
    __slots__ = ("version", "item", "body")
    VERSION_FIELD_NUMBER: _ClassVar[int]
    ITEM_FIELD_NUMBER: _ClassVar[int]
    BODY_FIELD_NUMBER: _ClassVar[int]
    version: str
    item: str
    body: _httpbody_pb2.HttpBody
    def __init__(self, version: _Optional[str] = ..., item: _Optional[str] = ..., body: _Optional[_Union[_httpbody_pb2.HttpBody, _Mapping]] = ...) -> None: ...

class StyledProbeRequest(_message.Message):
    __slots__ = ("version",)
    VERSION_FIELD_NUMBER: _ClassVar[int]
    version: str
    def __init__(self, version: _Optional[str] = ...) -> None: ...
