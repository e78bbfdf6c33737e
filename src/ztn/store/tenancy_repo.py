"""Reads behind the tenancy check of every Management / Instance API call (all indexed lookups)."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from ztn.store import models as m


async def instance_by_domain(conn: AsyncConnection, domain: str) -> str | None:
    """The instance routed by ``domain`` (lowercase, no port): a primary-key lookup."""
    D = m.instance_domains
    return (await conn.execute(sa.select(D.c.instance_id).where(D.c.domain == domain))).scalar()


async def instance_exists(conn: AsyncConnection, instance_id: str) -> bool:
    I = m.instances  # noqa: E741
    return (await conn.execute(sa.select(I.c.id).where(I.c.id == instance_id))).first() is not None


async def org_exists(conn: AsyncConnection, instance_id: str, org_id: str) -> bool:
    O = m.orgs  # noqa: E741
    stmt = sa.select(O.c.id).where(O.c.id == org_id, O.c.instance_id == instance_id)
    return (await conn.execute(stmt)).first() is not None


async def first_org(conn: AsyncConnection, instance_id: str) -> str | None:
    """The instance's oldest org (the one created with it): the org context of system users."""
    O = m.orgs  # noqa: E741
    stmt = (
        sa.select(O.c.id)
        .where(O.c.instance_id == instance_id)
        .order_by(O.c.creation_date.asc(), O.c.id.asc())
        .limit(1)
    )
    return (await conn.execute(stmt)).scalar()


async def memberships_in(
    conn: AsyncConnection, instance_id: str, user_id: str, org_id: str
) -> list[tuple[str, str, list[str]]]:
    """(level, aggregate_id, roles): the user's IAM membership of the instance, its membership of the
    context org and all its project memberships in the instance."""
    M = m.memberships
    stmt = sa.select(M.c.level, M.c.aggregate_id, M.c.roles).where(
        M.c.user_id == user_id,
        M.c.instance_id == instance_id,
        sa.or_(
            M.c.level == "project",
            sa.and_(M.c.level == "iam", M.c.aggregate_id == instance_id),
            sa.and_(M.c.level == "org", M.c.aggregate_id == org_id),
        ),
    )
    return [(r.level, r.aggregate_id, list(r.roles)) for r in (await conn.execute(stmt)).all()]
