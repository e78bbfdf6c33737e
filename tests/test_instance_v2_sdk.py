"""The official ZITADEL Python SDK (``zitadel-client``) against ztn's Instance service v2.

The SDK calls ``POST /zitadel.instance.v2.InstanceService/<Rpc>`` with JSON (Connect unary), as it
does against ZITADEL. The first instance answers on ``localhost``; instance-level calls use its
admin PAT, system-level ones (ListInstances, custom domains) a System API JWT.
"""

from __future__ import annotations

import uuid
import warnings

import pytest

with warnings.catch_warnings():
    # The SDK imports authlib.jose, which warns about its own deprecation; authlib installs an
    # "always" filter on import, so it is imported first and silenced after.
    pytest.importorskip("authlib.deprecate")
    warnings.simplefilter("ignore")
    zitadel_client = pytest.importorskip("zitadel_client")

from zitadel_client import ApiError, Zitadel  # noqa: E402
from zitadel_client.models import (  # noqa: E402
    InstanceServiceAddCustomDomainRequest,
    InstanceServiceAddTrustedDomainRequest,
    InstanceServiceDomainFilter,
    InstanceServiceFilter,
    InstanceServiceGetInstanceRequest,
    InstanceServiceInIDsFilter,
    InstanceServiceListCustomDomainsRequest,
    InstanceServiceListInstancesRequest,
    InstanceServiceListTrustedDomainsRequest,
    InstanceServiceRemoveCustomDomainRequest,
    InstanceServiceRemoveTrustedDomainRequest,
    InstanceServiceTextQueryMethod,
    InstanceServiceTrustedDomainFilter,
)


def unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}.example.test"


@pytest.fixture(scope="module")
def admin(server) -> Zitadel:
    """The first instance's IAM owner; ``external_url`` is http://localhost:<port>, so Host routes it."""
    return Zitadel.with_access_token(server.external_url, server.admin_pat())


@pytest.fixture(scope="module")
def system(server) -> Zitadel:
    return Zitadel.with_access_token(server.external_url, server.system_token())


@pytest.fixture(scope="module")
def first_instance_id(admin: Zitadel) -> str:
    return admin.instances.get_instance(InstanceServiceGetInstanceRequest()).instance.id


def test_get_instance_returns_the_instance_of_the_host(admin: Zitadel) -> None:
    instance = admin.instances.get_instance(InstanceServiceGetInstanceRequest()).instance
    assert instance.id and instance.name and instance.version
    assert instance.state.value == "STATE_RUNNING"
    assert instance.creation_date is not None and instance.change_date is not None
    localhost = [d for d in instance.custom_domains if d.domain == "localhost"]
    assert len(localhost) == 1 and localhost[0].instance_id == instance.id


def test_list_instances_with_a_system_token(system: Zitadel, first_instance_id: str) -> None:
    everything = system.instances.list_instances(InstanceServiceListInstancesRequest())
    assert first_instance_id in {i.id for i in everything.instances}
    assert int(everything.pagination.applied_limit) == 100
    assert int(everything.pagination.total_result) == len(everything.instances)

    only = system.instances.list_instances(
        InstanceServiceListInstancesRequest(
            filters=[InstanceServiceFilter(in_ids_filter=InstanceServiceInIDsFilter(ids=[first_instance_id]))]
        )
    )
    assert [i.id for i in only.instances] == [first_instance_id]
    assert int(only.pagination.total_result) == 1


def test_list_instances_needs_system_permission(admin: Zitadel) -> None:
    with pytest.raises(ApiError) as denied:
        admin.instances.list_instances(InstanceServiceListInstancesRequest())
    assert denied.value.code == 403


def test_custom_domain_add_list_remove(system: Zitadel, admin: Zitadel, first_instance_id: str) -> None:
    domain = unique("sdk-custom")
    added = system.instances.add_custom_domain(
        InstanceServiceAddCustomDomainRequest(instance_id=first_instance_id, custom_domain=domain)
    )
    assert added.creation_date is not None

    listed = admin.instances.list_custom_domains(InstanceServiceListCustomDomainsRequest())
    assert domain in {d.domain for d in listed.domains}
    assert int(listed.pagination.total_result) == len(listed.domains)

    removed = system.instances.remove_custom_domain(
        InstanceServiceRemoveCustomDomainRequest(instance_id=first_instance_id, custom_domain=domain)
    )
    assert removed.deletion_date is not None
    after = admin.instances.list_custom_domains(InstanceServiceListCustomDomainsRequest())
    assert domain not in {d.domain for d in after.domains}


def test_trusted_domain_add_list_remove(admin: Zitadel, first_instance_id: str) -> None:
    domain = unique("sdk-trusted")
    added = admin.instances.add_trusted_domain(InstanceServiceAddTrustedDomainRequest(trusted_domain=domain))
    assert added.creation_date is not None

    filtered = admin.instances.list_trusted_domains(
        InstanceServiceListTrustedDomainsRequest(
            filters=[
                InstanceServiceTrustedDomainFilter(
                    domain_filter=InstanceServiceDomainFilter(
                        domain=domain.upper(),
                        method=InstanceServiceTextQueryMethod.TEXT_QUERY_METHOD_EQUALS_IGNORE_CASE,
                    )
                )
            ]
        )
    )
    assert [(d.domain, d.instance_id) for d in filtered.trusted_domain] == [(domain, first_instance_id)]

    removed = admin.instances.remove_trusted_domain(
        InstanceServiceRemoveTrustedDomainRequest(trusted_domain=domain)
    )
    assert removed.deletion_date is not None
    after = admin.instances.list_trusted_domains(InstanceServiceListTrustedDomainsRequest())
    assert domain not in {d.domain for d in after.trusted_domain or []}


def test_errors_surface_as_api_errors_with_connect_bodies(admin: Zitadel) -> None:
    with pytest.raises(ApiError) as gone:
        admin.instances.remove_trusted_domain(
            InstanceServiceRemoveTrustedDomainRequest(trusted_domain=unique("never-added"))
        )
    assert gone.value.code == 404
    assert "not_found" in str(gone.value.response_body)
