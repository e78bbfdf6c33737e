"""Group commit for pings: every ping is answered only after it is durably stored, and pings that
arrive while a transaction is being written share the next one.

One writer task per process drains a queue: a batch (up to MAX_BATCH pings) is one write transaction
that locks the batch's checks once (``FOR UPDATE`` in id order on PostgreSQL, so concurrent processes
never deadlock on each other; SQLite has one writer), applies the domain's rule to each ping in
arrival order on an in-memory check, then writes the changed checks, the pings and the flips with one
executemany each. At the top of the hour thousands of cron jobs ping at once: the cost per ping is a
few dict operations, and the per-transaction cost (BEGIN, fsync, COMMIT) is shared by the batch.

If a batch fails for a reason other than the database being unavailable, its pings are retried one by
one, so one bad ping never takes the others down with it.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa

from ztn.domain.hc.models import DEFAULT_GRACE, DEFAULT_TIMEOUT, Check, Flip, PingInput
from ztn.store.db import Database
from ztn.store.errors import StoreUnavailable
from ztn.store.hc_models import hc_channels, hc_check_channels, hc_checks, hc_flips, hc_pings, hc_projects

log = logging.getLogger("ztn.store.pings")

C, PG, F = hc_checks, hc_pings, hc_flips
MAX_BATCH = 512
PRUNE_EVERY = 100
FLIP_RETENTION_DAYS = 93
# What a ping may change on its check; other columns belong to API updates.
PING_COLUMNS = (
    "status",
    "n_pings",
    "last_ping",
    "last_start",
    "last_start_rid",
    "last_duration",
    "alert_after",
)

PingProcessor = Callable[[Check, PingInput], tuple[str, Flip | None]]
"""The domain's rule: mutate the check for this ping, return (ping kind, flip to record or None)."""


@dataclass(frozen=True, slots=True)
class PingRef:
    """Which check a ping is for: its UUID, or a project and a slug."""

    code: str = ""
    project_id: str = ""
    slug: str = ""


@dataclass(frozen=True, slots=True)
class Provision:
    """Create the check of a slug ping when the project has none with that slug, while the project has
    fewer than ``limit`` checks."""

    limit: int


@dataclass(slots=True)
class PingOutcome:
    status: str  # "ok" | "created" | "not_found" | "ambiguous"
    kind: str = ""
    check: Check | None = None


@dataclass(slots=True)
class _Item:
    ref: PingRef
    ping: PingInput
    process: PingProcessor
    provision: Provision | None
    future: asyncio.Future[PingOutcome]


_UPDATE = (
    C.update()
    .where(C.c.id == sa.bindparam("b_id"))
    .values({name: sa.bindparam("b_" + name) for name in PING_COLUMNS})
)


class PingWriter:
    def __init__(self, db: Database) -> None:
        self.db = db
        self._queue: list[_Item] = []
        self._task: asyncio.Task[None] | None = None

    async def submit(
        self, ref: PingRef, ping: PingInput, process: PingProcessor, provision: Provision | None
    ) -> PingOutcome:
        future: asyncio.Future[PingOutcome] = asyncio.get_running_loop().create_future()
        self._queue.append(_Item(ref, ping, process, provision, future))
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self._drain())
        # A client that hangs up does not cancel its ping: it is written with its batch regardless.
        return await asyncio.shield(future)

    async def close(self) -> None:
        if self._task is not None:
            await asyncio.gather(self._task, return_exceptions=True)

    async def _drain(self) -> None:
        while self._queue:
            batch = self._queue[:MAX_BATCH]
            del self._queue[:MAX_BATCH]
            try:
                outcomes = await self._write(batch)
            except StoreUnavailable as exc:
                for item in batch:
                    _fail(item, exc)
                continue
            except Exception as exc:
                if len(batch) == 1:
                    _fail(batch[0], exc)
                    continue
                log.warning("ping batch of %d failed (%s); retrying one by one", len(batch), exc)
                for item in batch:
                    try:
                        outcome = (await self._write([item]))[0]
                    except Exception as single:
                        _fail(item, single)
                    else:
                        _resolve(item, outcome)
                continue
            for item, outcome in zip(batch, outcomes, strict=True):
                _resolve(item, outcome)

    async def _write(self, batch: list[_Item]) -> list[PingOutcome]:
        postgres = self.db.is_postgres
        async with self.db.write() as conn:
            by_code: dict[str, Check] = {}
            codes = sorted({item.ref.code for item in batch if item.ref.code})
            if codes:
                stmt = sa.select(C).where(C.c.code.in_(codes)).order_by(C.c.id)
                if postgres:
                    stmt = stmt.with_for_update()
                for row in (await conn.execute(stmt)).all():
                    by_code[row.code] = Check(*row)
            by_slug: dict[tuple[str, str], list[Check]] = {}
            created: set[int] = set()
            touched: dict[int, Check] = {}
            pings: list[dict[str, Any]] = []
            flips: list[dict[str, Any]] = []
            prunes: list[tuple[Check, datetime]] = []
            outcomes: list[PingOutcome] = []
            for item in batch:
                ref = item.ref
                if ref.code:
                    check = by_code.get(ref.code)
                    if check is None:
                        outcomes.append(PingOutcome("not_found"))
                        continue
                else:
                    key = (ref.project_id, ref.slug)
                    found = by_slug.get(key)
                    if found is None:
                        found = by_slug[key] = await _slug_checks(conn, ref, postgres)
                        if not found and item.provision is not None:
                            new = await _provision(conn, ref, item.provision, item.ping.now)
                            if new is not None:
                                found = by_slug[key] = [new]
                                created.add(new.id)
                    if len(found) > 1:
                        outcomes.append(PingOutcome("ambiguous"))
                        continue
                    if not found:
                        outcomes.append(PingOutcome("not_found"))
                        continue
                    check = found[0]
                kind, flip = item.process(check, item.ping)
                touched[check.id] = check
                ping = item.ping
                pings.append(
                    {
                        "check_id": check.id,
                        "n": check.n_pings,
                        "created": ping.now,
                        "kind": kind,
                        "scheme": ping.scheme,
                        "remote_addr": ping.remote_addr,
                        "method": ping.method,
                        "ua": ping.ua,
                        "rid": ping.rid,
                        "exitstatus": ping.exitstatus,
                        "body": ping.body or None,
                    }
                )
                if flip is not None:
                    flips.append(
                        {
                            "check_id": check.id,
                            "created": flip.created,
                            "old_status": flip.old_status,
                            "new_status": flip.new_status,
                            "reason": flip.reason,
                            "processed": flip.processed,
                        }
                    )
                if check.n_pings % PRUNE_EVERY == 0:
                    prunes.append((check, ping.now))
                status = "created" if check.id in created else "ok"
                outcomes.append(PingOutcome(status, kind, check))
            if touched:
                rows = [
                    {"b_id": c.id, **{"b_" + name: getattr(c, name) for name in PING_COLUMNS}}
                    for c in touched.values()
                ]
                await conn.execute(_UPDATE, rows)
                await conn.execute(PG.insert(), pings)
                if flips:
                    await conn.execute(F.insert(), flips)
                for check, now in prunes:
                    await _prune(conn, check, now)
        return outcomes


async def _slug_checks(conn: Any, ref: PingRef, postgres: bool) -> list[Check]:
    stmt = (
        sa.select(C).where(C.c.project_id == ref.project_id, C.c.slug == ref.slug).order_by(C.c.id).limit(2)
    )
    if postgres:
        stmt = stmt.with_for_update()
    return [Check(*row) for row in (await conn.execute(stmt)).all()]


async def _provision(conn: Any, ref: PingRef, provision: Provision, now: datetime) -> Check | None:
    """Auto-provisioning: name and slug from the URL, defaults, every channel of the project."""
    count = sa.select(sa.func.count()).select_from(C).where(C.c.project_id == ref.project_id)
    if (await conn.execute(count)).scalar_one() >= provision.limit:
        return None
    check = Check(
        id=0,
        code=str(uuid.uuid4()),
        project_id=ref.project_id,
        name=ref.slug,
        slug=ref.slug,
        timeout=DEFAULT_TIMEOUT,
        grace=DEFAULT_GRACE,
        badge_key=str(uuid.uuid4()),
        created=now,
    )
    values = {name: getattr(check, name) for name in C.c.keys() if name != "id"}
    check.id = (await conn.execute(C.insert().values(**values).returning(C.c.id))).scalar_one()
    channels = sa.select(sa.literal(check.id), hc_channels.c.id).where(
        hc_channels.c.project_id == ref.project_id
    )
    await conn.execute(hc_check_channels.insert().from_select(["check_id", "channel_id"], channels))
    return check


async def _prune(conn: Any, check: Check, now: datetime) -> None:
    """Every 100th ping: keep the project's ping log limit of pings, and flips no older than the
    oldest kept ping (nor than 93 days)."""
    limit = sa.select(hc_projects.c.ping_log_limit).where(hc_projects.c.id == check.project_id)
    limit_value = (await conn.execute(limit)).scalar_one()
    await conn.execute(PG.delete().where(PG.c.check_id == check.id, PG.c.n <= check.n_pings - limit_value))
    oldest_ping = sa.select(sa.func.min(PG.c.created)).where(PG.c.check_id == check.id)
    oldest = (await conn.execute(oldest_ping)).scalar()
    cutoff = now - timedelta(days=FLIP_RETENTION_DAYS)
    if oldest is not None:
        cutoff = min(cutoff, oldest)
    await conn.execute(F.delete().where(F.c.check_id == check.id, F.c.created < cutoff))


def _resolve(item: _Item, outcome: PingOutcome) -> None:
    if not item.future.done():
        item.future.set_result(outcome)


def _fail(item: _Item, exc: BaseException) -> None:
    if not item.future.done():
        item.future.set_exception(exc)
