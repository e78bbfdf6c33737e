import datetime

from google.api import annotations_pb2 as _annotations_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from validate import validate_pb2 as _validate_pb2
from zitadel import auth_n_key_pb2 as _auth_n_key_pb2
from zitadel import instance_pb2 as _instance_pb2
from zitadel import object_pb2 as _object_pb2
from zitadel import options_pb2 as _options_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class HealthzRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class HealthzResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class ListInstancesRequest(_message.Message):
    __slots__ = ("query", "sorting_column", "queries")
    QUERY_FIELD_NUMBER: _ClassVar[int]
    SORTING_COLUMN_FIELD_NUMBER: _ClassVar[int]
    QUERIES_FIELD_NUMBER: _ClassVar[int]
    query: _object_pb2.ListQuery
    sorting_column: _instance_pb2.FieldName
    queries: _containers.RepeatedCompositeFieldContainer[_instance_pb2.Query]
    def __init__(self, query: _Optional[_Union[_object_pb2.ListQuery, _Mapping]] = ..., sorting_column: _Optional[_Union[_instance_pb2.FieldName, str]] = ..., queries: _Optional[_Iterable[_Union[_instance_pb2.Query, _Mapping]]] = ...) -> None: ...

class ListInstancesResponse(_message.Message):
    __slots__ = ("details", "sorting_column", "result")
    DETAILS_FIELD_NUMBER: _ClassVar[int]
    SORTING_COLUMN_FIELD_NUMBER: _ClassVar[int]
    RESULT_FIELD_NUMBER: _ClassVar[int]
    details: _object_pb2.ListDetails
    sorting_column: _instance_pb2.FieldName
    result: _containers.RepeatedCompositeFieldContainer[_instance_pb2.Instance]
    def __init__(self, details: _Optional[_Union[_object_pb2.ListDetails, _Mapping]] = ..., sorting_column: _Optional[_Union[_instance_pb2.FieldName, str]] = ..., result: _Optional[_Iterable[_Union[_instance_pb2.Instance, _Mapping]]] = ...) -> None: ...

class GetInstanceRequest(_message.Message):
    __slots__ = ("instance_id",)
    INSTANCE_ID_FIELD_NUMBER: _ClassVar[int]
    instance_id: str
    def __init__(self, instance_id: _Optional[str] = ...) -> None: ...

class GetInstanceResponse(_message.Message):
    __slots__ = ("instance",)
    INSTANCE_FIELD_NUMBER: _ClassVar[int]
    instance: _instance_pb2.InstanceDetail
    def __init__(self, instance: _Optional[_Union[_instance_pb2.InstanceDetail, _Mapping]] = ...) -> None: ...

class AddInstanceRequest(_message.Message):
    __slots__ = ("instance_name", "first_org_name", "custom_domain", "owner_user_name", "owner_email", "owner_profile", "owner_password", "default_language")
    class Profile(_message.Message):
        __slots__ = ("first_name", "last_name", "preferred_language")
        FIRST_NAME_FIELD_NUMBER: _ClassVar[int]
        LAST_NAME_FIELD_NUMBER: _ClassVar[int]
        PREFERRED_LANGUAGE_FIELD_NUMBER: _ClassVar[int]
        first_name: str
        last_name: str
        preferred_language: str
        def __init__(self, first_name: _Optional[str] = ..., last_name: _Optional[str] = ..., preferred_language: _Optional[str] = ...) -> None: ...
    class Email(_message.Message):
        __slots__ = ("email", "is_email_verified")
        EMAIL_FIELD_NUMBER: _ClassVar[int]
        IS_EMAIL_VERIFIED_FIELD_NUMBER: _ClassVar[int]
        email: str
        is_email_verified: bool
        def __init__(self, email: _Optional[str] = ..., is_email_verified: _Optional[bool] = ...) -> None: ...
    class Password(_message.Message):
        __slots__ = ("password", "password_change_required")
        PASSWORD_FIELD_NUMBER: _ClassVar[int]
        PASSWORD_CHANGE_REQUIRED_FIELD_NUMBER: _ClassVar[int]
        password: str
        password_change_required: bool
        def __init__(self, password: _Optional[str] = ..., password_change_required: _Optional[bool] = ...) -> None: ...
    INSTANCE_NAME_FIELD_NUMBER: _ClassVar[int]
    FIRST_ORG_NAME_FIELD_NUMBER: _ClassVar[int]
    CUSTOM_DOMAIN_FIELD_NUMBER: _ClassVar[int]
    OWNER_USER_NAME_FIELD_NUMBER: _ClassVar[int]
    OWNER_EMAIL_FIELD_NUMBER: _ClassVar[int]
    OWNER_PROFILE_FIELD_NUMBER: _ClassVar[int]
    OWNER_PASSWORD_FIELD_NUMBER: _ClassVar[int]
    DEFAULT_LANGUAGE_FIELD_NUMBER: _ClassVar[int]
    instance_name: str
    first_org_name: str
    custom_domain: str
    owner_user_name: str
    owner_email: AddInstanceRequest.Email
    owner_profile: AddInstanceRequest.Profile
    owner_password: AddInstanceRequest.Password
    default_language: str
    def __init__(self, instance_name: _Optional[str] = ..., first_org_name: _Optional[str] = ..., custom_domain: _Optional[str] = ..., owner_user_name: _Optional[str] = ..., owner_email: _Optional[_Union[AddInstanceRequest.Email, _Mapping]] = ..., owner_profile: _Optional[_Union[AddInstanceRequest.Profile, _Mapping]] = ..., owner_password: _Optional[_Union[AddInstanceRequest.Password, _Mapping]] = ..., default_language: _Optional[str] = ...) -> None: ...

class AddInstanceResponse(_message.Message):
    __slots__ = ("instance_id", "details")
    INSTANCE_ID_FIELD_NUMBER: _ClassVar[int]
    DETAILS_FIELD_NUMBER: _ClassVar[int]
    instance_id: str
    details: _object_pb2.ObjectDetails
    def __init__(self, instance_id: _Optional[str] = ..., details: _Optional[_Union[_object_pb2.ObjectDetails, _Mapping]] = ...) -> None: ...

class CreateInstanceRequest(_message.Message):
    __slots__ = ("instance_name", "first_org_name", "custom_domain", "human", "machine", "default_language")
    class Human(_message.Message):
        __slots__ = ("user_name", "email", "profile", "password")
        USER_NAME_FIELD_NUMBER: _ClassVar[int]
        EMAIL_FIELD_NUMBER: _ClassVar[int]
        PROFILE_FIELD_NUMBER: _ClassVar[int]
        PASSWORD_FIELD_NUMBER: _ClassVar[int]
        user_name: str
        email: CreateInstanceRequest.Email
        profile: CreateInstanceRequest.Profile
        password: CreateInstanceRequest.Password
        def __init__(self, user_name: _Optional[str] = ..., email: _Optional[_Union[CreateInstanceRequest.Email, _Mapping]] = ..., profile: _Optional[_Union[CreateInstanceRequest.Profile, _Mapping]] = ..., password: _Optional[_Union[CreateInstanceRequest.Password, _Mapping]] = ...) -> None: ...
    class Profile(_message.Message):
        __slots__ = ("first_name", "last_name", "preferred_language")
        FIRST_NAME_FIELD_NUMBER: _ClassVar[int]
        LAST_NAME_FIELD_NUMBER: _ClassVar[int]
        PREFERRED_LANGUAGE_FIELD_NUMBER: _ClassVar[int]
        first_name: str
        last_name: str
        preferred_language: str
        def __init__(self, first_name: _Optional[str] = ..., last_name: _Optional[str] = ..., preferred_language: _Optional[str] = ...) -> None: ...
    class Email(_message.Message):
        __slots__ = ("email", "is_email_verified")
        EMAIL_FIELD_NUMBER: _ClassVar[int]
        IS_EMAIL_VERIFIED_FIELD_NUMBER: _ClassVar[int]
        email: str
        is_email_verified: bool
        def __init__(self, email: _Optional[str] = ..., is_email_verified: _Optional[bool] = ...) -> None: ...
    class Password(_message.Message):
        __slots__ = ("password", "password_change_required")
        PASSWORD_FIELD_NUMBER: _ClassVar[int]
        PASSWORD_CHANGE_REQUIRED_FIELD_NUMBER: _ClassVar[int]
        password: str
        password_change_required: bool
        def __init__(self, password: _Optional[str] = ..., password_change_required: _Optional[bool] = ...) -> None: ...
    class Machine(_message.Message):
        __slots__ = ("user_name", "name", "personal_access_token", "machine_key")
        USER_NAME_FIELD_NUMBER: _ClassVar[int]
        NAME_FIELD_NUMBER: _ClassVar[int]
        PERSONAL_ACCESS_TOKEN_FIELD_NUMBER: _ClassVar[int]
        MACHINE_KEY_FIELD_NUMBER: _ClassVar[int]
        user_name: str
        name: str
        personal_access_token: CreateInstanceRequest.PersonalAccessToken
        machine_key: CreateInstanceRequest.MachineKey
        def __init__(self, user_name: _Optional[str] = ..., name: _Optional[str] = ..., personal_access_token: _Optional[_Union[CreateInstanceRequest.PersonalAccessToken, _Mapping]] = ..., machine_key: _Optional[_Union[CreateInstanceRequest.MachineKey, _Mapping]] = ...) -> None: ...
    class PersonalAccessToken(_message.Message):
        __slots__ = ("expiration_date",)
        EXPIRATION_DATE_FIELD_NUMBER: _ClassVar[int]
        expiration_date: _timestamp_pb2.Timestamp
        def __init__(self, expiration_date: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...
    class MachineKey(_message.Message):
        __slots__ = ("type", "expiration_date")
        TYPE_FIELD_NUMBER: _ClassVar[int]
        EXPIRATION_DATE_FIELD_NUMBER: _ClassVar[int]
        type: _auth_n_key_pb2.KeyType
        expiration_date: _timestamp_pb2.Timestamp
        def __init__(self, type: _Optional[_Union[_auth_n_key_pb2.KeyType, str]] = ..., expiration_date: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...
    INSTANCE_NAME_FIELD_NUMBER: _ClassVar[int]
    FIRST_ORG_NAME_FIELD_NUMBER: _ClassVar[int]
    CUSTOM_DOMAIN_FIELD_NUMBER: _ClassVar[int]
    HUMAN_FIELD_NUMBER: _ClassVar[int]
    MACHINE_FIELD_NUMBER: _ClassVar[int]
    DEFAULT_LANGUAGE_FIELD_NUMBER: _ClassVar[int]
    instance_name: str
    first_org_name: str
    custom_domain: str
    human: CreateInstanceRequest.Human
    machine: CreateInstanceRequest.Machine
    default_language: str
    def __init__(self, instance_name: _Optional[str] = ..., first_org_name: _Optional[str] = ..., custom_domain: _Optional[str] = ..., human: _Optional[_Union[CreateInstanceRequest.Human, _Mapping]] = ..., machine: _Optional[_Union[CreateInstanceRequest.Machine, _Mapping]] = ..., default_language: _Optional[str] = ...) -> None: ...

class CreateInstanceResponse(_message.Message):
    __slots__ = ("instance_id", "details", "pat", "machine_key")
    INSTANCE_ID_FIELD_NUMBER: _ClassVar[int]
    DETAILS_FIELD_NUMBER: _ClassVar[int]
    PAT_FIELD_NUMBER: _ClassVar[int]
    MACHINE_KEY_FIELD_NUMBER: _ClassVar[int]
    instance_id: str
    details: _object_pb2.ObjectDetails
    pat: str
    machine_key: bytes
    def __init__(self, instance_id: _Optional[str] = ..., details: _Optional[_Union[_object_pb2.ObjectDetails, _Mapping]] = ..., pat: _Optional[str] = ..., machine_key: _Optional[bytes] = ...) -> None: ...

class UpdateInstanceRequest(_message.Message):
    __slots__ = ("instance_id", "instance_name")
    INSTANCE_ID_FIELD_NUMBER: _ClassVar[int]
    INSTANCE_NAME_FIELD_NUMBER: _ClassVar[int]
    instance_id: str
    instance_name: str
    def __init__(self, instance_id: _Optional[str] = ..., instance_name: _Optional[str] = ...) -> None: ...

class UpdateInstanceResponse(_message.Message):
    __slots__ = ("details",)
    DETAILS_FIELD_NUMBER: _ClassVar[int]
    details: _object_pb2.ObjectDetails
    def __init__(self, details: _Optional[_Union[_object_pb2.ObjectDetails, _Mapping]] = ...) -> None: ...

class RemoveInstanceRequest(_message.Message):
    __slots__ = ("instance_id",)
    INSTANCE_ID_FIELD_NUMBER: _ClassVar[int]
    instance_id: str
    def __init__(self, instance_id: _Optional[str] = ...) -> None: ...

class RemoveInstanceResponse(_message.Message):
    __slots__ = ("details",)
    DETAILS_FIELD_NUMBER: _ClassVar[int]
    details: _object_pb2.ObjectDetails
    def __init__(self, details: _Optional[_Union[_object_pb2.ObjectDetails, _Mapping]] = ...) -> None: ...

class ExistsDomainRequest(_message.Message):
    __slots__ = ("domain",)
    DOMAIN_FIELD_NUMBER: _ClassVar[int]
    domain: str
    def __init__(self, domain: _Optional[str] = ...) -> None: ...

class ExistsDomainResponse(_message.Message):
    __slots__ = ("exists",)
    EXISTS_FIELD_NUMBER: _ClassVar[int]
    exists: bool
    def __init__(self, exists: _Optional[bool] = ...) -> None: ...

class ListDomainsRequest(_message.Message):
    __slots__ = ("instance_id", "query", "sorting_column", "queries")
    INSTANCE_ID_FIELD_NUMBER: _ClassVar[int]
    QUERY_FIELD_NUMBER: _ClassVar[int]
    SORTING_COLUMN_FIELD_NUMBER: _ClassVar[int]
    QUERIES_FIELD_NUMBER: _ClassVar[int]
    instance_id: str
    query: _object_pb2.ListQuery
    sorting_column: _instance_pb2.DomainFieldName
    queries: _containers.RepeatedCompositeFieldContainer[_instance_pb2.DomainSearchQuery]
    def __init__(self, instance_id: _Optional[str] = ..., query: _Optional[_Union[_object_pb2.ListQuery, _Mapping]] = ..., sorting_column: _Optional[_Union[_instance_pb2.DomainFieldName, str]] = ..., queries: _Optional[_Iterable[_Union[_instance_pb2.DomainSearchQuery, _Mapping]]] = ...) -> None: ...

class ListDomainsResponse(_message.Message):
    __slots__ = ("details", "sorting_column", "result")
    DETAILS_FIELD_NUMBER: _ClassVar[int]
    SORTING_COLUMN_FIELD_NUMBER: _ClassVar[int]
    RESULT_FIELD_NUMBER: _ClassVar[int]
    details: _object_pb2.ListDetails
    sorting_column: _instance_pb2.DomainFieldName
    result: _containers.RepeatedCompositeFieldContainer[_instance_pb2.Domain]
    def __init__(self, details: _Optional[_Union[_object_pb2.ListDetails, _Mapping]] = ..., sorting_column: _Optional[_Union[_instance_pb2.DomainFieldName, str]] = ..., result: _Optional[_Iterable[_Union[_instance_pb2.Domain, _Mapping]]] = ...) -> None: ...

class AddDomainRequest(_message.Message):
    __slots__ = ("instance_id", "domain")
    INSTANCE_ID_FIELD_NUMBER: _ClassVar[int]
    DOMAIN_FIELD_NUMBER: _ClassVar[int]
    instance_id: str
    domain: str
    def __init__(self, instance_id: _Optional[str] = ..., domain: _Optional[str] = ...) -> None: ...

class AddDomainResponse(_message.Message):
    __slots__ = ("details",)
    DETAILS_FIELD_NUMBER: _ClassVar[int]
    details: _object_pb2.ObjectDetails
    def __init__(self, details: _Optional[_Union[_object_pb2.ObjectDetails, _Mapping]] = ...) -> None: ...

class RemoveDomainRequest(_message.Message):
    __slots__ = ("instance_id", "domain")
    INSTANCE_ID_FIELD_NUMBER: _ClassVar[int]
    DOMAIN_FIELD_NUMBER: _ClassVar[int]
    instance_id: str
    domain: str
    def __init__(self, instance_id: _Optional[str] = ..., domain: _Optional[str] = ...) -> None: ...

class RemoveDomainResponse(_message.Message):
    __slots__ = ("details",)
    DETAILS_FIELD_NUMBER: _ClassVar[int]
    details: _object_pb2.ObjectDetails
    def __init__(self, details: _Optional[_Union[_object_pb2.ObjectDetails, _Mapping]] = ...) -> None: ...

class SetPrimaryDomainRequest(_message.Message):
    __slots__ = ("instance_id", "domain")
    INSTANCE_ID_FIELD_NUMBER: _ClassVar[int]
    DOMAIN_FIELD_NUMBER: _ClassVar[int]
    instance_id: str
    domain: str
    def __init__(self, instance_id: _Optional[str] = ..., domain: _Optional[str] = ...) -> None: ...

class SetPrimaryDomainResponse(_message.Message):
    __slots__ = ("details",)
    DETAILS_FIELD_NUMBER: _ClassVar[int]
    details: _object_pb2.ObjectDetails
    def __init__(self, details: _Optional[_Union[_object_pb2.ObjectDetails, _Mapping]] = ...) -> None: ...
