"""Starting and stopping the servers under test, pinned to CPUs, and reading their CPU time."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import grpc

from zitadel import system_pb2, system_pb2_grpc

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
CLK_TCK = os.sysconf("SC_CLK_TCK")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def pinned(cmd: list[str], cpus: str | None) -> list[str]:
    """Prefix ``taskset -c cpus`` when asked for and available (children inherit the affinity)."""
    if cpus is None or shutil.which("taskset") is None:
        return cmd
    return ["taskset", "-c", cpus, *cmd]


def _tree(pid: int) -> list[int]:
    """``pid`` and all its descendants (worker processes), from /proc."""
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        try:
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as f:
                    todo.extend(int(c) for c in f.read().split())
        except OSError:
            pass
    return out


def _listeners(port: int) -> int:
    """Listening TCP sockets on ``port``, from /proc (gRPC listens on a v4-mapped IPv6 socket)."""
    count = 0
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            with open(table) as f:
                lines = f.readlines()[1:]
        except OSError:
            continue
        for line in lines:
            cols = line.split()
            if cols[3] == "0A" and int(cols[1].rsplit(":", 1)[1], 16) == port:  # 0A = LISTEN
                count += 1
    return count


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process tree (threads included: gRPC's C-core pollers count)."""
    total = 0
    for p in _tree(pid):
        try:
            with open(f"/proc/{p}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # utime, stime
        except (OSError, IndexError, ValueError):
            pass
    return total / CLK_TCK


def busy_seconds() -> float:
    """CPU time all cores spent not idle since boot, from /proc/stat."""
    with open("/proc/stat") as f:
        fields = [int(x) for x in f.readline().split()[1:]]
    user, nice, system, _idle, _iowait, irq, softirq, steal = fields[:8]
    return (user + nice + system + irq + softirq + steal) / CLK_TCK


@dataclass
class Server:
    name: str
    proc: subprocess.Popen
    http_port: int
    grpc_port: int | None = None
    token: str = ""
    instance_id: str = ""
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.http_port}"

    def wait_ready(self, workers: int, timeout: float = 30.0) -> None:
        """/healthz answers and every worker listens on every port (one SO_REUSEPORT socket each),
        so no worker is still importing when the load starts."""
        ports = [p for p in (self.http_port, self.grpc_port) if p]
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"{self.name} exited with {self.proc.returncode} before becoming ready")
            try:
                with urllib.request.urlopen(self.base + "/healthz", timeout=1) as r:
                    if r.status == 200 and all(_listeners(p) >= workers for p in ports):
                        return
            except OSError:
                pass
            time.sleep(0.1)
        raise RuntimeError(f"{self.name} not ready after {timeout} s")

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()


def _spawn(cmd: list[str], log_path: Path) -> subprocess.Popen:
    log = open(log_path, "ab")
    # Own session: stop() signals the whole group, workers included, and nothing else.
    return subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, start_new_session=True, cwd=ROOT)


def start_hello(workers: int, cpus: str | None, log_dir: Path) -> Server:
    port = free_port()
    cmd = [sys.executable, str(ROOT / "bench" / "hello_server.py"), "--http", f"127.0.0.1:{port}"]
    cmd += ["--workers", str(workers)]
    server = Server("hello", _spawn(pinned(cmd, cpus), log_dir / "hello.log"), port)
    try:
        server.wait_ready(workers)
    except BaseException:
        server.stop()
        raise
    return server


def start_ztn(
    data_dir: Path, workers: int, cpus: str | None, log_dir: Path, database_url: str | None = None
) -> Server:
    """``database_url`` None: the SQLite file in ``data_dir``."""
    http, grpc_port = free_port(), free_port()
    addr = [
        "--data-dir", str(data_dir),
        "--http", f"127.0.0.1:{http}",
        "--external-url", f"http://localhost:{http}",
    ]  # fmt: skip
    cmd = [str(BIN / "ztn"), "serve", *addr, "--grpc", f"127.0.0.1:{grpc_port}"]
    cmd += ["--workers", str(workers), "--log-level", "WARNING"]
    if database_url:
        cmd += ["--database-url", database_url]
    server = Server("ztn", _spawn(pinned(cmd, cpus), log_dir / "ztn.log"), http, grpc_port)
    try:
        server.wait_ready(workers)
        # The JWT's audience is the external URL, so every server start gets its own token.
        server.token = subprocess.run(
            [str(BIN / "ztn"), "system-token", *addr, "--log-level", "WARNING"],
            check=True, capture_output=True, text=True, cwd=ROOT,
        ).stdout.strip()  # fmt: skip
        server.instance_id = _first_instance(server)
    except BaseException:
        server.stop()
        raise
    return server


def _first_instance(server: Server) -> str:
    # Over native gRPC, so a broken HTTP door fails its own row instead of the whole run.
    with grpc.insecure_channel(f"127.0.0.1:{server.grpc_port}") as channel:
        response = system_pb2_grpc.SystemServiceStub(channel).ListInstances(
            system_pb2.ListInstancesRequest(),
            metadata=[("authorization", f"Bearer {server.token}")],
            timeout=10,
        )
    return response.result[0].id
