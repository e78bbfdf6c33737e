"""GET /api/v3/checks/ for a project with 1,000 checks, SQLite and PostgreSQL.

Per backend: start ``ztn serve --workers 2`` (PostgreSQL: a fresh database, dropped afterwards), seed
one project with 1,000 checks straight into its database (a mix of simple and cron checks, tags, two
channels each, half of them pinged), check the list once with a real client (1,000 checks, in
insertion order, channels listed), then load it with wrk at each concurrency of CONCURRENCY.

With ``--baseline REF`` (bench/run.py) the same database is served first by the server code of that git
commit (``git archive REF src``, put first on the server's PYTHONPATH; the generated code is shared) and
then by the working tree's, so before and after are measured in one run on the same data.
"""

from __future__ import annotations

import argparse
import asyncio
import http.client
import io
import json
import os
import subprocess
import tarfile
import threading
import time
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
PING_RATE = 20  # pings/s during the extra rows: every ping commit is a new data version (memos start over)
# (connections, pings/s, to a check of: "listed" project or "other" project)
LOADS = (*((c, 0, "") for c in CONCURRENCY), (16, PING_RATE, "other"), (16, PING_RATE, "listed"))
P99_TARGET_MS = 100.0
PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"
PATH = "/api/v3/checks/"


@dataclass
class Row:
    backend: str
    code: str  # "working tree", or "before (<ref>)" with --baseline
    connections: int
    pings: int  # pings per second sent during the row ...
    pinged: str  # ... to a check of the "listed" project or of an "other" one
    pinning: str
    m: Measurement | None
    check: str


async def _seed(url: str) -> tuple[str, list[str], dict[str, str]]:
    """(read-write API key, check names in insertion order, UUIDs of a listed check and of a check in
    another project)."""
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
        names, first = [], ""
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
            first = first or check.code
        other = await store.create_project(
            "bench-other", "0" * 64, "hcw_oth", "1" * 64, "hcr_oth", keys.new_ping_key(), keys.new_uuid()
        )
        elsewhere = Check(
            0, keys.new_uuid(), other.id, name="elsewhere", badge_key=keys.new_uuid(), created=now
        )
        assert await store.insert_check(elsewhere, None, None) is not None
        return rw, names, {"listed": first, "other": elsewhere.code}
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


class Pinger:
    """Pings one check at a steady rate from a thread (one keep-alive connection) until stopped."""

    def __init__(self, port: int, path: str, rate: int) -> None:
        self.port, self.path, self.rate = port, path, rate
        self.sent = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        next_at = time.monotonic()
        try:
            while not self._stop.wait(max(0.0, next_at - time.monotonic())):
                conn.request("GET", self.path)
                resp = conn.getresponse()
                resp.read()
                if resp.status != 200:
                    raise RuntimeError(f"ping: HTTP {resp.status}")
                self.sent += 1
                next_at += 1 / self.rate
        finally:
            conn.close()

    def stop(self) -> int:
        self._stop.set()
        self._thread.join(timeout=15)
        return self.sent


def _baseline_src(ref: str, tmp: Path) -> Path:
    """The ``src`` tree of a git commit, extracted under ``tmp`` (no worktree, nothing checked out)."""
    root = Path(__file__).resolve().parent.parent
    target = tmp / f"baseline-{ref}"
    archive = subprocess.run(
        ["git", "archive", "--format=tar", ref, "src"], cwd=root, check=True, capture_output=True
    ).stdout
    target.mkdir(parents=True, exist_ok=True)
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(target, filter="data")
    return target / "src"


def _start(data_dir: Path, server_cpus: str | None, tmp: Path, url: str | None, src: Path | None) -> Server:
    if src is None:
        return start_ztn(data_dir, WORKERS, server_cpus, tmp, url)
    saved = os.environ.get("PYTHONPATH")
    os.environ["PYTHONPATH"] = str(src) + (os.pathsep + saved if saved else "")
    try:
        return start_ztn(data_dir, WORKERS, server_cpus, tmp, url)
    finally:
        if saved is None:
            del os.environ["PYTHONPATH"]
        else:
            os.environ["PYTHONPATH"] = saved


def bench_backend(
    backend: str, tmp: Path, args: argparse.Namespace, plan: tuple[str | None, str | None, str]
) -> list[Row]:
    server_cpus, gen_cpus, label = plan
    data_dir = tmp / f"listchecks-{backend}"
    database = _create_database() if backend == "postgres" else None
    url = f"postgresql://postgres@127.0.0.1:5432/{database}" if database else None
    rows: list[Row] = []
    baseline = getattr(args, "baseline", None)
    variants: list[tuple[str, Path | None]] = [("working tree", None)]
    if baseline:
        variants.insert(0, (f"before ({baseline})", _baseline_src(baseline, tmp)))
    seeded: tuple[str, list[str], dict[str, str]] | None = None
    try:
        for code, src in variants:
            server = _start(data_dir, server_cpus, tmp, url, src)
            try:
                if seeded is None:
                    seeded = asyncio.run(_seed(url or Settings(data_dir=data_dir).database_url))
                api_key, names, pinged = seeded
                size = check_list(server, api_key, names)
                call = Call("listchecks", "wrk", server.base + PATH, "GET", {"X-Api-Key": api_key})
                for connections, pings, where in LOADS:
                    load = f"c={connections}" + (f" + {pings} pings/s ({where})" if pings else "")
                    print(f"  listchecks {backend:8} {code:18} {load:20} ...", end=" ", flush=True)
                    pinger = Pinger(server.http_port, f"/ping/{pinged[where]}", pings) if pings else None
                    try:
                        m = run_wrk(call, connections, args.duration, args.warmup, gen_cpus, server.proc.pid)
                    except Exception as exc:
                        print(f"FAILED: {exc}", flush=True)
                        failed = f"FAILED: {str(exc)[:150]}"
                        rows.append(Row(backend, code, connections, pings, where, label, None, failed))
                        continue
                    finally:
                        sent = pinger.stop() if pinger else 0
                    # Headers add < 1 KiB; statuses drift as time passes (cron checks go up -> grace): +-1%.
                    ok = abs(m.bytes_per_response - size) <= 0.01 * size + 1024
                    status = (
                        f"ok ({size:,} B body)"
                        if ok
                        else f"{m.bytes_per_response:.0f} B/resp, expected ~{size}"
                    )
                    if pinger:  # closed loop too: a saturated server answers pings late
                        status = f"{sent / (args.warmup + args.duration):.0f} pings/s sent; " + status
                    print(
                        f"{m.rps:8,.1f} req/s  p50 {m.p50_ms:6.1f} ms  p99 {m.p99_ms:6.1f} ms  {status}",
                        flush=True,
                    )
                    rows.append(Row(backend, code, connections, pings, where, label, m, status))
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


def _cpu_ms(m: Measurement) -> float:
    """Server CPU per request (ms): cores used during the row over requests per second."""
    return 1000 * m.server_cpu / m.rps if m.rps else float("nan")


def _load(r: Row) -> str:
    return f"c={r.connections}" + (f" + {r.pings} pings/s ({r.pinged})" if r.pings else "")


def _writes(r: Row) -> str:
    return f"{r.pings} ({r.pinged})" if r.pings else "0"


def table(rows: list[Row]) -> str:
    out = [
        "| backend | code | connections | pings/s to | req/s | p50 ms | p99 ms | errors | server CPU "
        "| CPU ms/req | loadgen CPU | other CPU | pinning | check |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---|",
    ]
    for r in rows:
        cell = r.check.replace("|", "\\|")[:200]
        if r.m is None:
            out.append(
                f"| {r.backend} | {r.code} | {r.connections} |" + " - |" * 8 + f" {r.pinning} | {cell} |"
            )
            continue
        out.append(
            f"| {r.backend} | {r.code} | {r.connections} | {_writes(r)} | {r.m.rps:,.1f} | {r.m.p50_ms:.1f} "
            f"| {r.m.p99_ms:.1f} | {r.m.errors} | {r.m.server_cpu:.2f} | {_cpu_ms(r.m):.1f} "
            f"| {r.m.loadgen_cpu:.2f} | {r.m.other_cpu:.2f} | {r.pinning} | {cell} |"
        )
    return "\n".join(out)


def _key(r: Row) -> tuple[str, int, int, str]:
    return r.backend, r.connections, r.pings, r.pinged


def ratios(rows: list[Row]) -> list[str]:
    """After/before in this run, per backend and concurrency (only with a baseline)."""
    before = {
        (r.backend, r.connections, r.pings, r.pinged): r.m
        for r in rows
        if r.code.startswith("before") and r.m
    }
    lines = []
    for r in rows:
        b = before.get(_key(r))
        if r.code.startswith("before") or r.m is None or b is None:
            continue
        lines.append(
            f"- {r.backend} {_load(r)}: req/s x{r.m.rps / b.rps:.2f}, CPU per request "
            f"{_cpu_ms(b):.1f} -> {_cpu_ms(r.m):.1f} ms (x{_cpu_ms(r.m) / _cpu_ms(b):.2f}), "
            f"p99 {b.p99_ms:.1f} -> {r.m.p99_ms:.1f} ms"
        )
    return lines


def verdicts(rows: list[Row]) -> list[str]:
    lines = []
    for r in rows:
        if r.m is None:
            lines.append(f"- FAIL: {r.backend} {r.code} {_load(r)}: {r.check}")
            continue
        ok = r.m.p99_ms < P99_TARGET_MS and not r.m.errors and "ok (" in r.check
        lines.append(
            f"- {'PASS' if ok else 'FAIL'}: {r.backend} {r.code} {_load(r)} p99 = {r.m.p99_ms:.1f} ms "
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
            "wrk closed loop at each concurrency; the last two rows also ping a check of another project or "
            f"one of the listed checks, {PING_RATE} times a second (closed loop too: a busy server gets "
            "fewer; every commit starts the memos over). Before the load the list was "
            "checked with a real client "
            f"(all {CHECKS:,} checks in insertion order, channels present). Closed loop: mean latency = "
            "connections / (req/s), so the p99 target bounds the concurrency a given throughput can serve.",
            "",
            table(rows),
            "",
            *verdicts(rows),
            *(["", "After / before, same run:", "", *ratios(rows)] if ratios(rows) else []),
            "",
            NOTES,
        ]
    )


NOTES = (
    "What the working tree does: `HcStore.check_rows` memoises the project's check rows in the read "
    "connection's snapshot cache (emptied by any commit of any process: SQLite `PRAGMA data_version`, "
    "PostgreSQL local bumps + NOTIFY); concurrent misses of one snapshot share one read, and a re-read that "
    "finds the rows unchanged (the commit was elsewhere) hands out the previous object. ListChecks keeps "
    "its rendered response on that object until the first moment any check's reported status can change "
    "(grace start, grace end, last_start + grace: `domain/hc/stable.py`), and marks it final "
    "(`codec_json.share`) so the JSON doors encode it once. A hit costs about 1 ms of CPU (auth, the "
    "memo lookups, aiohttp writing 1 MB). A miss still costs what every request cost before (about 21 ms: "
    "read 8, conversion 5, encoding 6, plus under 1 ms to find the stable moment); it happens once per "
    "commit per process (SQLite: per read connection) when the listed rows changed. The check cell of a "
    "ping row gives the rate the closed-loop pinger reached: on SQLite a ping is answered only after its "
    "batch committed through the aiosqlite thread, whose every statement waits for the busy event loop, "
    "so SQLite rows get fewer pings (fewer invalidations) than PostgreSQL rows."
)
