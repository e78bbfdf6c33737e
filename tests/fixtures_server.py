"""Real server processes for end-to-end tests: ``ztn serve`` on free ports, on the backend under test."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from fixtures_db import fresh_database_url
from ztn.auth.keys import system_token_for_data_dir


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class RunningServer:
    data_dir: Path
    database_url: str
    http_port: int
    grpc_port: int
    workers: int = 1
    proc: subprocess.Popen | None = None
    log_path: Path | None = None
    env: dict[str, str] = field(default_factory=dict)

    @property
    def http(self) -> str:
        return f"http://127.0.0.1:{self.http_port}"

    @property
    def grpc(self) -> str:
        return f"127.0.0.1:{self.grpc_port}"

    @property
    def external_url(self) -> str:
        return f"http://localhost:{self.http_port}"

    def admin_pat(self) -> str:
        return (self.data_dir / "admin.pat").read_text().strip()

    def system_token(self) -> str:
        return system_token_for_data_dir(self.data_dir, self.external_url)

    def start(self, timeout: float = 30.0) -> RunningServer:
        cmd = [
            sys.executable,
            "-m",
            "ztn.cli",
            "serve",
            "--data-dir",
            str(self.data_dir),
            "--http",
            f"127.0.0.1:{self.http_port}",
            "--grpc",
            f"127.0.0.1:{self.grpc_port}",
            "--external-url",
            self.external_url,
            "--database-url",
            self.database_url,
            "--workers",
            str(self.workers),
            "--log-level",
            "WARNING",
        ]
        self.log_path = self.data_dir / "server.log"
        log = open(self.log_path, "ab")
        self.proc = subprocess.Popen(
            cmd, stdout=log, stderr=subprocess.STDOUT, env={**os.environ, **self.env}
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited with {self.proc.returncode}:\n{self.log()}")
            try:
                with urllib.request.urlopen(f"{self.http}/healthz", timeout=1) as resp:
                    if resp.status == 200:
                        return self
            except OSError:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"server not ready within {timeout}s:\n{self.log()}")

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 20.0) -> int | None:
        if self.proc is None or self.proc.poll() is not None:
            return self.proc.returncode if self.proc else None
        self.proc.send_signal(sig)
        try:
            return self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            return self.proc.wait()

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path and self.log_path.exists() else ""


def new_server(tmp_path: Path, database_url: str, workers: int = 1) -> RunningServer:
    data_dir = tmp_path / "data"
    data_dir.mkdir(parents=True, exist_ok=True)
    return RunningServer(data_dir, database_url, free_port(), free_port(), workers)


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    """One server for the whole session; tests create what they need with unique names."""
    tmp = tmp_path_factory.mktemp("server")
    with fresh_database_url(tmp) as url:
        running = new_server(tmp, url).start()
        try:
            yield running
        finally:
            running.stop()
