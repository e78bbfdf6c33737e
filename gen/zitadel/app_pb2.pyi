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

class AppState(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    APP_STATE_UNSPECIFIED: _ClassVar[AppState]
    APP_STATE_ACTIVE: _ClassVar[AppState]
    APP_STATE_INACTIVE: _ClassVar[AppState]

class OIDCResponseType(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    OIDC_RESPONSE_TYPE_CODE: _ClassVar[OIDCResponseType]
    OIDC_RESPONSE_TYPE_ID_TOKEN: _ClassVar[OIDCResponseType]
    OIDC_RESPONSE_TYPE_ID_TOKEN_TOKEN: _ClassVar[OIDCResponseType]

class OIDCGrantType(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    OIDC_GRANT_TYPE_AUTHORIZATION_CODE: _ClassVar[OIDCGrantType]
    OIDC_GRANT_TYPE_IMPLICIT: _ClassVar[OIDCGrantType]
    OIDC_GRANT_TYPE_REFRESH_TOKEN: _ClassVar[OIDCGrantType]
    OIDC_GRANT_TYPE_DEVICE_CODE: _ClassVar[OIDCGrantType]
    OIDC_GRANT_TYPE_TOKEN_EXCHANGE: _ClassVar[OIDCGrantType]

class OIDCAppType(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    OIDC_APP_TYPE_WEB: _ClassVar[OIDCAppType]
    OIDC_APP_TYPE_USER_AGENT: _ClassVar[OIDCAppType]
    OIDC_APP_TYPE_NATIVE: _ClassVar[OIDCAppType]

class OIDCAuthMethodType(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    OIDC_AUTH_METHOD_TYPE_BASIC: _ClassVar[OIDCAuthMethodType]
    OIDC_AUTH_METHOD_TYPE_POST: _ClassVar[OIDCAuthMethodType]
    OIDC_AUTH_METHOD_TYPE_NONE: _ClassVar[OIDCAuthMethodType]
    OIDC_AUTH_METHOD_TYPE_PRIVATE_KEY_JWT: _ClassVar[OIDCAuthMethodType]

class OIDCVersion(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    OIDC_VERSION_1_0: _ClassVar[OIDCVersion]

class OIDCTokenType(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    OIDC_TOKEN_TYPE_BEARER: _ClassVar[OIDCTokenType]
    OIDC_TOKEN_TYPE_JWT: _ClassVar[OIDCTokenType]

class APIAuthMethodType(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    API_AUTH_METHOD_TYPE_BASIC: _ClassVar[APIAuthMethodType]
    API_AUTH_METHOD_TYPE_PRIVATE_KEY_JWT: _ClassVar[APIAuthMethodType]
APP_STATE_UNSPECIFIED: AppState
APP_STATE_ACTIVE: AppState
APP_STATE_INACTIVE: AppState
OIDC_RESPONSE_TYPE_CODE: OIDCResponseType
OIDC_RESPONSE_TYPE_ID_TOKEN: OIDCResponseType
OIDC_RESPONSE_TYPE_ID_TOKEN_TOKEN: OIDCResponseType
OIDC_GRANT_TYPE_AUTHORIZATION_CODE: OIDCGrantType
OIDC_GRANT_TYPE_IMPLICIT: OIDCGrantType
OIDC_GRANT_TYPE_REFRESH_TOKEN: OIDCGrantType
OIDC_GRANT_TYPE_DEVICE_CODE: OIDCGrantType
OIDC_GRANT_TYPE_TOKEN_EXCHANGE: OIDCGrantType
OIDC_APP_TYPE_WEB: OIDCAppType
OIDC_APP_TYPE_USER_AGENT: OIDCAppType
OIDC_APP_TYPE_NATIVE: OIDCAppType
OIDC_AUTH_METHOD_TYPE_BASIC: OIDCAuthMethodType
OIDC_AUTH_METHOD_TYPE_POST: OIDCAuthMethodType
OIDC_AUTH_METHOD_TYPE_NONE: OIDCAuthMethodType
OIDC_AUTH_METHOD_TYPE_PRIVATE_KEY_JWT: OIDCAuthMethodType
OIDC_VERSION_1_0: OIDCVersion
OIDC_TOKEN_TYPE_BEARER: OIDCTokenType
OIDC_TOKEN_TYPE_JWT: OIDCTokenType
API_AUTH_METHOD_TYPE_BASIC: APIAuthMethodType
API_AUTH_METHOD_TYPE_PRIVATE_KEY_JWT: APIAuthMethodType

class App(_message.Message):
    __slots__ = ("id", "details", "state", "name", "oidc_config", "api_config", "saml_config")
    ID_FIELD_NUMBER: _ClassVar[int]
    DETAILS_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    OIDC_CONFIG_FIELD_NUMBER: _ClassVar[int]
    API_CONFIG_FIELD_NUMBER: _ClassVar[int]
    SAML_CONFIG_FIELD_NUMBER: _ClassVar[int]
    id: str
    details: _object_pb2.ObjectDetails
    state: AppState
    name: str
    oidc_config: OIDCConfig
    api_config: APIConfig
    saml_config: SAMLConfig
    def __init__(self, id: _Optional[str] = ..., details: _Optional[_Union[_object_pb2.ObjectDetails, _Mapping]] = ..., state: _Optional[_Union[AppState, str]] = ..., name: _Optional[str] = ..., oidc_config: _Optional[_Union[OIDCConfig, _Mapping]] = ..., api_config: _Optional[_Union[APIConfig, _Mapping]] = ..., saml_config: _Optional[_Union[SAMLConfig, _Mapping]] = ...) -> None: ...

class AppQuery(_message.Message):
    __slots__ = ("name_query",)
    NAME_QUERY_FIELD_NUMBER: _ClassVar[int]
    name_query: AppNameQuery
    def __init__(self, name_query: _Optional[_Union[AppNameQuery, _Mapping]] = ...) -> None: ...

class AppNameQuery(_message.Message):
    __slots__ = ("name", "method")
    NAME_FIELD_NUMBER: _ClassVar[int]
    METHOD_FIELD_NUMBER: _ClassVar[int]
    name: str
    method: _object_pb2.TextQueryMethod
    def __init__(self, name: _Optional[str] = ..., method: _Optional[_Union[_object_pb2.TextQueryMethod, str]] = ...) -> None: ...

class OIDCConfig(_message.Message):
    __slots__ = ("redirect_uris", "response_types", "grant_types", "app_type", "client_id", "auth_method_type", "post_logout_redirect_uris", "version", "none_compliant", "compliance_problems", "dev_mode", "access_token_type", "access_token_role_assertion", "id_token_role_assertion", "id_token_userinfo_assertion", "clock_skew", "additional_origins", "allowed_origins", "skip_native_app_success_page", "back_channel_logout_uri", "login_version")
    REDIRECT_URIS_FIELD_NUMBER: _ClassVar[int]
    RESPONSE_TYPES_FIELD_NUMBER: _ClassVar[int]
    GRANT_TYPES_FIELD_NUMBER: _ClassVar[int]
    APP_TYPE_FIELD_NUMBER: _ClassVar[int]
    CLIENT_ID_FIELD_NUMBER: _ClassVar[int]
    AUTH_METHOD_TYPE_FIELD_NUMBER: _ClassVar[int]
    POST_LOGOUT_REDIRECT_URIS_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    NONE_COMPLIANT_FIELD_NUMBER: _ClassVar[int]
    COMPLIANCE_PROBLEMS_FIELD_NUMBER: _ClassVar[int]
    DEV_MODE_FIELD_NUMBER: _ClassVar[int]
    ACCESS_TOKEN_TYPE_FIELD_NUMBER: _ClassVar[int]
    ACCESS_TOKEN_ROLE_ASSERTION_FIELD_NUMBER: _ClassVar[int]
    ID_TOKEN_ROLE_ASSERTION_FIELD_NUMBER: _ClassVar[int]
    ID_TOKEN_USERINFO_ASSERTION_FIELD_NUMBER: _ClassVar[int]
    CLOCK_SKEW_FIELD_NUMBER: _ClassVar[int]
    ADDITIONAL_ORIGINS_FIELD_NUMBER: _ClassVar[int]
    ALLOWED_ORIGINS_FIELD_NUMBER: _ClassVar[int]
    SKIP_NATIVE_APP_SUCCESS_PAGE_FIELD_NUMBER: _ClassVar[int]
    BACK_CHANNEL_LOGOUT_URI_FIELD_NUMBER: _ClassVar[int]
    LOGIN_VERSION_FIELD_NUMBER: _ClassVar[int]
    redirect_uris: _containers.RepeatedScalarFieldContainer[str]
    response_types: _containers.RepeatedScalarFieldContainer[OIDCResponseType]
    grant_types: _containers.RepeatedScalarFieldContainer[OIDCGrantType]
    app_type: OIDCAppType
    client_id: str
    auth_method_type: OIDCAuthMethodType
    post_logout_redirect_uris: _containers.RepeatedScalarFieldContainer[str]
    version: OIDCVersion
    none_compliant: bool
    compliance_problems: _containers.RepeatedCompositeFieldContainer[_message_pb2.LocalizedMessage]
    dev_mode: bool
    access_token_type: OIDCTokenType
    access_token_role_assertion: bool
    id_token_role_assertion: bool
    id_token_userinfo_assertion: bool
    clock_skew: _duration_pb2.Duration
    additional_origins: _containers.RepeatedScalarFieldContainer[str]
    allowed_origins: _containers.RepeatedScalarFieldContainer[str]
    skip_native_app_success_page: bool
    back_channel_logout_uri: str
    login_version: LoginVersion
    def __init__(self, redirect_uris: _Optional[_Iterable[str]] = ..., response_types: _Optional[_Iterable[_Union[OIDCResponseType, str]]] = ..., grant_types: _Optional[_Iterable[_Union[OIDCGrantType, str]]] = ..., app_type: _Optional[_Union[OIDCAppType, str]] = ..., client_id: _Optional[str] = ..., auth_method_type: _Optional[_Union[OIDCAuthMethodType, str]] = ..., post_logout_redirect_uris: _Optional[_Iterable[str]] = ..., version: _Optional[_Union[OIDCVersion, str]] = ..., none_compliant: _Optional[bool] = ..., compliance_problems: _Optional[_Iterable[_Union[_message_pb2.LocalizedMessage, _Mapping]]] = ..., dev_mode: _Optional[bool] = ..., access_token_type: _Optional[_Union[OIDCTokenType, str]] = ..., access_token_role_assertion: _Optional[bool] = ..., id_token_role_assertion: _Optional[bool] = ..., id_token_userinfo_assertion: _Optional[bool] = ..., clock_skew: _Optional[_Union[datetime.timedelta, _duration_pb2.Duration, _Mapping]] = ..., additional_origins: _Optional[_Iterable[str]] = ..., allowed_origins: _Optional[_Iterable[str]] = ..., skip_native_app_success_page: _Optional[bool] = ..., back_channel_logout_uri: _Optional[str] = ..., login_version: _Optional[_Union[LoginVersion, _Mapping]] = ...) -> None: ...

class SAMLConfig(_message.Message):
    __slots__ = ("metadata_xml", "metadata_url", "login_version")
    METADATA_XML_FIELD_NUMBER: _ClassVar[int]
    METADATA_URL_FIELD_NUMBER: _ClassVar[int]
    LOGIN_VERSION_FIELD_NUMBER: _ClassVar[int]
    metadata_xml: bytes
    metadata_url: str
    login_version: LoginVersion
    def __init__(self, metadata_xml: _Optional[bytes] = ..., metadata_url: _Optional[str] = ..., login_version: _Optional[_Union[LoginVersion, _Mapping]] = ...) -> None: ...

class APIConfig(_message.Message):
    __slots__ = ("client_id", "auth_method_type")
    CLIENT_ID_FIELD_NUMBER: _ClassVar[int]
    AUTH_METHOD_TYPE_FIELD_NUMBER: _ClassVar[int]
    client_id: str
    auth_method_type: APIAuthMethodType
    def __init__(self, client_id: _Optional[str] = ..., auth_method_type: _Optional[_Union[APIAuthMethodType, str]] = ...) -> None: ...

class LoginVersion(_message.Message):
    __slots__ = ("login_v1", "login_v2")
    LOGIN_V1_FIELD_NUMBER: _ClassVar[int]
    LOGIN_V2_FIELD_NUMBER: _ClassVar[int]
    login_v1: LoginV1
    login_v2: LoginV2
    def __init__(self, login_v1: _Optional[_Union[LoginV1, _Mapping]] = ..., login_v2: _Optional[_Union[LoginV2, _Mapping]] = ...) -> None: ...

class LoginV1(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class LoginV2(_message.Message):
    __slots__ = ("base_uri",)
    BASE_URI_FIELD_NUMBER: _ClassVar[int]
    base_uri: str
    def __init__(self, base_uri: _Optional[str] = ...) -> None: ...
