"""Actions v1 messages <-> domain values (both directions), so the servicer stays thin."""

from __future__ import annotations

from collections.abc import Iterable

from google.protobuf import duration_pb2

from zitadel import action_pb2, management_pb2
from ztn.auth.caller import current_caller
from ztn.domain.actions_models import (
    Action,
    ActionFilter,
    ActionIdFilter,
    ActionNameFilter,
    ActionSort,
    ActionSpec,
    ActionStateFilter,
    OrgScope,
)
from ztn.domain.models import TextMethod
from ztn.services.system_converter import list_details, list_query, object_details

__all__ = ["action", "action_filters", "action_sort", "list_details", "list_query", "object_details"]

# --- requests -> domain ------------------------------------------------------------------------------


def org_scope() -> OrgScope:
    """The instance and org in context of the running call (resolved by the tenancy middleware)."""
    caller = current_caller()
    return OrgScope(caller.instance_id, caller.org_id)


def action_spec(req: management_pb2.CreateActionRequest | management_pb2.UpdateActionRequest) -> ActionSpec:
    return ActionSpec(
        name=req.name,
        script=req.script,
        timeout=req.timeout.ToTimedelta(),
        allowed_to_fail=req.allowed_to_fail,
    )


def action_sort(value: int) -> ActionSort:
    return ActionSort(value) if value in ActionSort._value2member_map_ else ActionSort.UNSPECIFIED


def action_filters(queries: Iterable[management_pb2.ActionQuery]) -> list[ActionFilter]:
    out: list[ActionFilter] = []
    for q in queries:
        kind = q.WhichOneof("query")
        if kind == "action_id_query":
            out.append(ActionIdFilter(q.action_id_query.id))
        elif kind == "action_name_query":
            name = q.action_name_query
            out.append(ActionNameFilter(name.name, TextMethod(name.method)))
        elif kind == "action_state_query":
            out.append(ActionStateFilter(q.action_state_query.state))
    return out


# --- domain -> responses -----------------------------------------------------------------------------


def _duration(value: object) -> duration_pb2.Duration:
    msg = duration_pb2.Duration()
    msg.FromTimedelta(value)  # type: ignore[arg-type]
    return msg


def action(value: Action) -> action_pb2.Action:
    return action_pb2.Action(
        id=value.id,
        details=object_details(value.details),
        state=int(value.state),
        name=value.name,
        script=value.script,
        timeout=_duration(value.effective_timeout),
        allowed_to_fail=value.allowed_to_fail,
    )
