"""The monitoring API's operations (spec §0.3-0.4, §2-3, §5-9): who may do what to which check.

Order of evaluation matters to clients and is the reference's: key -> lookup (404, then 403 for
another project's check) -> validation -> channels -> the change. Every change to a check runs in
the store's locked read-modify-write with the rule passed in as a callback.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from ztn.domain.hc import errors, transitions
from ztn.domain.hc.badges import badge_urls
from ztn.domain.hc.fields import (
    MISSING,
    CheckFields,
    apply_fields,
    parse_fields,
    resolve_channels,
    upsert_filter,
)
from ztn.domain.hc.flip_filters import flip_window
from ztn.domain.hc.keys import key_digest, new_uuid, unique_key
from ztn.domain.hc.models import DEFAULT_CHECK_LIMIT, PAUSED, Channel, Check, Flip, Ping, Project
from ztn.domain.hc.ping_rules import ping_durations
from ztn.domain.hc.status import compute_alert_after
from ztn.store.hc_repo import CheckRows, HcStore

UUID_RE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\Z")
UNIQUE_KEY_RE = re.compile(r"^[A-z0-9]{40}\Z")  # the reference's route pattern, [A-z] and all
KEY_LENGTH = 32
MAX_PINGS_LISTED = 1000
VERSIONS = {"v1": 1, "v2": 2, "v3": 3, "": 3}


@dataclass(frozen=True, slots=True)
class Caller:
    project: Project
    read_only: bool


def api_version(value: str) -> int:
    """1, 2 or 3; anything else is not a route (the framework's 404 page)."""
    version = VERSIONS.get(value)
    if version is None:
        raise errors.not_found_page("unknown API version")
    return version


def is_uuid(value: str) -> bool:
    return bool(UUID_RE.match(value))


def is_unique_key(value: str) -> bool:
    return bool(UNIQUE_KEY_RE.match(value))


# URL routing comes before everything else in the reference (body parsing, the key): a path that no
# route matches is the framework's 404 page, a unique_key path is routed to a GET-only view.
def require_uuid(ident: str) -> None:
    """Routes that only take a check UUID (pause, resume, pings, ping body)."""
    if not is_uuid(ident):
        raise errors.not_found_page()


def require_check_ident(ident: str, method: str) -> None:
    """Routes that take a UUID or, for GET only, a unique_key (get check, flips; update and delete
    share the path of get)."""
    if is_uuid(ident):
        return
    if is_unique_key(ident):
        if method != "GET":
            raise errors.method_not_allowed()
        return
    raise errors.not_found_page()


class HcApi:
    def __init__(
        self,
        store: HcStore,
        site_root: str,
        check_limit: int = DEFAULT_CHECK_LIMIT,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.store = store
        self.site_root = site_root.rstrip("/")
        self.check_limit = check_limit
        self.clock = clock

    # -- auth ------------------------------------------------------------------------------------------
    async def authenticate(self, key: str, write: bool) -> Caller:
        if len(key) != KEY_LENGTH:
            raise errors.unauthorized("missing api key")
        found = await self.store.project_by_key_digest(key_digest(await self.store.secret(), key))
        if found is None:
            raise errors.unauthorized("wrong api key")
        project, read_only_key = found
        read_only = read_only_key or key.startswith("hcr_")
        if write and read_only:
            raise errors.unauthorized("wrong api key")
        return Caller(project, read_only)

    def limit_for(self, project: Project) -> int:
        return project.check_limit if project.check_limit is not None else self.check_limit

    # -- lookups ---------------------------------------------------------------------------------------
    async def check_by_uuid(self, caller: Caller, code: str) -> Check:
        """404 (the framework's page) for an unknown or malformed UUID, empty 403 for another
        project's check: the UUID is looked up globally first, as the reference does."""
        if not is_uuid(code):
            raise errors.not_found_page()
        check = await self.store.check_by_code(code)
        if check is None:
            raise errors.not_found_page()
        if check.project_id != caller.project.id:
            raise errors.forbidden()
        return check

    async def check_by_unique_key(self, caller: Caller, key: str) -> Check:
        """Only the caller's own project is searched: another project's check is a plain 404."""
        for check in await self.store.list_checks(caller.project.id, with_channels=not caller.read_only):
            if unique_key(check.code) == key:
                return check
        raise errors.not_found_empty()

    async def find_check(self, caller: Caller, ident: str) -> Check:
        if is_uuid(ident):
            return await self.check_by_uuid(caller, ident)
        if is_unique_key(ident):
            return await self.check_by_unique_key(caller, ident)
        raise errors.not_found_page()

    # -- checks ----------------------------------------------------------------------------------------
    async def list_checks(self, caller: Caller, tags: list[str], slug: str) -> list[Check]:
        checks = await self.store.list_checks(caller.project.id, with_channels=not caller.read_only)
        return filter_checks(checks, tags, slug)

    async def check_rows(self, caller: Caller) -> CheckRows:
        """The caller's project's checks as the store's shared, memoised ``CheckRows`` (channels for
        read-write keys): what is derived from it may be kept in its ``memo``."""
        return await self.store.check_rows(caller.project.id, with_channels=not caller.read_only)

    async def create_check(self, caller: Caller, obj: dict[str, Any], version: int) -> tuple[Check, bool]:
        """(check, created): 201 for a new check, 200 when ``unique`` found an existing one.

        The reference's order: validation -> upsert lookup -> check limit (403, so an upsert hit is
        allowed at the limit) -> channels (400) -> save."""
        fields = parse_fields(obj)
        project = caller.project
        lookup = upsert_filter(fields)
        if lookup is not None:
            existing = await self.store.find_check(project.id, lookup)
            if existing is not None:
                channel_ids = await self._channel_ids(project, fields)
                updated = await self.store.modify_check(
                    existing.code, self._applier(fields, version), channel_ids
                )
                if updated is not None:
                    return updated, False
                # Deleted meanwhile: create it, as the reference would on a fresh lookup.
        limit = self.limit_for(project)
        try:
            channel_ids = await self._channel_ids(project, fields)
        except errors.HcError:
            # The limit is checked before channels; counting only on this error path keeps the
            # common case at one statement (the insert re-checks the limit in its transaction).
            if await self.store.count_checks(project.id) >= limit:
                raise errors.check_limit_reached() from None
            raise
        now = self.clock()
        check = Check(id=0, code=new_uuid(), project_id=project.id, badge_key=new_uuid(), created=now)
        apply_fields(check, fields, version)
        check.alert_after = compute_alert_after(check)
        inserted = await self.store.insert_check(check, channel_ids, limit)
        if inserted is None:
            raise errors.check_limit_reached()
        return inserted, True

    async def update_check(self, caller: Caller, code: str, obj: dict[str, Any], version: int) -> Check:
        await self.check_by_uuid(caller, code)
        fields = parse_fields(obj)
        channel_ids = await self._channel_ids(caller.project, fields)
        updated = await self.store.modify_check(code, self._applier(fields, version), channel_ids)
        if updated is None:  # deleted meanwhile
            raise errors.not_found_page()
        return updated

    async def delete_check(self, caller: Caller, code: str) -> Check:
        check = await self.check_by_uuid(caller, code)
        if not await self.store.delete_check(check.id):
            raise errors.not_found_page()
        return check

    async def pause(self, caller: Caller, code: str) -> Check:
        await self.check_by_uuid(caller, code)
        now = self.clock()
        return await self._modify(code, lambda check: transitions.pause(check, now))

    async def resume(self, caller: Caller, code: str) -> Check:
        await self.check_by_uuid(caller, code)
        now = self.clock()

        def resume(check: Check) -> Flip:
            if check.status != PAUSED:
                raise errors.not_paused()
            return transitions.resume(check, now)

        return await self._modify(code, resume)

    # -- history ---------------------------------------------------------------------------------------
    async def list_pings(self, caller: Caller, code: str) -> tuple[Check, list[Ping], list[float | None]]:
        """Newest first, with durations computed over the fetched window."""
        check = await self.check_by_uuid(caller, code)
        limit = min(caller.project.ping_log_limit, MAX_PINGS_LISTED)
        pings = await self.store.list_pings(check.id, limit)
        durations = ping_durations(pings[::-1])[::-1]
        return check, pings, durations

    async def ping_body(self, caller: Caller, code: str, n: int) -> bytes:
        check = await self.check_by_uuid(caller, code)
        if n <= check.n_pings - caller.project.ping_log_limit:
            raise errors.not_found_page("ping no longer kept")
        body = await self.store.ping_body(check.id, n)
        if not body:
            raise errors.not_found_page("ping has no body")
        return body

    async def list_flips(
        self, caller: Caller, ident: str, start: str | None, end: str | None, seconds: str | None
    ) -> list[Flip]:
        check = await self.find_check(caller, ident)
        since, until = flip_window(start, end, seconds, self.clock())
        return await self.store.list_flips(check.id, since, until)

    # -- project ---------------------------------------------------------------------------------------
    async def list_channels(self, caller: Caller) -> list[Channel]:
        return await self.store.list_channels(caller.project.id)

    async def badges(self, caller: Caller) -> dict[str, dict[str, str]]:
        tags: set[str] = set()
        for check in await self.store.list_checks(caller.project.id):
            tags.update(check.tags.split())
        secret = await self.store.secret()
        return badge_urls(self.site_root, caller.project.badge_key, tags, secret)

    async def database_ok(self) -> bool:
        return await self.store.db.ping()

    # -- helpers ---------------------------------------------------------------------------------------
    async def _channel_ids(self, project: Project, fields: CheckFields) -> list[str] | None:
        """Resolved before anything is saved: a bad identifier rejects the whole request."""
        if fields.channels is MISSING:
            return None
        return resolve_channels(fields.channels, await self.store.list_channels(project.id))

    def _applier(self, fields: CheckFields, version: int) -> Callable[[Check], None]:
        def apply(check: Check) -> None:
            apply_fields(check, fields, version)
            check.alert_after = compute_alert_after(check)

        return apply

    async def _modify(self, code: str, mutate: Callable[[Check], Flip | None]) -> Check:
        check = await self.store.modify_check(code, mutate)
        if check is None:
            raise errors.not_found_page()
        return check


def filter_checks(checks: list[Check], tags: Iterable[str], slug: str) -> list[Check]:
    """ListChecks' filters: every given tag (AND), and the slug when given."""
    wanted = set(tags)
    if wanted:
        checks = [c for c in checks if wanted.issubset(c.tags.split())]
    if slug:
        checks = [c for c in checks if c.slug == slug]
    return checks
