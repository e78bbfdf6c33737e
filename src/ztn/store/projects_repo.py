"""Projects and applications: reads (one indexed Core select per page, plus one count) and writes.

Every write appends its event through ``EventLog`` in the caller's transaction. Application settings
live in one JSON column (``config``), written by ``config_to_json`` and read by ``config_from_json``.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from ztn.domain.models import ListQuery, ObjectDetails, TextMethod
from ztn.domain.project_models import (
    ApiAuthMethod,
    ApiConfig,
    App,
    AppConfig,
    AppState,
    LoginVersion,
    NameFilter,
    OidcAppType,
    OidcAuthMethod,
    OidcConfig,
    OidcGrantType,
    OidcResponseType,
    OidcTokenType,
    OrgScope,
    Project,
    ProjectFilter,
    ProjectSpec,
    ProjectState,
    ResourceOwnerFilter,
    SamlConfig,
)
from ztn.store.db import read_cache
from ztn.store.events import EventLog
from ztn.store.projects_models import projects as P
from ztn.store.projects_models import projects_apps as A

PROJECT, APP = "project", "application"


# --- text queries ------------------------------------------------------------------------------------


def text_condition(
    column: sa.ColumnElement[str], lower: sa.ColumnElement[str], value: str, method: TextMethod, dialect: str
) -> sa.ColumnElement[bool]:
    """A TextQueryMethod with the same semantics on SQLite and PostgreSQL.

    Ignore-case methods match ``lower`` (lowercased in Python when written, so non-ASCII folds the same on
    both backends). Case-sensitive methods use comparisons that are case-sensitive everywhere (SQLite's
    LIKE is not): equality, ``substr`` for prefixes/suffixes, ``instr``/``strpos`` for containment.
    """
    base = TextMethod(method.value & ~1)
    if method.ignore_case:
        needle = value.lower()
        if base == TextMethod.EQUALS:
            return lower == needle
        escaped = needle.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        pattern = {
            TextMethod.STARTS_WITH: f"{escaped}%",
            TextMethod.CONTAINS: f"%{escaped}%",
            TextMethod.ENDS_WITH: f"%{escaped}",
        }[base]
        return lower.like(pattern, escape="\\")
    n = len(value)
    if base == TextMethod.EQUALS:
        return column == value
    if base == TextMethod.STARTS_WITH:
        return sa.func.substr(column, 1, n) == value
    if base == TextMethod.ENDS_WITH:
        if n == 0:
            return sa.true()
        return sa.and_(
            sa.func.length(column) >= n, sa.func.substr(column, sa.func.length(column) - n + 1) == value
        )
    position = sa.func.strpos(column, value) if dialect == "postgresql" else sa.func.instr(column, value)
    return position > 0


# --- projects: reads ---------------------------------------------------------------------------------


async def get_project(conn: AsyncConnection, scope: OrgScope, project_id: str) -> Project | None:
    stmt = sa.select(P).where(
        P.c.id == project_id, P.c.instance_id == scope.instance_id, P.c.org_id == scope.org_id
    )
    row = (await conn.execute(stmt)).first()
    return None if row is None else _project(row)


async def list_projects(
    conn: AsyncConnection,
    scope: OrgScope,
    filters: Sequence[ProjectFilter],
    only_ids: Sequence[str] | None,
    query: ListQuery,
    limit: int,
) -> tuple[list[Project], int, int]:
    """(page, total, highest sequence among the matches)."""
    where = [P.c.instance_id == scope.instance_id, P.c.org_id == scope.org_id]
    where += [_project_condition(f, conn.dialect.name) for f in filters]
    if only_ids is not None:
        where.append(P.c.id.in_(list(only_ids)))
    counted = sa.select(sa.func.count(), sa.func.max(P.c.sequence)).select_from(P).where(*where)
    total, top = (await conn.execute(counted)).one()
    if total == 0:
        return [], 0, 0
    # No sorting column in v1: ZITADEL's natural (creation) order; ids are time-ordered.
    stmt = sa.select(P).where(*where).order_by(P.c.id).offset(query.offset).limit(limit)
    return [_project(r) for r in (await conn.execute(stmt)).all()], total, top or 0


def _project_condition(f: ProjectFilter, dialect: str) -> sa.ColumnElement[bool]:
    if isinstance(f, NameFilter):
        return text_condition(P.c.name, P.c.name_lower, f.name, f.method, dialect)
    if isinstance(f, ResourceOwnerFilter):
        return P.c.org_id == f.resource_owner
    raise TypeError(f"unknown project filter {f!r}")


# --- projects: writes --------------------------------------------------------------------------------


async def lock_project(log: EventLog, scope: OrgScope, project_id: str) -> Project | None:
    row = await log.lock(P, project_id)
    if row is None or row.instance_id != scope.instance_id or row.org_id != scope.org_id:
        return None
    return _project(row)


async def insert_project(log: EventLog, scope: OrgScope, project_id: str, spec: ProjectSpec) -> int:
    log.start(P, project_id)
    seq = log.push(PROJECT, project_id, "project.added", {"name": spec.name})
    await log.conn.execute(
        P.insert().values(
            id=project_id,
            instance_id=scope.instance_id,
            org_id=scope.org_id,
            state=ProjectState.ACTIVE,
            sequence=seq,
            creation_date=log.now,
            change_date=log.now,
            **_project_values(spec),
        )
    )
    return seq


async def update_project(log: EventLog, project_id: str, spec: ProjectSpec) -> int:
    seq = log.push(PROJECT, project_id, "project.changed", {"name": spec.name})
    await log.conn.execute(P.update().where(P.c.id == project_id).values(**_project_values(spec)))
    return seq


async def set_project_state(log: EventLog, project_id: str, state: ProjectState) -> int:
    event = "project.reactivated" if state == ProjectState.ACTIVE else "project.deactivated"
    seq = log.push(PROJECT, project_id, event, {})
    await log.conn.execute(P.update().where(P.c.id == project_id).values(state=int(state)))
    return seq


async def delete_project(log: EventLog, project_id: str) -> int:
    """Removes the project and its applications (explicitly; the FK cascade is only a safety net)."""
    seq = log.push(PROJECT, project_id, "project.removed", {})
    await log.conn.execute(A.delete().where(A.c.project_id == project_id))
    await log.conn.execute(P.delete().where(P.c.id == project_id))
    return seq


def _project_values(spec: ProjectSpec) -> dict[str, Any]:
    return {
        "name": spec.name,
        "name_lower": spec.name.lower(),
        "role_assertion": spec.role_assertion,
        "role_check": spec.role_check,
        "has_project_check": spec.has_project_check,
        "private_labeling": spec.private_labeling,
    }


def _project(row: sa.Row[Any]) -> Project:
    return Project(
        id=row.id,
        name=row.name,
        state=ProjectState(row.state),
        role_assertion=row.role_assertion,
        role_check=row.role_check,
        has_project_check=row.has_project_check,
        private_labeling=row.private_labeling,
        details=ObjectDetails(row.sequence, row.creation_date, row.change_date, row.org_id),
    )


# --- applications: reads -----------------------------------------------------------------------------


async def get_app(conn: AsyncConnection, scope: OrgScope, project_id: str, app_id: str) -> App | None:
    stmt = sa.select(A).where(
        A.c.id == app_id,
        A.c.project_id == project_id,
        A.c.instance_id == scope.instance_id,
        A.c.org_id == scope.org_id,
    )
    row = (await conn.execute(stmt)).first()
    return None if row is None else app_from_row(row)


async def list_apps(
    conn: AsyncConnection,
    scope: OrgScope,
    project_id: str,
    names: Sequence[NameFilter],
    query: ListQuery,
    limit: int,
) -> tuple[list[App], int, int]:
    """(page, total, highest sequence among the matches): one count and one page query.

    Without name filters both statements are built once (bound parameters, so SQLAlchemy's compiled
    cache hits at once); rows are mapped by position (``_app_page_row``).
    """
    params = {"project_id": project_id, "instance_id": scope.instance_id, "org_id": scope.org_id}
    # Unfiltered pages are memoised in the read connection's snapshot cache (emptied by commits in any
    # process, see ``db``); few pages per cache: they are large.
    memo = read_cache(conn, "app_pages") if not names else None
    key = (project_id, scope.instance_id, scope.org_id, query.offset, limit)
    if memo is not None and (hit := memo.get(key)) is not None:
        return hit
    if memo is not None and len(memo) >= _PAGE_MEMO_SIZE:
        memo.clear()
    result = await _list_apps(conn, params, names, query, limit)
    if memo is not None:
        memo[key] = result
    return result


async def _list_apps(
    conn: AsyncConnection, params: dict[str, Any], names: Sequence[NameFilter], query: ListQuery, limit: int
) -> tuple[list[App], int, int]:
    if names:
        where = [*_APP_SCOPE, *(_app_name_condition(f, conn.dialect.name) for f in names)]
        counted = sa.select(sa.func.count(), sa.func.max(A.c.sequence)).select_from(A).where(*where)
        page = sa.select(*_APP_PAGE_COLUMNS).where(*where).order_by(A.c.id)
        page = page.offset(sa.bindparam("offset")).limit(sa.bindparam("limit"))
    else:
        counted, page = _APP_COUNT, _APP_PAGE
    total, top = (await conn.execute(counted, params)).one()
    if total == 0 or query.offset >= total:
        return [], total, top or 0
    rows = (await conn.execute(page, {**params, "offset": query.offset, "limit": limit})).all()
    return [_app_page_row(r) for r in rows], total, top or 0


def _app_name_condition(f: NameFilter, dialect: str) -> sa.ColumnElement[bool]:
    return text_condition(A.c.name, A.c.name_lower, f.name, f.method, dialect)


_APP_SCOPE = (
    A.c.project_id == sa.bindparam("project_id"),
    A.c.instance_id == sa.bindparam("instance_id"),
    A.c.org_id == sa.bindparam("org_id"),
)
# Raw values: the JSON config as text (parsed through a memo, most apps share few configs) and the
# dates unprocessed (SQLite: ISO text; PostgreSQL: datetime), converted by ``_utc``.
_APP_PAGE_COLUMNS = (
    A.c.id,
    A.c.project_id,
    A.c.name,
    A.c.state,
    A.c.kind,
    sa.cast(A.c.config, sa.Text),
    A.c.sequence,
    sa.type_coerce(A.c.creation_date, sa.String),
    sa.type_coerce(A.c.change_date, sa.String),
    A.c.org_id,
    A.c.client_id,
)
_APP_COUNT = sa.select(sa.func.count(), sa.func.max(A.c.sequence)).select_from(A).where(*_APP_SCOPE)
_APP_PAGE = (
    sa.select(*_APP_PAGE_COLUMNS)
    .where(*_APP_SCOPE)
    .order_by(A.c.id)
    .offset(sa.bindparam("offset"))
    .limit(sa.bindparam("limit"))
)
_APP_STATES = {int(s): s for s in AppState}
_PAGE_MEMO_SIZE = 32
_CONFIG_MEMO: dict[tuple[str, str], AppConfig] = {}
_CONFIG_MEMO_SIZE = 1024


def _app_page_row(row: Any) -> App:
    app_id, project_id, name, state, kind, config, seq, created, changed, org_id, client_id = row
    return App(
        app_id,
        project_id,
        name,
        _APP_STATES.get(state) or AppState(state),
        _config_from_text(kind, config),
        ObjectDetails(seq, _utc(created), _utc(changed), org_id),
        client_id or "",
    )


def _config_from_text(kind: str, text: str) -> AppConfig:
    """``config_from_json`` memoised by the stored text (configs are immutable values)."""
    key = (kind, text)
    config = _CONFIG_MEMO.get(key)
    if config is None:
        if len(_CONFIG_MEMO) >= _CONFIG_MEMO_SIZE:
            _CONFIG_MEMO.clear()
        config = _CONFIG_MEMO[key] = config_from_json(kind, json.loads(text))
    return config


def _utc(value: str | datetime) -> datetime:
    """A stored date as an aware UTC datetime: SQLite hands back its ISO text, PostgreSQL a datetime."""
    if isinstance(value, str):
        return datetime.fromisoformat(value).replace(tzinfo=UTC)
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


# --- applications: writes ----------------------------------------------------------------------------


async def lock_app(log: EventLog, scope: OrgScope, project_id: str, app_id: str) -> sa.Row[Any] | None:
    row = await log.lock(A, app_id)
    if row is None or row.project_id != project_id or row.instance_id != scope.instance_id:
        return None
    return row if row.org_id == scope.org_id else None


async def insert_app(
    log: EventLog,
    scope: OrgScope,
    project_id: str,
    app_id: str,
    name: str,
    config: AppConfig,
    client_id: str | None,
    secret_hash: str | None,
) -> int:
    log.start(A, app_id)
    kind = _kind(config)
    seq = log.push(APP, app_id, f"application.{kind}.added", {"projectId": project_id, "name": name})
    await log.conn.execute(
        A.insert().values(
            id=app_id,
            instance_id=scope.instance_id,
            org_id=scope.org_id,
            project_id=project_id,
            name=name,
            name_lower=name.lower(),
            state=AppState.ACTIVE,
            kind=kind,
            client_id=client_id,
            secret_hash=secret_hash,
            config=config_to_json(config),
            sequence=seq,
            creation_date=log.now,
            change_date=log.now,
        )
    )
    return seq


async def rename_app(log: EventLog, app_id: str, name: str) -> int:
    seq = log.push(APP, app_id, "application.changed", {"name": name})
    await log.conn.execute(A.update().where(A.c.id == app_id).values(name=name, name_lower=name.lower()))
    return seq


async def set_app_config(log: EventLog, app_id: str, config: AppConfig) -> int:
    seq = log.push(APP, app_id, f"application.{_kind(config)}.config.changed", {})
    await log.conn.execute(A.update().where(A.c.id == app_id).values(config=config_to_json(config)))
    return seq


async def set_app_secret(log: EventLog, app_id: str, secret_hash: str) -> int:
    seq = log.push(APP, app_id, "application.secret.changed", {})  # never the secret, not even hashed
    await log.conn.execute(A.update().where(A.c.id == app_id).values(secret_hash=secret_hash))
    return seq


async def set_app_state(log: EventLog, app_id: str, state: AppState) -> int:
    event = "application.reactivated" if state == AppState.ACTIVE else "application.deactivated"
    seq = log.push(APP, app_id, event, {})
    await log.conn.execute(A.update().where(A.c.id == app_id).values(state=int(state)))
    return seq


async def delete_app(log: EventLog, app_id: str) -> int:
    seq = log.push(APP, app_id, "application.removed", {})
    await log.conn.execute(A.delete().where(A.c.id == app_id))
    return seq


# --- application mapping -----------------------------------------------------------------------------


def _kind(config: AppConfig) -> str:
    if isinstance(config, OidcConfig):
        return "oidc"
    if isinstance(config, ApiConfig):
        return "api"
    return "saml"


def app_from_row(row: sa.Row[Any]) -> App:
    return App(
        id=row.id,
        project_id=row.project_id,
        name=row.name,
        state=AppState(row.state),
        config=config_from_json(row.kind, row.config),
        details=ObjectDetails(row.sequence, row.creation_date, row.change_date, row.org_id),
        client_id=row.client_id or "",
    )


def _login(v: LoginVersion) -> dict[str, Any] | None:
    if v.version is None:
        return None
    return {"v": v.version, "baseUri": v.base_uri}


def _login_from(obj: dict[str, Any] | None) -> LoginVersion:
    return LoginVersion() if not obj else LoginVersion(obj["v"], obj.get("baseUri"))


def config_to_json(config: AppConfig) -> dict[str, Any]:
    if isinstance(config, ApiConfig):
        return {"authMethod": int(config.auth_method)}
    if isinstance(config, SamlConfig):
        xml = base64.b64encode(config.metadata_xml).decode() if config.metadata_xml is not None else None
        return {"metadataXml": xml, "metadataUrl": config.metadata_url, "login": _login(config.login_version)}
    c = config
    return {
        "redirectUris": list(c.redirect_uris),
        "responseTypes": [int(x) for x in c.response_types],
        "grantTypes": [int(x) for x in c.grant_types],
        "appType": int(c.app_type),
        "authMethod": int(c.auth_method),
        "postLogoutRedirectUris": list(c.post_logout_redirect_uris),
        "devMode": c.dev_mode,
        "accessTokenType": int(c.access_token_type),
        "accessTokenRoleAssertion": c.access_token_role_assertion,
        "idTokenRoleAssertion": c.id_token_role_assertion,
        "idTokenUserinfoAssertion": c.id_token_userinfo_assertion,
        "clockSkewUs": c.clock_skew // timedelta(microseconds=1),
        "additionalOrigins": list(c.additional_origins),
        "skipNativeAppSuccessPage": c.skip_native_app_success_page,
        "backChannelLogoutUri": c.back_channel_logout_uri,
        "login": _login(c.login_version),
    }


def config_from_json(kind: str, j: dict[str, Any]) -> AppConfig:
    if kind == "api":
        return ApiConfig(ApiAuthMethod(j["authMethod"]))
    if kind == "saml":
        xml = base64.b64decode(j["metadataXml"]) if j.get("metadataXml") is not None else None
        return SamlConfig(xml, j.get("metadataUrl"), _login_from(j.get("login")))
    return OidcConfig(
        redirect_uris=tuple(j["redirectUris"]),
        response_types=tuple(OidcResponseType(x) for x in j["responseTypes"]),
        grant_types=tuple(OidcGrantType(x) for x in j["grantTypes"]),
        app_type=OidcAppType(j["appType"]),
        auth_method=OidcAuthMethod(j["authMethod"]),
        post_logout_redirect_uris=tuple(j["postLogoutRedirectUris"]),
        dev_mode=j["devMode"],
        access_token_type=OidcTokenType(j["accessTokenType"]),
        access_token_role_assertion=j["accessTokenRoleAssertion"],
        id_token_role_assertion=j["idTokenRoleAssertion"],
        id_token_userinfo_assertion=j["idTokenUserinfoAssertion"],
        clock_skew=timedelta(microseconds=j["clockSkewUs"]),
        additional_origins=tuple(j["additionalOrigins"]),
        skip_native_app_success_page=j["skipNativeAppSuccessPage"],
        back_channel_logout_uri=j["backChannelLogoutUri"],
        login_version=_login_from(j.get("login")),
    )
