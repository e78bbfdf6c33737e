import datetime

from google.api import annotations_pb2 as _annotations_pb2
from google.api import field_behavior_pb2 as _field_behavior_pb2
from google.protobuf import duration_pb2 as _duration_pb2
from validate import validate_pb2 as _validate_pb2
from zitadel import action_pb2 as _action_pb2
from zitadel import app_pb2 as _app_pb2
from zitadel import message_pb2 as _message_pb2
from zitadel import object_pb2 as _object_pb2
from zitadel import options_pb2 as _options_pb2
from zitadel import project_pb2 as _project_pb2
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

class GetProjectByIDRequest(_message.Message):
    __slots__ = ("id",)
    ID_FIELD_NUMBER: _ClassVar[int]
    id: str
    def __init__(self, id: _Optional[str] = ...) -> None: ...

class GetProjectByIDResponse(_message.Message):
    __slots__ = ("project",)
    PROJECT_FIELD_NUMBER: _ClassVar[int]
    project: _project_pb2.Project
    def __init__(self, project: _Optional[_Union[_project_pb2.Project, _Mapping]] = ...) -> None: ...

class ListProjectsRequest(_message.Message):
    __slots__ = ("query", "queries")
    QUERY_FIELD_NUMBER: _ClassVar[int]
    QUERIES_FIELD_NUMBER: _ClassVar[int]
    query: _object_pb2.ListQuery
    queries: _containers.RepeatedCompositeFieldContainer[_project_pb2.ProjectQuery]
    def __init__(self, query: _Optional[_Union[_object_pb2.ListQuery, _Mapping]] = ..., queries: _Optional[_Iterable[_Union[_project_pb2.ProjectQuery, _Mapping]]] = ...) -> None: ...

class ListProjectsResponse(_message.Message):
    __slots__ = ("details", "result")
    DETAILS_FIELD_NUMBER: _ClassVar[int]
    RESULT_FIELD_NUMBER: _ClassVar[int]
    details: _object_pb2.ListDetails
    result: _containers.RepeatedCompositeFieldContainer[_project_pb2.Project]
    def __init__(self, details: _Optional[_Union[_object_pb2.ListDetails, _Mapping]] = ..., result: _Optional[_Iterable[_Union[_project_pb2.Project, _Mapping]]] = ...) -> None: ...

class AddProjectRequest(_message.Message):
    __slots__ = ("name", "project_role_assertion", "project_role_check", "has_project_check", "private_labeling_setting")
    NAME_FIELD_NUMBER: _ClassVar[int]
    PROJECT_ROLE_ASSERTION_FIELD_NUMBER: _ClassVar[int]
    PROJECT_ROLE_CHECK_FIELD_NUMBER: _ClassVar[int]
    HAS_PROJECT_CHECK_FIELD_NUMBER: _ClassVar[int]
    PRIVATE_LABELING_SETTING_FIELD_NUMBER: _ClassVar[int]
    name: str
    project_role_assertion: bool
    project_role_check: bool
    has_project_check: bool
    private_labeling_setting: _project_pb2.PrivateLabelingSetting
    def __init__(self, name: _Optional[str] = ..., project_role_assertion: _Optional[bool] = ..., project_role_check: _Optional[bool] = ..., has_project_check: _Optional[bool] = ..., private_labeling_setting: _Optional[_Union[_project_pb2.PrivateLabelingSetting, str]] = ...) -> None: ...

class AddProjectResponse(_message.Message):
    __slots__ = ("id", "details")
    ID_FIELD_NUMBER: _ClassVar[int]
    DETAILS_FIELD_NUMBER: _ClassVar[int]
    id: str
    details: _object_pb2.ObjectDetails
    def __init__(self, id: _Optional[str] = ..., details: _Optional[_Union[_object_pb2.ObjectDetails, _Mapping]] = ...) -> None: ...

class UpdateProjectRequest(_message.Message):
    __slots__ = ("id", "name", "project_role_assertion", "project_role_check", "has_project_check", "private_labeling_setting")
    ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    PROJECT_ROLE_ASSERTION_FIELD_NUMBER: _ClassVar[int]
    PROJECT_ROLE_CHECK_FIELD_NUMBER: _ClassVar[int]
    HAS_PROJECT_CHECK_FIELD_NUMBER: _ClassVar[int]
    PRIVATE_LABELING_SETTING_FIELD_NUMBER: _ClassVar[int]
    id: str
    name: str
    project_role_assertion: bool
    project_role_check: bool
    has_project_check: bool
    private_labeling_setting: _project_pb2.PrivateLabelingSetting
    def __init__(self, id: _Optional[str] = ..., name: _Optional[str] = ..., project_role_assertion: _Optional[bool] = ..., project_role_check: _Optional[bool] = ..., has_project_check: _Optional[bool] = ..., private_labeling_setting: _Optional[_Union[_project_pb2.PrivateLabelingSetting, str]] = ...) -> None: ...

class UpdateProjectResponse(_message.Message):
    __slots__ = ("details",)
    DETAILS_FIELD_NUMBER: _ClassVar[int]
    details: _object_pb2.ObjectDetails
    def __init__(self, details: _Optional[_Union[_object_pb2.ObjectDetails, _Mapping]] = ...) -> None: ...

class DeactivateProjectRequest(_message.Message):
    __slots__ = ("id",)
    ID_FIELD_NUMBER: _ClassVar[int]
    id: str
    def __init__(self, id: _Optional[str] = ...) -> None: ...

class DeactivateProjectResponse(_message.Message):
    __slots__ = ("details",)
    DETAILS_FIELD_NUMBER: _ClassVar[int]
    details: _object_pb2.ObjectDetails
    def __init__(self, details: _Optional[_Union[_object_pb2.ObjectDetails, _Mapping]] = ...) -> None: ...

class ReactivateProjectRequest(_message.Message):
    __slots__ = ("id",)
    ID_FIELD_NUMBER: _ClassVar[int]
    id: str
    def __init__(self, id: _Optional[str] = ...) -> None: ...

class ReactivateProjectResponse(_message.Message):
    __slots__ = ("details",)
    DETAILS_FIELD_NUMBER: _ClassVar[int]
    details: _object_pb2.ObjectDetails
    def __init__(self, details: _Optional[_Union[_object_pb2.ObjectDetails, _Mapping]] = ...) -> None: ...

class RemoveProjectRequest(_message.Message):
    __slots__ = ("id",)
    ID_FIELD_NUMBER: _ClassVar[int]
    id: str
    def __init__(self, id: _Optional[str] = ...) -> None: ...

class RemoveProjectResponse(_message.Message):
    __slots__ = ("details",)
    DETAILS_FIELD_NUMBER: _ClassVar[int]
    details: _object_pb2.ObjectDetails
    def __init__(self, details: _Optional[_Union[_object_pb2.ObjectDetails, _Mapping]] = ...) -> None: ...

class GetAppByIDRequest(_message.Message):
    __slots__ = ("project_id", "app_id")
    PROJECT_ID_FIELD_NUMBER: _ClassVar[int]
    APP_ID_FIELD_NUMBER: _ClassVar[int]
    project_id: str
    app_id: str
    def __init__(self, project_id: _Optional[str] = ..., app_id: _Optional[str] = ...) -> None: ...

class GetAppByIDResponse(_message.Message):
    __slots__ = ("app",)
    APP_FIELD_NUMBER: _ClassVar[int]
    app: _app_pb2.App
    def __init__(self, app: _Optional[_Union[_app_pb2.App, _Mapping]] = ...) -> None: ...

class ListAppsRequest(_message.Message):
    __slots__ = ("project_id", "query", "queries")
    PROJECT_ID_FIELD_NUMBER: _ClassVar[int]
    QUERY_FIELD_NUMBER: _ClassVar[int]
    QUERIES_FIELD_NUMBER: _ClassVar[int]
    project_id: str
    query: _object_pb2.ListQuery
    queries: _containers.RepeatedCompositeFieldContainer[_app_pb2.AppQuery]
    def __init__(self, project_id: _Optional[str] = ..., query: _Optional[_Union[_object_pb2.ListQuery, _Mapping]] = ..., queries: _Optional[_Iterable[_Union[_app_pb2.AppQuery, _Mapping]]] = ...) -> None: ...

class ListAppsResponse(_message.Message):
    __slots__ = ("details", "result")
    DETAILS_FIELD_NUMBER: _ClassVar[int]
    RESULT_FIELD_NUMBER: _ClassVar[int]
    details: _object_pb2.ListDetails
    result: _containers.RepeatedCompositeFieldContainer[_app_pb2.App]
    def __init__(self, details: _Optional[_Union[_object_pb2.ListDetails, _Mapping]] = ..., result: _Optional[_Iterable[_Union[_app_pb2.App, _Mapping]]] = ...) -> None: ...

class AddOIDCAppRequest(_message.Message):
    __slots__ = ("project_id", "name", "redirect_uris", "response_types", "grant_types", "app_type", "auth_method_type", "post_logout_redirect_uris", "version", "dev_mode", "access_token_type", "access_token_role_assertion", "id_token_role_assertion", "id_token_userinfo_assertion", "clock_skew", "additional_origins", "skip_native_app_success_page", "back_channel_logout_uri", "login_version")
    PROJECT_ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    REDIRECT_URIS_FIELD_NUMBER: _ClassVar[int]
    RESPONSE_TYPES_FIELD_NUMBER: _ClassVar[int]
    GRANT_TYPES_FIELD_NUMBER: _ClassVar[int]
    APP_TYPE_FIELD_NUMBER: _ClassVar[int]
    AUTH_METHOD_TYPE_FIELD_NUMBER: _ClassVar[int]
    POST_LOGOUT_REDIRECT_URIS_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    DEV_MODE_FIELD_NUMBER: _ClassVar[int]
    ACCESS_TOKEN_TYPE_FIELD_NUMBER: _ClassVar[int]
    ACCESS_TOKEN_ROLE_ASSERTION_FIELD_NUMBER: _ClassVar[int]
    ID_TOKEN_ROLE_ASSERTION_FIELD_NUMBER: _ClassVar[int]
    ID_TOKEN_USERINFO_ASSERTION_FIELD_NUMBER: _ClassVar[int]
    CLOCK_SKEW_FIELD_NUMBER: _ClassVar[int]
    ADDITIONAL_ORIGINS_FIELD_NUMBER: _ClassVar[int]
    SKIP_NATIVE_APP_SUCCESS_PAGE_FIELD_NUMBER: _ClassVar[int]
    BACK_CHANNEL_LOGOUT_URI_FIELD_NUMBER: _ClassVar[int]
    LOGIN_VERSION_FIELD_NUMBER: _ClassVar[int]
    project_id: str
    name: str
    redirect_uris: _containers.RepeatedScalarFieldContainer[str]
    response_types: _containers.RepeatedScalarFieldContainer[_app_pb2.OIDCResponseType]
    grant_types: _containers.RepeatedScalarFieldContainer[_app_pb2.OIDCGrantType]
    app_type: _app_pb2.OIDCAppType
    auth_method_type: _app_pb2.OIDCAuthMethodType
    post_logout_redirect_uris: _containers.RepeatedScalarFieldContainer[str]
    version: _app_pb2.OIDCVersion
    dev_mode: bool
    access_token_type: _app_pb2.OIDCTokenType
    access_token_role_assertion: bool
    id_token_role_assertion: bool
    id_token_userinfo_assertion: bool
    clock_skew: _duration_pb2.Duration
    additional_origins: _containers.RepeatedScalarFieldContainer[str]
    skip_native_app_success_page: bool
    back_channel_logout_uri: str
    login_version: _app_pb2.LoginVersion
    def __init__(self, project_id: _Optional[str] = ..., name: _Optional[str] = ..., redirect_uris: _Optional[_Iterable[str]] = ..., response_types: _Optional[_Iterable[_Union[_app_pb2.OIDCResponseType, str]]] = ..., grant_types: _Optional[_Iterable[_Union[_app_pb2.OIDCGrantType, str]]] = ..., app_type: _Optional[_Union[_app_pb2.OIDCAppType, str]] = ..., auth_method_type: _Optional[_Union[_app_pb2.OIDCAuthMethodType, str]] = ..., post_logout_redirect_uris: _Optional[_Iterable[str]] = ..., version: _Optional[_Union[_app_pb2.OIDCVersion, str]] = ..., dev_mode: _Optional[bool] = ..., access_token_type: _Optional[_Union[_app_pb2.OIDCTokenType, str]] = ..., access_token_role_assertion: _Optional[bool] = ..., id_token_role_assertion: _Optional[bool] = ..., id_token_userinfo_assertion: _Optional[bool] = ..., clock_skew: _Optional[_Union[datetime.timedelta, _duration_pb2.Duration, _Mapping]] = ..., additional_origins: _Optional[_Iterable[str]] = ..., skip_native_app_success_page: _Optional[bool] = ..., back_channel_logout_uri: _Optional[str] = ..., login_version: _Optional[_Union[_app_pb2.LoginVersion, _Mapping]] = ...) -> None: ...

class AddOIDCAppResponse(_message.Message):
    __slots__ = ("app_id", "details", "client_id", "client_secret", "none_compliant", "compliance_problems")
    APP_ID_FIELD_NUMBER: _ClassVar[int]
    DETAILS_FIELD_NUMBER: _ClassVar[int]
    CLIENT_ID_FIELD_NUMBER: _ClassVar[int]
    CLIENT_SECRET_FIELD_NUMBER: _ClassVar[int]
    NONE_COMPLIANT_FIELD_NUMBER: _ClassVar[int]
    COMPLIANCE_PROBLEMS_FIELD_NUMBER: _ClassVar[int]
    app_id: str
    details: _object_pb2.ObjectDetails
    client_id: str
    client_secret: str
    none_compliant: bool
    compliance_problems: _containers.RepeatedCompositeFieldContainer[_message_pb2.LocalizedMessage]
    def __init__(self, app_id: _Optional[str] = ..., details: _Optional[_Union[_object_pb2.ObjectDetails, _Mapping]] = ..., client_id: _Optional[str] = ..., client_secret: _Optional[str] = ..., none_compliant: _Optional[bool] = ..., compliance_problems: _Optional[_Iterable[_Union[_message_pb2.LocalizedMessage, _Mapping]]] = ...) -> None: ...

class AddSAMLAppRequest(_message.Message):
    __slots__ = ("project_id", "name", "metadata_xml", "metadata_url", "login_version")
    PROJECT_ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    METADATA_XML_FIELD_NUMBER: _ClassVar[int]
    METADATA_URL_FIELD_NUMBER: _ClassVar[int]
    LOGIN_VERSION_FIELD_NUMBER: _ClassVar[int]
    project_id: str
    name: str
    metadata_xml: bytes
    metadata_url: str
    login_version: _app_pb2.LoginVersion
    def __init__(self, project_id: _Optional[str] = ..., name: _Optional[str] = ..., metadata_xml: _Optional[bytes] = ..., metadata_url: _Optional[str] = ..., login_version: _Optional[_Union[_app_pb2.LoginVersion, _Mapping]] = ...) -> None: ...

class AddSAMLAppResponse(_message.Message):
    __slots__ = ("app_id", "details")
    APP_ID_FIELD_NUMBER: _ClassVar[int]
    DETAILS_FIELD_NUMBER: _ClassVar[int]
    app_id: str
    details: _object_pb2.ObjectDetails
    def __init__(self, app_id: _Optional[str] = ..., details: _Optional[_Union[_object_pb2.ObjectDetails, _Mapping]] = ...) -> None: ...

class AddAPIAppRequest(_message.Message):
    __slots__ = ("project_id", "name", "auth_method_type")
    PROJECT_ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    AUTH_METHOD_TYPE_FIELD_NUMBER: _ClassVar[int]
    project_id: str
    name: str
    auth_method_type: _app_pb2.APIAuthMethodType
    def __init__(self, project_id: _Optional[str] = ..., name: _Optional[str] = ..., auth_method_type: _Optional[_Union[_app_pb2.APIAuthMethodType, str]] = ...) -> None: ...

class AddAPIAppResponse(_message.Message):
    __slots__ = ("app_id", "details", "client_id", "client_secret")
    APP_ID_FIELD_NUMBER: _ClassVar[int]
    DETAILS_FIELD_NUMBER: _ClassVar[int]
    CLIENT_ID_FIELD_NUMBER: _ClassVar[int]
    CLIENT_SECRET_FIELD_NUMBER: _ClassVar[int]
    app_id: str
    details: _object_pb2.ObjectDetails
    client_id: str
    client_secret: str
    def __init__(self, app_id: _Optional[str] = ..., details: _Optional[_Union[_object_pb2.ObjectDetails, _Mapping]] = ..., client_id: _Optional[str] = ..., client_secret: _Optional[str] = ...) -> None: ...

class UpdateAppRequest(_message.Message):
    __slots__ = ("project_id", "app_id", "name")
    PROJECT_ID_FIELD_NUMBER: _ClassVar[int]
    APP_ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    project_id: str
    app_id: str
    name: str
    def __init__(self, project_id: _Optional[str] = ..., app_id: _Optional[str] = ..., name: _Optional[str] = ...) -> None: ...

class UpdateAppResponse(_message.Message):
    __slots__ = ("details",)
    DETAILS_FIELD_NUMBER: _ClassVar[int]
    details: _object_pb2.ObjectDetails
    def __init__(self, details: _Optional[_Union[_object_pb2.ObjectDetails, _Mapping]] = ...) -> None: ...

class UpdateOIDCAppConfigRequest(_message.Message):
    __slots__ = ("project_id", "app_id", "redirect_uris", "response_types", "grant_types", "app_type", "auth_method_type", "post_logout_redirect_uris", "dev_mode", "access_token_type", "access_token_role_assertion", "id_token_role_assertion", "id_token_userinfo_assertion", "clock_skew", "additional_origins", "skip_native_app_success_page", "back_channel_logout_uri", "login_version")
    PROJECT_ID_FIELD_NUMBER: _ClassVar[int]
    APP_ID_FIELD_NUMBER: _ClassVar[int]
    REDIRECT_URIS_FIELD_NUMBER: _ClassVar[int]
    RESPONSE_TYPES_FIELD_NUMBER: _ClassVar[int]
    GRANT_TYPES_FIELD_NUMBER: _ClassVar[int]
    APP_TYPE_FIELD_NUMBER: _ClassVar[int]
    AUTH_METHOD_TYPE_FIELD_NUMBER: _ClassVar[int]
    POST_LOGOUT_REDIRECT_URIS_FIELD_NUMBER: _ClassVar[int]
    DEV_MODE_FIELD_NUMBER: _ClassVar[int]
    ACCESS_TOKEN_TYPE_FIELD_NUMBER: _ClassVar[int]
    ACCESS_TOKEN_ROLE_ASSERTION_FIELD_NUMBER: _ClassVar[int]
    ID_TOKEN_ROLE_ASSERTION_FIELD_NUMBER: _ClassVar[int]
    ID_TOKEN_USERINFO_ASSERTION_FIELD_NUMBER: _ClassVar[int]
    CLOCK_SKEW_FIELD_NUMBER: _ClassVar[int]
    ADDITIONAL_ORIGINS_FIELD_NUMBER: _ClassVar[int]
    SKIP_NATIVE_APP_SUCCESS_PAGE_FIELD_NUMBER: _ClassVar[int]
    BACK_CHANNEL_LOGOUT_URI_FIELD_NUMBER: _ClassVar[int]
    LOGIN_VERSION_FIELD_NUMBER: _ClassVar[int]
    project_id: str
    app_id: str
    redirect_uris: _containers.RepeatedScalarFieldContainer[str]
    response_types: _containers.RepeatedScalarFieldContainer[_app_pb2.OIDCResponseType]
    grant_types: _containers.RepeatedScalarFieldContainer[_app_pb2.OIDCGrantType]
    app_type: _app_pb2.OIDCAppType
    auth_method_type: _app_pb2.OIDCAuthMethodType
    post_logout_redirect_uris: _containers.RepeatedScalarFieldContainer[str]
    dev_mode: bool
    access_token_type: _app_pb2.OIDCTokenType
    access_token_role_assertion: bool
    id_token_role_assertion: bool
    id_token_userinfo_assertion: bool
    clock_skew: _duration_pb2.Duration
    additional_origins: _containers.RepeatedScalarFieldContainer[str]
    skip_native_app_success_page: bool
    back_channel_logout_uri: str
    login_version: _app_pb2.LoginVersion
    def __init__(self, project_id: _Optional[str] = ..., app_id: _Optional[str] = ..., redirect_uris: _Optional[_Iterable[str]] = ..., response_types: _Optional[_Iterable[_Union[_app_pb2.OIDCResponseType, str]]] = ..., grant_types: _Optional[_Iterable[_Union[_app_pb2.OIDCGrantType, str]]] = ..., app_type: _Optional[_Union[_app_pb2.OIDCAppType, str]] = ..., auth_method_type: _Optional[_Union[_app_pb2.OIDCAuthMethodType, str]] = ..., post_logout_redirect_uris: _Optional[_Iterable[str]] = ..., dev_mode: _Optional[bool] = ..., access_token_type: _Optional[_Union[_app_pb2.OIDCTokenType, str]] = ..., access_token_role_assertion: _Optional[bool] = ..., id_token_role_assertion: _Optional[bool] = ..., id_token_userinfo_assertion: _Optional[bool] = ..., clock_skew: _Optional[_Union[datetime.timedelta, _duration_pb2.Duration, _Mapping]] = ..., additional_origins: _Optional[_Iterable[str]] = ..., skip_native_app_success_page: _Optional[bool] = ..., back_channel_logout_uri: _Optional[str] = ..., login_version: _Optional[_Union[_app_pb2.LoginVersion, _Mapping]] = ...) -> None: ...

class UpdateOIDCAppConfigResponse(_message.Message):
    __slots__ = ("details",)
    DETAILS_FIELD_NUMBER: _ClassVar[int]
    details: _object_pb2.ObjectDetails
    def __init__(self, details: _Optional[_Union[_object_pb2.ObjectDetails, _Mapping]] = ...) -> None: ...

class UpdateAPIAppConfigRequest(_message.Message):
    __slots__ = ("project_id", "app_id", "auth_method_type")
    PROJECT_ID_FIELD_NUMBER: _ClassVar[int]
    APP_ID_FIELD_NUMBER: _ClassVar[int]
    AUTH_METHOD_TYPE_FIELD_NUMBER: _ClassVar[int]
    project_id: str
    app_id: str
    auth_method_type: _app_pb2.APIAuthMethodType
    def __init__(self, project_id: _Optional[str] = ..., app_id: _Optional[str] = ..., auth_method_type: _Optional[_Union[_app_pb2.APIAuthMethodType, str]] = ...) -> None: ...

class UpdateAPIAppConfigResponse(_message.Message):
    __slots__ = ("details",)
    DETAILS_FIELD_NUMBER: _ClassVar[int]
    details: _object_pb2.ObjectDetails
    def __init__(self, details: _Optional[_Union[_object_pb2.ObjectDetails, _Mapping]] = ...) -> None: ...

class DeactivateAppRequest(_message.Message):
    __slots__ = ("project_id", "app_id")
    PROJECT_ID_FIELD_NUMBER: _ClassVar[int]
    APP_ID_FIELD_NUMBER: _ClassVar[int]
    project_id: str
    app_id: str
    def __init__(self, project_id: _Optional[str] = ..., app_id: _Optional[str] = ...) -> None: ...

class DeactivateAppResponse(_message.Message):
    __slots__ = ("details",)
    DETAILS_FIELD_NUMBER: _ClassVar[int]
    details: _object_pb2.ObjectDetails
    def __init__(self, details: _Optional[_Union[_object_pb2.ObjectDetails, _Mapping]] = ...) -> None: ...

class ReactivateAppRequest(_message.Message):
    __slots__ = ("project_id", "app_id")
    PROJECT_ID_FIELD_NUMBER: _ClassVar[int]
    APP_ID_FIELD_NUMBER: _ClassVar[int]
    project_id: str
    app_id: str
    def __init__(self, project_id: _Optional[str] = ..., app_id: _Optional[str] = ...) -> None: ...

class ReactivateAppResponse(_message.Message):
    __slots__ = ("details",)
    DETAILS_FIELD_NUMBER: _ClassVar[int]
    details: _object_pb2.ObjectDetails
    def __init__(self, details: _Optional[_Union[_object_pb2.ObjectDetails, _Mapping]] = ...) -> None: ...

class RemoveAppRequest(_message.Message):
    __slots__ = ("project_id", "app_id")
    PROJECT_ID_FIELD_NUMBER: _ClassVar[int]
    APP_ID_FIELD_NUMBER: _ClassVar[int]
    project_id: str
    app_id: str
    def __init__(self, project_id: _Optional[str] = ..., app_id: _Optional[str] = ...) -> None: ...

class RemoveAppResponse(_message.Message):
    __slots__ = ("details",)
    DETAILS_FIELD_NUMBER: _ClassVar[int]
    details: _object_pb2.ObjectDetails
    def __init__(self, details: _Optional[_Union[_object_pb2.ObjectDetails, _Mapping]] = ...) -> None: ...

class RegenerateOIDCClientSecretRequest(_message.Message):
    __slots__ = ("project_id", "app_id")
    PROJECT_ID_FIELD_NUMBER: _ClassVar[int]
    APP_ID_FIELD_NUMBER: _ClassVar[int]
    project_id: str
    app_id: str
    def __init__(self, project_id: _Optional[str] = ..., app_id: _Optional[str] = ...) -> None: ...

class RegenerateOIDCClientSecretResponse(_message.Message):
    __slots__ = ("client_secret", "details")
    CLIENT_SECRET_FIELD_NUMBER: _ClassVar[int]
    DETAILS_FIELD_NUMBER: _ClassVar[int]
    client_secret: str
    details: _object_pb2.ObjectDetails
    def __init__(self, client_secret: _Optional[str] = ..., details: _Optional[_Union[_object_pb2.ObjectDetails, _Mapping]] = ...) -> None: ...

class RegenerateAPIClientSecretRequest(_message.Message):
    __slots__ = ("project_id", "app_id")
    PROJECT_ID_FIELD_NUMBER: _ClassVar[int]
    APP_ID_FIELD_NUMBER: _ClassVar[int]
    project_id: str
    app_id: str
    def __init__(self, project_id: _Optional[str] = ..., app_id: _Optional[str] = ...) -> None: ...

class RegenerateAPIClientSecretResponse(_message.Message):
    __slots__ = ("client_secret", "details")
    CLIENT_SECRET_FIELD_NUMBER: _ClassVar[int]
    DETAILS_FIELD_NUMBER: _ClassVar[int]
    client_secret: str
    details: _object_pb2.ObjectDetails
    def __init__(self, client_secret: _Optional[str] = ..., details: _Optional[_Union[_object_pb2.ObjectDetails, _Mapping]] = ...) -> None: ...

class ActionQuery(_message.Message):
    __slots__ = ("action_id_query", "action_name_query", "action_state_query")
    ACTION_ID_QUERY_FIELD_NUMBER: _ClassVar[int]
    ACTION_NAME_QUERY_FIELD_NUMBER: _ClassVar[int]
    ACTION_STATE_QUERY_FIELD_NUMBER: _ClassVar[int]
    action_id_query: _action_pb2.ActionIDQuery
    action_name_query: _action_pb2.ActionNameQuery
    action_state_query: _action_pb2.ActionStateQuery
    def __init__(self, action_id_query: _Optional[_Union[_action_pb2.ActionIDQuery, _Mapping]] = ..., action_name_query: _Optional[_Union[_action_pb2.ActionNameQuery, _Mapping]] = ..., action_state_query: _Optional[_Union[_action_pb2.ActionStateQuery, _Mapping]] = ...) -> None: ...

class ListActionsRequest(_message.Message):
    __slots__ = ("query", "sorting_column", "queries")
    QUERY_FIELD_NUMBER: _ClassVar[int]
    SORTING_COLUMN_FIELD_NUMBER: _ClassVar[int]
    QUERIES_FIELD_NUMBER: _ClassVar[int]
    query: _object_pb2.ListQuery
    sorting_column: _action_pb2.ActionFieldName
    queries: _containers.RepeatedCompositeFieldContainer[ActionQuery]
    def __init__(self, query: _Optional[_Union[_object_pb2.ListQuery, _Mapping]] = ..., sorting_column: _Optional[_Union[_action_pb2.ActionFieldName, str]] = ..., queries: _Optional[_Iterable[_Union[ActionQuery, _Mapping]]] = ...) -> None: ...

class ListActionsResponse(_message.Message):
    __slots__ = ("details", "sorting_column", "result")
    DETAILS_FIELD_NUMBER: _ClassVar[int]
    SORTING_COLUMN_FIELD_NUMBER: _ClassVar[int]
    RESULT_FIELD_NUMBER: _ClassVar[int]
    details: _object_pb2.ListDetails
    sorting_column: _action_pb2.ActionFieldName
    result: _containers.RepeatedCompositeFieldContainer[_action_pb2.Action]
    def __init__(self, details: _Optional[_Union[_object_pb2.ListDetails, _Mapping]] = ..., sorting_column: _Optional[_Union[_action_pb2.ActionFieldName, str]] = ..., result: _Optional[_Iterable[_Union[_action_pb2.Action, _Mapping]]] = ...) -> None: ...

class GetActionRequest(_message.Message):
    __slots__ = ("id",)
    ID_FIELD_NUMBER: _ClassVar[int]
    id: str
    def __init__(self, id: _Optional[str] = ...) -> None: ...

class GetActionResponse(_message.Message):
    __slots__ = ("action",)
    ACTION_FIELD_NUMBER: _ClassVar[int]
    action: _action_pb2.Action
    def __init__(self, action: _Optional[_Union[_action_pb2.Action, _Mapping]] = ...) -> None: ...

class CreateActionRequest(_message.Message):
    __slots__ = ("name", "script", "timeout", "allowed_to_fail")
    NAME_FIELD_NUMBER: _ClassVar[int]
    SCRIPT_FIELD_NUMBER: _ClassVar[int]
    TIMEOUT_FIELD_NUMBER: _ClassVar[int]
    ALLOWED_TO_FAIL_FIELD_NUMBER: _ClassVar[int]
    name: str
    script: str
    timeout: _duration_pb2.Duration
    allowed_to_fail: bool
    def __init__(self, name: _Optional[str] = ..., script: _Optional[str] = ..., timeout: _Optional[_Union[datetime.timedelta, _duration_pb2.Duration, _Mapping]] = ..., allowed_to_fail: _Optional[bool] = ...) -> None: ...

class CreateActionResponse(_message.Message):
    __slots__ = ("details", "id")
    DETAILS_FIELD_NUMBER: _ClassVar[int]
    ID_FIELD_NUMBER: _ClassVar[int]
    details: _object_pb2.ObjectDetails
    id: str
    def __init__(self, details: _Optional[_Union[_object_pb2.ObjectDetails, _Mapping]] = ..., id: _Optional[str] = ...) -> None: ...

class UpdateActionRequest(_message.Message):
    __slots__ = ("id", "name", "script", "timeout", "allowed_to_fail")
    ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    SCRIPT_FIELD_NUMBER: _ClassVar[int]
    TIMEOUT_FIELD_NUMBER: _ClassVar[int]
    ALLOWED_TO_FAIL_FIELD_NUMBER: _ClassVar[int]
    id: str
    name: str
    script: str
    timeout: _duration_pb2.Duration
    allowed_to_fail: bool
    def __init__(self, id: _Optional[str] = ..., name: _Optional[str] = ..., script: _Optional[str] = ..., timeout: _Optional[_Union[datetime.timedelta, _duration_pb2.Duration, _Mapping]] = ..., allowed_to_fail: _Optional[bool] = ...) -> None: ...

class UpdateActionResponse(_message.Message):
    __slots__ = ("details",)
    DETAILS_FIELD_NUMBER: _ClassVar[int]
    details: _object_pb2.ObjectDetails
    def __init__(self, details: _Optional[_Union[_object_pb2.ObjectDetails, _Mapping]] = ...) -> None: ...

class DeactivateActionRequest(_message.Message):
    __slots__ = ("id",)
    ID_FIELD_NUMBER: _ClassVar[int]
    id: str
    def __init__(self, id: _Optional[str] = ...) -> None: ...

class DeactivateActionResponse(_message.Message):
    __slots__ = ("details",)
    DETAILS_FIELD_NUMBER: _ClassVar[int]
    details: _object_pb2.ObjectDetails
    def __init__(self, details: _Optional[_Union[_object_pb2.ObjectDetails, _Mapping]] = ...) -> None: ...

class ReactivateActionRequest(_message.Message):
    __slots__ = ("id",)
    ID_FIELD_NUMBER: _ClassVar[int]
    id: str
    def __init__(self, id: _Optional[str] = ...) -> None: ...

class ReactivateActionResponse(_message.Message):
    __slots__ = ("details",)
    DETAILS_FIELD_NUMBER: _ClassVar[int]
    details: _object_pb2.ObjectDetails
    def __init__(self, details: _Optional[_Union[_object_pb2.ObjectDetails, _Mapping]] = ...) -> None: ...

class DeleteActionRequest(_message.Message):
    __slots__ = ("id",)
    ID_FIELD_NUMBER: _ClassVar[int]
    id: str
    def __init__(self, id: _Optional[str] = ...) -> None: ...

class DeleteActionResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class ListFlowTypesRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class ListFlowTypesResponse(_message.Message):
    __slots__ = ("result",)
    RESULT_FIELD_NUMBER: _ClassVar[int]
    result: _containers.RepeatedCompositeFieldContainer[_action_pb2.FlowType]
    def __init__(self, result: _Optional[_Iterable[_Union[_action_pb2.FlowType, _Mapping]]] = ...) -> None: ...

class ListFlowTriggerTypesRequest(_message.Message):
    __slots__ = ("type",)
    TYPE_FIELD_NUMBER: _ClassVar[int]
    type: str
    def __init__(self, type: _Optional[str] = ...) -> None: ...

class ListFlowTriggerTypesResponse(_message.Message):
    __slots__ = ("result",)
    RESULT_FIELD_NUMBER: _ClassVar[int]
    result: _containers.RepeatedCompositeFieldContainer[_action_pb2.TriggerType]
    def __init__(self, result: _Optional[_Iterable[_Union[_action_pb2.TriggerType, _Mapping]]] = ...) -> None: ...

class GetFlowRequest(_message.Message):
    __slots__ = ("type",)
    TYPE_FIELD_NUMBER: _ClassVar[int]
    type: str
    def __init__(self, type: _Optional[str] = ...) -> None: ...

class GetFlowResponse(_message.Message):
    __slots__ = ("flow",)
    FLOW_FIELD_NUMBER: _ClassVar[int]
    flow: _action_pb2.Flow
    def __init__(self, flow: _Optional[_Union[_action_pb2.Flow, _Mapping]] = ...) -> None: ...

class ClearFlowRequest(_message.Message):
    __slots__ = ("type",)
    TYPE_FIELD_NUMBER: _ClassVar[int]
    type: str
    def __init__(self, type: _Optional[str] = ...) -> None: ...

class ClearFlowResponse(_message.Message):
    __slots__ = ("details",)
    DETAILS_FIELD_NUMBER: _ClassVar[int]
    details: _object_pb2.ObjectDetails
    def __init__(self, details: _Optional[_Union[_object_pb2.ObjectDetails, _Mapping]] = ...) -> None: ...

class SetTriggerActionsRequest(_message.Message):
    __slots__ = ("flow_type", "trigger_type", "action_ids")
    FLOW_TYPE_FIELD_NUMBER: _ClassVar[int]
    TRIGGER_TYPE_FIELD_NUMBER: _ClassVar[int]
    ACTION_IDS_FIELD_NUMBER: _ClassVar[int]
    flow_type: str
    trigger_type: str
    action_ids: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, flow_type: _Optional[str] = ..., trigger_type: _Optional[str] = ..., action_ids: _Optional[_Iterable[str]] = ...) -> None: ...

class SetTriggerActionsResponse(_message.Message):
    __slots__ = ("details",)
    DETAILS_FIELD_NUMBER: _ClassVar[int]
    details: _object_pb2.ObjectDetails
    def __init__(self, details: _Optional[_Union[_object_pb2.ObjectDetails, _Mapping]] = ...) -> None: ...
