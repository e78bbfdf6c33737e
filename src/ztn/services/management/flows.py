"""Flow RPCs (actions v1) of zitadel.management.v1.ManagementService: request -> domain -> response.

A mixin composed into ``ManagementServicer``, which sets ``self.flows``. Flow and trigger types are
string ids (legacy enum names accepted); flows belong to the org in context.
"""

from __future__ import annotations

from typing import Any

from zitadel import management_pb2 as pb
from ztn.domain.flows import Flows
from ztn.services.management import flows_converter as conv


class FlowsMixin:
    flows: Flows

    async def ListFlowTypes(self, request: pb.ListFlowTypesRequest, context: Any) -> pb.ListFlowTypesResponse:
        return pb.ListFlowTypesResponse(result=[conv.flow_type(t) for t in self.flows.list_flow_types()])

    async def ListFlowTriggerTypes(
        self, request: pb.ListFlowTriggerTypesRequest, context: Any
    ) -> pb.ListFlowTriggerTypesResponse:
        triggers = self.flows.list_trigger_types(request.type)
        return pb.ListFlowTriggerTypesResponse(result=[conv.trigger_type(t) for t in triggers])

    async def GetFlow(self, request: pb.GetFlowRequest, context: Any) -> pb.GetFlowResponse:
        found = await self.flows.get_flow(conv.org_scope(), request.type)
        return pb.GetFlowResponse(flow=conv.flow(found))

    async def ClearFlow(self, request: pb.ClearFlowRequest, context: Any) -> pb.ClearFlowResponse:
        details = await self.flows.clear_flow(conv.org_scope(), request.type)
        return pb.ClearFlowResponse(details=conv.object_details(details))

    async def SetTriggerActions(
        self, request: pb.SetTriggerActionsRequest, context: Any
    ) -> pb.SetTriggerActionsResponse:
        details = await self.flows.set_trigger_actions(
            conv.org_scope(), request.flow_type, request.trigger_type, request.action_ids
        )
        return pb.SetTriggerActionsResponse(details=conv.object_details(details))
