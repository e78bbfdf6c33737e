"""Plain values of projects and applications (no protobuf, no SQL).

Enum values equal the ``zitadel.project.v1`` / ``zitadel.app.v1`` proto numbers, so converters map
them one to one.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import timedelta

from ztn.domain.models import ObjectDetails, TextMethod


@dataclass(frozen=True, slots=True)
class OrgScope:
    """The instance and the org in context of a Management API call; every read and write is inside it."""

    instance_id: str
    org_id: str


class ProjectState(enum.IntEnum):
    ACTIVE = 1
    INACTIVE = 2


class AppState(enum.IntEnum):
    ACTIVE = 1
    INACTIVE = 2


@dataclass(frozen=True, slots=True)
class ProjectSpec:
    name: str
    role_assertion: bool = False
    role_check: bool = False
    has_project_check: bool = False
    private_labeling: int = 0


@dataclass(frozen=True, slots=True)
class Project:
    id: str
    name: str
    state: ProjectState
    role_assertion: bool
    role_check: bool
    has_project_check: bool
    private_labeling: int
    details: ObjectDetails


@dataclass(frozen=True, slots=True)
class NameFilter:
    name: str
    method: TextMethod = TextMethod.EQUALS


@dataclass(frozen=True, slots=True)
class ResourceOwnerFilter:
    resource_owner: str


ProjectFilter = NameFilter | ResourceOwnerFilter


# --- applications ------------------------------------------------------------------------------------


class OidcResponseType(enum.IntEnum):
    CODE = 0
    ID_TOKEN = 1
    ID_TOKEN_TOKEN = 2


class OidcGrantType(enum.IntEnum):
    AUTHORIZATION_CODE = 0
    IMPLICIT = 1
    REFRESH_TOKEN = 2
    DEVICE_CODE = 3
    TOKEN_EXCHANGE = 4


class OidcAppType(enum.IntEnum):
    WEB = 0
    USER_AGENT = 1
    NATIVE = 2


class OidcAuthMethod(enum.IntEnum):
    BASIC = 0
    POST = 1
    NONE = 2
    PRIVATE_KEY_JWT = 3


class OidcTokenType(enum.IntEnum):
    BEARER = 0
    JWT = 1


class ApiAuthMethod(enum.IntEnum):
    BASIC = 0
    PRIVATE_KEY_JWT = 1


@dataclass(frozen=True, slots=True)
class LoginVersion:
    """Preferred login UI: None = instance default, 1 = login v1, 2 = login v2 (optional base URI)."""

    version: int | None = None
    base_uri: str | None = None


@dataclass(frozen=True, slots=True)
class OidcConfig:
    redirect_uris: tuple[str, ...] = ()
    response_types: tuple[OidcResponseType, ...] = ()
    grant_types: tuple[OidcGrantType, ...] = ()
    app_type: OidcAppType = OidcAppType.WEB
    auth_method: OidcAuthMethod = OidcAuthMethod.BASIC
    post_logout_redirect_uris: tuple[str, ...] = ()
    dev_mode: bool = False
    access_token_type: OidcTokenType = OidcTokenType.BEARER
    access_token_role_assertion: bool = False
    id_token_role_assertion: bool = False
    id_token_userinfo_assertion: bool = False
    clock_skew: timedelta = timedelta(0)
    additional_origins: tuple[str, ...] = ()
    skip_native_app_success_page: bool = False
    back_channel_logout_uri: str = ""
    login_version: LoginVersion = LoginVersion()


@dataclass(frozen=True, slots=True)
class ApiConfig:
    auth_method: ApiAuthMethod = ApiAuthMethod.BASIC


@dataclass(frozen=True, slots=True)
class SamlConfig:
    """Exactly one of ``metadata_xml`` and ``metadata_url`` is set."""

    metadata_xml: bytes | None = None
    metadata_url: str | None = None
    login_version: LoginVersion = LoginVersion()


AppConfig = OidcConfig | ApiConfig | SamlConfig


@dataclass(frozen=True, slots=True)
class LocalizedMessage:
    key: str
    text: str


@dataclass(frozen=True, slots=True)
class App:
    id: str
    project_id: str
    name: str
    state: AppState
    config: AppConfig
    details: ObjectDetails
    client_id: str = ""
    # Derived for OIDC apps (never stored): compliance problems and the allowed CORS origins.
    compliance_problems: tuple[LocalizedMessage, ...] = ()
    allowed_origins: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class AddedApp:
    """What adding an app (or regenerating its secret) hands out once."""

    app_id: str
    details: ObjectDetails
    client_id: str = ""
    client_secret: str = ""  # empty when the auth method uses no secret
    compliance_problems: tuple[LocalizedMessage, ...] = field(default=())
