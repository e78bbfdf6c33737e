"""The SQLite snapshot caches (caller and ListApps pages) never serve what another process changed.

Two ``Database`` objects on one file stand for two worker processes: each has its own read
connection and caches, so a commit through one must be seen by the other's very next read.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from fixtures_db import backend
from ztn.domain.access import Access, Requirement, Target
from ztn.domain.apps import Apps
from ztn.domain.errors import DomainError
from ztn.domain.instances import InstanceConfig, Instances
from ztn.domain.models import MachineOwner, NewInstance, PatRequest
from ztn.domain.project_models import ApiConfig, OrgScope, ProjectSpec
from ztn.domain.projects import Projects
from ztn.store.db import Database, open_database

pytestmark = pytest.mark.skipif(backend() == "postgres", reason="the caches exist on SQLite only")


@pytest.fixture
async def two(database_url: str) -> AsyncIterator[tuple[Database, Database]]:
    a, b = await open_database(database_url), await open_database(database_url)
    await a.migrate()
    try:
        yield a, b
    finally:
        await a.close()
        await b.close()


async def test_a_cached_caller_is_dropped_when_another_process_removes_its_instance(two):
    a, b = two
    created = await Instances(a, InstanceConfig("example.com")).create_instance(
        NewInstance(name="cached", owner=MachineOwner(pat=PatRequest()))
    )
    instance = await Instances(a, InstanceConfig("example.com")).get_instance(created.instance_id)
    target = Target(host=instance.domains[0].domain)
    access = Access(a)
    for _ in range(2):  # the second resolve is a cache hit
        caller = await access.resolve(target, created.pat, "", Requirement("iam.read"))
        assert caller.instance_id == created.instance_id

    await Instances(b, InstanceConfig("example.com")).remove_instance(created.instance_id)

    with pytest.raises(DomainError) as err:
        await access.resolve(target, created.pat, "", Requirement("iam.read"))
    assert err.value.kind.name == "NOT_FOUND"


async def test_a_cached_apps_page_shows_an_app_another_process_added(two):
    a, b = two
    created = await Instances(a, InstanceConfig("example.com")).create_instance(
        NewInstance(name="pages", owner=MachineOwner(pat=PatRequest()))
    )
    scope = OrgScope(created.instance_id, created.org_id)
    project_id, _ = await Projects(a).add(scope, ProjectSpec(name="p"))
    await Apps(a).add_api(scope, project_id, "first", ApiConfig())
    apps_a = Apps(a)
    for _ in range(2):  # the second list is a cache hit
        assert [x.name for x in (await apps_a.list(scope, project_id)).items] == ["first"]

    await Apps(b).add_api(scope, project_id, "second", ApiConfig())

    page = await apps_a.list(scope, project_id)
    assert [x.name for x in page.items] == ["first", "second"]
    assert page.total == 2
