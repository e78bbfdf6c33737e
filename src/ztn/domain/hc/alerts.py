"""The alert worker (spec §10): checks that stopped pinging go down, and every flip is notified.

Two passes, then a short sleep, forever:

1. going-down pass: checks whose ``alert_after`` has passed and are not stored down are evaluated
   with status.py; a check that is down is turned down by a compare-and-set (the store's) with a
   "timeout" flip dated at the moment it expired; otherwise its ``alert_after`` is refreshed;
2. flip pass: unprocessed flips are claimed with a lease and notified on their check's channels
   (fastest first), each delivery retried with back-off on transient errors, at most
   ``concurrency`` deliveries at once so a stuck endpoint never stalls the others.

Everything time-related goes through ``clock`` and ``sleep``, so tests drive the worker through DST
changes and expiries without waiting.
"""

from __future__ import annotations

import asyncio
import logging
import os
import secrets
import socket
import time
from collections.abc import Awaitable, Callable, Sequence
from datetime import UTC, datetime, timedelta
from typing import Generic, TypeVar

from ztn.domain.hc import notify
from ztn.domain.hc.models import DOWN, NEW, PAUSED, UP, Channel, Check, Flip
from ztn.domain.hc.notify import Delivery, FlipEvent, NotifyContext
from ztn.domain.hc.status import compute_alert_after, reported_status
from ztn.store.hc_alerts_repo import AlertStore, FlipWork, GoingDown, Outcome

try:  # the metrics helper's counters (src/ztn/metrics.py)
    from ztn import metrics as _metrics
except ImportError:  # pragma: no cover
    _metrics = None  # type: ignore[assignment]

log = logging.getLogger("ztn.alerts")

Clock = Callable[[], datetime]
Deliver = Callable[[Channel, FlipEvent, NotifyContext, int], Awaitable[Delivery]]
IsNoop = Callable[[Channel, str], bool]

POLL_INTERVAL = 2.0
BATCH = 200  # checks per going-down transaction
LEASE = 120.0  # seconds a claim holds without renewal; renewed every LEASE / 4 while in flight
TRIES = 3
BACKOFF = (1.0, 4.0)  # seconds before the 2nd and 3rd tries
DELIVERY_TIMEOUT = 45.0  # a safety net over the transports' own timeouts (webhook: 30 s)
EVALUATION_ERROR_DELAY = timedelta(hours=1)
NO_NOTIFY_FROM = (NEW, PAUSED)  # new -> up and paused -> up are not notified


def utcnow() -> datetime:
    return datetime.now(UTC)


def default_owner() -> str:
    return f"{socket.gethostname()[:40]}:{os.getpid()}:{secrets.token_hex(4)}"


T = TypeVar("T")
R = TypeVar("R")


class Coalescer(Generic[T, R]):
    """Group commit for the worker's small writes: the items submitted while one flush runs share the
    next flush (one transaction), so a thousand deliveries finishing together cost a few commits, not
    a thousand (SQLite has one writer)."""

    def __init__(self, flush: Callable[[list[T]], Awaitable[list[R]]]) -> None:
        self._flush = flush
        self._pending: list[tuple[T, asyncio.Future[R]]] = []
        self._task: asyncio.Task[None] | None = None

    async def submit(self, item: T) -> R:
        future: asyncio.Future[R] = asyncio.get_running_loop().create_future()
        self._pending.append((item, future))
        if self._task is None:
            self._task = asyncio.create_task(self._run())
        return await future

    async def _run(self) -> None:
        try:
            while self._pending:
                batch, self._pending = self._pending, []
                try:
                    results = await self._flush([item for item, _ in batch])
                except Exception as exc:  # every caller of the batch sees the failure
                    for _, future in batch:
                        if not future.done():
                            future.set_exception(exc)
                    continue
                for (_, future), result in zip(batch, results, strict=True):
                    if not future.done():
                        future.set_result(result)
        finally:
            self._task = None


def should_notify(flip: Flip) -> bool:
    if flip.new_status == UP:
        return flip.old_status not in NO_NOTIFY_FROM
    return flip.new_status == DOWN


class AlertWorker:
    def __init__(
        self,
        store: AlertStore,
        ctx: NotifyContext,
        *,
        deliver: Deliver = notify.deliver,
        is_noop: IsNoop = notify.is_noop,
        clock: Clock = utcnow,
        sleep: Callable[[float], Awaitable[object]] = asyncio.sleep,
        owner: str | None = None,
        poll_interval: float = POLL_INTERVAL,
        concurrency: int = 64,
        lease: float = LEASE,
        tries: int = TRIES,
        backoff: Sequence[float] = BACKOFF,
        delivery_timeout: float = DELIVERY_TIMEOUT,
        batch: int = BATCH,
    ) -> None:
        self.store = store
        self.ctx = ctx
        self.deliver = deliver
        self.is_noop = is_noop
        self.clock = clock
        self.sleep = sleep
        self.owner = owner or default_owner()
        self.poll_interval = poll_interval
        self.lease = lease
        self.tries = max(1, tries)
        self.backoff = tuple(backoff)
        self.delivery_timeout = delivery_timeout
        self.batch = batch
        self.max_flips = concurrency * 4  # claimed at once: enough to keep every seat busy
        self._seats = asyncio.Semaphore(concurrency)
        self._in_flight: dict[int, asyncio.Task[None]] = {}
        self._stopping = asyncio.Event()
        self._wake = asyncio.Event()
        self._renewer: asyncio.Task[None] | None = None
        self._starts: Coalescer[tuple[Flip, list[str]], list[int]] = Coalescer(self._start_rows)
        self._finishes: Coalescer[Outcome, None] = Coalescer(self._finish_rows)
        self._done_flips: Coalescer[int, bool] = Coalescer(self._finish_flips)

    # -- going down ----------------------------------------------------------------------------------
    def decide(self, check: Check, now: datetime) -> GoingDown:
        """Down (dated at the expiry moment) or a refreshed alert_after. A check whose status cannot
        be computed (a broken schedule) is looked at again in an hour."""
        try:
            if reported_status(check, now) == DOWN:
                moment = compute_alert_after(check) or check.alert_after
                return GoingDown(check, True, moment)
            return GoingDown(check, False, compute_alert_after(check))
        except Exception:
            log.exception("check %s: status evaluation failed; retrying in an hour", check.code)
            return GoingDown(check, False, now + EVALUATION_ERROR_DELAY)

    async def going_down_pass(self, on_batch: Callable[[], Awaitable[object]] | None = None) -> list[Flip]:
        """Repeat until no expired check is left; returns the flips this worker created. ``on_batch``
        runs after each batch (the loop starts notifying the first flips while later ones are found)."""
        created: list[Flip] = []
        for _ in range(1000):  # bounded: a pass always ends, even if others keep changing the checks
            now = self.clock()
            due = await self.store.due_checks(now, self.batch)
            if not due:
                break
            flips = await self.store.apply_going_down([self.decide(c, now) for c in due])
            created.extend(flips)
            if _metrics is not None:
                for _flip in flips:
                    _metrics.FLIPS.labels(DOWN).inc()
            if on_batch is not None and flips:
                await on_batch()
            if len(due) < self.batch:
                break
        return created

    # -- flips ---------------------------------------------------------------------------------------
    def _lease_until(self) -> datetime:
        return self.clock() + timedelta(seconds=self.lease)

    async def flip_pass(self) -> int:
        """Claim what this worker has room for and start notifying it; returns the number claimed."""
        room = self.max_flips - len(self._in_flight)
        if room <= 0 or self._stopping.is_set():
            return 0
        flips = await self.store.claim_flips(self.owner, self.clock(), self._lease_until(), room)
        for flip in flips:
            task = asyncio.create_task(self._notify_flip(flip), name=f"ztn-alert-flip-{flip.id}")
            self._in_flight[flip.id] = task
            task.add_done_callback(lambda _t, fid=flip.id: self._flip_done(fid))
        return len(flips)

    def _flip_done(self, flip_id: int) -> None:
        self._in_flight.pop(flip_id, None)
        self._wake.set()  # room again: claim more without waiting for the poll interval

    async def _notify_flip(self, flip: Flip) -> None:
        try:
            if should_notify(flip):
                work = await self.store.flip_work(flip)
                if work.check is not None:
                    await self._notify_channels(flip, work)
            if not await self._done_flips.submit(flip.id):
                log.warning("flip %s: lease lost before it was marked processed", flip.id)
        except Exception:  # the lease expires and another worker (or this one) tries again
            log.exception("flip %s: notification failed; retried once its lease expires", flip.id)

    def channels_for(self, flip: Flip, work: FlipWork) -> list[Channel]:
        """Enabled, not a no-op for the new status, not already done; fastest (last duration) first,
        never-used channels first of all."""
        chosen = [
            nc
            for nc in work.channels
            if nc.channel.id not in work.finished and not self.is_noop(nc.channel, flip.new_status)
        ]
        chosen.sort(key=lambda nc: -1.0 if nc.last_notify_duration is None else nc.last_notify_duration)
        return [nc.channel for nc in chosen]

    async def _notify_channels(self, flip: Flip, work: FlipWork) -> None:
        assert work.check is not None
        event = FlipEvent(work.check, flip, work.last_body, work.last_exitstatus)
        channels = self.channels_for(flip, work)
        if not channels:
            return
        # Rows first, so a takeover after a crash sees what was started.
        rows = await self._starts.submit((flip, [c.id for c in channels]))
        await asyncio.gather(
            *(self._notify_one(row, c, event) for row, c in zip(rows, channels, strict=True))
        )

    async def _notify_one(self, row: int, channel: Channel, event: FlipEvent) -> None:
        delivery = Delivery(error="not attempted")
        attempts = 0
        started = time.perf_counter()
        for attempt in range(1, self.tries + 1):
            attempts = attempt
            async with self._seats:
                t0 = time.perf_counter()
                delivery = await self._deliver_once(channel, event, attempt)
                elapsed = time.perf_counter() - t0
            self._observe(channel, delivery, elapsed)
            if delivery.ok or delivery.permanent or attempt == self.tries:
                break
            pause = self.backoff[min(attempt - 1, len(self.backoff) - 1)] if self.backoff else 0.0
            await self.sleep(pause)
        duration = time.perf_counter() - started
        if delivery.permanent:
            log.warning("channel %s disabled after a permanent error: %s", channel.id, delivery.error)
        outcome = Outcome(row, channel.id, delivery.error, attempts, duration, delivery.permanent)
        await self._finishes.submit(outcome)

    # The coalescers' flushes.
    async def _start_rows(self, items: list[tuple[Flip, list[str]]]) -> list[list[int]]:
        pairs = [(flip, channel_id) for flip, channel_ids in items for channel_id in channel_ids]
        ids = iter(await self.store.start_notifications(pairs, self.clock()))
        return [[next(ids) for _ in channel_ids] for _, channel_ids in items]

    async def _finish_rows(self, outcomes: list[Outcome]) -> list[None]:
        await self.store.finish_notifications(outcomes, self.clock())
        return [None] * len(outcomes)

    async def _finish_flips(self, flip_ids: list[int]) -> list[bool]:
        return await self.store.finish_flips(flip_ids, self.owner, self.clock())

    async def _deliver_once(self, channel: Channel, event: FlipEvent, attempt: int) -> Delivery:
        try:
            return await asyncio.wait_for(
                self.deliver(channel, event, self.ctx, attempt), self.delivery_timeout
            )
        except TimeoutError:
            return Delivery(error=f"timed out after {self.delivery_timeout:g} s")
        except Exception as exc:  # deliver must not raise; a bug in it must not lose the flip
            return Delivery(error=f"internal error: {type(exc).__name__}: {exc}")

    @staticmethod
    def _observe(channel: Channel, delivery: Delivery, elapsed: float) -> None:
        if _metrics is None:
            return
        _metrics.NOTIFY_LATENCY.observe(elapsed)
        if delivery.ok:
            _metrics.NOTIFICATIONS_SENT.labels(channel.kind).inc()
        else:
            _metrics.NOTIFICATIONS_FAILED.labels(channel.kind).inc()

    async def _renew_leases(self) -> None:
        while True:
            await asyncio.sleep(self.lease / 4)
            try:
                await self.store.renew_leases(self.owner, list(self._in_flight), self._lease_until())
            except Exception:
                log.exception("lease renewal failed")

    # -- the loop ------------------------------------------------------------------------------------
    async def run_once(self) -> tuple[list[Flip], int]:
        """One going-down pass and one flip pass, waiting for the notifications it started (tests)."""
        flips = await self.going_down_pass()
        claimed = await self.flip_pass()
        await self.drain()
        return flips, claimed

    async def drain(self) -> None:
        while self._in_flight:
            await asyncio.gather(*list(self._in_flight.values()), return_exceptions=True)

    async def run(self) -> None:
        """Until ``stop()``: then the notifications in flight finish before this returns."""
        self._renewer = asyncio.create_task(self._renew_leases(), name="ztn-alert-leases")
        try:
            while not self._stopping.is_set():
                try:
                    await self.going_down_pass(on_batch=self.flip_pass)
                    await self.flip_pass()
                except Exception:  # database down, etc.: log and try again at the next tick
                    log.exception("alert pass failed")
                self._wake.clear()
                await self._wait(await self._until_next())
            await self.drain()
        finally:
            self._renewer.cancel()
            await asyncio.gather(self._renewer, return_exceptions=True)

    async def _until_next(self) -> float:
        """The poll interval, or less when a check expires sooner (just after it: due is "<")."""
        try:
            moment = await self.store.next_alert_after()
        except Exception:
            return self.poll_interval
        if moment is None:
            return self.poll_interval
        seconds = (moment - self.clock()).total_seconds() + 0.001
        if seconds <= 0:  # already due yet not taken (e.g. the pass failed): no busy loop
            return self.poll_interval
        return min(self.poll_interval, seconds)

    async def _wait(self, seconds: float) -> None:
        stop = asyncio.ensure_future(self._stopping.wait())
        wake = asyncio.ensure_future(self._wake.wait())
        try:
            await asyncio.wait({stop, wake}, timeout=seconds, return_when=asyncio.FIRST_COMPLETED)
        finally:
            stop.cancel()
            wake.cancel()

    def stop(self) -> None:
        """Stop claiming; ``run()`` returns once the notifications in flight are done."""
        self._stopping.set()
