"""Trusted domains: reads (Core selects) and writes (each appends its event on the instance aggregate)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from ztn.domain.models import DomainTextFilter, ListQuery
from ztn.store.events import EventLog
from ztn.store.instances_repo import AGGREGATE, text_condition
from ztn.store.trusted_domains_models import instance_trusted_domains as T


async def is_trusted(conn: AsyncConnection, instance_id: str, domain: str) -> bool:
    stmt = sa.select(T.c.domain).where(T.c.instance_id == instance_id, T.c.domain == domain)
    return (await conn.execute(stmt)).first() is not None


async def get(conn: AsyncConnection, instance_id: str, domain: str) -> sa.Row[Any] | None:
    stmt = sa.select(T).where(T.c.instance_id == instance_id, T.c.domain == domain)
    return (await conn.execute(stmt)).first()


async def list_trusted(
    conn: AsyncConnection,
    instance_id: str,
    filters: Sequence[DomainTextFilter],
    sort_column: str,
    query: ListQuery,
    limit: int,
) -> tuple[list[sa.Row[Any]], int]:
    """``sort_column``: "domain" or "creation_date" (ties broken by domain); "" keeps creation order."""
    where = [T.c.instance_id == instance_id]
    where += [text_condition(T.c.domain, f.domain, f.method) for f in filters]
    total = (await conn.execute(sa.select(sa.func.count()).select_from(T).where(*where))).scalar_one()
    if not sort_column:
        order = [T.c.creation_date.asc(), T.c.domain.asc()]
    else:
        column = T.c[sort_column]
        order = [column.asc(), T.c.domain.asc()] if query.asc else [column.desc(), T.c.domain.desc()]
    stmt = sa.select(T).where(*where).order_by(*order).offset(query.offset).limit(limit)
    return list((await conn.execute(stmt)).all()), total


async def insert(log: EventLog, instance_id: str, domain: str) -> int:
    seq = log.push(AGGREGATE, instance_id, "instance.trusted_domain.added", {"domain": domain})
    await log.conn.execute(
        T.insert().values(instance_id=instance_id, domain=domain, sequence=seq, creation_date=log.now)
    )
    return seq


async def delete(log: EventLog, instance_id: str, domain: str) -> int:
    seq = log.push(AGGREGATE, instance_id, "instance.trusted_domain.removed", {"domain": domain})
    await log.conn.execute(T.delete().where(T.c.instance_id == instance_id, T.c.domain == domain))
    return seq
