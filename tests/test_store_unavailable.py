"""A locked or lost database is a retryable UNAVAILABLE, never a 500; writers of one process queue fairly."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

import grpc
import pytest

from ztn.domain.instances import InstanceConfig, Instances
from ztn.domain.models import MachineOwner, NewInstance
from ztn.services.errors import DomainErrorMiddleware
from ztn.store import db as store_db
from ztn.store.db import open_database
from ztn.store.errors import StoreUnavailable


async def test_a_write_locked_past_the_busy_timeout_is_store_unavailable(tmp_path: Path, monkeypatch):
    monkeypatch.setattr(store_db, "BUSY_TIMEOUT_MS", 100)
    path = tmp_path / "ztn.db"
    database = await open_database(f"sqlite:///{path}")
    await database.migrate()
    instances = Instances(database, InstanceConfig("example.com"))
    other_process = sqlite3.connect(path, isolation_level=None)
    other_process.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(StoreUnavailable):
            await instances.create_instance(NewInstance(name="blocked", owner=MachineOwner(user_name="sa")))
    finally:
        other_process.execute("ROLLBACK")
        other_process.close()
    created = await instances.create_instance(NewInstance(name="after", owner=MachineOwner(user_name="sa")))
    assert (await instances.get_instance(created.instance_id)).name == "after"
    await database.close()


async def test_many_writers_of_one_process_all_succeed_while_another_process_holds_the_lock(tmp_path: Path):
    path = tmp_path / "ztn.db"
    database = await open_database(f"sqlite:///{path}")
    await database.migrate()
    instances = Instances(database, InstanceConfig("example.com"))
    other_process = sqlite3.connect(path, isolation_level=None)
    other_process.execute("BEGIN IMMEDIATE")
    creates = [
        asyncio.create_task(
            instances.create_instance(NewInstance(name=f"q{i}", owner=MachineOwner(user_name="sa")))
        )
        for i in range(16)
    ]
    await asyncio.sleep(0.5)
    other_process.execute("COMMIT")
    other_process.close()
    created = await asyncio.gather(*creates)
    assert len({c.instance_id for c in created}) == 16
    await database.close()


class _AbortingContext:
    def __init__(self) -> None:
        self.aborted: tuple[grpc.StatusCode, str] | None = None

    async def abort(self, code, details="", trailing_metadata=()):
        self.aborted = (code, details)
        raise grpc.aio.AbortError()


async def test_store_unavailable_is_answered_unavailable():
    async def handler(request, context):
        raise StoreUnavailable("database is locked")

    wrapped = DomainErrorMiddleware().wrap(type("M", (), {"path": "/x.Y/Z"})(), handler)
    context = _AbortingContext()
    with pytest.raises(grpc.aio.AbortError):
        await wrapped(object(), context)
    assert context.aborted == (grpc.StatusCode.UNAVAILABLE, "database unavailable, try again")
