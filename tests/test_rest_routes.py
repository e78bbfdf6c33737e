"""REST routing over a real socket: template features, raw-path decoding, trailing slash, precedence,
overlap warnings, 404/405 bodies, and start-up validation of google.api.http rules."""

from __future__ import annotations

import logging

import pytest
from google.api import annotations_pb2, http_pb2
from google.protobuf import descriptor_pb2 as d
from google.protobuf import descriptor_pool, message_factory

from httprule_servicer import make_registry, raw_request, serve_rest
from ztn.gateway.json_style import JsonStyle
from ztn.gateway.registry import MethodInfo, ServiceOptions
from ztn.gateway.routes import RouteError, RouteTable


@pytest.fixture(scope="module")
async def client():
    async with serve_rest() as c:
        yield c


async def call(client, method: str, path: str, **kw) -> tuple[int, str, object]:
    r = await raw_request(client, method, path, **kw)
    body = await r.json() if r.content_type == "application/json" else await r.read()
    return r.status, r.headers.get("Grpc-Metadata-X-Method", ""), body


@pytest.mark.parametrize(
    "path, rpc, expected",
    [
        ("/v1/items/abc", "GetItem", {"id": "abc"}),
        ("/v1/shelves/s1/books/b2", "GetBook", {"name": "shelves/s1/books/b2"}),
        ("/v1/files/a/b/c.txt", "GetFile", {"path": "a/b/c.txt"}),
        ("/v1/wild/anything/x", "GetWild", {}),
        ("/v1/deep/a/b/c", "GetDeep", {}),
        ("/v1/deep", "GetDeep", {}),
        ("/v1/nested/n1/7", "GetNested", {"sub": {"name": "n1", "child": {"count": "7"}}}),
        ("/v1/alt/items/q", "GetItem", {"id": "q"}),
    ],
)
async def test_get_templates_bind_path_variables(client, path, rpc, expected) -> None:
    assert await call(client, "GET", path) == (200, rpc, expected)


async def test_custom_verb_binds_multi_segment_variable(client) -> None:
    assert await call(client, "POST", "/v1/things/42:cancel") == (200, "CancelThing", {"name": "things/42"})


async def test_encoded_colon_is_not_a_verb(client) -> None:
    status, rpc, body = await call(client, "GET", "/v1/items/user%3A123")
    assert (status, rpc, body) == (200, "GetItem", {"id": "user:123"})
    status, rpc, body = await call(client, "GET", "/v1/items/user:123")
    assert (status, rpc, body) == (200, "GetItem", {"id": "user:123"})


async def test_encoded_slash_in_single_segment_variable_is_decoded(client) -> None:
    assert await call(client, "GET", "/v1/items/a%2Fb") == (200, "GetItem", {"id": "a/b"})


async def test_encoded_slash_in_multi_segment_variable_stays_encoded(client) -> None:
    status, _, body = await call(client, "GET", "/v1/shelves/s%201/books/a%2Fb")
    assert (status, body) == (200, {"name": "shelves/s 1/books/a%2Fb"})
    status, _, body = await call(client, "GET", "/v1/files/dir%2Fx/%C3%A9.txt")
    assert (status, body) == (200, {"path": "dir%2Fx/é.txt"})


@pytest.mark.parametrize("path", ["/v1/items/%G1", "/v1/items/%2", "/v1/items/%FF%FE"])
async def test_malformed_escapes_and_invalid_utf8_are_400(client, path) -> None:
    status, _, body = await call(client, "GET", path)
    assert status == 400
    assert body["code"] == 3 and body["message"]


async def test_one_trailing_slash_is_stripped(client) -> None:
    assert await call(client, "GET", "/v1/items/abc/") == (200, "GetItem", {"id": "abc"})
    assert (await call(client, "POST", "/v1/items/"))[:2] == (201, "CreateItem")


async def test_empty_segment_does_not_match_single_variable(client) -> None:
    status, _, body = await call(client, "GET", "/v1/wild//x")
    assert (status, body) == (404, {"code": 5, "message": "Not Found"})


async def test_literal_beats_variable_regardless_of_declaration_order(client) -> None:
    assert await call(client, "GET", "/v1/items/special") == (200, "GetSpecial", {})


async def test_unknown_path_is_404_in_zitadel_style(client) -> None:
    assert await call(client, "GET", "/nope/at/all") == (404, "", {"code": 5, "message": "Not Found"})


async def test_wrong_method_is_405_with_allow_header(client) -> None:
    r = await raw_request(client, "PUT", "/v1/items/abc")
    assert r.status == 405
    assert await r.json() == {"code": 12, "message": "Method Not Allowed"}
    assert r.headers["Allow"] == "DELETE, GET, PATCH"


async def test_custom_http_method(client) -> None:
    assert await call(client, "SEARCH", "/v1/items?name=x") == (200, "SearchItems", {"name": "x"})


async def test_rest_prefix_is_prepended_and_style_applies_to_errors() -> None:
    style = JsonStyle(emit_unpopulated=True)
    async with serve_rest(prefix="/test/v1", style=style) as c:
        status, rpc, body = await call(c, "GET", "/test/v1/v1/items/abc")
        assert (status, rpc, body["id"], body["fInt32"]) == (200, "GetItem", "abc", 0)
        status, _, body = await call(c, "GET", "/v1/items/abc")
        assert status == 404


def test_overlaps_are_logged_at_startup_naming_both_methods(caplog) -> None:
    with caplog.at_level(logging.WARNING, logger="ztn.gateway.routes"):
        RouteTable(make_registry().methods.values())
    lines = [r.getMessage() for r in caplog.records]
    assert any("GET /v1/items/special (/ztn.testing.v1.HttpRuleService/GetSpecial)" in m
               and "GET /v1/items/{id} (/ztn.testing.v1.HttpRuleService/GetItem)" in m for m in lines)


def test_route_table_public_shape() -> None:
    table = RouteTable(make_registry("/p").methods.values())
    by_template = {(r.http_method, r.template): r for r in table.routes}
    lookup = by_template[("POST", "/p/v1/alt/items/{id}:lookup")]
    assert (lookup.method.name, lookup.body, lookup.binding) == ("GetItem", "*", 2)
    assert lookup.path_fields == ("id",)
    assert by_template[("POST", "/p/v1/items")].success_code == 201
    assert by_template[("GET", "/p/v1/items/{id}/tags")].response_body == "r_string"
    assert by_template[("GET", "/p/v1/nested/{sub.name}/{sub.child.count}")].path_fields == (
        "sub.name",
        "sub.child.count",
    )
    assert by_template[("SEARCH", "/p/v1/items")].http_method == "SEARCH"


# --- start-up validation: descriptors with bad rules, built in a private pool -------------------------


def _method_with(rule: http_pb2.HttpRule) -> MethodInfo:
    fdp = d.FileDescriptorProto(name="bad/v1/bad.proto", package="bad.v1", syntax="proto3")
    fdp.dependency.append("google/api/annotations.proto")
    req = fdp.message_type.add(name="Req")
    F = d.FieldDescriptorProto
    req.field.add(name="id", number=1, type=F.TYPE_STRING, label=F.LABEL_OPTIONAL)
    req.field.add(name="sub", number=2, type=F.TYPE_MESSAGE, label=F.LABEL_OPTIONAL, type_name=".bad.v1.Req")
    req.field.add(name="tags", number=3, type=F.TYPE_STRING, label=F.LABEL_REPEATED)
    method = fdp.service.add(name="Svc").method.add(name="Do", input_type=".bad.v1.Req")
    method.output_type = ".bad.v1.Req"
    method.options.Extensions[annotations_pb2.http].CopyFrom(rule)
    pool = descriptor_pool.DescriptorPool()
    for dep in (d.DESCRIPTOR, http_pb2.DESCRIPTOR, annotations_pb2.DESCRIPTOR):
        proto = d.FileDescriptorProto()
        dep.CopyToProto(proto)
        pool.Add(proto)
    pool.Add(fdp)
    md = pool.FindServiceByName("bad.v1.Svc").methods_by_name["Do"]
    cls = message_factory.GetMessageClass(md.input_type)

    async def handler(request, context):
        return request

    return MethodInfo("/bad.v1.Svc/Do", md, cls, cls, ServiceOptions(), handler)


@pytest.mark.parametrize(
    "rule, reason",
    [
        (http_pb2.HttpRule(get="/v1/things//"), "empty segment"),
        (http_pb2.HttpRule(get="/v1/{a=**}/{b=**}"), "more than one"),
        (http_pb2.HttpRule(get="v1/x"), "start with"),
        (http_pb2.HttpRule(get="/v1/{nope}"), "no field 'nope'"),
        (http_pb2.HttpRule(get="/v1/{sub}"), "not a leaf type"),
        (http_pb2.HttpRule(get="/v1/{id.x}"), "'id' is not a message"),
        (http_pb2.HttpRule(get="/v1/{tags}"), "repeated"),
        (http_pb2.HttpRule(post="/v1/x", body="nope"), "body field 'nope'"),
        (http_pb2.HttpRule(post="/v1/x", body="sub.id"), "body field 'sub.id'"),
        (http_pb2.HttpRule(get="/v1/x", body="*"), "GET binding cannot have a body"),
        (http_pb2.HttpRule(get="/v1/x", response_body="nope"), "response_body 'nope'"),
        (http_pb2.HttpRule(body="*"), "no pattern"),
        (
            http_pb2.HttpRule(
                get="/v1/x",
                additional_bindings=[
                    http_pb2.HttpRule(get="/v1/y", additional_bindings=[http_pb2.HttpRule(get="/v1/z")])
                ],
            ),
            "nested",
        ),
    ],
)
def test_bad_rules_fail_at_startup_naming_the_method(rule, reason) -> None:
    with pytest.raises(RouteError, match=reason) as err:
        RouteTable([_method_with(rule)])
    assert "/bad.v1.Svc/Do" in str(err.value)


def test_delete_with_body_needs_allow_delete_body() -> None:
    rule = http_pb2.HttpRule(delete="/v1/x", body="*")
    assert len(RouteTable([_method_with(rule)]).routes) == 1
    with pytest.raises(RouteError, match="DELETE"):
        RouteTable([_method_with(rule)], allow_delete_body=False)
