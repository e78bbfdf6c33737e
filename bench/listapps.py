"""ListApps under load: 1,000 apps in one project, pages of 100, REST and native gRPC, SQLite and PostgreSQL.

Per backend: start a 1-worker server (PostgreSQL: a fresh database, dropped afterwards), seed one
project with 1,000 API apps over native gRPC, check pages over each door with a real client (ids in
the server's order, totalResult "1000"), then load it: wrk cycles the REST body through offsets
0, 100, ..., 900; h2load sends one fixed body per run, so native gRPC is measured at offset 500.
"""

from __future__ import annotations

import argparse
import asyncio
import http.client
import json
import os
import time
from dataclasses import dataclass
from pathlib import Path

import grpc
import psycopg
from doors import Call, grpc_frame
from loadgen import Measurement, run_h2load, run_wrk, wrk_script
from servers import Server, start_ztn

from zitadel import management_pb2, management_pb2_grpc, object_pb2

NAME = "listapps"  # the --only item of bench/run.py
BACKENDS = ("sqlite", "postgres")
APPS = 1000
PAGE = 100
REST_OFFSETS = tuple(range(0, APPS, PAGE))
GRPC_OFFSET = 500
SEED_CONCURRENCY = 16
P99_TARGET_MS = 30.0
INSTANCE_HOST = "localhost"  # the first instance's generated domain
PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"
LIST_APPS = "/zitadel.management.v1.ManagementService/ListApps"


@dataclass
class Row:
    backend: str
    door: str
    pinning: str
    m: Measurement | None  # None: seeding, the check or the load run failed
    check: str


@dataclass
class Seeded:
    server: Server
    pat: str
    project_id: str
    app_ids: list[str]  # in the server's list order (by id)
    seconds: float
    backend: str

    @property
    def auth(self) -> dict[str, str]:
        return {"authorization": f"Bearer {self.pat}", "x-zitadel-instance-host": INSTANCE_HOST}


# --- seeding -----------------------------------------------------------------------------------------


async def _seed(server: Server, pat: str) -> tuple[str, list[str]]:
    metadata = (("authorization", f"Bearer {pat}"), ("x-zitadel-instance-host", INSTANCE_HOST))
    async with grpc.aio.insecure_channel(f"127.0.0.1:{server.grpc_port}") as channel:
        stub = management_pb2_grpc.ManagementServiceStub(channel)
        project = await stub.AddProject(
            management_pb2.AddProjectRequest(name="bench-listapps"), metadata=metadata, timeout=30
        )
        gate = asyncio.Semaphore(SEED_CONCURRENCY)

        async def add(i: int) -> str:
            async with gate:
                request = management_pb2.AddAPIAppRequest(project_id=project.id, name=f"app-{i}")
                return (await stub.AddAPIApp(request, metadata=metadata, timeout=60)).app_id

        ids = await asyncio.gather(*(add(i) for i in range(APPS)))
    return project.id, sorted(ids)  # ids are equal-length digit strings: text order = the server's order


def seed(server: Server, data_dir: Path, backend: str) -> Seeded:
    pat = (data_dir / "admin.pat").read_text().strip()
    start = time.monotonic()
    project_id, ids = asyncio.run(_seed(server, pat))
    return Seeded(server, pat, project_id, ids, time.monotonic() - start, backend)


# --- the two calls and their checks ------------------------------------------------------------------


def _rest_body(offset: int) -> bytes:
    return json.dumps({"query": {"offset": str(offset), "limit": PAGE}}, separators=(",", ":")).encode()


def rest_call(s: Seeded) -> Call:
    url = f"{s.server.base}/management/v1/projects/{s.project_id}/apps/_search"
    headers = {**s.auth, "Content-Type": "application/json"}
    return Call("rest", "wrk", url, "POST", headers, _rest_body(REST_OFFSETS[0]))


def rest_lua(call: Call) -> str:
    """wrk_script(call) plus a ``request`` that cycles the body through the offsets (one Lua state:
    wrk runs one thread, so the pages rotate across all connections)."""
    bodies = ", ".join(f"[[{_rest_body(o).decode()}]]" for o in REST_OFFSETS)
    return wrk_script(call) + (
        f"local bodies = {{{bodies}}}\n"
        "local n = 0\n"
        "request = function()\n"
        "  n = n % #bodies + 1\n"
        "  return wrk.format(nil, nil, nil, bodies[n])\n"
        "end\n"
    )


def grpc_call(s: Seeded) -> Call:
    request = management_pb2.ListAppsRequest(
        project_id=s.project_id, query=object_pb2.ListQuery(offset=GRPC_OFFSET, limit=PAGE)
    )
    url = f"http://127.0.0.1:{s.server.grpc_port}{LIST_APPS}"
    headers = {**s.auth, "content-type": "application/grpc", "te": "trailers"}
    return Call("grpc", "h2load", url, "POST", headers, grpc_frame(request.SerializeToString()))


def _expect(door: str, offset: int, total: str, ids: list[str], s: Seeded) -> None:
    want = s.app_ids[offset : offset + PAGE]
    if total != str(APPS) or ids != want:
        raise RuntimeError(
            f"{door} offset {offset}: totalResult {total!r}, {len(ids)} ids, "
            f"{sum(a == b for a, b in zip(ids, want, strict=False))} in the expected place"
        )


def check_rest(call: Call, s: Seeded) -> float:
    """Every page the load cycles through, over one real HTTP connection; returns the mean body size."""
    conn = http.client.HTTPConnection("127.0.0.1", s.server.http_port, timeout=10)
    path = "/" + call.url.split("//", 1)[1].split("/", 1)[1]
    sizes = []
    try:
        for offset in REST_OFFSETS:
            conn.request("POST", path, body=_rest_body(offset), headers=call.headers)
            resp = conn.getresponse()
            body = resp.read()
            if resp.status != 200:
                raise RuntimeError(f"rest offset {offset}: HTTP {resp.status}: {body[:300]!r}")
            page = json.loads(body)
            _expect("rest", offset, page["details"].get("totalResult"), [a["id"] for a in page["result"]], s)
            sizes.append(len(body))
    finally:
        conn.close()
    return sum(sizes) / len(sizes)


def check_grpc(s: Seeded) -> int:
    """The page h2load sends; returns its gRPC DATA size."""
    with grpc.insecure_channel(f"127.0.0.1:{s.server.grpc_port}") as channel:
        response = management_pb2_grpc.ManagementServiceStub(channel).ListApps(
            management_pb2.ListAppsRequest(
                project_id=s.project_id, query=object_pb2.ListQuery(offset=GRPC_OFFSET, limit=PAGE)
            ),
            metadata=list(s.auth.items()),
            timeout=10,
        )
    ids = [a.id for a in response.result]
    _expect("grpc", GRPC_OFFSET, str(response.details.total_result), ids, s)
    return 5 + response.ByteSize()


# --- one backend -------------------------------------------------------------------------------------


def _measure(
    door: str, s: Seeded, args: argparse.Namespace, gen_cpus: str | None, disturbed: float
) -> tuple[Measurement, str]:
    pid = s.server.proc.pid
    if door == "rest":
        call = rest_call(s)
        reference = check_rest(call, s)
        m = run_wrk(call, args.connections, args.duration, args.warmup, gen_cpus, pid, rest_lua(call))
        ok = reference <= m.bytes_per_response <= reference + 1024  # wrk counts headers too
    else:
        call = grpc_call(s)
        reference = check_grpc(s)
        m = run_h2load(call, args.connections, args.duration, args.warmup, gen_cpus, pid)
        ok = abs(m.bytes_per_response - reference) <= 0.02 * reference
    status = "ok" if ok else f"{m.bytes_per_response:.0f} B/resp, expected ~{reference:.0f}"
    if s.backend == "postgres":
        status += "; other CPU includes PostgreSQL's own backends"  # so no "disturbed" verdict here
    elif m.other_cpu > disturbed:
        status += f"; disturbed: other work used {m.other_cpu:.2f} cores"
    return m, status


def _create_database() -> str:
    name = f"ztn_bench_listapps_{os.getpid()}"
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    return name


def _drop_database(name: str) -> None:
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def bench_backend(
    backend: str,
    tmp: Path,
    args: argparse.Namespace,
    plan: tuple[str | None, str | None, str],
    disturbed: float,
) -> tuple[list[Row], float | None]:
    """Rows for both doors, and the seconds seeding took (None if it failed)."""
    server_cpus, gen_cpus, label = plan
    data_dir = tmp / f"listapps-{backend}"  # a fresh data dir: its own admin.pat and first instance
    database = _create_database() if backend == "postgres" else None
    url = f"postgresql://postgres@127.0.0.1:5432/{database}" if database else None
    rows: list[Row] = []
    seconds: float | None = None
    try:
        server = start_ztn(data_dir, 1, server_cpus, tmp, url)
        try:
            print(f"  listapps {backend:8} seeding {APPS} apps ...", end=" ", flush=True)
            try:
                seeded = seed(server, data_dir, backend)
            except Exception as exc:
                print(f"FAILED: {exc}", flush=True)
                failure = f"FAILED seeding: {str(exc).splitlines()[0][:150]}"
                return [Row(backend, door, label, None, failure) for door in ("rest", "grpc")], None
            seconds = seeded.seconds
            print(f"{seconds:.1f} s", flush=True)
            for door in ("rest", "grpc"):
                print(f"  listapps {backend:8} {door:4} ...", end=" ", flush=True)
                try:
                    m, status = _measure(door, seeded, args, gen_cpus, disturbed)
                except Exception as exc:  # one broken door must not hide the other rows
                    print(f"FAILED: {exc}", flush=True)
                    rows.append(Row(backend, door, label, None, f"FAILED: {str(exc).splitlines()[0][:150]}"))
                    continue
                print(
                    f"{m.rps:8,.0f} req/s  p50 {m.p50_ms:6.1f} ms  p99 {m.p99_ms:6.1f} ms  {status}",
                    flush=True,
                )
                rows.append(Row(backend, door, label, m, status))
        finally:
            server.stop()
    finally:
        if database:
            _drop_database(database)
    return rows, seconds


def bench(
    tmp: Path, args: argparse.Namespace, plan: tuple[str | None, str | None, str], disturbed: float
) -> tuple[list[Row], dict[str, float | None]]:
    """Both backends, one after the other; ``plan`` = (server cpus, generator cpus, label) for 1 worker."""
    rows: list[Row] = []
    seeding: dict[str, float | None] = {}
    for backend in BACKENDS:
        backend_rows, seeding[backend] = bench_backend(backend, tmp, args, plan, disturbed)
        rows += backend_rows
    return rows, seeding


# --- reporting ---------------------------------------------------------------------------------------


def _what(door: str) -> str:
    return "REST, offsets 0-900 cycled" if door == "rest" else f"gRPC, offset {GRPC_OFFSET}"


def table(rows: list[Row]) -> str:
    out = [
        "| backend | door | req/s | p50 ms | p99 ms | errors | server CPU | loadgen CPU | other CPU "
        "| pinning | check |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---|---|",
    ]
    for r in rows:
        if r.m is None:
            cell = r.check.replace("|", "\\|").replace("\n", " ")[:200]
            out.append(f"| {r.backend} | {_what(r.door)} |" + " - |" * 7 + f" {r.pinning} | {cell} |")
            continue
        out.append(
            f"| {r.backend} | {_what(r.door)} | {r.m.rps:,.0f} | {r.m.p50_ms:.1f} | {r.m.p99_ms:.1f} "
            f"| {r.m.errors} | {r.m.server_cpu:.2f} | {r.m.loadgen_cpu:.2f} | {r.m.other_cpu:.2f} "
            f"| {r.pinning} | {r.check} |"
        )
    return "\n".join(out)


def verdicts(rows: list[Row]) -> list[str]:
    lines = []
    for r in rows:
        if r.m is None:
            lines.append(f"- FAIL: {r.backend} {r.door}: {r.check}")
            continue
        ok = "PASS" if r.m.p99_ms < P99_TARGET_MS and not r.m.errors else "FAIL"
        lines.append(
            f"- {ok}: {r.backend} {r.door} p99 = {r.m.p99_ms:.1f} ms (target < {P99_TARGET_MS:.0f} ms)"
            + (f", {r.m.errors} errors" if r.m.errors else "")
        )
    return lines


def report(rows: list[Row]) -> str:
    return table(rows) + "\n\n" + "\n".join(verdicts(rows))


def section(
    rows: list[Row], seeding: dict[str, float | None], args: argparse.Namespace, command: str, machine: str
) -> str:
    """The body of the "## ListApps (date)" section of bench/RESULTS.md."""
    seeded = ", ".join(f"{b} {s:.0f} s" if s is not None else f"{b} failed" for b, s in seeding.items())
    return "\n".join(
        [
            f"Command: `{command}`",
            "",
            f"Machine: {machine}. One project with {APPS} API apps (AddAPIApp over native gRPC, "
            f"{SEED_CONCURRENCY} in flight; seeding took {seeded}), ListApps pages of {PAGE} in id order, "
            f"1 worker, {args.connections} concurrent requests, {args.warmup} s warm-up + {args.duration} s "
            f"per row. REST: wrk cycles `POST /management/v1/projects/{{id}}/apps/_search` through offsets "
            f"{REST_OFFSETS[0]}, {REST_OFFSETS[1]}, ..., {REST_OFFSETS[-1]}. gRPC: h2load sends one fixed "
            f"body per run, so it is measured at offset {GRPC_OFFSET} (a mid page). Before each row every "
            "page it sends was checked with a real client (ids in order, totalResult 1000). PostgreSQL: "
            "a fresh database on 127.0.0.1:5432, dropped afterwards; its backends run outside the pinned "
            "server CPU, so their work shows in the other CPU column.",
            "",
            report(rows),
            "",
            f"Closed loop: mean latency = {args.connections} / (req/s), so p99 < {P99_TARGET_MS:.0f} ms at "
            f"{args.connections} concurrent needs well over {args.connections / P99_TARGET_MS * 1000:,.0f} "
            "req/s.",
        ]
    )
