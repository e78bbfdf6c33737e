"""Orgs, users, personal access tokens, machine keys and memberships (writes append events)."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from ztn.store import models as m
from ztn.store.events import EventLog


@dataclass(frozen=True, slots=True)
class UserRecord:
    id: str
    org_id: str
    kind: str  # "human" | "machine"
    user_name: str
    email: str | None = None
    email_verified: bool = False
    first_name: str | None = None
    last_name: str | None = None
    preferred_language: str | None = None
    password_hash: str | None = None
    password_change_required: bool = False
    machine_name: str | None = None


@dataclass(frozen=True, slots=True)
class PatRecord:
    instance_id: str
    user_id: str
    org_id: str
    expiration: datetime | None


async def insert_org(log: EventLog, org_id: str, name: str) -> None:
    log.start(m.orgs, org_id)
    log.push("org", org_id, "org.added", {"name": name})
    await log.conn.execute(
        m.orgs.insert().values(
            id=org_id,
            instance_id=log.instance_id,
            name=name,
            sequence=0,
            creation_date=log.now,
            change_date=log.now,
        )
    )


async def insert_user(log: EventLog, user: UserRecord) -> None:
    log.start(m.users, user.id)
    payload = {"userName": user.user_name, "orgId": user.org_id}
    log.push("user", user.id, f"user.{user.kind}.added", payload)
    await log.conn.execute(
        m.users.insert().values(
            **asdict(user),
            instance_id=log.instance_id,
            sequence=0,
            creation_date=log.now,
            change_date=log.now,
        )
    )


async def insert_pat(
    log: EventLog, pat_id: str, user_id: str, token_hash: str, scopes: list[str], expiration: datetime | None
) -> None:
    payload = {
        "tokenId": pat_id,
        "scopes": scopes,
        "expiration": expiration.isoformat() if expiration else None,
    }
    log.push("user", user_id, "user.personal.access.token.added", payload)
    await log.conn.execute(
        m.personal_access_tokens.insert().values(
            id=pat_id,
            instance_id=log.instance_id,
            user_id=user_id,
            token_hash=token_hash,
            scopes=scopes,
            expiration=expiration,
            creation_date=log.now,
        )
    )


async def insert_machine_key(
    log: EventLog, key_id: str, user_id: str, key_type: int, public_key_pem: str, expiration: datetime | None
) -> None:
    payload = {
        "keyId": key_id,
        "type": key_type,
        "expiration": expiration.isoformat() if expiration else None,
    }
    log.push("user", user_id, "user.machine.key.added", payload)
    await log.conn.execute(
        m.machine_keys.insert().values(
            id=key_id,
            instance_id=log.instance_id,
            user_id=user_id,
            key_type=key_type,
            public_key=public_key_pem,
            expiration=expiration,
            creation_date=log.now,
        )
    )


async def insert_membership(
    log: EventLog, level: str, aggregate_type: str, aggregate_id: str, user_id: str, roles: list[str]
) -> None:
    """A member of an instance (level "iam"), org or project; the event goes on that aggregate."""
    seq = log.push(
        aggregate_type, aggregate_id, f"{aggregate_type}.member.added", {"userId": user_id, "roles": roles}
    )
    await log.conn.execute(
        m.memberships.insert().values(
            level=level,
            aggregate_id=aggregate_id,
            user_id=user_id,
            instance_id=log.instance_id,
            roles=roles,
            sequence=seq,
            creation_date=log.now,
            change_date=log.now,
        )
    )


async def find_pat(conn: AsyncConnection, token_hash: str) -> PatRecord | None:
    P, U = m.personal_access_tokens, m.users
    stmt = (
        sa.select(P.c.instance_id, P.c.user_id, U.c.org_id, P.c.expiration)
        .join(U, U.c.id == P.c.user_id)
        .where(P.c.token_hash == token_hash)
    )
    row = (await conn.execute(stmt)).first()
    return None if row is None else PatRecord(row.instance_id, row.user_id, row.org_id, row.expiration)


async def memberships_of(conn: AsyncConnection, user_id: str) -> list[tuple[str, str, list[str]]]:
    """(level, aggregate_id, roles) of every membership the user holds."""
    M = m.memberships
    stmt = sa.select(M.c.level, M.c.aggregate_id, M.c.roles).where(M.c.user_id == user_id)
    return [(r.level, r.aggregate_id, list(r.roles)) for r in (await conn.execute(stmt)).all()]
