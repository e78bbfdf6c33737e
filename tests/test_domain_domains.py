"""Instance domains: add/remove/set primary/exists rules, and ListDomains filters and sorting."""

from __future__ import annotations

import pytest

from ztn.domain.domain_names import normalize_domain, slugify
from ztn.domain.errors import DomainError, Kind
from ztn.domain.instances import InstanceConfig, Instances
from ztn.domain.models import (
    DomainGeneratedFilter,
    DomainPrimaryFilter,
    DomainSort,
    DomainTextFilter,
    ListQuery,
    MachineOwner,
    NewInstance,
    TextMethod,
)
from ztn.store.db import Database


@pytest.fixture
def instances(database: Database) -> Instances:
    return Instances(database, InstanceConfig(base_domain="base.test"))


@pytest.fixture
async def instance_id(instances: Instances) -> str:
    created = await instances.create_instance(NewInstance(name="Acme", owner=MachineOwner()))
    for domain in ("login.acme.com", "api.acme.com", "acme.org"):
        await instances.add_domain(created.instance_id, domain)
    return created.instance_id


def names(page) -> list[str]:
    return [d.domain for d in page.items]


def test_domain_names_are_lowercased_and_validated() -> None:
    assert normalize_domain(" Login.Example.COM ") == "login.example.com"
    for bad in (
        "",
        "-a.com",
        "a..com",
        "a_b.com",
        "a.com/",
        "é.com",
        "a" * 64 + ".com",
        ("a." * 127) + "com",
    ):
        with pytest.raises(DomainError) as exc:
            normalize_domain(bad)
        assert exc.value.kind == Kind.INVALID_ARGUMENT
    assert slugify("Customer A / Ünicode!") == "customer-a-nicode"
    assert slugify("!!!") == "instance"


async def test_add_domain_details_and_sequence(instances: Instances, instance_id: str) -> None:
    before = (await instances.get_instance(instance_id)).details.sequence
    details = await instances.add_domain(instance_id, "New.Acme.com")
    assert details.sequence == before + 1 and details.creation_date is not None
    assert details.resource_owner == instance_id
    assert await instances.exists_domain("NEW.acme.COM")


async def test_add_domain_taken_by_any_instance_already_exists(
    instances: Instances, instance_id: str
) -> None:
    other = await instances.create_instance(NewInstance(name="Other", owner=MachineOwner()))
    for target in (instance_id, other.instance_id):
        with pytest.raises(DomainError) as exc:
            await instances.add_domain(target, "LOGIN.acme.com")
        assert (exc.value.kind, exc.value.id) == (Kind.ALREADY_EXISTS, "INST-i2nl")


async def test_add_domain_to_unknown_instance_is_not_found(instances: Instances) -> None:
    with pytest.raises(DomainError) as exc:
        await instances.add_domain("404", "x.example")
    assert exc.value.kind == Kind.NOT_FOUND


async def test_remove_domain(instances: Instances, instance_id: str) -> None:
    details = await instances.remove_domain(instance_id, "API.acme.com")
    assert details.change_date is not None
    assert not await instances.exists_domain("api.acme.com")


async def test_generated_and_primary_domains_cannot_be_removed(
    instances: Instances, instance_id: str
) -> None:
    generated = (await instances.list_domains(instance_id, filters=[DomainGeneratedFilter(True)])).items[0]
    with pytest.raises(DomainError) as exc:
        await instances.remove_domain(instance_id, generated.domain)
    assert (exc.value.kind, exc.value.id) == (Kind.FAILED_PRECONDITION, "INST-9mSsd")
    await instances.set_primary_domain(instance_id, "acme.org")
    with pytest.raises(DomainError) as exc:
        await instances.remove_domain(instance_id, "acme.org")
    assert (exc.value.kind, exc.value.id) == (Kind.FAILED_PRECONDITION, "INST-1zd9s")


async def test_remove_unknown_domain_is_not_found(instances: Instances, instance_id: str) -> None:
    with pytest.raises(DomainError) as exc:
        await instances.remove_domain(instance_id, "nope.acme.com")
    assert (exc.value.kind, exc.value.id) == (Kind.NOT_FOUND, "INST-8ls9f")


async def test_set_primary_domain_moves_the_flag(instances: Instances, instance_id: str) -> None:
    details = await instances.set_primary_domain(instance_id, "Acme.org")
    primaries = await instances.list_domains(instance_id, filters=[DomainPrimaryFilter(True)])
    assert names(primaries) == ["acme.org"]
    assert primaries.items[0].details.sequence == details.sequence
    with pytest.raises(DomainError) as exc:
        await instances.set_primary_domain(instance_id, "nope.acme.com")
    assert exc.value.kind == Kind.NOT_FOUND


async def test_exists_domain_is_case_insensitive_over_all_instances(
    instances: Instances, instance_id: str
) -> None:
    assert await instances.exists_domain("LOGIN.ACME.COM")
    assert not await instances.exists_domain("login.acme")


async def test_list_domains_details(instances: Instances, instance_id: str) -> None:
    page = await instances.list_domains(instance_id)
    assert page.total == 4 and page.view_timestamp is not None
    assert page.processed_sequence == (await instances.get_instance(instance_id)).details.sequence
    assert page.items[0].generated and page.items[0].primary  # default order: creation


async def test_list_domains_of_unknown_instance_is_not_found(instances: Instances) -> None:
    with pytest.raises(DomainError) as exc:
        await instances.list_domains("404")
    assert exc.value.kind == Kind.NOT_FOUND


@pytest.mark.parametrize(
    ("value", "method", "expected"),
    [
        ("acme.org", TextMethod.EQUALS, ["acme.org"]),
        ("ACME.org", TextMethod.EQUALS, []),
        ("ACME.org", TextMethod.EQUALS_IGNORE_CASE, ["acme.org"]),
        ("api", TextMethod.STARTS_WITH, ["api.acme.com"]),
        ("API", TextMethod.STARTS_WITH_IGNORE_CASE, ["api.acme.com"]),
        ("acme.", TextMethod.CONTAINS, ["acme.org", "api.acme.com", "login.acme.com"]),
        ("ACME.C", TextMethod.CONTAINS_IGNORE_CASE, ["api.acme.com", "login.acme.com"]),
        (".com", TextMethod.ENDS_WITH, ["api.acme.com", "login.acme.com"]),
        (".ORG", TextMethod.ENDS_WITH_IGNORE_CASE, ["acme.org"]),
        ("%", TextMethod.CONTAINS, []),
        ("_", TextMethod.CONTAINS, []),
    ],
)
async def test_list_domains_text_filters(
    instances: Instances, instance_id: str, value: str, method: TextMethod, expected: list[str]
) -> None:
    page = await instances.list_domains(
        instance_id, ListQuery(asc=True), DomainSort.DOMAIN, [DomainTextFilter(value, method)]
    )
    assert names(page) == expected and page.total == len(expected)


async def test_list_domains_generated_and_primary_filters(instances: Instances, instance_id: str) -> None:
    custom = await instances.list_domains(
        instance_id, ListQuery(asc=True), DomainSort.DOMAIN, [DomainGeneratedFilter(False)]
    )
    assert names(custom) == ["acme.org", "api.acme.com", "login.acme.com"]
    none = await instances.list_domains(
        instance_id, filters=[DomainGeneratedFilter(False), DomainPrimaryFilter(True)]
    )
    assert none.items == [] and none.total == 0


async def test_list_domains_sorting_and_paging(instances: Instances, instance_id: str) -> None:
    desc = await instances.list_domains(instance_id, ListQuery(asc=False), DomainSort.DOMAIN)
    assert names(desc) == sorted(names(desc), reverse=True)
    by_generated = await instances.list_domains(instance_id, ListQuery(asc=False), DomainSort.GENERATED)
    assert by_generated.items[0].generated and not any(d.generated for d in by_generated.items[1:])
    second = await instances.list_domains(
        instance_id, ListQuery(offset=1, limit=2, asc=True), DomainSort.DOMAIN
    )
    assert names(second) == sorted(names(desc))[1:3] and second.total == 4
    with pytest.raises(DomainError) as exc:
        await instances.list_domains(instance_id, ListQuery(limit=1001))
    assert exc.value.id == "QUERY-4M0fs"
