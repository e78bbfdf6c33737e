"""GET /openapi.json: an OpenAPI 3.0.3 document built from the REST door's own route table."""

from __future__ import annotations

import json
import urllib.request
from typing import Any

import pytest
from openapi_spec_validator import validate as validate_spec

from httprule_servicer import HttpRuleServicer
from zitadel import system_pb2_grpc
from ztn.gateway.json_style import JsonStyle
from ztn.gateway.openapi import build_openapi
from ztn.gateway.registry import Registry, ServiceOptions
from ztn.gateway.routes import RouteTable
from ztn.services.system import SystemServicer
from ztn.testing.v1 import httprule_pb2_grpc

SCHEMAS = "#/components/schemas/"


def build(style: JsonStyle | None = None) -> tuple[RouteTable, dict[str, Any]]:
    registry = Registry()
    registry.add(
        system_pb2_grpc.add_SystemServiceServicer_to_server,
        SystemServicer(None),  # never called: only its descriptors matter here
        ServiceOptions(rest_prefix="/system/v1"),
    )
    registry.add(
        httprule_pb2_grpc.add_HttpRuleServiceServicer_to_server,
        HttpRuleServicer(),
        ServiceOptions(rest_prefix="/t", json_style=style or JsonStyle()),
    )
    table = RouteTable(registry.methods.values())
    return table, build_openapi(table.routes, title="ztn test", version="1.2.3")


@pytest.fixture(scope="module")
def doc() -> dict[str, Any]:
    return build()[1]


def operations(doc: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Every operation by operationId, including the custom-method ones under x-ztn-operations."""
    out = {}
    for item in doc["paths"].values():
        for key, op in item.items():
            if key == "x-ztn-operations":
                out.update({o["operationId"]: o for o in op.values()})
            else:
                out[op["operationId"]] = op
    return out


def params(op: dict[str, Any], where: str) -> dict[str, dict[str, Any]]:
    return {p["name"]: p for p in op.get("parameters", []) if p["in"] == where}


def resolve(doc: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    ref = schema.get("$ref") or schema.get("allOf", [{}])[0].get("$ref")
    return doc["components"]["schemas"][ref.removeprefix(SCHEMAS)] if ref else schema


def test_document_is_valid_openapi_3_0_3(doc):
    assert doc["openapi"] == "3.0.3"
    assert doc["info"] == {"title": "ztn test", "version": "1.2.3"}
    validate_spec(doc)


def test_document_is_plain_json(doc):
    assert json.loads(json.dumps(doc)) == doc


def test_every_route_is_documented_once_with_its_operation_id():
    table, doc = build()
    ops = operations(doc)
    assert len(ops) == len(table.routes)
    for route in table.routes:
        suffix = str(route.binding + 1) if route.binding else ""
        op_id = f"{route.method.descriptor.containing_service.name}_{route.method.name}{suffix}"
        assert op_id in ops, route.describe()
        assert str(route.success_code) in ops[op_id]["responses"]


def test_every_ref_resolves(doc):
    refs: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if isinstance(node.get("$ref"), str):
                refs.append(node["$ref"])
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    walk(doc)
    assert refs
    for ref in refs:
        assert ref.removeprefix(SCHEMAS) in doc["components"]["schemas"], ref


def test_system_paths_methods_and_operation_ids(doc):
    paths = doc["paths"]
    item = paths["/system/v1/instances/{instanceId}"]
    assert {k: v["operationId"] for k, v in item.items()} == {
        "get": "SystemService_GetInstance",
        "put": "SystemService_UpdateInstance",
        "delete": "SystemService_RemoveInstance",
    }
    assert paths["/system/v1/instances/_search"]["post"]["operationId"] == "SystemService_ListInstances"
    assert paths["/system/v1/healthz"]["get"]["operationId"] == "SystemService_Healthz"
    assert set(paths["/system/v1/instances/{instanceId}/domains/{domain}"]) == {"delete"}
    assert {"name": "SystemService", "description": "zitadel.system.v1.SystemService"} in doc["tags"]
    assert item["get"]["tags"] == ["SystemService"]


def test_get_instance_has_a_required_path_param_and_the_response_schema(doc):
    op = doc["paths"]["/system/v1/instances/{instanceId}"]["get"]
    assert params(op, "path") == {
        "instanceId": {
            "name": "instanceId",
            "in": "path",
            "required": True,
            "schema": {"type": "string", "minLength": 1, "maxLength": 200},  # validate.rules
        }
    }
    assert "requestBody" not in op
    ok = op["responses"]["200"]["content"]["application/json"]["schema"]
    assert ok == {"$ref": SCHEMAS + "zitadel.system.v1.GetInstanceResponse"}
    error = op["responses"]["default"]["content"]["application/json"]["schema"]
    assert error == {"$ref": SCHEMAS + "google.rpc.Status"}


def test_error_schema_is_the_google_rpc_status_shape(doc):
    status = doc["components"]["schemas"]["google.rpc.Status"]["properties"]
    assert status["code"] == {"type": "integer", "format": "int32"}
    assert status["message"] == {"type": "string"}
    assert status["details"] == {"type": "array", "items": {"$ref": SCHEMAS + "google.protobuf.Any"}}
    anything = doc["components"]["schemas"]["google.protobuf.Any"]
    assert anything["properties"]["@type"]["type"] == "string"
    assert anything["additionalProperties"] is True


def test_body_star_with_path_fields_is_a_synthetic_schema_without_them(doc):
    op = doc["paths"]["/system/v1/instances/{instanceId}"]["put"]
    ref = op["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    assert ref == SCHEMAS + "zitadel.system.v1.SystemService.UpdateInstanceBody"
    body = resolve(doc, {"$ref": ref})
    assert "instanceId" not in body["properties"]
    assert "instanceName" in body["properties"]
    assert "parameters" not in op or not params(op, "query")  # body "*": the query is never read


def test_body_star_without_path_fields_references_the_request(doc):
    op = doc["paths"]["/system/v1/instances/_search"]["post"]
    schema = op["requestBody"]["content"]["application/json"]["schema"]
    assert schema == {"$ref": SCHEMAS + "zitadel.system.v1.ListInstancesRequest"}


def test_system_schemas_follow_zitadel_json(doc):
    schemas = doc["components"]["schemas"]
    details = schemas["zitadel.v1.ObjectDetails"]["properties"]
    assert details["sequence"] == {"type": "string", "format": "uint64"}  # 64-bit ints are strings
    assert details["creationDate"] == {"type": "string", "format": "date-time"}
    assert "resourceOwner" in details  # camelCase json names
    instance = schemas["zitadel.instance.v1.InstanceDetail"]["properties"]
    assert instance["state"] == {"$ref": SCHEMAS + "zitadel.instance.v1.State"}
    assert schemas["zitadel.instance.v1.State"]["enum"][0] == "STATE_UNSPECIFIED"
    assert instance["domains"]["items"] == {"$ref": SCHEMAS + "zitadel.instance.v1.Domain"}


def test_query_params_cover_every_non_path_leaf_with_text_types(doc):
    op = operations(doc)["HttpRuleService_GetItem"]
    assert set(params(op, "path")) == {"id"}
    query = params(op, "query")
    assert "id" not in query
    assert query["fInt64"]["schema"] == {"type": "string", "format": "int64"}
    assert query["fInt32"]["schema"] == {"type": "integer", "format": "int32"}
    assert query["fBytes"]["schema"] == {"type": "string", "format": "byte"}
    assert query["ts"]["schema"] == {"type": "string", "format": "date-time"}
    assert query["fEnum"]["schema"]["enum"] == ["SHADE_UNSPECIFIED", "SHADE_LIGHT", "SHADE_DARK"]
    assert query["rInt32"] == {
        "name": "rInt32",
        "in": "query",
        "schema": {"type": "array", "items": {"type": "integer", "format": "int32"}},
        "style": "form",
        "explode": True,
    }
    assert query["wInt64"]["schema"] == {"type": "string", "format": "int64"}
    assert query["other"]["schema"] == {"type": "string"}  # the field's json_name
    assert query["labels"]["style"] == "deepObject"  # ?labels[key]=value
    # Nested leaves use dots; the recursive HttpSub.child stops; repeated messages are not settable.
    assert {"sub.name", "sub.count", "sub.shade"} <= set(query)
    assert not any(name.startswith("sub.child") for name in query)
    assert not any(name.startswith("rSub") for name in query)


def test_body_field_binding_excludes_that_field_from_the_query(doc):
    op = operations(doc)["HttpRuleService_PatchSub"]
    assert op["requestBody"]["content"]["application/json"]["schema"] == {
        "$ref": SCHEMAS + "ztn.testing.v1.HttpSub"
    }
    query = params(op, "query")
    assert "text" in query and not any(name.startswith("sub") for name in query)
    numbers = operations(doc)["HttpRuleService_PostNumbers"]
    assert numbers["requestBody"]["content"]["application/json"]["schema"] == {
        "type": "array",
        "items": {"type": "integer", "format": "int32"},
    }


def test_additional_bindings_get_numbered_operation_ids(doc):
    assert doc["paths"]["/t/v1/items/{id}"]["get"]["operationId"] == "HttpRuleService_GetItem"
    assert doc["paths"]["/t/v1/alt/items/{id}"]["get"]["operationId"] == "HttpRuleService_GetItem2"
    lookup = doc["paths"]["/t/v1/alt/items/{id}:lookup"]["post"]
    assert lookup["operationId"] == "HttpRuleService_GetItem3"
    assert lookup["requestBody"]["content"]["application/json"]["schema"]["$ref"].endswith("GetItemBody3")


def test_multi_segment_and_nested_path_variables(doc):
    paths = doc["paths"]
    book = params(paths["/t/v1/{name}"]["get"], "path")["name"]
    assert book["required"] is True
    assert book["schema"]["pattern"] == "^shelves/[^/]+/books/[^/]+$"
    assert params(paths["/t/v1/files/{path}"]["get"], "path")["path"]["schema"]["pattern"] == "^.*$"
    assert paths["/t/v1/{name}:cancel"]["post"]["operationId"] == "HttpRuleService_CancelThing"
    nested = params(paths["/t/v1/nested/{sub.name}/{sub.child.count}"]["get"], "path")
    assert nested["sub.child.count"]["schema"] == {"type": "string", "format": "int64"}
    assert set(params(paths["/t/v1/wild/{wildcard}/x"]["get"], "path")) == {"wildcard"}


def test_response_body_success_codes_and_raw_bodies(doc):
    ops = operations(doc)

    def ok(op_id: str, code: str = "200") -> dict[str, Any]:
        return ops[op_id]["responses"][code]

    assert ok("HttpRuleService_GetName")["content"]["application/json"]["schema"] == {"type": "string"}
    tags = ok("HttpRuleService_GetTags")["content"]["application/json"]["schema"]
    assert tags == {"type": "array", "items": {"type": "string"}}
    assert ok("HttpRuleService_CreateItem", "201")["content"]["application/json"]
    assert "content" not in ok("HttpRuleService_DeleteItem", "204")
    assert set(ok("HttpRuleService_Download")["content"]) == {"*/*"}


def test_custom_methods_are_kept_as_extensions(doc):
    custom = doc["paths"]["/t/v1/items"]["x-ztn-operations"]
    assert custom["SEARCH /t/v1/items"]["operationId"] == "HttpRuleService_SearchItems"
    assert doc["paths"]["/t/v1/items"]["post"]["operationId"] == "HttpRuleService_CreateItem"


def test_schemas_document_wkts_wrappers_oneofs_and_recursion(doc):
    echo = doc["components"]["schemas"]["ztn.testing.v1.HttpEcho"]
    props = echo["properties"]
    assert props["wInt64"] == {"type": "string", "format": "int64", "nullable": True}
    assert props["wBool"] == {"type": "boolean", "nullable": True}
    assert props["dur"]["type"] == props["mask"]["type"] == "string"
    assert props["fStruct"] == {"type": "object", "additionalProperties": True}
    assert "type" not in props["fValue"]  # any JSON value
    assert props["labels"] == {"type": "object", "additionalProperties": {"type": "string"}}
    assert echo["x-oneofs"] == {"choice": ["pickA", "pickB"]}  # proto3 optional's oneof is synthetic
    assert "oneof `choice`" in props["pickA"]["description"]
    sub = doc["components"]["schemas"]["ztn.testing.v1.HttpSub"]["properties"]
    assert sub["child"] == {"$ref": SCHEMAS + "ztn.testing.v1.HttpSub"}


def test_schemas_follow_the_service_json_style():
    style = JsonStyle(
        proto_names=True,
        emit_unpopulated=True,
        null_unset_messages=True,
        int64_as_numbers=True,
        enums_as_ints=True,
    )
    _, doc = build(style)
    if validate_spec is not None:
        validate_spec(doc)
    props = doc["components"]["schemas"]["ztn.testing.v1.HttpEcho"]["properties"]
    assert "renamed_field" in props and "other" not in props
    assert props["f_int64"] == {"type": "integer", "format": "int64"}
    assert props["sub"] == {"allOf": [{"$ref": SCHEMAS + "ztn.testing.v1.HttpSub"}], "nullable": True}
    assert props["opt_int32"] == {"type": "integer", "format": "int32", "nullable": True}
    assert "nullable" not in props["pick_a"]  # oneof members stay omitted, never null
    shade = doc["components"]["schemas"]["ztn.testing.v1.Shade"]
    assert shade["type"] == "integer" and shade["enum"] == [0, 1, 2]
    get = operations(doc)["HttpRuleService_GetItem"]
    assert "f_int64" in params(get, "query")  # query names follow the style too
    assert params(get, "query")["f_enum"]["schema"]["type"] == "string"  # query text takes names
    # The System service keeps its own (ZITADEL) style in the same document.
    details = doc["components"]["schemas"]["zitadel.v1.ObjectDetails"]["properties"]
    assert details["sequence"] == {"type": "string", "format": "uint64"}


def test_served_by_the_real_server(server):
    with urllib.request.urlopen(f"{server.http}/openapi.json", timeout=10) as resp:
        assert resp.status == 200
        assert resp.headers["Content-Type"].startswith("application/json")
        served = json.loads(resp.read())
    assert served["openapi"] == "3.0.3"
    assert "get" in served["paths"]["/system/v1/instances/{instanceId}"]


def test_validation_rules_become_schema_constraints(doc):
    add = doc["components"]["schemas"]["zitadel.system.v1.AddInstanceRequest"]
    assert add["properties"]["instanceName"] == {"type": "string", "minLength": 1, "maxLength": 200}
    assert add["properties"]["defaultLanguage"] == {"type": "string", "maxLength": 10}
    assert add["required"] == ["ownerEmail"]  # (validate.rules).message.required
    body = doc["components"]["schemas"]["zitadel.system.v1.SystemService.AddDomainBody"]
    assert body["properties"]["domain"]["minLength"] == 1
