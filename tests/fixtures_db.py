"""Database fixtures (owned by the store work): SQLite by default, PostgreSQL with ZTN_TEST_BACKEND=postgres.

Each test gets a fresh, empty database: a SQLite file in ``tmp_path``, or a ``ztn_t_<random>`` database on
the local PostgreSQL server that is dropped afterwards.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from ztn.store.db import Database, open_database

PG_SERVER = "postgresql://postgres@127.0.0.1:5432"


def backend() -> str:
    return os.environ.get("ZTN_TEST_BACKEND", "sqlite")


@pytest.fixture
def database_url(tmp_path: Path) -> Iterator[str]:
    with fresh_database_url(tmp_path) as url:
        yield url


@contextmanager
def fresh_database_url(tmp_path: Path) -> Iterator[str]:
    """A new empty database of the backend under test; PostgreSQL ones are dropped afterwards."""
    if backend() != "postgres":
        yield f"sqlite:///{tmp_path / 'ztn.db'}"
        return
    import psycopg

    name = f"ztn_t_{secrets.token_hex(6)}"
    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"{PG_SERVER}/{name}"
    finally:
        with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
async def database(database_url: str) -> AsyncIterator[Database]:
    db = await open_database(database_url)
    await db.migrate()
    try:
        yield db
    finally:
        await db.close()
