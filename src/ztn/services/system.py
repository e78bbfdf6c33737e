"""zitadel.system.v1.SystemService: request -> domain call -> response. Rules live in ``domain``.

Domain errors propagate to the error middleware; request shape (lengths etc.) is checked by the PGV
middleware before these methods run.
"""

from __future__ import annotations

from typing import Any

from zitadel import system_pb2, system_pb2_grpc
from ztn.domain.instances import Instances
from ztn.services import system_converter as conv


class SystemServicer(system_pb2_grpc.SystemServiceServicer):
    def __init__(self, instances: Instances) -> None:
        self.instances = instances

    async def Healthz(self, request: system_pb2.HealthzRequest, context: Any) -> system_pb2.HealthzResponse:
        return system_pb2.HealthzResponse()

    async def ListInstances(
        self, request: system_pb2.ListInstancesRequest, context: Any
    ) -> system_pb2.ListInstancesResponse:
        page = await self.instances.list_instances(
            conv.list_query(request.query),
            conv.instance_sort(request.sorting_column),
            conv.instance_filters(request.queries),
        )
        # ZITADEL fills only totalResult and does not echo sorting_column.
        return system_pb2.ListInstancesResponse(
            details=conv.list_details(page, total_only=True), result=[conv.instance(i) for i in page.items]
        )

    async def GetInstance(
        self, request: system_pb2.GetInstanceRequest, context: Any
    ) -> system_pb2.GetInstanceResponse:
        instance = await self.instances.get_instance(request.instance_id)
        return system_pb2.GetInstanceResponse(instance=conv.instance_detail(instance))

    async def AddInstance(
        self, request: system_pb2.AddInstanceRequest, context: Any
    ) -> system_pb2.AddInstanceResponse:
        instance_id, details = await self.instances.add_instance(conv.added_instance(request))
        return system_pb2.AddInstanceResponse(instance_id=instance_id, details=conv.object_details(details))

    async def CreateInstance(
        self, request: system_pb2.CreateInstanceRequest, context: Any
    ) -> system_pb2.CreateInstanceResponse:
        created = await self.instances.create_instance(conv.new_instance(request))
        return system_pb2.CreateInstanceResponse(
            instance_id=created.instance_id,
            details=conv.object_details(created.details),
            pat=created.pat or "",
            machine_key=created.machine_key or b"",
        )

    async def UpdateInstance(
        self, request: system_pb2.UpdateInstanceRequest, context: Any
    ) -> system_pb2.UpdateInstanceResponse:
        details = await self.instances.update_instance(request.instance_id, request.instance_name)
        return system_pb2.UpdateInstanceResponse(details=conv.object_details(details))

    async def RemoveInstance(
        self, request: system_pb2.RemoveInstanceRequest, context: Any
    ) -> system_pb2.RemoveInstanceResponse:
        details = await self.instances.remove_instance(request.instance_id)
        return system_pb2.RemoveInstanceResponse(details=conv.object_details(details))

    async def ExistsDomain(
        self, request: system_pb2.ExistsDomainRequest, context: Any
    ) -> system_pb2.ExistsDomainResponse:
        return system_pb2.ExistsDomainResponse(exists=await self.instances.exists_domain(request.domain))

    async def ListDomains(
        self, request: system_pb2.ListDomainsRequest, context: Any
    ) -> system_pb2.ListDomainsResponse:
        page = await self.instances.list_domains(
            request.instance_id,
            conv.list_query(request.query),
            conv.domain_sort(request.sorting_column),
            conv.domain_filters(request.queries),
        )
        return system_pb2.ListDomainsResponse(
            details=conv.list_details(page),
            sorting_column=request.sorting_column,
            result=[conv.domain(x) for x in page.items],
        )

    async def AddDomain(
        self, request: system_pb2.AddDomainRequest, context: Any
    ) -> system_pb2.AddDomainResponse:
        details = await self.instances.add_domain(request.instance_id, request.domain)
        return system_pb2.AddDomainResponse(details=conv.object_details(details))

    async def RemoveDomain(
        self, request: system_pb2.RemoveDomainRequest, context: Any
    ) -> system_pb2.RemoveDomainResponse:
        details = await self.instances.remove_domain(request.instance_id, request.domain)
        return system_pb2.RemoveDomainResponse(details=conv.object_details(details))

    async def SetPrimaryDomain(
        self, request: system_pb2.SetPrimaryDomainRequest, context: Any
    ) -> system_pb2.SetPrimaryDomainResponse:
        details = await self.instances.set_primary_domain(request.instance_id, request.domain)
        return system_pb2.SetPrimaryDomainResponse(details=conv.object_details(details))
