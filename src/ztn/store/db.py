"""Opening the database: URL normalisation, per-connection settings, transactions, migrations, ping.

Hot paths use SQLAlchemy Core on an ``AsyncConnection``; there is no ORM session.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine

from ztn.store.errors import UniqueViolation

log = logging.getLogger(__name__)

_MIGRATIONS = Path(__file__).parent / "migrations"
# Any constant works; it only has to be the same in every ztn process sharing the database.
_MIGRATION_LOCK_KEY = 0x7A746E_6D6967  # "ztn" "mig"
_WRITE = "ztn_write"


def normalize_url(url: str) -> sa.URL:
    """Map the URLs operators write to the async drivers we ship (aiosqlite, psycopg 3)."""
    if url.startswith("postgres://"):  # Heroku-style alias that SQLAlchemy does not accept
        url = "postgresql://" + url[len("postgres://") :]
    parsed = make_url(url)
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        return parsed.set(drivername="sqlite+aiosqlite")
    if backend == "postgresql":
        return parsed.set(drivername="postgresql+psycopg")
    raise ValueError(f"unsupported database URL scheme: {parsed.drivername!r}")


class Database:
    """One engine per process. ``read()`` and ``write()`` hand out connections inside a transaction."""

    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine
        self.dialect: str = engine.dialect.name

    @property
    def is_postgres(self) -> bool:
        return self.dialect == "postgresql"

    @asynccontextmanager
    async def read(self) -> AsyncIterator[AsyncConnection]:
        async with self.engine.connect() as conn:
            async with conn.begin():
                yield conn

    @asynccontextmanager
    async def write(self) -> AsyncIterator[AsyncConnection]:
        """A write transaction: committed on success, rolled back on any error.

        On SQLite it starts with ``BEGIN IMMEDIATE`` so concurrent writers queue on the busy timeout
        instead of failing when a read lock would have to be upgraded. Unique-constraint failures
        surface as ``UniqueViolation`` so callers never see driver exceptions.
        """
        try:
            async with self.engine.connect() as conn:
                conn = await conn.execution_options(**{_WRITE: True})
                async with conn.begin():
                    yield conn
        except IntegrityError as exc:
            if _is_unique_violation(exc):
                raise UniqueViolation(str(exc.orig)) from exc
            raise

    async def migrate(self) -> None:
        """``alembic upgrade heads`` in one transaction; serialised across processes.

        ``heads``: features may add independent migration branches off a common base.
        """
        async with self.write() as conn:
            if self.is_postgres:
                # Transaction-scoped: released by the commit, also if this process dies.
                await conn.execute(sa.text("SELECT pg_advisory_xact_lock(:k)"), {"k": _MIGRATION_LOCK_KEY})
            await conn.run_sync(_upgrade_head)

    async def ping(self) -> bool:
        try:
            async with self.engine.connect() as conn:
                await conn.execute(sa.text("SELECT 1"))
            return True
        except Exception:  # any failure means "not ready"; the reason goes to the log
            log.warning("database ping failed", exc_info=True)
            return False

    async def close(self) -> None:
        await self.engine.dispose()


def _is_unique_violation(exc: IntegrityError) -> bool:
    sqlstate = getattr(exc.orig, "sqlstate", None)  # psycopg
    return sqlstate == "23505" or "UNIQUE constraint failed" in str(exc.orig)


def _upgrade_head(connection: sa.Connection) -> None:
    from alembic import command
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(_MIGRATIONS))
    cfg.attributes["connection"] = connection
    command.upgrade(cfg, "heads")


def _configure_sqlite(engine: AsyncEngine) -> None:
    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        # We emit BEGIN ourselves (below); the driver's implicit transactions would defeat it.
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA busy_timeout=5000")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA synchronous=NORMAL")  # safe with WAL; the default FULL fsyncs every commit
        cur.close()

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(conn: sa.Connection) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get(_WRITE) else "BEGIN")


async def open_database(url: str, *, echo: bool = False) -> Database:
    target = normalize_url(url)
    if target.get_backend_name() == "sqlite":
        if target.database and target.database != ":memory:":
            Path(target.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_async_engine(target, echo=echo)
        _configure_sqlite(engine)
    else:
        engine = create_async_engine(target, echo=echo, pool_size=10, max_overflow=20, pool_pre_ping=True)
    return Database(engine)
