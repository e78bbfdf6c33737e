"""HcStore: projects, channels, checks (locked read-modify-write), pings and flips, on both backends."""

from __future__ import annotations

import asyncio
import dataclasses
from datetime import UTC, datetime, timedelta

import pytest

from ztn.domain.hc.models import Check, Flip, PingInput
from ztn.store.db import Database, open_database
from ztn.store.errors import UniqueViolation
from ztn.store.hc_models import CHECK_COLUMNS
from ztn.store.hc_repo import CheckRef, HcStore

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


async def new_project(store: HcStore, name: str = "p", check_limit: int | None = None, tag: str = ""):
    tag = tag or name
    return await store.create_project(
        name, f"rw-{tag}", "rwpre", f"ro-{tag}", "ropre", f"pk-{tag}", f"bk-{tag}", check_limit
    )


async def new_check(
    store: HcStore, project_id: str, n: int, channels: list[str] | None = None, **kw
) -> Check:
    check = Check(
        id=0,
        code=f"00000000-0000-4000-8000-{n:012d}",
        project_id=project_id,
        badge_key=f"00000000-0000-4000-9000-{n:012d}",
        created=NOW,
        **kw,
    )
    inserted = await store.insert_check(check, channels, None)
    assert inserted is not None
    return inserted


@pytest.fixture
async def store(database: Database):
    s = HcStore(database)
    yield s
    await s.close()


def test_rows_map_onto_the_check_dataclass() -> None:
    names = [f.name for f in dataclasses.fields(Check) if f.name != "channel_ids"]
    assert list(CHECK_COLUMNS) == names


async def test_secret_is_created_once_and_shared(database_url: str) -> None:
    dbs = [await open_database(database_url) for _ in range(3)]
    try:
        await dbs[0].migrate()
        stores = [HcStore(db) for db in dbs]
        secrets = await asyncio.gather(*(s.secret() for s in stores))
        assert len(set(secrets)) == 1 and len(secrets[0]) >= 32
        assert await stores[0].secret() == secrets[0]  # cached
        assert await HcStore(dbs[1]).secret() == secrets[0]  # a fresh process reads the same row
    finally:
        for db in dbs:
            await db.close()


async def test_projects_by_key_digest_ping_key_badge_key_and_id(store: HcStore) -> None:
    project = await new_project(store, "alpha", check_limit=7)
    assert project.check_limit == 7 and project.ping_log_limit == 100 and len(project.id) == 36
    assert await store.project_by_key_digest("rw-alpha") == (project, False)
    assert await store.project_by_key_digest("ro-alpha") == (project, True)
    assert await store.project_by_key_digest("nope") is None
    assert await store.project_by_ping_key("pk-alpha") == project
    assert await store.project_by_badge_key("bk-alpha") == project
    assert await store.project_by_id(project.id) == project
    assert await store.project_by_ping_key("bk-alpha") is None
    await store.set_check_limit(project.id, 3)
    assert (await store.project_by_id(project.id)).check_limit == 3
    with pytest.raises(UniqueViolation):
        await new_project(store, "other", tag="alpha")


async def test_legacy_positional_create_project(store: HcStore) -> None:
    keys = ("rwpre", "rw-d", "ropre", "ro-d")
    project = await store.create_project(
        "11111111-2222-4333-8444-555555555555", "old", keys, "pk", "bk", 4, 50
    )
    assert project.id == "11111111-2222-4333-8444-555555555555"
    assert (project.name, project.check_limit, project.ping_log_limit) == ("old", 4, 50)
    assert await store.project_by_key_digest("ro-d") == (project, True)


async def test_channels_in_creation_order(store: HcStore) -> None:
    project, other = await new_project(store, "a"), await new_project(store, "b")
    made = [await store.create_channel(project.id, "webhook", f"hook{i}", f"http://h/{i}") for i in range(3)]
    await store.create_channel(other.id, "email", "mail", "x@example.com")
    listed = await store.list_channels(project.id)
    assert [c.id for c in listed] == [c.id for c in made]
    assert (listed[1].name, listed[1].kind, listed[1].value, listed[1].disabled) == (
        "hook1",
        "webhook",
        "http://h/1",
        False,
    )


async def test_checks_insert_read_and_list(store: HcStore) -> None:
    project = await new_project(store)
    ch = [await store.create_channel(project.id, "webhook", n, "") for n in ("x", "y", "z")]
    ids = sorted(c.id for c in ch)
    a = await new_check(store, project.id, 1, [ids[2], ids[0]], name="A", slug="a", tags="t1 t2", timeout=60)
    b = await new_check(store, project.id, 2, None, name="B", slug="a")
    c = await new_check(store, project.id, 3, ids, name="C", slug="c", desc="long " * 1000)
    assert a.id and a.channel_ids == [ids[0], ids[2]] and b.channel_ids == []

    got = await store.check_by_code(a.code)
    assert got == a  # every column round-trips, channels sorted
    assert (await store.check_by_code(a.code, with_channels=False)).channel_ids == []
    assert await store.check_by_code("00000000-0000-4000-8000-999999999999") is None

    listed = await store.list_checks(project.id, with_channels=True)
    assert [x.code for x in listed] == [a.code, b.code, c.code]
    assert [x.channel_ids for x in listed] == [a.channel_ids, [], ids]
    assert all(x.channel_ids == [] for x in await store.list_checks(project.id))

    assert [x.code for x in await store.check_by_project_slug(project.id, "a")] == [a.code, b.code]
    assert await store.check_by_project_slug(project.id, "nope") == []
    assert await store.count_checks(project.id) == 3
    found = await store.find_check(project.id, {"slug": "a", "name": "B"})
    assert found is not None and found.code == b.code
    assert (await store.find_check(project.id, {"tags": "t1 t2", "timeout": 60})).code == a.code
    assert await store.find_check(project.id, {"name": "A", "grace": 1}) is None


async def test_insert_check_stops_at_the_limit(store: HcStore) -> None:
    project = await new_project(store)
    for n in range(2):
        check = Check(0, f"00000000-0000-4000-8000-{n:012d}", project.id, badge_key=f"b{n}", created=NOW)
        assert await store.insert_check(check, None, 2) is not None
    check = Check(0, "00000000-0000-4000-8000-000000000009", project.id, badge_key="b9", created=NOW)
    assert await store.insert_check(check, None, 2) is None
    assert await store.count_checks(project.id) == 2


async def test_concurrent_inserts_from_several_processes_respect_the_limit(database_url: str) -> None:
    dbs = [await open_database(database_url) for _ in range(3)]
    try:
        await dbs[0].migrate()
        stores = [HcStore(db) for db in dbs]
        project = await new_project(stores[0])

        async def insert(i: int) -> Check | None:
            check = Check(0, f"00000000-0000-4000-8000-{i:012d}", project.id, badge_key=f"b{i}", created=NOW)
            return await stores[i % 3].insert_check(check, None, 5)

        results = await asyncio.gather(*(insert(i) for i in range(24)))
        assert sum(r is not None for r in results) == 5
        assert await stores[1].count_checks(project.id) == 5
    finally:
        for db in dbs:
            await db.close()


async def test_modify_check_writes_columns_flip_and_channels(store: HcStore) -> None:
    project = await new_project(store)
    ch = sorted([(await store.create_channel(project.id, "webhook", n, "")).id for n in ("x", "y")])
    check = await new_check(store, project.id, 1, [ch[0]], name="old")

    def mutate(c: Check) -> Flip:
        assert c.channel_ids == [ch[0]]  # loaded with its channels
        c.name, c.status, c.alert_after, c.manual_resume = "new", "paused", None, True
        return Flip(c.id, NOW, "new", "paused", processed=NOW)

    changed = await store.modify_check(check.code, mutate, [ch[1], ch[0], ch[1]])
    assert changed is not None and changed.name == "new" and changed.channel_ids == ch
    assert await store.check_by_code(check.code) == changed
    flips = await store.list_flips(check.id)
    assert [(f.old_status, f.new_status, f.processed) for f in flips] == [("new", "paused", NOW)]

    kept = await store.modify_check(check.code, lambda c: None)  # channels untouched when not given
    assert kept.channel_ids == ch
    cleared = await store.modify_check(check.code, lambda c: None, [])
    assert cleared.channel_ids == [] and (await store.check_by_code(check.code)).channel_ids == []
    assert await store.modify_check("00000000-0000-4000-8000-999999999999", lambda c: None) is None


async def test_modify_check_rolls_back_and_reraises(store: HcStore) -> None:
    project = await new_project(store)
    channel = await store.create_channel(project.id, "webhook", "x", "")
    check = await new_check(store, project.id, 1, [channel.id], name="kept")

    class Refused(Exception):
        pass

    refused = Refused("no")

    def mutate(c: Check) -> Flip:
        c.name = "lost"
        raise refused

    with pytest.raises(Refused) as info:
        await store.modify_check(check.code, mutate, [])
    assert info.value is refused
    assert await store.check_by_code(check.code) == check
    assert await store.list_flips(check.id) == []


async def test_concurrent_pings_and_modify_check_lose_nothing(database_url: str) -> None:
    """Two "processes": one pings, the other updates the same check; both counters stay exact."""
    dbs = [await open_database(database_url) for _ in range(2)]
    try:
        await dbs[0].migrate()
        pinger, editor = HcStore(dbs[0]), HcStore(dbs[1])
        project = await new_project(pinger)
        check = await new_check(pinger, project.id, 1)

        def edit(c: Check) -> None:
            c.desc += "x"  # the API's counter; the ping writer must not write it back stale
            return None

        async def edits() -> None:
            for _ in range(30):
                assert await editor.modify_check(check.code, edit) is not None

        async def pings() -> None:
            for _ in range(10):
                burst = [
                    pinger.ping(CheckRef(code=check.code), PingInput("success", NOW), process)
                    for _ in range(20)
                ]
                await asyncio.gather(*burst)

        await asyncio.gather(edits(), pings(), edits())
        final = await editor.check_by_code(check.code)
        assert final.n_pings == 200 and final.desc == "x" * 60
        assert len(await editor.list_pings(check.id, 1000)) == 200 - 100  # pruned at n=200 (limit 100)
    finally:
        for db in dbs:
            await db.close()


async def test_delete_check_by_code_or_id_takes_its_rows_along(store: HcStore) -> None:
    project = await new_project(store)
    channel = await store.create_channel(project.id, "webhook", "x", "")
    a = await new_check(store, project.id, 1, [channel.id])
    b = await new_check(store, project.id, 2)
    for check in (a, b):
        await store.ping(CheckRef(code=check.code), PingInput("success", NOW), process)
    assert await store.delete_check(a.code) is True
    assert await store.delete_check(a.code) is False
    assert await store.check_by_code(a.code) is None
    assert await store.list_pings(a.id, 10) == [] and await store.list_flips(a.id) == []
    assert await store.delete_check(b.id) is True and await store.count_checks(project.id) == 0
    assert [c.id for c in await store.list_channels(project.id)] == [channel.id]


async def test_pings_newest_first_with_body_sizes_and_bodies(store: HcStore) -> None:
    project = await new_project(store)
    check = await new_check(store, project.id, 1)
    inputs = [
        PingInput(
            "start", NOW, method="POST", body=b"\xff\x00raw", rid="9b1b4b2a-0e4c-4d5b-a7a4-2f1b2e9c1d00"
        ),
        PingInput("success", NOW + timedelta(seconds=1), scheme="https", remote_addr="1.2.3.4", ua="curl"),
        PingInput("fail", NOW + timedelta(seconds=2), exitstatus=3, method="PROPFIND" * 4, ua="u" * 300),
    ]
    for ping in inputs:
        await store.ping(CheckRef(code=check.code), ping, process)
    pings = await store.list_pings(check.id, 10)
    assert [(p.n, p.kind) for p in pings] == [(3, "fail"), (2, "success"), (1, "start")]
    assert [p.body_size for p in pings] == [0, 0, 5]
    assert pings[0].exitstatus == 3 and pings[0].method == "PROPFIND" * 4 and len(pings[0].ua) == 300
    assert (pings[1].scheme, pings[1].remote_addr, pings[1].ua, pings[1].created) == (
        "https",
        "1.2.3.4",
        "curl",
        NOW + timedelta(seconds=1),
    )
    assert pings[2].rid == "9b1b4b2a-0e4c-4d5b-a7a4-2f1b2e9c1d00" and pings[2].method == "POST"
    assert [p.n for p in await store.list_pings(check.id, 2)] == [3, 2]
    assert await store.ping_body(check.id, 1) == b"\xff\x00raw"
    assert await store.ping_body(check.id, 2) is None and await store.ping_body(check.id, 9) is None


async def test_flips_newest_first_within_a_window(store: HcStore) -> None:
    project = await new_project(store)
    check = await new_check(store, project.id, 1)
    for i, (old, new) in enumerate([("new", "up"), ("up", "down"), ("down", "up")]):
        await store.modify_check(
            check.code, lambda c, i=i, old=old, new=new: Flip(c.id, NOW + timedelta(i), old, new)
        )
    flips = await store.list_flips(check.id)
    assert [(f.created, f.new_status) for f in flips] == [
        (NOW + timedelta(2), "up"),
        (NOW + timedelta(1), "down"),
        (NOW, "up"),
    ]
    assert all(f.id and f.check_id == check.id and f.reason == "" for f in flips)
    window = await store.list_flips(check.id, since=NOW + timedelta(1), until=NOW + timedelta(2))
    assert [f.new_status for f in window] == ["down"]
