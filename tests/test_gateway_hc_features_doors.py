"""An error carrying a ztn.api.HttpError detail is an ordinary status on gRPC, grpc-web and Connect (the
detail is just one more status detail there); a Python-style JSON style does not leak into Connect."""

from __future__ import annotations

from types import SimpleNamespace

import aiohttp
import grpc
import pytest
from aiohttp.test_utils import TestServer

from door_clients import DOORS, DoorClient
from styled_servicer import styled_registry
from ztn.api import http_error_pb2
from ztn.gateway.app import HttpGateway
from ztn.gateway.metadata import HeaderRules
from ztn.testing.v1 import styled_pb2

SERVICE = "ztn.testing.v1.StyledService"


@pytest.fixture(scope="module")
async def doors():
    registry = styled_registry()
    grpc_server = grpc.aio.server()
    registry.attach(grpc_server)
    port = grpc_server.add_insecure_port("127.0.0.1:0")
    await grpc_server.start()
    http = TestServer(HttpGateway(registry, HeaderRules()).application(), host="127.0.0.1")
    await http.start_server()
    server = SimpleNamespace(http=str(http.make_url("")).rstrip("/"))
    async with aiohttp.ClientSession() as session, grpc.aio.insecure_channel(f"127.0.0.1:{port}") as channel:
        yield DoorClient(server, session, channel)
    await http.close()
    await grpc_server.stop(None)


@pytest.mark.parametrize("door", DOORS)
async def test_an_http_error_detail_is_a_plain_status_elsewhere(doors, door) -> None:
    request = styled_pb2.StyledItemRequest(item="gone")
    out = await doors.call(door, SERVICE, "GetItem", request, styled_pb2.StyledItem)
    assert (out.code, out.message) == (grpc.StatusCode.NOT_FOUND, "gone")
    detail = http_error_pb2.HttpError()
    assert len(out.details) == 1 and out.details[0].Unpack(detail)
    assert (detail.status, detail.content_type, detail.body) == (404, "text/html", b"<h1>NF</h1>")
    assert detail.bare


@pytest.mark.parametrize("door", DOORS)
async def test_success_is_unchanged_on_every_door(doors, door) -> None:
    request = styled_pb2.StyledItemRequest(item="full")
    out = await doors.call(door, SERVICE, "GetItem", request, styled_pb2.StyledItem)
    assert out.code is grpc.StatusCode.OK
    assert (out.response.name, out.response.count, out.response.label.value) == ("full", 12345678901, "lbl")


async def test_connect_json_keeps_canonical_proto3_json(doors) -> None:
    url = doors.server.http + f"/{SERVICE}/GetItem"
    async with doors.session.post(url, json={"item": "full"}) as resp:
        body = await resp.json()
    assert body["count"] == "12345678901" and body["seen"] == "2020-03-24T14:02:03.113073Z"
    assert "child" in body and "tags" in body and "note" in body
