"""Three ``ztn alerts`` processes on one database (PostgreSQL, or one SQLite file): every check goes
down once, every flip is notified exactly once, and recoveries too."""

from __future__ import annotations

import asyncio
import collections
import json
import signal
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from hc_alerts_support import new_check, new_project
from test_hc_alerts_e2e import Hook, all_processed
from ztn.domain.hc.models import PingInput
from ztn.domain.hc.transitions import apply_ping
from ztn.store.db import open_database
from ztn.store.hc_alerts_repo import AlertStore
from ztn.store.hc_models import hc_checks, hc_flips
from ztn.store.hc_repo import CheckRef, HcStore

WORKERS = 3
CHECKS = 60


@pytest.fixture
async def hook():
    h = await Hook().start()
    yield h
    await h.stop()


def start_worker(database_url: str, tmp_path: Path, i: int) -> tuple[subprocess.Popen, Path]:
    log_path = tmp_path / f"alerts-{i}.log"
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
                "0.05",
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    return proc, log_path


async def test_three_workers_notify_every_flip_exactly_once(tmp_path: Path, database_url: str, hook: Hook):
    db = await open_database(database_url)
    await db.migrate()
    store = HcStore(db)
    procs: list[tuple[subprocess.Popen, Path]] = []
    hook.delay = 0.01
    try:
        pid = await new_project(store)
        spec = {"method_down": "POST", "body_down": "$CODE", "method_up": "POST", "body_up": "$CODE"}
        value = json.dumps({**spec, "url_down": hook.url("/down"), "url_up": hook.url("/up")})
        channel = await store.create_channel(pid, "webhook", "hook", value)
        now = datetime.now(UTC)
        checks = [
            await new_check(store, pid, [channel.id], status="up", last_ping=now, timeout=3600, grace=60)
            for _ in range(CHECKS)
        ]
        procs = [start_worker(database_url, tmp_path, i) for i in range(WORKERS)]
        for _ in range(400):  # every worker polling before anything is due
            if all("started" in log.read_text() for _, log in procs):
                break
            assert all(p.poll() is None for p, _ in procs), [log.read_text() for _, log in procs]
            await asyncio.sleep(0.05)
        # Every check stops pinging at once (one transaction): all three workers race for them.
        async with db.write() as conn:
            past = now - timedelta(hours=2)
            await conn.execute(
                sa.update(hc_checks).values(last_ping=past, alert_after=past + timedelta(seconds=3660))
            )
        await hook.wait_for(CHECKS, timeout=60)
        alerts = AlertStore(db)
        await all_processed(alerts, timeout=60)
        # Recoveries: a success ping each, through the real ping path; "up" is notified once each.
        for check in checks:
            ping = PingInput(action="success", now=datetime.now(UTC))
            await store.ping(CheckRef(code=check.code), ping, lambda c, p: apply_ping(c, p.action, p))
        await hook.wait_for(2 * CHECKS, timeout=60)
        await all_processed(alerts, timeout=60)
        await asyncio.sleep(0.3)  # a duplicate would have arrived by now (workers poll every 50 ms)

        codes = {c.code for c in checks}
        by_path = collections.Counter((path, body.decode()) for path, body in hook.received)
        assert set(by_path) == {("/down", c) for c in codes} | {("/up", c) for c in codes}
        assert set(by_path.values()) == {1}, [k for k, n in by_path.items() if n > 1]
        async with db.read() as conn:
            flips = (await conn.execute(sa.select(hc_flips.c.check_id, hc_flips.c.new_status))).all()
        assert collections.Counter(flips) == collections.Counter(
            [(c.id, "down") for c in checks] + [(c.id, "up") for c in checks]
        )
        notes = await alerts.list_notifications()
        assert len(notes) == 2 * CHECKS and {n.error for n in notes} == {""}
        assert {n.attempts for n in notes} == {1}
        for proc, _log in procs:
            proc.send_signal(signal.SIGTERM)
        for proc, log in procs:
            assert await asyncio.to_thread(proc.wait, 30) == 0, log.read_text()
    finally:
        for proc, _ in procs:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
        await store.close()
        await db.close()
