"""zitadel.instance.v2beta.InstanceService (deprecated): request -> domain call -> response.

Same behaviour as v2 (``instance_v2``); the REST door serves its bindings under /v2beta/instances.
The declared permissions (iam.read, iam.write, system.*) are checked by the tenancy middleware;
``instance_id`` (always set: PGV requires it) must be the caller's instance unless the caller holds
the system permission (``instance_access``).
"""

from __future__ import annotations

from typing import Any

from zitadel.instance.v2beta import instance_service_pb2 as pb
from zitadel.instance.v2beta import instance_service_pb2_grpc
from ztn.domain.instances import Instances
from ztn.domain.trusted_domains import TrustedDomains
from ztn.services import instance_v2_converter as shared
from ztn.services import instance_v2beta_converter as conv
from ztn.services.instance_access import target_instance


class InstanceV2BetaServicer(instance_service_pb2_grpc.InstanceServiceServicer):
    def __init__(self, instances: Instances, trusted: TrustedDomains) -> None:
        self.instances = instances
        self.trusted = trusted

    async def DeleteInstance(
        self, request: pb.DeleteInstanceRequest, context: Any
    ) -> pb.DeleteInstanceResponse:
        details = await self.instances.remove_instance(request.instance_id)
        return pb.DeleteInstanceResponse(deletion_date=shared.timestamp(details.change_date))

    async def GetInstance(self, request: pb.GetInstanceRequest, context: Any) -> pb.GetInstanceResponse:
        instance = await self.instances.get_instance(target_instance(request.instance_id, write=False))
        return pb.GetInstanceResponse(instance=conv.instance(instance))

    async def UpdateInstance(
        self, request: pb.UpdateInstanceRequest, context: Any
    ) -> pb.UpdateInstanceResponse:
        instance_id = target_instance(request.instance_id, write=True)
        current = await self.instances.get_instance(instance_id)
        if current.name == request.instance_name.strip():
            return pb.UpdateInstanceResponse(change_date=shared.timestamp(current.details.change_date))
        details = await self.instances.update_instance(instance_id, request.instance_name)
        return pb.UpdateInstanceResponse(change_date=shared.timestamp(details.change_date))

    async def ListInstances(self, request: pb.ListInstancesRequest, context: Any) -> pb.ListInstancesResponse:
        query = shared.list_query(request.pagination)
        page = await self.instances.list_instances(
            query, shared.instance_sort(request.sorting_column), conv.instance_filters(request.queries)
        )
        return pb.ListInstancesResponse(
            instances=[conv.instance(i) for i in page.items], pagination=conv.pagination(page, query)
        )

    async def AddCustomDomain(
        self, request: pb.AddCustomDomainRequest, context: Any
    ) -> pb.AddCustomDomainResponse:
        details = await self.instances.add_domain(request.instance_id, request.domain)
        return pb.AddCustomDomainResponse(creation_date=shared.timestamp(details.creation_date))

    async def RemoveCustomDomain(
        self, request: pb.RemoveCustomDomainRequest, context: Any
    ) -> pb.RemoveCustomDomainResponse:
        details = await self.instances.remove_domain(request.instance_id, request.domain)
        return pb.RemoveCustomDomainResponse(deletion_date=shared.timestamp(details.change_date))

    async def ListCustomDomains(
        self, request: pb.ListCustomDomainsRequest, context: Any
    ) -> pb.ListCustomDomainsResponse:
        instance_id = target_instance(request.instance_id, write=False)
        query = shared.list_query(request.pagination)
        page = await self.instances.list_domains(
            instance_id,
            query,
            shared.domain_sort(request.sorting_column),
            conv.domain_filters(request.queries),
        )
        return pb.ListCustomDomainsResponse(
            domains=[conv.domain(x) for x in page.items], pagination=conv.pagination(page, query)
        )

    async def AddTrustedDomain(
        self, request: pb.AddTrustedDomainRequest, context: Any
    ) -> pb.AddTrustedDomainResponse:
        instance_id = target_instance(request.instance_id, write=True)
        added = await self.trusted.add(instance_id, request.domain)
        return pb.AddTrustedDomainResponse(creation_date=shared.timestamp(added.creation_date))

    async def RemoveTrustedDomain(
        self, request: pb.RemoveTrustedDomainRequest, context: Any
    ) -> pb.RemoveTrustedDomainResponse:
        instance_id = target_instance(request.instance_id, write=True)
        removed_at = await self.trusted.remove(instance_id, request.domain)
        return pb.RemoveTrustedDomainResponse(deletion_date=shared.timestamp(removed_at))

    async def ListTrustedDomains(
        self, request: pb.ListTrustedDomainsRequest, context: Any
    ) -> pb.ListTrustedDomainsResponse:
        instance_id = target_instance(request.instance_id, write=False)
        query = shared.list_query(request.pagination)
        page = await self.trusted.list(
            instance_id,
            query,
            shared.trusted_domain_sort(request.sorting_column),
            conv.trusted_domain_filters(request.queries),
        )
        return pb.ListTrustedDomainsResponse(
            trusted_domain=[conv.trusted_domain(x) for x in page.items],
            pagination=conv.pagination(page, query),
        )
