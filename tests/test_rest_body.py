"""Request bodies (``*``, a field, none), response_body, HttpBody, additional bindings and success codes."""

from __future__ import annotations

import gzip

import pytest

from httprule_servicer import raw_request, serve_rest
from ztn.gateway.json_style import JsonStyle


@pytest.fixture(scope="module")
async def client():
    async with serve_rest() as c:
        yield c


async def send(client, method: str, path: str, **kw) -> tuple[int, object]:
    r = await raw_request(client, method, path, **kw)
    return r.status, await r.json()


async def test_body_star_fills_whole_message_and_path_wins(client) -> None:
    status, body = await send(client, "POST", "/v1/whole/from-path", json={"id": "from-body", "fInt32": 3})
    assert (status, body) == (200, {"id": "from-path", "fInt32": 3})


async def test_body_star_accepts_proto_names(client) -> None:
    assert await send(client, "POST", "/v1/whole/x", json={"f_int64": 5}) == (200, {"id": "x", "fInt64": "5"})


async def test_empty_body_is_an_empty_message(client) -> None:
    assert await send(client, "POST", "/v1/whole/x", data=b"") == (200, {"id": "x"})
    assert await send(client, "PATCH", "/v1/items/x", data=b"  ") == (200, {"id": "x"})


async def test_body_field_message(client) -> None:
    status, body = await send(client, "PATCH", "/v1/items/p", json={"name": "n", "shade": "SHADE_DARK"})
    assert (status, body) == (200, {"id": "p", "sub": {"name": "n", "shade": "SHADE_DARK"}})


async def test_body_field_scalar_and_repeated(client) -> None:
    assert await send(client, "PUT", "/v1/items/p/text", json="hello") == (200, {"id": "p", "text": "hello"})
    status, body = await send(client, "POST", "/v1/items/p/numbers", json=[1, 2, 3])
    assert (status, body) == (200, {"id": "p", "rInt32": [1, 2, 3]})


async def test_no_body_binding_ignores_the_body(client) -> None:
    assert await send(client, "GET", "/v1/items/p", data=b"{not json") == (200, {"id": "p"})


async def test_non_json_content_type_is_still_parsed_as_json(client) -> None:
    headers = {"Content-Type": "text/plain"}
    assert await send(client, "POST", "/v1/whole/x", data=b'{"name":"t"}', headers=headers) == (
        200,
        {"id": "x", "name": "t"},
    )


@pytest.mark.parametrize(
    "method, path, data",
    [
        ("POST", "/v1/whole/x", b"{bad"),
        ("POST", "/v1/whole/x", b'{"fInt32":"abc"}'),
        ("POST", "/v1/whole/x", b"[1,2]"),
        ("POST", "/v1/whole/x", b"[" * 100_000),
        ("POST", "/v1/whole/x", b'{"sub":' * 5000 + b"{}" + b"}" * 5000),
        ("PUT", "/v1/items/p/text", b"12"),
        ("PUT", "/v1/items/p/text", b'"a" trailing'),
        ("POST", "/v1/items/p/numbers", b'{"a":1}'),
    ],
)
async def test_malformed_or_mistyped_bodies_are_400(client, method, path, data) -> None:
    status, body = await send(client, method, path, data=data)
    assert status == 400
    assert body["code"] == 3 and body["message"]


async def test_garbage_gzip_body_is_400_not_500(client) -> None:
    headers = {"Content-Encoding": "gzip", "Content-Type": "application/json"}
    status, body = await send(client, "POST", "/v1/whole/x", data=b"\x1f\x8bnot gzip at all", headers=headers)
    assert status == 400 and body["code"] == 3


async def test_gzip_body_is_decoded(client) -> None:
    headers = {"Content-Encoding": "gzip"}
    data = gzip.compress(b'{"name":"zipped"}')
    assert await send(client, "POST", "/v1/whole/x", data=data, headers=headers) == (
        200,
        {"id": "x", "name": "zipped"},
    )


async def test_path_value_type_mismatch_is_400(client) -> None:
    status, body = await send(client, "GET", "/v1/nested/n/notanumber")
    assert status == 400
    assert "type mismatch, parameter: sub.child.count" in body["message"]


async def test_response_body_scalar_repeated_message(client) -> None:
    assert await send(client, "GET", "/v1/items/p/name?name=N") == (200, "N")
    assert await send(client, "GET", "/v1/items/p/tags?r_string=a&r_string=b") == (200, ["a", "b"])
    assert await send(client, "GET", "/v1/items/p/sub?sub.name=s") == (200, {"name": "s"})


async def test_response_body_of_an_omitted_zero_field_is_its_zero_json(client) -> None:
    assert await send(client, "GET", "/v1/items/p/name") == (200, "")
    assert await send(client, "GET", "/v1/items/p/tags") == (200, [])
    assert await send(client, "GET", "/v1/items/p/sub") == (200, {})


async def test_additional_bindings_route_to_the_same_rpc(client) -> None:
    for method, path, kw in [
        ("GET", "/v1/items/a1", {}),
        ("GET", "/v1/alt/items/a1", {}),
        ("POST", "/v1/alt/items/a1:lookup", {"json": {"name": "n"}}),
    ]:
        r = await raw_request(client, method, path, **kw)
        assert r.status == 200
        assert r.headers["Grpc-Metadata-X-Method"] == "GetItem"
        assert (await r.json())["id"] == "a1"


async def test_declared_success_code_201(client) -> None:
    r = await raw_request(client, "POST", "/v1/items", json={"name": "new"})
    assert r.status == 201
    assert r.content_type == "application/json"
    assert await r.json() == {"name": "new"}


async def test_declared_204_sends_no_body(client) -> None:
    r = await raw_request(client, "DELETE", "/v1/items/3")
    assert r.status == 204
    assert await r.read() == b""


async def test_x_http_code_metadata_wins_and_is_stripped(client) -> None:
    r = await raw_request(client, "POST", "/v1/meta", json={"labels": {"hdr-x-http-code": "202"}})
    assert r.status == 202
    assert "Grpc-Metadata-X-Http-Code" not in r.headers


async def test_http_body_response_is_written_raw(client) -> None:
    r = await raw_request(client, "GET", "/v1/download/hello%20world")
    assert r.status == 200
    assert r.headers["Content-Type"] == "text/plain; charset=utf-8"
    assert await r.read() == b"hello world"


async def test_success_json_follows_the_service_style() -> None:
    style = JsonStyle(proto_names=True, emit_unpopulated=True, null_unset_messages=True)
    async with serve_rest(style=style) as c:
        status, body = await send(c, "GET", "/v1/items/p")
        assert status == 200
        assert body["id"] == "p" and body["f_int32"] == 0 and body["sub"] is None and body["r_string"] == []
        status, body = await send(c, "GET", "/v1/items/p/sub")
        assert (status, body) == (200, None)
