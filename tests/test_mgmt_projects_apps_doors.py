"""Management API projects and apps through every door (gRPC, grpc-web, Connect, REST) on a real server."""

from __future__ import annotations

import base64
import uuid

import aiohttp
import grpc
import orjson
import pytest

from door_clients import DOORS, DoorClient
from zitadel import app_pb2, object_pb2, project_pb2, system_pb2
from zitadel import management_pb2 as mgmt

MGMT = "zitadel.management.v1.ManagementService"
SYSTEM = "zitadel.system.v1.SystemService"
HOST = {"x-zitadel-instance-host": "localhost"}
SAML_XML = b'<EntityDescriptor xmlns="urn:oasis:names:tc:SAML:2.0:metadata" entityID="https://sp.example"/>'


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


@pytest.fixture(scope="module")
def pat(server) -> str:
    return server.admin_pat()


def unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


async def rest(session, server, method, path, token, json=None, headers=None):
    hdrs = {"Authorization": f"Bearer {token}", **HOST, **(headers or {})}
    async with session.request(method, server.http + "/management/v1" + path, json=json, headers=hdrs) as r:
        body = await r.read()
        return r.status, (orjson.loads(body) if body else None)


async def call(doors, method, request, response_cls, token, door="grpc", headers=None):
    return await doors.call(door, MGMT, method, request, response_cls, token, {**HOST, **(headers or {})})


async def ok(doors, method, request, response_cls, token, door="grpc", headers=None):
    out = await call(doors, method, request, response_cls, token, door, headers)
    assert out.code == grpc.StatusCode.OK, (method, out.code, out.message)
    return out.response


async def new_project(doors, pat, name=None, headers=None) -> str:
    resp = await ok(
        doors,
        "AddProject",
        mgmt.AddProjectRequest(name=name or unique("p")),
        mgmt.AddProjectResponse,
        pat,
        headers=headers,
    )
    return resp.id


@pytest.mark.parametrize("door", DOORS)
async def test_project_lifecycle_through_every_door(doors, pat, door):
    name = unique("proj")
    added = await ok(
        doors,
        "AddProject",
        mgmt.AddProjectRequest(name=name, project_role_check=True),
        mgmt.AddProjectResponse,
        pat,
        door,
    )
    assert added.id and added.details.sequence == 1 and added.details.HasField("creation_date")
    assert not added.details.HasField("change_date")
    got = await ok(
        doors,
        "GetProjectByID",
        mgmt.GetProjectByIDRequest(id=added.id),
        mgmt.GetProjectByIDResponse,
        pat,
        door,
    )
    assert got.project.name == name and got.project.state == project_pb2.PROJECT_STATE_ACTIVE
    assert got.project.project_role_check and got.project.details.resource_owner
    upd = mgmt.UpdateProjectRequest(id=added.id, name=name + "-x", project_role_check=True)
    changed = await ok(doors, "UpdateProject", upd, mgmt.UpdateProjectResponse, pat, door)
    assert changed.details.sequence == 2 and not changed.details.HasField("creation_date")
    same = await call(doors, "UpdateProject", upd, mgmt.UpdateProjectResponse, pat, door)
    assert same.code == grpc.StatusCode.FAILED_PRECONDITION and same.error_ids == ["COMMAND-2M0fs"]
    await ok(
        doors,
        "DeactivateProject",
        mgmt.DeactivateProjectRequest(id=added.id),
        mgmt.DeactivateProjectResponse,
        pat,
        door,
    )
    again = await call(
        doors,
        "DeactivateProject",
        mgmt.DeactivateProjectRequest(id=added.id),
        mgmt.DeactivateProjectResponse,
        pat,
        door,
    )
    assert again.code == grpc.StatusCode.FAILED_PRECONDITION
    got = await ok(
        doors,
        "GetProjectByID",
        mgmt.GetProjectByIDRequest(id=added.id),
        mgmt.GetProjectByIDResponse,
        pat,
        door,
    )
    assert got.project.state == project_pb2.PROJECT_STATE_INACTIVE
    await ok(
        doors,
        "ReactivateProject",
        mgmt.ReactivateProjectRequest(id=added.id),
        mgmt.ReactivateProjectResponse,
        pat,
        door,
    )
    dup = await call(
        doors, "AddProject", mgmt.AddProjectRequest(name=name + "-x"), mgmt.AddProjectResponse, pat, door
    )
    assert dup.code == grpc.StatusCode.ALREADY_EXISTS
    await ok(
        doors, "RemoveProject", mgmt.RemoveProjectRequest(id=added.id), mgmt.RemoveProjectResponse, pat, door
    )
    gone = await call(
        doors,
        "GetProjectByID",
        mgmt.GetProjectByIDRequest(id=added.id),
        mgmt.GetProjectByIDResponse,
        pat,
        door,
    )
    assert gone.code == grpc.StatusCode.NOT_FOUND and gone.message == "Project not found (PROJECT-3M9sd)"


@pytest.mark.parametrize("door", DOORS)
async def test_app_lifecycle_through_every_door(doors, pat, door):
    project_id = await new_project(doors, pat, name=f"My Project {uuid.uuid4().hex[:6]}")
    oidc = await ok(
        doors,
        "AddOIDCApp",
        mgmt.AddOIDCAppRequest(project_id=project_id, name="web", redirect_uris=["https://app.example/cb"]),
        mgmt.AddOIDCAppResponse,
        pat,
        door,
    )
    assert oidc.client_id.startswith(oidc.app_id + "@my-project-") and len(oidc.client_secret) >= 32
    assert not oidc.none_compliant
    api = await ok(
        doors,
        "AddAPIApp",
        mgmt.AddAPIAppRequest(
            project_id=project_id, name="api", auth_method_type=app_pb2.API_AUTH_METHOD_TYPE_PRIVATE_KEY_JWT
        ),
        mgmt.AddAPIAppResponse,
        pat,
        door,
    )
    assert api.client_id and not api.client_secret  # no secret for key-based auth
    saml = await ok(
        doors,
        "AddSAMLApp",
        mgmt.AddSAMLAppRequest(project_id=project_id, name="saml", metadata_xml=SAML_XML),
        mgmt.AddSAMLAppResponse,
        pat,
        door,
    )
    got = await ok(
        doors,
        "GetAppByID",
        mgmt.GetAppByIDRequest(project_id=project_id, app_id=oidc.app_id),
        mgmt.GetAppByIDResponse,
        pat,
        door,
    )
    cfg = got.app.oidc_config
    assert cfg.client_id == oidc.client_id and list(cfg.allowed_origins) == ["https://app.example"]
    assert list(cfg.response_types) == [app_pb2.OIDC_RESPONSE_TYPE_CODE] and cfg.HasField("clock_skew")
    got = await ok(
        doors,
        "GetAppByID",
        mgmt.GetAppByIDRequest(project_id=project_id, app_id=saml.app_id),
        mgmt.GetAppByIDResponse,
        pat,
        door,
    )
    assert got.app.saml_config.metadata_xml == SAML_XML
    ids = lambda resp: [a.id for a in resp.result]  # noqa: E731
    listed = await ok(
        doors, "ListApps", mgmt.ListAppsRequest(project_id=project_id), mgmt.ListAppsResponse, pat, door
    )
    assert ids(listed) == [oidc.app_id, api.app_id, saml.app_id] and listed.details.total_result == 3
    await ok(
        doors,
        "UpdateApp",
        mgmt.UpdateAppRequest(project_id=project_id, app_id=api.app_id, name="api2"),
        mgmt.UpdateAppResponse,
        pat,
        door,
    )
    await ok(
        doors,
        "UpdateOIDCAppConfig",
        mgmt.UpdateOIDCAppConfigRequest(
            project_id=project_id,
            app_id=oidc.app_id,
            redirect_uris=["http://app.example/cb"],
            app_type=app_pb2.OIDC_APP_TYPE_USER_AGENT,
        ),
        mgmt.UpdateOIDCAppConfigResponse,
        pat,
        door,
    )
    got = await ok(
        doors,
        "GetAppByID",
        mgmt.GetAppByIDRequest(project_id=project_id, app_id=oidc.app_id),
        mgmt.GetAppByIDResponse,
        pat,
        door,
    )
    keys = [p.key for p in got.app.oidc_config.compliance_problems]
    assert (
        got.app.oidc_config.none_compliant and "Application.OIDC.V1.UserAgent.AuthMethodType.NotNone" in keys
    )
    wrong = await call(
        doors,
        "UpdateAPIAppConfig",
        mgmt.UpdateAPIAppConfigRequest(project_id=project_id, app_id=oidc.app_id),
        mgmt.UpdateAPIAppConfigResponse,
        pat,
        door,
    )
    assert wrong.code == grpc.StatusCode.FAILED_PRECONDITION
    await ok(
        doors,
        "UpdateAPIAppConfig",
        mgmt.UpdateAPIAppConfigRequest(project_id=project_id, app_id=api.app_id),
        mgmt.UpdateAPIAppConfigResponse,
        pat,
        door,
    )
    regen = await ok(
        doors,
        "RegenerateAPIClientSecret",
        mgmt.RegenerateAPIClientSecretRequest(project_id=project_id, app_id=api.app_id),
        mgmt.RegenerateAPIClientSecretResponse,
        pat,
        door,
    )
    regen2 = await ok(
        doors,
        "RegenerateOIDCClientSecret",
        mgmt.RegenerateOIDCClientSecretRequest(project_id=project_id, app_id=oidc.app_id),
        mgmt.RegenerateOIDCClientSecretResponse,
        pat,
        door,
    )
    assert regen.client_secret and regen2.client_secret != oidc.client_secret
    await ok(
        doors,
        "DeactivateApp",
        mgmt.DeactivateAppRequest(project_id=project_id, app_id=api.app_id),
        mgmt.DeactivateAppResponse,
        pat,
        door,
    )
    again = await call(
        doors,
        "DeactivateApp",
        mgmt.DeactivateAppRequest(project_id=project_id, app_id=api.app_id),
        mgmt.DeactivateAppResponse,
        pat,
        door,
    )
    assert again.code == grpc.StatusCode.FAILED_PRECONDITION and again.error_ids == ["COMMAND-dsh35"]
    got = await ok(
        doors,
        "GetAppByID",
        mgmt.GetAppByIDRequest(project_id=project_id, app_id=api.app_id),
        mgmt.GetAppByIDResponse,
        pat,
        door,
    )
    assert got.app.state == app_pb2.APP_STATE_INACTIVE and got.app.name == "api2"
    await ok(
        doors,
        "ReactivateApp",
        mgmt.ReactivateAppRequest(project_id=project_id, app_id=api.app_id),
        mgmt.ReactivateAppResponse,
        pat,
        door,
    )
    await ok(
        doors,
        "RemoveApp",
        mgmt.RemoveAppRequest(project_id=project_id, app_id=api.app_id),
        mgmt.RemoveAppResponse,
        pat,
        door,
    )
    missing = await call(
        doors,
        "GetAppByID",
        mgmt.GetAppByIDRequest(project_id=project_id, app_id=api.app_id),
        mgmt.GetAppByIDResponse,
        pat,
        door,
    )
    assert missing.code == grpc.StatusCode.NOT_FOUND and missing.error_ids == ["APP-8ei2s"]
    # Removing the project removes its apps.
    await ok(
        doors,
        "RemoveProject",
        mgmt.RemoveProjectRequest(id=project_id),
        mgmt.RemoveProjectResponse,
        pat,
        door,
    )
    missing = await call(
        doors,
        "GetAppByID",
        mgmt.GetAppByIDRequest(project_id=project_id, app_id=oidc.app_id),
        mgmt.GetAppByIDResponse,
        pat,
        door,
    )
    assert missing.code == grpc.StatusCode.NOT_FOUND
    listed = await ok(
        doors, "ListApps", mgmt.ListAppsRequest(project_id=project_id), mgmt.ListAppsResponse, pat, door
    )
    assert listed.details.total_result == 0 and not listed.result


async def test_rest_seed_shapes(doors, session, server, pat):
    project_id = await new_project(doors, pat, name=f"my project {uuid.uuid4().hex[:6]}")
    base = f"/projects/{project_id}/apps"
    status, web = await rest(
        session,
        server,
        "POST",
        base + "/oidc",
        pat,
        {
            "name": "web-portal",
            "redirectUris": ["https://portal.example.com/auth/callback"],
            "grantTypes": ["OIDC_GRANT_TYPE_AUTHORIZATION_CODE", "OIDC_GRANT_TYPE_REFRESH_TOKEN"],
            "accessTokenType": "OIDC_TOKEN_TYPE_JWT",
            "idTokenRoleAssertion": True,
            "postLogoutRedirectUris": ["https://portal.example.com/"],
        },
    )
    assert status == 200 and set(web) == {"appId", "details", "clientId", "clientSecret"}
    assert (
        set(web["details"]) == {"sequence", "creationDate", "resourceOwner"}
        and web["details"]["sequence"] == "1"
    )
    status, api = await rest(
        session,
        server,
        "POST",
        base + "/api",
        pat,
        {"name": "backend-api", "authMethodType": "API_AUTH_METHOD_TYPE_PRIVATE_KEY_JWT"},
    )
    assert status == 200 and "clientSecret" not in api
    status, body = await rest(
        session,
        server,
        "POST",
        base + "/_search",
        pat,
        {
            "query": {"offset": "0", "limit": 50, "asc": True},
            "queries": [{"nameQuery": {"name": "WEB", "method": "TEXT_QUERY_METHOD_CONTAINS_IGNORE_CASE"}}],
        },
    )
    assert status == 200
    assert body["details"]["totalResult"] == "1" and "processedSequence" in body["details"]
    assert body["details"]["viewTimestamp"].endswith("Z")
    (app,) = body["result"]
    assert app["state"] == "APP_STATE_ACTIVE" and app["name"] == "web-portal"
    assert app["oidcConfig"] == {
        "redirectUris": ["https://portal.example.com/auth/callback"],
        "responseTypes": ["OIDC_RESPONSE_TYPE_CODE"],
        "grantTypes": ["OIDC_GRANT_TYPE_AUTHORIZATION_CODE", "OIDC_GRANT_TYPE_REFRESH_TOKEN"],
        "clientId": web["clientId"],
        "postLogoutRedirectUris": ["https://portal.example.com/"],
        "accessTokenType": "OIDC_TOKEN_TYPE_JWT",
        "idTokenRoleAssertion": True,
        "clockSkew": "0s",
        "allowedOrigins": ["https://portal.example.com"],
    }
    status, body = await rest(
        session,
        server,
        "POST",
        base + "/_search",
        pat,
        {"queries": [{"nameQuery": {"name": "nothing-like-this"}}]},
    )
    # Zero values are omitted: no "result" key and no totalResult.
    assert status == 200 and set(body) == {"details"} and "totalResult" not in body["details"]
    status, body = await rest(session, server, "GET", f"{base}/{api['appId']}", pat)
    assert body["app"]["apiConfig"] == {
        "clientId": api["clientId"],
        "authMethodType": "API_AUTH_METHOD_TYPE_PRIVATE_KEY_JWT",
    }
    status, body = await rest(
        session,
        server,
        "POST",
        base + "/saml",
        pat,
        {"name": "saml", "metadataXml": base64.b64encode(SAML_XML).decode()},
    )
    assert status == 200
    status, body = await rest(session, server, "GET", f"{base}/{body['appId']}", pat)
    assert body["app"]["samlConfig"]["metadataXml"] == base64.b64encode(SAML_XML).decode()
    status, body = await rest(
        session,
        server,
        "POST",
        base + "/saml",
        pat,
        {"name": "saml2", "metadataUrl": "https://idp.example/metadata"},
    )
    assert status == 200
    status, body = await rest(session, server, "GET", f"/projects/{project_id}", pat)
    assert status == 200 and body["project"]["state"] == "PROJECT_STATE_ACTIVE"
    status, body = await rest(session, server, "DELETE", f"/projects/{project_id}", pat)
    assert status == 200 and set(body["details"]) == {"sequence", "changeDate", "resourceOwner"}
    status, body = await rest(session, server, "GET", "/healthz", pat)
    assert status == 200 and body == {}


async def test_secret_is_shown_once(doors, session, server, pat):
    project_id = await new_project(doors, pat)
    status, added = await rest(
        session,
        server,
        "POST",
        f"/projects/{project_id}/apps/oidc",
        pat,
        {"name": "w", "redirectUris": ["https://a.example/cb"]},
    )
    secret = added["clientSecret"]
    for path in (f"/projects/{project_id}/apps/{added['appId']}",):
        status, body = await rest(session, server, "GET", path, pat)
        assert secret not in orjson.dumps(body).decode()
    status, body = await rest(session, server, "POST", f"/projects/{project_id}/apps/_search", pat, {})
    assert secret not in orjson.dumps(body).decode()
    status, none_app = await rest(
        session,
        server,
        "POST",
        f"/projects/{project_id}/apps/oidc",
        pat,
        {
            "name": "spa",
            "appType": "OIDC_APP_TYPE_USER_AGENT",
            "authMethodType": "OIDC_AUTH_METHOD_TYPE_NONE",
            "redirectUris": ["https://a.example/cb"],
        },
    )
    assert "clientSecret" not in none_app


@pytest.mark.parametrize("method", list(object_pb2.TextQueryMethod.values()))
async def test_every_text_query_method_on_app_names(doors, pat, method):
    project_id = await new_project(doors, pat)
    for name in ("Alpha-Web", "alpha-api", "beta_web", "Gamma%"):
        await ok(
            doors,
            "AddAPIApp",
            mgmt.AddAPIAppRequest(project_id=project_id, name=name),
            mgmt.AddAPIAppResponse,
            pat,
        )
    cases = {
        object_pb2.TEXT_QUERY_METHOD_EQUALS: ("alpha-api", ["alpha-api"]),
        object_pb2.TEXT_QUERY_METHOD_EQUALS_IGNORE_CASE: ("ALPHA-WEB", ["Alpha-Web"]),
        object_pb2.TEXT_QUERY_METHOD_STARTS_WITH: ("Alpha", ["Alpha-Web"]),
        object_pb2.TEXT_QUERY_METHOD_STARTS_WITH_IGNORE_CASE: ("alpha", ["Alpha-Web", "alpha-api"]),
        object_pb2.TEXT_QUERY_METHOD_CONTAINS: ("_we", ["beta_web"]),
        object_pb2.TEXT_QUERY_METHOD_CONTAINS_IGNORE_CASE: ("WEB", ["Alpha-Web", "beta_web"]),
        object_pb2.TEXT_QUERY_METHOD_ENDS_WITH: ("%", ["Gamma%"]),
        object_pb2.TEXT_QUERY_METHOD_ENDS_WITH_IGNORE_CASE: ("-WEB", ["Alpha-Web"]),
    }
    value, expected = cases[method]
    query = app_pb2.AppQuery(name_query=app_pb2.AppNameQuery(name=value, method=method))
    resp = await ok(
        doors,
        "ListApps",
        mgmt.ListAppsRequest(project_id=project_id, queries=[query]),
        mgmt.ListAppsResponse,
        pat,
    )
    assert [a.name for a in resp.result] == expected and resp.details.total_result == len(expected)
    pq = project_pb2.ProjectQuery(name_query=project_pb2.ProjectNameQuery(name=value, method=method))
    projects = await ok(
        doors, "ListProjects", mgmt.ListProjectsRequest(queries=[pq]), mgmt.ListProjectsResponse, pat
    )
    assert all(p.name for p in projects.result)


async def test_pagination_edges(doors, pat):
    project_id = await new_project(doors, pat)
    created = []
    for i in range(7):
        r = await ok(
            doors,
            "AddAPIApp",
            mgmt.AddAPIAppRequest(project_id=project_id, name=f"a{i}"),
            mgmt.AddAPIAppResponse,
            pat,
        )
        created.append(r.app_id)

    async def page(offset, limit):
        q = object_pb2.ListQuery(offset=offset, limit=limit)
        return await call(
            doors,
            "ListApps",
            mgmt.ListAppsRequest(project_id=project_id, query=q),
            mgmt.ListAppsResponse,
            pat,
        )

    got = []
    for offset in range(0, 7, 3):
        out = await page(offset, 3)
        assert out.response.details.total_result == 7
        got += [a.id for a in out.response.result]
    assert got == created
    assert [a.id for a in (await page(0, 0)).response.result] == created  # 0 = default limit
    beyond = await page(7, 3)
    assert beyond.code == grpc.StatusCode.OK and not beyond.response.result
    assert beyond.response.details.total_result == 7
    assert len((await page(6, 1000)).response.result) == 1
    too_many = await page(0, 1001)
    assert too_many.code == grpc.StatusCode.INVALID_ARGUMENT and too_many.error_ids == ["QUERY-4M0fs"]


@pytest.mark.parametrize("door", DOORS)
async def test_validation_errors(doors, pat, door):
    out = await call(doors, "AddProject", mgmt.AddProjectRequest(), mgmt.AddProjectResponse, pat, door)
    assert out.code == grpc.StatusCode.INVALID_ARGUMENT
    assert (
        out.message
        == "invalid AddProjectRequest.Name: value length must be between 1 and 200 runes, inclusive"
    )
    out = await call(
        doors,
        "AddSAMLApp",
        mgmt.AddSAMLAppRequest(project_id="1", name="s"),
        mgmt.AddSAMLAppResponse,
        pat,
        door,
    )
    assert out.message == "invalid AddSAMLAppRequest.Metadata: value is required"


async def test_rest_validation_error_body(session, server, pat):
    status, body = await rest(session, server, "POST", "/projects", pat, {"name": ""})
    assert status == 400
    assert body == {
        "code": 3,
        "message": "invalid AddProjectRequest.Name: value length must be between 1 and 200 runes, inclusive",
    }
    status, body = await rest(
        session,
        server,
        "POST",
        "/projects/1/apps/saml",
        pat,
        {"name": "x", "metadataXml": base64.b64encode(b"<not-xml").decode()},
    )
    assert status == 400 and body["message"] == "SAML metadata is not valid XML (SAML-Sfd3e)"


async def create_instance(doors, system_token) -> system_pb2.CreateInstanceResponse:
    request = system_pb2.CreateInstanceRequest(
        instance_name=unique("inst"),
        machine=system_pb2.CreateInstanceRequest.Machine(
            user_name="sa",
            name="SA",
            personal_access_token=system_pb2.CreateInstanceRequest.PersonalAccessToken(),
        ),
    )
    out = await doors.call(
        "grpc", SYSTEM, "CreateInstance", request, system_pb2.CreateInstanceResponse, system_token
    )
    assert out.code == grpc.StatusCode.OK, out.message
    return out.response


async def test_cross_instance_isolation(doors, server, pat):
    project_id = await new_project(doors, pat)
    app = await ok(
        doors,
        "AddAPIApp",
        mgmt.AddAPIAppRequest(project_id=project_id, name="x"),
        mgmt.AddAPIAppResponse,
        pat,
    )
    other = await create_instance(doors, server.system_token())
    inst = await doors.call(
        "grpc",
        SYSTEM,
        "GetInstance",
        system_pb2.GetInstanceRequest(instance_id=other.instance_id),
        system_pb2.GetInstanceResponse,
        server.system_token(),
    )
    host = {"x-zitadel-instance-host": inst.response.instance.domains[0].domain}
    # The new instance's PAT on its own host sees nothing of the first instance.
    out = await doors.call(
        "grpc",
        MGMT,
        "GetProjectByID",
        mgmt.GetProjectByIDRequest(id=project_id),
        mgmt.GetProjectByIDResponse,
        other.pat,
        host,
    )
    assert out.code == grpc.StatusCode.NOT_FOUND
    out = await doors.call(
        "grpc",
        MGMT,
        "ListApps",
        mgmt.ListAppsRequest(project_id=project_id),
        mgmt.ListAppsResponse,
        other.pat,
        host,
    )
    assert out.code == grpc.StatusCode.OK and not out.response.result
    out = await doors.call(
        "grpc",
        MGMT,
        "GetAppByID",
        mgmt.GetAppByIDRequest(project_id=project_id, app_id=app.app_id),
        mgmt.GetAppByIDResponse,
        other.pat,
        host,
    )
    assert out.code == grpc.StatusCode.NOT_FOUND
    out = await doors.call(
        "grpc",
        MGMT,
        "RemoveProject",
        mgmt.RemoveProjectRequest(id=project_id),
        mgmt.RemoveProjectResponse,
        other.pat,
        host,
    )
    assert out.code == grpc.StatusCode.NOT_FOUND
    listed = await doors.call(
        "grpc", MGMT, "ListProjects", mgmt.ListProjectsRequest(), mgmt.ListProjectsResponse, other.pat, host
    )
    assert listed.code == grpc.StatusCode.OK and listed.response.details.total_result == 0
    # The other instance's PAT never acts on the first instance.
    out = await call(
        doors,
        "GetProjectByID",
        mgmt.GetProjectByIDRequest(id=project_id),
        mgmt.GetProjectByIDResponse,
        other.pat,
    )
    assert out.code == grpc.StatusCode.UNAUTHENTICATED


async def test_cross_org_isolation(doors, pat):
    # The header names an org that does not exist: permission denied (AUTH-Bs7Ds).
    out = await call(
        doors,
        "ListProjects",
        mgmt.ListProjectsRequest(),
        mgmt.ListProjectsResponse,
        pat,
        headers={"x-zitadel-orgid": "123456789"},
    )
    assert out.code == grpc.StatusCode.PERMISSION_DENIED and out.error_ids == ["AUTH-Bs7Ds"]
    project_id = await new_project(doors, pat)
    listed = await ok(doors, "ListProjects", mgmt.ListProjectsRequest(), mgmt.ListProjectsResponse, pat)
    assert project_id in [p.id for p in listed.result]
    owner = {p.id: p.details.resource_owner for p in listed.result}[project_id]
    rq = project_pb2.ProjectQuery(
        project_resource_owner_query=project_pb2.ProjectResourceOwnerQuery(resource_owner=owner)
    )
    filtered = await ok(
        doors, "ListProjects", mgmt.ListProjectsRequest(queries=[rq]), mgmt.ListProjectsResponse, pat
    )
    assert project_id in [p.id for p in filtered.result]
