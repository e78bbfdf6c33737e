"""SystemServicer called directly (no sockets): message conversion in both directions."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

try:
    import zitadel  # noqa: F401
except ModuleNotFoundError:  # editable install made before gen/zitadel existed
    sys.path.append(str(Path(__file__).parent.parent / "gen"))
from zitadel import auth_n_key_pb2, instance_pb2, object_pb2, system_pb2
from ztn.domain.errors import DomainError, Kind
from ztn.domain.instances import InstanceConfig, Instances
from ztn.domain.pats import verify_pat
from ztn.domain.version import VERSION
from ztn.services.system import SystemServicer
from ztn.store.db import Database

CTX = object()  # the servicer never touches its context


@pytest.fixture
def servicer(database: Database) -> SystemServicer:
    return SystemServicer(Instances(database, InstanceConfig(base_domain="example.com")))


async def create(servicer: SystemServicer, name: str = "customer-a", **machine: object):
    req = system_pb2.CreateInstanceRequest(
        instance_name=name,
        custom_domain=f"login.{name}.com",
        machine=system_pb2.CreateInstanceRequest.Machine(user_name="admin-sa", name="Admin SA", **machine),
    )
    return await servicer.CreateInstance(req, CTX)


async def test_create_instance_returns_pat_and_details_without_change_date(
    servicer: SystemServicer, database: Database
) -> None:
    pat = system_pb2.CreateInstanceRequest.PersonalAccessToken()
    pat.expiration_date.FromJsonString("2030-01-01T00:00:00Z")
    resp = await create(servicer, personal_access_token=pat)
    assert resp.instance_id and resp.pat and not resp.machine_key
    assert resp.details.resource_owner == resp.instance_id and resp.details.sequence > 0
    assert resp.details.HasField("creation_date") and not resp.details.HasField("change_date")
    assert (await verify_pat(database, resp.pat)).instance_id == resp.instance_id


async def test_create_instance_with_machine_key_returns_key_file_bytes(servicer: SystemServicer) -> None:
    key = system_pb2.CreateInstanceRequest.MachineKey(type=auth_n_key_pb2.KEY_TYPE_JSON)
    resp = await create(servicer, machine_key=key)
    assert json.loads(resp.machine_key)["type"] == "serviceaccount" and not resp.pat


async def test_get_instance_maps_every_field(servicer: SystemServicer) -> None:
    created = await create(servicer)
    got = (
        await servicer.GetInstance(system_pb2.GetInstanceRequest(instance_id=created.instance_id), CTX)
    ).instance
    assert (got.id, got.name, got.version, got.state) == (
        created.instance_id,
        "customer-a",
        VERSION,
        instance_pb2.STATE_RUNNING,
    )
    assert [(x.domain.split("-")[0], x.primary, x.generated) for x in got.domains] == [
        ("customer", True, True),
        ("login.customer", False, False),
    ]
    assert got.details.HasField("change_date")


async def test_unknown_instance_raises_the_domain_error(servicer: SystemServicer) -> None:
    with pytest.raises(DomainError) as exc:
        await servicer.GetInstance(system_pb2.GetInstanceRequest(instance_id="1"), CTX)
    assert exc.value.kind == Kind.NOT_FOUND


async def test_list_instances_details_carry_only_total(servicer: SystemServicer) -> None:
    a, b = await create(servicer, "a"), await create(servicer, "b")
    req = system_pb2.ListInstancesRequest(
        query=object_pb2.ListQuery(limit=1, asc=False),
        sorting_column=instance_pb2.FIELD_NAME_NAME,
        queries=[instance_pb2.Query(id_query=instance_pb2.IdsQuery(ids=[a.instance_id, b.instance_id]))],
    )
    resp = await servicer.ListInstances(req, CTX)
    assert [i.name for i in resp.result] == ["b"] and resp.details.total_result == 2
    assert not resp.details.HasField("view_timestamp") and resp.details.processed_sequence == 0
    assert resp.sorting_column == instance_pb2.FIELD_NAME_UNSPECIFIED


async def test_domain_rpcs(servicer: SystemServicer) -> None:
    iid = (await create(servicer)).instance_id
    added = await servicer.AddDomain(system_pb2.AddDomainRequest(instance_id=iid, domain="x.example"), CTX)
    assert added.details.HasField("creation_date")
    exists = await servicer.ExistsDomain(system_pb2.ExistsDomainRequest(domain="X.EXAMPLE"), CTX)
    assert exists.exists
    await servicer.SetPrimaryDomain(
        system_pb2.SetPrimaryDomainRequest(instance_id=iid, domain="x.example"), CTX
    )
    query = instance_pb2.DomainSearchQuery(
        domain_query=instance_pb2.DomainQuery(
            domain="X.", method=object_pb2.TEXT_QUERY_METHOD_STARTS_WITH_IGNORE_CASE
        )
    )
    listed = await servicer.ListDomains(system_pb2.ListDomainsRequest(instance_id=iid, queries=[query]), CTX)
    assert [(d.domain, d.primary) for d in listed.result] == [("x.example", True)]
    assert listed.details.total_result == 1 and listed.details.HasField("view_timestamp")
    await servicer.SetPrimaryDomain(
        system_pb2.SetPrimaryDomainRequest(instance_id=iid, domain="login.customer-a.com"), CTX
    )
    removed = await servicer.RemoveDomain(
        system_pb2.RemoveDomainRequest(instance_id=iid, domain="x.example"), CTX
    )
    assert removed.details.HasField("change_date")


async def test_update_and_remove_instance(servicer: SystemServicer) -> None:
    iid = (await create(servicer)).instance_id
    upd = await servicer.UpdateInstance(
        system_pb2.UpdateInstanceRequest(instance_id=iid, instance_name="n"), CTX
    )
    assert upd.details.resource_owner == iid
    rem = await servicer.RemoveInstance(system_pb2.RemoveInstanceRequest(instance_id=iid), CTX)
    assert rem.details.sequence == upd.details.sequence + 1


async def test_add_instance_with_human_owner(servicer: SystemServicer) -> None:
    req = system_pb2.AddInstanceRequest(
        instance_name="legacy", owner_email=system_pb2.AddInstanceRequest.Email(email="o@legacy.io")
    )
    resp = await servicer.AddInstance(req, CTX)
    assert resp.instance_id and not resp.details.HasField("change_date")


def test_fast_timestamps_match_protobufs_own_conversion():
    from datetime import UTC, datetime, timedelta, timezone

    from google.protobuf.timestamp_pb2 import Timestamp

    from ztn.services.timestamps import timestamp

    for value in (
        datetime(1970, 1, 1, tzinfo=UTC),
        datetime(1969, 12, 31, 23, 59, 59, 999999, tzinfo=UTC),
        datetime(2026, 11, 24, 1, 2, 3, 456789, tzinfo=UTC),
        datetime(2026, 3, 29, 2, 30, tzinfo=timezone(timedelta(hours=2))),
        datetime(2026, 11, 24, 1, 2, 3),  # naive: UTC by convention
    ):
        expected = Timestamp()
        expected.FromDatetime(value if value.tzinfo else value.replace(tzinfo=UTC))
        assert timestamp(value) == expected, value
