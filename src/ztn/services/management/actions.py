"""Actions v1 RPCs of zitadel.management.v1.ManagementService: request -> domain call -> response.

A mixin composed into ``ManagementServicer`` (``services/management/__init__.py``), which sets
``self.actions``. The tenancy middleware has checked the declared permission; every call acts on the
org in context (``current_caller()``), so actions of other orgs and instances are "not found".
"""

from __future__ import annotations

from typing import Any

from zitadel import management_pb2 as pb
from ztn.domain.actions import Actions
from ztn.services.management import actions_converter as conv


class ActionsMixin:
    actions: Actions

    async def ListActions(self, request: pb.ListActionsRequest, context: Any) -> pb.ListActionsResponse:
        page = await self.actions.list_actions(
            conv.org_scope(),
            conv.list_query(request.query),
            conv.action_sort(request.sorting_column),
            conv.action_filters(request.queries),
        )
        # Like ZITADEL, the sorting column is not echoed.
        return pb.ListActionsResponse(
            details=conv.list_details(page), result=[conv.action(a) for a in page.items]
        )

    async def GetAction(self, request: pb.GetActionRequest, context: Any) -> pb.GetActionResponse:
        found = await self.actions.get_action(conv.org_scope(), request.id)
        return pb.GetActionResponse(action=conv.action(found))

    async def CreateAction(self, request: pb.CreateActionRequest, context: Any) -> pb.CreateActionResponse:
        action_id, details = await self.actions.create_action(conv.org_scope(), conv.action_spec(request))
        return pb.CreateActionResponse(details=conv.object_details(details), id=action_id)

    async def UpdateAction(self, request: pb.UpdateActionRequest, context: Any) -> pb.UpdateActionResponse:
        details = await self.actions.update_action(conv.org_scope(), request.id, conv.action_spec(request))
        return pb.UpdateActionResponse(details=conv.object_details(details))

    async def DeactivateAction(
        self, request: pb.DeactivateActionRequest, context: Any
    ) -> pb.DeactivateActionResponse:
        details = await self.actions.deactivate_action(conv.org_scope(), request.id)
        return pb.DeactivateActionResponse(details=conv.object_details(details))

    async def ReactivateAction(
        self, request: pb.ReactivateActionRequest, context: Any
    ) -> pb.ReactivateActionResponse:
        details = await self.actions.reactivate_action(conv.org_scope(), request.id)
        return pb.ReactivateActionResponse(details=conv.object_details(details))

    async def DeleteAction(self, request: pb.DeleteActionRequest, context: Any) -> pb.DeleteActionResponse:
        await self.actions.delete_action(conv.org_scope(), request.id)
        return pb.DeleteActionResponse()
