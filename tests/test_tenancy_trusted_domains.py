"""Trusted domains (domain API used by the Instance service), on both backends."""

from __future__ import annotations

import pytest

from ztn.domain.errors import DomainError
from ztn.domain.instances import InstanceConfig, Instances
from ztn.domain.models import DomainTextFilter, ListQuery, MachineOwner, NewInstance, TextMethod
from ztn.domain.trusted_domains import TrustedDomains, TrustedDomainSort


async def new_instance(db, name: str) -> str:
    instances = Instances(db, InstanceConfig(base_domain="example.test"))
    return (await instances.create_instance(NewInstance(name=name, owner=MachineOwner()))).instance_id


async def test_add_list_remove(database) -> None:
    a, b = await new_instance(database, "a"), await new_instance(database, "b")
    trusted = TrustedDomains(database)
    added = await trusted.add(a, "  Login.Example.COM ")
    assert (added.instance_id, added.domain) == (a, "login.example.com")
    await trusted.add(a, "auth.example.org")
    await trusted.add(b, "login.example.com")  # not unique across instances
    page = await trusted.list(a)
    assert [d.domain for d in page.items] == ["login.example.com", "auth.example.org"]  # creation order
    assert page.total == 2 and page.processed_sequence > 0 and page.view_timestamp is not None
    page = await trusted.list(a, ListQuery(asc=True), sort=TrustedDomainSort.DOMAIN)
    assert [d.domain for d in page.items] == ["auth.example.org", "login.example.com"]
    page = await trusted.list(a, ListQuery(limit=1), sort=TrustedDomainSort.DOMAIN)
    assert [d.domain for d in page.items] == ["login.example.com"] and page.total == 2
    page = await trusted.list(a, filters=[DomainTextFilter("EXAMPLE.ORG", TextMethod.ENDS_WITH_IGNORE_CASE)])
    assert [d.domain for d in page.items] == ["auth.example.org"]
    assert await trusted.is_trusted(a, "LOGIN.example.com")
    await trusted.remove(a, "LOGIN.example.com")
    assert not await trusted.is_trusted(a, "login.example.com")
    assert await trusted.is_trusted(b, "login.example.com")


@pytest.mark.parametrize(
    ("domain", "error_id"),
    [("", "COMMA-Stk21"), ("  ", "COMMA-Stk21"), ("bad_domain!", "COMMA-S3v3w"), ("a" * 254, "COMMA-Stk21")],
)
async def test_invalid_domains(database, domain: str, error_id: str) -> None:
    a = await new_instance(database, "a")
    with pytest.raises(DomainError) as err:
        await TrustedDomains(database).add(a, domain)
    assert err.value.id == error_id and err.value.kind.value == "INVALID_ARGUMENT"


async def test_errors_and_instance_removal(database) -> None:
    a = await new_instance(database, "a")
    trusted = TrustedDomains(database)
    await trusted.add(a, "login.example.com")
    with pytest.raises(DomainError) as err:
        await trusted.add(a, "LOGIN.example.com")
    assert err.value.id == "COMMA-hg42a"
    with pytest.raises(DomainError) as err:
        await trusted.remove(a, "other.example.com")
    assert (err.value.id, err.value.kind.value) == ("COMMA-de3z9", "NOT_FOUND")
    for call in (trusted.add("404", "x.example.com"), trusted.list("404"), trusted.remove("404", "x.com")):
        with pytest.raises(DomainError) as err:
            await call
        assert err.value.id == "QUERY-1kIjX"
    with pytest.raises(DomainError) as err:
        await trusted.list(a, ListQuery(limit=1001))
    assert err.value.id == "QUERY-4M0fs"
    await Instances(database, InstanceConfig(base_domain="example.test")).remove_instance(a)
    assert not await trusted.is_trusted(a, "login.example.com")
