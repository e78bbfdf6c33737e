"""SQLite file databases: the writers of several processes take turns on an OS lock (ProcessTurns).

Two ``Database`` objects on one file stand for two processes (``flock`` locks belong to open files, so
they exclude each other within one process too).
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
import sqlalchemy as sa

from ztn.store import db as store_db
from ztn.store.db import open_database
from ztn.store.errors import StoreUnavailable


async def two_processes(tmp_path: Path):
    url = f"sqlite:///{tmp_path / 'ztn.db'}"
    a, b = await open_database(url), await open_database(url)
    await a.migrate()
    return a, b


async def count_instances(db) -> int:
    async with db.read() as conn:
        return (await conn.execute(sa.text("SELECT count(*) FROM hc_secrets"))).scalar_one()


async def insert_secret(conn, name: str) -> None:
    await conn.execute(sa.text("INSERT INTO hc_secrets (name, value) VALUES (:n, 'v')"), {"n": name})


async def test_a_writer_waits_for_the_other_process_and_goes_right_after(tmp_path: Path) -> None:
    a, b = await two_processes(tmp_path)
    try:
        assert (tmp_path / "ztn.db-write.lock").exists()
        order: list[str] = []
        async with a.write() as conn:
            await insert_secret(conn, "a")

            async def other() -> None:
                async with b.write() as conn_b:
                    order.append("b")
                    await insert_secret(conn_b, "b")

            waiting = asyncio.create_task(other())
            await asyncio.sleep(0.05)
            assert not waiting.done()  # queued on the turn, not failing on SQLITE_BUSY
            order.append("a")
        await waiting
        assert order == ["a", "b"] and await count_instances(b) == 2
    finally:
        await a.close()
        await b.close()


async def test_a_turn_not_given_within_the_busy_timeout_is_store_unavailable(
    tmp_path: Path, monkeypatch
) -> None:
    a, b = await two_processes(tmp_path)
    monkeypatch.setattr(store_db, "BUSY_TIMEOUT_MS", 100)
    try:
        async with a.write() as conn:
            await insert_secret(conn, "a")
            with pytest.raises(StoreUnavailable):
                async with b.write() as conn_b:
                    await insert_secret(conn_b, "lost")
        # The abandoned wait gave the lock back once it got it: both can write again.
        for db, name in ((b, "b"), (a, "a2"), (b, "b2")):
            async with db.write() as conn:
                await insert_secret(conn, name)
        assert await count_instances(a) == 4
    finally:
        await a.close()
        await b.close()


async def test_a_cancelled_waiter_does_not_keep_the_turn(tmp_path: Path) -> None:
    a, b = await two_processes(tmp_path)
    try:

        async def write(db, name: str) -> None:
            async with db.write() as conn:
                await insert_secret(conn, name)

        async with a.write() as conn:
            await insert_secret(conn, "a")
            waiting = asyncio.create_task(write(b, "never"))
            await asyncio.sleep(0.05)
            waiting.cancel()
            with pytest.raises(asyncio.CancelledError):
                await waiting
        await asyncio.wait_for(write(a, "a2"), 5)
        await asyncio.wait_for(write(b, "b"), 5)
        assert await count_instances(a) == 3
    finally:
        await a.close()
        await b.close()
