"""Management API actions v1 and flows end to end: REST JSON shapes (spec §6.5), native gRPC, grpc-web and
Connect, legacy flow/trigger aliases, wrong triggers, validation, org and instance isolation."""

from __future__ import annotations

import uuid
from typing import Any

import aiohttp
import grpc
import orjson
import pytest

from door_clients import DOORS, DoorClient
from zitadel import action_pb2, management_pb2, management_pb2_grpc, message_pb2, system_pb2
from ztn.domain.ids import new_id
from ztn.store import accounts_repo
from ztn.store.db import open_database
from ztn.store.events import EventLog
from ztn.store.models import utcnow

MGMT = "zitadel.management.v1.ManagementService"
SYSTEM = "zitadel.system.v1.SystemService"
SCRIPT = "function addClaims(ctx, api) { api.v1.claims.setClaim('k', 'v') }"

FLOW_TYPES_JSON = {
    "result": [
        {
            "id": "1",
            "name": {
                "key": "Action.Flow.Type.ExternalAuthentication",
                "localizedMessage": "External Authentication",
            },
        },
        {
            "id": "2",
            "name": {"key": "Action.Flow.Type.CustomiseToken", "localizedMessage": "Complement Token"},
        },
        {
            "id": "3",
            "name": {
                "key": "Action.Flow.Type.InternalAuthentication",
                "localizedMessage": "Internal Authentication",
            },
        },
        {
            "id": "4",
            "name": {
                "key": "Action.Flow.Type.CustomizeSAMLResponse",
                "localizedMessage": "Complement SAMLResponse",
            },
        },
    ]
}
PRE_ACCESS_TOKEN = {
    "id": "5",
    "name": {
        "key": "Action.TriggerType.PreAccessTokenCreation",
        "localizedMessage": "Pre access token creation",
    },
}


def unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


class Tenant:
    """Who a call acts as: the instance (by host header), the PAT and optionally an org header."""

    def __init__(self, host: str, pat: str, org_id: str = "") -> None:
        self.host, self.pat, self.org_id = host, pat, org_id

    def headers(self, org_id: str | None = None) -> dict[str, str]:
        out = {"x-zitadel-instance-host": self.host, "authorization": f"Bearer {self.pat}"}
        if org_id:
            out["x-zitadel-orgid"] = org_id
        return out


@pytest.fixture(scope="module")
async def session():
    async with aiohttp.ClientSession() as s:
        yield s


@pytest.fixture(scope="module")
async def channel(server):
    async with grpc.aio.insecure_channel(server.grpc) as ch:
        yield ch


@pytest.fixture(scope="module")
def stub(channel) -> management_pb2_grpc.ManagementServiceStub:
    return management_pb2_grpc.ManagementServiceStub(channel)


@pytest.fixture(scope="module")
def doors(server, session, channel) -> DoorClient:
    return DoorClient(server, session, channel)


@pytest.fixture(scope="module")
def admin(server) -> Tenant:
    """The first instance (generated domain "localhost") and its IAM_OWNER PAT."""
    return Tenant("localhost", server.admin_pat())


class Rest:
    def __init__(self, server, session: aiohttp.ClientSession) -> None:
        self.server, self.session = server, session

    async def __call__(
        self, tenant: Tenant, method: str, path: str, body: Any = None, org_id: str | None = None
    ) -> tuple[int, dict[str, Any]]:
        data = None if body is None else orjson.dumps(body)
        headers = tenant.headers(org_id)
        if data is not None:
            headers["content-type"] = "application/json"
        url = f"{self.server.http}/management/v1{path}"
        async with self.session.request(method, url, data=data, headers=headers) as resp:
            raw = await resp.read()
        return resp.status, orjson.loads(raw) if raw else {}


@pytest.fixture(scope="module")
def rest(server, session) -> Rest:
    return Rest(server, session)


async def new_tenant(doors: DoorClient, server, rest: Rest) -> Tenant:
    """A fresh instance reached by its custom domain; its org id is learnt from a created action."""
    host = f"{unique('actions')}.example.test"
    request = system_pb2.CreateInstanceRequest(
        instance_name=unique("inst"),
        custom_domain=host,
        machine=system_pb2.CreateInstanceRequest.Machine(
            user_name="sa",
            name="SA",
            personal_access_token=system_pb2.CreateInstanceRequest.PersonalAccessToken(),
        ),
    )
    out = await doors.call(
        "grpc", SYSTEM, "CreateInstance", request, system_pb2.CreateInstanceResponse, server.system_token()
    )
    assert out.code == grpc.StatusCode.OK, (out.code, out.message)
    tenant = Tenant(host, out.response.pat)
    status, body = await rest(tenant, "POST", "/actions", {"name": "probe", "script": SCRIPT})
    assert status == 200, body
    tenant.org_id = body["details"]["resourceOwner"]
    return tenant


@pytest.fixture
async def tenant(doors, server, rest) -> Tenant:
    return await new_tenant(doors, server, rest)


async def create(rest: Rest, tenant: Tenant, name: str, **fields: Any) -> str:
    status, body = await rest(tenant, "POST", "/actions", {"name": name, "script": SCRIPT, **fields})
    assert status == 200, body
    return body["id"]


def error_id(body: dict[str, Any]) -> str:
    return body["details"][0]["id"]


# --- actions over REST -------------------------------------------------------------------------------


async def test_create_action_returns_add_details_then_id(rest: Rest, admin: Tenant) -> None:
    status, body = await rest(
        admin, "POST", "/actions", {"name": unique("addClaims"), "script": SCRIPT, "timeout": "10s"}
    )
    assert status == 200, body
    assert list(body) == ["details", "id"]  # details is field 1, id field 2
    assert set(body["details"]) == {"sequence", "creationDate", "resourceOwner"}
    assert body["details"]["sequence"] == "1"  # int64 as a string


async def test_get_action_json_omits_zero_values_and_names_enums(rest: Rest, admin: Tenant) -> None:
    name = unique("addClaims")
    action_id = await create(rest, admin, name, timeout="10s", allowedToFail=True)
    status, body = await rest(admin, "GET", f"/actions/{action_id}")
    assert status == 200, body
    action = body["action"]
    assert action == {
        "id": action_id,
        "details": action["details"],
        "state": "ACTION_STATE_ACTIVE",
        "name": name,
        "script": SCRIPT,
        "timeout": "10s",
        "allowedToFail": True,
    }
    assert set(action["details"]) == {"sequence", "creationDate", "changeDate", "resourceOwner"}
    plain = await create(rest, admin, unique("plain"))
    status, body = await rest(admin, "GET", f"/actions/{plain}")
    assert "allowedToFail" not in body["action"]
    assert body["action"]["timeout"] == "20s"  # unset timeout reads as ZITADEL's 20s maximum


async def test_update_deactivate_reactivate_delete(rest: Rest, admin: Tenant) -> None:
    action_id = await create(rest, admin, unique("life"))
    renamed = unique("renamed")
    change = {"name": renamed, "script": SCRIPT, "timeout": "1.500s"}
    status, body = await rest(admin, "PUT", f"/actions/{action_id}", change)
    assert status == 200 and set(body["details"]) == {"sequence", "changeDate", "resourceOwner"}, body
    status, body = await rest(admin, "PUT", f"/actions/{action_id}", change)
    assert (status, body["code"], error_id(body)) == (400, 9, "ACTION-dg4t2")
    status, body = await rest(admin, "GET", f"/actions/{action_id}")
    assert (body["action"]["name"], body["action"]["timeout"]) == (renamed, "1.500s")

    assert (await rest(admin, "POST", f"/actions/{action_id}/_deactivate", {}))[0] == 200
    status, body = await rest(admin, "POST", f"/actions/{action_id}/_deactivate", {})
    assert (status, body["code"], error_id(body)) == (400, 9, "COMMAND-Dgj92")
    assert (await rest(admin, "GET", f"/actions/{action_id}"))[1]["action"][
        "state"
    ] == "ACTION_STATE_INACTIVE"
    assert (await rest(admin, "POST", f"/actions/{action_id}/_reactivate", {}))[0] == 200
    status, body = await rest(admin, "POST", f"/actions/{action_id}/_reactivate", {})
    assert (status, error_id(body)) == (400, "COMMAND-J53zh")

    status, body = await rest(admin, "DELETE", f"/actions/{action_id}", {})  # a DELETE with a body
    assert (status, body) == (200, {})
    status, body = await rest(admin, "GET", f"/actions/{action_id}")
    assert (status, body["code"], error_id(body)) == (404, 5, "QUERY-GEfnb")
    assert body["message"] == "Action not found (QUERY-GEfnb)"
    status, body = await rest(admin, "DELETE", f"/actions/{action_id}")  # and one without
    assert (status, error_id(body)) == (404, "COMMAND-Dgh4h")


async def test_duplicate_name_in_the_org_already_exists(rest: Rest, admin: Tenant) -> None:
    name = unique("dup")
    await create(rest, admin, name)
    status, body = await rest(admin, "POST", "/actions", {"name": name, "script": SCRIPT})
    assert (status, body["code"]) == (409, 6), body


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        (
            {"name": ""},
            "invalid CreateActionRequest.Name: value length must be between 1 and 200 runes, inclusive",
        ),
        ({"script": ""}, "invalid CreateActionRequest.Script: value length must be at least 1 runes"),
        (
            {"script": "x" * 40001},
            "invalid CreateActionRequest.Script: value length must be at most 40000 bytes",
        ),
        ({"timeout": "21s"}, "invalid CreateActionRequest.Timeout: value must be inside range [0s, 20s]"),
        ({"timeout": "-1s"}, "invalid CreateActionRequest.Timeout: value must be inside range [0s, 20s]"),
    ],
)
async def test_create_action_validation(
    rest: Rest, admin: Tenant, fields: dict[str, Any], message: str
) -> None:
    status, body = await rest(admin, "POST", "/actions", {"name": unique("v"), "script": SCRIPT, **fields})
    assert (status, body) == (400, {"code": 3, "message": message})


async def test_script_of_exactly_40000_bytes_and_timeout_of_20s_are_accepted(
    rest: Rest, admin: Tenant
) -> None:
    script = "/*" + "é" * 19998 + "*/"  # 40000 bytes, 20000 runes
    await create(rest, admin, unique("big"), script=script, timeout="20s")


async def test_list_actions_pages_filters_and_reports_list_details(rest: Rest, tenant: Tenant) -> None:
    for name in ("b-one", "a-two", "c-Three"):
        await create(rest, tenant, name)
    search = {"query": {"offset": "1", "limit": 2, "asc": True}, "sortingColumn": "ACTION_FIELD_NAME_NAME"}
    status, body = await rest(tenant, "POST", "/actions/_search", search)
    assert status == 200, body
    assert body["details"]["totalResult"] == "4"  # with the tenant's "probe"
    assert set(body["details"]) == {"totalResult", "processedSequence", "viewTimestamp"}
    assert [a["name"] for a in body["result"]] == ["b-one", "c-Three"]
    assert "sortingColumn" not in body
    status, body = await rest(tenant, "POST", "/actions/_search", {"query": {"limit": 1001}})
    assert (status, error_id(body)) == (400, "QUERY-4M0fs")


@pytest.mark.parametrize(
    ("method", "value", "expected"),
    [
        ("TEXT_QUERY_METHOD_EQUALS", "c-Three", ["c-Three"]),
        ("TEXT_QUERY_METHOD_EQUALS_IGNORE_CASE", "C-THREE", ["c-Three"]),
        ("TEXT_QUERY_METHOD_STARTS_WITH", "c-T", ["c-Three"]),
        ("TEXT_QUERY_METHOD_STARTS_WITH_IGNORE_CASE", "C-t", ["c-Three"]),
        ("TEXT_QUERY_METHOD_CONTAINS", "-t", ["a-two"]),
        ("TEXT_QUERY_METHOD_CONTAINS_IGNORE_CASE", "-T", ["a-two", "c-Three"]),
        ("TEXT_QUERY_METHOD_ENDS_WITH", "ee", ["c-Three"]),
        ("TEXT_QUERY_METHOD_ENDS_WITH_IGNORE_CASE", "ONE", ["b-one"]),
    ],
)
async def test_list_actions_by_name_with_every_text_method(
    rest: Rest, doors: DoorClient, server, method: str, value: str, expected: list[str]
) -> None:
    tenant = await new_tenant(doors, server, rest)
    for name in ("b-one", "a-two", "c-Three"):
        await create(rest, tenant, name)
    search = {
        "sortingColumn": "ACTION_FIELD_NAME_NAME",
        "query": {"asc": True},
        "queries": [{"actionNameQuery": {"name": value, "method": method}}],
    }
    status, body = await rest(tenant, "POST", "/actions/_search", search)
    assert status == 200, body
    assert [a["name"] for a in body.get("result", [])] == expected


async def test_list_actions_by_id_and_state(rest: Rest, tenant: Tenant) -> None:
    a = await create(rest, tenant, "a")
    b = await create(rest, tenant, "b")
    await rest(tenant, "POST", f"/actions/{b}/_deactivate", {})
    status, body = await rest(tenant, "POST", "/actions/_search", {"queries": [{"actionIdQuery": {"id": a}}]})
    assert [x["id"] for x in body["result"]] == [a]
    query = {"queries": [{"actionStateQuery": {"state": "ACTION_STATE_INACTIVE"}}]}
    status, body = await rest(tenant, "POST", "/actions/_search", query)
    assert [x["id"] for x in body["result"]] == [b]


# --- flows over REST ---------------------------------------------------------------------------------


async def test_list_flow_types_is_the_id_table(rest: Rest, admin: Tenant) -> None:
    assert await rest(admin, "POST", "/flows/types/_search") == (200, FLOW_TYPES_JSON)


@pytest.mark.parametrize(
    ("flow", "triggers"),
    [("1", ["1", "2", "3"]), ("2", ["4", "5"]), ("3", ["1", "2", "3"]), ("4", ["6"])],
)
async def test_list_flow_trigger_types(rest: Rest, admin: Tenant, flow: str, triggers: list[str]) -> None:
    status, body = await rest(admin, "POST", f"/flows/{flow}/triggers/_search")
    assert status == 200 and [t["id"] for t in body["result"]] == triggers, body


async def test_trigger_types_accept_the_legacy_flow_name_and_reject_unknown_flows(
    rest: Rest, admin: Tenant
) -> None:
    status, body = await rest(admin, "POST", "/flows/FLOW_TYPE_EXTERNAL_AUTHENTICATION/triggers/_search")
    assert [t["id"] for t in body["result"]] == ["1", "2", "3"]
    assert body["result"][0]["name"] == {
        "key": "Action.TriggerType.PostAuthentication",
        "localizedMessage": "Post Authentication",
    }
    for unknown in ("0", "5", "FLOW_TYPE_CUSTOMISE_TOKEN"):
        status, body = await rest(admin, "POST", f"/flows/{unknown}/triggers/_search")
        assert (status, body["code"], error_id(body)) == (404, 5, "MANAG-P2OBk")


async def test_get_flow_of_an_empty_flow_is_active_and_empty(rest: Rest, tenant: Tenant) -> None:
    status, body = await rest(tenant, "GET", "/flows/3")
    assert status == 200, body
    assert body == {
        "flow": {
            "type": {
                "id": "3",
                "name": {
                    "key": "Action.Flow.Type.InternalAuthentication",
                    "localizedMessage": "Internal Authentication",
                },
            },
            "details": {},
            "state": "FLOW_STATE_ACTIVE",
        }
    }


async def test_set_trigger_actions_then_get_flow_has_the_seed_shape(rest: Rest, tenant: Tenant) -> None:
    action_id = await create(rest, tenant, "addClaims", timeout="10s", allowedToFail=True)
    status, body = await rest(tenant, "POST", "/flows/2/trigger/5", {"actionIds": [action_id]})
    assert status == 200, body
    details = body["details"]
    assert set(details) == {"sequence", "creationDate", "resourceOwner"}
    assert details["resourceOwner"] == tenant.org_id

    status, body = await rest(tenant, "GET", "/flows/2")
    assert status == 200, body
    flow = body["flow"]
    assert flow["type"] == {
        "id": "2",
        "name": {"key": "Action.Flow.Type.CustomiseToken", "localizedMessage": "Complement Token"},
    }
    assert flow["state"] == "FLOW_STATE_ACTIVE"
    assert set(flow["details"]) == {"sequence", "changeDate", "resourceOwner"}
    assert flow["details"]["sequence"] == details["sequence"]
    assert flow["details"]["resourceOwner"] == tenant.org_id
    [trigger] = flow["triggerActions"]
    assert trigger["triggerType"] == PRE_ACCESS_TOKEN
    [action] = trigger["actions"]
    assert {k: action[k] for k in ("id", "state", "name", "script", "timeout", "allowedToFail")} == {
        "id": action_id,
        "state": "ACTION_STATE_ACTIVE",
        "name": "addClaims",
        "script": SCRIPT,
        "timeout": "10s",
        "allowedToFail": True,
    }


async def test_legacy_enum_names_set_the_same_flow_and_trigger(rest: Rest, tenant: Tenant) -> None:
    a = await create(rest, tenant, "a")
    b = await create(rest, tenant, "b")
    path = "/flows/FLOW_TYPE_EXTERNAL_AUTHENTICATION/trigger/TRIGGER_TYPE_PRE_CREATION"
    status, body = await rest(tenant, "POST", path, {"actionIds": [b, a]})
    assert status == 200, body
    status, body = await rest(tenant, "GET", "/flows/FLOW_TYPE_EXTERNAL_AUTHENTICATION")
    assert body["flow"]["type"]["id"] == "1"
    [trigger] = body["flow"]["triggerActions"]
    assert trigger["triggerType"]["id"] == "2"
    assert [x["id"] for x in trigger["actions"]] == [b, a]  # order kept


@pytest.mark.parametrize(("flow", "trigger"), [("2", "1"), ("1", "5"), ("4", "4"), ("3", "6")])
async def test_a_trigger_of_another_flow_is_rejected(
    rest: Rest, tenant: Tenant, flow: str, trigger: str
) -> None:
    a = await create(rest, tenant, "a")
    status, body = await rest(tenant, "POST", f"/flows/{flow}/trigger/{trigger}", {"actionIds": [a]})
    assert (status, body["code"], error_id(body)) == (400, 3, "COMMAND-Dfgh6"), body


async def test_unknown_flow_or_trigger_and_foreign_actions_are_rejected(rest: Rest, tenant: Tenant) -> None:
    a = await create(rest, tenant, "a")
    for flow, trigger in (("0", "1"), ("9", "1"), ("1", "TRIGGER_TYPE_PRE_USERINFO_CREATION")):
        status, body = await rest(tenant, "POST", f"/flows/{flow}/trigger/{trigger}", {"actionIds": [a]})
        assert (status, error_id(body)) == (400, "COMMAND-Dfhj5"), body
    status, body = await rest(tenant, "POST", "/flows/1/trigger/1", {"actionIds": ["404"]})
    assert (status, body["code"], error_id(body)) == (400, 9, "COMMAND-dg422")


async def test_clear_flow_then_clearing_again_fails(rest: Rest, tenant: Tenant) -> None:
    a = await create(rest, tenant, "a")
    await rest(tenant, "POST", "/flows/1/trigger/1", {"actionIds": [a]})
    status, body = await rest(tenant, "POST", "/flows/1/_clear")
    assert status == 200 and set(body["details"]) == {"sequence", "changeDate", "resourceOwner"}, body
    assert "triggerActions" not in (await rest(tenant, "GET", "/flows/1"))[1]["flow"]
    status, body = await rest(tenant, "POST", "/flows/1/_clear")
    assert (status, body["code"], error_id(body)) == (400, 9, "COMMAND-DgGh3")


async def test_deleting_an_action_removes_it_from_flows(rest: Rest, tenant: Tenant) -> None:
    a = await create(rest, tenant, "a")
    b = await create(rest, tenant, "b")
    await rest(tenant, "POST", "/flows/2/trigger/4", {"actionIds": [a, b]})
    await rest(tenant, "POST", "/flows/2/trigger/5", {"actionIds": [a]})
    assert (await rest(tenant, "DELETE", f"/actions/{a}", {}))[0] == 200
    status, body = await rest(tenant, "GET", "/flows/2")
    assert [
        (t["triggerType"]["id"], [x["id"] for x in t["actions"]]) for t in body["flow"]["triggerActions"]
    ] == [("4", [b])]


# --- isolation ---------------------------------------------------------------------------------------


async def add_org(server, instance_id: str) -> str:
    """A second org in an instance, written straight into the server's database (no AddOrg RPC yet)."""
    db = await open_database(server.database_url)
    try:
        org_id = new_id()
        async with db.write() as conn:
            log = EventLog(conn, instance_id, utcnow())
            await accounts_repo.insert_org(log, org_id, "second org")
            await log.flush()
        return org_id
    finally:
        await db.close()


async def instance_id_of(rest: Rest, tenant: Tenant, doors: DoorClient, server) -> str:
    request = system_pb2.ListInstancesRequest()
    out = await doors.call(
        "grpc", SYSTEM, "ListInstances", request, system_pb2.ListInstancesResponse, server.system_token()
    )
    for instance in out.response.result:
        if any(d.domain == tenant.host for d in instance.domains):
            return instance.id
    raise AssertionError(f"no instance answers on {tenant.host}")


async def test_actions_and_flows_of_another_instance_are_invisible(
    rest: Rest, doors: DoorClient, server, tenant: Tenant, admin: Tenant
) -> None:
    a = await create(rest, tenant, "secret")
    await rest(tenant, "POST", "/flows/1/trigger/1", {"actionIds": [a]})
    other = await new_tenant(doors, server, rest)
    for stranger in (other, admin):
        status, body = await rest(stranger, "GET", f"/actions/{a}")
        assert (status, error_id(body)) == (404, "QUERY-GEfnb")
        status, body = await rest(stranger, "POST", f"/actions/{a}/_deactivate", {})
        assert status == 404
        status, body = await rest(stranger, "POST", "/flows/1/trigger/1", {"actionIds": [a]})
        assert (status, error_id(body)) == (400, "COMMAND-dg422")
    status, body = await rest(other, "POST", "/actions/_search", {"queries": [{"actionIdQuery": {"id": a}}]})
    assert "totalResult" not in body["details"]  # zero is omitted
    assert "result" not in body
    assert "triggerActions" not in (await rest(other, "GET", "/flows/1"))[1]["flow"]
    # The PAT of one instance does not act on another, even with that instance's org id.
    status, body = await rest(other, "GET", f"/actions/{a}", org_id=tenant.org_id)
    assert (status, error_id(body)) == (403, "AUTH-Bs7Ds")


async def test_org_header_selects_an_org_of_the_instance_and_rejects_unknown_ones(
    rest: Rest, doors: DoorClient, server, tenant: Tenant
) -> None:
    status, body = await rest(tenant, "GET", "/flows/1", org_id="123456789")
    assert (status, body["code"], error_id(body)) == (403, 7, "AUTH-Bs7Ds")
    second = await add_org(server, await instance_id_of(rest, tenant, doors, server))
    in_second = await create_in(rest, tenant, second, "only-in-second")
    status, body = await rest(tenant, "GET", f"/actions/{in_second}", org_id=second)
    assert status == 200 and body["action"]["details"]["resourceOwner"] == second
    status, body = await rest(tenant, "GET", f"/actions/{in_second}")  # home org
    assert status == 404
    status, body = await rest(tenant, "POST", "/actions/_search", {}, org_id=second)
    assert [x["name"] for x in body["result"]] == ["only-in-second"]
    home = await create(rest, tenant, "home")
    status, body = await rest(tenant, "POST", "/flows/1/trigger/1", {"actionIds": [home]}, org_id=second)
    assert (status, error_id(body)) == (400, "COMMAND-dg422")


async def create_in(rest: Rest, tenant: Tenant, org_id: str, name: str) -> str:
    status, body = await rest(tenant, "POST", "/actions", {"name": name, "script": SCRIPT}, org_id=org_id)
    assert status == 200 and body["details"]["resourceOwner"] == org_id, body
    return body["id"]


async def test_calls_without_a_token_are_unauthenticated(rest: Rest, admin: Tenant) -> None:
    status, body = await rest(Tenant("localhost", ""), "POST", "/flows/types/_search")
    assert (status, body["code"]) == (401, 16)


# --- native gRPC, grpc-web and Connect ---------------------------------------------------------------


def md(tenant: Tenant, org_id: str | None = None) -> tuple[tuple[str, str], ...]:
    return tuple(tenant.headers(org_id).items())


async def test_actions_and_flows_over_native_grpc(stub, tenant: Tenant) -> None:
    created = await stub.CreateAction(
        management_pb2.CreateActionRequest(name="grpc", script=SCRIPT, allowed_to_fail=True),
        metadata=md(tenant),
    )
    assert created.id and created.details.resource_owner == tenant.org_id
    got = await stub.GetAction(management_pb2.GetActionRequest(id=created.id), metadata=md(tenant))
    assert got.action.state == action_pb2.ACTION_STATE_ACTIVE and got.action.timeout.seconds == 20
    await stub.SetTriggerActions(
        management_pb2.SetTriggerActionsRequest(
            flow_type="FLOW_TYPE_EXTERNAL_AUTHENTICATION",
            trigger_type="TRIGGER_TYPE_POST_AUTHENTICATION",
            action_ids=[created.id],
        ),
        metadata=md(tenant),
    )
    flow = (await stub.GetFlow(management_pb2.GetFlowRequest(type="1"), metadata=md(tenant))).flow
    assert flow.state == action_pb2.FLOW_STATE_ACTIVE
    assert [(t.trigger_type.id, [a.id for a in t.actions]) for t in flow.trigger_actions] == [
        ("1", [created.id])
    ]
    listed = await stub.ListActions(
        management_pb2.ListActionsRequest(
            queries=[management_pb2.ActionQuery(action_id_query=action_pb2.ActionIDQuery(id=created.id))]
        ),
        metadata=md(tenant),
    )
    assert listed.details.total_result == 1 and listed.result[0].name == "grpc"

    with pytest.raises(grpc.aio.AioRpcError) as exc:
        await stub.SetTriggerActions(
            management_pb2.SetTriggerActionsRequest(flow_type="2", trigger_type="1", action_ids=[created.id]),
            metadata=md(tenant),
        )
    assert exc.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert exc.value.details().endswith("(COMMAND-Dfgh6)")

    with pytest.raises(grpc.aio.AioRpcError) as exc:
        await stub.CreateAction(
            management_pb2.CreateActionRequest(name="t", script=SCRIPT, timeout={"seconds": 21}),
            metadata=md(tenant),
        )
    assert exc.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert exc.value.details() == "invalid CreateActionRequest.Timeout: value must be inside range [0s, 20s]"

    await stub.DeleteAction(management_pb2.DeleteActionRequest(id=created.id), metadata=md(tenant))
    with pytest.raises(grpc.aio.AioRpcError) as exc:
        await stub.GetAction(management_pb2.GetActionRequest(id=created.id), metadata=md(tenant))
    assert exc.value.code() == grpc.StatusCode.NOT_FOUND


@pytest.mark.parametrize("door", DOORS)
async def test_every_door_gives_the_same_flow_types_and_errors(
    doors: DoorClient, admin: Tenant, door: str
) -> None:
    headers = {"x-zitadel-instance-host": admin.host}
    out = await doors.call(
        door,
        MGMT,
        "ListFlowTypes",
        management_pb2.ListFlowTypesRequest(),
        management_pb2.ListFlowTypesResponse,
        admin.pat,
        headers,
    )
    assert out.code == grpc.StatusCode.OK, (out.code, out.message)
    assert [t.id for t in out.response.result] == ["1", "2", "3", "4"]
    assert out.response.result[1].name == message_pb2.LocalizedMessage(
        key="Action.Flow.Type.CustomiseToken", localized_message="Complement Token"
    )
    out = await doors.call(
        door,
        MGMT,
        "ListFlowTriggerTypes",
        management_pb2.ListFlowTriggerTypesRequest(type="0"),
        management_pb2.ListFlowTriggerTypesResponse,
        admin.pat,
        headers,
    )
    assert (out.code, out.error_ids) == (grpc.StatusCode.NOT_FOUND, ["MANAG-P2OBk"])
