"""Server settings: command-line flags, each with a ``ZTN_*`` environment variable behind it."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit


def split_host_port(value: str, default_host: str = "127.0.0.1") -> tuple[str, int]:
    host, sep, port = value.rpartition(":")
    if not sep:
        host, port = default_host, value
    host = host.strip("[]") or default_host
    try:
        number = int(port)
    except ValueError:
        raise ValueError(f"invalid HOST:PORT {value!r}") from None
    if not 0 <= number <= 65535:
        raise ValueError(f"invalid port in {value!r}")
    return host, number


@dataclass
class Settings:
    data_dir: Path = Path("./data")
    http: str = "127.0.0.1:8080"
    grpc: str = "127.0.0.1:8081"
    external_url: str = ""
    database_url: str = ""
    workers: int = 1
    cors_origins: tuple[str, ...] = ("*",)
    shutdown_grace: float = 10.0
    log_level: str = "INFO"
    access_log: bool = False
    """One INFO line per call on the ``ztn.access`` logger; off by default (it costs per call)."""
    instance_host_headers: tuple[str, ...] = ("x-zitadel-instance-host",)
    """Headers naming the target instance's host, tried in order before the Host header."""
    trust_forwarded: bool = False
    """Also take the instance host from Forwarded / X-Forwarded-Host (only behind a trusted proxy)."""
    default_instance: str = ""
    """Single-instance mode: id or domain of the instance every request goes to (no host matching)."""
    hc_check_limit: int = field(default_factory=lambda: int(env_default("HC_CHECK_LIMIT", "20")))
    """Healthchecks API: checks per project unless the project sets its own limit (ZTN_HC_CHECK_LIMIT)."""
    extra: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.data_dir = Path(self.data_dir)
        if not self.external_url:
            host, port = split_host_port(self.http)
            shown = "localhost" if host in ("127.0.0.1", "0.0.0.0", "::", "") else host
            self.external_url = f"http://{shown}:{port}"
        self.external_url = self.external_url.rstrip("/")
        if not self.database_url:
            self.database_url = f"sqlite:///{(self.data_dir / 'ztn.db').resolve()}"

    @property
    def external_host(self) -> str:
        """The external URL's host without port: the first instance's generated domain."""
        return (urlsplit(self.external_url).hostname or "localhost").lower()

    @property
    def http_address(self) -> tuple[str, int]:
        return split_host_port(self.http)

    @property
    def grpc_address(self) -> tuple[str, int]:
        return split_host_port(self.grpc)


def env_default(name: str, default: str) -> str:
    return os.environ.get(f"ZTN_{name}", default)
