"""The ListChecks memos: the project's check rows per data version (HcStore.check_rows) and the
rendered response until the first moment a reported status can change, on both backends.

A write from another OS process must invalidate the rows: on SQLite the next read sees it
(``PRAGMA data_version``), on PostgreSQL once its NOTIFY has arrived, so those checks poll with a
bounded wait (never a timing assertion).
"""

from __future__ import annotations

import asyncio
import sys
import textwrap
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import TypeVar

import orjson
import pytest

from ztn.domain.hc import keys
from ztn.domain.hc.checks import HcApi
from ztn.domain.hc.models import CRON, DOWN, NEW, PAUSED, SIMPLE, UP, Channel, Check
from ztn.domain.hc.stable import stable_until
from ztn.domain.hc.status import reported_status
from ztn.gateway.codec_json import codec_for, share
from ztn.gateway.context import CallContext
from ztn.gateway.json_style import CANONICAL, SNAKE_NULLS_ISO
from ztn.healthchecks.v3 import healthchecks_pb2 as pb
from ztn.services.healthchecks.servicer import HealthchecksServicer
from ztn.store import hc_repo
from ztn.store.db import Database
from ztn.store.hc_repo import HcStore

T = TypeVar("T")
WAIT_S = 10.0
T0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


async def until(probe: Callable[[], Awaitable[T]], done: Callable[[T], bool]) -> T:
    deadline = asyncio.get_running_loop().time() + WAIT_S
    while True:
        value = await probe()
        if done(value) or asyncio.get_running_loop().time() > deadline:
            assert done(value), f"still {value!r} after {WAIT_S} s"
            return value
        await asyncio.sleep(0.01)


@pytest.fixture
async def store(database: Database) -> AsyncIterator[HcStore]:
    # PostgreSQL caches only while the change listener listens.
    await until(lambda: asyncio.sleep(0, database.caching or not database.is_postgres), bool)
    s = HcStore(database)
    yield s
    await s.close()


async def seed(store: HcStore, n: int = 3) -> tuple[str, str, list[Check]]:
    """(project id, read-write key, checks): simple checks, "up" since T0, two channels each."""
    secret = await store.secret()
    rw, ro = keys.new_api_key(False), keys.new_api_key(True)
    project = await store.create_project(
        "memo",
        keys.key_digest(secret, rw),
        keys.key_prefix(rw),
        keys.key_digest(secret, ro),
        keys.key_prefix(ro),
        keys.new_ping_key(),
        keys.new_uuid(),
    )
    channels = [
        (await store.create_channel(Channel(keys.new_uuid(), project.id, name, "webhook", "http://x/"))).id
        for name in ("a", "b")
    ]
    checks = []
    for i in range(n):
        check = Check(
            0, keys.new_uuid(), project.id, name=f"c{i}", badge_key=keys.new_uuid(), created=T0,
            status=UP, last_ping=T0, timeout=60, grace=30, n_pings=1,
        )  # fmt: skip
        inserted = await store.insert_check(check, channels, None)
        assert inserted is not None
        checks.append(inserted)
    return project.id, rw, checks


async def test_rows_are_shared_until_a_write_and_listed_checks_are_fresh(store: HcStore) -> None:
    project_id, _, checks = await seed(store)
    rows = await store.check_rows(project_id, with_channels=True)
    assert await store.check_rows(project_id, with_channels=True) is rows  # a memo hit
    listed = await store.list_checks(project_id, with_channels=True)
    assert [c.code for c in listed] == [c.code for c in checks]
    assert all(c.channel_ids == checks[0].channel_ids and len(c.channel_ids) == 2 for c in listed)
    listed[0].name, listed[0].channel_ids[:] = "changed by a caller", []
    again = await store.list_checks(project_id, with_channels=True)
    assert again[0].name == "c0" and len(again[0].channel_ids) == 2
    assert all(c.channel_ids == [] for c in await store.list_checks(project_id))

    def rename(check: Check) -> None:
        check.name = "renamed here"

    await store.modify_check(checks[1].code, rename)  # own write: seen at once
    fresh = await store.check_rows(project_id, with_channels=True)
    assert fresh is not rows and [c.name for c in fresh.checks()] == ["c0", "renamed here", "c2"]


_OTHER_PROCESS = textwrap.dedent(
    """
    import asyncio, sys
    from ztn.store.db import open_database
    from ztn.store.hc_repo import HcStore

    async def main(url, code, name):
        db = await open_database(url)
        try:
            def rename(check):
                check.name = name
            assert await HcStore(db).modify_check(code, rename) is not None
        finally:
            await db.close()

    asyncio.run(main(*sys.argv[1:]))
    """
)


async def other_process_renames(url: str, code: str, name: str) -> None:
    proc = await asyncio.create_subprocess_exec(sys.executable, "-c", _OTHER_PROCESS, url, code, name)
    assert await proc.wait() == 0


async def test_a_write_from_another_process_invalidates_the_rows(store: HcStore, database_url: str) -> None:
    project_id, _, checks = await seed(store)
    rows = await store.check_rows(project_id, with_channels=True)
    assert await store.check_rows(project_id, with_channels=True) is rows
    await other_process_renames(database_url, checks[2].code, "renamed there")

    async def names() -> list[str]:
        return [c.name for c in await store.list_checks(project_id, with_channels=True)]

    await until(names, lambda got: got == ["c0", "c1", "renamed there"])
    assert await store.check_rows(project_id, with_channels=True) is not rows


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


async def test_the_listed_response_is_memoised_until_a_status_can_change(
    store: HcStore, database_url: str
) -> None:
    project_id, rw, checks = await seed(store)
    clock = Clock(T0 + timedelta(seconds=10))
    servicer = HealthchecksServicer(HcApi(store, "http://localhost", clock=clock), None)  # type: ignore[arg-type]
    ctx = CallContext((("x-api-key", rw),))

    async def listed() -> pb.ListChecksResponse:
        return await servicer.ListChecks(pb.ListChecksRequest(api_version="v3"), ctx)

    first = await listed()
    assert [c.status for c in first.checks] == ["up"] * 3
    clock.now = T0 + timedelta(seconds=59, microseconds=999_999)
    assert await listed() is first  # nothing can have changed yet: the same message
    clock.now = T0 + timedelta(seconds=60)  # grace starts (last ping + timeout)
    grace = await listed()
    assert [c.status for c in grace.checks] == ["grace"] * 3
    assert await listed() is grace
    filtered = await servicer.ListChecks(pb.ListChecksRequest(api_version="v3", slug="nope"), ctx)
    assert len(filtered.checks) == 0 and await listed() is grace  # filters have their own entries
    clock.now = T0 + timedelta(seconds=90)  # ... and ends
    assert [c.status for c in (await listed()).checks] == ["down"] * 3

    await other_process_renames(database_url, checks[0].code, "renamed there")
    await until(listed, lambda got: got.checks[0].name == "renamed there")
    clock.now = T0 - timedelta(seconds=1)  # a clock that went back is not served from the memo
    assert [c.status for c in (await listed()).checks] == ["up"] * 3


def _variety() -> list[Check]:
    checks = []
    for i, (kind, status, started) in enumerate(
        (kind, status, started)
        for kind in (SIMPLE, CRON)
        for status in (NEW, UP, DOWN, PAUSED)
        for started in (None, -100, -20, 5)
    ):
        checks.append(
            Check(
                i, f"code{i}", "p", kind=kind, status=status, timeout=50 + i, grace=25 + i % 7,
                schedule="*/2 * * * *", tz="Europe/Riga", last_ping=T0 - timedelta(seconds=3 * i),
                last_start=None if started is None else T0 + timedelta(seconds=started),
            )
        )  # fmt: skip
    return checks


def test_statuses_hold_until_the_stable_moment() -> None:
    """Every reported status (v1 and later) is the same at any moment in [now, stable_until)."""
    checks = _variety()
    now, steps = T0, 0
    while (end := stable_until(checks, now)) is not None:  # until every status is final
        assert end > now and steps < 1000
        steps += 1
        probes = [now + (end - now) * f for f in (0.25, 0.5, 0.999)] + [end - timedelta(microseconds=1)]
        for v1 in (False, True):
            before = [reported_status(c, now, v1) for c in checks]
            for t in probes:
                assert [reported_status(c, t, v1) for c in checks] == before, (now, t)
        now = end
    assert steps > 10
    assert stable_until([Check(1, "c", "p", status=PAUSED)], T0) is None


def test_a_shared_message_is_encoded_once_per_style_and_others_every_time() -> None:
    snake, canonical = codec_for(SNAKE_NULLS_ISO), codec_for(CANONICAL)
    msg = pb.ListChecksResponse(checks=[pb.Check(name="a", grace=60)])
    assert snake.encode(share(msg)) is snake.encode(msg)  # the same bytes object: memoised
    assert snake.encode(msg) == orjson.dumps(snake.to_obj(msg))
    assert canonical.encode(msg) == orjson.dumps(canonical.to_obj(msg)) != snake.encode(msg)
    other = pb.ListChecksResponse(checks=[pb.Check(name="b")])
    first = snake.encode(other)
    other.checks[0].name = "changed"
    assert snake.encode(other) != first  # never shared: encoded each time


async def test_concurrent_misses_share_one_read_and_a_failed_one_is_not_shared(
    store: HcStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    project_id, _, _ = await seed(store)
    calls = []
    real = hc_repo._read_check_rows

    async def counted(conn, project_id, with_channels):  # noqa: ANN001, ANN202
        calls.append(project_id)
        first = len(calls) == 1
        await asyncio.sleep(0.01)  # lets the others arrive while this read is under way
        if first and fail:
            raise RuntimeError("database went away")
        return await real(conn, project_id, with_channels)

    monkeypatch.setattr(hc_repo, "_read_check_rows", counted)
    fail = False
    got = await asyncio.gather(*(store.check_rows(project_id, True) for _ in range(5)))
    if store.db.is_postgres:  # SQLite: each concurrent read has its own connection, and its own memo
        assert all(g is got[0] for g in got) and len(calls) == 1

    await store.modify_check(got[0].checks()[0].code, lambda c: setattr(c, "name", "x"))  # a new snapshot
    calls.clear()
    fail = True
    reads = (store.check_rows(project_id, True) for _ in range(3))
    got = await asyncio.gather(*reads, return_exceptions=True)
    assert isinstance(got[0], RuntimeError)
    assert all(isinstance(g, hc_repo.CheckRows) and g.checks()[0].name == "x" for g in got[1:])


async def test_a_write_elsewhere_hands_out_the_same_rows_again(store: HcStore, database_url: str) -> None:
    project_id, _, checks = await seed(store)
    other_id, _, others = await seed(store, 1)
    rows = await store.check_rows(project_id, with_channels=True)
    await other_process_renames(database_url, others[0].code, "elsewhere")  # another project's check
    await until(lambda: store.list_checks(other_id), lambda got: got[0].name == "elsewhere")
    assert await store.check_rows(project_id, with_channels=True) is rows  # re-read, found unchanged
    await other_process_renames(database_url, checks[0].code, "here")
    fresh = await until(lambda: store.check_rows(project_id, with_channels=True), lambda got: got is not rows)
    assert fresh.checks()[0].name == "here"
