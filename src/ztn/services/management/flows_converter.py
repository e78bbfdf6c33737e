"""Flow and trigger types, flows <-> action.v1 messages."""

from __future__ import annotations

from zitadel import action_pb2, message_pb2
from ztn.domain.flows import Flow, FlowType, TriggerType
from ztn.services.management.actions_converter import action, object_details, org_scope

__all__ = ["flow", "flow_type", "org_scope", "trigger_type"]


def _name(key: str, english: str) -> message_pb2.LocalizedMessage:
    # English only: ztn has no i18n catalogue yet, and English is ZITADEL's fallback language.
    return message_pb2.LocalizedMessage(key=key, localized_message=english)


def flow_type(value: FlowType) -> action_pb2.FlowType:
    return action_pb2.FlowType(id=value.id, name=_name(value.key, value.name))


def trigger_type(value: TriggerType) -> action_pb2.TriggerType:
    return action_pb2.TriggerType(id=value.id, name=_name(value.key, value.name))


def flow(value: Flow) -> action_pb2.Flow:
    return action_pb2.Flow(
        type=flow_type(value.type),
        details=object_details(value.details),
        state=action_pb2.FLOW_STATE_ACTIVE,  # hard-coded in ZITADEL: a flow has no state of its own
        trigger_actions=[
            action_pb2.TriggerAction(
                trigger_type=trigger_type(t.trigger), actions=[action(a) for a in t.actions]
            )
            for t in value.trigger_actions
        ],
    )
