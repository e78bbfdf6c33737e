"""REST error bodies (google.rpc.Status JSON in the service style), WWW-Authenticate, and
headers <-> metadata in both directions, timeouts."""

from __future__ import annotations

import pytest

from httprule_servicer import raw_request, serve_rest
from ztn.gateway.json_style import JsonStyle


@pytest.fixture(scope="module")
async def client():
    async with serve_rest() as c:
        yield c


async def fail(client, **request) -> tuple[int, dict, object]:
    r = await raw_request(client, "POST", "/v1/fail", json=request)
    return r.status, r.headers, await r.json()


async def test_error_body_omits_empty_details_in_zitadel_style(client) -> None:
    status, headers, body = await fail(client, fInt32=5, name="thing not found")
    assert (status, body) == (404, {"code": 5, "message": "thing not found"})
    assert headers["Content-Type"] == "application/json"


async def test_error_body_with_details_as_any_json(client) -> None:
    status, _, body = await fail(client, fInt32=9, name="precondition", text="detail")
    assert status == 400
    assert body == {
        "code": 9,
        "message": "precondition",
        "details": [
            {"@type": "type.googleapis.com/google.rpc.ErrorInfo", "reason": "BROKEN", "domain": "ztn.testing"}
        ],
    }


async def test_unresolvable_detail_type_is_500_fixed_body(client) -> None:
    status, _, body = await fail(client, fInt32=3, name="bad", text="unresolvable")
    assert (status, body) == (500, {"code": 13, "message": "failed to marshal error message"})


async def test_unauthenticated_sets_www_authenticate(client) -> None:
    status, headers, body = await fail(client, fInt32=16, name="auth header missing")
    assert (status, body) == (401, {"code": 16, "message": "auth header missing"})
    assert headers["WWW-Authenticate"] == "auth header missing"


async def test_header_metadata_is_forwarded_on_errors(client) -> None:
    _, headers, _ = await fail(client, fInt32=7, name="denied")
    assert headers["Grpc-Metadata-X-Before-Error"] == "yes"


@pytest.mark.parametrize("code, http", [(1, 499), (4, 504), (6, 409), (8, 429), (12, 501), (14, 503)])
async def test_http_status_follows_the_grpc_code(client, code, http) -> None:
    status, _, body = await fail(client, fInt32=code, name="x")
    assert (status, body["code"]) == (http, code)


async def test_error_body_emits_empty_details_when_style_emits_unpopulated() -> None:
    async with serve_rest(style=JsonStyle(emit_unpopulated=True)) as c:
        r = await raw_request(c, "POST", "/v1/fail", json={"fInt32": 5, "name": "nf"})
        assert await r.json() == {"code": 5, "message": "nf", "details": []}


async def test_request_headers_become_metadata(client) -> None:
    headers = {
        "Authorization": "Bearer t",
        "Grpc-Metadata-X-Custom": "c",
        "Grpc-Metadata-Blob-Bin": "AAE",
        "User-Agent": "tests",
        "X-Ztn-Org": "o1",
        "X-Dropped": "d",
    }
    r = await raw_request(client, "POST", "/v1/meta", json={}, headers=headers)
    labels = (await r.json())["labels"]
    assert labels["authorization"] == "Bearer t"
    assert labels["grpcgateway-authorization"] == "Bearer t"
    assert labels["x-custom"] == "c"
    assert labels["blob-bin"] == "bin:0001"
    assert labels["grpcgateway-user-agent"] == "tests"
    assert labels["x-ztn-org"] == "o1"
    assert labels["x-forwarded-for"] == "127.0.0.1"
    assert "x-dropped" not in labels


async def test_bad_binary_metadata_header_is_400(client) -> None:
    r = await raw_request(client, "POST", "/v1/meta", json={}, headers={"Grpc-Metadata-X-Bin": "!!!"})
    assert r.status == 400
    assert (await r.json())["code"] == 3


async def test_response_metadata_becomes_prefixed_headers(client) -> None:
    labels = {"hdr-x-one": "1", "trl-x-two": "2", "hdr-evil": "a\r\nSet-Cookie: x=1"}
    r = await raw_request(client, "POST", "/v1/meta", json={"labels": labels})
    assert r.status == 200
    assert r.headers["Grpc-Metadata-X-One"] == "1"
    assert r.headers["Grpc-Trailer-X-Two"] == "2"  # documented deviation: trailers as headers
    assert "Set-Cookie" not in r.headers
    assert "\n" not in r.headers["Grpc-Metadata-Evil"]


async def test_grpc_timeout_header(client) -> None:
    r = await raw_request(client, "GET", "/v1/items/x", headers={"Grpc-Timeout": "5S"})
    assert r.status == 200
    r = await raw_request(client, "GET", "/v1/items/x", headers={"Grpc-Timeout": "soon"})
    assert r.status == 400
    assert await r.json() == {"code": 3, "message": "invalid grpc-timeout"}
