"""Storage for the alert worker: the two compare-and-set steps, flip claims with leases and the
notification rows (migration 0006_hc_alerts).

No long-held locks: several workers (processes, machines) on one database stay correct because
every state change is a conditional UPDATE whose row count says who won:

* a check goes down only ``WHERE status = <old> AND alert_after = <old>``: a ping or an API update in
  between recomputes ``alert_after`` (or the status), so the stale decision changes nothing;
* a flip is claimed by setting a lease (owner + expiry) ``WHERE processed IS NULL AND`` no live lease;
  ``processed`` is set only when every channel is done, by the lease owner. A worker that dies
  mid-notification leaves its lease to expire, and another worker takes the flip over; channels whose
  notification row is already finished are not sent again.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from ztn.domain.hc.models import DOWN, Channel, Check, Flip
from ztn.store.db import Database
from ztn.store.hc_models import BIGID, UUID, hc_channels, hc_check_channels, hc_checks, hc_flips, hc_pings
from ztn.store.models import UtcDateTime, metadata

C, CC, PG = hc_checks, hc_check_channels, hc_pings

hc_notifications = sa.Table(
    "hc_notifications",
    metadata,
    sa.Column("id", BIGID, primary_key=True, autoincrement=True),
    sa.Column("flip_id", BIGID, sa.ForeignKey("hc_flips.id", ondelete="CASCADE"), nullable=False),
    sa.Column("check_id", BIGID, sa.ForeignKey("hc_checks.id", ondelete="CASCADE"), nullable=False),
    sa.Column("channel_id", UUID, sa.ForeignKey("hc_channels.id", ondelete="CASCADE"), nullable=False),
    sa.Column("check_status", sa.String(8), nullable=False),
    sa.Column("created", UtcDateTime(), nullable=False),
    sa.Column("error", sa.Text, nullable=True),  # NULL: being sent; "" delivered; else the last error
    sa.Column("attempts", sa.Integer, nullable=False),
    sa.Column("duration", sa.Float, nullable=True),
)
N = hc_notifications

# hc_flips and hc_channels with the columns 0006 adds (hc_models declares 0005's), in a MetaData of
# their own so the two declarations never meet; joins here spell their conditions out.
_EXTENDED = sa.MetaData()


def _extend(table: sa.Table, *extra: sa.Column) -> sa.Table:
    own = (sa.Column(c.name, c.type, primary_key=c.primary_key) for c in table.columns)
    return sa.Table(table.name, _EXTENDED, *own, *extra)


FL = _extend(hc_flips, sa.Column("lease_owner", sa.String(64)), sa.Column("lease_until", UtcDateTime()))
CS = _extend(
    hc_channels,
    sa.Column("last_notify", UtcDateTime()),
    sa.Column("last_notify_duration", sa.Float),
    sa.Column("last_error", sa.Text),
)
_FLIP_COLUMNS = tuple(
    FL.c[name] for name in ("check_id", "created", "old_status", "new_status", "reason", "processed", "id")
)


@dataclass(slots=True)
class NotifyChannel:
    channel: Channel
    last_notify_duration: float | None


@dataclass(slots=True)
class FlipWork:
    """What notifying one flip needs, loaded at send time."""

    check: Check | None  # None: the check was deleted meanwhile
    channels: list[NotifyChannel]  # the check's enabled channels
    finished: set[str]  # channel ids whose notification row is finished (a takeover skips them)
    last_body: bytes | None
    last_exitstatus: int | None


@dataclass(slots=True)
class Notification:
    id: int
    flip_id: int
    check_id: int
    channel_id: str
    check_status: str
    created: datetime
    error: str | None
    attempts: int
    duration: float | None


@dataclass(frozen=True, slots=True)
class Outcome:
    """How one channel's notification ended."""

    notification_id: int
    channel_id: str
    error: str  # "" = delivered
    attempts: int
    duration: float  # seconds, all tries
    disable: bool = False  # a permanent error


_FINISH_ROW = (
    N.update()
    .where(N.c.id == sa.bindparam("b_id"))
    .values(
        error=sa.bindparam("b_error"),
        attempts=sa.bindparam("b_attempts"),
        duration=sa.bindparam("b_duration"),
    )
)
_FINISH_CHANNEL = (
    CS.update()
    .where(CS.c.id == sa.bindparam("b_cid"))
    .values(
        last_notify=sa.bindparam("b_now", type_=UtcDateTime()),
        last_notify_duration=sa.bindparam("b_duration"),
        last_error=sa.bindparam("b_error"),
        disabled=sa.or_(CS.c.disabled, sa.bindparam("b_disable", type_=sa.Boolean)),
    )
)


def _insert_ignore(db: Database, table: sa.Table, keys: tuple[str, ...]) -> Any:
    """INSERT ... ON CONFLICT (keys) DO NOTHING (both dialects spell it the same way)."""
    if db.is_postgres:
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    return insert(table).on_conflict_do_nothing(index_elements=list(keys))


@dataclass(slots=True)
class GoingDown:
    """One decision of the going-down pass: ``down`` (flip created at ``moment``) or a new
    ``alert_after``; both conditional on the check being as it was read."""

    check: Check
    down: bool
    moment: datetime | None  # the flip's time (down) or the new alert_after (not down; None clears it)


class AlertStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    # -- the going-down pass -----------------------------------------------------------------------------
    async def due_checks(self, now: datetime, limit: int) -> list[Check]:
        """Checks whose ``alert_after`` has passed and that are not stored down, earliest first."""
        stmt = (
            sa.select(C)
            .where(C.c.alert_after < now, C.c.status != DOWN)
            .order_by(C.c.alert_after, C.c.id)
            .limit(limit)
        )
        async with self.db.read() as conn:
            return [Check(*row) for row in (await conn.execute(stmt)).all()]

    async def next_alert_after(self) -> datetime | None:
        """The earliest alert_after of a check not stored down (an index lookup: idle workers sleep
        until then instead of a whole poll interval)."""
        stmt = sa.select(sa.func.min(C.c.alert_after)).where(C.c.status != DOWN)
        async with self.db.read() as conn:
            return (await conn.execute(stmt)).scalar()

    async def apply_going_down(self, decisions: Sequence[GoingDown]) -> list[Flip]:
        """Apply the decisions in ONE transaction, each as a compare-and-set on (status, alert_after);
        returns the flips created (only for the checks this call turned down). Rows are touched in id
        order, the lock order of the ping writer, so concurrent workers and pings never deadlock."""
        flips: list[Flip] = []
        if not decisions:
            return flips
        async with self.db.write() as conn:
            for d in sorted(decisions, key=lambda d: d.check.id):
                c = d.check
                same = sa.and_(C.c.id == c.id, C.c.status == c.status, C.c.alert_after == c.alert_after)
                if d.down:
                    result = await conn.execute(C.update().where(same).values(status=DOWN, alert_after=None))
                    if result.rowcount == 1:
                        assert d.moment is not None
                        flip = Flip(c.id, d.moment, c.status, DOWN, "timeout")
                        values = {
                            "check_id": c.id,
                            "created": d.moment,
                            "old_status": c.status,
                            "new_status": DOWN,
                            "reason": "timeout",
                            "processed": None,
                        }
                        flip.id = (
                            await conn.execute(FL.insert().values(values).returning(FL.c.id))
                        ).scalar_one()
                        flips.append(flip)
                else:
                    await conn.execute(C.update().where(same).values(alert_after=d.moment))
        return flips

    # -- the flip pass: claims with leases ---------------------------------------------------------------
    async def claim_flips(self, owner: str, now: datetime, until: datetime, limit: int) -> list[Flip]:
        """Lease up to ``limit`` unprocessed flips nobody holds a live lease on (oldest first)."""
        free = sa.and_(FL.c.processed.is_(None), sa.or_(FL.c.lease_until.is_(None), FL.c.lease_until < now))
        pick = sa.select(FL.c.id).where(free).order_by(FL.c.id).limit(limit)
        # A read first: an idle worker must not open a write transaction every poll (SQLite's writer
        # lock, PostgreSQL's change notification that resets every process's snapshot caches).
        async with self.db.read() as conn:
            if (await conn.execute(pick.limit(1))).first() is None:
                return []
        if self.db.is_postgres:
            pick = pick.with_for_update(skip_locked=True)  # workers take different flips, no waiting
        async with self.db.write() as conn:
            ids = [r[0] for r in (await conn.execute(pick)).all()]
            if not ids:
                return []
            # Re-checked in the UPDATE itself: on PostgreSQL a concurrent claimer that got there first
            # makes the row fail the condition once its transaction commits.
            won = (
                await conn.execute(
                    FL.update()
                    .where(FL.c.id.in_(ids), FL.c.processed.is_(None))
                    .where(sa.or_(FL.c.lease_until.is_(None), FL.c.lease_until < now))
                    .values(lease_owner=owner, lease_until=until)
                    .returning(FL.c.id)
                )
            ).all()
            got = [r[0] for r in won]
            if not got:
                return []
            rows = (
                await conn.execute(sa.select(*_FLIP_COLUMNS).where(FL.c.id.in_(got)).order_by(FL.c.id))
            ).all()
        return [Flip(*row) for row in rows]

    async def renew_leases(self, owner: str, flip_ids: Iterable[int], until: datetime) -> int:
        ids = list(flip_ids)
        if not ids:
            return 0
        stmt = (
            FL.update()
            .where(FL.c.id.in_(ids), FL.c.lease_owner == owner, FL.c.processed.is_(None))
            .values(lease_until=until)
        )
        async with self.db.write() as conn:
            return (await conn.execute(stmt)).rowcount

    async def finish_flips(self, flip_ids: Sequence[int], owner: str, now: datetime) -> list[bool]:
        """Mark flips processed (one transaction); False for those this owner no longer holds."""
        done: list[bool] = []
        if not flip_ids:
            return done
        async with self.db.write() as conn:
            for flip_id in flip_ids:
                stmt = (
                    FL.update()
                    .where(FL.c.id == flip_id, FL.c.lease_owner == owner, FL.c.processed.is_(None))
                    .values(processed=now, lease_until=None)
                )
                done.append((await conn.execute(stmt)).rowcount == 1)
        return done

    async def finish_flip(self, flip_id: int, owner: str, now: datetime) -> bool:
        return (await self.finish_flips([flip_id], owner, now))[0]

    async def unprocessed_count(self) -> int:
        stmt = sa.select(sa.func.count()).select_from(FL).where(FL.c.processed.is_(None))
        async with self.db.read() as conn:
            return int((await conn.execute(stmt)).scalar_one())

    # -- notifying one flip ------------------------------------------------------------------------------
    async def flip_work(self, flip: Flip) -> FlipWork:
        async with self.db.read() as conn:
            row = (await conn.execute(sa.select(C).where(C.c.id == flip.check_id))).first()
            if row is None:
                return FlipWork(None, [], set(), None, None)
            check = Check(*row)
            stmt = (
                sa.select(
                    CS.c.id,
                    CS.c.project_id,
                    CS.c.name,
                    CS.c.kind,
                    CS.c.value,
                    CS.c.disabled,
                    CS.c.last_notify_duration,
                )
                .select_from(CC.join(CS, CS.c.id == CC.c.channel_id))
                .where(CC.c.check_id == check.id)
                .order_by(CS.c.created, CS.c.id)
            )
            channels = [NotifyChannel(Channel(*r[:6]), r[6]) for r in (await conn.execute(stmt)).all()]
            check.channel_ids = sorted(nc.channel.id for nc in channels)
            finished_stmt = sa.select(N.c.channel_id).where(N.c.flip_id == flip.id, N.c.error.is_not(None))
            finished = {r[0] for r in (await conn.execute(finished_stmt)).all()}
            # The last ping up to the flip's moment ($BODY, $EXITSTATUS); n orders a check's pings.
            last = (
                await conn.execute(
                    sa.select(PG.c.body, PG.c.exitstatus)
                    .where(PG.c.check_id == check.id, PG.c.created <= flip.created, PG.c.kind != "ign")
                    .order_by(PG.c.n.desc())
                    .limit(1)
                )
            ).first()
        body = bytes(last[0]) if last is not None and last[0] is not None else None
        return FlipWork(
            check,
            [nc for nc in channels if not nc.channel.disabled],
            finished,
            body,
            last[1] if last is not None else None,
        )

    async def start_notifications(self, items: Sequence[tuple[Flip, str]], now: datetime) -> list[int]:
        """The notification rows of (flip, channel id) pairs, in one transaction: inserted, or the
        unfinished ones a previous owner of the flip left behind. Returns their ids in order."""
        if not items:
            return []
        rows = [
            {
                "flip_id": flip.id,
                "check_id": flip.check_id,
                "channel_id": channel_id,
                "check_status": flip.new_status,
                "created": now,
                "error": None,
                "attempts": 0,
            }
            for flip, channel_id in items
        ]
        flip_ids = sorted({flip.id for flip, _ in items})
        async with self.db.write() as conn:
            insert = _insert_ignore(self.db, N, ("flip_id", "channel_id"))
            await conn.execute(insert, rows)
            found = sa.select(N.c.flip_id, N.c.channel_id, N.c.id).where(N.c.flip_id.in_(flip_ids))
            ids = {(f, c): i for f, c, i in (await conn.execute(found)).all()}
        return [ids[(flip.id, channel_id)] for flip, channel_id in items]

    async def start_notification(self, flip: Flip, channel_id: str, now: datetime) -> int:
        return (await self.start_notifications([(flip, channel_id)], now))[0]

    async def finish_notifications(self, outcomes: Sequence[Outcome], now: datetime) -> None:
        """Outcomes on their rows and channels (last_notify, its duration, disabled), one transaction."""
        if not outcomes:
            return
        rows = [
            {
                "b_id": o.notification_id,
                "b_error": o.error,
                "b_attempts": o.attempts,
                "b_duration": o.duration,
            }
            for o in outcomes
        ]
        channels = [
            {
                "b_cid": o.channel_id,
                "b_now": now,
                "b_duration": o.duration,
                "b_error": o.error,
                "b_disable": o.disable,
            }
            for o in outcomes
        ]
        async with self.db.write() as conn:
            await conn.execute(_FINISH_ROW, rows)
            await conn.execute(_FINISH_CHANNEL, channels)

    async def finish_notification(
        self,
        notification_id: int,
        channel_id: str,
        error: str,
        attempts: int,
        duration: float,
        now: datetime,
        disable: bool,
    ) -> None:
        outcome = Outcome(notification_id, channel_id, error, attempts, duration, disable)
        await self.finish_notifications([outcome], now)

    async def list_notifications(self, check_id: int | None = None) -> list[Notification]:
        """Oldest first (tests, admin)."""
        stmt = sa.select(N).order_by(N.c.id)
        if check_id is not None:
            stmt = stmt.where(N.c.check_id == check_id)
        async with self.db.read() as conn:
            return [Notification(*row) for row in (await conn.execute(stmt)).all()]

    async def channel_stats(self, channel_id: str) -> dict[str, Any] | None:
        stmt = sa.select(CS.c.disabled, CS.c.last_notify, CS.c.last_notify_duration, CS.c.last_error).where(
            CS.c.id == channel_id
        )
        async with self.db.read() as conn:
            row = (await conn.execute(stmt)).first()
        return None if row is None else dict(row._mapping)
