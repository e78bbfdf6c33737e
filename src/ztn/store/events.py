"""The event log of one write transaction.

Every state change appends an event in the same transaction as the change. Sequences are per
aggregate and gap-free: an existing aggregate is locked (``SELECT … FOR UPDATE`` on PostgreSQL; the
``BEGIN IMMEDIATE`` write lock on SQLite) before its next sequence is computed, and the primary key
``(aggregate_id, sequence)`` rejects anything that slips through.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from ztn.store import models as m


class EventLog:
    def __init__(self, conn: AsyncConnection, instance_id: str, now: datetime) -> None:
        self.conn = conn
        self.instance_id = instance_id
        self.now = now
        self._seq: dict[str, int] = {}
        self._tables: dict[str, sa.Table] = {}
        self._pending: list[dict[str, Any]] = []

    def start(self, table: sa.Table, aggregate_id: str) -> None:
        """Register an aggregate created in this transaction (its first event gets sequence 1)."""
        self._seq[aggregate_id] = 0
        self._tables[aggregate_id] = table

    async def lock(self, table: sa.Table, aggregate_id: str) -> sa.Row[Any] | None:
        """Load and lock an existing aggregate row; None when it does not exist."""
        query = sa.select(table).where(table.c.id == aggregate_id).with_for_update()
        row = (await self.conn.execute(query)).first()
        if row is not None:
            self._seq[aggregate_id] = row.sequence
            self._tables[aggregate_id] = table
        return row

    def push(self, aggregate_type: str, aggregate_id: str, event_type: str, payload: dict[str, Any]) -> int:
        seq = self._seq[aggregate_id] + 1
        self._seq[aggregate_id] = seq
        self._pending.append(
            {
                "aggregate_id": aggregate_id,
                "sequence": seq,
                "aggregate_type": aggregate_type,
                "event_type": event_type,
                "instance_id": self.instance_id,
                "created_at": self.now,
                "payload": payload,
            }
        )
        return seq

    def sequence(self, aggregate_id: str) -> int:
        return self._seq[aggregate_id]

    async def flush(self) -> None:
        """Write the pending events and move every touched aggregate row to its latest sequence."""
        if not self._pending:
            return
        touched = {event["aggregate_id"] for event in self._pending}
        await self.conn.execute(m.events.insert(), self._pending)
        self._pending = []
        for aggregate_id in touched:
            table = self._tables[aggregate_id]
            await self.conn.execute(
                table.update()
                .where(table.c.id == aggregate_id)
                .values(sequence=self._seq[aggregate_id], change_date=self.now)
            )
