"""SQLite reads on the sync read connection, and the GetInstance memo's invalidation.

Two ``Database`` objects on one file stand for two worker processes: each has its own read
connection, so a write through one must be seen by the other's very next read.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest
import sqlalchemy as sa
from sqlalchemy import event

from fixtures_db import backend
from ztn.domain.errors import DomainError
from ztn.domain.instances import InstanceConfig, Instances
from ztn.domain.models import MachineOwner, NewInstance, PatRequest
from ztn.store.db import Database, SyncReadConnection, open_database

pytestmark = pytest.mark.skipif(backend() == "postgres", reason="SQLite read path")


@pytest.fixture
async def two(database_url: str) -> AsyncIterator[tuple[Instances, Instances, Database]]:
    a, b = await open_database(database_url), await open_database(database_url)
    await a.migrate()
    try:
        yield Instances(a, InstanceConfig("example.com")), Instances(b, InstanceConfig("example.com")), a
    finally:
        await a.close()
        await b.close()


async def create(instances: Instances, name: str = "memo") -> str:
    created = await instances.create_instance(NewInstance(name=name, owner=MachineOwner(pat=PatRequest())))
    return created.instance_id


def count_selects(db: Database) -> list[str]:
    statements: list[str] = []
    engine = db._read_engine
    assert engine is not None

    @event.listens_for(engine, "before_cursor_execute")
    def _count(_conn, _cursor, statement, *_args) -> None:  # noqa: ANN001
        statements.append(statement)

    return statements


async def test_reads_use_a_query_only_sync_connection(database: Database) -> None:
    async with database.read() as conn:
        assert isinstance(conn, SyncReadConnection)
        assert (await conn.execute(sa.text("PRAGMA query_only"))).scalar() == 1
        with pytest.raises(sa.exc.OperationalError):
            await conn.execute(sa.text("CREATE TABLE nope (x INTEGER)"))


async def test_a_repeated_get_instance_is_served_without_a_query(two) -> None:  # noqa: ANN001
    a, _, db = two
    iid = await create(a)
    selects = count_selects(db)
    first = await a.get_instance(iid)
    assert len(selects) == 1
    assert await a.get_instance(iid) is first
    assert len(selects) == 1


async def test_writes_from_this_and_another_process_are_seen_at_once(two) -> None:  # noqa: ANN001
    a, b, _ = two
    iid = await create(a)
    assert (await a.get_instance(iid)).name == "memo"
    await a.update_instance(iid, "renamed here")
    assert (await a.get_instance(iid)).name == "renamed here"
    await b.update_instance(iid, "renamed there")
    assert (await a.get_instance(iid)).name == "renamed there"
    await b.add_domain(iid, "extra.memo.test")
    assert "extra.memo.test" in [d.domain for d in (await a.get_instance(iid)).domains]
    await b.remove_instance(iid)
    with pytest.raises(DomainError):
        await a.get_instance(iid)


async def test_a_read_suspended_mid_transaction_does_not_block_others(two) -> None:  # noqa: ANN001
    a, _, db = two
    iid = await create(a)
    entered, release = asyncio.Event(), asyncio.Event()

    async def slow_reader() -> str:
        async with db.read() as conn:
            entered.set()
            await release.wait()  # holds its read transaction open across an await
            return (await conn.execute(sa.text("SELECT name FROM instances"))).scalar_one()

    task = asyncio.create_task(slow_reader())
    await entered.wait()
    assert (await a.get_instance(iid)).name == "memo"  # a second read connection serves this one
    release.set()
    assert await task == "memo"


async def test_a_read_that_fails_leaves_no_stale_snapshot_behind(two) -> None:  # noqa: ANN001
    a, b, db = two
    iid = await create(a)
    for failing in ("SELECT name FROM instances", "SELECT no_such_column FROM instances"):
        with pytest.raises((RuntimeError, sa.exc.OperationalError)):
            async with db.read() as conn:
                await conn.execute(sa.text(failing))
                raise RuntimeError("domain error inside the read")
        await b.update_instance(iid, f"after {failing}")
        assert (await a.get_instance(iid)).name == f"after {failing}"
