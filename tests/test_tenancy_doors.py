"""Tenancy end to end: instance, token and org errors through every door of a real server."""

from __future__ import annotations

import uuid
from typing import NamedTuple

import aiohttp
import grpc
import orjson
import pytest

from door_clients import DOORS, DoorClient
from zitadel import management_pb2, system_pb2
from zitadel.instance.v2 import instance_service_pb2 as v2

MGMT = "zitadel.management.v1.ManagementService"
SYSTEM = "zitadel.system.v1.SystemService"
INSTANCE_V2 = "zitadel.instance.v2.InstanceService"
LOCAL = {"x-zitadel-instance-host": "localhost"}


@pytest.fixture(scope="module")
async def session():
    async with aiohttp.ClientSession() as s:
        yield s


@pytest.fixture(scope="module")
async def channel(server):
    async with grpc.aio.insecure_channel(server.grpc) as ch:
        yield ch


@pytest.fixture(scope="module")
async def doors(server, session, channel) -> DoorClient:
    return DoorClient(server, session, channel)


class Other(NamedTuple):
    instance_id: str
    pat: str
    custom_domain: str


@pytest.fixture(scope="module")
async def other(doors, server) -> Other:
    """A second instance with its own machine user PAT and a custom domain."""
    request = system_pb2.CreateInstanceRequest(
        instance_name=f"tenancy-{uuid.uuid4().hex[:8]}",
        custom_domain=f"t-{uuid.uuid4().hex[:8]}.example.com",
        machine=system_pb2.CreateInstanceRequest.Machine(
            user_name="sa", personal_access_token=system_pb2.CreateInstanceRequest.PersonalAccessToken()
        ),
    )
    out = await doors.call(
        "grpc", SYSTEM, "CreateInstance", request, system_pb2.CreateInstanceResponse, server.system_token()
    )
    assert out.code == grpc.StatusCode.OK, out.message
    return Other(out.response.instance_id, out.response.pat, request.custom_domain)


def list_projects(doors, door, token=None, headers=None):
    return doors.call(
        door,
        MGMT,
        "ListProjects",
        management_pb2.ListProjectsRequest(),
        management_pb2.ListProjectsResponse,
        token,
        headers,
    )


@pytest.mark.parametrize("door", DOORS)
async def test_unknown_host_is_not_found(doors, server, door):
    unknown = {"x-zitadel-instance-host": "nope.example.com"}
    out = await list_projects(doors, door, server.admin_pat(), unknown)
    assert out.code == grpc.StatusCode.NOT_FOUND
    assert "QUERY-1kIjX" in out.message and out.error_ids == ["QUERY-1kIjX"]


@pytest.mark.parametrize("door", DOORS)
async def test_missing_and_invalid_tokens(doors, door):
    out = await list_projects(doors, door, None, LOCAL)
    assert (out.code, out.message) == (grpc.StatusCode.UNAUTHENTICATED, "auth header missing")
    assert out.error_ids == []
    out = await list_projects(doors, door, "bogus", LOCAL)
    assert out.code == grpc.StatusCode.UNAUTHENTICATED
    assert out.message == "Errors.Token.Invalid (AUTH-7fs1e)" and out.error_ids == ["AUTH-7fs1e"]


@pytest.mark.parametrize("door", DOORS)
async def test_unknown_org_and_token_of_another_instance(doors, server, other, door):
    out = await list_projects(doors, door, server.admin_pat(), {**LOCAL, "x-zitadel-orgid": "4711"})
    assert out.code == grpc.StatusCode.PERMISSION_DENIED
    assert out.message == "Organisation doesn't exist (AUTH-Bs7Ds)" and out.error_ids == ["AUTH-Bs7Ds"]
    out = await list_projects(doors, door, other.pat, LOCAL)
    assert out.code == grpc.StatusCode.UNAUTHENTICATED and out.error_ids == ["AUTH-7fs1e"]


@pytest.mark.parametrize("door", DOORS)
async def test_instance_v2_by_host_and_by_system_jwt(doors, server, other, door):
    host = {"x-zitadel-instance-host": other.custom_domain}
    out = await doors.call(
        door, INSTANCE_V2, "GetInstance", v2.GetInstanceRequest(), v2.GetInstanceResponse, other.pat, host
    )
    assert out.code == grpc.StatusCode.OK, out.message
    assert out.response.instance.id == other.instance_id
    out = await doors.call(
        door,
        INSTANCE_V2,
        "GetInstance",
        v2.GetInstanceRequest(instance_id=other.instance_id),
        v2.GetInstanceResponse,
        server.system_token(),
        LOCAL,
    )
    assert out.code == grpc.StatusCode.OK, out.message
    assert out.response.instance.id == other.instance_id
    out = await doors.call(
        door,
        INSTANCE_V2,
        "GetInstance",
        v2.GetInstanceRequest(instance_id=other.instance_id),
        v2.GetInstanceResponse,
        server.admin_pat(),
        LOCAL,
    )
    assert out.code == grpc.StatusCode.UNAUTHENTICATED  # the first instance's PAT never acts on another


async def test_rest_uses_the_host_header_and_checks_auth_before_validation(session, server):
    url = server.http + "/management/v1/projects/_search"
    async with session.post(url, json={}, headers={"Host": "localhost:1234"}) as resp:
        assert resp.status == 401
        assert orjson.loads(await resp.read()) == {"code": 16, "message": "auth header missing"}
    async with session.post(url, json={}, headers={"Host": "elsewhere.example.com"}) as resp:
        assert resp.status == 404
        body = orjson.loads(await resp.read())
        assert body["code"] == 5 and body["details"][0]["id"] == "QUERY-1kIjX"
    # invalid body (project_id empty) without a token: 401, not 400
    apps = server.http + "/management/v1/projects/%20/apps/_search"
    async with session.post(apps, json={}, headers={"Host": "localhost"}) as resp:
        assert resp.status == 401
    async with session.post(
        url, json={}, headers={"Host": "localhost", "Authorization": "Bearer x", "x-zitadel-orgid": "abc"}
    ) as resp:
        assert resp.status == 401  # token before org


async def test_healthz_needs_no_instance_or_token(doors):
    out = await doors.call(
        "connect-json", MGMT, "Healthz", management_pb2.HealthzRequest(), management_pb2.HealthzResponse
    )
    assert out.code == grpc.StatusCode.OK


@pytest.mark.parametrize("door", DOORS)
async def test_admin_pat_reaches_the_management_servicer(doors, server, door):
    out = await list_projects(doors, door, server.admin_pat(), LOCAL)
    assert out.code == grpc.StatusCode.OK, out.message
