"""Benchmark the four doors of ztn against an aiohttp hello-world ceiling, in one run.

For each worker count: start the server (fresh temp data dir, SQLite), check every door once with
a real client, then load it from a separate, CPU-pinned process: wrk for HTTP (hello-world, REST,
grpc-web, Connect) and h2load for native gRPC. Prints a markdown table and writes a dated section
of bench/RESULTS.md. ``--profile`` adds a py-spy profile of a 1-worker server under REST load.

Run: .venv/bin/python bench/run.py [--duration 5] [--connections 32] [--only rest,grpc] [--profile]
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import shlex
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import hc_list_checks
import hc_pings
import listapps
from doors import ALL_DOORS, call_for, check
from loadgen import missing_tools, run_h2load, run_wrk, wrk_script
from pyspy import py_spy, record, report, top_functions
from results_md import Row, replace_section, table, verdicts
from servers import ROOT, Server, pinned, start_hello, start_ztn

RESULTS = ROOT / "bench" / "RESULTS.md"
# --only choices: the doors, then the ListApps and the Healthchecks (pings, list checks) benchmarks
ITEMS = (*ALL_DOORS, listapps.NAME, hc_pings.NAME, hc_list_checks.NAME)
DISTURBED = 0.2  # cores used by unrelated processes during a row above which it is flagged


def cpu_plan(workers: int) -> tuple[str | None, str | None, str]:
    """(server cpus, load generator cpus, label). The generator gets its own core(s) when the
    server leaves one free; otherwise the server takes every core and the generator shares."""
    cpus = sorted(os.sched_getaffinity(0))
    if len(cpus) > workers:
        server, loadgen = cpus[:workers], cpus[workers:]
        s, g = ",".join(map(str, server)), ",".join(map(str, loadgen))
        return s, g, f"server {s} / gen {g}"
    return ",".join(map(str, cpus)), None, "shared (all cores)"


def measure(door: str, server: Server, args: argparse.Namespace, gen_cpus: str | None) -> tuple:
    call = call_for(door, server)
    reference = check(call, server)
    run = run_h2load if call.tool == "h2load" else run_wrk
    m = run(call, args.connections, args.duration, args.warmup, gen_cpus, server.proc.pid)
    # wrk counts header bytes too; h2load counts gRPC DATA bytes only, which must match exactly-ish.
    slack = 1024 if call.tool == "wrk" else 0.02 * reference
    low = reference if call.tool == "wrk" else reference - slack
    ok = low <= m.bytes_per_response <= reference + slack
    status = "ok" if ok else f"{m.bytes_per_response:.0f} B/resp, expected ~{reference}"
    if m.other_cpu > DISTURBED:
        status += f"; disturbed: other work used {m.other_cpu:.2f} cores"
    return m, status


def bench_workers(workers: int, doors: list[str], data_dir: Path, args: argparse.Namespace) -> list[Row]:
    server_cpus, gen_cpus, label = cpu_plan(workers)
    rows: list[Row] = []

    def one(door: str, server: Server) -> None:
        print(f"  workers={workers} {door:9} ...", end=" ", flush=True)
        try:
            m, status = measure(door, server, args, gen_cpus)
        except Exception as exc:  # one broken door must not hide the other rows
            print(f"FAILED: {exc}", flush=True)
            rows.append(Row(workers, door, label, None, f"FAILED: {str(exc).splitlines()[0][:150]}"))
            return
        print(f"{m.rps:8,.0f} req/s  p50 {m.p50_ms:6.1f} ms  p99 {m.p99_ms:6.1f} ms  {status}", flush=True)
        rows.append(Row(workers, door, label, m, status))

    if "hello" in doors:
        hello = start_hello(workers, server_cpus, data_dir)
        try:
            one("hello", hello)
        finally:
            hello.stop()
    ztn_doors = [d for d in doors if d != "hello"]
    if ztn_doors:
        ztn = start_ztn(data_dir / "data", workers, server_cpus, data_dir)
        try:
            for door in ztn_doors:
                one(door, ztn)
        finally:
            ztn.stop()
    return rows


def profile(data_dir: Path, args: argparse.Namespace) -> str:
    """py-spy for ``--profile-seconds`` on a 1-worker server while wrk drives REST GetInstance."""
    server_cpus, gen_cpus, _ = cpu_plan(1)
    server = start_ztn(data_dir / "data", 1, server_cpus, data_dir)
    try:
        call = call_for("rest", server)
        check(call, server)
        script = data_dir / "profile.lua"
        script.write_text(wrk_script(call))
        seconds = args.profile_seconds
        wrk = ["wrk", "-t1", f"-c{args.connections}", f"-d{seconds + 3}s", "-s", str(script), call.url]
        load = subprocess.Popen(pinned(wrk, gen_cpus), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            time.sleep(1.5)  # past connection set-up: sample the steady state only
            collapsed = record(server.proc.pid, seconds, args.profile_rate, gen_cpus, args.profile_gil)
        finally:
            load.wait()
    finally:
        server.stop()
    total, threads, rows = top_functions(collapsed, 25)
    mode = (
        "holding the GIL (pure Python CPU)"
        if args.profile_gil
        else "running, waiting for the GIL, or in C code that released it"
    )
    return (
        f"py-spy {seconds} s at {args.profile_rate} Hz on a 1-worker server under {args.connections} "
        f"connections of REST GetInstance: {total} samples of Python threads {mode}. Own = the function "
        "was the innermost Python frame (time in C it calls, e.g. upb, sqlite, uvloop, counts as its own; "
        "`Runner.run` own time is uvloop's C event loop and the C parts of aiohttp).\n\n"
        + report(total, threads, rows)
    )


def notes(rows: list[Row], connections: int) -> list[str]:
    out = [
        f"Closed loop: mean latency = {connections} / (req/s), so p99 < 20 ms at {connections} concurrent "
        f"needs well over {connections / 0.020:,.0f} req/s."
    ]
    if any(r.pinning.startswith("shared") for r in rows):
        out.append(
            "Rows marked shared: the server uses every core, so the load generator competes with it; at "
            "hello-world rates wrk takes ~0.3-0.4 of a core (loadgen CPU column), which lowers that ceiling "
            "more than the ztn rows (wrk needs ~0.03 core there)."
        )
    return out


def machine() -> str:
    model = ""
    try:
        with open("/proc/cpuinfo") as f:
            model = next((ln.split(":", 1)[1].strip() for ln in f if ln.startswith("model name")), "")
    except OSError:
        pass
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    return (
        f"{os.cpu_count()} CPUs ({model or platform.machine()}), Python {platform.python_version()}, "
        f"load average before the run: {load}"
    )


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--duration", type=int, default=5, help="measured seconds per row (default 5)")
    p.add_argument("--warmup", type=int, default=1, help="warm-up seconds per row, not measured (default 1)")
    p.add_argument("--connections", type=int, default=32, help="concurrent requests (default 32)")
    p.add_argument("--only", default=",".join(ITEMS), help=f"comma list of {','.join(ITEMS)}")
    p.add_argument("--workers", default="1,2", help="comma list of worker counts (default 1,2)")
    p.add_argument("--profile", action="store_true", help="also py-spy a 1-worker server under REST load")
    p.add_argument("--profile-seconds", type=int, default=10)
    p.add_argument("--profile-rate", type=int, default=200, help="py-spy samples per second")
    p.add_argument("--profile-gil", action="store_true", help="profile only samples holding the GIL")
    p.add_argument(
        "--baseline",
        metavar="REF",
        help="listchecks: serve the same data with this commit's src first (before/after in one run)",
    )
    p.add_argument("--no-write", action="store_true", help=f"do not update {RESULTS.relative_to(ROOT)}")
    args = p.parse_args(argv)
    items = [d.strip() for d in args.only.split(",") if d.strip()]
    unknown = sorted(set(items) - set(ITEMS))
    if unknown:
        p.error(f"unknown item(s) {', '.join(unknown)}; choose from {', '.join(ITEMS)}")
    args.doors = [d for d in items if d in ALL_DOORS]
    args.listapps = listapps.NAME in items
    args.pings = hc_pings.NAME in items
    args.listchecks = hc_list_checks.NAME in items
    args.worker_counts = [int(w) for w in args.workers.split(",") if w.strip()]
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    needed = {"h2load" if d == "grpc" else "wrk" for d in args.doors} | ({"wrk"} if args.profile else set())
    needed |= {"wrk", "h2load"} if args.listapps else set()
    needed |= {"wrk"} if args.pings or args.listchecks else set()
    problems = missing_tools(needed)
    if args.profile and py_spy() is None:
        problems.append("py-spy not found (install locally: .venv/bin/pip install py-spy)")
    if problems:
        print("cannot run the benchmark:\n  " + "\n  ".join(problems), file=sys.stderr)
        return 2
    command = ".venv/bin/python bench/run.py" + (" " + shlex.join(sys.argv[1:]) if argv is None else "")
    started = datetime.datetime.now()
    host = machine()
    print(f"{command}\n{host}")
    if os.getloadavg()[0] > 0.5:
        print("warning: the machine is busy (load average > 0.5); numbers will be noisy", flush=True)
    rows: list[Row] = []
    profile_text = ""
    listapps_rows: list[listapps.Row] = []
    pings_rows: list[hc_pings.Row] = []
    listchecks_rows: list[hc_list_checks.Row] = []
    with tempfile.TemporaryDirectory(prefix="ztn-bench-") as tmp:
        data_dir = Path(tmp)
        for workers in args.worker_counts:
            rows += bench_workers(workers, args.doors, data_dir, args)
        if args.profile:
            print(
                f"  profiling a 1-worker server under REST load for {args.profile_seconds} s ...", flush=True
            )
            profile_text = profile(data_dir, args)
        if args.listapps:
            listapps_rows, seeding = listapps.bench(data_dir, args, cpu_plan(1), DISTURBED)
        if args.pings:
            pings_rows = hc_pings.bench(data_dir, args, cpu_plan(hc_pings.WORKERS))
        if args.listchecks:
            listchecks_rows = hc_list_checks.bench(data_dir, args, cpu_plan(hc_pings.WORKERS))
    elapsed = (datetime.datetime.now() - started).total_seconds()
    rendered = table(rows)
    checks = verdicts(rows)
    if rows:
        print("\n" + rendered + "\n\n" + "\n".join(checks))
    if profile_text:
        print("\n" + profile_text)
    if listapps_rows:
        print("\nListApps\n" + listapps.report(listapps_rows))
    if pings_rows:
        print("\nPings\n" + hc_pings.table(pings_rows) + "\n\n" + "\n".join(hc_pings.verdicts(pings_rows)))
    if listchecks_rows:
        print(
            "\nList checks\n"
            + hc_list_checks.table(listchecks_rows)
            + "\n\n"
            + "\n".join(hc_list_checks.verdicts(listchecks_rows))
            + "\n\n"
            + "\n".join(hc_list_checks.ratios(listchecks_rows))
        )
    print(f"\n(whole run: {elapsed:.0f} s)")
    if not args.no_write:
        date = started.strftime("%Y-%m-%d")
        body = "\n".join(
            [
                f"Command: `{command}` ({started:%Y-%m-%d %H:%M}, whole run {elapsed:.0f} s)",
                "",
                f"Machine: {host}. {args.connections} concurrent requests, {args.warmup} s warm-up + "
                f"{args.duration} s per row. Load generators: wrk (HTTP/1.1, 1 thread) and h2load (native "
                "gRPC, h2c, one stream per connection), each in its own process. CPU columns are cores "
                "used during the row (1.00 = one core saturated) by the server, the load generator and "
                f"everything else on the machine (a row where other work took > {DISTURBED} is flagged).",
                "",
                rendered,
                "",
                *checks,
                "",
                "\n\n".join(notes(rows, args.connections)),
            ]
        )
        if rows:
            replace_section(RESULTS, f"Doors ({date})", body)
        if profile_text:
            replace_section(RESULTS, f"Profile: REST GetInstance, 1 worker ({date})", profile_text)
        if listapps_rows:
            listapps_body = listapps.section(listapps_rows, seeding, args, command, host)
            replace_section(RESULTS, f"ListApps ({date})", listapps_body)
        if pings_rows:
            pings_body = hc_pings.section(pings_rows, args, command, host)
            replace_section(RESULTS, f"Healthchecks pings ({date})", pings_body)
        if listchecks_rows:
            listchecks_body = hc_list_checks.section(listchecks_rows, args, command, host)
            replace_section(RESULTS, f"Healthchecks list checks ({date})", listchecks_body)
        print(f"updated {RESULTS.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
