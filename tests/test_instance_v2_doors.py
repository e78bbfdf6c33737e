"""Instance service v2 (Connect JSON/proto, gRPC, gRPC-web) and v2beta (also REST) end to end.

Real server, real sockets. The first instance answers on ``localhost`` (its admin PAT is an IAM
owner); instances created through the System API give isolation and their own PATs. v2 has no
REST bindings: its JSON is Connect's (spec §6.5), its errors Connect's (spec §5.3).
"""

from __future__ import annotations

import base64
import json
import uuid

import aiohttp
import grpc
import pytest

from door_clients import DOORS, DoorClient
from zitadel import message_pb2, system_pb2
from zitadel.filter.v2 import filter_pb2
from zitadel.instance.v2 import instance_pb2
from zitadel.instance.v2 import instance_service_pb2 as v2

V2 = "zitadel.instance.v2.InstanceService"
SYSTEM = "zitadel.system.v1.SystemService"
LOCAL = {"x-zitadel-instance-host": "localhost"}


@pytest.fixture(scope="module")
async def session():
    async with aiohttp.ClientSession() as s:
        yield s


@pytest.fixture(scope="module")
async def doors(server, session):
    async with grpc.aio.insecure_channel(server.grpc) as channel:
        yield DoorClient(server, session, channel)


@pytest.fixture(scope="module")
def pat(server) -> str:
    return server.admin_pat()


@pytest.fixture(scope="module")
def system_token(server) -> str:
    return server.system_token()


def unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}.example.test"


async def post_json(session, server, path: str, body: dict, headers: dict[str, str]):
    hdrs = {"Content-Type": "application/json", **headers}
    async with session.post(server.http + path, data=json.dumps(body), headers=hdrs) as resp:
        return resp.status, resp.headers, await resp.read()


async def rest(session, server, method: str, path: str, token: str, body=None, host: str = "localhost"):
    hdrs = {"Authorization": f"Bearer {token}", "x-zitadel-instance-host": host}
    async with session.request(method, server.http + path, json=body, headers=hdrs) as resp:
        return resp.status, json.loads(await resp.read() or b"{}")


class Tenant:
    """An instance created through the System API, with its own admin PAT and routing domain."""

    def __init__(self, instance_id: str, pat: str, domain: str) -> None:
        self.id, self.pat, self.domain = instance_id, pat, domain
        self.headers = {"x-zitadel-instance-host": domain}


async def new_tenant(doors: DoorClient, system_token: str) -> Tenant:
    domain = unique("tenant")
    request = system_pb2.CreateInstanceRequest(
        instance_name=unique("inst"),
        custom_domain=domain,
        machine=system_pb2.CreateInstanceRequest.Machine(
            user_name="sa", personal_access_token=system_pb2.CreateInstanceRequest.PersonalAccessToken()
        ),
    )
    out = await doors.call(
        "grpc", SYSTEM, "CreateInstance", request, system_pb2.CreateInstanceResponse, system_token
    )
    assert out.code == grpc.StatusCode.OK, out.message
    return Tenant(out.response.instance_id, out.response.pat, domain)


# -- v2 over Connect JSON: the shapes ZITADEL's docs and SDKs use ------------------------------------


async def test_get_instance_connect_json_shape(session, server, pat):
    headers = {"Connect-Protocol-Version": "1", "Authorization": f"Bearer {pat}", "Host": "localhost"}
    status, resp_headers, body = await post_json(session, server, f"/{V2}/GetInstance", {}, headers)
    assert status == 200, body
    assert resp_headers["Content-Type"].startswith("application/json")
    instance = json.loads(body)["instance"]
    assert set(instance) == {"id", "changeDate", "creationDate", "state", "name", "version", "customDomains"}
    assert instance["state"] == "STATE_RUNNING"
    assert instance["creationDate"].endswith("Z") and instance["changeDate"].endswith("Z")
    generated = [d for d in instance["customDomains"] if d["domain"] == "localhost"]
    assert generated == [
        {
            "instanceId": instance["id"],
            "creationDate": generated[0]["creationDate"],
            "domain": "localhost",
            "primary": True,
            "generated": True,
        }
    ]
    # false booleans are omitted (zero values)
    assert all(
        set(d) == {"instanceId", "creationDate", "domain"}
        for d in instance["customDomains"]
        if d is not generated[0]
    )


async def test_list_trusted_domains_connect_json_shape(session, server, doors, system_token):
    tenant = await new_tenant(doors, system_token)
    headers = {"Authorization": f"Bearer {tenant.pat}", **tenant.headers}
    status, _, body = await post_json(session, server, f"/{V2}/ListTrustedDomains", {}, headers)
    assert (status, json.loads(body)) == (200, {"pagination": {"appliedLimit": "100"}})  # empty list omitted

    for name in ("b.trusted.test", "a.trusted.test"):
        status, _, body = await post_json(
            session, server, f"/{V2}/AddTrustedDomain", {"trustedDomain": name}, headers
        )
        assert status == 200 and set(json.loads(body)) == {"creationDate"}
    query = {"sortingColumn": "TRUSTED_DOMAIN_FIELD_NAME_DOMAIN", "pagination": {"limit": 1, "asc": True}}
    status, _, body = await post_json(session, server, f"/{V2}/ListTrustedDomains", query, headers)
    doc = json.loads(body)
    assert status == 200
    assert doc["pagination"] == {"totalResult": "2", "appliedLimit": "1"}  # uint64 as strings
    assert [(d["domain"], d["instanceId"]) for d in doc["trustedDomain"]] == [("a.trusted.test", tenant.id)]


async def test_connect_errors_are_json_with_error_detail(session, server, pat):
    headers = {"Authorization": f"Bearer {pat}", **LOCAL}
    for content_type, body in (
        ("application/json", b'{"trustedDomain":"never.example.test"}'),
        (
            "application/proto",
            v2.RemoveTrustedDomainRequest(trusted_domain="never.example.test").SerializeToString(),
        ),
    ):
        async with session.post(
            f"{server.http}/{V2}/RemoveTrustedDomain",
            data=body,
            headers={**headers, "Content-Type": content_type},
        ) as resp:
            assert resp.status == 404
            assert resp.headers["Content-Type"].startswith("application/json")  # even for binary requests
            error = await resp.json()
        assert error["code"] == "not_found"
        assert error["message"] == "Domain not found (COMMA-de3z9)"
        [detail] = error["details"]
        assert detail["type"] == "zitadel.v1.ErrorDetail" and not detail["value"].endswith("=")
        parsed = message_pb2.ErrorDetail.FromString(
            base64.b64decode(detail["value"] + "=" * (-len(detail["value"]) % 4))
        )
        assert (parsed.id, parsed.message) == ("COMMA-de3z9", "Domain not found")


# -- v2 through every door ------------------------------------------------------------------------


@pytest.mark.parametrize("door", DOORS)
async def test_get_instance_is_the_same_through_every_door(doors, pat, door):
    reference = await doors.call(
        "connect-json", V2, "GetInstance", v2.GetInstanceRequest(), v2.GetInstanceResponse, pat, LOCAL
    )
    out = await doors.call(
        door, V2, "GetInstance", v2.GetInstanceRequest(), v2.GetInstanceResponse, pat, LOCAL
    )
    assert out.code == grpc.StatusCode.OK, out.message
    assert out.response == reference.response and out.response.instance.id


@pytest.mark.parametrize("door", DOORS)
async def test_trusted_domain_lifecycle_through_every_door(doors, pat, door):
    domain = unique(f"trust-{door}")
    add = v2.AddTrustedDomainRequest(trusted_domain=domain.upper())
    out = await doors.call(door, V2, "AddTrustedDomain", add, v2.AddTrustedDomainResponse, pat, LOCAL)
    assert out.code == grpc.StatusCode.OK, out.message
    assert out.response.HasField("creation_date")

    again = await doors.call(door, V2, "AddTrustedDomain", add, v2.AddTrustedDomainResponse, pat, LOCAL)
    assert again.code == grpc.StatusCode.FAILED_PRECONDITION and again.error_ids == ["COMMA-hg42a"]

    listed = await doors.call(
        door,
        V2,
        "ListTrustedDomains",
        v2.ListTrustedDomainsRequest(),
        v2.ListTrustedDomainsResponse,
        pat,
        LOCAL,
    )
    assert domain in {d.domain for d in listed.response.trusted_domain}

    remove = v2.RemoveTrustedDomainRequest(trusted_domain=domain)
    out = await doors.call(
        door, V2, "RemoveTrustedDomain", remove, v2.RemoveTrustedDomainResponse, pat, LOCAL
    )
    assert out.code == grpc.StatusCode.OK and out.response.HasField("deletion_date")
    gone = await doors.call(
        door, V2, "RemoveTrustedDomain", remove, v2.RemoveTrustedDomainResponse, pat, LOCAL
    )
    assert gone.code == grpc.StatusCode.NOT_FOUND
    assert gone.message == "Domain not found (COMMA-de3z9)" and gone.error_ids == ["COMMA-de3z9"]


@pytest.mark.parametrize("door", DOORS)
async def test_validation_errors_carry_pgv_text_and_no_details(doors, pat, door):
    out = await doors.call(
        door, V2, "AddTrustedDomain", v2.AddTrustedDomainRequest(), v2.AddTrustedDomainResponse, pat, LOCAL
    )
    assert out.code == grpc.StatusCode.INVALID_ARGUMENT
    reason = "value length must be between 1 and 253 runes, inclusive"
    assert out.message == f"invalid AddTrustedDomainRequest.TrustedDomain: {reason}"
    assert out.details == []

    out = await doors.call(
        door,
        V2,
        "ListCustomDomains",
        v2.ListCustomDomainsRequest(filters=[instance_pb2.CustomDomainFilter()]),
        v2.ListCustomDomainsResponse,
        pat,
        LOCAL,
    )
    assert out.code == grpc.StatusCode.INVALID_ARGUMENT
    assert out.message == (
        "invalid ListCustomDomainsRequest.Filters[0]: embedded message failed validation"
        " | caused by: invalid CustomDomainFilter.Filter: value is required"
    )


@pytest.mark.parametrize("door", DOORS)
async def test_limit_above_maximum_is_rejected(doors, pat, door):
    request = v2.ListCustomDomainsRequest(pagination=filter_pb2.PaginationRequest(limit=1001))
    out = await doors.call(door, V2, "ListCustomDomains", request, v2.ListCustomDomainsResponse, pat, LOCAL)
    assert out.code == grpc.StatusCode.INVALID_ARGUMENT
    assert out.message == "Limit exceeds default limit (QUERY-4M0fs)" and out.error_ids == ["QUERY-4M0fs"]


@pytest.mark.parametrize("door", DOORS)
async def test_system_rpcs_deny_an_instance_admin(doors, pat, door):
    out = await doors.call(
        door, V2, "ListInstances", v2.ListInstancesRequest(), v2.ListInstancesResponse, pat, LOCAL
    )
    assert out.code == grpc.StatusCode.PERMISSION_DENIED
    assert out.message == "No matching permissions found (AUTH-5mWD2)" and out.error_ids == ["AUTH-5mWD2"]


@pytest.mark.parametrize("door", DOORS)
async def test_missing_token_is_unauthenticated(doors, door):
    out = await doors.call(
        door, V2, "GetInstance", v2.GetInstanceRequest(), v2.GetInstanceResponse, None, LOCAL
    )
    assert out.code == grpc.StatusCode.UNAUTHENTICATED and out.message == "auth header missing"


# -- isolation, system calls, public host ------------------------------------------------------------


async def test_tokens_never_cross_instances(doors, pat, system_token):
    tenant = await new_tenant(doors, system_token)
    mine = await doors.call(
        "grpc", V2, "GetInstance", v2.GetInstanceRequest(), v2.GetInstanceResponse, tenant.pat, tenant.headers
    )
    assert mine.code == grpc.StatusCode.OK and mine.response.instance.id == tenant.id
    assert tenant.domain in {d.domain for d in mine.response.instance.custom_domains}

    # the tenant's token on the first instance's host, and the first instance's token naming the tenant
    for token, headers, request in (
        (tenant.pat, LOCAL, v2.GetInstanceRequest()),
        (pat, LOCAL, v2.GetInstanceRequest(instance_id=tenant.id)),
    ):
        out = await doors.call(
            "connect-json", V2, "GetInstance", request, v2.GetInstanceResponse, token, headers
        )
        assert out.code == grpc.StatusCode.UNAUTHENTICATED, out.message
    iso = unique("iso")
    trusted = await doors.call(
        "grpc",
        V2,
        "AddTrustedDomain",
        v2.AddTrustedDomainRequest(trusted_domain=iso),
        v2.AddTrustedDomainResponse,
        tenant.pat,
        tenant.headers,
    )
    assert trusted.code == grpc.StatusCode.OK
    first = await doors.call(
        "grpc", V2, "GetInstance", v2.GetInstanceRequest(), v2.GetInstanceResponse, pat, LOCAL
    )
    others = await doors.call(
        "grpc",
        V2,
        "ListTrustedDomains",
        v2.ListTrustedDomainsRequest(),
        v2.ListTrustedDomainsResponse,
        pat,
        LOCAL,
    )
    assert iso not in {d.domain for d in others.response.trusted_domain}
    assert {d.instance_id for d in others.response.trusted_domain} <= {first.response.instance.id}


async def test_system_user_manages_instances_by_id(doors, system_token):
    tenant = await new_tenant(doors, system_token)
    by_id = v2.ListInstancesRequest(
        filters=[instance_pb2.Filter(in_ids_filter=filter_pb2.InIDsFilter(ids=[tenant.id]))]
    )
    listed = await doors.call(
        "connect-proto", V2, "ListInstances", by_id, v2.ListInstancesResponse, system_token, LOCAL
    )
    assert [i.id for i in listed.response.instances] == [tenant.id]
    assert (listed.response.pagination.total_result, listed.response.pagination.applied_limit) == (1, 100)

    domain = unique("custom")
    add = v2.AddCustomDomainRequest(instance_id=tenant.id, custom_domain=domain)
    assert (
        await doors.call(
            "grpc-web", V2, "AddCustomDomain", add, v2.AddCustomDomainResponse, system_token, LOCAL
        )
    ).code == grpc.StatusCode.OK
    # the new custom domain routes requests to the tenant
    routed = await doors.call(
        "connect-json",
        V2,
        "GetInstance",
        v2.GetInstanceRequest(),
        v2.GetInstanceResponse,
        tenant.pat,
        {"x-zitadel-instance-host": domain},
    )
    assert routed.code == grpc.StatusCode.OK and routed.response.instance.id == tenant.id
    taken = await doors.call(
        "grpc", V2, "AddCustomDomain", add, v2.AddCustomDomainResponse, system_token, LOCAL
    )
    assert taken.code == grpc.StatusCode.ALREADY_EXISTS

    rename = v2.UpdateInstanceRequest(instance_id=tenant.id, instance_name="renamed")
    renamed = await doors.call(
        "grpc", V2, "UpdateInstance", rename, v2.UpdateInstanceResponse, system_token, LOCAL
    )
    assert renamed.code == grpc.StatusCode.OK, renamed.message
    unchanged = await doors.call(
        "grpc", V2, "UpdateInstance", rename, v2.UpdateInstanceResponse, system_token, LOCAL
    )
    assert unchanged.response.change_date == renamed.response.change_date

    remove = v2.RemoveCustomDomainRequest(instance_id=tenant.id, custom_domain=domain)
    assert (
        await doors.call(
            "grpc", V2, "RemoveCustomDomain", remove, v2.RemoveCustomDomainResponse, system_token, LOCAL
        )
    ).code == grpc.StatusCode.OK

    deleted = await doors.call(
        "grpc",
        V2,
        "DeleteInstance",
        v2.DeleteInstanceRequest(instance_id=tenant.id),
        v2.DeleteInstanceResponse,
        system_token,
        LOCAL,
    )
    assert deleted.code == grpc.StatusCode.OK and deleted.response.HasField("deletion_date")
    after = await doors.call(
        "grpc", V2, "GetInstance", v2.GetInstanceRequest(), v2.GetInstanceResponse, tenant.pat, tenant.headers
    )
    assert after.code == grpc.StatusCode.NOT_FOUND  # its domains are gone with it


async def test_trusted_domains_drive_the_public_host_check(doors, system_token):
    tenant = await new_tenant(doors, system_token)
    public = unique("public")
    headers = {**tenant.headers, "x-zitadel-public-host": public}
    get = v2.GetInstanceRequest()

    untrusted = await doors.call(
        "connect-json", V2, "GetInstance", get, v2.GetInstanceResponse, tenant.pat, headers
    )
    assert untrusted.code == grpc.StatusCode.NOT_FOUND and untrusted.error_ids == ["QUERY-IuGh1"]

    add = v2.AddTrustedDomainRequest(trusted_domain=public)
    assert (
        await doors.call(
            "grpc", V2, "AddTrustedDomain", add, v2.AddTrustedDomainResponse, tenant.pat, tenant.headers
        )
    ).code == grpc.StatusCode.OK
    trusted = await doors.call(
        "connect-json", V2, "GetInstance", get, v2.GetInstanceResponse, tenant.pat, headers
    )
    assert trusted.code == grpc.StatusCode.OK and trusted.response.instance.id == tenant.id

    remove = v2.RemoveTrustedDomainRequest(trusted_domain=public)
    assert (
        await doors.call(
            "grpc",
            V2,
            "RemoveTrustedDomain",
            remove,
            v2.RemoveTrustedDomainResponse,
            tenant.pat,
            tenant.headers,
        )
    ).code == grpc.StatusCode.OK
    again = await doors.call("grpc-web", V2, "GetInstance", get, v2.GetInstanceResponse, tenant.pat, headers)
    assert again.code == grpc.StatusCode.NOT_FOUND


# -- v2beta over REST ---------------------------------------------------------------------------------


async def test_v2beta_rest_instance_and_trusted_domains(session, server, doors, system_token):
    tenant = await new_tenant(doors, system_token)
    base = f"/v2beta/instances/{tenant.id}"

    status, doc = await rest(session, server, "GET", base, tenant.pat, host=tenant.domain)
    assert status == 200, doc
    instance = doc["instance"]
    assert instance["id"] == tenant.id and instance["state"] == "STATE_RUNNING"
    assert {d["domain"] for d in instance["domains"]} >= {tenant.domain}

    status, doc = await rest(
        session,
        server,
        "POST",
        f"{base}/trusted-domains",
        tenant.pat,
        {"domain": "beta.proxy.test"},
        tenant.domain,
    )
    assert status == 200 and set(doc) == {"creationDate"}
    status, doc = await rest(
        session, server, "POST", f"{base}/trusted-domains/search", tenant.pat, {}, tenant.domain
    )
    assert status == 200
    assert doc["pagination"] == {"totalResult": "1", "appliedLimit": "100"}
    assert [(d["domain"], d["instanceId"]) for d in doc["trustedDomain"]] == [("beta.proxy.test", tenant.id)]
    status, doc = await rest(
        session, server, "DELETE", f"{base}/trusted-domains/beta.proxy.test", tenant.pat, host=tenant.domain
    )
    assert status == 200 and set(doc) == {"deletionDate"}
    status, doc = await rest(
        session, server, "DELETE", f"{base}/trusted-domains/beta.proxy.test", tenant.pat, host=tenant.domain
    )
    assert status == 404
    assert doc == {
        "code": 5,
        "message": "Domain not found (COMMA-de3z9)",
        "details": [
            {
                "@type": "type.googleapis.com/zitadel.v1.ErrorDetail",
                "id": "COMMA-de3z9",
                "message": "Domain not found",
            }
        ],
    }

    status, doc = await rest(
        session, server, "PUT", base, tenant.pat, {"instanceName": "beta-renamed"}, tenant.domain
    )
    assert status == 200 and set(doc) == {"changeDate"}
    status, doc = await rest(session, server, "PUT", base, tenant.pat, {"instanceName": ""}, tenant.domain)
    reason = "value length must be between 1 and 200 runes, inclusive"
    assert (status, doc) == (
        400,
        {"code": 3, "message": f"invalid UpdateInstanceRequest.InstanceName: {reason}"},
    )

    status, doc = await rest(
        session, server, "POST", "/v2beta/instances/search", tenant.pat, {}, tenant.domain
    )
    assert status == 403 and doc["details"][0]["id"] == "AUTH-5mWD2"


async def test_v2beta_rest_system_calls(session, server, doors, system_token):
    tenant = await new_tenant(doors, system_token)
    base = f"/v2beta/instances/{tenant.id}"
    status, doc = await rest(
        session,
        server,
        "POST",
        "/v2beta/instances/search",
        system_token,
        {"queries": [{"idQuery": {"ids": [tenant.id]}}]},
    )
    assert status == 200 and [i["id"] for i in doc["instances"]] == [tenant.id]

    domain = unique("beta-custom")
    status, doc = await rest(
        session, server, "POST", f"{base}/custom-domains", system_token, {"domain": domain}
    )
    assert status == 200 and set(doc) == {"creationDate"}
    query = {
        "queries": [
            {"domainQuery": {"domain": "BETA-CUSTOM", "method": "TEXT_QUERY_METHOD_STARTS_WITH_IGNORE_CASE"}}
        ]
    }
    status, doc = await rest(
        session, server, "POST", f"{base}/custom-domains/search", tenant.pat, query, tenant.domain
    )
    assert status == 200 and [d["domain"] for d in doc["domains"]] == [domain]
    assert doc["domains"][0] == {
        "instanceId": tenant.id,
        "creationDate": doc["domains"][0]["creationDate"],
        "domain": domain,
    }
    status, doc = await rest(session, server, "DELETE", f"{base}/custom-domains/{domain}", system_token)
    assert status == 200 and set(doc) == {"deletionDate"}

    status, doc = await rest(session, server, "DELETE", base, system_token)
    assert status == 200 and set(doc) == {"deletionDate"}
    status, doc = await rest(session, server, "DELETE", base, system_token)
    assert status == 404
