"""Instance lifecycle rules: create (human/machine owner, PAT, key), get, list, update, remove, bootstrap."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from ztn.domain.bootstrap import bootstrap_first_instance
from ztn.domain.errors import DomainError, Kind
from ztn.domain.instances import InstanceConfig, Instances
from ztn.domain.models import (
    HumanOwner,
    InstanceDomainsFilter,
    InstanceIdsFilter,
    InstanceSort,
    ListQuery,
    MachineKeyRequest,
    MachineOwner,
    NewInstance,
    PatRequest,
)
from ztn.domain.pats import verify_pat
from ztn.domain.version import VERSION
from ztn.store import models as m
from ztn.store.db import Database

BASE = "zitadel.example.com"


@pytest.fixture
def instances(database: Database) -> Instances:
    return Instances(database, InstanceConfig(base_domain=BASE))


def machine(pat: bool = True) -> MachineOwner:
    return MachineOwner(user_name="sa", name="Service", pat=PatRequest() if pat else None)


async def create(instances: Instances, name: str = "Customer A", **kw: object):
    return await instances.create_instance(NewInstance(name=name, owner=kw.pop("owner", machine()), **kw))


def assert_error(exc: pytest.ExceptionInfo[DomainError], kind: Kind, error_id: str) -> None:
    assert (exc.value.kind, exc.value.id) == (kind, error_id), exc.value


# --- create ------------------------------------------------------------------------------------------


async def test_create_instance_has_generated_primary_domain_and_custom_domain(instances: Instances) -> None:
    created = await create(instances, custom_domain="Login.Customer-A.com")
    got = await instances.get_instance(created.instance_id)
    assert got.name == "Customer A" and got.version == VERSION and got.details.resource_owner == got.id
    generated, custom = got.domains
    assert generated.generated and generated.primary
    assert generated.domain.startswith("customer-a-") and generated.domain.endswith("." + BASE)
    assert len(generated.domain.split(".")[0]) == len("customer-a-") + 6
    assert custom.domain == "login.customer-a.com" and not custom.generated and not custom.primary
    assert created.details.change_date is None and created.details.creation_date == got.details.creation_date
    assert created.details.creation_date.tzinfo is not None
    assert len(created.instance_id) >= 17 and created.instance_id.isdigit()


async def test_create_instance_with_machine_owner_returns_a_working_pat(instances: Instances) -> None:
    created = await create(instances)
    assert created.pat and created.machine_key is None
    owner = await verify_pat(instances.db, created.pat)
    assert owner == (created.instance_id, created.user_id, created.org_id)
    assert await verify_pat(instances.db, created.pat + "x") is None


async def test_expired_pat_is_rejected(instances: Instances) -> None:
    past = datetime.now(UTC) - timedelta(seconds=1)
    created = await create(instances, owner=MachineOwner(pat=PatRequest(expiration=past)))
    assert await verify_pat(instances.db, created.pat or "") is None


async def test_create_instance_with_machine_key_returns_a_json_key_file(instances: Instances) -> None:
    exp = datetime(2030, 1, 1, tzinfo=UTC)
    created = await create(instances, owner=MachineOwner(machine_key=MachineKeyRequest(expiration=exp)))
    key = json.loads(created.machine_key or b"")
    assert key["type"] == "serviceaccount" and key["userId"] == created.user_id
    assert key["key"].startswith("-----BEGIN RSA PRIVATE KEY-----")
    assert key["expirationDate"] == "2030-01-01T00:00:00Z"
    assert created.pat is None


async def test_machine_key_type_must_be_json(instances: Instances) -> None:
    with pytest.raises(DomainError) as exc:
        await create(instances, owner=MachineOwner(machine_key=MachineKeyRequest(key_type=0)))
    assert_error(exc, Kind.INVALID_ARGUMENT, "INST-K3yTy")


async def test_owner_gets_org_owner_and_iam_owner(instances: Instances, database: Database) -> None:
    created = await create(instances, first_org_name="First Org")
    async with database.read() as conn:
        rows = (await conn.execute(sa.select(m.memberships))).all()
        org_name = (await conn.execute(sa.select(m.orgs.c.name))).scalar_one()
    assert org_name == "First Org"
    assert {(r.level, r.aggregate_id, tuple(r.roles)) for r in rows} == {
        ("org", created.org_id, ("ORG_OWNER",)),
        ("iam", created.instance_id, ("IAM_OWNER",)),
    }


async def test_human_owner_is_stored_with_a_password_hash(instances: Instances, database: Database) -> None:
    owner = HumanOwner(email="a@b.example", first_name="A", last_name="B", password="Secr3t!")
    created = await create(instances, owner=owner)
    assert created.pat is None
    async with database.read() as conn:
        user = (await conn.execute(sa.select(m.users))).one()
        org = (await conn.execute(sa.select(m.orgs))).one()
    assert (user.kind, user.user_name, user.email) == ("human", "a@b.example", "a@b.example")
    assert user.password_hash.startswith("scrypt$") and "Secr3t!" not in user.password_hash
    assert org.name == "Customer A"  # first org defaults to the instance name


async def test_create_instance_without_owner_is_invalid(instances: Instances) -> None:
    with pytest.raises(DomainError) as exc:
        await instances.create_instance(NewInstance(name="x", owner=None))
    assert_error(exc, Kind.INVALID_ARGUMENT, "INST-NoAdm")


async def test_create_instance_with_taken_custom_domain_fails_and_writes_nothing(
    instances: Instances, database: Database
) -> None:
    await create(instances, "one", custom_domain="taken.example")
    with pytest.raises(DomainError) as exc:
        await create(instances, "two", custom_domain="TAKEN.example")
    assert_error(exc, Kind.ALREADY_EXISTS, "INST-i2nl")
    page = await instances.list_instances()
    assert [i.name for i in page.items] == ["one"]
    async with database.read() as conn:
        assert (await conn.execute(sa.select(sa.func.count()).select_from(m.users))).scalar() == 1


async def test_create_instance_rejects_an_invalid_custom_domain(instances: Instances) -> None:
    with pytest.raises(DomainError) as exc:
        await create(instances, custom_domain="bad_domain!.com")
    assert_error(exc, Kind.INVALID_ARGUMENT, "INST-s3v3w")


async def test_add_instance_needs_a_human_owner(instances: Instances) -> None:
    with pytest.raises(DomainError):
        await instances.add_instance(NewInstance(name="x", owner=machine()))
    instance_id, details = await instances.add_instance(
        NewInstance(name="x", owner=HumanOwner(email="h@x.io"))
    )
    assert details.resource_owner == instance_id and details.change_date is None


async def test_concurrent_creates_all_succeed_and_nothing_is_lost(instances: Instances) -> None:
    results = await asyncio.gather(*(create(instances, f"tenant {i}") for i in range(20)))
    ids = {r.instance_id for r in results}
    assert len(ids) == 20
    page = await instances.list_instances()
    assert page.total == 20 and {i.id for i in page.items} == ids
    assert all(len(i.domains) == 1 for i in page.items)
    owners = await asyncio.gather(*(verify_pat(instances.db, r.pat or "") for r in results))
    assert all(o is not None for o in owners)


# --- get / update / remove ---------------------------------------------------------------------------


async def test_get_unknown_instance_is_not_found(instances: Instances) -> None:
    with pytest.raises(DomainError) as exc:
        await instances.get_instance("123")
    assert_error(exc, Kind.NOT_FOUND, "QUERY-1kIjX")
    assert str(exc.value) == "Instance not found (QUERY-1kIjX)"


async def test_update_instance_renames_and_bumps_sequence(instances: Instances) -> None:
    created = await create(instances)
    details = await instances.update_instance(created.instance_id, "Renamed")
    assert details.sequence == created.details.sequence + 1 and details.change_date is not None
    got = await instances.get_instance(created.instance_id)
    assert got.name == "Renamed" and got.details.change_date == details.change_date


@pytest.mark.parametrize(
    ("name", "kind", "error_id"),
    [
        ("", Kind.INVALID_ARGUMENT, "INST-1m88i"),
        ("  ", Kind.INVALID_ARGUMENT, "INST-1m88i"),
        ("Customer A", Kind.FAILED_PRECONDITION, "INST-spx2r"),
    ],
)
async def test_update_instance_rejects_empty_or_unchanged_names(
    instances: Instances, name: str, kind: Kind, error_id: str
) -> None:
    created = await create(instances)
    with pytest.raises(DomainError) as exc:
        await instances.update_instance(created.instance_id, name)
    assert_error(exc, kind, error_id)


async def test_update_unknown_instance_is_not_found(instances: Instances) -> None:
    with pytest.raises(DomainError) as exc:
        await instances.update_instance("404", "x")
    assert exc.value.kind == Kind.NOT_FOUND


async def test_remove_instance_cascades_to_everything_it_owns(
    instances: Instances, database: Database
) -> None:
    keep = await create(instances, "keep", custom_domain="keep.example")
    gone = await create(instances, "gone", custom_domain="gone.example")
    details = await instances.remove_instance(gone.instance_id)
    assert details.resource_owner == gone.instance_id and details.sequence == gone.details.sequence + 1
    with pytest.raises(DomainError):
        await instances.get_instance(gone.instance_id)
    assert not await instances.exists_domain("gone.example")
    assert await verify_pat(database, gone.pat or "") is None
    async with database.read() as conn:
        for table in (m.instance_domains, m.orgs, m.users, m.personal_access_tokens, m.memberships):
            left = (await conn.execute(sa.select(table.c.instance_id))).scalars().all()
            assert set(left) == {keep.instance_id}, table.name
    assert await verify_pat(database, keep.pat or "") is not None


async def test_remove_unknown_instance_is_not_found(instances: Instances) -> None:
    with pytest.raises(DomainError) as exc:
        await instances.remove_instance("404")
    assert_error(exc, Kind.NOT_FOUND, "COMMAND-AE3GS")


# --- list --------------------------------------------------------------------------------------------


@pytest.fixture
async def five(instances: Instances) -> list[str]:
    ids = []
    for name in ("delta", "alpha", "echo", "bravo", "charlie"):
        ids.append((await create(instances, name, custom_domain=f"{name}.example")).instance_id)
    return ids


async def test_list_unspecified_sort_is_creation_order(instances: Instances, five: list[str]) -> None:
    page = await instances.list_instances(ListQuery())
    assert [i.id for i in page.items] == five and page.total == 5


@pytest.mark.parametrize("asc", [True, False])
async def test_list_sorts_by_name(instances: Instances, five: list[str], asc: bool) -> None:
    page = await instances.list_instances(ListQuery(asc=asc), InstanceSort.NAME)
    names = ["alpha", "bravo", "charlie", "delta", "echo"]
    assert [i.name for i in page.items] == (names if asc else names[::-1])


async def test_list_sorts_by_id_and_creation_date(instances: Instances, five: list[str]) -> None:
    by_id = await instances.list_instances(ListQuery(asc=False), InstanceSort.ID)
    assert [i.id for i in by_id.items] == sorted(five, key=int, reverse=True)
    by_date = await instances.list_instances(ListQuery(asc=True), InstanceSort.CREATION_DATE)
    assert [i.id for i in by_date.items] == five


@pytest.mark.parametrize(
    ("offset", "limit", "expected"),
    [
        (0, 2, [0, 1]),
        (2, 2, [2, 3]),
        (4, 2, [4]),
        (5, 2, []),
        (99, 0, []),
        (0, 0, [0, 1, 2, 3, 4]),
        (1, 1000, [1, 2, 3, 4]),
        (2**64 - 1, 1, []),
    ],
)
async def test_list_pagination_edges(
    instances: Instances, five: list[str], offset: int, limit: int, expected: list[int]
) -> None:
    page = await instances.list_instances(ListQuery(offset=offset, limit=limit, asc=True), InstanceSort.ID)
    assert [i.id for i in page.items] == [five[i] for i in expected]
    assert page.total == 5


async def test_list_limit_above_1000_is_invalid(instances: Instances) -> None:
    with pytest.raises(DomainError) as exc:
        await instances.list_instances(ListQuery(limit=1001))
    assert_error(exc, Kind.INVALID_ARGUMENT, "QUERY-4M0fs")


async def test_list_filters_by_ids_and_domains(instances: Instances, five: list[str]) -> None:
    by_ids = await instances.list_instances(filters=[InstanceIdsFilter((five[1], five[3], "nope"))])
    assert {i.id for i in by_ids.items} == {five[1], five[3]} and by_ids.total == 2
    by_domain = await instances.list_instances(filters=[InstanceDomainsFilter(("ECHO.example", "x.example"))])
    assert [i.name for i in by_domain.items] == ["echo"] and by_domain.total == 1
    both = await instances.list_instances(
        filters=[InstanceIdsFilter((five[0],)), InstanceDomainsFilter(("echo.example",))]
    )
    assert both.items == [] and both.total == 0


# --- bootstrap ---------------------------------------------------------------------------------------


async def test_bootstrap_creates_the_first_instance_on_the_external_host_once(instances: Instances) -> None:
    result = await bootstrap_first_instance(instances, "LocalHost")
    assert result is not None and result.domain == "localhost"
    instance = await instances.get_instance(result.instance_id)
    assert [(d.domain, d.primary, d.generated) for d in instance.domains] == [("localhost", True, True)]
    assert await verify_pat(instances.db, result.pat) == (result.instance_id, result.user_id, result.org_id)
    assert await bootstrap_first_instance(instances, "localhost") is None


async def test_bootstrap_does_nothing_when_an_instance_exists(instances: Instances) -> None:
    await create(instances)
    assert await bootstrap_first_instance(instances, "localhost") is None


async def test_concurrent_bootstraps_create_exactly_one_instance(database_url: str) -> None:
    from ztn.store.db import open_database

    dbs = [await open_database(database_url) for _ in range(4)]
    try:
        await dbs[0].migrate()
        results = await asyncio.gather(
            *(bootstrap_first_instance(Instances(db, InstanceConfig(BASE)), "auth.example.com") for db in dbs)
        )
        assert sum(r is not None for r in results) == 1
        assert (await Instances(dbs[0], InstanceConfig(BASE)).list_instances()).total == 1
    finally:
        for db in dbs:
            await db.close()
