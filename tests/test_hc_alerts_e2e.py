"""End to end with real processes: ``ztn serve`` runs the worker in-process (``--no-alerts`` does not),
a check that stops pinging goes down and a webhook on 127.0.0.1 gets the body once, recovery sends
"up"; ``ztn alerts`` alone finishes in-flight deliveries on SIGTERM."""

from __future__ import annotations

import asyncio
import json
import signal
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import aiohttp
import pytest
import sqlalchemy as sa
from aiohttp import web

from fixtures_server import new_server
from hc_alerts_support import new_check, new_project
from ztn.domain.hc.models import Check
from ztn.domain.hc.status import compute_alert_after
from ztn.store.db import open_database
from ztn.store.hc_alerts_repo import AlertStore
from ztn.store.hc_models import hc_pings
from ztn.store.hc_repo import HcStore

FAST = {"ZTN_ALERTS_ALLOW_PRIVATE": "1", "ZTN_ALERTS_POLL_INTERVAL": "0.1"}
BODY = '{"status": "$STATUS", "name": $NAME_JSON, "now": "$NOW", "body": $BODY_JSON, "json": $JSON}'


class Hook:
    """A webhook receiver on 127.0.0.1: records (path, body); ``gate`` holds requests while cleared."""

    def __init__(self) -> None:
        self.received: list[tuple[str, bytes]] = []
        self.arrived = asyncio.Event()
        self.gate = asyncio.Event()
        self.gate.set()
        self.runner: web.AppRunner | None = None
        self.port = 0
        self.delay = 0.0  # seconds each answer takes (overlapping deliveries)

    async def handle(self, request: web.Request) -> web.Response:
        body = await request.read()
        await self.gate.wait()
        if self.delay:
            await asyncio.sleep(self.delay)
        self.received.append((request.path, body))
        self.arrived.set()
        return web.Response(text="ok")

    async def start(self) -> Hook:
        app = web.Application()
        app.router.add_route("*", "/{tail:.*}", self.handle)
        self.runner = web.AppRunner(app, access_log=None)
        await self.runner.setup()
        site = web.TCPSite(self.runner, "127.0.0.1", 0)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        return self

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    async def wait_for(self, count: int, timeout: float = 20.0) -> None:
        async def enough() -> None:
            while len(self.received) < count:
                self.arrived.clear()
                await self.arrived.wait()

        await asyncio.wait_for(enough(), timeout)

    async def stop(self) -> None:
        if self.runner is not None:
            await self.runner.cleanup()


@pytest.fixture
async def hook():
    h = await Hook().start()
    yield h
    await h.stop()


def webhook_value(hook: Hook, name: str) -> str:
    return json.dumps(
        {
            "url_down": hook.url(f"/{name}/down"),
            "method_down": "POST",
            "body_down": BODY,
            "url_up": hook.url(f"/{name}/up"),
            "method_up": "POST",
            "body_up": BODY,
        }
    )


def back_date(hours: float):
    """A mutation: the last ping was ``hours`` ago (the check stopped pinging)."""

    def mutate(c: Check) -> None:
        c.last_ping = datetime.now(UTC) - timedelta(hours=hours)
        c.alert_after = compute_alert_after(c)

    return mutate


async def all_processed(alerts: AlertStore, timeout: float = 20.0) -> None:
    """The webhook answered; the worker records the outcome and marks the flip just after."""

    async def done() -> None:
        while await alerts.unprocessed_count():
            await asyncio.sleep(0.05)

    await asyncio.wait_for(done(), timeout)


async def stopped_pinging(db, store: HcStore, check: Check, hours: float) -> Check:
    """Move the check's pings (and its last_ping) ``hours`` back in time, as if it stopped then."""
    async with db.write() as conn:
        shift = sa.update(hc_pings).where(hc_pings.c.check_id == check.id)
        for row in (
            await conn.execute(
                sa.select(hc_pings.c.id, hc_pings.c.created).where(hc_pings.c.check_id == check.id)
            )
        ).all():
            await conn.execute(
                shift.where(hc_pings.c.id == row[0]).values(created=row[1] - timedelta(hours=hours))
            )
    return await store.modify_check(check.code, back_date(hours))


async def test_serve_notifies_down_once_then_up(tmp_path: Path, database_url: str, hook: Hook):
    server = new_server(tmp_path, database_url)
    server.env.update(FAST)
    server.start()
    db = await open_database(database_url)
    store = HcStore(db)
    try:
        pid = await new_project(store)
        channel = await store.create_channel(pid, "webhook", "hook", webhook_value(hook, "a"))
        check = await new_check(store, pid, [channel.id], name='Hook Me "q"', timeout=3600, grace=60)
        async with aiohttp.ClientSession() as http:
            async with http.post(f"{server.http}/ping/{check.code}", data=b"job output here") as r:
                assert r.status == 200
            stored = await stopped_pinging(db, store, check, hours=2)
            expiry = stored.alert_after
            await hook.wait_for(1)
            [(path, body)] = hook.received
            assert path == "/a/down"
            sent = json.loads(body)
            assert (sent["status"], sent["name"], sent["body"]) == ("down", 'Hook Me "q"', "job output here")
            assert sent["now"] == expiry.replace(microsecond=0).isoformat()
            assert sent["json"]["name"] == 'Hook Me "q"' and sent["json"]["status"] == "down"
            # Recovery: a success ping flips it up; the "up" webhook follows.
            async with http.get(f"{server.http}/ping/{check.code}") as r:
                assert r.status == 200
            await hook.wait_for(2)
        assert [p for p, _ in hook.received] == ["/a/down", "/a/up"]
        assert json.loads(hook.received[1][1])["status"] == "up"
        alerts = AlertStore(db)
        await all_processed(alerts)
        notes = await alerts.list_notifications(check.id)
        assert [(n.check_status, n.error) for n in notes] == [("down", ""), ("up", "")]
        assert await alerts.unprocessed_count() == 0
        assert len(hook.received) == 2  # once each, nothing more
    finally:
        assert server.stop() == 0
        await store.close()
        await db.close()


async def test_serve_no_alerts_leaves_flips_alone(tmp_path: Path, database_url: str, hook: Hook):
    server = new_server(tmp_path, database_url)
    server.env.update(FAST)
    server.env["ZTN_ALERTS"] = "false"  # as --no-alerts
    server.start()
    db = await open_database(database_url)
    store = HcStore(db)
    try:
        pid = await new_project(store)
        channel = await store.create_channel(pid, "webhook", "hook", webhook_value(hook, "b"))
        check = await new_check(store, pid, [channel.id], status="up", last_ping=datetime.now(UTC))
        await store.modify_check(check.code, back_date(48))
        healthz = f"{server.http}/healthz"
        async with aiohttp.ClientSession() as http:
            for _ in range(5):  # several of the worker's poll intervals
                async with http.get(healthz) as r:
                    assert r.status == 200
                await asyncio.sleep(0.1)
        assert (await store.check_by_code(check.code)).status == "up"
        assert hook.received == []
    finally:
        assert server.stop() == 0
        await store.close()
        await db.close()


async def test_alerts_process_finishes_in_flight_delivery_on_sigterm(
    tmp_path: Path, database_url: str, hook: Hook
):
    db = await open_database(database_url)
    await db.migrate()
    store = HcStore(db)
    log_path = tmp_path / "alerts.log"
    proc = None
    try:
        pid = await new_project(store)
        channel = await store.create_channel(pid, "webhook", "hook", webhook_value(hook, "c"))
        check = await new_check(store, pid, [channel.id], status="up", last_ping=datetime.now(UTC))
        hook.gate.clear()  # the receiver holds the request
        with open(log_path, "wb") as log:
            proc = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "ztn.cli",
                    "alerts",
                    "--database-url",
                    database_url,
                    "--data-dir",
                    str(tmp_path),
                    "--log-level",
                    "INFO",
                    "--alerts-allow-private",
                    "--alerts-poll-interval",
                    "0.1",
                ],
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        await store.modify_check(check.code, back_date(48))
        flips = AlertStore(db)
        for _ in range(300):  # until the delivery is in flight (the flip is claimed, not processed)
            if (await store.list_flips(check.id)) and log_path.read_text().count("started"):
                notes = await flips.list_notifications(check.id)
                if notes:
                    break
            await asyncio.sleep(0.05)
        else:
            pytest.fail("no delivery started:\n" + log_path.read_text())
        proc.send_signal(signal.SIGTERM)
        await asyncio.sleep(0.2)
        assert proc.poll() is None  # still finishing the delivery
        hook.gate.set()
        code = await asyncio.to_thread(proc.wait, 20)
        assert code == 0, log_path.read_text()
        assert [p for p, _ in hook.received] == ["/c/down"]
        [note] = await flips.list_notifications(check.id)
        assert note.error == ""
        assert await flips.unprocessed_count() == 0
    finally:
        hook.gate.set()
        if proc is not None and proc.poll() is None:
            proc.kill()
            proc.wait()
        await store.close()
        await db.close()
