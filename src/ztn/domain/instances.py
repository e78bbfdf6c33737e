"""Instances and their domains: the rules behind the System API.

Every write runs in one transaction that also appends its events (``store.events.EventLog``);
an instance's creation (instance, domains, first org, owner user, memberships, PAT, key) is atomic.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple

from ztn.domain import credentials, lists
from ztn.domain.domain_names import generated_domain, normalize_domain
from ztn.domain.errors import already_exists, invalid_argument, not_found, precondition_failed
from ztn.domain.ids import new_id
from ztn.domain.models import (
    KEY_TYPE_JSON,
    CreatedInstance,
    DomainFilter,
    DomainSort,
    HumanOwner,
    Instance,
    InstanceDomain,
    InstanceFilter,
    InstanceSort,
    ListQuery,
    MachineOwner,
    NewInstance,
    ObjectDetails,
    Page,
)
from ztn.domain.version import VERSION
from ztn.store import accounts_repo, instances_repo
from ztn.store.db import Database
from ztn.store.errors import UniqueViolation
from ztn.store.events import EventLog
from ztn.store.models import utcnow

IAM_OWNER = "IAM_OWNER"
ORG_OWNER = "ORG_OWNER"
DEFAULT_MACHINE_USER_NAME = "admin"
_CREATE_ATTEMPTS = 3  # a generated domain suffix can (very rarely) collide; draw a new one


@dataclass(frozen=True, slots=True)
class InstanceConfig:
    base_domain: str
    """Host of the server's external URL; generated domains are ``<slug>-<random>.<base_domain>``."""
    default_language: str = "en"
    max_list_limit: int = lists.MAX_LIMIT
    version: str = VERSION


def _instance_not_found() -> Exception:
    return not_found("QUERY-1kIjX", "Instance not found")


def _domain_not_found() -> Exception:
    return not_found("INST-8ls9f", "Domain not found on instance")


class Instances:
    def __init__(self, db: Database, config: InstanceConfig) -> None:
        self.db = db
        self.config = config

    # --- reads ---------------------------------------------------------------------------------------

    async def get_instance(self, instance_id: str) -> Instance:
        async with self.db.read() as conn:
            instance = await instances_repo.get_instance(conn, instance_id, self.config.version)
        if instance is None:
            raise _instance_not_found()
        return instance

    async def list_instances(
        self,
        query: ListQuery | None = None,
        sort: InstanceSort = InstanceSort.UNSPECIFIED,
        filters: Sequence[InstanceFilter] = (),
    ) -> Page[Instance]:
        query, limit = lists.checked(query, self.config.max_list_limit)
        async with self.db.read() as conn:
            items, total = await instances_repo.list_instances(
                conn, filters, sort, query, limit, self.config.version
            )
        return Page(items, total)

    async def list_domains(
        self,
        instance_id: str,
        query: ListQuery | None = None,
        sort: DomainSort = DomainSort.UNSPECIFIED,
        filters: Sequence[DomainFilter] = (),
    ) -> Page[InstanceDomain]:
        query, limit = lists.checked(query, self.config.max_list_limit)
        async with self.db.read() as conn:
            sequence = await instances_repo.instance_sequence(conn, instance_id)
            if sequence is None:
                raise _instance_not_found()
            items, total = await instances_repo.list_domains(conn, instance_id, filters, sort, query, limit)
        return Page(items, total, processed_sequence=sequence, view_timestamp=utcnow())

    async def exists_domain(self, domain: str) -> bool:
        async with self.db.read() as conn:
            return await instances_repo.domain_exists(conn, domain.strip().lower())

    # --- instance lifecycle --------------------------------------------------------------------------

    async def create_instance(self, spec: NewInstance) -> CreatedInstance:
        created = await self._create(spec, generated=None, only_if_empty=False)
        assert created is not None  # only bootstrap creation may decline
        return created

    async def add_instance(self, spec: NewInstance) -> tuple[str, ObjectDetails]:
        """The deprecated AddInstance: the owner is always a human."""
        if not isinstance(spec.owner, HumanOwner):
            raise invalid_argument("INST-Hum4n", "AddInstance needs a human owner")
        created = await self.create_instance(spec)
        return created.instance_id, created.details

    async def update_instance(self, instance_id: str, name: str) -> ObjectDetails:
        name = name.strip()
        if not name:
            raise invalid_argument("INST-1m88i", "Instance name must not be empty")
        async with self.db.write() as conn:
            log = EventLog(conn, instance_id, utcnow())
            row = await instances_repo.lock_instance(log, instance_id)
            if row is None:
                raise _instance_not_found()
            if row.name == name:
                raise precondition_failed("INST-spx2r", "Instance not changed")
            await instances_repo.rename_instance(log, instance_id, name)
            await log.flush()
        return ObjectDetails(log.sequence(instance_id), None, log.now, instance_id)

    async def remove_instance(self, instance_id: str) -> ObjectDetails:
        async with self.db.write() as conn:
            log = EventLog(conn, instance_id, utcnow())
            if await instances_repo.lock_instance(log, instance_id) is None:
                raise not_found("COMMAND-AE3GS", "Instance not found")
            await instances_repo.delete_instance(log, instance_id)
            await log.flush()
        return ObjectDetails(log.sequence(instance_id), None, log.now, instance_id)

    # --- domains -------------------------------------------------------------------------------------

    async def add_domain(self, instance_id: str, domain: str) -> ObjectDetails:
        domain = normalize_domain(domain)
        try:
            async with self.db.write() as conn:
                log = EventLog(conn, instance_id, utcnow())
                if await instances_repo.lock_instance(log, instance_id) is None:
                    raise _instance_not_found()
                if await instances_repo.domain_exists(conn, domain):
                    raise _domain_taken()
                seq = await instances_repo.insert_domain(log, instance_id, domain, generated=False)
                await log.flush()
        except UniqueViolation as exc:  # lost a race with another instance adding the same domain
            raise _domain_taken() from exc
        return ObjectDetails(seq, log.now, None, instance_id)

    async def remove_domain(self, instance_id: str, domain: str) -> ObjectDetails:
        domain = domain.strip().lower()
        async with self.db.write() as conn:
            log = EventLog(conn, instance_id, utcnow())
            if await instances_repo.lock_instance(log, instance_id) is None:
                raise _instance_not_found()
            existing = await instances_repo.get_domain(conn, instance_id, domain)
            if existing is None:
                raise _domain_not_found()
            if existing.generated:
                raise precondition_failed("INST-9mSsd", "Generated domain cannot be removed")
            if existing.primary:
                raise precondition_failed("INST-1zd9s", "Primary domain cannot be removed")
            seq = await instances_repo.delete_domain(log, instance_id, domain)
            await log.flush()
        return ObjectDetails(seq, None, log.now, instance_id)

    async def set_primary_domain(self, instance_id: str, domain: str) -> ObjectDetails:
        domain = domain.strip().lower()
        async with self.db.write() as conn:
            log = EventLog(conn, instance_id, utcnow())
            if await instances_repo.lock_instance(log, instance_id) is None:
                raise _instance_not_found()
            if await instances_repo.get_domain(conn, instance_id, domain) is None:
                raise _domain_not_found()
            seq = await instances_repo.set_primary_domain(log, instance_id, domain)
            await log.flush()
        return ObjectDetails(seq, None, log.now, instance_id)

    # --- creation internals --------------------------------------------------------------------------

    async def _create(
        self, spec: NewInstance, *, generated: str | None, only_if_empty: bool
    ) -> CreatedInstance | None:
        """Create an instance with everything it needs in one transaction.

        ``generated`` fixes the generated domain (the bootstrap instance answers on the external host);
        ``only_if_empty`` makes it a no-op (None) when any instance exists, race-free across processes.
        """
        name = spec.name.strip()
        if not name:
            raise invalid_argument("INST-3m9sQ", "Instance name must not be empty")
        owner = spec.owner
        if owner is None:
            raise invalid_argument("INST-NoAdm", "Instance needs an owner (human or machine)")
        if isinstance(owner, HumanOwner) and not (owner.email.strip() or owner.user_name.strip()):
            raise invalid_argument("INST-Em41l", "The human owner needs an email")
        custom = normalize_domain(spec.custom_domain) if spec.custom_domain.strip() else None
        # Ids stay the same across attempts: a failed attempt rolled back everything it wrote.
        ids = _NewIds(new_id(), new_id(), new_id())
        prepared = await _prepare_owner_secrets(owner, ids.user)
        for attempt in range(_CREATE_ATTEMPTS):
            domain = generated or generated_domain(name, self.config.base_domain)
            try:
                return await self._create_once(
                    spec, ids, name, owner, domain, custom, prepared, only_if_empty
                )
            except UniqueViolation as exc:
                if generated is not None or attempt == _CREATE_ATTEMPTS - 1:
                    if only_if_empty:  # another process bootstrapped the same host first
                        return None
                    raise _domain_taken() from exc
        raise AssertionError("unreachable")

    async def _create_once(
        self,
        spec: NewInstance,
        ids: _NewIds,
        name: str,
        owner: HumanOwner | MachineOwner,
        domain: str,
        custom: str | None,
        prepared: _OwnerSecrets,
        only_if_empty: bool,
    ) -> CreatedInstance | None:
        instance_id, org_id, user_id = ids
        language = spec.default_language.strip() or self.config.default_language
        async with self.db.write() as conn:
            if only_if_empty:
                await instances_repo.serialize_bootstrap(conn)
                if await instances_repo.has_instances(conn):
                    return None
            for taken in (domain, custom):
                if taken and await instances_repo.domain_exists(conn, taken):
                    raise _domain_taken()
            log = EventLog(conn, instance_id, utcnow())
            await instances_repo.insert_instance(log, instance_id, name, language)
            await instances_repo.insert_domain(log, instance_id, domain, generated=True)
            await instances_repo.set_primary_domain(log, instance_id, domain)
            if custom and custom != domain:
                await instances_repo.insert_domain(log, instance_id, custom, generated=False)
            await accounts_repo.insert_org(log, org_id, spec.first_org_name.strip() or name)
            await accounts_repo.insert_user(log, _user_record(user_id, org_id, owner, prepared, language))
            await accounts_repo.insert_membership(log, "org", "org", org_id, user_id, [ORG_OWNER])
            await accounts_repo.insert_membership(log, "iam", "instance", instance_id, user_id, [IAM_OWNER])
            if prepared.pat is not None:
                await accounts_repo.insert_pat(
                    log,
                    new_id(),
                    user_id,
                    credentials.pat_hash(prepared.pat),
                    credentials.PAT_SCOPES,
                    prepared.pat_expiration,
                )
            if prepared.key_public_pem is not None:
                await accounts_repo.insert_machine_key(
                    log,
                    prepared.key_id,
                    user_id,
                    KEY_TYPE_JSON,
                    prepared.key_public_pem,
                    prepared.key_expiration,
                )
            await log.flush()
        return CreatedInstance(
            instance_id=instance_id,
            details=ObjectDetails(log.sequence(instance_id), log.now, None, instance_id),
            org_id=org_id,
            user_id=user_id,
            pat=prepared.pat,
            machine_key=prepared.key_file,
        )


def _domain_taken() -> Exception:
    return already_exists("INST-i2nl", "Domain already exists")


@dataclass(slots=True)
class _OwnerSecrets:
    """Credentials prepared before the transaction, because hashing and RSA generation are slow."""

    password_hash: str | None = None
    pat: str | None = None
    pat_expiration: datetime | None = None
    key_id: str = ""
    key_public_pem: str | None = None
    key_expiration: datetime | None = None
    key_file: bytes | None = None


class _NewIds(NamedTuple):
    instance: str
    org: str
    user: str


async def _prepare_owner_secrets(owner: HumanOwner | MachineOwner, user_id: str) -> _OwnerSecrets:
    out = _OwnerSecrets()
    if isinstance(owner, HumanOwner):
        if owner.password:
            out.password_hash = await asyncio.to_thread(credentials.hash_password, owner.password)
        return out
    if owner.pat is not None:
        out.pat = credentials.new_pat()
        out.pat_expiration = owner.pat.expiration
    if owner.machine_key is not None:
        if owner.machine_key.key_type != KEY_TYPE_JSON:
            raise invalid_argument("INST-K3yTy", "Machine key type must be KEY_TYPE_JSON")
        out.key_id = new_id()
        out.key_expiration = owner.machine_key.expiration
        out.key_file, out.key_public_pem = await asyncio.to_thread(
            credentials.new_machine_key, out.key_id, user_id, out.key_expiration
        )
    return out


def _user_record(
    user_id: str, org_id: str, owner: HumanOwner | MachineOwner, prepared: _OwnerSecrets, language: str
) -> accounts_repo.UserRecord:
    if isinstance(owner, HumanOwner):
        return accounts_repo.UserRecord(
            id=user_id,
            org_id=org_id,
            kind="human",
            user_name=owner.user_name.strip() or owner.email.strip(),
            email=owner.email.strip(),
            email_verified=owner.email_verified,
            first_name=owner.first_name,
            last_name=owner.last_name,
            preferred_language=owner.preferred_language or language,
            password_hash=prepared.password_hash,
            password_change_required=owner.password_change_required,
        )
    return accounts_repo.UserRecord(
        id=user_id,
        org_id=org_id,
        kind="machine",
        user_name=owner.user_name.strip() or DEFAULT_MACHINE_USER_NAME,
        machine_name=owner.name.strip() or owner.user_name.strip() or DEFAULT_MACHINE_USER_NAME,
    )
