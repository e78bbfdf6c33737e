"""Plain values the domain hands out and takes in (no protobuf, no SQL)."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import datetime
from typing import Generic, NamedTuple, TypeVar

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class ObjectDetails:
    sequence: int
    creation_date: datetime | None
    change_date: datetime | None
    resource_owner: str


@dataclass(frozen=True, slots=True)
class InstanceDomain:
    domain: str
    primary: bool
    generated: bool
    details: ObjectDetails


class InstanceState(enum.Enum):
    RUNNING = "running"


@dataclass(frozen=True, slots=True)
class Instance:
    id: str
    name: str
    state: InstanceState
    version: str
    default_language: str
    details: ObjectDetails
    domains: list[InstanceDomain] = field(default_factory=list)


# --- lists -------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ListQuery:
    offset: int = 0
    limit: int = 0  # 0: the default (maximum) limit
    asc: bool = False


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    items: list[T]
    total: int
    processed_sequence: int = 0
    view_timestamp: datetime | None = None


class InstanceSort(enum.IntEnum):
    """Values equal ``zitadel.instance.v1.FieldName``."""

    UNSPECIFIED = 0
    ID = 1
    NAME = 2
    CREATION_DATE = 3


class DomainSort(enum.IntEnum):
    """Values equal ``zitadel.instance.v1.DomainFieldName``."""

    UNSPECIFIED = 0
    DOMAIN = 1
    PRIMARY = 2
    GENERATED = 3
    CREATION_DATE = 4


class TextMethod(enum.IntEnum):
    """Values equal ``zitadel.v1.TextQueryMethod``."""

    EQUALS = 0
    EQUALS_IGNORE_CASE = 1
    STARTS_WITH = 2
    STARTS_WITH_IGNORE_CASE = 3
    CONTAINS = 4
    CONTAINS_IGNORE_CASE = 5
    ENDS_WITH = 6
    ENDS_WITH_IGNORE_CASE = 7

    @property
    def ignore_case(self) -> bool:
        return self.value % 2 == 1


@dataclass(frozen=True, slots=True)
class InstanceIdsFilter:
    ids: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class InstanceDomainsFilter:
    domains: tuple[str, ...]


InstanceFilter = InstanceIdsFilter | InstanceDomainsFilter


@dataclass(frozen=True, slots=True)
class DomainTextFilter:
    domain: str
    method: TextMethod = TextMethod.EQUALS


@dataclass(frozen=True, slots=True)
class DomainGeneratedFilter:
    generated: bool


@dataclass(frozen=True, slots=True)
class DomainPrimaryFilter:
    primary: bool


DomainFilter = DomainTextFilter | DomainGeneratedFilter | DomainPrimaryFilter


# --- creating instances ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class HumanOwner:
    email: str
    user_name: str = ""  # empty: the email
    email_verified: bool = False
    first_name: str = ""
    last_name: str = ""
    preferred_language: str = ""
    password: str = ""
    password_change_required: bool = False


@dataclass(frozen=True, slots=True)
class PatRequest:
    expiration: datetime | None = None  # None: never expires


KEY_TYPE_JSON = 1


@dataclass(frozen=True, slots=True)
class MachineKeyRequest:
    key_type: int = KEY_TYPE_JSON
    expiration: datetime | None = None


@dataclass(frozen=True, slots=True)
class MachineOwner:
    user_name: str = ""  # empty: "admin"
    name: str = ""
    pat: PatRequest | None = None
    machine_key: MachineKeyRequest | None = None


Owner = HumanOwner | MachineOwner


@dataclass(frozen=True, slots=True)
class NewInstance:
    name: str
    owner: Owner | None
    first_org_name: str = ""
    custom_domain: str = ""
    default_language: str = ""


@dataclass(frozen=True, slots=True)
class CreatedInstance:
    instance_id: str
    details: ObjectDetails
    org_id: str
    user_id: str
    pat: str | None = None
    machine_key: bytes | None = None


class PatOwner(NamedTuple):
    """Who a valid personal access token belongs to."""

    instance_id: str
    user_id: str
    org_id: str
