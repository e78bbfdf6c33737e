"""The flip pass: claims with leases, channel selection and order, notification rows, retries with
back-off, permanent errors, bounded concurrency; with a fake transport, on both backends."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

from hc_alerts_support import T0, Clock, FakeDeliver, context, new_check, new_project
from ztn.domain.hc.alerts import AlertWorker
from ztn.domain.hc.models import Check, Flip
from ztn.domain.hc.notify import Delivery
from ztn.store.db import Database
from ztn.store.hc_alerts_repo import CS, AlertStore
from ztn.store.hc_repo import HcStore

HOOK = '{"url_down": "http://127.0.0.1:9/d", "url_up": "http://127.0.0.1:9/u"}'
DOWN_ONLY = '{"url_down": "http://127.0.0.1:9/d", "url_up": ""}'


@pytest.fixture
async def store(database: Database):
    s = HcStore(database)
    yield s
    await s.close()


def noop(channel, status) -> bool:
    import json

    return not json.loads(channel.value).get(f"url_{status}")


def worker(database: Database, deliver: FakeDeliver, clock: Clock | None = None, **kw) -> AlertWorker:
    sleeps: list[float] = []

    async def fake_sleep(seconds: float) -> None:
        sleeps.append(seconds)

    w = AlertWorker(
        AlertStore(database),
        context(),
        deliver=deliver,
        is_noop=noop,
        clock=clock or Clock(T0 + timedelta(hours=1)),
        sleep=fake_sleep,
        **kw,
    )
    w.sleeps = sleeps  # type: ignore[attr-defined]
    return w


async def add_flip(store: HcStore, check: Check, old: str, new: str) -> None:
    def mutate(c: Check) -> Flip:
        c.status = new
        return Flip(c.id, T0, old, new)

    await store.modify_check(check.code, mutate)


async def channels(store: HcStore, pid: str, *specs: tuple[str, str]) -> list[str]:
    return [(await store.create_channel(pid, "webhook", name, value)).id for name, value in specs]


async def test_timeout_flip_notifies_each_channel_once_and_is_processed(store: HcStore, database: Database):
    pid = await new_project(store)
    ids = await channels(store, pid, ("a", HOOK), ("b", HOOK))
    check = await new_check(store, pid, ids, status="up", last_ping=T0, timeout=60, grace=30)
    fake = FakeDeliver()
    w = worker(database, fake)
    flips, claimed = await w.run_once()
    assert len(flips) == 1 and claimed == 1
    assert sorted(c[:3] for c in fake.calls) == [("a", flips[0].id, "down"), ("b", flips[0].id, "down")]
    [flip] = await store.list_flips(check.id)
    assert flip.processed == T0 + timedelta(hours=1)
    notes = await w.store.list_notifications(check.id)
    assert sorted((n.channel_id, n.check_status, n.error, n.attempts) for n in notes) == sorted(
        (i, "down", "", 1) for i in ids
    )
    for i in ids:
        stats = await w.store.channel_stats(i)
        assert stats["last_notify"] == T0 + timedelta(hours=1) and stats["last_error"] == ""
        assert not stats["disabled"]
    assert await w.run_once() == ([], 0)
    assert len(fake.calls) == 2


async def test_which_flips_and_channels_are_notified(store: HcStore, database: Database):
    pid = await new_project(store)
    hook, down_only, disabled = await channels(store, pid, ("hook", HOOK), ("down", DOWN_ONLY), ("off", HOOK))
    async with database.write() as conn:
        await conn.execute(CS.update().where(CS.c.id == disabled).values(disabled=True))
    linked = [hook, down_only, disabled]
    first = await new_check(store, pid, linked)  # new -> up: silent
    await add_flip(store, first, "new", "up")
    second = await new_check(store, pid, linked, status="paused")  # paused -> up: silent
    await add_flip(store, second, "paused", "up")
    third = await new_check(store, pid, linked, status="down")  # down -> up: "up" where configured
    await add_flip(store, third, "down", "up")
    fourth = await new_check(store, pid, linked, status="up")  # up -> down (a fail ping)
    await add_flip(store, fourth, "up", "down")
    lonely = await new_check(store, pid, [], status="up")  # no channels at all
    await add_flip(store, lonely, "up", "down")
    fake = FakeDeliver()
    w = worker(database, fake)
    assert (await w.run_once())[1] == 5
    assert sorted(c[0::2] for c in fake.calls) == [("down", "down"), ("hook", "down"), ("hook", "up")]
    assert await w.store.unprocessed_count() == 0
    assert len(await w.store.list_notifications()) == 3


async def test_fastest_channel_first(store: HcStore, database: Database):
    pid = await new_project(store)
    slow, fast, unused = await channels(store, pid, ("slow", HOOK), ("fast", HOOK), ("unused", HOOK))
    async with database.write() as conn:
        await conn.execute(CS.update().where(CS.c.id == slow).values(last_notify_duration=2.5))
        await conn.execute(CS.update().where(CS.c.id == fast).values(last_notify_duration=0.1))
    check = await new_check(store, pid, [slow, fast, unused], status="up")
    await add_flip(store, check, "up", "down")
    fake = FakeDeliver()
    w = worker(database, fake, concurrency=1)
    await w.run_once()
    assert [c[0] for c in fake.calls] == ["unused", "fast", "slow"]


async def test_transient_errors_are_retried_with_back_off_permanent_ones_disable(
    store: HcStore, database: Database
):
    pid = await new_project(store)
    flaky, broken, dead, gone = await channels(
        store, pid, ("flaky", HOOK), ("broken", HOOK), ("dead", HOOK), ("gone", HOOK)
    )
    check = await new_check(store, pid, [flaky, broken, dead, gone], status="up")
    await add_flip(store, check, "up", "down")
    fake = FakeDeliver(
        script={
            "flaky": [Delivery(error="HTTP 500"), Delivery()],
            "broken": [Delivery(error="timed out")] * 3,
            "dead": [Delivery(error="HTTP 500"), Delivery(error="HTTP 410", permanent=True)],
        }
    )
    w = worker(database, fake)
    await w.run_once()
    tries = {}
    for name, _flip, _status, attempt in fake.calls:
        tries[name] = max(tries.get(name, 0), attempt)
    assert tries == {"flaky": 2, "broken": 3, "dead": 2, "gone": 1}
    assert sorted(w.sleeps) == sorted([1.0, 1.0, 4.0, 1.0])  # flaky 1, broken 1+4, dead 1
    by_channel = {n.channel_id: n for n in await w.store.list_notifications(check.id)}
    assert (by_channel[flaky].error, by_channel[flaky].attempts) == ("", 2)
    assert (by_channel[broken].error, by_channel[broken].attempts) == ("timed out", 3)
    assert (by_channel[dead].error, by_channel[dead].attempts) == ("HTTP 410", 2)
    assert (await w.store.channel_stats(dead))["disabled"] is True
    assert (await w.store.channel_stats(broken))["disabled"] is False
    assert await w.store.unprocessed_count() == 0  # failures are recorded; the flip is done


async def test_a_stuck_endpoint_does_not_stall_the_others(store: HcStore, database: Database):
    pid = await new_project(store)
    ids = await channels(store, pid, ("stuck", HOOK), *[(f"ok{i}", HOOK) for i in range(5)])
    for _ in range(3):
        check = await new_check(store, pid, ids, status="up")
        await add_flip(store, check, "up", "down")
    release = asyncio.Event()
    delivered: list[str] = []
    active = 0
    peak = 0

    async def deliver(channel, event, ctx, attempt):
        nonlocal active, peak
        active += 1
        peak = max(peak, active)
        try:
            if channel.name == "stuck":
                await release.wait()
            else:
                await asyncio.sleep(0)
            delivered.append(channel.name)
            return Delivery()
        finally:
            active -= 1

    w = AlertWorker(AlertStore(database), context(), deliver=deliver, is_noop=noop, concurrency=4)
    assert await w.flip_pass() == 3
    for _ in range(200):  # every other delivery completes while the stuck ones hold 3 of 4 seats
        if len(delivered) == 15:
            break
        await asyncio.sleep(0.01)
    assert sorted(delivered) == sorted(f"ok{i}" for i in range(5) for _ in range(3))
    assert peak <= 4
    release.set()
    await w.drain()
    assert await w.store.unprocessed_count() == 0


async def test_per_delivery_timeout(store: HcStore, database: Database):
    pid = await new_project(store)
    [hang] = await channels(store, pid, ("hang", HOOK))
    check = await new_check(store, pid, [hang], status="up")
    await add_flip(store, check, "up", "down")

    async def deliver(channel, event, ctx, attempt):
        await asyncio.Event().wait()

    w = AlertWorker(
        AlertStore(database), context(), deliver=deliver, is_noop=noop, delivery_timeout=0.05, tries=1
    )
    await w.run_once()
    [note] = await w.store.list_notifications(check.id)
    assert note.error.startswith("timed out")


async def test_leases_exclusive_and_taken_over_after_expiry(store: HcStore, database: Database):
    pid = await new_project(store)
    ids = await channels(store, pid, ("a", HOOK), ("b", HOOK))
    check = await new_check(store, pid, ids, status="up")
    await add_flip(store, check, "up", "down")
    alerts = AlertStore(database)
    now = T0
    [flip] = await alerts.claim_flips("crashed", now, now + timedelta(seconds=60), 10)
    assert (
        await alerts.claim_flips("other", now + timedelta(seconds=30), now + timedelta(seconds=90), 10) == []
    )
    # The crashed worker had finished channel "a" and started "b".
    done = await alerts.start_notification(flip, ids[0], now)
    await alerts.finish_notification(done, ids[0], "", 1, 0.1, now, disable=False)
    await alerts.start_notification(flip, ids[1], now)
    # Its lease expires: another worker takes over and sends only what was not finished.
    fake = FakeDeliver()
    w = worker(database, fake, clock=Clock(now + timedelta(seconds=61)), owner="other")
    assert (await w.run_once())[1] == 1
    assert [c[0] for c in fake.calls] == ["b"]
    notes = await alerts.list_notifications(check.id)
    assert sorted((n.channel_id, n.error) for n in notes) == sorted([(ids[0], ""), (ids[1], "")])
    # The old owner cannot mark it any more.
    assert not await alerts.finish_flip(flip.id, "crashed", now)
    assert await alerts.unprocessed_count() == 0


async def test_renewed_lease_is_not_taken(store: HcStore, database: Database):
    pid = await new_project(store)
    check = await new_check(store, pid, [], status="up")
    await add_flip(store, check, "up", "down")
    alerts = AlertStore(database)
    [flip] = await alerts.claim_flips("w1", T0, T0 + timedelta(seconds=60), 10)
    assert await alerts.renew_leases("w1", [flip.id], T0 + timedelta(seconds=120)) == 1
    assert await alerts.renew_leases("w2", [flip.id], T0 + timedelta(seconds=999)) == 0
    assert await alerts.claim_flips("w2", T0 + timedelta(seconds=90), T0 + timedelta(seconds=150), 10) == []
    assert (
        len(await alerts.claim_flips("w2", T0 + timedelta(seconds=121), T0 + timedelta(seconds=200), 10)) == 1
    )


async def test_deleted_check_flip_is_just_processed(store: HcStore, database: Database):
    pid = await new_project(store)
    ids = await channels(store, pid, ("a", HOOK))
    check = await new_check(store, pid, ids, status="up")
    await add_flip(store, check, "up", "down")
    alerts = AlertStore(database)
    [flip] = await alerts.claim_flips("w", T0, T0 + timedelta(seconds=60), 10)
    await store.delete_check(check.code)
    assert (await alerts.flip_work(flip)).check is None


async def test_coalescer_shares_flushes_and_reports_failures():
    from ztn.domain.hc.alerts import Coalescer

    batches: list[list[int]] = []

    async def flush(items: list[int]) -> list[int]:
        batches.append(items)
        await asyncio.sleep(0)
        if 13 in items:
            raise RuntimeError("database down")
        return [i * 2 for i in items]

    c: Coalescer[int, int] = Coalescer(flush)
    assert await asyncio.gather(*(c.submit(i) for i in range(5))) == [0, 2, 4, 6, 8]
    assert len(batches) <= 2  # the first call flushes alone, the rest share the next flush
    results = await asyncio.gather(c.submit(13), c.submit(14), return_exceptions=True)
    assert all(isinstance(r, RuntimeError) for r in results)
    assert await c.submit(3) == 6  # and it keeps working


async def test_metrics_count_flips_and_deliveries(store: HcStore, database: Database):
    from ztn import metrics

    pid = await new_project(store)
    ok, bad = await channels(store, pid, ("ok", HOOK), ("bad", HOOK))
    await new_check(store, pid, [ok, bad], status="up", last_ping=T0, timeout=60, grace=30)
    sent, failed = (
        metrics.NOTIFICATIONS_SENT.labels("webhook"),
        metrics.NOTIFICATIONS_FAILED.labels("webhook"),
    )
    flips = metrics.FLIPS.labels("down")
    before = (sent.value, failed.value, flips.value)
    fake = FakeDeliver(script={"bad": [Delivery(error="HTTP 500")] * 3})
    await worker(database, fake).run_once()
    assert (sent.value, failed.value, flips.value) == (before[0] + 1, before[1] + 3, before[2] + 1)
    assert "ztn_notify_latency_seconds_count" in metrics.REGISTRY.render()
