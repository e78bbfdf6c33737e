"""Group commit for pings: each ping is answered only after it is stored, and the pings that arrive
while a transaction is being written share the next one.

At the top of the hour thousands of cron jobs ping at once (the hosted service sees >10,000 pings/s).
One transaction per ping would spend its time in BEGIN/COMMIT (and an fsync on SQLite). Instead every
process has one writer task draining an in-memory queue; a batch (up to ``MAX_BATCH`` pings) is one
write transaction:

1. lock every check the batch names with ONE statement, ``WHERE code IN (...) OR (project_id, slug)
   IN (...) ORDER BY id FOR UPDATE`` on PostgreSQL: locks taken in id order, so the writers of several
   processes (and ``HcStore.modify_check``, which locks one row) never deadlock; SQLite has a single
   writer and needs no row locks;
2. run the domain's ``process`` callback for each ping, in arrival order, on ONE in-memory ``Check`` per
   row (several pings of a check in a batch build on each other; a code ping and a slug ping of the
   same check share the object);
3. one statement each for the changed checks (the ping columns only) and the pings (PostgreSQL: over
   arrays, ``UPDATE ... FROM unnest(...)`` / ``INSERT ... SELECT unnest(...)``; SQLite: executemany),
   one executemany each for the flips and the prunes (every 100th ping of a check), then commit;
   only then are the callers' futures resolved.

Auto-provisioning (a slug ping with ``create=1`` whose slug has no check) is rare and needs the
project's check count to be exact, so such a ping leaves the batch and gets a transaction of its own
after it: the project row is locked first (PostgreSQL), the slug looked up again, the check created
and the ping applied. Lock order is therefore always "project, then checks" or "checks only".

If a batch fails, its pings are retried one per transaction, so one bad ping never loses the others;
a ``StoreUnavailable`` (database down or locked) is not retried and reaches every caller of the batch.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa

from ztn.domain.hc.models import Check, Flip, PingInput
from ztn.store.db import Database
from ztn.store.errors import StoreUnavailable
from ztn.store.hc_models import PING_COLUMNS, hc_channels, hc_check_channels, hc_checks, hc_flips, hc_pings
from ztn.store.hc_models import hc_projects as P

try:  # the domain's rule (D1); the same "every 100th ping" inline until it exists
    from ztn.domain.hc.transitions import needs_prune
except ImportError:  # pragma: no cover

    def needs_prune(n_pings: int) -> bool:
        return n_pings % 100 == 0


log = logging.getLogger("ztn.store.pings")

C, PG, F = hc_checks, hc_pings, hc_flips
MAX_BATCH = 512
FLIP_RETENTION = timedelta(days=93)

PingProcessor = Callable[[Check, PingInput], tuple[str, Flip | None]]
"""The domain's rule, run inside the transaction: mutate the check for this ping (n_pings included),
return (the kind the ping is stored as, the flip to record or None). Sync and pure."""


@dataclass(frozen=True, slots=True)
class CheckRef:
    """Which check a ping is for: ``CheckRef(code=uuid)`` or ``CheckRef(project_id=..., slug=...)``."""

    code: str = ""
    project_id: str = ""
    slug: str = ""


PingRef = CheckRef


@dataclass(frozen=True, slots=True)
class Provision:
    """Create the slug's check (``name``, ``slug``, defaults, every channel of the project) when the
    project has none with that slug and fewer than ``limit`` checks."""

    name: str
    slug: str
    limit: int


@dataclass(frozen=True, slots=True)
class PingOutcome:
    status: str  # "ok" | "created" | "not_found" | "ambiguous"
    kind: str = ""  # the stored ping kind (success | start | fail | log | ign)
    check: Check | None = None  # the check as its batch left it


NOT_FOUND = PingOutcome("not_found")
AMBIGUOUS = PingOutcome("ambiguous")


@dataclass(slots=True)
class _Item:
    ref: CheckRef
    ping: PingInput
    process: PingProcessor
    provision: Provision | None
    future: asyncio.Future[PingOutcome]


# -- statements, built once ---------------------------------------------------------------------------
_CODES = C.c.code.in_(sa.bindparam("codes", expanding=True))
_PAIRS = sa.tuple_(C.c.project_id, C.c.slug).in_(sa.bindparam("pairs", expanding=True))


def _lock_statement(where: Any, postgres: bool) -> Any:
    stmt = sa.select(C).where(where).order_by(C.c.id)
    return stmt.with_for_update() if postgres else stmt


_LOCK = {
    (codes, pairs, postgres): _lock_statement(
        sa.or_(_CODES, _PAIRS) if codes and pairs else (_CODES if codes else _PAIRS), postgres
    )
    for codes in (True, False)
    for pairs in (True, False)
    if codes or pairs
    for postgres in (True, False)
}
_UPDATE = (
    C.update()
    .where(C.c.id == sa.bindparam("b_id"))
    .values({name: sa.bindparam("b_" + name) for name in PING_COLUMNS})
)
_INSERT_PING = PG.insert()
_PING_ROW = (
    "check_id",
    "n",
    "created",
    "kind",
    "scheme",
    "remote_addr",
    "method",
    "ua",
    "rid",
    "exitstatus",
    "body",
)

# PostgreSQL: one statement over arrays instead of an executemany (one protocol message per row); the
# server plans it once and the driver adapts each column as one value.
_PG_TYPES = {
    "check_id": "bigint", "n": "integer", "created": "timestamptz", "kind": "text", "scheme": "text",
    "remote_addr": "text", "method": "text", "ua": "text", "rid": "text", "exitstatus": "smallint",
    "body": "bytea", "id": "bigint", "status": "text", "n_pings": "integer", "last_ping": "timestamptz",
    "last_start": "timestamptz", "last_start_rid": "text", "last_duration": "float8",
    "alert_after": "timestamptz",
}  # fmt: skip


def _unnest(columns: tuple[str, ...]) -> str:
    return "unnest(" + ", ".join(f"CAST(:{c} AS {_PG_TYPES[c]}[])" for c in columns) + ")"


_PG_INSERT_PINGS = sa.text(
    f"INSERT INTO hc_pings ({', '.join(_PING_ROW)}) SELECT * FROM {_unnest(_PING_ROW)}"
)
_PG_UPDATE_CHECKS = sa.text(
    "UPDATE hc_checks AS c SET "
    + ", ".join(f"{k} = v.{k}" for k in PING_COLUMNS)
    + f" FROM {_unnest(('id', *PING_COLUMNS))} AS v(id, {', '.join(PING_COLUMNS)}) WHERE c.id = v.id"
)
_INSERT_FLIP = F.insert()
_LOG_LIMIT = sa.select(P.c.ping_log_limit).where(P.c.id == sa.bindparam("pid")).scalar_subquery()
_PRUNE_PINGS = PG.delete().where(
    PG.c.check_id == sa.bindparam("cid"), PG.c.n <= sa.bindparam("n", type_=sa.Integer) - _LOG_LIMIT
)
_OLDEST_PING = sa.select(sa.func.min(PG.c.created)).where(PG.c.check_id == sa.bindparam("cid"))
_OLDEST_PING = _OLDEST_PING.scalar_subquery()
_PRUNE_FLIPS = F.delete().where(
    F.c.check_id == sa.bindparam("cid"),
    F.c.created < sa.bindparam("cutoff"),
    F.c.created < sa.func.coalesce(_OLDEST_PING, sa.bindparam("cutoff")),
)
_LOCK_PROJECT = sa.select(P.c.id).where(P.c.id == sa.bindparam("pid"))
_LOCK_PROJECT_PG = _LOCK_PROJECT.with_for_update()
_SLUG_CHECKS = (
    sa.select(C)
    .where(C.c.project_id == sa.bindparam("pid"), C.c.slug == sa.bindparam("slug"))
    .order_by(C.c.id)
    .limit(2)
)
_SLUG_CHECKS_LOCKED = _SLUG_CHECKS.with_for_update()  # after the project's lock: same order everywhere
_COUNT = sa.select(sa.func.count()).select_from(C).where(C.c.project_id == sa.bindparam("pid"))
_INSERT_CHECK = C.insert().returning(C.c.id)
_ALL_CHANNELS = hc_check_channels.insert().from_select(
    ["check_id", "channel_id"],
    sa.select(sa.bindparam("cid", type_=sa.Integer), hc_channels.c.id).where(
        hc_channels.c.project_id == sa.bindparam("pid")
    ),
)


class _Changes:
    """What a transaction's pings write, gathered in memory and flushed with one statement each."""

    __slots__ = ("checks", "pings", "flips", "prunes")

    def __init__(self) -> None:
        self.checks: dict[int, Check] = {}
        self.pings: list[dict[str, Any]] = []
        self.flips: list[dict[str, Any]] = []
        self.prunes: dict[int, dict[str, Any]] = {}

    def apply(self, item: _Item, check: Check, status: str) -> PingOutcome:
        ping = item.ping
        kind, flip = item.process(check, ping)
        self.checks[check.id] = check
        n = check.n_pings
        self.pings.append(
            {
                "check_id": check.id,
                "n": n,
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
            self.flips.append(
                {
                    "check_id": flip.check_id,
                    "created": flip.created,
                    "old_status": flip.old_status,
                    "new_status": flip.new_status,
                    "reason": flip.reason,
                    "processed": flip.processed,
                }
            )
        if needs_prune(n):  # the latest prune point of a check covers the earlier ones of its batch
            self.prunes[check.id] = {
                "cid": check.id,
                "pid": check.project_id,
                "n": n,
                "cutoff": ping.now - FLIP_RETENTION,
            }
        return PingOutcome(status, kind, check)

    async def flush(self, conn: Any, postgres: bool) -> None:
        if not self.checks:
            return
        checks = self.checks.values()
        if postgres:
            columns = {k: [getattr(c, k) for c in checks] for k in PING_COLUMNS}
            await conn.execute(_PG_UPDATE_CHECKS, {"id": [c.id for c in checks], **columns})
            await conn.execute(_PG_INSERT_PINGS, {k: [p[k] for p in self.pings] for k in _PING_ROW})
        else:
            rows = [{"b_id": c.id, **{f"b_{k}": getattr(c, k) for k in PING_COLUMNS}} for c in checks]
            await conn.execute(_UPDATE, rows)
            await conn.execute(_INSERT_PING, self.pings)
        if self.flips:
            await conn.execute(_INSERT_FLIP, self.flips)
        if self.prunes:  # after the inserts: the oldest remaining ping bounds the flips kept
            prunes = list(self.prunes.values())
            await conn.execute(_PRUNE_PINGS, prunes)
            await conn.execute(_PRUNE_FLIPS, [{"cid": p["cid"], "cutoff": p["cutoff"]} for p in prunes])


class PingWriter:
    """The per-process group-commit queue of one ``Database``."""

    def __init__(self, db: Database, max_batch: int = MAX_BATCH) -> None:
        self.db = db
        self.max_batch = max_batch
        self._queue: list[_Item] = []
        self._task: asyncio.Task[None] | None = None
        self.transactions = 0
        """Committed ping transactions (batches and their one-by-one retries); for tests and stats."""

    async def submit(
        self, ref: CheckRef, ping: PingInput, process: PingProcessor, provision: Provision | None = None
    ) -> PingOutcome:
        future: asyncio.Future[PingOutcome] = asyncio.get_running_loop().create_future()
        self._queue.append(_Item(ref, ping, process, provision, future))
        if self._task is None:
            self._task = asyncio.create_task(self._drain(), name="ztn-ping-writer")
        # A client that hangs up does not take its ping back: it is written with its batch regardless.
        return await asyncio.shield(future)

    async def close(self) -> None:
        """Wait until every queued ping is written."""
        task = self._task
        if task is not None:
            await asyncio.gather(task, return_exceptions=True)

    async def _drain(self) -> None:
        try:
            while self._queue:
                batch = self._queue[: self.max_batch]
                del self._queue[: self.max_batch]
                try:
                    await self._run(batch)
                except BaseException as exc:  # a bug here must not leave callers waiting forever
                    for item in batch:
                        _fail(item, exc)
                    raise
        finally:
            self._task = None
            if self._queue:  # cancelled or crashed with work left: answer it rather than hang
                pending, self._queue = self._queue, []
                for item in pending:
                    _fail(item, StoreUnavailable("ping writer stopped"))

    async def _run(self, batch: list[_Item]) -> None:
        try:
            outcomes = await self._write_batch(batch)
        except StoreUnavailable as exc:
            for item in batch:
                _fail(item, exc)
            return
        except Exception as exc:
            if len(batch) == 1:
                _fail(batch[0], exc)
                return
            log.warning("a batch of %d pings failed (%r); retrying them one by one", len(batch), exc)
            for item in batch:
                await self._run([item])
            return
        for item, outcome in zip(batch, outcomes, strict=True):
            if outcome is not None:
                _resolve(item, outcome)
        for item, outcome in zip(batch, outcomes, strict=True):
            if outcome is None:  # auto-provisioning: a transaction of its own
                try:
                    _resolve(item, await self._write_provisioning(item))
                except Exception as exc:
                    _fail(item, exc)

    async def _write_batch(self, batch: list[_Item]) -> list[PingOutcome | None]:
        """One transaction for the batch; None marks a ping left for auto-provisioning."""
        codes: set[str] = set()
        pairs: set[tuple[str, str]] = set()
        for item in batch:
            ref = item.ref
            if ref.code:
                codes.add(ref.code)
            else:
                pairs.add((ref.project_id, ref.slug))
        params: dict[str, Any] = {}
        if codes:
            params["codes"] = sorted(codes)
        if pairs:
            params["pairs"] = sorted(pairs)
        stmt = _LOCK[(bool(codes), bool(pairs), self.db.is_postgres)]
        outcomes: list[PingOutcome | None] = []
        async with self.db.write() as conn:
            by_code: dict[str, Check] = {}
            by_slug: dict[tuple[str, str], list[Check]] = {}
            for row in (await conn.execute(stmt, params)).all():
                check = Check(*row)
                by_code[check.code] = check
                by_slug.setdefault((check.project_id, check.slug), []).append(check)
            changes = _Changes()
            deferred: set[tuple[str, str]] = set()
            for item in batch:
                ref = item.ref
                if ref.code:
                    check = by_code.get(ref.code)
                    if check is None:
                        outcomes.append(NOT_FOUND)
                        continue
                else:
                    key = (ref.project_id, ref.slug)
                    found = by_slug.get(key)
                    if key in deferred or (not found and item.provision is not None):
                        # Later pings of that slug wait for the check, keeping their order.
                        deferred.add(key)
                        outcomes.append(None)
                        continue
                    if not found:
                        outcomes.append(NOT_FOUND)
                        continue
                    if len(found) > 1:
                        outcomes.append(AMBIGUOUS)
                        continue
                    check = found[0]
                outcomes.append(changes.apply(item, check, "ok"))
            await changes.flush(conn, self.db.is_postgres)
        self.transactions += 1
        return outcomes

    async def _write_provisioning(self, item: _Item) -> PingOutcome:
        ref, provision = item.ref, item.provision
        postgres = self.db.is_postgres
        params = {"pid": ref.project_id, "slug": ref.slug}
        async with self.db.write() as conn:
            # PostgreSQL: the project row lock serialises auto-provisioning (and insert_check) per
            # project, so the count below is exact and two processes never create the slug twice.
            lock = _LOCK_PROJECT_PG if postgres else _LOCK_PROJECT
            if (await conn.execute(lock, params)).first() is None:
                return NOT_FOUND
            select = _SLUG_CHECKS_LOCKED if postgres else _SLUG_CHECKS
            found = [Check(*row) for row in (await conn.execute(select, params)).all()]
            if len(found) > 1:
                return AMBIGUOUS
            status = "ok"
            if found:  # created meanwhile (another process, or an earlier ping of the batch)
                check = found[0]
            elif provision is None:
                return NOT_FOUND
            else:
                if (await conn.execute(_COUNT, params)).scalar_one() >= provision.limit:
                    return NOT_FOUND
                check = _new_check(ref.project_id, provision, item.ping.now)
                values = {name: getattr(check, name) for name in C.c.keys() if name != "id"}
                check.id = (await conn.execute(_INSERT_CHECK, values)).scalar_one()
                await conn.execute(_ALL_CHANNELS, {"cid": check.id, "pid": ref.project_id})
                status = "created"
            changes = _Changes()
            outcome = changes.apply(item, check, status)
            await changes.flush(conn, self.db.is_postgres)
        self.transactions += 1
        return outcome


def _new_check(project_id: str, provision: Provision, now: datetime) -> Check:
    """Spec §4.7: name and slug from the URL, every other field at its default (simple, 1 day, 1 hour)."""
    from ztn.domain.hc.keys import new_uuid

    return Check(
        id=0,
        code=new_uuid(),
        project_id=project_id,
        name=provision.name,
        slug=provision.slug,
        badge_key=new_uuid(),
        created=now,
    )


def _resolve(item: _Item, outcome: PingOutcome) -> None:
    if not item.future.done():
        item.future.set_result(outcome)


def _fail(item: _Item, exc: BaseException) -> None:
    if not item.future.done():
        if not isinstance(exc, Exception):  # cancelled writer (shutdown): retryable for the caller
            exc = StoreUnavailable("ping writer stopped")
        item.future.set_exception(exc)
