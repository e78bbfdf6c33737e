"""Shared set-up for the Healthchecks API tests (REST and gRPC against a real ``ztn serve``).

Projects, channels and crafted check states are written straight into the server's database with
HcStore (the API cannot create projects or channels); everything under test goes through the sockets.
Pings with chosen timestamps go through the store's ping writer with the domain's rule, exactly as the
ping URLs record them.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import aiohttp
import grpc

from ztn.domain.hc import keys
from ztn.domain.hc.models import Channel, Check, PingInput, Project
from ztn.domain.hc.pinging import process
from ztn.healthchecks.v3 import healthchecks_pb2_grpc
from ztn.store.db import open_database
from ztn.store.hc_repo import HcStore, PingRef

# Keys of a check as Healthchecks prints them, in order (spec §2.1).
COMMON_KEYS = [
    "name", "slug", "tags", "desc", "grace", "n_pings", "status", "started", "last_ping", "next_ping",
    "manual_resume", "methods", "subject", "subject_fail", "start_kw", "success_kw", "failure_kw",
    "filter_subject", "filter_body", "filter_http_body", "filter_default_fail", "badge_url",
]  # fmt: skip
RW_KEYS = ["uuid", "ping_url", "update_url", "pause_url", "resume_url", "channels"]
HTML = "text/html; charset=utf-8"


@dataclass
class Keys:
    project: Project
    rw: str
    ro: str

    @property
    def id(self) -> str:
        return self.project.id


@dataclass
class Resp:
    status: int
    headers: Any
    body: bytes

    @property
    def json(self) -> Any:
        return json.loads(self.body)

    @property
    def content_type(self) -> str:
        return self.headers.get("Content-Type", "")


@dataclass
class Kit:
    store: HcStore
    http: aiohttp.ClientSession
    base: str
    grpc_target: str

    # -- set-up straight in the database -------------------------------------------------------------
    async def project(self, check_limit: int | None = None, ping_log_limit: int = 100) -> Keys:
        secret = await self.store.secret()
        rw, ro = keys.new_api_key(False), keys.new_api_key(True)
        digests = (
            keys.key_prefix(rw),
            keys.key_digest(secret, rw),
            keys.key_prefix(ro),
            keys.key_digest(secret, ro),
        )
        project = await self.store.create_project(
            keys.new_uuid(), "api", digests, keys.new_ping_key(), keys.new_uuid(), check_limit, ping_log_limit
        )
        return Keys(project, rw, ro)

    async def channel(self, keys_: Keys, name: str, kind: str = "webhook") -> Channel:
        channel = Channel(keys.new_uuid(), keys_.id, name, kind, "http://127.0.0.1:9/")
        return await self.store.create_channel(channel)

    async def insert(self, keys_: Keys, channel_ids: list[str] | None = None, **fields: Any) -> Check:
        """A check in any state (bypasses the API: crafted timestamps, statuses, durations)."""
        check = Check(
            id=0,
            code=keys.new_uuid(),
            project_id=keys_.id,
            badge_key=keys.new_uuid(),
            created=datetime.now(UTC),
            **fields,
        )
        inserted = await self.store.insert_check(check, channel_ids, None)
        assert inserted is not None
        return inserted

    async def ping(self, code: str, action: str = "success", when: datetime | None = None, **kw: Any) -> str:
        """Record a ping at a chosen time the way the ping URLs do; returns the stored kind."""
        ping = PingInput(action=action, now=when or datetime.now(UTC), **kw)
        outcome = await self.store.ping(PingRef(code=code), ping, process)
        assert outcome.status == "ok", outcome
        return outcome.kind

    async def reload(self, code: str) -> Check | None:
        return await self.store.check_by_code(code)

    # -- HTTP ----------------------------------------------------------------------------------------
    async def call(
        self,
        method: str,
        path: str,
        key: str | None = None,
        body: Any = None,
        data: bytes | str | None = None,
        headers: dict[str, str] | None = None,
    ) -> Resp:
        """``key`` goes in X-Api-Key; ``body`` is sent as JSON, ``data`` as is (curl --data style)."""
        sent = dict(headers or {})
        if key is not None:
            sent["X-Api-Key"] = key
        if body is not None:
            data = json.dumps(body)
        async with self.http.request(
            method, self.base + path, data=data, headers=sent, allow_redirects=False
        ) as resp:
            return Resp(resp.status, resp.headers, await resp.read())

    async def create(self, keys_: Keys, version: int = 3, **fields: Any) -> dict[str, Any]:
        resp = await self.call("POST", f"/api/v{version}/checks/", keys_.rw, fields)
        assert resp.status == 201, (resp.status, resp.body)
        return resp.json

    # -- gRPC ----------------------------------------------------------------------------------------
    @asynccontextmanager
    async def grpc_stub(self) -> AsyncIterator[healthchecks_pb2_grpc.HealthchecksServiceStub]:
        async with grpc.aio.insecure_channel(self.grpc_target) as channel:
            yield healthchecks_pb2_grpc.HealthchecksServiceStub(channel)


@asynccontextmanager
async def open_kit(server: Any) -> AsyncIterator[Kit]:
    """Use from a module-scoped fixture of each test module."""
    db = await open_database(server.database_url)
    store = HcStore(db)
    async with aiohttp.ClientSession() as http:
        try:
            yield Kit(store, http, server.http, server.grpc)
        finally:
            await store.close()
            await db.close()


def error(resp: Resp) -> str:
    """The message of a ``{"error": ...}`` answer (which is always application/json)."""
    assert resp.content_type == "application/json", (resp.status, resp.content_type, resp.body)
    return resp.json["error"]


def assert_empty_html(resp: Resp, status: int) -> None:
    assert (resp.status, resp.body, resp.content_type) == (status, b"", HTML), (resp.status, resp.body)
