"""Monitoring storage: projects, channels, checks, pings and flips (SQLAlchemy Core).

Every change to a check is a read-modify-write in ONE write transaction with the row locked
(``FOR UPDATE`` on PostgreSQL; on SQLite the single writer), and the rule that changes it is a
callback of the domain run inside that transaction: a ping and an API update of the same check never
lose each other's columns. Pings go through the group-commit ``PingWriter`` (hc_ping_writer.py).

Lock order, to stay deadlock-free across processes: "project row, then check rows" (check creation,
auto-provisioning) or "check rows in id order" (pings, updates); nothing locks a project while
holding a check.
"""

from __future__ import annotations

import asyncio
import secrets as _secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa

from ztn.domain.hc.models import DEFAULT_PING_LOG_LIMIT, Channel, Check, Flip, Ping, PingInput, Project
from ztn.store.db import Database, read_cache
from ztn.store.hc_models import (
    CHECK_COLUMNS,
    MUTABLE_CHECK_COLUMNS,
    hc_channels,
    hc_check_channels,
    hc_checks,
    hc_flips,
    hc_pings,
    hc_projects,
    hc_secrets,
)
from ztn.store.hc_ping_writer import CheckRef, PingOutcome, PingProcessor, PingRef, PingWriter, Provision

__all__ = [
    "CheckRef",
    "CheckRows",
    "HcStore",
    "Mutation",
    "PingOutcome",
    "PingProcessor",
    "PingRef",
    "Provision",
]

P, CH, C, CC, PG, F = hc_projects, hc_channels, hc_checks, hc_check_channels, hc_pings, hc_flips
SECRET_NAME = "secret_key"
Mutation = Callable[[Check], Flip | None]
"""A domain rule for ``modify_check``: mutate the check in place, return the flip to record or None."""

_PROJECT_COLUMNS = (P.c.id, P.c.name, P.c.ping_key, P.c.badge_key, P.c.check_limit, P.c.ping_log_limit)
_PROJECT = sa.select(*_PROJECT_COLUMNS)
_CHECK = sa.select(C)
_INSERT_COLUMNS = tuple(name for name in CHECK_COLUMNS if name != "id")
_LINKS = (
    sa.select(CC.c.check_id, CC.c.channel_id)
    .join(C, C.c.id == CC.c.check_id)
    .where(C.c.project_id == sa.bindparam("project_id"))
)
_CHECK_ROWS_MEMO_SIZE = 16  # projects per read connection (SQLite) or process (PostgreSQL)
_SECRET = sa.select(hc_secrets.c.value).where(hc_secrets.c.name == SECRET_NAME)
_LIST_PINGS = (
    sa.select(
        PG.c.id,
        PG.c.check_id,
        PG.c.n,
        PG.c.created,
        PG.c.kind,
        PG.c.scheme,
        PG.c.remote_addr,
        PG.c.method,
        PG.c.ua,
        PG.c.rid,
        PG.c.exitstatus,
        sa.func.coalesce(sa.func.length(PG.c.body), 0),
    )
    .where(PG.c.check_id == sa.bindparam("cid"))
    # n grows with insertion order per check (pings of a check are serialised by its row lock), and
    # (check_id, n) is indexed: newest first without a sort.
    .order_by(PG.c.n.desc())
    .limit(sa.bindparam("limit"))
)
_FLIP_COLUMNS = (F.c.check_id, F.c.created, F.c.old_status, F.c.new_status, F.c.reason, F.c.processed, F.c.id)


class HcStore:
    """All async. One per process and ``Database`` (the ping writer's queue lives here)."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self._secret: str | None = None
        self.pings = PingWriter(db)
        # The last CheckRows read per (project, with channels), whatever the snapshot: a fresh read
        # that finds the very same rows (the commit was elsewhere) hands out that object again, and
        # with it what callers derived from it.
        self._last_rows: dict[tuple[str, bool], CheckRows] = {}

    # -- the server secret (API key digests, badge signatures) -------------------------------------------
    async def secret(self) -> str:
        """The "secret_key" row, created once: every process and replica on the database shares it."""
        if self._secret is None:
            async with self.db.read() as conn:
                value = (await conn.execute(_SECRET)).scalar()
            if value is None:
                async with self.db.write() as conn:
                    row = {"name": SECRET_NAME, "value": _secrets.token_urlsafe(48)}
                    await conn.execute(_insert_ignore(self.db, hc_secrets).values(row))
                    value = (await conn.execute(_SECRET)).scalar_one()  # ours, or the one that won
            self._secret = value
        return self._secret

    # -- projects ----------------------------------------------------------------------------------------
    async def create_project(
        self,
        name: str,
        api_key_digest: str,
        api_key_prefix: str,
        ro_digest: str,
        ro_prefix: str,
        ping_key: str | None = None,
        badge_key: str | None = None,
        check_limit: int | None = None,
        *,
        ping_log_limit: int = DEFAULT_PING_LOG_LIMIT,
        project_id: str | None = None,
    ) -> Project:
        """A new project (id: a fresh UUID unless given). Only key digests and prefixes are stored.
        ``ping_key`` and ``badge_key`` are required.

        Also accepts the first integration's positional form, ``(project_id, name, (rw_prefix,
        rw_digest, ro_prefix, ro_digest), ping_key, badge_key[, check_limit[, ping_log_limit]])``,
        told apart by the tuple in third place, until its callers have moved over.
        """
        if isinstance(api_key_prefix, tuple):  # the legacy form, see above
            legacy: Any = (name, api_key_digest, api_key_prefix, ro_digest, ro_prefix, ping_key, badge_key)
            project_id, name, keys, ping_key, badge_key, check_limit, log_limit = legacy
            api_key_prefix, api_key_digest, ro_prefix, ro_digest = keys
            if log_limit is not None:
                ping_log_limit = log_limit
        if ping_key is None or badge_key is None:
            raise TypeError("create_project needs a ping_key and a badge_key")
        from ztn.domain.hc.keys import new_uuid

        project = Project(project_id or new_uuid(), name, ping_key, badge_key, check_limit, ping_log_limit)
        async with self.db.write() as conn:
            await conn.execute(
                P.insert().values(
                    id=project.id,
                    name=name,
                    api_key_prefix=api_key_prefix,
                    api_key_digest=api_key_digest,
                    api_key_ro_prefix=ro_prefix,
                    api_key_ro_digest=ro_digest,
                    ping_key=ping_key,
                    badge_key=badge_key,
                    check_limit=check_limit,
                    ping_log_limit=ping_log_limit,
                    created=datetime.now(UTC),
                )
            )
        return project

    async def project_by_key_digest(self, digest: str) -> tuple[Project, bool] | None:
        """The project whose read-write or read-only key has this digest; the bool is "read-only"."""
        stmt = sa.select(*_PROJECT_COLUMNS, P.c.api_key_ro_digest).where(
            sa.or_(P.c.api_key_digest == digest, P.c.api_key_ro_digest == digest)
        )
        async with self.db.read() as conn:
            row = (await conn.execute(stmt)).first()
        if row is None:
            return None
        return Project(*row[:6]), row[6] == digest

    async def project_by_id(self, project_id: str) -> Project | None:
        return await self.project_by("id", project_id)

    async def project_by_ping_key(self, ping_key: str) -> Project | None:
        return await self.project_by("ping_key", ping_key)

    async def project_by_badge_key(self, badge_key: str) -> Project | None:
        return await self.project_by("badge_key", badge_key)

    async def project_by(self, column: str, value: str) -> Project | None:
        """By "id", "ping_key" or "badge_key" (each unique)."""
        async with self.db.read() as conn:
            row = (await conn.execute(_PROJECT.where(P.c[column] == value))).first()
        return Project(*row) if row is not None else None

    async def set_check_limit(self, project_id: str, limit: int | None) -> None:
        async with self.db.write() as conn:
            await conn.execute(P.update().where(P.c.id == project_id).values(check_limit=limit))

    # -- channels ----------------------------------------------------------------------------------------
    async def create_channel(
        self, project_id: str | Channel, kind: str = "", name: str = "", value: str = ""
    ) -> Channel:
        """A new enabled channel with a fresh UUID; or, given a ``Channel``, that channel as it is."""
        if isinstance(project_id, Channel):
            channel = project_id
        else:
            from ztn.domain.hc.keys import new_uuid

            channel = Channel(new_uuid(), project_id, name, kind, value)
        async with self.db.write() as conn:
            await conn.execute(
                CH.insert().values(
                    id=channel.id,
                    project_id=channel.project_id,
                    name=channel.name,
                    kind=channel.kind,
                    value=channel.value,
                    disabled=channel.disabled,
                    created=datetime.now(UTC),
                )
            )
        return channel

    async def list_channels(self, project_id: str) -> list[Channel]:
        """In creation order (the reference's "DB order")."""
        stmt = (
            sa.select(CH.c.id, CH.c.project_id, CH.c.name, CH.c.kind, CH.c.value, CH.c.disabled)
            .where(CH.c.project_id == project_id)
            .order_by(CH.c.created, CH.c.id)
        )
        async with self.db.read() as conn:
            return [Channel(*row) for row in (await conn.execute(stmt)).all()]

    # -- checks: reads -----------------------------------------------------------------------------------
    async def list_checks(self, project_id: str, with_channels: bool = False) -> list[Check]:
        """Every check of the project in insertion order (fresh objects: callers may change them)."""
        return (await self.check_rows(project_id, with_channels)).checks()

    async def check_rows(self, project_id: str, with_channels: bool = False) -> CheckRows:
        """The project's check rows, memoised in the read connection's snapshot cache: the same
        ``CheckRows`` object comes back until any process commits anything (see ``store.db``), so
        callers may memoise what they derive from it in its ``memo``. Two statements on a miss; when
        they find exactly the rows of the previous read, its object (and memo) is handed out again.

        Concurrent misses of one snapshot (PostgreSQL reads await the database) share one read: without
        that, every request in flight when a commit lands reads and renders the list itself, and with
        frequent commits (pings) nothing is ever served from the memo."""
        key = (project_id, with_channels)
        async with self.db.read() as conn:
            cache = read_cache(conn, "hc_check_rows")
            if cache is None:
                return await _read_check_rows(conn, project_id, with_channels)
            hit = cache.get(key)
            if isinstance(hit, CheckRows):
                return hit
            if hit is not None:  # a read of this very snapshot is under way in another request
                try:
                    return await asyncio.shield(hit)
                except _ReadFailed:  # it failed or was cancelled: read on our own
                    return await _read_check_rows(conn, project_id, with_channels)
            if len(cache) >= _CHECK_ROWS_MEMO_SIZE:
                cache.clear()
            pending: asyncio.Future[CheckRows] = asyncio.get_running_loop().create_future()
            cache[key] = pending
            try:
                result = self._same_as_last(key, await _read_check_rows(conn, project_id, with_channels))
            except BaseException:
                if cache.get(key) is pending:
                    del cache[key]
                pending.set_exception(_ReadFailed())
                pending.exception()  # retrieved: no "never retrieved" warning when nobody waited
                raise
            cache[key] = result
            pending.set_result(result)
        return result

    def _same_as_last(self, key: tuple[str, bool], read: CheckRows) -> CheckRows:
        last = self._last_rows.get(key)
        if last is not None and last.rows == read.rows and last.channels == read.channels:
            return last
        if key not in self._last_rows and len(self._last_rows) >= _CHECK_ROWS_MEMO_SIZE:
            del self._last_rows[next(iter(self._last_rows))]
        self._last_rows[key] = read
        return read

    async def check_by_code(self, code: str, with_channels: bool = True) -> Check | None:
        async with self.db.read() as conn:
            row = (await conn.execute(_CHECK.where(C.c.code == code))).first()
            if row is None:
                return None
            check = Check(*row)
            if with_channels:
                await _load_channels(conn, check)
        return check

    async def check_by_project_slug(self, project_id: str, slug: str) -> list[Check]:
        """Slugs are not unique: every match, in insertion order (without channel ids)."""
        stmt = _CHECK.where(C.c.project_id == project_id, C.c.slug == slug).order_by(C.c.id)
        async with self.db.read() as conn:
            return [Check(*row) for row in (await conn.execute(stmt)).all()]

    checks_by_slug = check_by_project_slug

    async def count_checks(self, project_id: str) -> int:
        stmt = sa.select(sa.func.count()).select_from(C).where(C.c.project_id == project_id)
        async with self.db.read() as conn:
            return int((await conn.execute(stmt)).scalar_one())

    async def find_check(self, project_id: str, equals: dict[str, Any]) -> Check | None:
        """The first check (insertion order) whose columns equal the given values (upserts), with its
        channel ids."""
        where = [C.c.project_id == project_id, *(C.c[k] == v for k, v in equals.items())]
        async with self.db.read() as conn:
            row = (await conn.execute(_CHECK.where(*where).order_by(C.c.id).limit(1))).first()
            if row is None:
                return None
            check = Check(*row)
            await _load_channels(conn, check)
        return check

    # -- checks: writes ----------------------------------------------------------------------------------
    async def insert_check(
        self, check: Check, channel_ids: list[str] | None, limit: int | None
    ) -> Check | None:
        """Insert unless the project already has ``limit`` checks, counted in the same transaction
        (PostgreSQL: under the project's row lock, so concurrent creators cannot both pass); None at
        the limit. Assigns ``check.id`` and ``check.channel_ids`` (sorted) and returns the check."""
        values = {name: getattr(check, name) for name in _INSERT_COLUMNS}
        async with self.db.write() as conn:
            if limit is not None:
                if self.db.is_postgres:
                    lock = sa.select(P.c.id).where(P.c.id == check.project_id).with_for_update()
                    await conn.execute(lock)
                count = sa.select(sa.func.count()).select_from(C).where(C.c.project_id == check.project_id)
                if (await conn.execute(count)).scalar_one() >= limit:
                    return None
            check.id = (await conn.execute(C.insert().values(values).returning(C.c.id))).scalar_one()
            if channel_ids:
                await conn.execute(
                    CC.insert(), [{"check_id": check.id, "channel_id": c} for c in channel_ids]
                )
        check.channel_ids = sorted(set(channel_ids or ()))
        return check

    async def modify_check(
        self, code: str, mutate: Mutation, channel_ids: list[str] | None = None
    ) -> Check | None:
        """Load the check locked, ``mutate`` it in place, write every mutable column back, insert the
        flip it returns and replace the channel assignments when ``channel_ids`` is given: one
        transaction. If ``mutate`` raises, nothing is written and the same exception propagates.
        None when there is no such check (e.g. deleted concurrently)."""
        stmt = _CHECK.where(C.c.code == code)
        if self.db.is_postgres:
            stmt = stmt.with_for_update()
        async with self.db.write() as conn:
            row = (await conn.execute(stmt)).first()
            if row is None:
                return None
            check = Check(*row)
            await _load_channels(conn, check)
            flip = mutate(check)
            values = {name: getattr(check, name) for name in MUTABLE_CHECK_COLUMNS}
            await conn.execute(C.update().where(C.c.id == check.id).values(values))
            if flip is not None:
                await conn.execute(F.insert().values(_flip_values(flip)))
            if channel_ids is not None:
                await conn.execute(CC.delete().where(CC.c.check_id == check.id))
                unique = sorted(set(channel_ids))
                if unique:
                    await conn.execute(CC.insert(), [{"check_id": check.id, "channel_id": c} for c in unique])
                check.channel_ids = unique
        return check

    async def delete_check(self, code: str | int) -> bool:
        """By code (the public UUID) or by store id. False when it was already gone. Its pings, flips
        and channel assignments go with it (same transaction)."""
        where = C.c.code == code if isinstance(code, str) else C.c.id == code
        async with self.db.write() as conn:
            check_id = (await conn.execute(sa.select(C.c.id).where(where))).scalar()
            if check_id is None:
                return False
            # Children explicitly: the cascades exist, but these use the (check_id, ...) indexes directly.
            await conn.execute(CC.delete().where(CC.c.check_id == check_id))
            await conn.execute(PG.delete().where(PG.c.check_id == check_id))
            await conn.execute(F.delete().where(F.c.check_id == check_id))
            result = await conn.execute(C.delete().where(C.c.id == check_id))
        return bool(result.rowcount)

    # -- pings and flips -------------------------------------------------------------------------------
    async def ping(
        self, ref: CheckRef, ping: PingInput, process: PingProcessor, provision: Provision | None = None
    ) -> PingOutcome:
        """Record one ping through the group-commit writer; answered once its transaction committed.
        Raises ``StoreUnavailable`` when the database cannot take it, or what ``process`` raised."""
        return await self.pings.submit(ref, ping, process, provision)

    async def list_pings(self, check_id: int, limit: int) -> list[Ping]:
        """Newest first; bodies are not loaded, only their sizes (``Ping.body_size``)."""
        async with self.db.read() as conn:
            rows = (await conn.execute(_LIST_PINGS, {"cid": check_id, "limit": limit})).all()
        return [Ping(*row) for row in rows]

    async def ping_body(self, check_id: int, n: int) -> bytes | None:
        stmt = sa.select(PG.c.body).where(PG.c.check_id == check_id, PG.c.n == n).order_by(PG.c.id.desc())
        async with self.db.read() as conn:
            row = (await conn.execute(stmt.limit(1))).first()
        return bytes(row[0]) if row is not None and row[0] is not None else None

    async def list_flips(
        self, check_id: int, since: datetime | None = None, until: datetime | None = None
    ) -> list[Flip]:
        """Newest first; ``since`` inclusive, ``until`` exclusive."""
        where = [F.c.check_id == check_id]
        if since is not None:
            where.append(F.c.created >= since)
        if until is not None:
            where.append(F.c.created < until)
        stmt = sa.select(*_FLIP_COLUMNS).where(*where).order_by(F.c.id.desc())
        async with self.db.read() as conn:
            return [Flip(*row) for row in (await conn.execute(stmt)).all()]

    async def close(self) -> None:
        """Wait for the queued pings (call before closing the database)."""
        await self.pings.close()


@dataclass(frozen=True, slots=True, eq=False)
class CheckRows:
    """One read of a project's checks, shared by every reader until the data changes: never mutate
    it. ``memo`` is for values derived from exactly these rows (they expire with this object)."""

    rows: tuple[Any, ...]
    channels: dict[int, list[str]] | None  # check id -> channel ids; None when not read
    memo: dict[Any, Any]

    def checks(self) -> list[Check]:
        """Fresh ``Check`` objects in insertion order, channel ids sorted (when read)."""
        checks = [Check(*row) for row in self.rows]
        if self.channels:
            get = self.channels.get
            for check in checks:
                ids = get(check.id)
                if ids:
                    check.channel_ids = sorted(ids)
        return checks


class _ReadFailed(Exception):
    """The shared read of ``check_rows`` did not finish; each waiter reads on its own."""


async def _read_check_rows(conn: Any, project_id: str, with_channels: bool) -> CheckRows:
    rows = (await conn.execute(_CHECK.where(C.c.project_id == project_id).order_by(C.c.id))).all()
    channels: dict[int, list[str]] | None = None
    if with_channels and rows:
        channels = {}
        for check_id, channel_id in (await conn.execute(_LINKS, {"project_id": project_id})).all():
            channels.setdefault(check_id, []).append(channel_id)
    return CheckRows(tuple(rows), channels, {})


async def _load_channels(conn: Any, check: Check) -> None:
    stmt = sa.select(CC.c.channel_id).where(CC.c.check_id == check.id)
    check.channel_ids = sorted(r[0] for r in (await conn.execute(stmt)).all())


def _flip_values(flip: Flip) -> dict[str, Any]:
    return {
        "check_id": flip.check_id,
        "created": flip.created,
        "old_status": flip.old_status,
        "new_status": flip.new_status,
        "reason": flip.reason,
        "processed": flip.processed,
    }


def _insert_ignore(db: Database, table: sa.Table) -> Any:
    """INSERT ... ON CONFLICT DO NOTHING (both dialects spell it the same way)."""
    if db.is_postgres:
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    return insert(table).on_conflict_do_nothing()
