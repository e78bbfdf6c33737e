import datetime

from google.protobuf import duration_pb2 as _duration_pb2
from validate import validate_pb2 as _validate_pb2
from zitadel import message_pb2 as _message_pb2
from zitadel import object_pb2 as _object_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class ActionState(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    ACTION_STATE_UNSPECIFIED: _ClassVar[ActionState]
    ACTION_STATE_INACTIVE: _ClassVar[ActionState]
    ACTION_STATE_ACTIVE: _ClassVar[ActionState]

class ActionFieldName(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    ACTION_FIELD_NAME_UNSPECIFIED: _ClassVar[ActionFieldName]
    ACTION_FIELD_NAME_NAME: _ClassVar[ActionFieldName]
    ACTION_FIELD_NAME_ID: _ClassVar[ActionFieldName]
    ACTION_FIELD_NAME_STATE: _ClassVar[ActionFieldName]

class FlowState(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    FLOW_STATE_UNSPECIFIED: _ClassVar[FlowState]
    FLOW_STATE_INACTIVE: _ClassVar[FlowState]
    FLOW_STATE_ACTIVE: _ClassVar[FlowState]
ACTION_STATE_UNSPECIFIED: ActionState
ACTION_STATE_INACTIVE: ActionState
ACTION_STATE_ACTIVE: ActionState
ACTION_FIELD_NAME_UNSPECIFIED: ActionFieldName
ACTION_FIELD_NAME_NAME: ActionFieldName
ACTION_FIELD_NAME_ID: ActionFieldName
ACTION_FIELD_NAME_STATE: ActionFieldName
FLOW_STATE_UNSPECIFIED: FlowState
FLOW_STATE_INACTIVE: FlowState
FLOW_STATE_ACTIVE: FlowState

class Action(_message.Message):
    __slots__ = ("id", "details", "state", "name", "script", "timeout", "allowed_to_fail")
    ID_FIELD_NUMBER: _ClassVar[int]
    DETAILS_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    SCRIPT_FIELD_NUMBER: _ClassVar[int]
    TIMEOUT_FIELD_NUMBER: _ClassVar[int]
    ALLOWED_TO_FAIL_FIELD_NUMBER: _ClassVar[int]
    id: str
    details: _object_pb2.ObjectDetails
    state: ActionState
    name: str
    script: str
    timeout: _duration_pb2.Duration
    allowed_to_fail: bool
    def __init__(self, id: _Optional[str] = ..., details: _Optional[_Union[_object_pb2.ObjectDetails, _Mapping]] = ..., state: _Optional[_Union[ActionState, str]] = ..., name: _Optional[str] = ..., script: _Optional[str] = ..., timeout: _Optional[_Union[datetime.timedelta, _duration_pb2.Duration, _Mapping]] = ..., allowed_to_fail: _Optional[bool] = ...) -> None: ...

class ActionIDQuery(_message.Message):
    __slots__ = ("id",)
    ID_FIELD_NUMBER: _ClassVar[int]
    id: str
    def __init__(self, id: _Optional[str] = ...) -> None: ...

class ActionNameQuery(_message.Message):
    __slots__ = ("name", "method")
    NAME_FIELD_NUMBER: _ClassVar[int]
    METHOD_FIELD_NUMBER: _ClassVar[int]
    name: str
    method: _object_pb2.TextQueryMethod
    def __init__(self, name: _Optional[str] = ..., method: _Optional[_Union[_object_pb2.TextQueryMethod, str]] = ...) -> None: ...

class ActionStateQuery(_message.Message):
    __slots__ = ("state",)
    STATE_FIELD_NUMBER: _ClassVar[int]
    state: ActionState
    def __init__(self, state: _Optional[_Union[ActionState, str]] = ...) -> None: ...

class Flow(_message.Message):
    __slots__ = ("type", "details", "state", "trigger_actions")
    TYPE_FIELD_NUMBER: _ClassVar[int]
    DETAILS_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    TRIGGER_ACTIONS_FIELD_NUMBER: _ClassVar[int]
    type: FlowType
    details: _object_pb2.ObjectDetails
    state: FlowState
    trigger_actions: _containers.RepeatedCompositeFieldContainer[TriggerAction]
    def __init__(self, type: _Optional[_Union[FlowType, _Mapping]] = ..., details: _Optional[_Union[_object_pb2.ObjectDetails, _Mapping]] = ..., state: _Optional[_Union[FlowState, str]] = ..., trigger_actions: _Optional[_Iterable[_Union[TriggerAction, _Mapping]]] = ...) -> None: ...

class FlowType(_message.Message):
    __slots__ = ("id", "name")
    ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    id: str
    name: _message_pb2.LocalizedMessage
    def __init__(self, id: _Optional[str] = ..., name: _Optional[_Union[_message_pb2.LocalizedMessage, _Mapping]] = ...) -> None: ...

class TriggerType(_message.Message):
    __slots__ = ("id", "name")
    ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    id: str
    name: _message_pb2.LocalizedMessage
    def __init__(self, id: _Optional[str] = ..., name: _Optional[_Union[_message_pb2.LocalizedMessage, _Mapping]] = ...) -> None: ...

class TriggerAction(_message.Message):
    __slots__ = ("trigger_type", "actions")
    TRIGGER_TYPE_FIELD_NUMBER: _ClassVar[int]
    ACTIONS_FIELD_NUMBER: _ClassVar[int]
    trigger_type: TriggerType
    actions: _containers.RepeatedCompositeFieldContainer[Action]
    def __init__(self, trigger_type: _Optional[_Union[TriggerType, _Mapping]] = ..., actions: _Optional[_Iterable[_Union[Action, _Mapping]]] = ...) -> None: ...
