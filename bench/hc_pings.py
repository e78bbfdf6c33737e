"""Healthchecks ping URLs under load: sustained pings/s and a top-of-the-hour burst, SQLite and PostgreSQL.

Per backend: start ``ztn serve --workers N`` (PostgreSQL: a fresh database, dropped afterwards), seed
projects and checks straight into its database, then
1. sustained: wrk, ``--connections`` (default 64 here) closed-loop connections, cycling through the
   checks' UUID URLs (``/ping/<uuid>``), then through their slug URLs (``/ping/<ping key>/<slug>``);
2. burst: exactly BURST_PINGS pings spread evenly over BURST_CHECKS checks from BURST_CONNECTIONS
   connections at once (wrk stops itself once every ping was answered);
and afterwards verify the store: every check's n_pings equals the pings it was sent (burst: exactly;
sustained: at least what wrk counted, at most that plus the requests still in flight when wrk stopped),
and its stored pings are numbered without gaps up to n_pings (all of them, or what the every-100th
prune keeps). The hello-world ceiling is measured in the same run with the same worker count.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import resource
import signal
import subprocess
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import psycopg
from doors import Call
from loadgen import Measurement, _Timed, _timed, wrk_script
from servers import Server, busy_seconds, cpu_seconds, pinned, start_hello, start_ztn

from ztn.config import Settings
from ztn.domain.hc import keys
from ztn.domain.hc.models import DEFAULT_PING_LOG_LIMIT, Check, Project
from ztn.store.db import open_database
from ztn.store.hc_repo import HcStore

NAME = "pings"  # the --only item of bench/run.py
BACKENDS = ("sqlite", "postgres")
SUSTAINED_CHECKS = 1000
BURST_PINGS = 20_000
BURST_CHECKS = 500
BURST_CONNECTIONS = 500
CONNECTIONS = 64
WORKERS = 2
PINGS_TARGET = 5000.0  # pings/s, sustained
P99_TARGET_MS = 50.0
PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"


@dataclass
class Row:
    backend: str
    what: str
    pinning: str
    m: Measurement | None
    check: str  # "ok" or what did not add up


# --- seeding and verification (straight into the server's database) ----------------------------------
async def _seed(url: str, checks: int, slug_prefix: str) -> tuple[Project, list[Check]]:
    db = await open_database(url)
    try:
        store = HcStore(db)
        secret = await store.secret()
        rw, ro = keys.new_api_key(False), keys.new_api_key(True)
        project = await store.create_project(
            keys.new_uuid(),
            f"bench-{slug_prefix}",
            (
                keys.key_prefix(rw),
                keys.key_digest(secret, rw),
                keys.key_prefix(ro),
                keys.key_digest(secret, ro),
            ),
            keys.new_ping_key(),
            keys.new_uuid(),
            checks,
            DEFAULT_PING_LOG_LIMIT,
        )
        gate = asyncio.Semaphore(8)

        async def one(i: int) -> Check:
            check = Check(
                0,
                keys.new_uuid(),
                project.id,
                name=f"{slug_prefix}-{i}",
                slug=f"{slug_prefix}-{i}",
                badge_key=keys.new_uuid(),
                created=datetime.now(UTC),
            )
            async with gate:
                inserted = await store.insert_check(check, None, None)
            assert inserted is not None
            return inserted

        return project, list(await asyncio.gather(*(one(i) for i in range(checks))))
    finally:
        await db.close()


def seed(url: str, checks: int, slug_prefix: str) -> tuple[Project, list[Check]]:
    return asyncio.run(_seed(url, checks, slug_prefix))


async def _counts(url: str, project_id: str) -> dict[str, tuple[int, list[int]]]:
    """code -> (n_pings, stored ping numbers ascending)."""
    db = await open_database(url)
    try:
        store = HcStore(db)
        out = {}
        for check in await store.list_checks(project_id):
            pings = await store.list_pings(check.id, 100_000)
            out[check.code] = (check.n_pings, sorted(p.n for p in pings))
        return out
    finally:
        await db.close()


def verify(url: str, project_id: str, low: dict[str, int], high: dict[str, int]) -> str:
    """Every check got between low and high pings, and its stored pings are n_pings-kept+1..n_pings."""
    counts = asyncio.run(_counts(url, project_id))
    problems = []
    for code, (n_pings, ns) in counts.items():
        lo, hi = low.get(code, 0), high.get(code, 0)
        if not lo <= n_pings <= hi:
            problems.append(f"n_pings {n_pings} not in [{lo}, {hi}]")
        # Numbered without a gap up to n_pings; at least the ping log (or all of them) kept by the prune.
        if ns != list(range(n_pings - len(ns) + 1, n_pings + 1)) or len(ns) < min(
            n_pings, DEFAULT_PING_LOG_LIMIT
        ):
            problems.append(f"n_pings {n_pings} but {len(ns)} stored pings ({ns[:3]}...{ns[-3:]})")
    if problems:
        return f"{len(problems)} checks off, e.g. {problems[0]}"
    return "ok"


def total_pings(url: str, project_id: str) -> int:
    return sum(n for n, _ in asyncio.run(_counts(url, project_id)).values())


# --- load -------------------------------------------------------------------------------------------
def _lua_paths(paths: list[str]) -> str:
    return "local paths = {" + ", ".join(f'"{p}"' for p in paths) + "}\n"


def cycling_lua(call: Call, paths: list[str]) -> str:
    """wrk_script(call) plus a ``request`` cycling through ``paths`` (one Lua state: wrk runs one thread)."""
    return (
        wrk_script(call)
        + _lua_paths(paths)
        + (
            "local n = 0\n"
            "request = function()\n"
            "  n = n % #paths + 1\n"
            "  return wrk.format(nil, paths[n])\n"
            "end\n"
        )
    )


def burst_lua(call: Call, paths: list[str], total: int, marker: str) -> str:
    """Exactly ``total`` pings (cycling through ``paths``), then /healthz until every ping is answered,
    when it creates ``marker`` and stops; prints a BURST line with the ping answers ("OK" or not)."""
    return (
        wrk_script(call)
        + _lua_paths(paths)
        + f"local total = {total}\n"
        + "local sent, answered, primed = 0, 0, false\n"
        + "ok, bad = 0, 0\n"  # globals: done() reads them through thread:get()
        + "local threads = {}\n"
        + "setup = function(thread) table.insert(threads, thread) end\n"
        + "request = function()\n"
        # wrk builds one request per thread before any connection exists and never sends it.
        + '  if not primed then primed = true; return wrk.format(nil, "/healthz") end\n'
        + "  if sent < total then\n"
        + "    sent = sent + 1\n"
        + "    return wrk.format(nil, paths[(sent - 1) % #paths + 1])\n"
        + "  end\n"
        + '  return wrk.format(nil, "/healthz")\n'
        + "end\n"
        + "response = function(status, headers, body)\n"
        + '  if body == "OK" and status == 200 then ok = ok + 1; answered = answered + 1\n'
        + '  elseif body ~= "{}" then bad = bad + 1; answered = answered + 1 end\n'
        + "  if answered == total then\n"
        # wrk's main thread sleeps for -d whatever the threads do: tell the runner, which interrupts it.
        + f'    local f = io.open("{marker}", "w"); f:close(); wrk.thread:stop()\n'
        + "  end\n"
        + "end\n"
        + "local base_done = done\n"
        + "done = function(summary, latency, requests)\n"
        + "  local o, b = 0, 0\n"
        + '  for _, t in ipairs(threads) do o = o + t:get("ok"); b = b + t:get("bad") end\n'
        + '  io.write(string.format("BURST %d %d\\n", o, b))\n'
        + "  base_done(summary, latency, requests)\n"
        + "end\n"
    )


def run_wrk_lua(
    url: str, lua: str, connections: int, seconds: float, cpus: str | None, server_pid: int
) -> tuple[Measurement, str]:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as f:
        f.write(lua)
        script = f.name
    try:
        args = ["wrk", "-t1", f"-c{connections}", f"-d{max(1, round(seconds))}s", "--timeout", "10s"]
        timed = _timed(pinned([*args, "-s", script, url], cpus), server_pid)
    finally:
        Path(script).unlink(missing_ok=True)
    m = _measurement(timed)
    return m, timed.done.stdout


def _measurement(timed: _Timed) -> Measurement:
    out = timed.done.stdout
    match = re.search(r"^BENCH (\d+) (\d+) (\d+) (\d+) (\d+) (\d+)$", out, re.M)
    if match is None:
        raise RuntimeError(f"unexpected wrk output:\n{out}\n{timed.done.stderr}")
    requests, micros, nbytes, errors, p50, p99 = map(int, match.groups())
    return Measurement(
        requests=requests,
        seconds=micros / 1e6,
        p50_ms=p50 / 1000,
        p99_ms=p99 / 1000,
        errors=errors,
        bytes_per_response=nbytes / requests if requests else 0.0,
        server_cpu=timed.server_cpu,
        loadgen_cpu=timed.loadgen_cpu,
        other_cpu=timed.other_cpu,
    )


def _call(server: Server, path: str = "/") -> Call:
    return Call("pings", "wrk", server.base + path, "GET", {})


def sustained(
    server: Server,
    url: str,
    kind: str,
    project: Project,
    checks: list[Check],
    args: argparse.Namespace,
    gen_cpus: str | None,
) -> tuple[Measurement, str]:
    """One wrk run (warm-up + measured) over the UUID or slug URLs; returns it and the store verdict."""
    if kind == "uuid":
        paths = [f"/ping/{c.code}" for c in checks]
    else:
        paths = [f"/ping/{project.ping_key}/{c.slug}" for c in checks]
    before = asyncio.run(_counts(url, project.id))
    lua = cycling_lua(_call(server), paths)
    pid = server.proc.pid
    requests = 0
    if args.warmup > 0:
        warm, _ = run_wrk_lua(server.base, lua, CONNECTIONS, args.warmup, gen_cpus, pid)
        requests += warm.requests
    m, _ = run_wrk_lua(server.base, lua, CONNECTIONS, args.duration, gen_cpus, pid)
    requests += m.requests
    time.sleep(0.5)  # the requests wrk left in flight are still written: let them land
    # Two wrk runs, each cycling from the first path: check i got about (requests / len) pings.
    low, high = {}, {}
    runs = [requests - m.requests, m.requests] if args.warmup > 0 else [m.requests]
    for i, check in enumerate(checks):
        base = before[check.code][0]
        got = sum(r // len(paths) + (1 if i < r % len(paths) else 0) for r in runs)
        # wrk builds (and drops) one request per run before connecting, which shifts the cycle by one;
        # and up to CONNECTIONS requests per run are in flight when it stops.
        low[check.code] = base + got - len(runs)
        high[check.code] = base + got + (CONNECTIONS + 1) * len(runs)
    verdict = verify(url, project.id, low, high)
    extra = total_pings(url, project.id) - sum(v[0] for v in before.values()) - requests
    if extra < 0:
        verdict = f"{-extra} pings answered but not stored"
    elif verdict == "ok":
        verdict = f"ok; stored = counted + {extra} in flight at wrk's stop"
    return m, verdict


def run_until_marker(cmd: list[str], marker: Path, server_pid: int, timeout: float) -> _Timed:
    """Run wrk until its script creates ``marker``, then SIGINT it (it prints its summary then)."""
    children_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    server_before, busy_before = cpu_seconds(server_pid), busy_seconds()
    start = time.monotonic()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    while not marker.exists() and proc.poll() is None and time.monotonic() - start < timeout:
        time.sleep(0.005)
    if proc.poll() is None:
        proc.send_signal(signal.SIGINT)
    stdout, stderr = proc.communicate()
    wall = time.monotonic() - start
    server = cpu_seconds(server_pid) - server_before
    busy = busy_seconds() - busy_before
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    own = (after.ru_utime - children_before.ru_utime) + (after.ru_stime - children_before.ru_stime)
    done = subprocess.CompletedProcess(cmd, proc.returncode, stdout, stderr)
    return _Timed(done, server / wall, own / wall, max(0.0, busy - server - own) / wall)


def burst(
    server: Server, url: str, project: Project, checks: list[Check], gen_cpus: str | None
) -> tuple[Measurement, str]:
    paths = [f"/ping/{c.code}" for c in checks]
    with tempfile.TemporaryDirectory() as tmp:
        marker = Path(tmp) / "done"
        script = Path(tmp) / "burst.lua"
        script.write_text(burst_lua(_call(server), paths, BURST_PINGS, str(marker)))
        args = ["wrk", "-t1", f"-c{BURST_CONNECTIONS}", "-d120s", "--timeout", "10s", "-s", str(script)]
        timed = run_until_marker(pinned([*args, server.base], gen_cpus), marker, server.proc.pid, 120)
    m = _measurement(timed)
    found = re.search(r"^BURST (\d+) (\d+)$", timed.done.stdout, re.M)
    if found is None:
        raise RuntimeError(f"unexpected wrk output:\n{timed.done.stdout}\n{timed.done.stderr}")
    ok, bad = map(int, found.groups())
    m.requests = (
        ok + bad
    )  # pings/s: the /healthz requests sent while the last pings were answered do not count
    per_check = BURST_PINGS // len(checks)
    expected = {c.code: per_check for c in checks}
    verdict = verify(url, project.id, expected, expected)
    status = f"{ok} OK, {bad} failed; store: {verdict}"
    if ok != BURST_PINGS or bad:
        status = "FAILED: " + status
    return m, status


# --- one backend -------------------------------------------------------------------------------------
def _create_database() -> str:
    name = f"ztn_bench_pings_{os.getpid()}"
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    return name


def _drop_database(name: str) -> None:
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _failed(backend: str, what: str, label: str, exc: BaseException) -> Row:
    print(f"FAILED: {exc}", flush=True)
    return Row(backend, what, label, None, f"FAILED: {str(exc).splitlines()[0][:150]}")


def bench_backend(
    backend: str, tmp: Path, args: argparse.Namespace, plan: tuple[str | None, str | None, str]
) -> list[Row]:
    server_cpus, gen_cpus, label = plan
    data_dir = tmp / f"pings-{backend}"
    database = _create_database() if backend == "postgres" else None
    url = f"postgresql://postgres@127.0.0.1:5432/{database}" if database else None
    rows: list[Row] = []
    try:
        server = start_ztn(data_dir, WORKERS, server_cpus, tmp, url)
        store_url = url or Settings(data_dir=data_dir).database_url
        try:
            project, checks = seed(store_url, SUSTAINED_CHECKS, "s")
            burst_project, burst_checks = seed(store_url, BURST_CHECKS, "b")
            for kind in ("uuid", "slug"):
                what = f"sustained, {kind} URLs"
                print(f"  pings {backend:8} {what:22} ...", end=" ", flush=True)
                try:
                    m, verdict = sustained(server, store_url, kind, project, checks, args, gen_cpus)
                except Exception as exc:
                    rows.append(_failed(backend, what, label, exc))
                    continue
                print(
                    f"{m.rps:8,.0f} pings/s  p50 {m.p50_ms:6.1f} ms  p99 {m.p99_ms:6.1f} ms  {verdict}",
                    flush=True,
                )
                rows.append(Row(backend, what, label, m, verdict))
            what = f"burst {BURST_PINGS:,} over {BURST_CHECKS} checks"
            print(f"  pings {backend:8} {what:22} ...", end=" ", flush=True)
            try:
                m, verdict = burst(server, store_url, burst_project, burst_checks, gen_cpus)
                print(
                    f"{m.rps:8,.0f} pings/s  p50 {m.p50_ms:6.1f} ms  p99 {m.p99_ms:6.1f} ms  {verdict}",
                    flush=True,
                )
                rows.append(Row(backend, what, label, m, verdict))
            except Exception as exc:
                rows.append(_failed(backend, what, label, exc))
        finally:
            server.stop()
    finally:
        if database:
            _drop_database(database)
    return rows


def bench_hello(tmp: Path, args: argparse.Namespace, plan: tuple[str | None, str | None, str]) -> Row:
    server_cpus, gen_cpus, label = plan
    print("  pings hello-world ceiling ...", end=" ", flush=True)
    hello = start_hello(WORKERS, server_cpus, tmp)
    try:
        lua = wrk_script(_call(hello))
        if args.warmup > 0:
            run_wrk_lua(hello.base + "/", lua, CONNECTIONS, args.warmup, gen_cpus, hello.proc.pid)
        m, _ = run_wrk_lua(hello.base + "/", lua, CONNECTIONS, args.duration, gen_cpus, hello.proc.pid)
    except Exception as exc:
        return _failed("-", "hello-world", label, exc)
    finally:
        hello.stop()
    print(f"{m.rps:8,.0f} req/s  p50 {m.p50_ms:6.1f} ms  p99 {m.p99_ms:6.1f} ms", flush=True)
    return Row("-", "hello-world (aiohttp ceiling)", label, m, "ok")


def bench(tmp: Path, args: argparse.Namespace, plan: tuple[str | None, str | None, str]) -> list[Row]:
    """``plan`` = (server cpus, generator cpus, label) for WORKERS workers."""
    rows = [bench_hello(tmp, args, plan)]
    for backend in BACKENDS:
        rows += bench_backend(backend, tmp, args, plan)
    return rows


# --- reporting ---------------------------------------------------------------------------------------
def table(rows: list[Row]) -> str:
    out = [
        "| backend | load | pings/s | p50 ms | p99 ms | errors | server CPU | loadgen CPU | other CPU "
        "| pinning | check |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---|---|",
    ]
    for r in rows:
        cell = r.check.replace("|", "\\|").replace("\n", " ")[:240]
        if r.m is None:
            out.append(f"| {r.backend} | {r.what} |" + " - |" * 7 + f" {r.pinning} | {cell} |")
            continue
        out.append(
            f"| {r.backend} | {r.what} | {r.m.rps:,.0f} | {r.m.p50_ms:.1f} | {r.m.p99_ms:.1f} | {r.m.errors} "
            f"| {r.m.server_cpu:.2f} | {r.m.loadgen_cpu:.2f} | {r.m.other_cpu:.2f} | {r.pinning} | {cell} |"
        )
    return "\n".join(out)


def verdicts(rows: list[Row]) -> list[str]:
    lines = []
    for r in rows:
        if r.backend == "-":
            continue
        if r.m is None:
            lines.append(f"- FAIL: {r.backend} {r.what}: {r.check}")
            continue
        clean = not r.m.errors and (
            r.check.startswith("ok") or r.check.startswith(f"{BURST_PINGS} OK, 0 failed")
        )
        clean = clean and "store: ok" in r.check if r.what.startswith("burst") else clean
        if r.what.startswith("sustained"):
            ok = r.m.rps >= PINGS_TARGET and r.m.p99_ms < P99_TARGET_MS and clean
            lines.append(
                f"- {'PASS' if ok else 'FAIL'}: {r.backend} {r.what}: {r.m.rps:,.0f} pings/s "
                f"(target >= {PINGS_TARGET:,.0f}), p99 {r.m.p99_ms:.1f} ms (target < {P99_TARGET_MS:.0f} ms)"
                + ("" if clean else f"; {r.m.errors} errors / {r.check}")
            )
        else:
            lines.append(f"- {'PASS' if clean else 'FAIL'}: {r.backend} {r.what}: {r.check}")
    return lines


def section(rows: list[Row], args: argparse.Namespace, command: str, machine: str) -> str:
    return "\n".join(
        [
            f"Command: `{command}`",
            "",
            f"Machine: {machine}. `ztn serve --workers {WORKERS}`; the hello-world ceiling is the aiohttp "
            f"hello-world with the same {WORKERS} workers, measured in the same run. Sustained rows: wrk, "
            f"{CONNECTIONS} closed-loop connections, {args.warmup} s warm-up + {args.duration} s, cycling "
            f"through {SUSTAINED_CHECKS:,} checks' ping URLs (`/ping/<uuid>`, then "
            "`/ping/<ping key>/<slug>`); "
            f"each check keeps the default ping log of {DEFAULT_PING_LOG_LIMIT} (pruned every 100th ping, as "
            f"the reference does). Burst: exactly {BURST_PINGS:,} pings over {BURST_CHECKS} checks "
            f"({BURST_PINGS // BURST_CHECKS} each) from {BURST_CONNECTIONS} connections at once; pings/s is "
            "pings / time until the last answer. After every row the store is checked: each check's "
            "n_pings equals what it was sent (burst: exactly; sustained: what wrk counted plus at most the "
            "requests in flight when it stopped) and its stored pings are numbered without a gap up to "
            "n_pings. PostgreSQL: a fresh database on 127.0.0.1:5432 (its backends' CPU shows under other).",
            "",
            table(rows),
            "",
            *verdicts(rows),
        ]
    )
