"""The System API through all four doors: same data, same errors, over real sockets."""

from __future__ import annotations

import asyncio
import uuid

import aiohttp
import grpc
import pytest
from google.protobuf import json_format

from door_clients import DOORS, DoorClient
from zitadel import instance_pb2, object_pb2, system_pb2

SYSTEM = "zitadel.system.v1.SystemService"


@pytest.fixture(scope="session")
async def session():
    async with aiohttp.ClientSession() as s:
        yield s


@pytest.fixture(scope="session")
async def channel(server):
    async with grpc.aio.insecure_channel(server.grpc) as ch:
        yield ch


@pytest.fixture(scope="session")
async def doors(server, session, channel) -> DoorClient:
    return DoorClient(server, session, channel)


@pytest.fixture(scope="session")
def token(server) -> str:
    return server.system_token()


def unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


async def rest(session, server, method: str, path: str, token: str | None = None, json=None, headers=None):
    hdrs = dict(headers or {})
    if token:
        hdrs["Authorization"] = f"Bearer {token}"
    async with session.request(method, server.http + path, json=json, headers=hdrs) as resp:
        body = await resp.read()
        return resp.status, resp.headers, body


async def create_instance(doors, token, door="grpc", **fields) -> system_pb2.CreateInstanceResponse:
    request = system_pb2.CreateInstanceRequest(
        instance_name=fields.pop("instance_name", unique("inst")),
        machine=system_pb2.CreateInstanceRequest.Machine(
            user_name="sa",
            name="SA",
            personal_access_token=system_pb2.CreateInstanceRequest.PersonalAccessToken(),
        ),
        **fields,
    )
    out = await doors.call(door, SYSTEM, "CreateInstance", request, system_pb2.CreateInstanceResponse, token)
    assert out.code == grpc.StatusCode.OK, (out.code, out.message)
    return out.response


@pytest.mark.parametrize("door", DOORS)
async def test_get_instance_is_the_same_through_every_door(doors, session, server, token, door):
    created = await create_instance(doors, token, custom_domain=f"{unique('login')}.example.com")
    status, _, body = await rest(session, server, "GET", f"/system/v1/instances/{created.instance_id}", token)
    assert status == 200, body
    via_rest = json_format.Parse(body, system_pb2.GetInstanceResponse())

    out = await doors.call(
        door,
        SYSTEM,
        "GetInstance",
        system_pb2.GetInstanceRequest(instance_id=created.instance_id),
        system_pb2.GetInstanceResponse,
        token,
    )
    assert out.code == grpc.StatusCode.OK, out.message
    assert out.response == via_rest
    instance = out.response.instance
    assert instance.id == created.instance_id
    assert instance.state == instance_pb2.STATE_RUNNING
    assert {d.generated for d in instance.domains} == {True, False}
    assert all(d.details.resource_owner == instance.id for d in instance.domains)


@pytest.mark.parametrize("door", DOORS)
async def test_create_instance_returns_a_pat_through_every_door(doors, token, door):
    created = await create_instance(doors, token, door=door)
    assert created.instance_id and created.pat
    assert created.details.sequence > 0 and created.details.resource_owner == created.instance_id


async def test_rest_json_follows_zitadel_conventions(doors, session, server, token):
    created = await create_instance(doors, token)
    status, headers, body = await rest(
        session, server, "GET", f"/system/v1/instances/{created.instance_id}", token
    )
    assert status == 200 and headers["Content-Type"].startswith("application/json")
    import json

    doc = json.loads(body)["instance"]
    assert doc["state"] == "STATE_RUNNING"  # enums by name
    assert isinstance(doc["details"]["sequence"], str)  # uint64 as string
    assert doc["details"]["creationDate"].endswith("Z")  # camelCase, RFC 3339 UTC
    custom = [d for d in doc["domains"] if not d.get("generated")]
    assert custom == [] or all("primary" not in d for d in custom)  # false is omitted


@pytest.mark.parametrize("door", DOORS)
async def test_unknown_instance_is_not_found_with_error_detail(doors, token, door):
    out = await doors.call(
        door,
        SYSTEM,
        "GetInstance",
        system_pb2.GetInstanceRequest(instance_id="123456789"),
        system_pb2.GetInstanceResponse,
        token,
    )
    assert out.code == grpc.StatusCode.NOT_FOUND
    assert out.message == "Instance not found (QUERY-1kIjX)"
    assert out.error_ids == ["QUERY-1kIjX"]


@pytest.mark.parametrize("door", DOORS)
async def test_validation_error_is_invalid_argument(doors, token, door):
    request = system_pb2.CreateInstanceRequest(
        instance_name="", machine=system_pb2.CreateInstanceRequest.Machine()
    )
    out = await doors.call(door, SYSTEM, "CreateInstance", request, system_pb2.CreateInstanceResponse, token)
    assert out.code == grpc.StatusCode.INVALID_ARGUMENT
    reason = "value length must be between 1 and 200 runes, inclusive"
    assert out.message == f"invalid CreateInstanceRequest.InstanceName: {reason}"
    assert out.details == []


@pytest.mark.parametrize("door", DOORS)
async def test_missing_token_is_unauthenticated(doors, door):
    out = await doors.call(
        door,
        SYSTEM,
        "ListInstances",
        system_pb2.ListInstancesRequest(),
        system_pb2.ListInstancesResponse,
        None,
    )
    assert out.code == grpc.StatusCode.UNAUTHENTICATED
    assert out.message == "auth header missing"


@pytest.mark.parametrize("door", DOORS)
async def test_healthz_needs_no_token(doors, door):
    out = await doors.call(
        door, SYSTEM, "Healthz", system_pb2.HealthzRequest(), system_pb2.HealthzResponse, None
    )
    assert out.code == grpc.StatusCode.OK


@pytest.mark.parametrize("door", DOORS)
async def test_unchanged_name_is_failed_precondition(doors, token, door):
    name = unique("same")
    created = await create_instance(doors, token, instance_name=name)
    request = system_pb2.UpdateInstanceRequest(instance_id=created.instance_id, instance_name=name)
    out = await doors.call(door, SYSTEM, "UpdateInstance", request, system_pb2.UpdateInstanceResponse, token)
    assert out.code == grpc.StatusCode.FAILED_PRECONDITION
    assert out.message.startswith("Instance not changed (")


# -- REST error table -----------------------------------------------------------------------------


async def test_rest_error_statuses_and_bodies(doors, session, server, token):
    import json

    created = await create_instance(doors, token)
    iid = created.instance_id
    domain = f"{unique('dup')}.example.com"

    status, _, body = await rest(session, server, "GET", "/system/v1/instances/123456789", token)
    assert status == 404
    assert json.loads(body) == {
        "code": 5,
        "message": "Instance not found (QUERY-1kIjX)",
        "details": [
            {
                "@type": "type.googleapis.com/zitadel.v1.ErrorDetail",
                "id": "QUERY-1kIjX",
                "message": "Instance not found",
            }
        ],
    }
    status, _, body = await rest(
        session, server, "POST", f"/system/v1/instances/{iid}/domains", token, {"domain": domain}
    )
    assert status == 200, body
    status, _, body = await rest(
        session, server, "POST", f"/system/v1/instances/{iid}/domains", token, {"domain": domain}
    )
    assert status == 409 and json.loads(body)["code"] == 6

    status, headers, body = await rest(session, server, "POST", "/system/v1/instances/_search", None, {})
    assert status == 401 and json.loads(body) == {"code": 16, "message": "auth header missing"}
    assert headers["WWW-Authenticate"] == "auth header missing"

    status, _, body = await rest(
        session, server, "POST", "/system/v1/instances/_search", token, {"query": {"limit": 1001}}
    )
    assert status == 400 and "(QUERY-4M0fs)" in json.loads(body)["message"]

    status, _, body = await rest(
        session, server, "PUT", f"/system/v1/instances/{iid}", token, {"instanceName": ""}
    )
    assert status == 400 and json.loads(body)["message"].startswith(
        "invalid UpdateInstanceRequest.InstanceName"
    )

    status, _, body = await rest(session, server, "GET", "/system/v1/no/such/route", token)
    assert status == 404 and json.loads(body) == {"code": 5, "message": "Not Found"}

    status, headers, body = await rest(session, server, "PATCH", "/system/v1/instances/_search", token)
    assert status == 405 and json.loads(body)["code"] == 12 and "POST" in headers["Allow"]

    async with session.post(
        server.http + "/system/v1/instances/_search",
        data=b"{not json",
        headers={"Authorization": f"Bearer {token}"},
    ) as resp:
        assert resp.status == 400 and (await resp.json())["code"] == 3


async def test_rest_domain_lifecycle(doors, session, server, token):
    import json

    created = await create_instance(doors, token)
    iid = created.instance_id
    domain = f"{unique('shop')}.example.com"
    status, _, _ = await rest(
        session, server, "POST", f"/system/v1/instances/{iid}/domains", token, {"domain": domain}
    )
    assert status == 200
    status, _, body = await rest(
        session, server, "POST", f"/system/v1/instances/{iid}/domains/_set_primary", token, {"domain": domain}
    )
    assert status == 200, body
    status, _, body = await rest(
        session,
        server,
        "POST",
        f"/system/v1/instances/{iid}/domains/_search",
        token,
        {"queries": [{"primaryQuery": {"primary": True}}]},
    )
    assert status == 200
    listed = json.loads(body)
    assert [d["domain"] for d in listed["result"]] == [domain]
    assert listed["details"]["totalResult"] == "1"
    status, _, body = await rest(
        session, server, "DELETE", f"/system/v1/instances/{iid}/domains/{domain}", token
    )
    assert status == 400, "the primary domain cannot be removed"
    status, _, body = await rest(session, server, "DELETE", f"/system/v1/instances/{iid}", token)
    assert status == 200 and json.loads(body)["details"]["resourceOwner"] == iid
    status, _, _ = await rest(session, server, "GET", f"/system/v1/instances/{iid}", token)
    assert status == 404


async def test_concurrent_create_instance_loses_nothing(doors, token):
    prefix = unique("burst")
    names = [f"{prefix}-{i}" for i in range(24)]
    door_cycle = ["grpc", "connect-json", "grpc-web"]

    async def create(i, name):
        return await create_instance(doors, token, door=door_cycle[i % 3], instance_name=name)

    created = await asyncio.gather(*(create(i, n) for i, n in enumerate(names)))
    assert len({c.instance_id for c in created}) == len(names)
    out = await doors.call(
        "grpc",
        SYSTEM,
        "ListInstances",
        system_pb2.ListInstancesRequest(
            query=object_pb2.ListQuery(limit=1000),
            queries=[
                instance_pb2.Query(id_query=instance_pb2.IdsQuery(ids=[c.instance_id for c in created]))
            ],
        ),
        system_pb2.ListInstancesResponse,
        token,
    )
    assert out.code == grpc.StatusCode.OK
    assert sorted(i.name for i in out.response.result) == sorted(names)
    assert out.response.details.total_result == len(names)


# -- auth ---------------------------------------------------------------------------------------------


async def test_token_for_another_audience_is_rejected(doors, server):
    from ztn.auth.keys import system_token_for_data_dir

    wrong = system_token_for_data_dir(server.data_dir, "http://localhost:1")
    out = await doors.call(
        "grpc",
        SYSTEM,
        "ListInstances",
        system_pb2.ListInstancesRequest(),
        system_pb2.ListInstancesResponse,
        wrong,
    )
    assert out.code == grpc.StatusCode.UNAUTHENTICATED
    assert "audience" in out.message


async def test_garbage_token_is_unauthenticated_over_rest(session, server):
    status, _, body = await rest(session, server, "POST", "/system/v1/instances/_search", "not-a-jwt", {})
    assert status == 401


async def test_browser_preflight_and_exposed_status_headers(session, server, token):
    origin = "https://console.example.com"
    async with session.options(
        server.http + f"/{SYSTEM}/GetInstance",
        headers={
            "Origin": origin,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type,x-grpc-web,x-user-agent,authorization",
        },
    ) as resp:
        assert resp.status in (200, 204)
        assert resp.headers["Access-Control-Allow-Origin"] == origin
        allowed = {h.strip().lower() for h in resp.headers["Access-Control-Allow-Headers"].split(",")}
        assert {"content-type", "x-grpc-web", "x-user-agent", "authorization"} <= allowed
    payload = system_pb2.GetInstanceRequest(instance_id="123").SerializeToString()
    async with session.post(
        server.http + f"/{SYSTEM}/GetInstance",
        data=b"\x00" + len(payload).to_bytes(4, "big") + payload,
        headers={
            "Origin": origin,
            "Content-Type": "application/grpc-web+proto",
            "Authorization": f"Bearer {token}",
        },
    ) as resp:
        assert resp.headers["Access-Control-Allow-Origin"] == origin
        exposed = {h.strip().lower() for h in resp.headers["Access-Control-Expose-Headers"].split(",")}
        assert {"grpc-status", "grpc-message", "grpc-status-details-bin"} <= exposed
