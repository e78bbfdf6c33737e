"""The monitoring aggregates as plain data: what the store reads and writes, what the rules act on."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

NEW, UP, DOWN, PAUSED = "new", "up", "down", "paused"
SIMPLE, CRON, ONCALENDAR = "simple", "cron", "oncalendar"
DEFAULT_TIMEOUT = 86400
DEFAULT_GRACE = 3600
DEFAULT_CHECK_LIMIT = 20  # the reference's free plan; per project and server-wide configurable
DEFAULT_PING_LOG_LIMIT = 100
PING_BODY_LIMIT = 10_000


@dataclass(slots=True)
class Project:
    id: str  # uuid
    name: str
    ping_key: str
    badge_key: str
    check_limit: int | None = None  # None: the server-wide default
    ping_log_limit: int = DEFAULT_PING_LOG_LIMIT


@dataclass(slots=True)
class Channel:
    id: str  # uuid
    project_id: str
    name: str
    kind: str
    value: str = ""  # kind-specific configuration (JSON text for webhooks)
    disabled: bool = False


@dataclass(slots=True)
class Check:
    """The stored state of one check (Healthchecks' Check model, minus what we do not serve)."""

    id: int  # store id; also the "DB order" of lists
    code: str  # the public UUID
    project_id: str
    name: str = ""
    slug: str = ""
    tags: str = ""
    desc: str = ""
    kind: str = SIMPLE
    timeout: int = DEFAULT_TIMEOUT  # seconds
    grace: int = DEFAULT_GRACE  # seconds
    schedule: str = "* * * * *"
    tz: str = "UTC"
    status: str = NEW  # new | up | down | paused (grace is computed, never stored)
    n_pings: int = 0
    last_ping: datetime | None = None
    last_start: datetime | None = None
    last_start_rid: str | None = None
    last_duration: float | None = None  # seconds
    alert_after: datetime | None = None
    manual_resume: bool = False
    methods: str = ""
    start_kw: str = ""
    success_kw: str = ""
    failure_kw: str = ""
    filter_subject: bool = False
    filter_body: bool = False
    filter_http_body: bool = False
    filter_default_fail: bool = False
    badge_key: str = ""  # uuid of the per-check badge URL
    created: datetime | None = None
    channel_ids: list[str] = field(default_factory=list)  # sorted; filled by reads that need it

    @property
    def tag_list(self) -> list[str]:
        return self.tags.split()


@dataclass(slots=True)
class PingInput:
    """One received ping, already parsed from its URL and request (rid validated and lowercased)."""

    action: str  # success | start | fail | log (an exit status > 0 is already "fail")
    now: datetime
    method: str = "GET"
    scheme: str = "http"
    remote_addr: str | None = None
    ua: str = ""
    body: bytes = b""  # already truncated to PING_BODY_LIMIT
    rid: str | None = None
    exitstatus: int | None = None


@dataclass(slots=True)
class Ping:
    id: int
    check_id: int
    n: int
    created: datetime
    kind: str  # success | start | fail | log | ign
    scheme: str = "http"
    remote_addr: str | None = None
    method: str = ""
    ua: str = ""
    rid: str | None = None
    exitstatus: int | None = None
    body_size: int = 0  # list reads do not load bodies


@dataclass(slots=True)
class Flip:
    check_id: int
    created: datetime
    old_status: str
    new_status: str
    reason: str = ""  # "" | "fail" | "timeout"
    processed: datetime | None = None  # set at creation for pause/resume flips (never notified)
    id: int = 0
