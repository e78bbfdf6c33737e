"""Trusted domains of an instance: public hosts (``x-zitadel-public-host``) the instance accepts.

API for the Instance service (v2 / v2beta servicers)::

    trusted = TrustedDomains(db)                     # max_list_limit defaults to lists.MAX_LIMIT
    await trusted.add(instance_id, "login.example.com")     -> TrustedDomain (its creation_date)
    await trusted.remove(instance_id, "login.example.com")  -> datetime (the deletion date)
    await trusted.list(instance_id, ListQuery(offset, limit, asc),
                       sort=TrustedDomainSort.DOMAIN,        # UNSPECIFIED = creation order
                       filters=[DomainTextFilter("example", TextMethod.CONTAINS)]) -> Page[TrustedDomain]
    await trusted.is_trusted(instance_id, "login.example.com") -> bool

Domains are trimmed and lowercased. Errors (DomainError, ZITADEL's ids): empty -> INVALID_ARGUMENT
``COMMA-Stk21``; bad characters -> INVALID_ARGUMENT ``COMMA-S3v3w``; already trusted -> FAILED_PRECONDITION
``COMMA-hg42a``; not trusted (remove) -> NOT_FOUND ``COMMA-de3z9``; unknown instance -> NOT_FOUND
``QUERY-1kIjX``. Every write appends an ``instance.trusted_domain.added/removed`` event on the instance.
Removing the instance removes its trusted domains (FK cascade).
"""

from __future__ import annotations

import enum
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from ztn.domain import lists
from ztn.domain.errors import invalid_argument, not_found, precondition_failed
from ztn.domain.models import DomainTextFilter, ListQuery, Page
from ztn.store import instances_repo, trusted_domains_repo
from ztn.store.db import Database
from ztn.store.errors import UniqueViolation
from ztn.store.events import EventLog
from ztn.store.models import utcnow

_ALLOWED = re.compile(r"^[a-z0-9.\-]+$")  # ZITADEL's allowDomainRunes (after lowercasing)
MAX_LENGTH = 253
_BAD_CHARACTERS = "Only alphanumeric characters, . and - are allowed for a domain"


@dataclass(frozen=True, slots=True)
class TrustedDomain:
    instance_id: str
    domain: str
    creation_date: datetime
    sequence: int


class TrustedDomainSort(enum.IntEnum):
    """Values equal ``zitadel.instance.v2(beta).TrustedDomainFieldName``."""

    UNSPECIFIED = 0
    DOMAIN = 1
    CREATION_DATE = 2


_SORT_COLUMNS = {
    TrustedDomainSort.UNSPECIFIED: "",
    TrustedDomainSort.DOMAIN: "domain",
    TrustedDomainSort.CREATION_DATE: "creation_date",
}


def normalize_trusted_domain(domain: str) -> str:
    value = domain.strip().lower()
    if not value or len(value) > MAX_LENGTH:
        raise invalid_argument("COMMA-Stk21", "Invalid argument")
    if not _ALLOWED.match(value):
        raise invalid_argument("COMMA-S3v3w", _BAD_CHARACTERS)
    return value


def _instance_not_found() -> Exception:
    return not_found("QUERY-1kIjX", "Instance not found")


def _already_trusted() -> Exception:
    return precondition_failed("COMMA-hg42a", "Domain already exists")


class TrustedDomains:
    def __init__(self, db: Database, max_list_limit: int = lists.MAX_LIMIT) -> None:
        self.db = db
        self.max_list_limit = max_list_limit

    async def add(self, instance_id: str, domain: str) -> TrustedDomain:
        domain = normalize_trusted_domain(domain)
        try:
            async with self.db.write() as conn:
                log = EventLog(conn, instance_id, utcnow())
                if await instances_repo.lock_instance(log, instance_id) is None:
                    raise _instance_not_found()
                if await trusted_domains_repo.is_trusted(conn, instance_id, domain):
                    raise _already_trusted()
                seq = await trusted_domains_repo.insert(log, instance_id, domain)
                await log.flush()
        except UniqueViolation as exc:  # a concurrent add of the same domain won
            raise _already_trusted() from exc
        return TrustedDomain(instance_id, domain, log.now, seq)

    async def remove(self, instance_id: str, domain: str) -> datetime:
        domain = domain.strip().lower()
        async with self.db.write() as conn:
            log = EventLog(conn, instance_id, utcnow())
            if await instances_repo.lock_instance(log, instance_id) is None:
                raise _instance_not_found()
            if not await trusted_domains_repo.is_trusted(conn, instance_id, domain):
                raise not_found("COMMA-de3z9", "Domain not found")
            await trusted_domains_repo.delete(log, instance_id, domain)
            await log.flush()
        return log.now

    async def list(
        self,
        instance_id: str,
        query: ListQuery | None = None,
        sort: TrustedDomainSort = TrustedDomainSort.UNSPECIFIED,
        filters: Sequence[DomainTextFilter] = (),
    ) -> Page[TrustedDomain]:
        query, limit = lists.checked(query, self.max_list_limit)
        async with self.db.read() as conn:
            sequence = await instances_repo.instance_sequence(conn, instance_id)
            if sequence is None:
                raise _instance_not_found()
            rows, total = await trusted_domains_repo.list_trusted(
                conn, instance_id, filters, _SORT_COLUMNS[TrustedDomainSort(sort)], query, limit
            )
        items = [TrustedDomain(r.instance_id, r.domain, r.creation_date, r.sequence) for r in rows]
        return Page(items, total, processed_sequence=sequence, view_timestamp=utcnow())

    async def is_trusted(self, instance_id: str, domain: str) -> bool:
        async with self.db.read() as conn:
            return await trusted_domains_repo.is_trusted(conn, instance_id, domain.strip().lower())
