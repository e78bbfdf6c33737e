import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from validate import validate_pb2 as _validate_pb2
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
    __slots__ = ("id", "change_date", "creation_date", "state", "name", "version", "domains")
    ID_FIELD_NUMBER: _ClassVar[int]
    CHANGE_DATE_FIELD_NUMBER: _ClassVar[int]
    CREATION_DATE_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    DOMAINS_FIELD_NUMBER: _ClassVar[int]
    id: str
    change_date: _timestamp_pb2.Timestamp
    creation_date: _timestamp_pb2.Timestamp
    state: State
    name: str
    version: str
    domains: _containers.RepeatedCompositeFieldContainer[Domain]
    def __init__(self, id: _Optional[str] = ..., change_date: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., creation_date: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., state: _Optional[_Union[State, str]] = ..., name: _Optional[str] = ..., version: _Optional[str] = ..., domains: _Optional[_Iterable[_Union[Domain, _Mapping]]] = ...) -> None: ...

class Domain(_message.Message):
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

class Query(_message.Message):
    __slots__ = ("id_query", "domain_query")
    ID_QUERY_FIELD_NUMBER: _ClassVar[int]
    DOMAIN_QUERY_FIELD_NUMBER: _ClassVar[int]
    id_query: IdsQuery
    domain_query: DomainsQuery
    def __init__(self, id_query: _Optional[_Union[IdsQuery, _Mapping]] = ..., domain_query: _Optional[_Union[DomainsQuery, _Mapping]] = ...) -> None: ...

class IdsQuery(_message.Message):
    __slots__ = ("ids",)
    IDS_FIELD_NUMBER: _ClassVar[int]
    ids: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, ids: _Optional[_Iterable[str]] = ...) -> None: ...

class DomainsQuery(_message.Message):
    __slots__ = ("domains",)
    DOMAINS_FIELD_NUMBER: _ClassVar[int]
    domains: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, domains: _Optional[_Iterable[str]] = ...) -> None: ...

class DomainSearchQuery(_message.Message):
    __slots__ = ("domain_query", "generated_query", "primary_query")
    DOMAIN_QUERY_FIELD_NUMBER: _ClassVar[int]
    GENERATED_QUERY_FIELD_NUMBER: _ClassVar[int]
    PRIMARY_QUERY_FIELD_NUMBER: _ClassVar[int]
    domain_query: DomainQuery
    generated_query: DomainGeneratedQuery
    primary_query: DomainPrimaryQuery
    def __init__(self, domain_query: _Optional[_Union[DomainQuery, _Mapping]] = ..., generated_query: _Optional[_Union[DomainGeneratedQuery, _Mapping]] = ..., primary_query: _Optional[_Union[DomainPrimaryQuery, _Mapping]] = ...) -> None: ...

class DomainQuery(_message.Message):
    __slots__ = ("domain", "method")
    DOMAIN_FIELD_NUMBER: _ClassVar[int]
    METHOD_FIELD_NUMBER: _ClassVar[int]
    domain: str
    method: _object_pb2.TextQueryMethod
    def __init__(self, domain: _Optional[str] = ..., method: _Optional[_Union[_object_pb2.TextQueryMethod, str]] = ...) -> None: ...

class DomainGeneratedQuery(_message.Message):
    __slots__ = ("generated",)
    GENERATED_FIELD_NUMBER: _ClassVar[int]
    generated: bool
    def __init__(self, generated: _Optional[bool] = ...) -> None: ...

class DomainPrimaryQuery(_message.Message):
    __slots__ = ("primary",)
    PRIMARY_FIELD_NUMBER: _ClassVar[int]
    primary: bool
    def __init__(self, primary: _Optional[bool] = ...) -> None: ...

class TrustedDomain(_message.Message):
    __slots__ = ("instance_id", "creation_date", "domain")
    INSTANCE_ID_FIELD_NUMBER: _ClassVar[int]
    CREATION_DATE_FIELD_NUMBER: _ClassVar[int]
    DOMAIN_FIELD_NUMBER: _ClassVar[int]
    instance_id: str
    creation_date: _timestamp_pb2.Timestamp
    domain: str
    def __init__(self, instance_id: _Optional[str] = ..., creation_date: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., domain: _Optional[str] = ...) -> None: ...

class TrustedDomainSearchQuery(_message.Message):
    __slots__ = ("domain_query",)
    DOMAIN_QUERY_FIELD_NUMBER: _ClassVar[int]
    domain_query: DomainQuery
    def __init__(self, domain_query: _Optional[_Union[DomainQuery, _Mapping]] = ...) -> None: ...
