"""GET /api/v3/checks/ for a project with 1,000 checks, SQLite and PostgreSQL.

Per backend: start ``ztn serve --workers 2`` (PostgreSQL: a fresh database, dropped afterwards), seed
one project with 1,000 checks straight into its database (a mix of simple and cron checks, tags, two
channels each, half of them pinged), check the list once with a real client (1,000 checks, in
insertion order, channels listed), then load it with wrk at each concurrency of CONCURRENCY.
"""

from __future__ import annotations

import argparse
import asyncio
import http.client
import json
import os
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import psycopg
from doors import Call
from hc_pings import WORKERS
from loadgen import Measurement, run_wrk
from servers import Server, start_ztn

from ztn.config import Settings
from ztn.domain.hc import keys
from ztn.domain.hc.models import CRON, Channel, Check

NAME = "listchecks"  # the --only item of bench/run.py
BACKENDS = ("sqlite", "postgres")
CHECKS = 1000
CONCURRENCY = (1, 4, 16)
P99_TARGET_MS = 100.0
PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"
PATH = "/api/v3/checks/"


@dataclass
class Row:
    backend: str
    connections: int
    pinning: str
    m: Measurement | None
    check: str


async def _seed(url: str) -> tuple[str, list[str]]:
    """(read-write API key, check names in insertion order)."""
    from ztn.store.db import open_database
    from ztn.store.hc_repo import HcStore

    db = await open_database(url)
    try:
        store = HcStore(db)
        secret = await store.secret()
        rw, ro = keys.new_api_key(False), keys.new_api_key(True)
        project = await store.create_project(
            keys.new_uuid(),
            "bench-list",
            (
                keys.key_prefix(rw),
                keys.key_digest(secret, rw),
                keys.key_prefix(ro),
                keys.key_digest(secret, ro),
            ),
            keys.new_ping_key(),
            keys.new_uuid(),
            CHECKS,
        )
        channels = []
        for name in ("ops", "oncall"):
            channel = Channel(keys.new_uuid(), project.id, name, "webhook", "http://127.0.0.1:9/")
            channels.append((await store.create_channel(channel)).id)
        now = datetime.now(UTC)
        names = []
        for i in range(CHECKS):
            fields: dict = {
                "name": f"job {i}",
                "slug": f"job-{i}",
                "tags": f"team{i % 7} prod",
                "desc": "x" * 40,
            }
            if i % 3 == 0:
                fields |= {"kind": CRON, "schedule": "*/5 * * * *", "tz": "Europe/Riga"}
            if i % 2 == 0:
                fields |= {"status": "up", "last_ping": now - timedelta(seconds=i), "n_pings": i}
            check = Check(0, keys.new_uuid(), project.id, badge_key=keys.new_uuid(), created=now, **fields)
            assert await store.insert_check(check, channels, None) is not None
            names.append(fields["name"])
        return rw, names
    finally:
        await db.close()


def check_list(server: Server, api_key: str, names: list[str]) -> int:
    """One real GET: every check, in order, with its channels; returns the body size."""
    conn = http.client.HTTPConnection("127.0.0.1", server.http_port, timeout=30)
    try:
        conn.request("GET", PATH, headers={"X-Api-Key": api_key})
        resp = conn.getresponse()
        body = resp.read()
    finally:
        conn.close()
    if resp.status != 200:
        raise RuntimeError(f"HTTP {resp.status}: {body[:300]!r}")
    checks = json.loads(body)["checks"]
    if [c["name"] for c in checks] != names:
        raise RuntimeError(f"{len(checks)} checks, not the {len(names)} seeded ones in order")
    if any(len(c.get("channels", "").split(",")) != 2 for c in checks):
        raise RuntimeError("channels missing from the rw listing")
    return len(body)


def _create_database() -> str:
    name = f"ztn_bench_listchecks_{os.getpid()}"
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    return name


def _drop_database(name: str) -> None:
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def bench_backend(
    backend: str, tmp: Path, args: argparse.Namespace, plan: tuple[str | None, str | None, str]
) -> list[Row]:
    server_cpus, gen_cpus, label = plan
    data_dir = tmp / f"listchecks-{backend}"
    database = _create_database() if backend == "postgres" else None
    url = f"postgresql://postgres@127.0.0.1:5432/{database}" if database else None
    rows: list[Row] = []
    try:
        server = start_ztn(data_dir, WORKERS, server_cpus, tmp, url)
        try:
            api_key, names = asyncio.run(_seed(url or Settings(data_dir=data_dir).database_url))
            size = check_list(server, api_key, names)
            call = Call("listchecks", "wrk", server.base + PATH, "GET", {"X-Api-Key": api_key})
            for connections in CONCURRENCY:
                print(f"  listchecks {backend:8} c={connections:<3} ...", end=" ", flush=True)
                try:
                    m = run_wrk(call, connections, args.duration, args.warmup, gen_cpus, server.proc.pid)
                except Exception as exc:
                    print(f"FAILED: {exc}", flush=True)
                    rows.append(Row(backend, connections, label, None, f"FAILED: {str(exc)[:150]}"))
                    continue
                # Headers add < 1 KiB; statuses drift as time passes (cron checks go up -> grace): +-1%.
                ok = abs(m.bytes_per_response - size) <= 0.01 * size + 1024
                status = (
                    f"ok ({size:,} B body)" if ok else f"{m.bytes_per_response:.0f} B/resp, expected ~{size}"
                )
                print(
                    f"{m.rps:8,.1f} req/s  p50 {m.p50_ms:6.1f} ms  p99 {m.p99_ms:6.1f} ms  {status}",
                    flush=True,
                )
                rows.append(Row(backend, connections, label, m, status))
        finally:
            server.stop()
    finally:
        if database:
            _drop_database(database)
    return rows


def bench(tmp: Path, args: argparse.Namespace, plan: tuple[str | None, str | None, str]) -> list[Row]:
    rows: list[Row] = []
    for backend in BACKENDS:
        rows += bench_backend(backend, tmp, args, plan)
    return rows


def table(rows: list[Row]) -> str:
    out = [
        "| backend | connections | req/s | p50 ms | p99 ms | errors | server CPU | loadgen CPU | other CPU "
        "| pinning | check |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---|",
    ]
    for r in rows:
        cell = r.check.replace("|", "\\|")[:200]
        if r.m is None:
            out.append(f"| {r.backend} | {r.connections} |" + " - |" * 7 + f" {r.pinning} | {cell} |")
            continue
        out.append(
            f"| {r.backend} | {r.connections} | {r.m.rps:,.1f} | {r.m.p50_ms:.1f} | {r.m.p99_ms:.1f} "
            f"| {r.m.errors} | {r.m.server_cpu:.2f} | {r.m.loadgen_cpu:.2f} | {r.m.other_cpu:.2f} "
            f"| {r.pinning} | {cell} |"
        )
    return "\n".join(out)


def verdicts(rows: list[Row]) -> list[str]:
    lines = []
    for r in rows:
        if r.m is None:
            lines.append(f"- FAIL: {r.backend} c={r.connections}: {r.check}")
            continue
        ok = r.m.p99_ms < P99_TARGET_MS and not r.m.errors and r.check.startswith("ok")
        lines.append(
            f"- {'PASS' if ok else 'FAIL'}: {r.backend} c={r.connections} p99 = {r.m.p99_ms:.1f} ms "
            f"(target < {P99_TARGET_MS:.0f} ms)" + (f", {r.m.errors} errors" if r.m.errors else "")
        )
    return lines


def section(rows: list[Row], args: argparse.Namespace, command: str, machine: str) -> str:
    return "\n".join(
        [
            f"Command: `{command}`",
            "",
            f"Machine: {machine}. `ztn serve --workers {WORKERS}`; one project with {CHECKS:,} checks (every "
            "third a cron check, half of them pinged, tags, two channels each), `GET /api/v3/checks/` with "
            f"the read-write key (so channels are listed), {args.warmup} s warm-up + {args.duration} s "
            "per row, "
            "wrk closed loop at each concurrency. Before the load the list was checked with a real client "
            f"(all {CHECKS:,} checks in insertion order, channels present). Closed loop: mean latency = "
            "connections / (req/s), so the p99 target bounds the concurrency a given throughput can serve.",
            "",
            table(rows),
            "",
            *verdicts(rows),
        ]
    )
