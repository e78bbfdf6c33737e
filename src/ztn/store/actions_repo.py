"""Actions v1 and org flows: reads (Core selects) and writes (each appends its event).

Actions are their own aggregate ("action"); trigger actions are events of the org aggregate ("org"),
as in ZITADEL. Every query is scoped by instance AND org, so an id from another org or instance is
simply not found.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from ztn.domain.actions_models import (
    Action,
    ActionFilter,
    ActionIdFilter,
    ActionNameFilter,
    ActionSort,
    ActionSpec,
    ActionState,
    ActionStateFilter,
    OrgScope,
    TriggerRow,
)
from ztn.domain.models import ListQuery, ObjectDetails, TextMethod
from ztn.store import models as m
from ztn.store.actions_models import actions as A
from ztn.store.actions_models import actions_flow_triggers
from ztn.store.events import EventLog

T = actions_flow_triggers
ACTION = "action"
ORG = "org"

# --- reads -------------------------------------------------------------------------------------------


def _in_scope(scope: OrgScope) -> list[sa.ColumnElement[bool]]:
    return [A.c.instance_id == scope.instance_id, A.c.org_id == scope.org_id]


async def get_action(conn: AsyncConnection, scope: OrgScope, action_id: str) -> Action | None:
    row = (await conn.execute(sa.select(A).where(*_in_scope(scope), A.c.id == action_id))).first()
    return None if row is None else _action(row)


async def list_actions(
    conn: AsyncConnection,
    scope: OrgScope,
    filters: Sequence[ActionFilter],
    sort: ActionSort,
    query: ListQuery,
    limit: int,
) -> tuple[list[Action], int]:
    dialect = conn.dialect.name
    where = [*_in_scope(scope), *(_condition(f, dialect) for f in filters)]
    total = (await conn.execute(sa.select(sa.func.count()).select_from(A).where(*where))).scalar_one()
    if sort == ActionSort.UNSPECIFIED:
        # No sorting column: creation order, so pages are stable (ids break creation-time ties).
        order = [A.c.creation_date.asc(), A.c.id.asc()]
    else:
        column = {ActionSort.NAME: A.c.name, ActionSort.ID: A.c.id, ActionSort.STATE: A.c.state}[sort]
        order = [column.asc(), A.c.id.asc()] if query.asc else [column.desc(), A.c.id.desc()]
    stmt = sa.select(A).where(*where).order_by(*order).offset(query.offset).limit(limit)
    return [_action(r) for r in (await conn.execute(stmt)).all()], total


async def latest_sequence(conn: AsyncConnection, scope: OrgScope) -> int:
    stmt = sa.select(sa.func.max(A.c.sequence)).where(*_in_scope(scope))
    return (await conn.execute(stmt)).scalar() or 0


async def existing_action_ids(conn: AsyncConnection, scope: OrgScope, ids: Iterable[str]) -> set[str]:
    stmt = sa.select(A.c.id).where(*_in_scope(scope), A.c.id.in_(list(ids)))
    return set((await conn.execute(stmt)).scalars())


async def flow_rows(conn: AsyncConnection, scope: OrgScope, flow_type: int) -> list[TriggerRow]:
    """The flow's trigger actions with their actions, ordered by trigger, then position."""
    stmt = (
        sa.select(T.c.trigger_type, T.c.position, T.c.sequence, T.c.change_date, A)
        .join(A, A.c.id == T.c.action_id)
        .where(T.c.instance_id == scope.instance_id, T.c.org_id == scope.org_id, T.c.flow_type == flow_type)
        .order_by(T.c.trigger_type, T.c.position)
    )
    return [
        TriggerRow(r.trigger_type, r.position, r.sequence, r.change_date, _action(r))
        for r in (await conn.execute(stmt)).all()
    ]


async def trigger_action_ids(
    conn: AsyncConnection, scope: OrgScope, flow_type: int, trigger_type: int
) -> list[str]:
    stmt = (
        sa.select(T.c.action_id)
        .where(
            T.c.instance_id == scope.instance_id,
            T.c.org_id == scope.org_id,
            T.c.flow_type == flow_type,
            T.c.trigger_type == trigger_type,
        )
        .order_by(T.c.position)
    )
    return list((await conn.execute(stmt)).scalars())


async def flow_has_triggers(conn: AsyncConnection, scope: OrgScope, flow_type: int) -> bool:
    stmt = sa.select(T.c.action_id).where(
        T.c.instance_id == scope.instance_id, T.c.org_id == scope.org_id, T.c.flow_type == flow_type
    )
    return (await conn.execute(stmt.limit(1))).first() is not None


# --- writes ------------------------------------------------------------------------------------------


async def lock_org(log: EventLog, scope: OrgScope) -> bool:
    """Lock the org aggregate (flows are org events); False when the org is not in the instance."""
    row = await log.lock(m.orgs, scope.org_id)
    return row is not None and row.instance_id == scope.instance_id


async def lock_action(log: EventLog, scope: OrgScope, action_id: str) -> Action | None:
    row = await log.lock(A, action_id)
    if row is None or row.instance_id != scope.instance_id or row.org_id != scope.org_id:
        return None
    return _action(row)


async def insert_action(log: EventLog, scope: OrgScope, action_id: str, spec: ActionSpec) -> int:
    log.start(A, action_id)
    seq = log.push(ACTION, action_id, "action.added", {**_payload(spec), "resourceOwner": scope.org_id})
    await log.conn.execute(
        A.insert().values(
            id=action_id,
            instance_id=scope.instance_id,
            org_id=scope.org_id,
            name=spec.name,
            script=spec.script,
            timeout_us=_micros(spec.timeout),
            allowed_to_fail=spec.allowed_to_fail,
            state=ActionState.ACTIVE,
            sequence=seq,
            creation_date=log.now,
            change_date=log.now,
        )
    )
    return seq


async def change_action(log: EventLog, action_id: str, changes: dict[str, Any]) -> int:
    """``changes`` holds only the changed fields, keyed like ``ActionSpec``."""
    stored = {k: _micros(v) if k == "timeout" else v for k, v in changes.items()}
    seq = log.push(ACTION, action_id, "action.changed", {_CAMEL.get(k, k): v for k, v in stored.items()})
    columns = {("timeout_us" if k == "timeout" else k): v for k, v in stored.items()}
    await log.conn.execute(A.update().where(A.c.id == action_id).values(**columns))
    return seq


async def set_action_state(log: EventLog, action_id: str, state: ActionState) -> int:
    event = "action.reactivated" if state == ActionState.ACTIVE else "action.deactivated"
    seq = log.push(ACTION, action_id, event, {})
    await log.conn.execute(A.update().where(A.c.id == action_id).values(state=state))
    return seq


async def delete_action(log: EventLog, scope: OrgScope, action: Action) -> int:
    """Remove the action and, as ZITADEL's cascade events do, take it off every flow of its org."""
    seq = log.push(ACTION, action.id, "action.removed", {"name": action.name})
    where = (T.c.org_id == scope.org_id, T.c.action_id == action.id)
    flows = (await log.conn.execute(sa.select(T.c.flow_type).where(*where).distinct())).scalars().all()
    for flow_type in sorted(flows):
        log.push(
            ORG,
            scope.org_id,
            "org.trigger.actions.cascade.removed",
            {"flowType": flow_type, "actionID": action.id},
        )
    await log.conn.execute(T.delete().where(*where))
    await log.conn.execute(A.delete().where(A.c.id == action.id))
    return seq


async def set_trigger_actions(
    log: EventLog, scope: OrgScope, flow_type: int, trigger_type: int, action_ids: Sequence[str]
) -> int:
    seq = log.push(
        ORG,
        scope.org_id,
        "org.trigger.actions.set",
        {"flowType": flow_type, "triggerType": trigger_type, "actionIDs": list(action_ids)},
    )
    await log.conn.execute(
        T.delete().where(
            T.c.org_id == scope.org_id, T.c.flow_type == flow_type, T.c.trigger_type == trigger_type
        )
    )
    if action_ids:
        rows = [
            {
                "org_id": scope.org_id,
                "flow_type": flow_type,
                "trigger_type": trigger_type,
                "position": position,
                "action_id": action_id,
                "instance_id": scope.instance_id,
                "sequence": seq,
                "change_date": log.now,
            }
            for position, action_id in enumerate(action_ids)
        ]
        await log.conn.execute(T.insert(), rows)
    return seq


async def clear_flow(log: EventLog, scope: OrgScope, flow_type: int) -> int:
    seq = log.push(ORG, scope.org_id, "org.flow.cleared", {"flowType": flow_type})
    await log.conn.execute(T.delete().where(T.c.org_id == scope.org_id, T.c.flow_type == flow_type))
    return seq


# --- mapping -----------------------------------------------------------------------------------------

_CAMEL = {"allowed_to_fail": "allowedToFail"}  # event payloads use ZITADEL's JSON names


def _micros(value: timedelta) -> int:
    return value // timedelta(microseconds=1)


def _payload(spec: ActionSpec) -> dict[str, Any]:
    return {
        "name": spec.name,
        "script": spec.script,
        "timeout": _micros(spec.timeout),
        "allowedToFail": spec.allowed_to_fail,
    }


def _action(row: sa.Row[Any]) -> Action:
    return Action(
        id=row.id,
        name=row.name,
        script=row.script,
        timeout=timedelta(microseconds=row.timeout_us),
        allowed_to_fail=row.allowed_to_fail,
        state=ActionState(row.state),
        details=ObjectDetails(row.sequence, row.creation_date, row.change_date, row.org_id),
    )


def _condition(f: ActionFilter, dialect: str) -> sa.ColumnElement[bool]:
    if isinstance(f, ActionIdFilter):
        return A.c.id == f.id
    if isinstance(f, ActionNameFilter):
        return text_match(A.c.name, f.name, f.method, dialect)
    if isinstance(f, ActionStateFilter):
        return A.c.state == f.state
    raise TypeError(f"unknown action filter {f!r}")


def text_match(
    column: sa.ColumnElement[str], value: str, method: TextMethod, dialect: str
) -> sa.ColumnElement[bool]:
    """A ``TextQueryMethod`` over mixed-case text with the same result on SQLite and PostgreSQL.

    SQLite's LIKE ignores ASCII case, so case-sensitive prefix/infix/suffix matches use GLOB there
    (wildcards escaped as character classes); ignore-case matches compare ``lower()`` on both sides.
    """
    base = TextMethod(method.value & ~1)
    if method.ignore_case:
        column, value = sa.func.lower(column), value.lower()
    if base == TextMethod.EQUALS:
        return column == value
    if dialect == "sqlite" and not method.ignore_case:
        escaped = "".join(f"[{c}]" if c in "*?[" else c for c in value)
        glob = {TextMethod.STARTS_WITH: "{}*", TextMethod.CONTAINS: "*{}*", TextMethod.ENDS_WITH: "*{}"}[base]
        return column.op("GLOB")(glob.format(escaped))
    escaped = value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    like = {TextMethod.STARTS_WITH: "{}%", TextMethod.CONTAINS: "%{}%", TextMethod.ENDS_WITH: "%{}"}[base]
    return column.like(like.format(escaped), escape="\\")
