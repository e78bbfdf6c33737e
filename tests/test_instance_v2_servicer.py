"""Instance service v2 / v2beta servicers called directly (no sockets), on both backends.

Covers what the doors cannot change: message mapping, v2 pagination (default 100, max 1000,
appliedLimit), sorting, filters, the instance_id rule and the trusted-domain lifecycle.
"""

from __future__ import annotations

import pytest

from zitadel.filter.v2 import filter_pb2
from zitadel.filter.v2beta import filter_pb2 as filter_beta_pb2
from zitadel.instance.v2 import instance_pb2
from zitadel.instance.v2 import instance_service_pb2 as v2
from zitadel.instance.v2beta import instance_pb2 as beta_instance_pb2
from zitadel.instance.v2beta import instance_service_pb2 as beta
from zitadel.object.v2 import object_pb2
from ztn.auth.caller import Caller, reset_caller, set_caller
from ztn.domain import models as d
from ztn.domain.errors import DomainError, Kind
from ztn.domain.instances import InstanceConfig, Instances
from ztn.domain.trusted_domains import TrustedDomains
from ztn.services.instance_v2 import InstanceV2Servicer
from ztn.services.instance_v2beta import InstanceV2BetaServicer
from ztn.store.db import Database

CTX = object()  # the servicers never touch their context
IAM_OWNER = frozenset({"iam.read", "iam.write"})
SYSTEM = frozenset({"system.instance.read", "system.instance.write", "iam.read", "iam.write"})


@pytest.fixture
def instances(database: Database) -> Instances:
    return Instances(database, InstanceConfig(base_domain="example.com"))


@pytest.fixture
def servicer(database: Database, instances: Instances) -> InstanceV2Servicer:
    return InstanceV2Servicer(instances, TrustedDomains(database))


@pytest.fixture
def beta_servicer(database: Database, instances: Instances) -> InstanceV2BetaServicer:
    return InstanceV2BetaServicer(instances, TrustedDomains(database))


async def new_instance(instances: Instances, name: str, custom: str = "") -> str:
    created = await instances.create_instance(
        d.NewInstance(name=name, owner=d.MachineOwner(pat=d.PatRequest()), custom_domain=custom)
    )
    return created.instance_id


class acting_as:  # noqa: N801 (reads like a statement: `with acting_as(...)`)
    """The caller the tenancy middleware would have set."""

    def __init__(self, instance_id: str, permissions: frozenset[str] = IAM_OWNER) -> None:
        self.caller = Caller(instance_id, "org", "user", permissions)

    def __enter__(self) -> Caller:
        self.token = set_caller(self.caller)
        return self.caller

    def __exit__(self, *exc: object) -> None:
        reset_caller(self.token)


async def test_get_instance_without_id_is_the_callers_instance(servicer, instances) -> None:
    instance_id = await new_instance(instances, "alpha", "login.alpha.test")
    with acting_as(instance_id):
        got = (await servicer.GetInstance(v2.GetInstanceRequest(), CTX)).instance
    assert got.id == instance_id and got.name == "alpha" and got.state == instance_pb2.STATE_RUNNING
    assert got.version and got.HasField("creation_date") and got.HasField("change_date")
    domains = {x.domain: x for x in got.custom_domains}
    assert domains["login.alpha.test"].instance_id == instance_id
    assert not domains["login.alpha.test"].generated and not domains["login.alpha.test"].primary
    generated = [x for x in got.custom_domains if x.generated]
    assert len(generated) == 1 and generated[0].primary


async def test_instance_id_of_another_instance_needs_system_permission(servicer, instances) -> None:
    mine, other = await new_instance(instances, "mine"), await new_instance(instances, "other")
    with acting_as(mine):
        assert (await servicer.GetInstance(v2.GetInstanceRequest(instance_id=mine), CTX)).instance.id == mine
        with pytest.raises(DomainError) as denied:
            await servicer.GetInstance(v2.GetInstanceRequest(instance_id=other), CTX)
        assert (denied.value.kind, denied.value.id) == (Kind.PERMISSION_DENIED, "AUTH-5mWD2")
        with pytest.raises(DomainError):
            await servicer.AddTrustedDomain(
                v2.AddTrustedDomainRequest(instance_id=other, trusted_domain="x.test"), CTX
            )
    with acting_as(mine, SYSTEM):
        assert (
            await servicer.GetInstance(v2.GetInstanceRequest(instance_id=other), CTX)
        ).instance.id == other


async def test_reads_need_iam_read_and_writes_iam_write(servicer, instances) -> None:
    instance_id = await new_instance(instances, "viewer")
    with acting_as(instance_id, frozenset({"iam.read"})):
        await servicer.ListTrustedDomains(v2.ListTrustedDomainsRequest(), CTX)
        with pytest.raises(DomainError) as denied:
            await servicer.AddTrustedDomain(v2.AddTrustedDomainRequest(trusted_domain="a.test"), CTX)
        assert denied.value.id == "AUTH-5mWD2"
    with acting_as(instance_id, frozenset()), pytest.raises(DomainError):
        await servicer.GetInstance(v2.GetInstanceRequest(), CTX)


async def test_update_instance_renames_and_unchanged_returns_previous_change_date(
    servicer, instances
) -> None:
    instance_id = await new_instance(instances, "before")
    with acting_as(instance_id):
        changed = await servicer.UpdateInstance(v2.UpdateInstanceRequest(instance_name="after"), CTX)
        again = await servicer.UpdateInstance(v2.UpdateInstanceRequest(instance_name="after"), CTX)
        got = (await servicer.GetInstance(v2.GetInstanceRequest(), CTX)).instance
    assert got.name == "after"
    assert changed.change_date == again.change_date == got.change_date


async def test_list_instances_paginates_with_default_limit_and_rejects_over_max(servicer, instances) -> None:
    ids = [await new_instance(instances, f"page-{i}") for i in range(3)]
    with acting_as(ids[0], SYSTEM):
        everything = await servicer.ListInstances(v2.ListInstancesRequest(), CTX)
        assert everything.pagination.applied_limit == 100
        assert everything.pagination.total_result == len(everything.instances) >= 3

        by_id = v2.ListInstancesRequest(
            filters=[instance_pb2.Filter(in_ids_filter=filter_pb2.InIDsFilter(ids=ids))],
            sorting_column=instance_pb2.FIELD_NAME_NAME,
            pagination=filter_pb2.PaginationRequest(offset=1, limit=1, asc=True),
        )
        page = await servicer.ListInstances(by_id, CTX)
        assert [i.name for i in page.instances] == ["page-1"]
        assert (page.pagination.total_result, page.pagination.applied_limit) == (3, 1)

        by_name_desc = v2.ListInstancesRequest(
            filters=[instance_pb2.Filter(in_ids_filter=filter_pb2.InIDsFilter(ids=ids))],
            sorting_column=instance_pb2.FIELD_NAME_NAME,
        )
        names = [i.name for i in (await servicer.ListInstances(by_name_desc, CTX)).instances]
        assert names == ["page-2", "page-1", "page-0"]  # v2 default is descending

        with pytest.raises(DomainError) as too_many:
            await servicer.ListInstances(
                v2.ListInstancesRequest(pagination=filter_pb2.PaginationRequest(limit=1001)), CTX
            )
        assert (too_many.value.kind, too_many.value.id) == (Kind.INVALID_ARGUMENT, "QUERY-4M0fs")
        at_max = v2.ListInstancesRequest(pagination=filter_pb2.PaginationRequest(limit=1000))
        assert (await servicer.ListInstances(at_max, CTX)).pagination.applied_limit == 1000


async def test_list_instances_by_custom_domain(servicer, instances) -> None:
    wanted = await new_instance(instances, "dom", "login.dom.test")
    await new_instance(instances, "nodom")
    req = v2.ListInstancesRequest(
        filters=[
            instance_pb2.Filter(
                custom_domains_filter=instance_pb2.CustomDomainsFilter(
                    domains=["LOGIN.dom.test", "none.test"]
                )
            )
        ]
    )
    with acting_as(wanted, SYSTEM):
        found = await servicer.ListInstances(req, CTX)
    assert [i.id for i in found.instances] == [wanted]


async def test_custom_domains_add_list_filter_sort_remove(servicer, instances) -> None:
    instance_id = await new_instance(instances, "custom")
    with acting_as(instance_id, SYSTEM):
        added = await servicer.AddCustomDomain(
            v2.AddCustomDomainRequest(instance_id=instance_id, custom_domain="B.custom.test"), CTX
        )
        assert added.HasField("creation_date")
        await servicer.AddCustomDomain(
            v2.AddCustomDomainRequest(instance_id=instance_id, custom_domain="a.custom.test"), CTX
        )
        with pytest.raises(DomainError) as taken:
            await servicer.AddCustomDomain(
                v2.AddCustomDomainRequest(instance_id=instance_id, custom_domain="a.custom.test"), CTX
            )
        assert taken.value.kind == Kind.ALREADY_EXISTS

        listed = await servicer.ListCustomDomains(
            v2.ListCustomDomainsRequest(
                sorting_column=instance_pb2.DOMAIN_FIELD_NAME_DOMAIN,
                pagination=filter_pb2.PaginationRequest(asc=True),
                filters=[
                    instance_pb2.CustomDomainFilter(
                        domain_filter=instance_pb2.DomainFilter(
                            domain=".CUSTOM.", method=object_pb2.TEXT_QUERY_METHOD_CONTAINS_IGNORE_CASE
                        )
                    ),
                    instance_pb2.CustomDomainFilter(generated_filter=False),
                ],
            ),
            CTX,
        )
        assert [x.domain for x in listed.domains] == ["a.custom.test", "b.custom.test"]
        assert listed.pagination.total_result == 2 and listed.pagination.applied_limit == 100
        assert all(x.instance_id == instance_id for x in listed.domains)

        removed = await servicer.RemoveCustomDomain(
            v2.RemoveCustomDomainRequest(instance_id=instance_id, custom_domain="a.custom.test"), CTX
        )
        assert removed.HasField("deletion_date")
        primary = await servicer.ListCustomDomains(
            v2.ListCustomDomainsRequest(filters=[instance_pb2.CustomDomainFilter(primary_filter=True)]), CTX
        )
        assert [x.generated for x in primary.domains] == [True]


async def test_trusted_domains_lifecycle_and_text_methods(servicer, instances) -> None:
    instance_id = await new_instance(instances, "trust")
    with acting_as(instance_id):
        for name in ("login.trust.test", "Proxy.Trust.Test", "other.example"):
            added = await servicer.AddTrustedDomain(v2.AddTrustedDomainRequest(trusted_domain=name), CTX)
            assert added.HasField("creation_date")
        with pytest.raises(DomainError) as twice:
            await servicer.AddTrustedDomain(
                v2.AddTrustedDomainRequest(trusted_domain="login.trust.test"), CTX
            )
        assert twice.value.kind == Kind.FAILED_PRECONDITION

        async def names(method: int, value: str) -> list[str]:
            req = v2.ListTrustedDomainsRequest(
                sorting_column=instance_pb2.TRUSTED_DOMAIN_FIELD_NAME_DOMAIN,
                pagination=filter_pb2.PaginationRequest(asc=True),
                filters=[
                    instance_pb2.TrustedDomainFilter(
                        domain_filter=instance_pb2.DomainFilter(domain=value, method=method)
                    )
                ],
            )
            page = await servicer.ListTrustedDomains(req, CTX)
            assert page.pagination.total_result == len(page.trusted_domain)
            return [x.domain for x in page.trusted_domain]

        m = object_pb2
        assert await names(m.TEXT_QUERY_METHOD_EQUALS, "proxy.trust.test") == ["proxy.trust.test"]
        assert await names(m.TEXT_QUERY_METHOD_EQUALS_IGNORE_CASE, "PROXY.trust.test") == ["proxy.trust.test"]
        assert await names(m.TEXT_QUERY_METHOD_STARTS_WITH, "login") == ["login.trust.test"]
        assert await names(m.TEXT_QUERY_METHOD_STARTS_WITH_IGNORE_CASE, "LOGIN") == ["login.trust.test"]
        assert await names(m.TEXT_QUERY_METHOD_CONTAINS, "trust") == ["login.trust.test", "proxy.trust.test"]
        assert await names(m.TEXT_QUERY_METHOD_CONTAINS_IGNORE_CASE, "TRUST") == [
            "login.trust.test",
            "proxy.trust.test",
        ]
        assert await names(m.TEXT_QUERY_METHOD_ENDS_WITH, ".example") == ["other.example"]
        assert await names(m.TEXT_QUERY_METHOD_ENDS_WITH_IGNORE_CASE, ".EXAMPLE") == ["other.example"]

        removed = await servicer.RemoveTrustedDomain(
            v2.RemoveTrustedDomainRequest(trusted_domain="other.example"), CTX
        )
        assert removed.HasField("deletion_date")
        with pytest.raises(DomainError) as gone:
            await servicer.RemoveTrustedDomain(
                v2.RemoveTrustedDomainRequest(trusted_domain="other.example"), CTX
            )
        assert gone.value.kind == Kind.NOT_FOUND
        page = await servicer.ListTrustedDomains(
            v2.ListTrustedDomainsRequest(pagination=filter_pb2.PaginationRequest(limit=1)), CTX
        )
        assert len(page.trusted_domain) == 1 and page.pagination.total_result == 2


async def test_delete_instance_removes_it_and_its_trusted_domains(servicer, instances, database) -> None:
    instance_id = await new_instance(instances, "doomed")
    with acting_as(instance_id, SYSTEM):
        await servicer.AddTrustedDomain(v2.AddTrustedDomainRequest(trusted_domain="doomed.test"), CTX)
        deleted = await servicer.DeleteInstance(v2.DeleteInstanceRequest(instance_id=instance_id), CTX)
        assert deleted.HasField("deletion_date")
    assert not await TrustedDomains(database).is_trusted(instance_id, "doomed.test")
    with acting_as(instance_id), pytest.raises(DomainError) as gone:
        await servicer.GetInstance(v2.GetInstanceRequest(), CTX)
    assert gone.value.kind == Kind.NOT_FOUND


async def test_v2beta_maps_the_same_data_under_its_names(beta_servicer, instances) -> None:
    instance_id = await new_instance(instances, "beta", "login.beta.test")
    with acting_as(instance_id):
        got = (
            await beta_servicer.GetInstance(beta.GetInstanceRequest(instance_id=instance_id), CTX)
        ).instance
        assert got.id == instance_id and got.state == beta_instance_pb2.STATE_RUNNING
        assert "login.beta.test" in {x.domain for x in got.domains}
        await beta_servicer.AddTrustedDomain(
            beta.AddTrustedDomainRequest(instance_id=instance_id, domain="beta.proxy.test"), CTX
        )
        trusted = await beta_servicer.ListTrustedDomains(
            beta.ListTrustedDomainsRequest(
                instance_id=instance_id,
                queries=[
                    beta_instance_pb2.TrustedDomainSearchQuery(
                        domain_query=beta_instance_pb2.DomainQuery(domain="proxy", method=4)
                    )
                ],
            ),
            CTX,
        )
        assert [x.domain for x in trusted.trusted_domain] == ["beta.proxy.test"]
        domains = await beta_servicer.ListCustomDomains(
            beta.ListCustomDomainsRequest(
                instance_id=instance_id,
                pagination=filter_beta_pb2.PaginationRequest(limit=5),
                queries=[
                    beta_instance_pb2.DomainSearchQuery(
                        generated_query=beta_instance_pb2.DomainGeneratedQuery()
                    )
                ],
            ),
            CTX,
        )
        assert [x.domain for x in domains.domains] == ["login.beta.test"]
        assert domains.pagination.applied_limit == 5
        await beta_servicer.RemoveTrustedDomain(
            beta.RemoveTrustedDomainRequest(instance_id=instance_id, domain="beta.proxy.test"), CTX
        )
    with acting_as(instance_id, SYSTEM):
        listed = await beta_servicer.ListInstances(
            beta.ListInstancesRequest(
                queries=[beta_instance_pb2.Query(id_query=beta_instance_pb2.IdsQuery(ids=[instance_id]))]
            ),
            CTX,
        )
        assert [i.id for i in listed.instances] == [instance_id] and listed.pagination.total_result == 1
