"""Aggregates over the Healthchecks tables for the metrics scrape."""

from __future__ import annotations

import sqlalchemy as sa

from ztn.store.db import Database
from ztn.store.hc_models import hc_checks

_BY_STATUS = sa.select(hc_checks.c.status, sa.func.count()).group_by(hc_checks.c.status)


async def checks_by_status(db: Database) -> dict[str, int]:
    """Stored status -> number of checks (all projects). One GROUP BY; a status no check has is absent."""
    async with db.read() as conn:
        rows = (await conn.execute(_BY_STATUS)).all()
    return {status: count for status, count in rows}
