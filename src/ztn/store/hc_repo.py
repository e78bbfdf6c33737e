"""Monitoring storage: projects, channels, checks, pings and flips (SQLAlchemy Core).

Every change to a check runs in one write transaction with the row locked (``FOR UPDATE`` on
PostgreSQL; SQLite's single writer), and the rule that changes it is a callback from the domain run
inside that transaction: a ping and an API update of the same check never lose each other's columns.
Pings go through ``PingWriter`` (group commit, see hc_ping_writer.py).
"""

from __future__ import annotations

import secrets as _secrets
from collections.abc import Callable, Iterable
from dataclasses import fields as dc_fields
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa

from ztn.domain.hc.models import Channel, Check, Flip, Ping, Project
from ztn.store.db import Database
from ztn.store.hc_models import (
    MUTABLE_CHECK_COLUMNS,
    hc_channels,
    hc_check_channels,
    hc_checks,
    hc_flips,
    hc_pings,
    hc_projects,
    hc_secrets,
)
from ztn.store.hc_ping_writer import PingOutcome, PingProcessor, PingRef, PingWriter, Provision

__all__ = ["HcStore", "PingOutcome", "PingProcessor", "PingRef", "Provision"]

P, CH, C, CC, PG, F = hc_projects, hc_channels, hc_checks, hc_check_channels, hc_pings, hc_flips
_CHECK_FIELDS = tuple(f.name for f in dc_fields(Check) if f.name != "channel_ids")
_PROJECT_COLUMNS = (P.c.id, P.c.name, P.c.ping_key, P.c.badge_key, P.c.check_limit, P.c.ping_log_limit)
Mutation = Callable[[Check], Flip | None]


def row_to_check(row: Any) -> Check:
    return Check(*row)


def check_values(check: Check, columns: Iterable[str] = MUTABLE_CHECK_COLUMNS) -> dict[str, Any]:
    return {name: getattr(check, name) for name in columns}


def flip_values(flip: Flip) -> dict[str, Any]:
    return {
        "check_id": flip.check_id,
        "created": flip.created,
        "old_status": flip.old_status,
        "new_status": flip.new_status,
        "reason": flip.reason,
        "processed": flip.processed,
    }


class HcStore:
    def __init__(self, db: Database) -> None:
        self.db = db
        self._secret: str | None = None
        self.pings = PingWriter(db)

    # -- the server secret (API key digests, badge signatures) ---------------------------------------
    async def secret(self) -> str:
        """One secret shared by every process and replica on the database (created once)."""
        if self._secret is None:
            async with self.db.read() as conn:
                value = (
                    await conn.execute(sa.select(hc_secrets.c.value).where(hc_secrets.c.name == "secret_key"))
                ).scalar()
            if value is None:
                async with self.db.write() as conn:
                    await conn.execute(
                        _insert_ignore(
                            self.db, hc_secrets, {"name": "secret_key", "value": _secrets.token_urlsafe(48)}
                        )
                    )
                async with self.db.read() as conn:
                    value = (
                        await conn.execute(
                            sa.select(hc_secrets.c.value).where(hc_secrets.c.name == "secret_key")
                        )
                    ).scalar_one()
            self._secret = value
        return self._secret

    # -- projects ----------------------------------------------------------------------------------------
    async def create_project(
        self,
        project_id: str,
        name: str,
        keys: tuple[str, str, str, str],
        ping_key: str,
        badge_key: str,
        check_limit: int | None = None,
        ping_log_limit: int = 100,
    ) -> Project:
        """``keys``: (read-write prefix, read-write digest, read-only prefix, read-only digest)."""
        rw_prefix, rw_digest, ro_prefix, ro_digest = keys
        async with self.db.write() as conn:
            await conn.execute(
                P.insert().values(
                    id=project_id,
                    name=name,
                    api_key_prefix=rw_prefix,
                    api_key_digest=rw_digest,
                    api_key_ro_prefix=ro_prefix,
                    api_key_ro_digest=ro_digest,
                    ping_key=ping_key,
                    badge_key=badge_key,
                    check_limit=check_limit,
                    ping_log_limit=ping_log_limit,
                    created=datetime.now(UTC),
                )
            )
        return Project(project_id, name, ping_key, badge_key, check_limit, ping_log_limit)

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

    async def project_by(self, column: str, value: str) -> Project | None:
        """By "id", "ping_key" or "badge_key"."""
        stmt = sa.select(*_PROJECT_COLUMNS).where(P.c[column] == value)
        async with self.db.read() as conn:
            row = (await conn.execute(stmt)).first()
        return Project(*row) if row is not None else None

    async def set_check_limit(self, project_id: str, limit: int | None) -> None:
        async with self.db.write() as conn:
            await conn.execute(P.update().where(P.c.id == project_id).values(check_limit=limit))

    # -- channels ----------------------------------------------------------------------------------------
    async def create_channel(self, channel: Channel) -> Channel:
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
        stmt = (
            sa.select(CH.c.id, CH.c.project_id, CH.c.name, CH.c.kind, CH.c.value, CH.c.disabled)
            .where(CH.c.project_id == project_id)
            .order_by(CH.c.created, CH.c.id)
        )
        async with self.db.read() as conn:
            return [Channel(*row) for row in (await conn.execute(stmt)).all()]

    # -- checks: reads -----------------------------------------------------------------------------------
    async def list_checks(self, project_id: str, with_channels: bool = False) -> list[Check]:
        """Every check of the project in insertion order; two statements whatever the count."""
        stmt = sa.select(C).where(C.c.project_id == project_id).order_by(C.c.id)
        async with self.db.read() as conn:
            checks = [Check(*row) for row in (await conn.execute(stmt)).all()]
            if with_channels and checks:
                links = sa.select(CC.c.check_id, CC.c.channel_id).join(C, C.c.id == CC.c.check_id)
                links = links.where(C.c.project_id == project_id)
                by_id = {c.id: c for c in checks}
                for check_id, channel_id in (await conn.execute(links)).all():
                    by_id[check_id].channel_ids.append(channel_id)
                for check in checks:
                    check.channel_ids.sort()
        return checks

    async def check_by_code(self, code: str, with_channels: bool = True) -> Check | None:
        async with self.db.read() as conn:
            row = (await conn.execute(sa.select(C).where(C.c.code == code))).first()
            if row is None:
                return None
            check = Check(*row)
            if with_channels:
                await _load_channels(conn, [check])
        return check

    async def check_by_badge_key(self, badge_key: str) -> Check | None:
        async with self.db.read() as conn:
            row = (await conn.execute(sa.select(C).where(C.c.badge_key == badge_key))).first()
        return Check(*row) if row is not None else None

    async def checks_by_slug(self, project_id: str, slug: str) -> list[Check]:
        stmt = sa.select(C).where(C.c.project_id == project_id, C.c.slug == slug).order_by(C.c.id)
        async with self.db.read() as conn:
            return [Check(*row) for row in (await conn.execute(stmt)).all()]

    async def count_checks(self, project_id: str) -> int:
        stmt = sa.select(sa.func.count()).select_from(C).where(C.c.project_id == project_id)
        async with self.db.read() as conn:
            return int((await conn.execute(stmt)).scalar_one())

    async def find_check(self, project_id: str, equals: dict[str, Any]) -> Check | None:
        """The first check (insertion order) whose columns equal the given values (upserts)."""
        where = [C.c.project_id == project_id, *(C.c[k] == v for k, v in equals.items())]
        async with self.db.read() as conn:
            row = (await conn.execute(sa.select(C).where(*where).order_by(C.c.id).limit(1))).first()
            if row is None:
                return None
            check = Check(*row)
            await _load_channels(conn, [check])
        return check

    # -- checks: writes ----------------------------------------------------------------------------------
    async def insert_check(
        self, check: Check, channel_ids: list[str] | None, limit: int | None
    ) -> Check | None:
        """Insert unless the project already has ``limit`` checks (counted in the same transaction);
        None at the limit."""
        values = check_values(check, [f for f in _CHECK_FIELDS if f != "id"])
        async with self.db.write() as conn:
            if limit is not None:
                count = sa.select(sa.func.count()).select_from(C).where(C.c.project_id == check.project_id)
                if (await conn.execute(count)).scalar_one() >= limit:
                    return None
            check.id = (await conn.execute(C.insert().values(**values).returning(C.c.id))).scalar_one()
            if channel_ids:
                await conn.execute(
                    CC.insert(), [{"check_id": check.id, "channel_id": c} for c in channel_ids]
                )
        check.channel_ids = sorted(channel_ids or [])
        return check

    async def modify_check(
        self, code: str, mutate: Mutation, channel_ids: list[str] | None = None
    ) -> Check | None:
        """Load (locked), ``mutate`` in place, write back, insert the flip it returns and replace the
        channel assignments when given; all in one transaction. None when the check is gone."""
        async with self.db.write() as conn:
            stmt = sa.select(C).where(C.c.code == code)
            if self.db.is_postgres:
                stmt = stmt.with_for_update()
            row = (await conn.execute(stmt)).first()
            if row is None:
                return None
            check = Check(*row)
            await _load_channels(conn, [check])
            flip = mutate(check)
            await conn.execute(C.update().where(C.c.id == check.id).values(**check_values(check)))
            if flip is not None:
                await conn.execute(F.insert().values(**flip_values(flip)))
            if channel_ids is not None:
                await conn.execute(CC.delete().where(CC.c.check_id == check.id))
                if channel_ids:
                    rows = [{"check_id": check.id, "channel_id": c} for c in channel_ids]
                    await conn.execute(CC.insert(), rows)
                check.channel_ids = sorted(channel_ids)
        return check

    async def delete_check(self, check_id: int) -> bool:
        async with self.db.write() as conn:
            # Children first: SQLite enforces the cascades too, but explicit deletes keep them cheap.
            await conn.execute(CC.delete().where(CC.c.check_id == check_id))
            await conn.execute(PG.delete().where(PG.c.check_id == check_id))
            await conn.execute(F.delete().where(F.c.check_id == check_id))
            result = await conn.execute(C.delete().where(C.c.id == check_id))
        return bool(result.rowcount)

    # -- pings and flips -------------------------------------------------------------------------------
    async def list_pings(self, check_id: int, limit: int) -> list[Ping]:
        """Newest first; bodies are not loaded, only their sizes."""
        size = sa.func.coalesce(sa.func.length(PG.c.body), 0)
        stmt = (
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
                size,
            )
            .where(PG.c.check_id == check_id)
            .order_by(PG.c.id.desc())
            .limit(limit)
        )
        async with self.db.read() as conn:
            return [Ping(*row) for row in (await conn.execute(stmt)).all()]

    async def ping_body(self, check_id: int, n: int) -> bytes | None:
        stmt = sa.select(PG.c.body).where(PG.c.check_id == check_id, PG.c.n == n).order_by(PG.c.id.desc())
        async with self.db.read() as conn:
            row = (await conn.execute(stmt.limit(1))).first()
        return bytes(row[0]) if row is not None and row[0] is not None else None

    async def list_flips(
        self, check_id: int, since: datetime | None = None, until: datetime | None = None
    ) -> list[Flip]:
        where = [F.c.check_id == check_id]
        if since is not None:
            where.append(F.c.created >= since)
        if until is not None:
            where.append(F.c.created < until)
        stmt = sa.select(
            F.c.check_id, F.c.created, F.c.old_status, F.c.new_status, F.c.reason, F.c.processed, F.c.id
        ).where(*where)
        async with self.db.read() as conn:
            return [Flip(*row) for row in (await conn.execute(stmt.order_by(F.c.id.desc()))).all()]

    async def ping(
        self, ref: PingRef, ping: Any, process: PingProcessor, provision: Provision | None = None
    ) -> PingOutcome:
        """Record one ping; answered once its batch has committed (see PingWriter)."""
        return await self.pings.submit(ref, ping, process, provision)

    async def close(self) -> None:
        await self.pings.close()


async def _load_channels(conn: Any, checks: list[Check]) -> None:
    by_id = {c.id: c for c in checks}
    stmt = sa.select(CC.c.check_id, CC.c.channel_id).where(CC.c.check_id.in_(list(by_id)))
    for check_id, channel_id in (await conn.execute(stmt)).all():
        by_id[check_id].channel_ids.append(channel_id)
    for check in checks:
        check.channel_ids.sort()


def _insert_ignore(db: Database, table: sa.Table, values: dict[str, Any]) -> Any:
    if db.is_postgres:
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    return insert(table).values(**values).on_conflict_do_nothing()
