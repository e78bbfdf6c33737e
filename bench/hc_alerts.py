"""Alert worker: 1,000 checks expire in the same second -> time until every webhook was delivered.

Per backend: a fresh database (PostgreSQL: created and dropped), one project, CHECKS "up" checks, each
with its own webhook channel (POST, body ``$CODE``) pointing at a receiver in this process on 127.0.0.1.
Every check's last ping is set so that it expires at the same moment T (a few seconds ahead); then
``ztn alerts`` process(es) with the default poll interval (2 s) run as in production. The figure is the
time from T to the arrival of the last webhook (so it includes up to one poll interval), and the run is
verified: every check notified exactly once, every flip processed, one successful notification row each.

Run: .venv/bin/python bench/hc_alerts.py [--checks 1000] [--workers 1] [--backends sqlite,postgres]
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import json
import secrets
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import psycopg
import sqlalchemy as sa
from aiohttp import web

from ztn.domain.hc.models import Check
from ztn.store.db import open_database
from ztn.store.hc_alerts_repo import AlertStore
from ztn.store.hc_models import hc_channels, hc_check_channels, hc_checks
from ztn.store.hc_repo import HcStore

PG_SERVER = "postgresql://postgres@127.0.0.1:5432"
TARGET_S = 10.0
LEAD_S = 4.0  # T is this far ahead when the checks are written (workers already polling)
TIMEOUT, GRACE = 3600, 60


class Receiver:
    def __init__(self) -> None:
        self.arrivals: list[tuple[float, str]] = []  # (time.time(), code)
        self.done = asyncio.Event()
        self.expected = 0

    async def handle(self, request: web.Request) -> web.Response:
        code = (await request.read()).decode()
        self.arrivals.append((time.time(), code))
        if len(self.arrivals) >= self.expected:
            self.done.set()
        return web.Response(text="ok")


async def seed(database_url: str, n: int, hook_url: str) -> None:
    """One project; n "up" checks, each with its own webhook channel, written in bulk."""
    db = await open_database(database_url)
    await db.migrate()
    store = HcStore(db)
    tag = secrets.token_hex(8)
    project = await store.create_project(
        "bench", f"rw{tag}", "rw", f"ro{tag}", "ro", f"pk{tag}", f"bk{tag}", None
    )
    value = json.dumps({"url_down": hook_url, "method_down": "POST", "body_down": "$CODE", "url_up": ""})
    now = datetime.now(UTC)
    base = Check(id=0, code="", project_id=project.id, status="up", n_pings=1, last_ping=now, created=now)
    checks, channels = [], []
    for i in range(n):
        row = {c.name: getattr(base, c.name) for c in hc_checks.columns if c.name != "id"}
        row.update(
            code=f"00000000-0000-4000-8000-{i:012d}",
            name=f"c{i}",
            slug=f"c{i}",
            timeout=TIMEOUT,
            grace=GRACE,
            alert_after=now + timedelta(seconds=TIMEOUT + GRACE),
            badge_key=f"00000000-0000-4000-9000-{i:012d}",
        )
        checks.append(row)
        channels.append(
            {
                "id": f"00000000-0000-4000-a000-{i:012d}",
                "project_id": project.id,
                "name": f"h{i}",
                "kind": "webhook",
                "value": value,
                "disabled": False,
                "created": now,
            }
        )
    async with db.write() as conn:
        await conn.execute(hc_checks.insert(), checks)
        await conn.execute(hc_channels.insert(), channels)
        ids = dict((await conn.execute(sa.select(hc_checks.c.code, hc_checks.c.id))).all())
        links = [
            {"check_id": ids[c["code"]], "channel_id": ch["id"]}
            for c, ch in zip(checks, channels, strict=True)
        ]
        await conn.execute(hc_check_channels.insert(), links)
    await store.close()
    await db.close()


async def expire_all_at(database_url: str, moment: datetime) -> None:
    """Every check's last ping such that it goes down at ``moment`` (one transaction)."""
    db = await open_database(database_url)
    async with db.write() as conn:
        last = moment - timedelta(seconds=TIMEOUT + GRACE)
        await conn.execute(sa.update(hc_checks).values(last_ping=last, alert_after=moment))
    await db.close()


async def verify(database_url: str, n: int) -> str:
    db = await open_database(database_url)
    try:
        alerts = AlertStore(db)
        notes = await alerts.list_notifications()
        unprocessed = await alerts.unprocessed_count()
        async with db.read() as conn:
            down = (
                await conn.execute(sa.select(sa.func.count()).where(hc_checks.c.status == "down"))
            ).scalar()
    finally:
        await db.close()
    problems = []
    if down != n:
        problems.append(f"{down} checks down")
    if unprocessed:
        problems.append(f"{unprocessed} flips unprocessed")
    if len(notes) != n or any(x.error != "" for x in notes):
        problems.append(
            f"{len(notes)} notification rows, errors {collections.Counter(x.error for x in notes)}"
        )
    return "ok" if not problems else "; ".join(problems)


async def run_backend(backend: str, n: int, workers: int, tmp: Path) -> dict:
    if backend == "postgres":
        name = f"ztn_bench_alerts_{secrets.token_hex(4)}"
        with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as admin:
            admin.execute(f'CREATE DATABASE "{name}"')
        url = f"{PG_SERVER}/{name}"
    else:
        url = f"sqlite:///{tmp / f'alerts-{secrets.token_hex(4)}.db'}"
    receiver = Receiver()
    receiver.expected = n
    app = web.Application()
    app.router.add_post("/hook", receiver.handle)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0, backlog=2048)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    procs: list[subprocess.Popen] = []
    try:
        await seed(url, n, f"http://127.0.0.1:{port}/hook")
        for i in range(workers):
            log = open(tmp / f"alerts-{backend}-{i}.log", "wb")
            procs.append(
                subprocess.Popen(
                    [
                        sys.executable,
                        "-m",
                        "ztn.cli",
                        "alerts",
                        "--database-url",
                        url,
                        "--data-dir",
                        str(tmp),
                        "--alerts-allow-private",
                        "--log-level",
                        "WARNING",
                    ],
                    stdout=log,
                    stderr=subprocess.STDOUT,
                )
            )
        await asyncio.sleep(2.0)  # imports done, polling
        moment = datetime.now(UTC).replace(microsecond=0) + timedelta(seconds=LEAD_S)
        await expire_all_at(url, moment)
        await asyncio.wait_for(receiver.done.wait(), 120)
        last = max(t for t, _ in receiver.arrivals)
        first = min(t for t, _ in receiver.arrivals)
        await asyncio.sleep(1.0)  # duplicates, if any, would arrive now
        counts = collections.Counter(code for _, code in receiver.arrivals)
        check = (
            "ok" if len(counts) == n and set(counts.values()) == {1} else f"{len(receiver.arrivals)} arrivals"
        )
        for _ in range(50):
            verdict = await verify(url, n)
            if verdict == "ok":
                break
            await asyncio.sleep(0.2)
        if check == "ok":
            check = verdict
        t0 = moment.timestamp()
        return {
            "backend": backend,
            "checks": n,
            "workers": workers,
            "first_s": first - t0,
            "all_s": last - t0,
            "delivery_span_s": last - first,
            "check": check,
        }
    finally:
        for p in procs:
            p.terminate()
        for p in procs:
            try:
                p.wait(30)
            except subprocess.TimeoutExpired:
                p.kill()
        await runner.cleanup()
        if backend == "postgres":
            with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


async def main_async(args: argparse.Namespace) -> int:
    ok = True
    with tempfile.TemporaryDirectory() as tmp:
        for backend in [b.strip() for b in args.backends.split(",") if b.strip()]:
            r = await run_backend(backend, args.checks, args.workers, Path(tmp))
            passed = r["all_s"] < TARGET_S and r["check"] == "ok"
            ok = ok and passed
            print(
                f"{'PASS' if passed else 'FAIL'}: {r['backend']} {r['checks']} checks expiring at T, "
                f"{r['workers']} worker(s): first webhook T+{r['first_s']:.2f} s, "
                f"all delivered T+{r['all_s']:.2f} s "
                f"(span {r['delivery_span_s']:.2f} s; target < {TARGET_S:.0f} s); verify: {r['check']}",
                flush=True,
            )
    return 0 if ok else 1


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--checks", type=int, default=1000)
    p.add_argument("--workers", type=int, default=1, help="ztn alerts processes")
    p.add_argument("--backends", default="sqlite,postgres")
    return asyncio.run(main_async(p.parse_args(argv)))


if __name__ == "__main__":
    sys.exit(main())
