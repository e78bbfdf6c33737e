import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from validate import validate_pb2 as _validate_pb2
from zitadel.filter.v2 import filter_pb2 as _filter_pb2
from zitadel.object.v2 import object_pb2 as _object_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class State(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    STATE_UNSPECIFIED: _ClassVar[State]
    STATE_CREATING: _ClassVar[State]
    STATE_RUNNING: _ClassVar[State]
    STATE_STOPPING: _ClassVar[State]
    STATE_STOPPED: _ClassVar[State]

class FieldName(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    FIELD_NAME_UNSPECIFIED: _ClassVar[FieldName]
    FIELD_NAME_ID: _ClassVar[FieldName]
    FIELD_NAME_NAME: _ClassVar[FieldName]
    FIELD_NAME_CREATION_DATE: _ClassVar[FieldName]

class DomainFieldName(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    DOMAIN_FIELD_NAME_UNSPECIFIED: _ClassVar[DomainFieldName]
    DOMAIN_FIELD_NAME_DOMAIN: _ClassVar[DomainFieldName]
    DOMAIN_FIELD_NAME_PRIMARY: _ClassVar[DomainFieldName]
    DOMAIN_FIELD_NAME_GENERATED: _ClassVar[DomainFieldName]
    DOMAIN_FIELD_NAME_CREATION_DATE: _ClassVar[DomainFieldName]

class TrustedDomainFieldName(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    TRUSTED_DOMAIN_FIELD_NAME_UNSPECIFIED: _ClassVar[TrustedDomainFieldName]
    TRUSTED_DOMAIN_FIELD_NAME_DOMAIN: _ClassVar[TrustedDomainFieldName]
    TRUSTED_DOMAIN_FIELD_NAME_CREATION_DATE: _ClassVar[TrustedDomainFieldName]
STATE_UNSPECIFIED: State
STATE_CREATING: State
STATE_RUNNING: State
STATE_STOPPING: State
STATE_STOPPED: State
FIELD_NAME_UNSPECIFIED: FieldName
FIELD_NAME_ID: FieldName
FIELD_NAME_NAME: FieldName
FIELD_NAME_CREATION_DATE: FieldName
DOMAIN_FIELD_NAME_UNSPECIFIED: DomainFieldName
DOMAIN_FIELD_NAME_DOMAIN: DomainFieldName
DOMAIN_FIELD_NAME_PRIMARY: DomainFieldName
DOMAIN_FIELD_NAME_GENERATED: DomainFieldName
DOMAIN_FIELD_NAME_CREATION_DATE: DomainFieldName
TRUSTED_DOMAIN_FIELD_NAME_UNSPECIFIED: TrustedDomainFieldName
TRUSTED_DOMAIN_FIELD_NAME_DOMAIN: TrustedDomainFieldName
TRUSTED_DOMAIN_FIELD_NAME_CREATION_DATE: TrustedDomainFieldName

class Instance(_message.Message):
    __slots__ = ("id", "change_date", "creation_date", "state", "name", "version", "custom_domains")
    ID_FIELD_NUMBER: _ClassVar[int]
    CHANGE_DATE_FIELD_NUMBER: _ClassVar[int]
    CREATION_DATE_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    CUSTOM_DOMAINS_FIELD_NUMBER: _ClassVar[int]
    id: str
    change_date: _timestamp_pb2.Timestamp
    creation_date: _timestamp_pb2.Timestamp
    state: State
    name: str
    version: str
    custom_domains: _containers.RepeatedCompositeFieldContainer[CustomDomain]
    def __init__(self, id: _Optional[str] = ..., change_date: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., creation_date: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., state: _Optional[_Union[State, str]] = ..., name: _Optional[str] = ..., version: _Optional[str] = ..., custom_domains: _Optional[_Iterable[_Union[CustomDomain, _Mapping]]] = ...) -> None: ...

class CustomDomain(_message.Message):
    __slots__ = ("instance_id", "creation_date", "domain", "primary", "generated")
    INSTANCE_ID_FIELD_NUMBER: _ClassVar[int]
    CREATION_DATE_FIELD_NUMBER: _ClassVar[int]
    DOMAIN_FIELD_NUMBER: _ClassVar[int]
    PRIMARY_FIELD_NUMBER: _ClassVar[int]
    GENERATED_FIELD_NUMBER: _ClassVar[int]
    instance_id: str
    creation_date: _timestamp_pb2.Timestamp
    domain: str
    primary: bool
    generated: bool
    def __init__(self, instance_id: _Optional[str] = ..., creation_date: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., domain: _Optional[str] = ..., primary: _Optional[bool] = ..., generated: _Optional[bool] = ...) -> None: ...

class Filter(_message.Message):
    __slots__ = ("in_ids_filter", "custom_domains_filter")
    IN_IDS_FILTER_FIELD_NUMBER: _ClassVar[int]
    CUSTOM_DOMAINS_FILTER_FIELD_NUMBER: _ClassVar[int]
    in_ids_filter: _filter_pb2.InIDsFilter
    custom_domains_filter: CustomDomainsFilter
    def __init__(self, in_ids_filter: _Optional[_Union[_filter_pb2.InIDsFilter, _Mapping]] = ..., custom_domains_filter: _Optional[_Union[CustomDomainsFilter, _Mapping]] = ...) -> None: ...

class CustomDomainsFilter(_message.Message):
    __slots__ = ("domains",)
    DOMAINS_FIELD_NUMBER: _ClassVar[int]
    domains: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, domains: _Optional[_Iterable[str]] = ...) -> None: ...

class CustomDomainFilter(_message.Message):
    __slots__ = ("domain_filter", "generated_filter", "primary_filter")
    DOMAIN_FILTER_FIELD_NUMBER: _ClassVar[int]
    GENERATED_FILTER_FIELD_NUMBER: _ClassVar[int]
    PRIMARY_FILTER_FIELD_NUMBER: _ClassVar[int]
    domain_filter: DomainFilter
    generated_filter: bool
    primary_filter: bool
    def __init__(self, domain_filter: _Optional[_Union[DomainFilter, _Mapping]] = ..., generated_filter: _Optional[bool] = ..., primary_filter: _Optional[bool] = ...) -> None: ...

class DomainFilter(_message.Message):
    __slots__ = ("domain", "method")
    DOMAIN_FIELD_NUMBER: _ClassVar[int]
    METHOD_FIELD_NUMBER: _ClassVar[int]
    domain: str
    method: _object_pb2.TextQueryMethod
    def __init__(self, domain: _Optional[str] = ..., method: _Optional[_Union[_object_pb2.TextQueryMethod, str]] = ...) -> None: ...

class TrustedDomain(_message.Message):
    __slots__ = ("instance_id", "creation_date", "domain")
    INSTANCE_ID_FIELD_NUMBER: _ClassVar[int]
    CREATION_DATE_FIELD_NUMBER: _ClassVar[int]
    DOMAIN_FIELD_NUMBER: _ClassVar[int]
    instance_id: str
    creation_date: _timestamp_pb2.Timestamp
    domain: str
    def __init__(self, instance_id: _Optional[str] = ..., creation_date: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., domain: _Optional[str] = ...) -> None: ...

class TrustedDomainFilter(_message.Message):
    __slots__ = ("domain_filter",)
    DOMAIN_FILTER_FIELD_NUMBER: _ClassVar[int]
    domain_filter: DomainFilter
    def __init__(self, domain_filter: _Optional[_Union[DomainFilter, _Mapping]] = ...) -> None: ...
