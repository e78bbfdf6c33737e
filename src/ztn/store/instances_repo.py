"""Instances and their domains: reads (Core selects) and writes (each appends its event)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from ztn.domain.models import (
    DomainFilter,
    DomainGeneratedFilter,
    DomainPrimaryFilter,
    DomainSort,
    DomainTextFilter,
    Instance,
    InstanceDomain,
    InstanceDomainsFilter,
    InstanceFilter,
    InstanceIdsFilter,
    InstanceSort,
    InstanceState,
    ListQuery,
    ObjectDetails,
    TextMethod,
)
from ztn.store import models as m
from ztn.store.db import read_cache
from ztn.store.events import EventLog

I, D = m.instances, m.instance_domains  # noqa: E741 (short aliases keep queries readable)
AGGREGATE = "instance"

# --- reads -------------------------------------------------------------------------------------------


async def get_instance(conn: AsyncConnection, instance_id: str, version: str) -> Instance | None:
    """One query: the instance joined with its domains (one row per domain, one if it has none).

    On a read connection the result is memoised until the next commit (see ``snapshot_cache`` in
    ``db``); the ``Instance`` is frozen and shared, so callers must not mutate its ``domains`` list.
    """
    cache = read_cache(conn, "instance")
    key = (instance_id, version)
    if cache is not None and (hit := cache.get(key)) is not None:
        return hit
    instance = await _load_instance(conn, instance_id, version)
    if cache is not None and instance is not None:
        cache[key] = instance
    return instance


async def _load_instance(conn: AsyncConnection, instance_id: str, version: str) -> Instance | None:
    rows = (await conn.execute(_GET_INSTANCE, {"instance_id": instance_id})).all()
    if not rows:
        return None
    first = rows[0]
    domains = [
        InstanceDomain(
            domain=r.domain,
            primary=r.is_primary,
            generated=r.is_generated,
            details=ObjectDetails(r.d_sequence, r.d_creation_date, r.d_change_date, instance_id),
        )
        for r in rows
        if r.domain is not None
    ]
    return _instance(first, version, domains)


async def instance_sequence(conn: AsyncConnection, instance_id: str) -> int | None:
    return (await conn.execute(sa.select(I.c.sequence).where(I.c.id == instance_id))).scalar()


async def has_instances(conn: AsyncConnection) -> bool:
    return (await conn.execute(sa.select(I.c.id).limit(1))).first() is not None


async def list_instances(
    conn: AsyncConnection,
    filters: Sequence[InstanceFilter],
    sort: InstanceSort,
    query: ListQuery,
    limit: int,
    version: str,
) -> tuple[list[Instance], int]:
    where = [_instance_condition(f) for f in filters]
    total = (await conn.execute(sa.select(sa.func.count()).select_from(I).where(*where))).scalar_one()
    column = {InstanceSort.NAME: I.c.name, InstanceSort.CREATION_DATE: I.c.creation_date}.get(sort, I.c.id)
    # Unspecified sorting keeps ZITADEL's natural (creation) order; ids are time-ordered.
    asc = query.asc or sort == InstanceSort.UNSPECIFIED
    order = [column.asc(), I.c.id.asc()] if asc else [column.desc(), I.c.id.desc()]
    stmt = sa.select(I).where(*where).order_by(*order).offset(query.offset).limit(limit)
    rows = (await conn.execute(stmt)).all()
    domains = await _domains_of(conn, [r.id for r in rows])
    return [_instance(r, version, domains.get(r.id, [])) for r in rows], total


async def list_domains(
    conn: AsyncConnection,
    instance_id: str,
    filters: Sequence[DomainFilter],
    sort: DomainSort,
    query: ListQuery,
    limit: int,
) -> tuple[list[InstanceDomain], int]:
    where = [D.c.instance_id == instance_id, *(_domain_condition(f) for f in filters)]
    total = (await conn.execute(sa.select(sa.func.count()).select_from(D).where(*where))).scalar_one()
    if sort == DomainSort.UNSPECIFIED:
        order = list(_DEFAULT_DOMAIN_ORDER)
    else:
        column = {
            DomainSort.DOMAIN: D.c.domain,
            DomainSort.PRIMARY: D.c.is_primary,
            DomainSort.GENERATED: D.c.is_generated,
            DomainSort.CREATION_DATE: D.c.creation_date,
        }[sort]
        order = [column.asc(), D.c.domain.asc()] if query.asc else [column.desc(), D.c.domain.desc()]
    stmt = sa.select(D).where(*where).order_by(*order).offset(query.offset).limit(limit)
    return [_domain(r) for r in (await conn.execute(stmt)).all()], total


async def get_domain(conn: AsyncConnection, instance_id: str, domain: str) -> InstanceDomain | None:
    stmt = sa.select(D).where(D.c.instance_id == instance_id, D.c.domain == domain)
    row = (await conn.execute(stmt)).first()
    return None if row is None else _domain(row)


async def domain_exists(conn: AsyncConnection, domain: str) -> bool:
    return (await conn.execute(sa.select(D.c.domain).where(D.c.domain == domain))).first() is not None


# --- writes ------------------------------------------------------------------------------------------


async def lock_instance(log: EventLog, instance_id: str) -> sa.Row[Any] | None:
    return await log.lock(I, instance_id)


async def insert_instance(log: EventLog, instance_id: str, name: str, default_language: str) -> None:
    log.start(I, instance_id)
    log.push(AGGREGATE, instance_id, "instance.added", {"name": name, "defaultLanguage": default_language})
    await log.conn.execute(
        I.insert().values(
            id=instance_id,
            name=name,
            default_language=default_language,
            sequence=log.sequence(instance_id),  # final value written by EventLog.flush
            creation_date=log.now,
            change_date=log.now,
        )
    )


async def rename_instance(log: EventLog, instance_id: str, name: str) -> None:
    log.push(AGGREGATE, instance_id, "instance.changed", {"name": name})
    await log.conn.execute(I.update().where(I.c.id == instance_id).values(name=name))


async def delete_instance(log: EventLog, instance_id: str) -> None:
    """Removes the instance and everything it owns (explicitly, not relying on FK cascades alone)."""
    log.push(AGGREGATE, instance_id, "instance.removed", {})
    for table in (
        m.memberships,
        m.personal_access_tokens,
        m.machine_keys,
        m.users,
        m.orgs,
        m.instance_domains,
    ):
        await log.conn.execute(table.delete().where(table.c.instance_id == instance_id))
    await log.conn.execute(I.delete().where(I.c.id == instance_id))


async def insert_domain(log: EventLog, instance_id: str, domain: str, *, generated: bool) -> int:
    seq = log.push(
        AGGREGATE, instance_id, "instance.domain.added", {"domain": domain, "generated": generated}
    )
    await log.conn.execute(
        D.insert().values(
            domain=domain,
            instance_id=instance_id,
            is_primary=False,
            is_generated=generated,
            sequence=seq,
            creation_date=log.now,
            change_date=log.now,
        )
    )
    return seq


async def set_primary_domain(log: EventLog, instance_id: str, domain: str) -> int:
    seq = log.push(AGGREGATE, instance_id, "instance.domain.primary.set", {"domain": domain})
    await log.conn.execute(
        D.update()
        .where(D.c.instance_id == instance_id, D.c.is_primary.is_(True), D.c.domain != domain)
        .values(is_primary=False, sequence=seq, change_date=log.now)
    )
    await log.conn.execute(
        D.update()
        .where(D.c.instance_id == instance_id, D.c.domain == domain)
        .values(is_primary=True, sequence=seq, change_date=log.now)
    )
    return seq


async def delete_domain(log: EventLog, instance_id: str, domain: str) -> int:
    seq = log.push(AGGREGATE, instance_id, "instance.domain.removed", {"domain": domain})
    await log.conn.execute(D.delete().where(D.c.instance_id == instance_id, D.c.domain == domain))
    return seq


# --- mapping -----------------------------------------------------------------------------------------

_DEFAULT_DOMAIN_ORDER = (D.c.creation_date.asc(), D.c.is_generated.desc(), D.c.domain.asc())

# Built once: SQLAlchemy then reuses its compiled form on every call (hot path: GetInstance).
_GET_INSTANCE = (
    sa.select(
        *I.c,
        D.c.domain,
        D.c.is_primary,
        D.c.is_generated,
        D.c.sequence.label("d_sequence"),
        D.c.creation_date.label("d_creation_date"),
        D.c.change_date.label("d_change_date"),
    )
    .select_from(I.outerjoin(D, D.c.instance_id == I.c.id))
    .where(I.c.id == sa.bindparam("instance_id"))
    .order_by(*_DEFAULT_DOMAIN_ORDER)
)


async def _domains_of(conn: AsyncConnection, ids: list[str]) -> dict[str, list[InstanceDomain]]:
    if not ids:
        return {}
    stmt = sa.select(D).where(D.c.instance_id.in_(ids)).order_by(*_DEFAULT_DOMAIN_ORDER)
    out: dict[str, list[InstanceDomain]] = {}
    for row in (await conn.execute(stmt)).all():
        out.setdefault(row.instance_id, []).append(_domain(row))
    return out


def _instance(row: sa.Row[Any], version: str, domains: list[InstanceDomain]) -> Instance:
    return Instance(
        id=row.id,
        name=row.name,
        state=InstanceState.RUNNING,
        version=version,
        default_language=row.default_language,
        details=ObjectDetails(row.sequence, row.creation_date, row.change_date, row.id),
        domains=domains,
    )


def _domain(row: sa.Row[Any]) -> InstanceDomain:
    return InstanceDomain(
        domain=row.domain,
        primary=row.is_primary,
        generated=row.is_generated,
        details=ObjectDetails(row.sequence, row.creation_date, row.change_date, row.instance_id),
    )


def _instance_condition(f: InstanceFilter) -> sa.ColumnElement[bool]:
    if isinstance(f, InstanceIdsFilter):
        return I.c.id.in_(list(f.ids))
    if isinstance(f, InstanceDomainsFilter):
        names = [d.lower() for d in f.domains]
        return I.c.id.in_(sa.select(D.c.instance_id).where(D.c.domain.in_(names)))
    raise TypeError(f"unknown instance filter {f!r}")


def _domain_condition(f: DomainFilter) -> sa.ColumnElement[bool]:
    if isinstance(f, DomainGeneratedFilter):
        return D.c.is_generated.is_(f.generated)
    if isinstance(f, DomainPrimaryFilter):
        return D.c.is_primary.is_(f.primary)
    if isinstance(f, DomainTextFilter):
        return text_condition(D.c.domain, f.domain, f.method)
    raise TypeError(f"unknown domain filter {f!r}")


def text_condition(column: sa.ColumnElement[str], value: str, method: TextMethod) -> sa.ColumnElement[bool]:
    """A TextQueryMethod over a column whose values are always lowercase (domains).

    Because stored values are lowercase, a case-sensitive match with an uppercase letter in ``value``
    can never succeed, and an ignore-case match is a plain match against ``value.lower()``. This keeps
    the semantics identical on SQLite (whose LIKE ignores ASCII case) and PostgreSQL.
    """
    if method.ignore_case:
        value = value.lower()
    elif value != value.lower():
        return sa.false()
    escaped = value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    if method in (TextMethod.EQUALS, TextMethod.EQUALS_IGNORE_CASE):
        return column == value
    pattern = {
        TextMethod.STARTS_WITH: f"{escaped}%",
        TextMethod.CONTAINS: f"%{escaped}%",
        TextMethod.ENDS_WITH: f"%{escaped}",
    }[TextMethod(method.value & ~1)]
    return column.like(pattern, escape="\\")


async def serialize_bootstrap(conn: AsyncConnection) -> None:
    """Make concurrent first-start checks take turns (SQLite's BEGIN IMMEDIATE already does)."""
    if conn.dialect.name == "postgresql":
        await conn.execute(sa.text("SELECT pg_advisory_xact_lock(:k)"), {"k": _BOOTSTRAP_LOCK_KEY})


_BOOTSTRAP_LOCK_KEY = 0x7A746E_626F6F74  # "ztn" "boot"
