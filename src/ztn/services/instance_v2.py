"""zitadel.instance.v2.InstanceService: request -> domain call -> response. Rules live in ``domain``.

Served without REST bindings (Connect, gRPC, gRPC-web on /zitadel.instance.v2.InstanceService/<Rpc>).
The tenancy middleware has resolved the caller and checked the declared permission; for the RPCs
declared ``authenticated`` the handler checks iam.* / system.* itself (``instance_access``). Custom
domains are the instance's routing domains; trusted domains are the public hosts it accepts.
"""

from __future__ import annotations

from typing import Any

from zitadel.instance.v2 import instance_service_pb2 as pb
from zitadel.instance.v2 import instance_service_pb2_grpc
from ztn.domain.instances import Instances
from ztn.domain.trusted_domains import TrustedDomains
from ztn.services import instance_v2_converter as conv
from ztn.services.instance_access import target_instance


class InstanceV2Servicer(instance_service_pb2_grpc.InstanceServiceServicer):
    def __init__(self, instances: Instances, trusted: TrustedDomains) -> None:
        self.instances = instances
        self.trusted = trusted

    async def DeleteInstance(
        self, request: pb.DeleteInstanceRequest, context: Any
    ) -> pb.DeleteInstanceResponse:
        details = await self.instances.remove_instance(request.instance_id)
        return pb.DeleteInstanceResponse(deletion_date=conv.timestamp(details.change_date))

    async def GetInstance(self, request: pb.GetInstanceRequest, context: Any) -> pb.GetInstanceResponse:
        instance = await self.instances.get_instance(target_instance(request.instance_id, write=False))
        return pb.GetInstanceResponse(instance=conv.instance(instance))

    async def UpdateInstance(
        self, request: pb.UpdateInstanceRequest, context: Any
    ) -> pb.UpdateInstanceResponse:
        instance_id = target_instance(request.instance_id, write=True)
        current = await self.instances.get_instance(instance_id)
        if current.name == request.instance_name.strip():
            # v2 answers an unchanged name with the previous change date instead of an error.
            return pb.UpdateInstanceResponse(change_date=conv.timestamp(current.details.change_date))
        details = await self.instances.update_instance(instance_id, request.instance_name)
        return pb.UpdateInstanceResponse(change_date=conv.timestamp(details.change_date))

    async def ListInstances(self, request: pb.ListInstancesRequest, context: Any) -> pb.ListInstancesResponse:
        query = conv.list_query(request.pagination)
        page = await self.instances.list_instances(
            query, conv.instance_sort(request.sorting_column), conv.instance_filters(request.filters)
        )
        return pb.ListInstancesResponse(
            instances=[conv.instance(i) for i in page.items], pagination=conv.pagination(page, query)
        )

    async def AddCustomDomain(
        self, request: pb.AddCustomDomainRequest, context: Any
    ) -> pb.AddCustomDomainResponse:
        details = await self.instances.add_domain(request.instance_id, request.custom_domain)
        return pb.AddCustomDomainResponse(creation_date=conv.timestamp(details.creation_date))

    async def RemoveCustomDomain(
        self, request: pb.RemoveCustomDomainRequest, context: Any
    ) -> pb.RemoveCustomDomainResponse:
        details = await self.instances.remove_domain(request.instance_id, request.custom_domain)
        return pb.RemoveCustomDomainResponse(deletion_date=conv.timestamp(details.change_date))

    async def ListCustomDomains(
        self, request: pb.ListCustomDomainsRequest, context: Any
    ) -> pb.ListCustomDomainsResponse:
        instance_id = target_instance(request.instance_id, write=False)
        query = conv.list_query(request.pagination)
        page = await self.instances.list_domains(
            instance_id,
            query,
            conv.domain_sort(request.sorting_column),
            conv.custom_domain_filters(request.filters),
        )
        return pb.ListCustomDomainsResponse(
            domains=[conv.custom_domain(x) for x in page.items], pagination=conv.pagination(page, query)
        )

    async def AddTrustedDomain(
        self, request: pb.AddTrustedDomainRequest, context: Any
    ) -> pb.AddTrustedDomainResponse:
        added = await self.trusted.add(
            target_instance(request.instance_id, write=True), request.trusted_domain
        )
        return pb.AddTrustedDomainResponse(creation_date=conv.timestamp(added.creation_date))

    async def RemoveTrustedDomain(
        self, request: pb.RemoveTrustedDomainRequest, context: Any
    ) -> pb.RemoveTrustedDomainResponse:
        instance_id = target_instance(request.instance_id, write=True)
        removed_at = await self.trusted.remove(instance_id, request.trusted_domain)
        return pb.RemoveTrustedDomainResponse(deletion_date=conv.timestamp(removed_at))

    async def ListTrustedDomains(
        self, request: pb.ListTrustedDomainsRequest, context: Any
    ) -> pb.ListTrustedDomainsResponse:
        instance_id = target_instance(request.instance_id, write=False)
        query = conv.list_query(request.pagination)
        page = await self.trusted.list(
            instance_id,
            query,
            conv.trusted_domain_sort(request.sorting_column),
            conv.trusted_domain_filters(request.filters),
        )
        return pb.ListTrustedDomainsResponse(
            trusted_domain=[conv.trusted_domain(x) for x in page.items],
            pagination=conv.pagination(page, query),
        )
