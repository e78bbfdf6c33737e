"""The database layer: URL normalisation, migrations, ping, restart, events and sequences."""

from __future__ import annotations

import asyncio

import pytest
import sqlalchemy as sa

from ztn.domain.instances import InstanceConfig, Instances
from ztn.domain.models import MachineOwner, NewInstance, PatRequest
from ztn.store import models as m
from ztn.store.db import Database, normalize_url, open_database


def _migration_heads() -> list[str]:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    from ztn.store import db as store_db

    cfg = Config()
    cfg.set_main_option("script_location", str(store_db._MIGRATIONS))
    return ScriptDirectory.from_config(cfg).get_heads()


@pytest.mark.parametrize(
    ("url", "driver"),
    [
        ("sqlite:///data/ztn.db", "sqlite+aiosqlite"),
        ("postgresql://u@h/db", "postgresql+psycopg"),
        ("postgresql+psycopg2://u@h/db", "postgresql+psycopg"),
        ("postgresql+psycopg://u@h/db", "postgresql+psycopg"),
        ("postgres://u@h:5433/db", "postgresql+psycopg"),
    ],
)
def test_urls_are_normalised_to_the_async_drivers(url: str, driver: str) -> None:
    assert normalize_url(url).drivername == driver


def test_unknown_url_scheme_is_rejected() -> None:
    with pytest.raises(ValueError):
        normalize_url("mysql://u@h/db")


async def test_ping_answers_true_on_a_live_database(database: Database) -> None:
    assert await database.ping() is True


async def test_ping_answers_false_when_the_database_is_unreachable() -> None:
    db = await open_database("postgresql://postgres@127.0.0.1:1/none")
    try:
        assert await db.ping() is False
    finally:
        await db.close()


async def test_migrate_is_idempotent_and_safe_when_run_concurrently(database_url: str) -> None:
    dbs = [await open_database(database_url) for _ in range(4)]
    try:
        await asyncio.gather(*(db.migrate() for db in dbs))
        await dbs[0].migrate()
        async with dbs[0].read() as conn:
            versions = set((await conn.execute(sa.text("SELECT version_num FROM alembic_version"))).scalars())
        assert versions == set(_migration_heads())  # one row per branch head (features branch off 0001)
    finally:
        for db in dbs:
            await db.close()


async def test_sqlite_connections_enforce_foreign_keys_and_use_wal(database: Database) -> None:
    if database.dialect != "sqlite":
        pytest.skip("SQLite pragmas")
    async with database.read() as conn:
        assert (await conn.execute(sa.text("PRAGMA foreign_keys"))).scalar() == 1
        assert (await conn.execute(sa.text("PRAGMA journal_mode"))).scalar() == "wal"
        assert (await conn.execute(sa.text("PRAGMA busy_timeout"))).scalar() == 30000


async def test_data_survives_close_and_reopen(database_url: str) -> None:
    db = await open_database(database_url)
    await db.migrate()
    created = await Instances(db, InstanceConfig("example.com")).create_instance(
        NewInstance(name="durable", owner=MachineOwner(pat=PatRequest()))
    )
    await db.close()

    db = await open_database(database_url)
    try:
        await db.migrate()
        again = await Instances(db, InstanceConfig("example.com")).get_instance(created.instance_id)
        assert again.name == "durable"
        assert again.details.sequence == created.details.sequence
    finally:
        await db.close()


async def test_every_aggregate_has_a_gap_free_sequence_matching_its_row(database: Database) -> None:
    instances = Instances(database, InstanceConfig("example.com"))
    created = await instances.create_instance(NewInstance(name="seq", owner=MachineOwner(pat=PatRequest())))
    await instances.add_domain(created.instance_id, "a.seq.test")
    await instances.update_instance(created.instance_id, "seq2")
    async with database.read() as conn:
        rows = (
            await conn.execute(
                sa.select(m.events.c.aggregate_id, m.events.c.sequence, m.events.c.aggregate_type)
                .where(m.events.c.instance_id == created.instance_id)
                .order_by(m.events.c.aggregate_id, m.events.c.sequence)
            )
        ).all()
        per_aggregate: dict[str, list[int]] = {}
        for row in rows:
            per_aggregate.setdefault(row.aggregate_id, []).append(row.sequence)
        assert set(per_aggregate) == {created.instance_id, created.org_id, created.user_id}
        for aggregate_id, seqs in per_aggregate.items():
            assert seqs == list(range(1, len(seqs) + 1))
            for table in (m.instances, m.orgs, m.users):
                latest = (
                    await conn.execute(sa.select(table.c.sequence).where(table.c.id == aggregate_id))
                ).scalar()
                if latest is not None:
                    assert latest == seqs[-1]
    instance = await instances.get_instance(created.instance_id)
    assert instance.details.sequence == per_aggregate[created.instance_id][-1]
    assert instance.details.sequence > created.details.sequence


async def test_pats_are_stored_only_as_sha256_hashes(database: Database) -> None:
    created = await Instances(database, InstanceConfig("example.com")).create_instance(
        NewInstance(name="hash", owner=MachineOwner(pat=PatRequest()))
    )
    assert created.pat
    async with database.read() as conn:
        stored = (await conn.execute(sa.select(m.personal_access_tokens.c.token_hash))).scalars().all()
    assert len(stored) == 1 and len(stored[0]) == 64 and created.pat not in stored[0]
