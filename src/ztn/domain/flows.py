"""Actions v1 flows: which actions run on which trigger of which flow, per org.

Flow and trigger types travel as decimal strings ("1".."4", "1".."6"); the old enum names of the
first API version are still accepted (spec §2.3). The type table is static; what an org sets on it
is stored as org events (see ``store.actions_repo``), so a flow has no life cycle of its own:
GetFlow never fails for a valid org and always reports the flow as active.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from ztn.domain.actions_models import Action, OrgScope
from ztn.domain.errors import invalid_argument, not_found, precondition_failed
from ztn.domain.models import ObjectDetails
from ztn.store import actions_repo
from ztn.store.db import Database
from ztn.store.events import EventLog
from ztn.store.models import utcnow


@dataclass(frozen=True, slots=True)
class TriggerType:
    id: str
    key: str
    """The i18n key of the name (``LocalizedMessage.key``)."""
    name: str
    """English name (``LocalizedMessage.localized_message``)."""


@dataclass(frozen=True, slots=True)
class FlowType:
    id: str
    key: str
    name: str
    triggers: tuple[TriggerType, ...] = ()

    def has_trigger(self, trigger: TriggerType) -> bool:
        return trigger in self.triggers


def _trigger(id_: str, key: str, name: str) -> TriggerType:
    return TriggerType(id_, f"Action.TriggerType.{key}", name)


UNSPECIFIED_TRIGGER = _trigger("0", "Unspecified", "Unspecified")
POST_AUTHENTICATION = _trigger("1", "PostAuthentication", "Post Authentication")
PRE_CREATION = _trigger("2", "PreCreation", "Pre Creation")
POST_CREATION = _trigger("3", "PostCreation", "Post Creation")
PRE_USERINFO_CREATION = _trigger("4", "PreUserinfoCreation", "Pre Userinfo creation")
PRE_ACCESS_TOKEN_CREATION = _trigger("5", "PreAccessTokenCreation", "Pre access token creation")
PRE_SAML_RESPONSE_CREATION = _trigger("6", "PreSAMLResponseCreation", "Pre SAMLResponse creation")

_AUTHENTICATION = (POST_AUTHENTICATION, PRE_CREATION, POST_CREATION)
UNSPECIFIED_FLOW = FlowType("0", "Action.Flow.Type.Unspecified", "Unspecified")
FLOW_TYPES: tuple[FlowType, ...] = (
    FlowType("1", "Action.Flow.Type.ExternalAuthentication", "External Authentication", _AUTHENTICATION),
    FlowType(
        "2",
        "Action.Flow.Type.CustomiseToken",
        "Complement Token",
        (PRE_USERINFO_CREATION, PRE_ACCESS_TOKEN_CREATION),
    ),
    FlowType("3", "Action.Flow.Type.InternalAuthentication", "Internal Authentication", _AUTHENTICATION),
    FlowType(
        "4",
        "Action.Flow.Type.CustomizeSAMLResponse",
        "Complement SAMLResponse",
        (PRE_SAML_RESPONSE_CREATION,),
    ),
)
TRIGGER_TYPES: tuple[TriggerType, ...] = (
    POST_AUTHENTICATION,
    PRE_CREATION,
    POST_CREATION,
    PRE_USERINFO_CREATION,
    PRE_ACCESS_TOKEN_CREATION,
    PRE_SAML_RESPONSE_CREATION,
)

# The first API version had enums; their names are still accepted on input.
_FLOWS_BY_INPUT = {f.id: f for f in FLOW_TYPES} | {"FLOW_TYPE_EXTERNAL_AUTHENTICATION": FLOW_TYPES[0]}
_TRIGGERS_BY_INPUT = {t.id: t for t in TRIGGER_TYPES} | {
    "TRIGGER_TYPE_POST_AUTHENTICATION": POST_AUTHENTICATION,
    "TRIGGER_TYPE_PRE_CREATION": PRE_CREATION,
    "TRIGGER_TYPE_POST_CREATION": POST_CREATION,
}


def flow_type(value: str) -> FlowType:
    """The flow type a request names (id or legacy enum name); anything else is unspecified."""
    return _FLOWS_BY_INPUT.get(value, UNSPECIFIED_FLOW)


def trigger_type(value: str) -> TriggerType:
    return _TRIGGERS_BY_INPUT.get(value, UNSPECIFIED_TRIGGER)


@dataclass(frozen=True, slots=True)
class TriggerActions:
    trigger: TriggerType
    actions: list[Action]


@dataclass(frozen=True, slots=True)
class Flow:
    type: FlowType
    details: ObjectDetails
    """Of the latest org event that set one of the flow's triggers; all zero for an empty flow."""
    trigger_actions: list[TriggerActions] = field(default_factory=list)


_EMPTY_DETAILS = ObjectDetails(0, None, None, "")


class Flows:
    def __init__(self, db: Database) -> None:
        self.db = db

    # --- static types --------------------------------------------------------------------------------

    @staticmethod
    def list_flow_types() -> list[FlowType]:
        return list(FLOW_TYPES)

    @staticmethod
    def list_trigger_types(flow: str) -> list[TriggerType]:
        found = flow_type(flow)
        if found is UNSPECIFIED_FLOW:
            raise not_found("MANAG-P2OBk", "Errors.NotFound")
        return list(found.triggers)

    # --- per org -------------------------------------------------------------------------------------

    async def get_flow(self, scope: OrgScope, flow: str) -> Flow:
        """Never "not found": an unset (or unknown) flow is returned empty."""
        found = flow_type(flow)
        if found is UNSPECIFIED_FLOW:
            return Flow(found, _EMPTY_DETAILS)
        async with self.db.read() as conn:
            rows = await actions_repo.flow_rows(conn, scope, int(found.id))
        if not rows:
            return Flow(found, _EMPTY_DETAILS)
        latest = max(rows, key=lambda r: r.sequence)
        grouped: dict[int, list[Action]] = {}
        for row in rows:  # ordered by trigger, then position
            grouped.setdefault(row.trigger_type, []).append(row.action)
        triggers = {int(t.id): t for t in TRIGGER_TYPES}
        return Flow(
            found,
            ObjectDetails(latest.sequence, None, latest.change_date, scope.org_id),
            [TriggerActions(triggers[t], actions) for t, actions in grouped.items()],
        )

    async def set_trigger_actions(
        self, scope: OrgScope, flow: str, trigger: str, action_ids: Sequence[str]
    ) -> ObjectDetails:
        """Replaces the ordered actions of one trigger; the trigger must belong to the flow."""
        found, on = flow_type(flow), trigger_type(trigger)
        if found is UNSPECIFIED_FLOW or on is UNSPECIFIED_TRIGGER:
            raise invalid_argument("COMMAND-Dfhj5", "FlowType missing")
        if not found.has_trigger(on):
            raise invalid_argument("COMMAND-Dfgh6", "TriggerType is invalid")
        ids = list(action_ids)
        async with self.db.write() as conn:
            log = EventLog(conn, scope.instance_id, utcnow())
            if not await actions_repo.lock_org(log, scope):
                raise not_found("COMMAND-Or9Nf", "Organisation not found")
            current = await actions_repo.trigger_action_ids(conn, scope, int(found.id), int(on.id))
            if current == ids:
                raise precondition_failed("COMMAND-Nfh52", "No Changes")
            # A repeated id counts once among the existing ones, so ZITADEL rejects it like an unknown one.
            if ids and len(await actions_repo.existing_action_ids(conn, scope, ids)) != len(ids):
                raise precondition_failed("COMMAND-dg422", "ActionIDs do not exist")
            seq = await actions_repo.set_trigger_actions(log, scope, int(found.id), int(on.id), ids)
            await log.flush()
        return ObjectDetails(seq, log.now, None, scope.org_id)

    async def clear_flow(self, scope: OrgScope, flow: str) -> ObjectDetails:
        found = flow_type(flow)
        if found is UNSPECIFIED_FLOW:
            raise invalid_argument("COMMAND-Dfw2h", "FlowType missing")
        async with self.db.write() as conn:
            log = EventLog(conn, scope.instance_id, utcnow())
            if not await actions_repo.lock_org(log, scope):
                raise not_found("COMMAND-Or9Nf", "Organisation not found")
            if not await actions_repo.flow_has_triggers(conn, scope, int(found.id)):
                raise precondition_failed("COMMAND-DgGh3", "Flow is already empty")
            seq = await actions_repo.clear_flow(log, scope, int(found.id))
            await log.flush()
        return ObjectDetails(seq, None, log.now, scope.org_id)
