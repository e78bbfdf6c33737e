"""The OpenAPI document with trailing-slash templates, raw HttpBody request bodies and the "message"
error format: the StyledService and the Healthchecks service (descriptors only, never called)."""

from __future__ import annotations

from typing import Any

import pytest
from openapi_spec_validator import validate as validate_spec

from styled_servicer import STYLED, StyledServicer
from ztn.gateway.cors import RestCors
from ztn.gateway.json_style import SNAKE_NULLS_ISO
from ztn.gateway.openapi import build_openapi
from ztn.gateway.registry import Registry, ServiceOptions
from ztn.gateway.routes import RouteTable
from ztn.healthchecks.v3 import healthchecks_pb2_grpc
from ztn.testing.v1 import styled_pb2_grpc

HC = ServiceOptions(
    json_style=SNAKE_NULLS_ISO,
    append_slash=True,
    error_format="message",
    cors=RestCors(allow_headers="X-Api-Key", exempt_methods=frozenset({"GetStatus"})),
)
BINARY = {"*/*": {"schema": {"type": "string", "format": "binary"}}}


@pytest.fixture(scope="module")
def doc() -> dict[str, Any]:
    registry = Registry()
    registry.add(styled_pb2_grpc.add_StyledServiceServicer_to_server, StyledServicer(), STYLED)
    registry.add(
        healthchecks_pb2_grpc.add_HealthchecksServiceServicer_to_server,
        healthchecks_pb2_grpc.HealthchecksServiceServicer(),
        HC,
    )
    return build_openapi(RouteTable(registry.methods.values()).routes, title="t", version="1")


def test_the_document_is_valid(doc) -> None:
    validate_spec(doc)


def test_trailing_slashes_are_kept_in_paths(doc) -> None:
    paths = doc["paths"]
    assert set(paths["/styled/{version}/items/"]) == {"get", "post"}
    assert set(paths["/styled/{version}/items/{item}"]) == {"get", "post", "delete"}
    assert "/styled/{version}/items" not in paths
    for path in ("checks/", "checks/{check}", "checks/{check}/pings/", "checks/{check}/flips/", "status/"):
        assert f"/api/{{api_version}}/{path}" in paths


def test_http_body_request_fields_are_raw_bodies_and_not_query_parameters(doc) -> None:
    create = doc["paths"]["/styled/{version}/items/"]["post"]
    assert create["requestBody"] == {"content": BINARY}
    assert [p["name"] for p in create["parameters"]] == ["version"]
    hc_create = doc["paths"]["/api/{api_version}/checks/"]["post"]
    assert hc_create["requestBody"] == {"content": BINARY}
    assert "google.api.HttpBody" not in doc["components"]["schemas"]


def test_message_errors_are_documented_as_error_objects(doc) -> None:
    default = doc["paths"]["/styled/{version}/items/"]["get"]["responses"]["default"]
    schema = default["content"]["application/json"]["schema"]
    assert schema["properties"] == {"error": {"type": "string"}}


def test_python_style_schemas_have_snake_names_and_nullable_messages(doc) -> None:
    check = doc["components"]["schemas"]["ztn.healthchecks.v3.Check"]["properties"]
    assert check["last_ping"] == {"type": "string", "format": "date-time", "nullable": True}
    assert check["n_pings"] == {"type": "integer", "format": "int64"}
    assert check["timeout"] == {"type": "integer", "format": "int64"}  # omitted when unset, never null
