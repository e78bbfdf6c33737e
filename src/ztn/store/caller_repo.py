"""The tenancy check's first two lookups folded into one statement (one round trip on PostgreSQL).

Routing host and PAT are independent primary/unique-key lookups, so one row answers both: the
instance routed by the host, outer-joined with the token's record (NULLs when the token is unknown).
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from ztn.store import models as m
from ztn.store.accounts_repo import PatRecord

_D, _P, _U = m.instance_domains, m.personal_access_tokens, m.users
_INSTANCE_AND_PAT = (
    sa.select(
        _D.c.instance_id,
        _P.c.instance_id.label("pat_instance_id"),
        _P.c.user_id,
        _U.c.org_id,
        _P.c.expiration,
    )
    .select_from(
        _D.outerjoin(
            _P.join(_U, _U.c.id == _P.c.user_id),
            _P.c.token_hash == sa.bindparam("token_hash", type_=sa.String),
        )
    )
    .where(_D.c.domain == sa.bindparam("domain", type_=sa.String))
)


async def instance_and_pat(
    conn: AsyncConnection, domain: str, token_hash: str
) -> tuple[str | None, PatRecord | None]:
    """(instance routed by ``domain`` or None, the PAT with hash ``token_hash`` or None)."""
    row = (await conn.execute(_INSTANCE_AND_PAT, {"domain": domain, "token_hash": token_hash})).first()
    if row is None:
        return None, None
    if row.user_id is None:
        return row.instance_id, None
    return row.instance_id, PatRecord(row.pat_instance_id, row.user_id, row.org_id, row.expiration)
