"""Opening the database: URL normalisation, per-connection settings, transactions, migrations, ping.

Hot paths use SQLAlchemy Core; there is no ORM session. Repositories see the ``AsyncConnection``
API (``await conn.execute(...)``). On SQLite, reads run on a synchronous connection on the event-loop
thread (:class:`SyncReadConnection`): WAL readers never wait for the writer, and a query costs
microseconds, far less than handing it to an aiosqlite thread and fighting that thread for the GIL.
Writes keep aiosqlite with a small pool, since SQLite has one writer anyway. On PostgreSQL, reads
get an :class:`AsyncReadConnection` (autocommit, pool connection checked out on the first statement).

Both read connections offer ``snapshot_cache(name)``, a memo of values read from the database
(``read_cache(conn, name)`` also accepts write connections, which have none):

- SQLite: per read connection, emptied when ``PRAGMA data_version`` moves (any commit by any
  process), so a hit is exactly what a query would return.
- PostgreSQL: per process, keyed by a local version. Every ``write()`` sends ``NOTIFY ztn_changes``
  (delivered on commit) and bumps the local version after its commit (read-your-writes within the
  process); a background task keeps one LISTEN connection and bumps the version on every
  notification from another process. While that listener is not listening (start-up, lost
  connection, reconnecting) caching is off, and the version is bumped again once it listens.
  Eventual consistency: a hit may miss a commit of another process for as long as its notification
  takes to arrive (usually well under a millisecond on one host; a silently dead listener
  connection is noticed by TCP keepalives within ~25 s). ZITADEL's own read side (projections) is
  eventually consistent too.
"""

from __future__ import annotations

import asyncio
import fcntl
import logging
import os
import secrets
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import (
    AbstractAsyncContextManager,
    AsyncExitStack,
    asynccontextmanager,
    contextmanager,
    nullcontext,
    suppress,
)
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine
from sqlalchemy.pool import NullPool

from ztn.store.errors import StoreUnavailable, UniqueViolation

log = logging.getLogger(__name__)

_MIGRATIONS = Path(__file__).parent / "migrations"
# Any constant works; it only has to be the same in every ztn process sharing the database.
_MIGRATION_LOCK_KEY = 0x7A746E_6D6967  # "ztn" "mig"
_WRITE = "ztn_write"
BUSY_TIMEOUT_MS = 30_000
"""How long a SQLite writer waits for another process's write transaction before giving up
(within a process, writers queue on a lock instead)."""
_SQLITE_PRAGMAS = (
    "PRAGMA journal_mode=WAL",
    "PRAGMA foreign_keys=ON",
    "PRAGMA synchronous=NORMAL",  # safe with WAL; the default FULL fsyncs every commit
)
_SNAPSHOT_CACHES, _SNAPSHOT_VERSION = "ztn_snapshot_caches", "ztn_snapshot_version"
SNAPSHOT_CACHE_SIZE = 4096
"""Entries per named snapshot cache and read connection; a full cache starts over."""
_IDLE_READERS = 4
"""Sync read connections kept open per process: one serves every read unless a read transaction
is suspended (awaiting something else) while another starts."""
CHANGES_CHANNEL = "ztn_changes"
"""PostgreSQL NOTIFY channel: every write transaction notifies it, every process listens."""
_LISTEN_RETRY = (0.1, 5.0)
"""First and longest pause (seconds) before the listener reconnects; doubled per failure."""
# Notice a silently dead listener connection (no RST ever arrives) within ~25 s.
_LISTENER_KEEPALIVES = {
    "keepalives": 1,
    "keepalives_idle": 10,
    "keepalives_interval": 5,
    "keepalives_count": 3,
}


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


class SyncReadConnection:
    """The part of the ``AsyncConnection`` API repositories use, over a sync ``Connection``.

    ``execute`` runs the statement right away on the calling (event-loop) thread; the result is
    the sync ``CursorResult``, read by the caller inside the ``read()`` block like the async one.
    """

    __slots__ = ("sync_connection", "_caches")

    def __init__(self, sync_connection: sa.Connection) -> None:
        self.sync_connection = sync_connection
        self._caches: dict[str, dict[Any, Any]] | None = None

    @property
    def dialect(self) -> sa.Dialect:
        return self.sync_connection.dialect

    async def execute(self, statement: Any, parameters: Any = None, **kw: Any) -> sa.CursorResult[Any]:
        return self.sync_connection.execute(statement, parameters, **kw)

    async def scalar(self, statement: Any, parameters: Any = None, **kw: Any) -> Any:
        return self.sync_connection.scalar(statement, parameters, **kw)

    async def scalars(self, statement: Any, parameters: Any = None, **kw: Any) -> sa.ScalarResult[Any]:
        return self.sync_connection.scalars(statement, parameters, **kw)

    def data_version(self) -> int:
        """SQLite's ``PRAGMA data_version``: changes whenever another connection (any process) commits.

        Inside the read transaction it also starts the snapshot, so the value labels exactly the
        data the transaction's statements see.
        """
        raw = self.sync_connection.connection.dbapi_connection
        return raw.execute("PRAGMA data_version").fetchone()[0]  # type: ignore[union-attr]

    def snapshot_cache(self, name: str) -> dict[Any, Any]:
        """A memo for values read from the database, valid while nothing has been committed.

        Kept per connection and emptied as soon as ``data_version`` moved: any write by any process
        invalidates every entry, so a hit is always what a query in this snapshot would return.
        Callers store immutable values and bound nothing: the whole memo is capped here.
        """
        if self._caches is None:
            info = self.sync_connection.info
            version = self.data_version()
            caches = info.get(_SNAPSHOT_CACHES)
            if caches is None or info.get(_SNAPSHOT_VERSION) != version:
                caches = info[_SNAPSHOT_CACHES] = {}
                info[_SNAPSHOT_VERSION] = version
            self._caches = caches
        cache = self._caches.get(name)
        if cache is None or len(cache) >= SNAPSHOT_CACHE_SIZE:
            cache = self._caches[name] = {}
        return cache


class AsyncReadConnection:
    """PostgreSQL (and in-memory SQLite) reads: the API of :class:`SyncReadConnection` over a pooled
    ``AsyncConnection`` that is checked out on the first statement, so a read served entirely from
    the snapshot caches costs no round trip at all.

    PostgreSQL reads run in autocommit: under READ COMMITTED every statement takes its own snapshot
    anyway, so a BEGIN/COMMIT pair would cost two round trips and change nothing for a read.
    """

    __slots__ = ("_db", "_stack", "_conn", "_version")

    def __init__(self, db: Database, stack: AsyncExitStack, version: int | None) -> None:
        self._db, self._stack, self._version = db, stack, version
        self._conn: AsyncConnection | None = None

    @property
    def dialect(self) -> sa.Dialect:
        return self._db.engine.dialect

    async def connection(self) -> AsyncConnection:
        if self._conn is None:
            conn = await self._stack.enter_async_context(self._db.engine.connect())
            if self._db.is_postgres:
                conn = await conn.execution_options(isolation_level="AUTOCOMMIT")
            else:  # in-memory SQLite: a transaction, as before
                await self._stack.enter_async_context(conn.begin())
            self._conn = conn
        return self._conn

    async def execute(self, statement: Any, parameters: Any = None, **kw: Any) -> sa.CursorResult[Any]:
        return await (await self.connection()).execute(statement, parameters, **kw)

    async def scalar(self, statement: Any, parameters: Any = None, **kw: Any) -> Any:
        return await (await self.connection()).scalar(statement, parameters, **kw)

    async def scalars(self, statement: Any, parameters: Any = None, **kw: Any) -> sa.ScalarResult[Any]:
        return await (await self.connection()).scalars(statement, parameters, **kw)

    def snapshot_cache(self, name: str) -> dict[Any, Any]:
        """A memo for values read from the database (see the module docstring for its consistency).

        The version is taken when the read starts, before any statement: if anything commits after
        that, the version moves and what this read stores lands in a memo nobody reads again. While
        caching is off (listener down) or the version moved, a fresh throwaway dict is returned, so
        callers need no special case. Callers store immutable values; the memo is capped here.
        """
        return self._db._snapshot_cache(self._version, name)


def read_cache(conn: Any, name: str) -> dict[Any, Any] | None:
    """The named snapshot cache of a ``Database.read()`` connection; None for a write connection
    (inside a write transaction, reads must see the transaction's own changes)."""
    snapshot_cache = getattr(conn, "snapshot_cache", None)
    return snapshot_cache(name) if snapshot_cache is not None else None


class ProcessTurns:
    """SQLite file databases: the write transactions of all processes take turns on an OS lock
    (``flock`` on a file beside the database), taken after the process's own write lock.

    SQLite's busy handler waits for a locked database by sleeping (1, 2, 5 ... 100 ms) between tries,
    and a process that just committed usually takes the lock again before a sleeper wakes: with two
    busy worker processes, writes waited hundreds of milliseconds (ping batches: p99 280 ms, vs 14 ms
    with turns). A waiter blocked in ``flock`` is woken as soon as the lock is released.
    """

    def __init__(self, path: str) -> None:
        self.path = path
        self._fd: int | None = None

    @asynccontextmanager
    async def turn(self) -> AsyncIterator[None]:
        if self._fd is None:
            self._fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        fd = self._fd
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)  # free: no thread hop
        except BlockingIOError:
            acquired = asyncio.get_running_loop().run_in_executor(None, fcntl.flock, fd, fcntl.LOCK_EX)
            try:
                await asyncio.wait_for(asyncio.shield(acquired), BUSY_TIMEOUT_MS / 1000)
            except (asyncio.CancelledError, TimeoutError) as exc:
                # The thread still gets the lock eventually: give it back when it does.
                acquired.add_done_callback(lambda f: f.exception() is None and fcntl.flock(fd, fcntl.LOCK_UN))
                if isinstance(exc, TimeoutError):
                    raise StoreUnavailable("database is locked (another process's write turn)") from None
                raise
        try:
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)

    def close(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None


class Database:
    """One engine per process. ``read()`` and ``write()`` hand out connections inside a transaction."""

    def __init__(
        self, engine: AsyncEngine, read_engine: sa.Engine | None = None, turns: ProcessTurns | None = None
    ) -> None:
        self.engine = engine
        self.dialect: str = engine.dialect.name
        self._read_engine = read_engine
        self._idle_readers: list[sa.Connection] = []
        # SQLite has one writer: queue this process's writers fairly here instead of letting them
        # all spin on the busy timeout, where an unlucky one can starve.
        self._write_lock = asyncio.Lock() if self.dialect == "sqlite" else None
        self._turns = turns  # ... and take turns with the other processes (see ProcessTurns)
        # Snapshot caches of the async read path (see the module docstring). In-memory SQLite is
        # private to this process, so local bumps alone keep it exact: caching is always on there.
        self._version = 0
        self._caches: dict[str, dict[Any, Any]] = {}
        self._caching = not self.is_postgres
        self._token = secrets.token_hex(8)  # NOTIFY payload: a process ignores its own notifications
        self._listener: asyncio.Task[None] | None = None
        self.listener_pid: int | None = None
        """Backend pid of the LISTEN connection while it is listening (tests terminate it)."""
        self.reconnect_pause: Callable[[float], Awaitable[Any]] = asyncio.sleep
        """How the listener waits before reconnecting (tests hold it down with their own)."""

    @property
    def is_postgres(self) -> bool:
        return self.dialect == "postgresql"

    @property
    def caching(self) -> bool:
        """Whether the async read path's snapshot caches are on (PostgreSQL: the listener listens)."""
        return self._caching

    def bump(self) -> None:
        """Something may have changed: every async snapshot cache starts over."""
        self._version += 1
        self._caches = {}

    def _snapshot_cache(self, version: int | None, name: str) -> dict[Any, Any]:
        if version is None or version != self._version or not self._caching:
            return {}
        cache = self._caches.get(name)
        if cache is None or len(cache) >= SNAPSHOT_CACHE_SIZE:
            cache = self._caches[name] = {}
        return cache

    def start_listening(self) -> None:
        """PostgreSQL: start the background LISTEN task that turns caching on (idempotent)."""
        if self.is_postgres and self._listener is None:
            self._listener = asyncio.create_task(self._listen(), name="ztn-changes-listener")

    def _set_listening(self, pid: int | None) -> None:
        # Bump on both edges: entries cached before a gap may have missed notifications.
        if pid is None:
            self._caching, self.listener_pid = False, None
            self.bump()
        else:
            self.bump()
            self._caching, self.listener_pid = True, pid

    async def _listen(self) -> None:
        import psycopg

        conninfo = self.engine.url.set(drivername="postgresql").render_as_string(hide_password=False)
        pause = _LISTEN_RETRY[0]
        while True:
            try:
                connect = psycopg.AsyncConnection.connect
                async with await connect(conninfo, autocommit=True, **_LISTENER_KEEPALIVES) as conn:
                    await conn.execute(f"LISTEN {CHANGES_CHANNEL}")
                    self._set_listening(conn.info.backend_pid)
                    pause = _LISTEN_RETRY[0]
                    async for note in conn.notifies():
                        if note.payload != self._token:
                            self.bump()
            except Exception as exc:  # any failure: caching stays off and we retry (CancelledError ends)
                log.warning("change listener not listening (caching off until it is back): %s", exc)
            finally:
                self._set_listening(None)
            await self.reconnect_pause(pause)
            pause = min(pause * 2, _LISTEN_RETRY[1])

    @asynccontextmanager
    async def read(self) -> AsyncIterator[AsyncConnection]:
        """A read-only connection: one transaction (snapshot) on SQLite, autocommit on PostgreSQL
        (READ COMMITTED gives each statement its own snapshot either way)."""
        try:
            if self._read_engine is None:
                async with AsyncExitStack() as stack:
                    yield AsyncReadConnection(self, stack, self._version)  # type: ignore[misc]  # duck-typed
                return
            with self._sync_read() as conn:
                yield conn  # type: ignore[misc]  # duck-typed: the AsyncConnection API repositories use
        except (OperationalError, DBAPIError) as exc:
            if _is_unavailable(exc):
                raise StoreUnavailable(str(exc.orig)) from exc
            raise

    @contextmanager
    def _sync_read(self) -> Iterator[SyncReadConnection]:
        assert self._read_engine is not None
        conn = self._idle_readers.pop() if self._idle_readers else self._read_engine.connect()
        # The transaction is sqlite3's own (SQLAlchemy's begin/commit machinery costs more than the
        # statements on a memo hit); SQLAlchemy's autobegin on a statement is a no-op for pysqlite.
        raw: Any = conn.connection.dbapi_connection
        raw.execute("BEGIN")
        ok = False
        try:
            yield SyncReadConnection(conn)
            ok = True
        finally:
            try:
                if conn.in_transaction() and ok:  # SQLAlchemy's end ends sqlite3's transaction too
                    conn.commit()
                elif conn.in_transaction():
                    conn.rollback()
                if raw.in_transaction:
                    raw.execute("COMMIT" if ok else "ROLLBACK")
            finally:
                # Reused after a clean end (a domain error inside the block is normal).
                reuse = not (conn.invalidated or conn.in_transaction() or raw.in_transaction)
                if reuse and len(self._idle_readers) < _IDLE_READERS:
                    self._idle_readers.append(conn)
                else:
                    conn.close()

    @asynccontextmanager
    async def write(self) -> AsyncIterator[AsyncConnection]:
        """A write transaction: committed on success, rolled back on any error.

        On SQLite it starts with ``BEGIN IMMEDIATE`` so concurrent writers queue on the busy timeout
        instead of failing when a read lock would have to be upgraded. Unique-constraint failures
        surface as ``UniqueViolation`` so callers never see driver exceptions.
        """
        try:
            if self._write_lock is None:
                async with self._write_transaction() as conn:
                    yield conn
            else:
                async with self._write_lock, self._turn(), self._write_transaction() as conn:
                    yield conn
        except IntegrityError as exc:
            if _is_unique_violation(exc):
                raise UniqueViolation(str(exc.orig)) from exc
            raise
        except (OperationalError, DBAPIError) as exc:
            if _is_unavailable(exc):
                raise StoreUnavailable(str(exc.orig)) from exc
            raise

    def _turn(self) -> AbstractAsyncContextManager[Any]:
        return self._turns.turn() if self._turns is not None else nullcontext()

    @asynccontextmanager
    async def _write_transaction(self) -> AsyncIterator[AsyncConnection]:
        try:
            async with self.engine.connect() as conn:
                conn = await conn.execution_options(**{_WRITE: True})
                async with conn.begin():
                    yield conn
                    if self.is_postgres:  # other processes' caches: delivered only if this commits
                        await conn.exec_driver_sql(f"NOTIFY {CHANGES_CHANNEL}, '{self._token}'")
        finally:
            # After the commit (or a failure, whose outcome may be unknown): this process's next
            # read must not be served from a memo filled before the change.
            self.bump()

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
        if self._listener is not None:
            self._listener.cancel()
            with suppress(asyncio.CancelledError):
                await self._listener
            self._listener = None
        while self._idle_readers:
            self._idle_readers.pop().close()
        if self._read_engine is not None:
            self._read_engine.dispose()
        if self._turns is not None:
            self._turns.close()
        await self.engine.dispose()


def _is_unavailable(exc: DBAPIError) -> bool:
    """Lock timeouts and lost connections: transient, unlike a broken statement (which stays a bug)."""
    if exc.connection_invalidated:
        return True
    text = str(exc.orig).lower()
    if "sqlite" in type(exc.orig).__module__:
        return "locked" in text or "busy" in text or "unable to open" in text
    # psycopg: OperationalError is the connection-level class (server gone, connection refused).
    return isinstance(exc, OperationalError)


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
        for pragma in (*_SQLITE_PRAGMAS, f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}"):
            cur.execute(pragma)
        cur.close()

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(conn: sa.Connection) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get(_WRITE) else "BEGIN")


def _sqlite_read_engine(target: sa.URL, echo: bool) -> sa.Engine:
    """Sync pysqlite connections for reads on the event-loop thread; ``query_only`` so a bug can
    never write through them (writes need ``Database.write()`` and its event log)."""
    engine = sa.create_engine(target.set(drivername="sqlite+pysqlite"), echo=echo, poolclass=NullPool)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        for pragma in (*_SQLITE_PRAGMAS, f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}", "PRAGMA query_only=ON"):
            cur.execute(pragma)
        cur.close()

    return engine


async def open_database(url: str, *, echo: bool = False) -> Database:
    target = normalize_url(url)
    if target.get_backend_name() == "sqlite":
        if not target.database or target.database == ":memory:":
            # Private to one connection: a separate read connection would not see it.
            engine = create_async_engine(target, echo=echo)
            _configure_sqlite(engine)
            return Database(engine)
        Path(target.database).parent.mkdir(parents=True, exist_ok=True)
        # Writers queue on BEGIN IMMEDIATE anyway: a couple of connections is all SQLite can use.
        engine = create_async_engine(target, echo=echo, pool_size=2, max_overflow=0, pool_timeout=60)
        _configure_sqlite(engine)
        return Database(
            engine, _sqlite_read_engine(target, echo), ProcessTurns(target.database + "-write.lock")
        )
    # A fixed set per process: overflow connections were closed on check-in and reopened on the next
    # burst (one PostgreSQL backend start each); one event loop cannot keep more than ~16 busy, and
    # workers x 16 stays under PostgreSQL's default max_connections for a few workers.
    #
    # No pre-ping: it costs a round trip per checkout. A connection found dead by a statement is
    # invalidated (with every older one in the pool) and the call answers UNAVAILABLE
    # (StoreUnavailable), which clients retry; recycling bounds how long an idle one can sit.
    engine = create_async_engine(target, echo=echo, pool_size=16, max_overflow=0, pool_recycle=1800)
    db = Database(engine)
    db.start_listening()
    return db
