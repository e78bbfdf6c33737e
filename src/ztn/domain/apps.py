"""Applications of a project (OIDC, API, SAML): the rules behind the Management API's app RPCs.

- Client ids are ``<app id>@<project name slug>`` (ZITADEL's observed format; clients treat it as opaque).
- Client secrets are random, handed out once (add / regenerate) and stored only as a SHA-256 hash: they
  carry 288 bits of entropy, so a slow password hash would add nothing but latency.
- OIDC configurations are never rejected for being non-compliant; the problems are reported instead
  (``domain.oidc_compliance``). Empty response / grant type lists default to CODE / AUTHORIZATION_CODE.
- Every read and write is confined to the caller's instance and org (``OrgScope``).
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import replace

from ztn.domain import lists
from ztn.domain.errors import already_exists, invalid_argument, not_found, precondition_failed
from ztn.domain.ids import new_id
from ztn.domain.models import ListQuery, ObjectDetails, Page
from ztn.domain.oidc_compliance import allowed_origins, compliance_problems
from ztn.domain.project_models import (
    AddedApp,
    ApiAuthMethod,
    ApiConfig,
    App,
    AppConfig,
    AppState,
    NameFilter,
    OidcAuthMethod,
    OidcConfig,
    OidcGrantType,
    OidcResponseType,
    OrgScope,
    SamlConfig,
)
from ztn.domain.projects import project_not_found
from ztn.store import projects_repo as repo
from ztn.store.db import Database
from ztn.store.errors import UniqueViolation
from ztn.store.events import EventLog
from ztn.store.models import utcnow

_SECRET_METHODS_OIDC = (OidcAuthMethod.BASIC, OidcAuthMethod.POST)
_SLUG_DROP = re.compile(r"[^a-z0-9]+")


def app_not_found() -> Exception:
    return not_found("APP-8ei2s", "Application not found")


def _app_exists() -> Exception:
    return already_exists("V3-DKcYh", "Application already exists")


def client_id_for(app_id: str, project_name: str) -> str:
    slug = _SLUG_DROP.sub("-", project_name.lower()).strip("-")
    return f"{app_id}@{slug}" if slug else app_id


def new_client_secret() -> tuple[str, str]:
    """(secret to show once, hash to store)."""
    secret = secrets.token_urlsafe(36)
    return secret, secret_hash(secret)


def secret_hash(secret: str) -> str:
    return "sha256:" + hashlib.sha256(secret.encode()).hexdigest()


def check_client_secret(secret: str, stored_hash: str | None) -> bool:
    return stored_hash is not None and hmac.compare_digest(secret_hash(secret), stored_hash)


def with_derived(app: App) -> App:
    """An OIDC app with its compliance problems and allowed origins filled in (computed, never stored)."""
    if not isinstance(app.config, OidcConfig):
        return app
    return replace(
        app, compliance_problems=compliance_problems(app.config), allowed_origins=allowed_origins(app.config)
    )


def normalized_oidc(config: OidcConfig) -> OidcConfig:
    return replace(
        config,
        response_types=config.response_types or (OidcResponseType.CODE,),
        grant_types=config.grant_types or (OidcGrantType.AUTHORIZATION_CODE,),
    )


def check_saml(config: SamlConfig) -> SamlConfig:
    """Metadata must be given (XML or URL); XML must be an EntityDescriptor with an entityID."""
    if config.metadata_xml:
        try:
            root = ET.fromstring(config.metadata_xml)
        except ET.ParseError as exc:
            raise invalid_argument("SAML-Sfd3e", "SAML metadata is not valid XML") from exc
        if root.tag.rsplit("}", 1)[-1] != "EntityDescriptor" or not root.get("entityID"):
            raise invalid_argument("SAML-Ft3dg", "SAML metadata needs an EntityDescriptor with an entityID")
        return SamlConfig(config.metadata_xml, None, config.login_version)
    if config.metadata_url and config.metadata_url.strip():
        return SamlConfig(None, config.metadata_url.strip(), config.login_version)
    raise invalid_argument("PROJECT-SAMLm", "SAML metadata (XML or URL) is required")


_PAGES_KEPT = 64


class Apps:
    def __init__(self, db: Database, max_list_limit: int = lists.MAX_LIMIT) -> None:
        self.db = db
        self.max_list_limit = max_list_limit
        # The store hands out the same result object for an unchanged page (its snapshot memo): the
        # Page built from it is kept too, so callers can memoise what they derive from it by identity.
        self._pages: dict[int, tuple[object, Page[App]]] = {}

    # --- reads ---------------------------------------------------------------------------------------

    async def get(self, scope: OrgScope, project_id: str, app_id: str) -> App:
        async with self.db.read() as conn:
            app = await repo.get_app(conn, scope, project_id, app_id)
        if app is None:
            raise app_not_found()
        return with_derived(app)

    async def list(
        self,
        scope: OrgScope,
        project_id: str,
        query: ListQuery | None = None,
        names: Sequence[NameFilter] = (),
    ) -> Page[App]:
        """Apps of a project in creation order; a project outside the caller's org lists nothing."""
        query, limit = lists.checked(query, self.max_list_limit)
        async with self.db.read() as conn:
            result = await repo.list_apps(conn, scope, project_id, names, query, limit)
        kept = self._pages.get(id(result))
        if kept is not None and kept[0] is result:
            return kept[1]
        items, total, top = result
        # view_timestamp: when this state of the list was read (as ZITADEL reports its view's time).
        page = Page([with_derived(a) for a in items], total, processed_sequence=top, view_timestamp=utcnow())
        if len(self._pages) >= _PAGES_KEPT:
            del self._pages[next(iter(self._pages))]
        self._pages[id(result)] = (result, page)  # holding result keeps its id from being reused
        return page

    # --- adding --------------------------------------------------------------------------------------

    async def add_oidc(self, scope: OrgScope, project_id: str, name: str, config: OidcConfig) -> AddedApp:
        config = normalized_oidc(config)
        with_secret = config.auth_method in _SECRET_METHODS_OIDC
        added = await self._add(scope, project_id, name, config, with_client_id=True, with_secret=with_secret)
        return replace(added, compliance_problems=compliance_problems(config))

    async def add_api(self, scope: OrgScope, project_id: str, name: str, config: ApiConfig) -> AddedApp:
        with_secret = config.auth_method == ApiAuthMethod.BASIC
        return await self._add(scope, project_id, name, config, with_client_id=True, with_secret=with_secret)

    async def add_saml(self, scope: OrgScope, project_id: str, name: str, config: SamlConfig) -> AddedApp:
        return await self._add(
            scope, project_id, name, check_saml(config), with_client_id=False, with_secret=False
        )

    async def _add(
        self,
        scope: OrgScope,
        project_id: str,
        name: str,
        config: AppConfig,
        *,
        with_client_id: bool,
        with_secret: bool,
    ) -> AddedApp:
        name = _checked_name(name)
        app_id = new_id()
        secret, hashed = new_client_secret() if with_secret else ("", None)
        try:
            async with self.db.write() as conn:
                log = EventLog(conn, scope.instance_id, utcnow())
                project = await repo.lock_project(log, scope, project_id)
                if project is None:
                    raise project_not_found()
                client_id = client_id_for(app_id, project.name) if with_client_id else None
                seq = await repo.insert_app(log, scope, project_id, app_id, name, config, client_id, hashed)
                await log.flush()
        except UniqueViolation as exc:
            raise _app_exists() from exc
        return AddedApp(app_id, ObjectDetails(seq, log.now, None, scope.org_id), client_id or "", secret)

    # --- changing ------------------------------------------------------------------------------------

    async def rename(self, scope: OrgScope, project_id: str, app_id: str, name: str) -> ObjectDetails:
        name = _checked_name(name)
        try:
            async with self.db.write() as conn:
                log = EventLog(conn, scope.instance_id, utcnow())
                row = await self._lock(log, scope, project_id, app_id)
                if row.name == name:
                    raise precondition_failed("COMMAND-2m8vx", "No changes")
                seq = await repo.rename_app(log, app_id, name)
                await log.flush()
        except UniqueViolation as exc:
            raise _app_exists() from exc
        return ObjectDetails(seq, None, log.now, scope.org_id)

    async def update_oidc_config(
        self, scope: OrgScope, project_id: str, app_id: str, config: OidcConfig
    ) -> ObjectDetails:
        return await self._update_config(scope, project_id, app_id, normalized_oidc(config))

    async def update_api_config(
        self, scope: OrgScope, project_id: str, app_id: str, config: ApiConfig
    ) -> ObjectDetails:
        return await self._update_config(scope, project_id, app_id, config)

    async def _update_config(
        self, scope: OrgScope, project_id: str, app_id: str, config: AppConfig
    ) -> ObjectDetails:
        async with self.db.write() as conn:
            log = EventLog(conn, scope.instance_id, utcnow())
            row = await self._lock(log, scope, project_id, app_id)
            current = repo.config_from_json(row.kind, row.config)
            _require_kind(current, type(config))
            if current == config:
                raise precondition_failed("COMMAND-1m88i", "No changes")
            seq = await repo.set_app_config(log, app_id, config)
            await log.flush()
        return ObjectDetails(seq, None, log.now, scope.org_id)

    async def regenerate_oidc_secret(
        self, scope: OrgScope, project_id: str, app_id: str
    ) -> tuple[str, ObjectDetails]:
        return await self._regenerate(scope, project_id, app_id, OidcConfig)

    async def regenerate_api_secret(
        self, scope: OrgScope, project_id: str, app_id: str
    ) -> tuple[str, ObjectDetails]:
        return await self._regenerate(scope, project_id, app_id, ApiConfig)

    async def _regenerate(
        self, scope: OrgScope, project_id: str, app_id: str, kind: type
    ) -> tuple[str, ObjectDetails]:
        secret, hashed = new_client_secret()
        async with self.db.write() as conn:
            log = EventLog(conn, scope.instance_id, utcnow())
            row = await self._lock(log, scope, project_id, app_id)
            _require_kind(repo.config_from_json(row.kind, row.config), kind)
            seq = await repo.set_app_secret(log, app_id, hashed)
            await log.flush()
        return secret, ObjectDetails(seq, None, log.now, scope.org_id)

    async def deactivate(self, scope: OrgScope, project_id: str, app_id: str) -> ObjectDetails:
        return await self._set_state(scope, project_id, app_id, AppState.INACTIVE)

    async def reactivate(self, scope: OrgScope, project_id: str, app_id: str) -> ObjectDetails:
        return await self._set_state(scope, project_id, app_id, AppState.ACTIVE)

    async def remove(self, scope: OrgScope, project_id: str, app_id: str) -> ObjectDetails:
        async with self.db.write() as conn:
            log = EventLog(conn, scope.instance_id, utcnow())
            await self._lock(log, scope, project_id, app_id)
            seq = await repo.delete_app(log, app_id)
            await log.flush()
        return ObjectDetails(seq, None, log.now, scope.org_id)

    async def _set_state(
        self, scope: OrgScope, project_id: str, app_id: str, state: AppState
    ) -> ObjectDetails:
        async with self.db.write() as conn:
            log = EventLog(conn, scope.instance_id, utcnow())
            row = await self._lock(log, scope, project_id, app_id)
            if row.state == state:
                if state == AppState.INACTIVE:
                    raise precondition_failed("COMMAND-dsh35", "Application is not active")
                raise precondition_failed("COMMAND-1n8cM", "Application is not inactive")
            seq = await repo.set_app_state(log, app_id, state)
            await log.flush()
        return ObjectDetails(seq, None, log.now, scope.org_id)

    @staticmethod
    async def _lock(log: EventLog, scope: OrgScope, project_id: str, app_id: str):  # noqa: ANN205
        row = await repo.lock_app(log, scope, project_id, app_id)
        if row is None:
            raise app_not_found()
        return row


def _checked_name(name: str) -> str:
    name = name.strip()
    if not name:
        raise invalid_argument("PROJECT-m9sd2", "Application name must not be empty")
    return name


def _require_kind(current: AppConfig, wanted: type) -> None:
    if isinstance(current, wanted):
        return
    if wanted is OidcConfig:
        raise precondition_failed("COMMAND-GBr34", "Application is not type OIDC")
    raise precondition_failed("COMMAND-Gnwt3", "Application is not type API")
