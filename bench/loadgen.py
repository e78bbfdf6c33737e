"""Load generators in their own processes: wrk (HTTP/1.1) and h2load (native gRPC over h2c).

Both are closed-loop C clients (N connections, one request in flight each), so every door is
driven by an equally cheap generator and the server, not the client, is the bottleneck.
"""

from __future__ import annotations

import re
import resource
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from doors import Call
from servers import busy_seconds, cpu_seconds, pinned


@dataclass
class Measurement:
    requests: int
    seconds: float
    p50_ms: float
    p99_ms: float
    errors: int
    bytes_per_response: float
    server_cpu: float  # cores used by the server while measured (1.0 = one core saturated)
    loadgen_cpu: float  # same, for the load generator
    other_cpu: float  # same, for everything else on the machine: other work disturbing the row

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


def missing_tools(tools: set[str]) -> list[str]:
    hints = {"wrk": "apt-get install -y wrk", "h2load": "apt-get install -y nghttp2-client"}
    return [f"{t} not found on PATH (install: {hints[t]})" for t in sorted(tools) if shutil.which(t) is None]


def _lua_string(data: bytes) -> str:
    # Decimal escapes for every byte that is not plainly printable: binary grpc-web frames included.
    safe = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .,:/_-{}=+"
    return '"' + "".join(chr(b) if b in safe else f"\\{b:03d}" for b in data) + '"'


def wrk_script(call: Call) -> str:
    lines = [f"wrk.method = {_lua_string(call.method.encode())}"]
    if call.body:
        lines.append(f"wrk.body = {_lua_string(call.body)}")
    for name, value in call.headers.items():
        lines.append(f"wrk.headers[{_lua_string(name.encode())}] = {_lua_string(value.encode())}")
    # done() runs once with the merged statistics of all threads; latencies are in microseconds.
    lines.append(
        """done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("BENCH %d %d %d %d %d %d\\n", summary.requests, summary.duration,
    summary.bytes, e.connect + e.read + e.write + e.status + e.timeout,
    latency:percentile(50), latency:percentile(99)))
end"""
    )
    return "\n".join(lines) + "\n"


@dataclass
class _Timed:
    done: subprocess.CompletedProcess
    server_cpu: float
    loadgen_cpu: float
    other_cpu: float


def _timed(cmd: list[str], server_pid: int) -> _Timed:
    """Run ``cmd`` to completion; return it with the cores used by the server, by it, and by the rest."""
    children_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    server_before, busy_before = cpu_seconds(server_pid), busy_seconds()
    start = time.monotonic()
    done = subprocess.run(cmd, capture_output=True, text=True)
    wall = time.monotonic() - start
    server = cpu_seconds(server_pid) - server_before
    busy = busy_seconds() - busy_before
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    own = (after.ru_utime - children_before.ru_utime) + (after.ru_stime - children_before.ru_stime)
    if done.returncode != 0:
        tool = cmd[3] if cmd[0] == "taskset" else cmd[0]
        raise RuntimeError(f"{tool} failed: {done.stderr or done.stdout}")
    return _Timed(done, server / wall, own / wall, max(0.0, busy - server - own) / wall)


def run_wrk(
    call: Call,
    connections: int,
    duration: float,
    warmup: float,
    cpus: str | None,
    server_pid: int,
    lua: str | None = None,
) -> Measurement:
    """``lua``: the script to run instead of ``wrk_script(call)`` (e.g. a varying ``request``); it must keep
    that script's ``done``, which prints the statistics parsed here."""
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as f:
        f.write(wrk_script(call) if lua is None else lua)
        script = f.name
    try:

        def cmd(seconds: float) -> list[str]:
            args = ["wrk", "-t1", f"-c{connections}", f"-d{max(1, round(seconds))}s", "--timeout", "5s"]
            return pinned([*args, "-s", script, call.url], cpus)

        if warmup > 0:
            _timed(cmd(warmup), server_pid)
        timed = _timed(cmd(duration), server_pid)
        done = timed.done
    finally:
        Path(script).unlink(missing_ok=True)
    match = re.search(r"^BENCH (\d+) (\d+) (\d+) (\d+) (\d+) (\d+)$", done.stdout, re.M)
    if match is None:
        raise RuntimeError(f"unexpected wrk output:\n{done.stdout}\n{done.stderr}")
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


def run_h2load(
    call: Call, connections: int, duration: float, warmup: float, cpus: str | None, server_pid: int
) -> Measurement:
    with tempfile.TemporaryDirectory() as tmp:
        body, log = Path(tmp, "body.bin"), Path(tmp, "requests.log")
        body.write_bytes(call.body)
        headers = [a for name, value in call.headers.items() for a in ("-H", f"{name}: {value}")]

        def cmd(seconds: float) -> list[str]:
            # One stream per connection, like wrk; --log-file gives every request's latency.
            args = ["h2load", f"-c{connections}", "-m1", "-t1", "-D", str(max(1, round(seconds)))]
            return pinned([*args, "-d", str(body), *headers, "--log-file", str(log), call.url], cpus)

        if warmup > 0:
            _timed(cmd(warmup), server_pid)
        timed = _timed(cmd(duration), server_pid)
        done = timed.done
        latencies = sorted(
            int(cols[2])
            for cols in (line.split("\t") for line in log.read_text().splitlines())
            if len(cols) == 3
        )
    out = done.stdout
    counts = re.search(
        r"requests: \d+ total, \d+ started, \d+ done, (\d+) succeeded, (\d+) failed, (\d+) errored", out
    )
    data = re.search(r"\((\d+)\) data", out)
    if counts is None or data is None:
        raise RuntimeError(f"unexpected h2load output:\n{out}\n{done.stderr}")
    succeeded, failed, errored = map(int, counts.groups())
    non_2xx = re.search(r"status codes: (\d+) 2xx", out)
    bad_status = succeeded - int(non_2xx.group(1)) if non_2xx else 0
    return Measurement(
        requests=succeeded,
        seconds=max(1, round(duration)),
        p50_ms=_percentile(latencies, 50) / 1000,
        p99_ms=_percentile(latencies, 99) / 1000,
        errors=failed + errored + bad_status,
        bytes_per_response=int(data.group(1)) / succeeded if succeeded else 0.0,
        server_cpu=timed.server_cpu,
        loadgen_cpu=timed.loadgen_cpu,
        other_cpu=timed.other_cpu,
    )


def _percentile(sorted_values: list[int], pct: float) -> float:
    """Nearest-rank percentile."""
    if not sorted_values:
        return 0.0
    rank = max(1, -(-len(sorted_values) * pct // 100))
    return float(sorted_values[int(rank) - 1])
