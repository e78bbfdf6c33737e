"""CORS over a real socket: preflights, actual responses of both doors, disallowed origins."""

from __future__ import annotations

import json
import struct

import pytest
import pytest_asyncio
from aiohttp import ClientSession
from aiohttp.test_utils import TestServer

from echo_servicer import door_app, echo_pb2, echo_registry
from ztn.gateway.cors import Cors

ECHO = "/ztn.testing.v1.EchoService/Echo"
ORIGIN = "https://app.example.com"


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def server():
    server = TestServer(door_app(echo_registry(), cors_origins=[ORIGIN, "http://localhost:3000"]))
    await server.start_server()
    yield server
    await server.close()


@pytest_asyncio.fixture(loop_scope="session")
async def http():
    async with ClientSession() as session:
        yield session


def split(value: str) -> list[str]:
    return [v.strip().lower() for v in value.split(",") if v.strip()]


async def preflight(http, server, origin=ORIGIN, method="POST", headers="content-type,x-grpc-web"):
    request_headers = {"Origin": origin, "Access-Control-Request-Method": method}
    if headers is not None:
        request_headers["Access-Control-Request-Headers"] = headers
    async with http.options(server.make_url(ECHO), headers=request_headers) as resp:
        await resp.read()
        return resp


async def test_preflight_echoes_origin_and_requested_headers(http, server):
    asked = "content-type,x-grpc-web,x-user-agent,grpc-timeout,authorization,x-zitadel-orgid"
    resp = await preflight(http, server, headers=asked)
    assert resp.status == 204
    assert resp.headers["Access-Control-Allow-Origin"] == ORIGIN
    assert resp.headers["Access-Control-Allow-Credentials"] == "true"
    assert split(resp.headers["Access-Control-Allow-Headers"]) == asked.split(",")
    assert set(split(resp.headers["Access-Control-Allow-Methods"])) == {
        "get",
        "post",
        "put",
        "patch",
        "delete",
        "options",
    }
    assert resp.headers["Access-Control-Max-Age"] == "7200"
    assert set(split(resp.headers["Vary"])) == {
        "origin",
        "access-control-request-method",
        "access-control-request-headers",
    }


async def test_preflight_without_requested_headers_allows_the_protocol_defaults(http, server):
    resp = await preflight(http, server, method="GET", headers=None)
    allowed = set(split(resp.headers["Access-Control-Allow-Headers"]))
    assert {
        "authorization",
        "content-type",
        "x-grpc-web",
        "x-user-agent",
        "grpc-timeout",
        "connect-protocol-version",
        "connect-timeout-ms",
        "x-zitadel-orgid",
    } <= allowed


async def test_preflight_from_a_disallowed_origin_is_403_without_cors_headers(http, server):
    resp = await preflight(http, server, origin="https://evil.example.com")
    assert resp.status == 403
    assert not any(h.lower().startswith("access-control-") for h in resp.headers)


async def test_options_without_request_method_is_not_a_preflight(http, server):
    async with http.options(server.make_url(ECHO), headers={"Origin": ORIGIN}) as resp:
        assert resp.status == 404  # routed like any request; the test dispatcher has no OPTIONS door
        assert "Access-Control-Allow-Methods" not in resp.headers


async def test_grpc_web_trailers_only_error_exposes_status_headers(http, server):
    request = echo_pb2.EchoRequest(
        fail_code=5, fail_message="gone", fail_reason="R", trailer_metadata={"x-t": "1"}
    )
    body = struct.pack(">BI", 0, request.ByteSize()) + request.SerializeToString()
    headers = {"Origin": ORIGIN, "Content-Type": "application/grpc-web+proto", "X-Grpc-Web": "1"}
    async with http.post(server.make_url(ECHO), data=body, headers=headers) as resp:
        await resp.read()
    assert resp.headers["grpc-status"] == "5"
    assert resp.headers["Access-Control-Allow-Origin"] == ORIGIN
    assert resp.headers["Access-Control-Allow-Credentials"] == "true"
    exposed = split(resp.headers["Access-Control-Expose-Headers"])
    assert {"grpc-status", "grpc-message", "grpc-status-details-bin", "x-t"} <= set(exposed)
    assert "*" not in exposed and "content-type" not in exposed
    assert "origin" in split(resp.headers["Vary"])


async def test_connect_response_exposes_metadata_and_trailer_headers(http, server):
    body = json.dumps({"headerMetadata": {"x-request-id": "1"}, "trailerMetadata": {"x-cost": "2"}})
    headers = {"Origin": "http://localhost:3000", "Content-Type": "application/json"}
    async with http.post(server.make_url(ECHO), data=body, headers=headers) as resp:
        await resp.read()
    assert resp.status == 200
    assert resp.headers["Access-Control-Allow-Origin"] == "http://localhost:3000"
    assert {"x-request-id", "trailer-x-cost", "grpc-status"} <= set(
        split(resp.headers["Access-Control-Expose-Headers"])
    )


async def test_actual_request_from_a_disallowed_origin_gets_no_cors_headers(http, server):
    headers = {"Origin": "https://evil.example.com", "Content-Type": "application/json"}
    async with http.post(server.make_url(ECHO), data="{}", headers=headers) as resp:
        await resp.read()
    assert resp.status == 200  # CORS is enforced by the browser; the server only withholds the headers
    assert "Access-Control-Allow-Origin" not in resp.headers


async def test_request_without_origin_gets_no_cors_headers(http, server):
    async with http.post(
        server.make_url(ECHO), data="{}", headers={"Content-Type": "application/json"}
    ) as resp:
        await resp.read()
    assert "Access-Control-Allow-Origin" not in resp.headers
    assert "origin" in split(resp.headers["Vary"])


@pytest.mark.parametrize(
    ("configured", "origin", "allowed"),
    [
        (["*"], "https://any.example", True),
        (["*"], "null", False),
        (["*", "null"], "null", True),
        (["https://a.example/"], "https://A.example", True),
        (["https://a.example"], "https://a.example:8443", False),
        ([], "https://a.example", False),
        (["https://a.example"], "", False),
    ],
)
def test_origin_matching(configured, origin, allowed):
    assert Cors(configured).allows(origin) is allowed
