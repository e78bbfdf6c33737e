import datetime

from google.api import annotations_pb2 as _annotations_pb2
from google.api import field_behavior_pb2 as _field_behavior_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from validate import validate_pb2 as _validate_pb2
from zitadel.filter.v2beta import filter_pb2 as _filter_pb2
from zitadel.instance.v2beta import instance_pb2 as _instance_pb2
from zitadel.protoc_gen_zitadel.v2 import options_pb2 as _options_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class DeleteInstanceRequest(_message.Message):
    __slots__ = ("instance_id",)
    INSTANCE_ID_FIELD_NUMBER: _ClassVar[int]
    instance_id: str
    def __init__(self, instance_id: _Optional[str] = ...) -> None: ...

class DeleteInstanceResponse(_message.Message):
    __slots__ = ("deletion_date",)
    DELETION_DATE_FIELD_NUMBER: _ClassVar[int]
    deletion_date: _timestamp_pb2.Timestamp
    def __init__(self, deletion_date: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class GetInstanceRequest(_message.Message):
    __slots__ = ("instance_id",)
    INSTANCE_ID_FIELD_NUMBER: _ClassVar[int]
    instance_id: str
    def __init__(self, instance_id: _Optional[str] = ...) -> None: ...

class GetInstanceResponse(_message.Message):
    __slots__ = ("instance",)
    INSTANCE_FIELD_NUMBER: _ClassVar[int]
    instance: _instance_pb2.Instance
    def __init__(self, instance: _Optional[_Union[_instance_pb2.Instance, _Mapping]] = ...) -> None: ...

class UpdateInstanceRequest(_message.Message):
    __slots__ = ("instance_id", "instance_name")
    INSTANCE_ID_FIELD_NUMBER: _ClassVar[int]
    INSTANCE_NAME_FIELD_NUMBER: _ClassVar[int]
    instance_id: str
    instance_name: str
    def __init__(self, instance_id: _Optional[str] = ..., instance_name: _Optional[str] = ...) -> None: ...

class UpdateInstanceResponse(_message.Message):
    __slots__ = ("change_date",)
    CHANGE_DATE_FIELD_NUMBER: _ClassVar[int]
    change_date: _timestamp_pb2.Timestamp
    def __init__(self, change_date: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class ListInstancesRequest(_message.Message):
    __slots__ = ("queries", "pagination", "sorting_column")
    QUERIES_FIELD_NUMBER: _ClassVar[int]
    PAGINATION_FIELD_NUMBER: _ClassVar[int]
    SORTING_COLUMN_FIELD_NUMBER: _ClassVar[int]
    queries: _containers.RepeatedCompositeFieldContainer[_instance_pb2.Query]
    pagination: _filter_pb2.PaginationRequest
    sorting_column: _instance_pb2.FieldName
    def __init__(self, queries: _Optional[_Iterable[_Union[_instance_pb2.Query, _Mapping]]] = ..., pagination: _Optional[_Union[_filter_pb2.PaginationRequest, _Mapping]] = ..., sorting_column: _Optional[_Union[_instance_pb2.FieldName, str]] = ...) -> None: ...

class ListInstancesResponse(_message.Message):
    __slots__ = ("instances", "pagination")
    INSTANCES_FIELD_NUMBER: _ClassVar[int]
    PAGINATION_FIELD_NUMBER: _ClassVar[int]
    instances: _containers.RepeatedCompositeFieldContainer[_instance_pb2.Instance]
    pagination: _filter_pb2.PaginationResponse
    def __init__(self, instances: _Optional[_Iterable[_Union[_instance_pb2.Instance, _Mapping]]] = ..., pagination: _Optional[_Union[_filter_pb2.PaginationResponse, _Mapping]] = ...) -> None: ...

class AddCustomDomainRequest(_message.Message):
    __slots__ = ("instance_id", "domain")
    INSTANCE_ID_FIELD_NUMBER: _ClassVar[int]
    DOMAIN_FIELD_NUMBER: _ClassVar[int]
    instance_id: str
    domain: str
    def __init__(self, instance_id: _Optional[str] = ..., domain: _Optional[str] = ...) -> None: ...

class AddCustomDomainResponse(_message.Message):
    __slots__ = ("creation_date",)
    CREATION_DATE_FIELD_NUMBER: _ClassVar[int]
    creation_date: _timestamp_pb2.Timestamp
    def __init__(self, creation_date: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class RemoveCustomDomainRequest(_message.Message):
    __slots__ = ("instance_id", "domain")
    INSTANCE_ID_FIELD_NUMBER: _ClassVar[int]
    DOMAIN_FIELD_NUMBER: _ClassVar[int]
    instance_id: str
    domain: str
    def __init__(self, instance_id: _Optional[str] = ..., domain: _Optional[str] = ...) -> None: ...

class RemoveCustomDomainResponse(_message.Message):
    __slots__ = ("deletion_date",)
    DELETION_DATE_FIELD_NUMBER: _ClassVar[int]
    deletion_date: _timestamp_pb2.Timestamp
    def __init__(self, deletion_date: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class ListCustomDomainsRequest(_message.Message):
    __slots__ = ("instance_id", "pagination", "sorting_column", "queries")
    INSTANCE_ID_FIELD_NUMBER: _ClassVar[int]
    PAGINATION_FIELD_NUMBER: _ClassVar[int]
    SORTING_COLUMN_FIELD_NUMBER: _ClassVar[int]
    QUERIES_FIELD_NUMBER: _ClassVar[int]
    instance_id: str
    pagination: _filter_pb2.PaginationRequest
    sorting_column: _instance_pb2.DomainFieldName
    queries: _containers.RepeatedCompositeFieldContainer[_instance_pb2.DomainSearchQuery]
    def __init__(self, instance_id: _Optional[str] = ..., pagination: _Optional[_Union[_filter_pb2.PaginationRequest, _Mapping]] = ..., sorting_column: _Optional[_Union[_instance_pb2.DomainFieldName, str]] = ..., queries: _Optional[_Iterable[_Union[_instance_pb2.DomainSearchQuery, _Mapping]]] = ...) -> None: ...

class ListCustomDomainsResponse(_message.Message):
    __slots__ = ("domains", "pagination")
    DOMAINS_FIELD_NUMBER: _ClassVar[int]
    PAGINATION_FIELD_NUMBER: _ClassVar[int]
    domains: _containers.RepeatedCompositeFieldContainer[_instance_pb2.Domain]
    pagination: _filter_pb2.PaginationResponse
    def __init__(self, domains: _Optional[_Iterable[_Union[_instance_pb2.Domain, _Mapping]]] = ..., pagination: _Optional[_Union[_filter_pb2.PaginationResponse, _Mapping]] = ...) -> None: ...

class AddTrustedDomainRequest(_message.Message):
    __slots__ = ("instance_id", "domain")
    INSTANCE_ID_FIELD_NUMBER: _ClassVar[int]
    DOMAIN_FIELD_NUMBER: _ClassVar[int]
    instance_id: str
    domain: str
    def __init__(self, instance_id: _Optional[str] = ..., domain: _Optional[str] = ...) -> None: ...

class AddTrustedDomainResponse(_message.Message):
    __slots__ = ("creation_date",)
    CREATION_DATE_FIELD_NUMBER: _ClassVar[int]
    creation_date: _timestamp_pb2.Timestamp
    def __init__(self, creation_date: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class RemoveTrustedDomainRequest(_message.Message):
    __slots__ = ("instance_id", "domain")
    INSTANCE_ID_FIELD_NUMBER: _ClassVar[int]
    DOMAIN_FIELD_NUMBER: _ClassVar[int]
    instance_id: str
    domain: str
    def __init__(self, instance_id: _Optional[str] = ..., domain: _Optional[str] = ...) -> None: ...

class RemoveTrustedDomainResponse(_message.Message):
    __slots__ = ("deletion_date",)
    DELETION_DATE_FIELD_NUMBER: _ClassVar[int]
    deletion_date: _timestamp_pb2.Timestamp
    def __init__(self, deletion_date: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class ListTrustedDomainsRequest(_message.Message):
    __slots__ = ("instance_id", "pagination", "sorting_column", "queries")
    INSTANCE_ID_FIELD_NUMBER: _ClassVar[int]
    PAGINATION_FIELD_NUMBER: _ClassVar[int]
    SORTING_COLUMN_FIELD_NUMBER: _ClassVar[int]
    QUERIES_FIELD_NUMBER: _ClassVar[int]
    instance_id: str
    pagination: _filter_pb2.PaginationRequest
    sorting_column: _instance_pb2.TrustedDomainFieldName
    queries: _containers.RepeatedCompositeFieldContainer[_instance_pb2.TrustedDomainSearchQuery]
    def __init__(self, instance_id: _Optional[str] = ..., pagination: _Optional[_Union[_filter_pb2.PaginationRequest, _Mapping]] = ..., sorting_column: _Optional[_Union[_instance_pb2.TrustedDomainFieldName, str]] = ..., queries: _Optional[_Iterable[_Union[_instance_pb2.TrustedDomainSearchQuery, _Mapping]]] = ...) -> None: ...

class ListTrustedDomainsResponse(_message.Message):
    __slots__ = ("trusted_domain", "pagination")
    TRUSTED_DOMAIN_FIELD_NUMBER: _ClassVar[int]
    PAGINATION_FIELD_NUMBER: _ClassVar[int]
    trusted_domain: _containers.RepeatedCompositeFieldContainer[_instance_pb2.TrustedDomain]
    pagination: _filter_pb2.PaginationResponse
    def __init__(self, trusted_domain: _Optional[_Iterable[_Union[_instance_pb2.TrustedDomain, _Mapping]]] = ..., pagination: _Optional[_Union[_filter_pb2.PaginationResponse, _Mapping]] = ...) -> None: ...
