"""The going-down pass: expiry detection, back-dated timeout flips, compare-and-set, on both backends."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

import pytest

from hc_alerts_support import T0, Clock, context, new_check, new_project
from ztn.domain.hc.alerts import AlertWorker
from ztn.store.db import Database
from ztn.store.hc_alerts_repo import AlertStore, GoingDown
from ztn.store.hc_repo import HcStore


@pytest.fixture
async def store(database: Database):
    s = HcStore(database)
    yield s
    await s.close()


def worker(database: Database, clock: Clock) -> AlertWorker:
    return AlertWorker(AlertStore(database), context(), clock=clock)


async def test_up_check_goes_down_once_at_its_expiry(store: HcStore, database: Database):
    pid = await new_project(store)
    check = await new_check(store, pid, status="up", last_ping=T0, timeout=60, grace=30)
    assert check.alert_after == T0 + timedelta(seconds=90)
    clock = Clock(T0 + timedelta(seconds=89))
    w = worker(database, clock)
    assert await w.going_down_pass() == []
    assert (await store.check_by_code(check.code)).status == "up"

    clock.now = T0 + timedelta(seconds=500)  # processed late: the flip is still dated at the expiry
    flips = await w.going_down_pass()
    assert [(f.old_status, f.new_status, f.reason, f.created) for f in flips] == [
        ("up", "down", "timeout", T0 + timedelta(seconds=90))
    ]
    stored = await store.check_by_code(check.code)
    assert (stored.status, stored.alert_after) == ("down", None)
    [flip] = await store.list_flips(check.id)
    assert (flip.created, flip.processed, flip.reason) == (T0 + timedelta(seconds=90), None, "timeout")
    assert await w.going_down_pass() == []


async def test_grace_is_not_down(store: HcStore, database: Database):
    pid = await new_project(store)
    check = await new_check(store, pid, status="up", last_ping=T0, timeout=60, grace=30)
    # A stale alert_after in the past while the check is only in its grace period: refreshed, no flip.
    await store.modify_check(check.code, lambda c: setattr(c, "alert_after", T0) or None)
    w = worker(database, Clock(T0 + timedelta(seconds=70)))
    assert await w.going_down_pass() == []
    stored = await store.check_by_code(check.code)
    assert (stored.status, stored.alert_after) == ("up", T0 + timedelta(seconds=90))


async def test_pinged_meanwhile_only_refreshes_alert_after(store: HcStore, database: Database):
    pid = await new_project(store)
    late = T0 + timedelta(seconds=80)
    check = await new_check(
        store, pid, status="up", last_ping=late, timeout=60, grace=30, alert_after=T0 + timedelta(seconds=90)
    )
    w = worker(database, Clock(T0 + timedelta(seconds=100)))
    assert await w.going_down_pass() == []
    stored = await store.check_by_code(check.code)
    assert (stored.status, stored.alert_after) == ("up", late + timedelta(seconds=90))


async def test_started_new_and_paused_checks_go_down(store: HcStore, database: Database):
    pid = await new_project(store)
    new = await new_check(store, pid, status="new", last_start=T0, grace=60)
    paused = await new_check(store, pid, status="paused", last_start=T0, grace=120)
    untouched = await new_check(store, pid, status="new")
    assert untouched.alert_after is None
    w = worker(database, Clock(T0 + timedelta(seconds=200)))
    flips = sorted(await w.going_down_pass(), key=lambda f: f.check_id)
    assert [(f.check_id, f.old_status, f.created) for f in flips] == [
        (new.id, "new", T0 + timedelta(seconds=60)),
        (paused.id, "paused", T0 + timedelta(seconds=120)),
    ]


async def test_earliest_first_across_batches(store: HcStore, database: Database):
    pid = await new_project(store)
    checks = [
        await new_check(store, pid, status="up", last_ping=T0 - timedelta(seconds=i), timeout=10, grace=1)
        for i in range(7)
    ]
    w = AlertWorker(AlertStore(database), context(), clock=Clock(T0 + timedelta(hours=1)), batch=3)
    flips = await w.going_down_pass()
    # Batches earliest expiry first (the oldest ping); inside a batch, rows go in id (lock) order.
    ids = [c.id for c in reversed(checks)]
    assert [f.check_id for f in flips] == sorted(ids[:3]) + sorted(ids[3:6]) + ids[6:]
    assert await w.going_down_pass() == []


async def test_compare_and_set_loses_to_a_concurrent_change(store: HcStore, database: Database):
    pid = await new_project(store)
    check = await new_check(store, pid, status="up", last_ping=T0, timeout=60, grace=30)
    alerts = AlertStore(database)
    [seen] = await alerts.due_checks(T0 + timedelta(seconds=100), 10)
    # A ping lands between the worker's read and its write: alert_after moves on.
    pinged = T0 + timedelta(seconds=95)

    def ping(c):
        c.last_ping = pinged
        c.alert_after = pinged + timedelta(seconds=90)

    await store.modify_check(check.code, ping)
    assert await alerts.apply_going_down([GoingDown(seen, True, seen.alert_after)]) == []
    stored = await store.check_by_code(check.code)
    assert (stored.status, stored.alert_after) == ("up", pinged + timedelta(seconds=90))
    assert await store.list_flips(check.id) == []
    # Nor does a stale "not down yet" decision overwrite the fresh alert_after.
    await alerts.apply_going_down([GoingDown(seen, False, T0)])
    assert (await store.check_by_code(check.code)).alert_after == pinged + timedelta(seconds=90)
    # Two workers with the same decision: exactly one flip.
    fresh = dataclasses.replace(stored, channel_ids=[])
    moment = fresh.alert_after
    both = [GoingDown(fresh, True, moment), GoingDown(dataclasses.replace(fresh), True, moment)]
    assert len(await alerts.apply_going_down(both[:1])) == 1
    assert await alerts.apply_going_down(both[1:]) == []
    assert len(await store.list_flips(check.id)) == 1


async def test_unevaluable_check_is_retried_in_an_hour(
    store: HcStore, database: Database, monkeypatch: pytest.MonkeyPatch
):
    pid = await new_project(store)
    check = await new_check(store, pid, status="up", last_ping=T0, timeout=60, grace=30)

    def broken(*_a, **_k):
        raise ValueError("zone data went away")

    monkeypatch.setattr("ztn.domain.hc.alerts.reported_status", broken)
    now = T0 + timedelta(minutes=5)
    assert await worker(database, Clock(now)).going_down_pass() == []
    stored = await store.check_by_code(check.code)
    assert (stored.status, stored.alert_after) == ("up", now + timedelta(hours=1))


async def test_stale_cron_alert_after_is_recomputed(store: HcStore, database: Database):
    pid = await new_project(store)
    check = await new_check(
        store, pid, status="up", kind="cron", schedule="0 0 1 1 *", last_ping=T0, alert_after=T0
    )
    # Not down (a cron check whose alert_after was stale): the recomputed value is stored.
    now = T0 + timedelta(minutes=5)
    assert await worker(database, Clock(now)).going_down_pass() == []
    stored = await store.check_by_code(check.code)
    assert stored.alert_after is not None and stored.alert_after > now
