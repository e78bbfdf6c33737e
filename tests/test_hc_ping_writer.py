"""The group-commit ping writer: batching, order, provisioning, pruning and failure isolation, on both
backends (several ``Database`` objects on one URL stand for several server processes)."""

from __future__ import annotations

import asyncio
import random
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta

import pytest

from ztn.domain.hc.models import Check, Flip, PingInput
from ztn.store.db import Database, open_database
from ztn.store.errors import StoreUnavailable
from ztn.store.hc_repo import CheckRef, HcStore, Provision

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def process(check: Check, ping: PingInput) -> tuple[str, Flip | None]:
    """A tiny stand-in for the domain rule: count, stamp, go up with a flip on change."""
    check.n_pings += 1
    check.last_ping = ping.now
    flip = None
    if check.status != "up":
        flip = Flip(check.id, ping.now, check.status, "up")
        check.status = "up"
    return ping.action, flip


def by_code(check: Check) -> CheckRef:
    return CheckRef(code=check.code)


def ping(action: str = "success", now: datetime = NOW, **kw) -> PingInput:
    return PingInput(action, now, **kw)


async def new_project(store: HcStore, tag: str = "p"):
    return await store.create_project(tag, f"rw-{tag}", "rw", f"ro-{tag}", "ro", f"pk-{tag}", f"bk-{tag}")


async def new_checks(store: HcStore, project_id: str, count: int, start: int = 0, **kw) -> list[Check]:
    checks = []
    for n in range(start, start + count):
        check = Check(
            0,
            f"00000000-0000-4000-8000-{n:012d}",
            project_id,
            badge_key=f"00000000-0000-4000-9000-{n:012d}",
            created=NOW,
            **kw,
        )
        checks.append(await store.insert_check(check, None, None))
    return checks


@pytest.fixture
async def store(database: Database) -> AsyncIterator[HcStore]:
    s = HcStore(database)
    yield s
    await s.close()


@asynccontextmanager
async def processes(url: str, count: int) -> AsyncIterator[list[HcStore]]:
    dbs = [await open_database(url) for _ in range(count)]
    stores = [HcStore(db) for db in dbs]
    try:
        await dbs[0].migrate()
        yield stores
    finally:
        for s in stores:
            await s.close()
        for db in dbs:
            await db.close()


async def test_a_burst_of_20000_pings_over_500_checks_loses_none(store: HcStore) -> None:
    project = await new_project(store)
    checks = await new_checks(store, project.id, 500)
    refs = [by_code(c) for c in checks] * 40
    random.Random(7).shuffle(refs)
    outcomes = await asyncio.gather(*(store.ping(ref, ping(), process) for ref in refs))
    assert {o.status for o in outcomes} == {"ok"}
    listed = await store.list_checks(project.id)
    assert {c.n_pings for c in listed} == {40} and {c.status for c in listed} == {"up"}
    for c in listed[:20]:
        assert len(await store.list_pings(c.id, 100)) == 40
    assert len(await store.list_flips(listed[0].id)) == 1
    # Group commit: the pings shared a few large transactions instead of one each.
    assert store.pings.transactions <= len(refs) // 100


async def test_pings_of_one_check_in_a_batch_apply_in_arrival_order(store: HcStore) -> None:
    project = await new_project(store)
    (check,) = await new_checks(store, project.id, 1, slug="s")
    actions = ["start", "success", "log", "fail", "success", "start"]
    # Code and slug pings of one check share its in-memory state within the batch.
    refs = [by_code(check), CheckRef(project_id=project.id, slug="s")] * 3
    outcomes = await asyncio.gather(
        *(
            store.ping(ref, ping(a, NOW + timedelta(seconds=i)), process)
            for i, (ref, a) in enumerate(zip(refs, actions, strict=True))
        )
    )
    assert [o.kind for o in outcomes] == actions and {o.status for o in outcomes} == {"ok"}
    pings = list(reversed(await store.list_pings(check.id, 10)))
    assert [(p.n, p.kind, p.created) for p in pings] == [
        (i + 1, a, NOW + timedelta(seconds=i)) for i, a in enumerate(actions)
    ]
    stored = await store.check_by_code(check.code)
    assert stored.n_pings == 6 and stored.last_ping == NOW + timedelta(seconds=5)
    assert store.pings.transactions == 1


async def test_not_found_and_ambiguous(store: HcStore) -> None:
    project = await new_project(store)
    await new_checks(store, project.id, 2, slug="twin")
    outcomes = await asyncio.gather(
        store.ping(CheckRef(code="00000000-0000-4000-8000-999999999999"), ping(), process),
        store.ping(CheckRef(project_id=project.id, slug="nope"), ping(), process),
        store.ping(CheckRef(project_id=project.id, slug="twin"), ping(), process),
        store.ping(
            CheckRef(project_id=project.id, slug="twin"), ping(), process, Provision("twin", "twin", 99)
        ),
        store.ping(
            CheckRef(project_id="no-such-project", slug="x"), ping(), process, Provision("x", "x", 99)
        ),
    )
    assert [o.status for o in outcomes] == ["not_found", "not_found", "ambiguous", "ambiguous", "not_found"]
    assert {c.n_pings for c in await store.list_checks(project.id)} == {0}


async def test_auto_provisioning_creates_the_check_with_every_channel(store: HcStore) -> None:
    project = await new_project(store)
    channels = sorted([(await store.create_channel(project.id, "webhook", n, "")).id for n in "ab"])
    ref = CheckRef(project_id=project.id, slug="backup")
    provision = Provision("backup", "backup", 5)
    first, second, plain = await asyncio.gather(
        store.ping(ref, ping("start"), process, provision),
        store.ping(ref, ping(), process, provision),
        store.ping(ref, ping("log"), process),  # after the creation, in arrival order
    )
    assert (first.status, second.status, plain.status) == ("created", "ok", "ok")
    (check,) = await store.check_by_project_slug(project.id, "backup")
    assert (check.name, check.slug, check.kind, check.timeout, check.grace) == (
        "backup",
        "backup",
        "simple",
        86400,
        3600,
    )
    assert (
        check.n_pings == 3 and len(check.code) == 36 and len(check.badge_key) == 36 and check.created == NOW
    )
    assert (await store.check_by_code(check.code)).channel_ids == channels
    assert [p.kind for p in await store.list_pings(check.id, 10)] == ["log", "success", "start"]


async def test_auto_provisioning_stops_at_the_limit(store: HcStore) -> None:
    project = await new_project(store)
    await new_checks(store, project.id, 2)
    refused = await store.ping(
        CheckRef(project_id=project.id, slug="x"), ping(), process, Provision("x", "x", 2)
    )
    assert refused.status == "not_found" and await store.count_checks(project.id) == 2
    made = await store.ping(
        CheckRef(project_id=project.id, slug="x"), ping(), process, Provision("x", "x", 3)
    )
    assert made.status == "created" and made.check.n_pings == 1


async def test_concurrent_auto_provisioning_in_several_processes_creates_one_check(database_url: str) -> None:
    async with processes(database_url, 3) as stores:
        project = await new_project(stores[0])
        ref = CheckRef(project_id=project.id, slug="job")
        outcomes = await asyncio.gather(
            *(stores[i % 3].ping(ref, ping(), process, Provision("job", "job", 10)) for i in range(30))
        )
        assert sorted(o.status for o in outcomes).count("created") == 1
        assert {o.status for o in outcomes} == {"created", "ok"}
        (check,) = await stores[1].check_by_project_slug(project.id, "job")
        assert check.n_pings == 30


async def test_several_processes_pinging_the_same_checks_neither_deadlock_nor_lose(database_url: str) -> None:
    async with processes(database_url, 3) as stores:
        project = await new_project(stores[0])
        checks = await new_checks(stores[0], project.id, 40, slug="s")
        rng = random.Random(3)

        async def burst(store: HcStore) -> None:
            for _ in range(5):
                refs = [by_code(c) for c in checks] + [CheckRef(project_id=project.id, slug="s")] * 2
                rng.shuffle(refs)
                await asyncio.gather(*(store.ping(ref, ping(), process) for ref in refs))

        await asyncio.gather(*(burst(s) for s in stores))
        assert {c.n_pings for c in await stores[2].list_checks(project.id)} == {15}


async def test_one_failing_ping_does_not_lose_its_batch(store: HcStore) -> None:
    project = await new_project(store)
    checks = await new_checks(store, project.id, 3)

    class Broken(Exception):
        pass

    def breaks(check: Check, p: PingInput) -> tuple[str, Flip | None]:
        raise Broken("domain bug")

    def null_kind(check: Check, p: PingInput) -> tuple[str, Flip | None]:
        check.n_pings += 1
        return None, None  # type: ignore[return-value]  # refused by the database (NOT NULL)

    calls = [store.ping(by_code(c), ping(), process) for _ in range(2) for c in checks]
    calls.insert(2, store.ping(by_code(checks[0]), ping(), breaks))
    calls.insert(4, store.ping(by_code(checks[1]), ping(), null_kind))
    results = await asyncio.gather(*calls, return_exceptions=True)
    assert isinstance(results[2], Broken)
    assert isinstance(results[4], Exception) and not isinstance(results[4], Broken)
    assert [r.status for i, r in enumerate(results) if i not in (2, 4)] == ["ok"] * 6
    assert [c.n_pings for c in await store.list_checks(project.id)] == [2, 2, 2]
    assert [p.n for p in await store.list_pings(checks[1].id, 10)] == [2, 1]


async def test_store_unavailable_reaches_every_caller_of_the_batch_without_retries(store: HcStore) -> None:
    project = await new_project(store)
    checks = await new_checks(store, project.id, 3)
    attempts = 0
    real_write = store.db.write

    @asynccontextmanager
    async def unavailable():
        nonlocal attempts
        attempts += 1
        raise StoreUnavailable("database is locked")
        yield

    store.db.write = unavailable  # type: ignore[method-assign]
    try:
        results = await asyncio.gather(
            *(store.ping(by_code(c), ping(), process) for c in checks), return_exceptions=True
        )
    finally:
        store.db.write = real_write  # type: ignore[method-assign]
    assert all(isinstance(r, StoreUnavailable) for r in results) and attempts == 1
    assert (await store.ping(by_code(checks[0]), ping(), process)).status == "ok"  # the writer lives on


async def test_a_caller_that_goes_away_does_not_take_its_ping_back(store: HcStore) -> None:
    project = await new_project(store)
    (check,) = await new_checks(store, project.id, 1)
    task = asyncio.create_task(store.ping(by_code(check), ping(), process))
    await asyncio.sleep(0)  # queued
    task.cancel()
    await store.close()
    assert (await store.check_by_code(check.code)).n_pings == 1


async def test_every_100th_ping_prunes_pings_and_old_flips(store: HcStore) -> None:
    project = await new_project(store)  # ping_log_limit 100
    old_pings, recent = await new_checks(store, project.id, 2)
    long_ago = NOW - timedelta(days=400)
    # Flips older than BOTH the oldest kept ping and 93 days go; the others stay.
    for check, days in ((old_pings, (500, 200)), (recent, (100, 50))):
        for d in days:
            await store.modify_check(
                check.code, lambda c, d=d: Flip(c.id, NOW - timedelta(days=d), "new", "down")
            )

    for i in range(250):
        when = long_ago if i < 150 else NOW  # the oldest kept ping (n=101) is 400 days old
        await asyncio.gather(
            store.ping(by_code(old_pings), ping(now=when), process),
            *([store.ping(by_code(recent), ping(), process)] if i < 100 else []),
        )
    kept = await store.list_pings(old_pings.id, 1000)
    assert [p.n for p in kept] == list(range(250, 100, -1))  # pruned at n=200: n <= 100 went
    flips = [f.created for f in await store.list_flips(old_pings.id)]
    assert NOW - timedelta(days=500) not in flips and NOW - timedelta(days=200) in flips
    assert len(await store.list_pings(recent.id, 1000)) == 100  # n=100: n <= 0 pruned, nothing else
    flips = [f.created for f in await store.list_flips(recent.id)]
    assert NOW - timedelta(days=100) not in flips and NOW - timedelta(days=50) in flips
