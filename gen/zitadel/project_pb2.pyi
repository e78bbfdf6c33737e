from validate import validate_pb2 as _validate_pb2
from zitadel import object_pb2 as _object_pb2
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class ProjectState(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    PROJECT_STATE_UNSPECIFIED: _ClassVar[ProjectState]
    PROJECT_STATE_ACTIVE: _ClassVar[ProjectState]
    PROJECT_STATE_INACTIVE: _ClassVar[ProjectState]

class PrivateLabelingSetting(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    PRIVATE_LABELING_SETTING_UNSPECIFIED: _ClassVar[PrivateLabelingSetting]
    PRIVATE_LABELING_SETTING_ENFORCE_PROJECT_RESOURCE_OWNER_POLICY: _ClassVar[PrivateLabelingSetting]
    PRIVATE_LABELING_SETTING_ALLOW_LOGIN_USER_RESOURCE_OWNER_POLICY: _ClassVar[PrivateLabelingSetting]
PROJECT_STATE_UNSPECIFIED: ProjectState
PROJECT_STATE_ACTIVE: ProjectState
PROJECT_STATE_INACTIVE: ProjectState
PRIVATE_LABELING_SETTING_UNSPECIFIED: PrivateLabelingSetting
PRIVATE_LABELING_SETTING_ENFORCE_PROJECT_RESOURCE_OWNER_POLICY: PrivateLabelingSetting
PRIVATE_LABELING_SETTING_ALLOW_LOGIN_USER_RESOURCE_OWNER_POLICY: PrivateLabelingSetting

class Project(_message.Message):
    __slots__ = ("id", "details", "name", "state", "project_role_assertion", "project_role_check", "has_project_check", "private_labeling_setting")
    ID_FIELD_NUMBER: _ClassVar[int]
    DETAILS_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    PROJECT_ROLE_ASSERTION_FIELD_NUMBER: _ClassVar[int]
    PROJECT_ROLE_CHECK_FIELD_NUMBER: _ClassVar[int]
    HAS_PROJECT_CHECK_FIELD_NUMBER: _ClassVar[int]
    PRIVATE_LABELING_SETTING_FIELD_NUMBER: _ClassVar[int]
    id: str
    details: _object_pb2.ObjectDetails
    name: str
    state: ProjectState
    project_role_assertion: bool
    project_role_check: bool
    has_project_check: bool
    private_labeling_setting: PrivateLabelingSetting
    def __init__(self, id: _Optional[str] = ..., details: _Optional[_Union[_object_pb2.ObjectDetails, _Mapping]] = ..., name: _Optional[str] = ..., state: _Optional[_Union[ProjectState, str]] = ..., project_role_assertion: _Optional[bool] = ..., project_role_check: _Optional[bool] = ..., has_project_check: _Optional[bool] = ..., private_labeling_setting: _Optional[_Union[PrivateLabelingSetting, str]] = ...) -> None: ...

class ProjectQuery(_message.Message):
    __slots__ = ("name_query", "project_resource_owner_query")
    NAME_QUERY_FIELD_NUMBER: _ClassVar[int]
    PROJECT_RESOURCE_OWNER_QUERY_FIELD_NUMBER: _ClassVar[int]
    name_query: ProjectNameQuery
    project_resource_owner_query: ProjectResourceOwnerQuery
    def __init__(self, name_query: _Optional[_Union[ProjectNameQuery, _Mapping]] = ..., project_resource_owner_query: _Optional[_Union[ProjectResourceOwnerQuery, _Mapping]] = ...) -> None: ...

class ProjectNameQuery(_message.Message):
    __slots__ = ("name", "method")
    NAME_FIELD_NUMBER: _ClassVar[int]
    METHOD_FIELD_NUMBER: _ClassVar[int]
    name: str
    method: _object_pb2.TextQueryMethod
    def __init__(self, name: _Optional[str] = ..., method: _Optional[_Union[_object_pb2.TextQueryMethod, str]] = ...) -> None: ...

class ProjectResourceOwnerQuery(_message.Message):
    __slots__ = ("resource_owner",)
    RESOURCE_OWNER_FIELD_NUMBER: _ClassVar[int]
    resource_owner: str
    def __init__(self, resource_owner: _Optional[str] = ...) -> None: ...
