"""Plain values of actions v1 and flows (no protobuf, no SQL), shared by the domain and the store."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import NamedTuple

from ztn.domain.models import ObjectDetails, TextMethod

MAX_TIMEOUT = timedelta(seconds=20)


class OrgScope(NamedTuple):
    """Where an org-scoped call acts: the instance and the org in context."""

    instance_id: str
    org_id: str


class ActionState(enum.IntEnum):
    """Values equal ``zitadel.action.v1.ActionState`` (ZITADEL's domain numbers differ; not copied)."""

    UNSPECIFIED = 0
    INACTIVE = 1
    ACTIVE = 2


class ActionSort(enum.IntEnum):
    """Values equal ``zitadel.action.v1.ActionFieldName``."""

    UNSPECIFIED = 0
    NAME = 1
    ID = 2
    STATE = 3


@dataclass(frozen=True, slots=True)
class Action:
    id: str
    name: str
    script: str
    timeout: timedelta
    """As stored; see ``effective_timeout`` for what the API reports."""
    allowed_to_fail: bool
    state: ActionState
    details: ObjectDetails

    @property
    def effective_timeout(self) -> timedelta:
        """ZITADEL's query ``Action.Timeout()``: zero (unset) or anything from 20s up means 20s."""
        if timedelta(0) < self.timeout < MAX_TIMEOUT:
            return self.timeout
        return MAX_TIMEOUT


@dataclass(frozen=True, slots=True)
class ActionSpec:
    """The writable fields of an action (create and update take the whole set, like ZITADEL)."""

    name: str
    script: str
    timeout: timedelta = timedelta(0)
    allowed_to_fail: bool = False


@dataclass(frozen=True, slots=True)
class ActionIdFilter:
    id: str


@dataclass(frozen=True, slots=True)
class ActionNameFilter:
    name: str
    method: TextMethod = TextMethod.EQUALS


@dataclass(frozen=True, slots=True)
class ActionStateFilter:
    state: int  # an ActionState value; UNSPECIFIED (0) matches nothing


ActionFilter = ActionIdFilter | ActionNameFilter | ActionStateFilter


class TriggerRow(NamedTuple):
    """One action on one trigger of a flow, as stored (position orders the actions of a trigger)."""

    trigger_type: int
    position: int
    sequence: int
    change_date: datetime
    action: Action
