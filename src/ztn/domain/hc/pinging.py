"""Ping URLs (spec §4): which check a ping is for, what it does to it, and auto-provisioning.

The rule itself (``process``) runs inside the store's write transaction, on the locked check; this
module only decides where a ping goes. Both the plain HTTP routes and the gRPC Ping RPC use it.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, datetime

from ztn import metrics
from ztn.domain.hc.models import DEFAULT_CHECK_LIMIT, Check, Flip, PingInput
from ztn.domain.hc.ping_rules import resolve_action
from ztn.domain.hc.transitions import apply_ping
from ztn.store.hc_repo import HcStore, PingOutcome, PingRef, Provision

PROVISION_FACTOR = 2  # auto-provisioning may grow a project to twice its check limit (spec §4.7)
_PROJECT_CACHE_SIZE = 10_000

OK, CREATED, NOT_FOUND, AMBIGUOUS = "ok", "created", "not_found", "ambiguous"


def process(check: Check, ping: PingInput) -> tuple[str, Flip | None]:
    """The store's callback: method and keyword filters (§4.5 steps 2-3), then the transition (step 5
    and §4.6). Pure and cheap: it runs once per ping inside the batch transaction."""
    return apply_ping(check, resolve_action(check, ping.action, ping.method, ping.body), ping)


# Label children looked up once per kind / status (the ping path is hot).
_PINGS_BY_KIND: dict[str, metrics._CounterChild] = {}
_FLIPS_BY_STATUS: dict[str, metrics._CounterChild] = {}


async def _stored(
    store: HcStore, ref: PingRef, ping: PingInput, provision: Provision | None = None
) -> PingOutcome:
    """``store.ping`` with the metrics: the stored ping's kind and the flip it caused, counted once the
    transaction committed. ``process`` may run twice for one ping (a failed batch is retried ping by
    ping), so the flip is remembered, not counted, inside it: the last run is the one that committed."""
    flipped: list[Flip | None] = [None]

    def remember(check: Check, ping: PingInput) -> tuple[str, Flip | None]:
        kind, flip = process(check, ping)
        flipped[0] = flip
        return kind, flip

    outcome = await store.ping(ref, ping, remember, provision)
    kind = outcome.kind
    if kind:
        counter = _PINGS_BY_KIND.get(kind)
        if counter is None:
            counter = _PINGS_BY_KIND[kind] = metrics.PINGS_RECEIVED.labels(kind)
        counter.inc()
        flip = flipped[0]
        if flip is not None:
            counter = _FLIPS_BY_STATUS.get(flip.new_status)
            if counter is None:
                counter = _FLIPS_BY_STATUS[flip.new_status] = metrics.FLIPS.labels(flip.new_status)
            counter.inc()
    return outcome


class HcPings:
    def __init__(
        self,
        store: HcStore,
        check_limit: int = DEFAULT_CHECK_LIMIT,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.store = store
        self.check_limit = check_limit
        self.clock = clock
        # ping key -> project id. Ping keys are never reassigned, so a hit never goes stale; misses are
        # not cached (the project may be created a moment later).
        self._projects: dict[str, str] = {}

    async def ping_by_code(self, code: str, action: str, ping: PingInput) -> PingOutcome:
        """``code`` must be a lowercase canonical UUID (the route checked it)."""
        ping.action = action
        return await _stored(self.store, PingRef(code=code), ping)

    async def ping_by_slug(
        self, ping_key: str, slug: str, action: str, ping: PingInput, create: bool = False
    ) -> PingOutcome:
        """``create``: auto-provision the check when the project has none with this slug (§4.7)."""
        ping.action = action
        if create:
            project = await self.store.project_by_ping_key(ping_key)
            if project is None:
                return PingOutcome(NOT_FOUND)
            provision = Provision(name=slug, slug=slug, limit=self._provision_limit(project.check_limit))
            return await _stored(self.store, PingRef(project_id=project.id, slug=slug), ping, provision)
        project_id = await self._project_id(ping_key)
        if project_id is None:
            return PingOutcome(NOT_FOUND)
        return await _stored(self.store, PingRef(project_id=project_id, slug=slug), ping)

    # -- pings refused after the lookup (bad rid, exit status > 255) ----------------------------------
    # The reference looks the check up (and auto-provisions it) before it validates these, so the
    # answer is 404/409 when that lookup fails and the 400 only otherwise; no ping is recorded.
    async def locate_by_code(self, code: str) -> str:
        """OK or NOT_FOUND."""
        return OK if await self.store.check_by_code(code, with_channels=False) is not None else NOT_FOUND

    async def locate_by_slug(self, ping_key: str, slug: str, create: bool = False) -> str:
        """OK, CREATED (the check was auto-provisioned), NOT_FOUND or AMBIGUOUS."""
        project = await self.store.project_by_ping_key(ping_key)
        if project is None:
            return NOT_FOUND
        found = await self.store.check_by_project_slug(project.id, slug)
        if len(found) > 1:
            return AMBIGUOUS
        if found:
            return OK
        if not create:
            return NOT_FOUND
        channel_ids = [c.id for c in await self.store.list_channels(project.id)]
        check = Check(
            id=0,
            code=str(uuid.uuid4()),
            project_id=project.id,
            name=slug,
            slug=slug,
            badge_key=str(uuid.uuid4()),
            created=self.clock(),
        )
        limit = self._provision_limit(project.check_limit)
        return CREATED if await self.store.insert_check(check, channel_ids, limit) is not None else NOT_FOUND

    # -- helpers ---------------------------------------------------------------------------------------
    def _provision_limit(self, project_limit: int | None) -> int:
        return PROVISION_FACTOR * (project_limit if project_limit is not None else self.check_limit)

    async def _project_id(self, ping_key: str) -> str | None:
        project_id = self._projects.get(ping_key)
        if project_id is None:
            project = await self.store.project_by_ping_key(ping_key)
            if project is None:
                return None
            if len(self._projects) >= _PROJECT_CACHE_SIZE:
                self._projects.clear()
            project_id = self._projects[ping_key] = project.id
        return project_id
