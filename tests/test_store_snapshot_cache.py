"""Snapshot caches on both backends; on PostgreSQL, invalidation by NOTIFY/LISTEN across processes.

Two ``Database`` objects on one database stand for two worker processes. On SQLite another process's
commit is seen by the very next read; on PostgreSQL once its notification arrived, so those checks
poll with a bounded wait (never a timing assertion). A process's own writes are seen at once on both.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import TypeVar

import psycopg
import pytest
import sqlalchemy as sa

from fixtures_db import backend
from ztn.domain.access import Access, Requirement, Target
from ztn.domain.apps import Apps
from ztn.domain.errors import DomainError
from ztn.domain.instances import InstanceConfig, Instances
from ztn.domain.models import MachineOwner, NewInstance, PatRequest
from ztn.domain.project_models import ApiConfig, OrgScope, ProjectSpec
from ztn.domain.projects import Projects
from ztn.store.db import Database, open_database

T = TypeVar("T")
WAIT_S = 10.0  # generous bound for a notification to arrive on a loaded machine
postgres_only = pytest.mark.skipif(backend() != "postgres", reason="NOTIFY/LISTEN invalidation")


@pytest.fixture
async def two(database_url: str) -> AsyncIterator[tuple[Database, Database]]:
    a, b = await open_database(database_url), await open_database(database_url)
    await a.migrate()
    try:
        await until(lambda: _ready(a), lambda ok: ok)
        await until(lambda: _ready(b), lambda ok: ok)
        yield a, b
    finally:
        await a.close()
        await b.close()


async def _ready(db: Database) -> bool:
    return db.caching or not db.is_postgres  # SQLite file databases cache per data_version


async def until(probe: Callable[[], Awaitable[T]], done: Callable[[T], bool]) -> T:
    """``probe()`` until ``done`` holds for its value (fails after WAIT_S): another process's change
    reaches a PostgreSQL cache only once its notification has arrived."""
    deadline = asyncio.get_running_loop().time() + WAIT_S
    while True:
        value = await probe()
        if done(value) or asyncio.get_running_loop().time() > deadline:
            assert done(value), f"still {value!r} after {WAIT_S} s"
            return value
        await asyncio.sleep(0.01)


def instances(db: Database) -> Instances:
    return Instances(db, InstanceConfig("example.com"))


async def create(db: Database, name: str = "memo") -> str:
    owner = MachineOwner(pat=PatRequest())
    return (await instances(db).create_instance(NewInstance(name=name, owner=owner))).instance_id


async def test_a_repeated_get_instance_is_served_from_the_cache(two) -> None:  # noqa: ANN001
    a, _ = two
    iid = await create(a)
    first = await instances(a).get_instance(iid)
    assert await instances(a).get_instance(iid) is first


async def test_own_writes_at_once_other_process_writes_after_the_notification(two) -> None:  # noqa: ANN001
    a, b = two
    iid = await create(a)
    assert (await instances(a).get_instance(iid)).name == "memo"
    await instances(a).update_instance(iid, "renamed here")
    assert (await instances(a).get_instance(iid)).name == "renamed here"  # no waiting: read-your-writes
    await instances(b).update_instance(iid, "renamed there")
    await until(lambda: instances(a).get_instance(iid), lambda i: i.name == "renamed there")


async def test_a_cached_caller_is_dropped_when_another_process_removes_its_instance(two) -> None:  # noqa: ANN001
    a, b = two
    created = await instances(a).create_instance(
        NewInstance(name="cached", owner=MachineOwner(pat=PatRequest()))
    )
    instance = await instances(a).get_instance(created.instance_id)
    target, access = Target(host=instance.domains[0].domain), Access(a)
    for _ in range(2):  # the second resolve is a cache hit
        caller = await access.resolve(target, created.pat, "", Requirement("iam.read"))
        assert caller.instance_id == created.instance_id

    await instances(b).remove_instance(created.instance_id)

    async def resolve() -> str:
        try:
            await access.resolve(target, created.pat, "", Requirement("iam.read"))
        except DomainError as err:
            return err.kind.name
        return "resolved"

    await until(resolve, lambda outcome: outcome == "NOT_FOUND")


async def test_a_cached_apps_page_shows_an_app_another_process_added(two) -> None:  # noqa: ANN001
    a, b = two
    owner = MachineOwner(pat=PatRequest())
    created = await instances(a).create_instance(NewInstance(name="pages", owner=owner))
    scope = OrgScope(created.instance_id, created.org_id)
    project_id, _ = await Projects(a).add(scope, ProjectSpec(name="p"))
    await Apps(a).add_api(scope, project_id, "first", ApiConfig())
    apps_a = Apps(a)
    for _ in range(2):  # the second list is a cache hit
        assert [x.name for x in (await apps_a.list(scope, project_id)).items] == ["first"]

    await Apps(b).add_api(scope, project_id, "second", ApiConfig())

    page = await until(lambda: apps_a.list(scope, project_id), lambda p: p.total == 2)
    assert [x.name for x in page.items] == ["first", "second"]


@postgres_only
async def test_reads_run_in_autocommit_and_a_cache_hit_checks_out_no_connection(two) -> None:  # noqa: ANN001
    a, _ = two
    iid = await create(a)
    await instances(a).get_instance(iid)
    checkouts: list[object] = []

    def count(*args: object) -> None:
        checkouts.append(args)

    sa.event.listen(a.engine.sync_engine, "checkout", count)
    try:
        await instances(a).get_instance(iid)
        assert checkouts == []
        async with a.read() as conn:
            assert (await conn.execute(sa.text("SELECT 1"))).scalar() == 1
            raw = await (await conn.connection()).get_raw_connection()
            assert raw.driver_connection.info.transaction_status == psycopg.pq.TransactionStatus.IDLE
        assert len(checkouts) == 1
    finally:
        sa.event.remove(a.engine.sync_engine, "checkout", count)


@postgres_only
async def test_caching_is_off_while_the_listener_is_down_and_back_after_it_reconnects(two) -> None:  # noqa: ANN001
    a, b = two
    iid = await create(a)
    gate = asyncio.Event()

    async def held(_pause: float) -> None:
        await gate.wait()

    a.reconnect_pause = held
    pid = a.listener_pid
    assert pid is not None
    async with b.read() as conn:
        await conn.execute(sa.text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
    await until(lambda: _ready(a), lambda listening: not listening)

    first = await instances(a).get_instance(iid)
    assert await instances(a).get_instance(iid) is not first  # every read goes to the database
    async with a.read() as conn:
        conn.snapshot_cache("probe")["k"] = 1
    async with a.read() as conn:
        assert conn.snapshot_cache("probe") == {}
    # No notification can reach A now, yet its next read sees B's write.
    await instances(b).update_instance(iid, "while down")
    assert (await instances(a).get_instance(iid)).name == "while down"

    gate.set()
    await until(lambda: _ready(a), lambda listening: listening)
    assert a.listener_pid not in (None, pid)
    first = await instances(a).get_instance(iid)
    assert await instances(a).get_instance(iid) is first  # caching is back on
    await instances(b).update_instance(iid, "after reconnect")  # and invalidated by notifications
    await until(lambda: instances(a).get_instance(iid), lambda i: i.name == "after reconnect")


@postgres_only
async def test_notifications_are_sent_only_by_committed_writes(two) -> None:  # noqa: ANN001
    a, _ = two
    url = a.engine.url.set(drivername="postgresql").render_as_string(hide_password=False)
    async with await psycopg.AsyncConnection.connect(url, autocommit=True) as listener:
        await listener.execute("LISTEN ztn_changes")
        with pytest.raises(RuntimeError):
            async with a.write() as conn:
                await conn.execute(sa.text("SELECT 1"))
                raise RuntimeError("rolled back")
        async with a.write() as conn:
            await conn.execute(sa.text("SELECT 1"))
        notes = [n async for n in listener.notifies(timeout=WAIT_S, stop_after=1)]
        assert [n.channel for n in notes] == ["ztn_changes"]
        # The rolled-back one would have arrived first; nothing else is queued behind the commit.
        assert [n async for n in listener.notifies(timeout=0.2)] == []
