"""Shared set-up for the ping and badge URL tests: projects and checks written straight into the server's
database (so these tests do not depend on the management API), and reads to verify what a ping stored.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import aiohttp

from ztn.domain.hc import keys
from ztn.domain.hc.models import Channel, Check, Ping, Project
from ztn.store.db import open_database
from ztn.store.hc_repo import HcStore


@dataclass
class Kit:
    store: HcStore
    http: aiohttp.ClientSession
    base: str
    api_keys: dict[str, str] = field(default_factory=dict)  # project id -> read-write API key

    async def project(self, check_limit: int | None = None, ping_log_limit: int = 10_000) -> Project:
        secret = await self.store.secret()
        rw, ro = keys.new_api_key(False), keys.new_api_key(True)
        digests = (
            keys.key_prefix(rw),
            keys.key_digest(secret, rw),
            keys.key_prefix(ro),
            keys.key_digest(secret, ro),
        )
        project = await self.store.create_project(
            keys.new_uuid(),
            "urls",
            digests,
            keys.new_ping_key(),
            keys.new_uuid(),
            check_limit,
            ping_log_limit,
        )
        self.api_keys[project.id] = rw
        return project

    async def channel(self, project: Project, name: str = "hook") -> Channel:
        channel = Channel(keys.new_uuid(), project.id, name, "webhook", "http://127.0.0.1:9/")
        return await self.store.create_channel(channel)

    async def check(self, project: Project, **fields: Any) -> Check:
        check = Check(
            id=0,
            code=keys.new_uuid(),
            project_id=project.id,
            badge_key=keys.new_uuid(),
            created=datetime.now(UTC),
            **fields,
        )
        inserted = await self.store.insert_check(check, None, None)
        assert inserted is not None
        return inserted

    async def reload(self, check: Check) -> Check:
        found = await self.store.check_by_code(check.code)
        assert found is not None
        return found

    async def pings(self, check: Check) -> list[Ping]:
        """Oldest first."""
        return list(reversed(await self.store.list_pings(check.id, 100_000)))

    async def request(
        self, method: str, path: str, **kw: Any
    ) -> tuple[int, aiohttp.typedefs.LooseHeaders, bytes]:
        async with self.http.request(method, self.base + path, allow_redirects=False, **kw) as resp:
            return resp.status, resp.headers, await resp.read()


@asynccontextmanager
async def open_kit(server: Any) -> AsyncIterator[Kit]:
    """Use from a module-scoped fixture of each test module (fixtures do not travel by import)."""
    db = await open_database(server.database_url)
    # A connector without a per-host cap: the concurrency tests open many connections at once.
    connector = aiohttp.TCPConnector(limit=0)
    async with aiohttp.ClientSession(connector=connector, skip_auto_headers=("User-Agent",)) as http:
        try:
            yield Kit(HcStore(db), http, server.http)
        finally:
            await db.close()


def new_code() -> str:
    return str(uuid.uuid4())
