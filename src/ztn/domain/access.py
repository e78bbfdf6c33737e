"""Who may do what on which instance: the rules behind the tenancy middleware (spec §4.1, §4.2, §4.4, §4.5).

:meth:`Access.resolve` runs ZITADEL's interceptor order in ONE read transaction: 1) instance (by id,
by the single-instance fallback, or by host + trusted public host), 2) credential (PAT bound to that
instance, or an already verified system user), 3) org context, 4) the RPC's declared permission.
The first failing step decides the error, so e.g. an unknown host wins over a missing token.

Transport-free: the middleware parses headers and verifies JWT signatures; failures it found
before the database is consulted are passed in as ``credential`` and raised at step 2.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncConnection

from ztn.auth.caller import Caller
from ztn.auth.permissions import ALL_PERMISSIONS, AUTHENTICATED, permissions_of, role_permissions
from ztn.auth.system_users import SYSTEM_OWNER, SYSTEM_OWNER_VIEWER, SystemUser
from ztn.domain.credentials import pat_hash
from ztn.domain.errors import DomainError, Kind, permission_denied, unauthenticated
from ztn.store import accounts_repo, caller_repo, tenancy_repo, trusted_domains_repo
from ztn.store.db import Database
from ztn.store.models import utcnow

INSTANCE_NOT_FOUND = (
    "Instance not found. Make sure you got the domain right. "
    "Check out https://zitadel.com/docs/apis/introduction#domains"
)
_ID_SHAPE = re.compile(r"^[A-Za-z0-9_-]{1,32}$")  # anything else cannot be an id: no query needed
_READ_PERMISSIONS = frozenset(p for p in ALL_PERMISSIONS if p.endswith(".read"))


class InstanceNotFound(DomainError):
    """NOT_FOUND while choosing the instance; ``parent`` is ZITADEL's wrapped cause, if any."""

    def __init__(self, error_id: str = "QUERY-1kIjX", parent: str = "") -> None:
        super().__init__(Kind.NOT_FOUND, error_id, INSTANCE_NOT_FOUND)
        self.parent = parent


@dataclass(frozen=True, slots=True)
class Target:
    """What the request says about its instance (hosts lowercase, ports stripped)."""

    host: str = ""
    public_host: str = ""
    instance_id: str = ""
    """Explicit instance (instance v2 ``instance_id``): used instead of the host."""
    default_instance: str = ""
    """Single-instance mode: id or domain of the instance every request goes to (no host matching)."""


@dataclass(frozen=True, slots=True)
class Requirement:
    permission: str
    check_value: str | None = None
    """Value of the RPC's ``check_field_name`` field (e.g. the project id); None: the RPC has none."""


def token_invalid() -> DomainError:
    return unauthenticated("AUTH-7fs1e", "Errors.Token.Invalid")


def org_not_found() -> DomainError:
    return permission_denied("AUTH-Bs7Ds", "Organisation doesn't exist")


class Access:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def resolve(
        self,
        target: Target,
        credential: str | SystemUser | Exception,
        org_header: str,
        requirement: Requirement,
    ) -> Caller:
        """The caller, or a DomainError / the passed-in exception (see the module docstring)."""
        async with self.db.read() as conn:
            if isinstance(credential, str) and credential:
                caller = await self._memoised_pat_caller(conn, target, credential, org_header)
            else:
                instance_id = await self._instance(conn, target)
                if isinstance(credential, Exception):
                    raise credential
                if isinstance(credential, SystemUser):
                    caller = await self._system_caller(conn, instance_id, credential, org_header)
                else:
                    caller, _ = await self._pat_caller(conn, instance_id, credential, org_header)
        check(caller, requirement)
        return caller

    async def _memoised_pat_caller(
        self, conn: AsyncConnection, target: Target, token: str, org_header: str
    ) -> Caller:
        """Steps 1-3 for a PAT. A success is memoised in the read connection's snapshot cache (emptied
        by commits in any process: at once on SQLite, once the notification arrives on PostgreSQL, so
        a removed token, domain or membership is soon seen); only the expiry depends on the clock, so
        it is re-checked on every hit."""
        snapshot_cache = getattr(conn, "snapshot_cache", None)
        memo = snapshot_cache("pat_caller") if snapshot_cache is not None else None
        key = (target, pat_hash(token), org_header)
        hit = memo.get(key) if memo is not None else None
        if hit is None:
            if target.host and not target.instance_id and not target.default_instance:
                # Routing by host (the usual case): instance and token in one round trip.
                by_host, record = await caller_repo.instance_and_pat(conn, target.host, key[1])
                instance_id = await self._instance(conn, target, by_host or "")
                hit = await self._record_caller(conn, instance_id, record, org_header)
            else:
                instance_id = await self._instance(conn, target)
                hit = await self._pat_caller(conn, instance_id, token, org_header)
            if memo is not None:
                memo[key] = hit
        caller, expiration = hit
        if expiration is not None and expiration <= utcnow():
            raise token_invalid()
        return caller

    async def _instance(self, conn: AsyncConnection, target: Target, by_host: str | None = None) -> str:
        """``by_host``: the instance routed by ``target.host`` when the caller already looked it up."""
        if target.instance_id:
            if _ID_SHAPE.match(target.instance_id) and await tenancy_repo.instance_exists(
                conn, target.instance_id
            ):
                return target.instance_id
            raise InstanceNotFound()
        if target.default_instance:
            wanted = target.default_instance
            if await tenancy_repo.instance_exists(conn, wanted):
                instance_id = wanted
            else:
                instance_id = await tenancy_repo.instance_by_domain(conn, wanted.lower()) or ""
            if not instance_id:
                raise InstanceNotFound(parent=f"default instance {wanted!r} does not exist")
        else:
            if not target.host:
                raise InstanceNotFound(parent="no instanceHost specified")
            if by_host is None:
                by_host = await tenancy_repo.instance_by_domain(conn, target.host)
            instance_id = by_host or ""
            if not instance_id:
                raise InstanceNotFound()
        public = target.public_host
        if public and public != target.host:
            if not await trusted_domains_repo.is_trusted(conn, instance_id, public):
                raise InstanceNotFound("QUERY-IuGh1", parent=f'public domain "{public}" not trusted')
        return instance_id

    async def _pat_caller(
        self, conn: AsyncConnection, instance_id: str, token: str, org_header: str
    ) -> tuple[Caller, datetime | None]:
        """The caller and its token's expiry."""
        record = await accounts_repo.find_pat(conn, pat_hash(token)) if token else None
        return await self._record_caller(conn, instance_id, record, org_header)

    async def _record_caller(
        self, conn: AsyncConnection, instance_id: str, record: accounts_repo.PatRecord | None, org_header: str
    ) -> tuple[Caller, datetime | None]:
        if (
            record is None
            or record.instance_id != instance_id  # a token never acts outside its own instance
            or (record.expiration is not None and record.expiration <= utcnow())
        ):
            raise token_invalid()
        org_id = record.org_id
        if org_header and org_header != org_id:
            await _require_org(conn, instance_id, org_header)
            org_id = org_header
        rows = await tenancy_repo.memberships_in(conn, instance_id, record.user_id, org_id)
        permissions, grants = permissions_of(rows)
        return Caller(instance_id, org_id, record.user_id, permissions, grants), record.expiration

    async def _system_caller(
        self, conn: AsyncConnection, instance_id: str, user: SystemUser, org_header: str
    ) -> Caller:
        # A system user has no home org: the org context is the header's, else the instance's first org.
        if org_header:
            await _require_org(conn, instance_id, org_header)
            org_id = org_header
        else:
            org_id = await tenancy_repo.first_org(conn, instance_id) or ""
        return Caller(instance_id, org_id, user.user_id, system_user_permissions(user, instance_id, org_id))


async def _require_org(conn: AsyncConnection, instance_id: str, org_id: str) -> None:
    if not _ID_SHAPE.match(org_id) or not await tenancy_repo.org_exists(conn, instance_id, org_id):
        raise org_not_found()


def system_user_permissions(user: SystemUser, instance_id: str, org_id: str) -> frozenset[str]:
    """A system user's permissions on an instance.

    Choice (ZITADEL leaves it to configured memberships): SYSTEM_OWNER may administer every instance,
    so it holds every internal permission there; SYSTEM_OWNER_VIEWER holds the internal read ones.
    IAM memberships apply on the instance with that id, Organization ones in the org with that id
    (spec §4.3). The system.* permissions always apply (instance v2 checks them for ``instance_id``).
    """
    perms = set(user.permissions)
    for m in user.memberships:
        if m.member_type == "System":
            if SYSTEM_OWNER in m.roles:
                perms |= ALL_PERMISSIONS
            elif SYSTEM_OWNER_VIEWER in m.roles:
                perms |= _READ_PERMISSIONS
        elif (m.member_type == "IAM" and m.aggregate_id == instance_id) or (
            m.member_type == "Organization" and m.aggregate_id == org_id
        ):
            perms |= role_permissions(m.roles)
    return frozenset(perms)


def check(caller: Caller, requirement: Requirement) -> None:
    """ZITADEL's ``checkUserPermissions``: any matching permission, then the check field (spec §4.5)."""
    permission = requirement.permission
    if permission == AUTHENTICATED:
        return
    if permission in caller.permissions:
        return  # instance/org-level permissions pass any check field
    projects = caller.project_grants.get(permission)
    if not projects:
        raise permission_denied("AUTH-5mWD2", "No matching permissions found")
    if requirement.check_value is not None and requirement.check_value not in projects:
        raise permission_denied("AUTH-3jknH", "No matching permissions found")
