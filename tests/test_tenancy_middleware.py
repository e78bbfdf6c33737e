"""The tenancy middleware on a real database (both backends) with an in-process fake servicer context.

Covers ZITADEL's interceptor order: instance (host headers, ports, trusted public host, single-instance
mode, explicit instance id), token (missing / invalid / expired / other instance / system JWT), org
context and declared permissions including project-scoped ones with a check field.
"""

from __future__ import annotations

import secrets
from datetime import timedelta
from typing import Any

import grpc
import pytest
import sqlalchemy as sa
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from google.protobuf import descriptor_pool, message_factory
from google.rpc import status_pb2

from zitadel import management_pb2, message_pb2, system_pb2  # noqa: F401 (registers SystemService)
from zitadel.instance.v2 import instance_service_pb2 as v2
from ztn.auth.caller import current_caller
from ztn.auth.keys import mint_system_token
from ztn.auth.system_users import Membership, SystemTokenVerifier, SystemUser
from ztn.auth.tenancy import TenancyMiddleware, forwarded_host, strip_port
from ztn.domain.credentials import pat_hash
from ztn.domain.ids import new_id
from ztn.domain.instances import InstanceConfig, Instances
from ztn.domain.models import MachineOwner, NewInstance, PatRequest
from ztn.domain.trusted_domains import TrustedDomains
from ztn.gateway.registry import MethodInfo, ServiceOptions
from ztn.store import models as m
from ztn.store.models import utcnow

MGMT = "zitadel.management.v1.ManagementService"
INSTANCE_V2 = "zitadel.instance.v2.InstanceService"
EXTERNAL_URL = "http://localhost:8080"


class Aborted(Exception):
    pass


class FakeContext:
    def __init__(self, md: dict[str, str]) -> None:
        self.md = list(md.items())
        self.code: grpc.StatusCode | None = None
        self.message = ""
        self.trailing: dict[str, Any] = {}

    def invocation_metadata(self):
        return self.md

    async def abort(self, code, details="", trailing_metadata=()):
        self.code, self.message, self.trailing = code, details, dict(trailing_metadata)
        raise grpc.aio.AbortError()

    @property
    def detail_ids(self) -> list[str]:
        raw = self.trailing.get("grpc-status-details-bin")
        if not raw:
            return []
        ids = []
        for any_msg in status_pb2.Status.FromString(raw).details:
            detail = message_pb2.ErrorDetail()
            any_msg.Unpack(detail)
            ids.append(detail.id)
        return ids


def method(service: str, name: str) -> MethodInfo:
    md = descriptor_pool.Default().FindServiceByName(service).methods_by_name[name]
    return MethodInfo(
        path=f"/{service}/{name}",
        descriptor=md,
        request_cls=message_factory.GetMessageClass(md.input_type),
        response_cls=message_factory.GetMessageClass(md.output_type),
        options=ServiceOptions(),
        handler=None,  # type: ignore[arg-type]
    )


async def seen_caller(request, context):
    return current_caller()


class World:
    """Two instances (alpha, beta), a second org in alpha and users with chosen memberships."""

    def __init__(self, db) -> None:
        self.db = db
        self.instances = Instances(db, InstanceConfig(base_domain="example.test"))

    async def build(self) -> World:
        self.a = await self._instance("alpha")
        self.b = await self._instance("beta")
        self.org2 = new_id()
        async with self.db.write() as conn:
            now = utcnow()
            await conn.execute(
                m.orgs.insert().values(
                    id=self.org2,
                    instance_id=self.a.instance_id,
                    name="second",
                    sequence=1,
                    creation_date=now,
                    change_date=now,
                )
            )
        self.project1, self.project2 = new_id(), new_id()
        self.no_roles = await self.user([])
        self.project_owner = await self.user([("project", self.project1, ["PROJECT_OWNER"])])
        self.org2_owner = await self.user([("org", self.org2, ["ORG_OWNER"])])
        self.expired = await self.user([("iam", self.a.instance_id, ["IAM_OWNER"])], expired=True)
        return self

    async def _instance(self, name: str):
        spec = NewInstance(
            name=name,
            owner=MachineOwner(user_name="admin", pat=PatRequest()),
            custom_domain=f"{name}.example.com",
        )
        return await self.instances.create_instance(spec)

    async def user(self, memberships: list[tuple[str, str, list[str]]], expired: bool = False) -> str:
        """A machine user in alpha's first org with a PAT; returns the PAT."""
        user_id, token, now = new_id(), secrets.token_urlsafe(48), utcnow()
        instance_id, org_id = self.a.instance_id, self.a.org_id
        async with self.db.write() as conn:
            await conn.execute(
                m.users.insert().values(
                    id=user_id,
                    instance_id=instance_id,
                    org_id=org_id,
                    kind="machine",
                    user_name=f"u{user_id}",
                    sequence=1,
                    creation_date=now,
                    change_date=now,
                )
            )
            await conn.execute(
                m.personal_access_tokens.insert().values(
                    id=new_id(),
                    instance_id=instance_id,
                    user_id=user_id,
                    token_hash=pat_hash(token),
                    scopes=[],
                    expiration=now - timedelta(minutes=1) if expired else None,
                    creation_date=now,
                )
            )
            for level, aggregate_id, roles in memberships:
                await conn.execute(
                    m.memberships.insert().values(
                        level=level,
                        aggregate_id=aggregate_id,
                        user_id=user_id,
                        instance_id=instance_id,
                        roles=roles,
                        sequence=1,
                        creation_date=now,
                        change_date=now,
                    )
                )
        return token


@pytest.fixture
async def world(database) -> World:
    return await World(database).build()


def md(token: str | None = None, host: str = "alpha.example.com", **headers: str) -> dict[str, str]:
    out = {"host": host} if host else {}
    if token:
        out["authorization"] = f"Bearer {token}"
    out.update({k.replace("_", "-"): v for k, v in headers.items()})
    return out


async def call(mw: TenancyMiddleware, info: MethodInfo, request, metadata: dict[str, str]):
    """(caller, None) on success, (None, context) when the middleware aborted."""
    handler = mw.wrap(info, seen_caller)
    context = FakeContext(metadata)
    try:
        return await handler(request, context), None
    except grpc.aio.AbortError:
        return None, context


def list_projects() -> tuple[MethodInfo, Any]:
    return method(MGMT, "ListProjects"), management_pb2.ListProjectsRequest()


# -- instance ------------------------------------------------------------------------------------------


async def test_instance_host_header_beats_host_and_ports_are_stripped(world: World) -> None:
    mw = TenancyMiddleware(world.db)
    info, req = list_projects()
    caller, _ = await call(
        mw, info, req, md(world.a.pat, host="nowhere.test", x_zitadel_instance_host="ALPHA.example.com:8443")
    )
    assert caller.instance_id == world.a.instance_id
    caller, _ = await call(mw, info, req, md(world.a.pat, host="Alpha.Example.com:8080"))
    assert caller.instance_id == world.a.instance_id
    assert (caller.org_id, caller.user_id) == (world.a.org_id, world.a.user_id)
    assert "project.read" in caller.permissions and "iam.write" in caller.permissions


async def test_forwarded_headers_only_when_trusted(world: World) -> None:
    info, req = list_projects()
    forwarded = {"forwarded": 'for=1.2.3.4;host="alpha.example.com:443", for=5.6.7.8;host=beta.example.com'}
    plain = TenancyMiddleware(world.db)
    _, ctx = await call(plain, info, req, md(world.a.pat, host="proxy.internal", **forwarded))
    assert ctx.code == grpc.StatusCode.NOT_FOUND  # Forwarded ignored: Host decides
    trusting = TenancyMiddleware(world.db, trust_forwarded=True)
    caller, _ = await call(trusting, info, req, md(world.a.pat, host="proxy.internal", **forwarded))
    assert caller.instance_id == world.a.instance_id
    caller, _ = await call(
        trusting,
        info,
        req,
        md(world.a.pat, host="proxy.internal", x_forwarded_host="alpha.example.com, other"),
    )
    assert caller.instance_id == world.a.instance_id
    # the instance-host header still comes first
    _, ctx = await call(
        trusting, info, req, md(world.a.pat, x_zitadel_instance_host="beta.example.com", **forwarded)
    )
    assert ctx.code == grpc.StatusCode.UNAUTHENTICATED  # alpha's token on beta


async def test_configured_instance_host_headers(world: World) -> None:
    mw = TenancyMiddleware(world.db, instance_host_headers=("x-custom-host", "x-zitadel-instance-host"))
    info, req = list_projects()
    caller, _ = await call(
        mw, info, req, md(world.a.pat, host="nowhere.test", x_custom_host="alpha.example.com")
    )
    assert caller.instance_id == world.a.instance_id


async def test_unknown_or_missing_host_is_not_found_before_auth(world: World) -> None:
    mw = TenancyMiddleware(world.db, external_domain="localhost")
    info, req = list_projects()
    _, ctx = await call(mw, info, req, md(None, host="unknown.example.com"))
    assert ctx.code == grpc.StatusCode.NOT_FOUND
    assert ctx.message.startswith("unable to set instance using origin &{unknown.example.com  http}")
    assert "ID=QUERY-1kIjX Message=Instance not found" in ctx.message
    assert ctx.detail_ids == ["QUERY-1kIjX"]
    _, ctx = await call(mw, info, req, md(world.a.pat, host=""))
    assert ctx.code == grpc.StatusCode.NOT_FOUND and "no instanceHost specified" in ctx.message


async def test_public_host_must_be_trusted(world: World) -> None:
    mw = TenancyMiddleware(world.db)
    info, req = list_projects()
    same = md(world.a.pat, x_zitadel_public_host="alpha.example.com:443")
    assert (await call(mw, info, req, same))[0] is not None
    other = md(world.a.pat, x_zitadel_public_host="login.example.org")
    _, ctx = await call(mw, info, req, other)
    assert ctx.code == grpc.StatusCode.NOT_FOUND and ctx.detail_ids == ["QUERY-IuGh1"]
    assert 'public domain "login.example.org" not trusted' in ctx.message
    await TrustedDomains(world.db).add(world.a.instance_id, "Login.Example.org")
    caller, _ = await call(mw, info, req, other)
    assert caller.instance_id == world.a.instance_id
    # trusted for alpha only
    _, ctx = await call(
        mw, info, req, md(world.b.pat, host="beta.example.com", x_zitadel_public_host="login.example.org")
    )
    assert ctx.detail_ids == ["QUERY-IuGh1"]


async def test_single_instance_mode_skips_host_matching(world: World) -> None:
    info, req = list_projects()
    for default in (world.a.instance_id, "alpha.example.com"):
        mw = TenancyMiddleware(world.db, default_instance_id=default)
        caller, _ = await call(mw, info, req, md(world.a.pat, host="whatever.internal:8080"))
        assert caller.instance_id == world.a.instance_id
        _, ctx = await call(mw, info, req, md(world.b.pat, host="beta.example.com"))
        assert ctx.code == grpc.StatusCode.UNAUTHENTICATED  # beta's token never acts on alpha
    mw = TenancyMiddleware(world.db, default_instance_id="999")
    _, ctx = await call(mw, info, req, md(world.a.pat))
    assert ctx.code == grpc.StatusCode.NOT_FOUND


# -- tokens --------------------------------------------------------------------------------------------


async def test_missing_invalid_expired_and_foreign_tokens(world: World) -> None:
    mw = TenancyMiddleware(world.db)
    info, req = list_projects()
    _, ctx = await call(mw, info, req, md(None))
    assert (ctx.code, ctx.message, ctx.detail_ids) == (
        grpc.StatusCode.UNAUTHENTICATED,
        "auth header missing",
        [],
    )
    for token in ("not-a-token", world.expired, world.b.pat, "a.b.c"):
        _, ctx = await call(mw, info, req, md(token))
        assert ctx.code == grpc.StatusCode.UNAUTHENTICATED, token
        assert ctx.message == "Errors.Token.Invalid (AUTH-7fs1e)"
        assert ctx.detail_ids == ["AUTH-7fs1e"]
    caller, _ = await call(mw, info, req, md(world.b.pat, host="beta.example.com"))
    assert caller.instance_id == world.b.instance_id


async def test_caller_is_reset_after_the_call_and_healthz_is_unwrapped(world: World) -> None:
    mw = TenancyMiddleware(world.db)
    info, req = list_projects()
    assert (await call(mw, info, req, md(world.a.pat)))[0] is not None
    with pytest.raises(LookupError):
        current_caller()
    healthz = method(MGMT, "Healthz")
    assert mw.wrap(healthz, seen_caller) is seen_caller
    other = method("zitadel.system.v1.SystemService", "ListInstances")
    assert mw.wrap(other, seen_caller) is seen_caller


# -- org context ---------------------------------------------------------------------------------------


async def test_org_header(world: World) -> None:
    mw = TenancyMiddleware(world.db)
    info, req = list_projects()
    caller, _ = await call(mw, info, req, md(world.a.pat, x_zitadel_orgid=world.org2))
    assert caller.org_id == world.org2
    assert "project.read" in caller.permissions  # IAM_OWNER holds it in every org
    foreign_org = world.b.org_id
    for bad in ("123456789", "not an id!", "x" * 300, foreign_org):
        _, ctx = await call(mw, info, req, md(world.a.pat, x_zitadel_orgid=bad))
        assert ctx.code == grpc.StatusCode.PERMISSION_DENIED, bad
        assert ctx.message == "Organisation doesn't exist (AUTH-Bs7Ds)"
        assert ctx.detail_ids == ["AUTH-Bs7Ds"]


async def test_org_membership_counts_only_in_its_org(world: World) -> None:
    mw = TenancyMiddleware(world.db)
    info, req = list_projects()
    _, ctx = await call(mw, info, req, md(world.org2_owner))
    assert ctx.code == grpc.StatusCode.PERMISSION_DENIED and ctx.detail_ids == ["AUTH-5mWD2"]
    caller, _ = await call(mw, info, req, md(world.org2_owner, x_zitadel_orgid=world.org2))
    assert caller.org_id == world.org2 and caller.can("project.create")


# -- permissions ---------------------------------------------------------------------------------------


async def test_no_matching_permission(world: World) -> None:
    mw = TenancyMiddleware(world.db)
    info, req = list_projects()
    _, ctx = await call(mw, info, req, md(world.no_roles))
    assert ctx.code == grpc.StatusCode.PERMISSION_DENIED
    assert ctx.message == "No matching permissions found (AUTH-5mWD2)"
    assert ctx.detail_ids == ["AUTH-5mWD2"]


async def test_project_scoped_permission_honours_the_check_field(world: World) -> None:
    mw = TenancyMiddleware(world.db)
    get_project = method(MGMT, "GetProjectByID")
    caller, _ = await call(
        mw, get_project, management_pb2.GetProjectByIDRequest(id=world.project1), md(world.project_owner)
    )
    assert caller.permissions == frozenset()
    assert caller.can("project.read", world.project1) and not caller.can("project.read", world.project2)
    _, ctx = await call(
        mw, get_project, management_pb2.GetProjectByIDRequest(id=world.project2), md(world.project_owner)
    )
    assert ctx.code == grpc.StatusCode.PERMISSION_DENIED and ctx.detail_ids == ["AUTH-3jknH"]
    list_apps = method(MGMT, "ListApps")
    ok, _ = await call(
        mw, list_apps, management_pb2.ListAppsRequest(project_id=world.project1), md(world.project_owner)
    )
    assert ok is not None
    _, ctx = await call(
        mw, list_apps, management_pb2.ListAppsRequest(project_id=world.project2), md(world.project_owner)
    )
    assert ctx.detail_ids == ["AUTH-3jknH"]
    # no check field: a project-scoped permission passes, the servicer filters
    assert (await call(mw, *list_projects(), md(world.project_owner)))[0] is not None
    _, ctx = await call(
        mw, method(MGMT, "AddProject"), management_pb2.AddProjectRequest(name="x"), md(world.project_owner)
    )
    assert ctx.detail_ids == ["AUTH-5mWD2"]
    # org/instance-level permissions pass any check field
    caller, _ = await call(
        mw, get_project, management_pb2.GetProjectByIDRequest(id=world.project2), md(world.a.pat)
    )
    assert caller is not None


# -- instance v2 + system users ------------------------------------------------------------------------


SYSTEM_OWNER_ONLY = (Membership(),)


def system_user(memberships=SYSTEM_OWNER_ONLY) -> tuple[SystemUser, bytes]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    return SystemUser("sysuser", key.public_key(), tuple(memberships)), pem


async def test_system_jwt_on_instance_v2(world: World) -> None:
    user, pem = system_user()
    mw = TenancyMiddleware(world.db, system_verifier=SystemTokenVerifier({user.user_id: user}, EXTERNAL_URL))
    token = mint_system_token(user.user_id, pem, EXTERNAL_URL)
    get_instance = method(INSTANCE_V2, "GetInstance")
    caller, _ = await call(
        mw, get_instance, v2.GetInstanceRequest(instance_id=world.b.instance_id), md(token)
    )
    assert caller.instance_id == world.b.instance_id and caller.org_id == world.b.org_id
    assert caller.can("system.instance.read") and caller.can("iam.write") and caller.can("project.delete")
    caller, _ = await call(mw, get_instance, v2.GetInstanceRequest(), md(token))
    assert caller.instance_id == world.a.instance_id  # no instance_id: the host decides
    list_instances = method(INSTANCE_V2, "ListInstances")
    assert (await call(mw, list_instances, v2.ListInstancesRequest(), md(token)))[0] is not None
    _, ctx = await call(mw, list_instances, v2.ListInstancesRequest(), md(world.a.pat))
    assert ctx.detail_ids == ["AUTH-5mWD2"]  # a PAT holds no system permission
    _, ctx = await call(
        mw, get_instance, v2.GetInstanceRequest(instance_id=world.b.instance_id), md(world.a.pat)
    )
    assert ctx.code == grpc.StatusCode.UNAUTHENTICATED  # alpha's PAT never acts on beta
    _, ctx = await call(mw, get_instance, v2.GetInstanceRequest(instance_id="424242"), md(token))
    assert ctx.code == grpc.StatusCode.NOT_FOUND and ctx.detail_ids == ["QUERY-1kIjX"]
    wrong_audience = mint_system_token(user.user_id, pem, "http://elsewhere:1")
    _, ctx = await call(mw, get_instance, v2.GetInstanceRequest(), md(wrong_audience))
    assert ctx.code == grpc.StatusCode.UNAUTHENTICATED and "APP-Zxfako" in ctx.message
    # without a verifier a JWT is just an unknown token
    _, ctx = await call(TenancyMiddleware(world.db), get_instance, v2.GetInstanceRequest(), md(token))
    assert ctx.message == "Errors.Token.Invalid (AUTH-7fs1e)"


async def test_system_user_iam_membership_applies_on_its_instance_only(world: World) -> None:
    user, pem = system_user([Membership("IAM", ("IAM_OWNER_VIEWER",), world.a.instance_id)])
    mw = TenancyMiddleware(world.db, system_verifier=SystemTokenVerifier({user.user_id: user}, EXTERNAL_URL))
    token = mint_system_token(user.user_id, pem, EXTERNAL_URL)
    info, req = list_projects()
    caller, _ = await call(mw, info, req, md(token))
    assert caller.can("project.read") and not caller.can("project.write")
    _, ctx = await call(mw, info, req, md(token, host="beta.example.com"))
    assert ctx.detail_ids == ["AUTH-5mWD2"]


# -- header parsing ------------------------------------------------------------------------------------


def test_strip_port_and_forwarded_host() -> None:
    assert strip_port(" Example.COM:8080 ") == "example.com"
    assert strip_port("[::1]:8080") == "::1"
    assert strip_port("::1") == "::1"
    assert strip_port("") == ""
    assert forwarded_host('for=a;Host="x.example:1";proto=https, host=y') == "x.example:1"
    assert forwarded_host("for=a") == ""


async def test_memberships_of_other_instances_do_not_leak(world: World) -> None:
    """An IAM membership row with alpha's user but beta's aggregate must not count on alpha."""
    async with world.db.write() as conn:
        now = utcnow()
        user_id = (
            await conn.execute(
                sa.select(m.personal_access_tokens.c.user_id).where(
                    m.personal_access_tokens.c.token_hash == pat_hash(world.no_roles)
                )
            )
        ).scalar_one()
        await conn.execute(
            m.memberships.insert().values(
                level="iam",
                aggregate_id=world.b.instance_id,
                user_id=user_id,
                instance_id=world.a.instance_id,
                roles=["IAM_OWNER"],
                sequence=1,
                creation_date=now,
                change_date=now,
            )
        )
    _, ctx = await call(TenancyMiddleware(world.db), *list_projects(), md(world.no_roles))
    assert ctx.detail_ids == ["AUTH-5mWD2"]
