"""The StyledService servicer (styled.proto) and ``serve_styled``, which puts a full HttpGateway holding it
on a real 127.0.0.1 socket. GetItem's behaviour is chosen by the ``item`` path value (see ITEMS)."""

from __future__ import annotations

import contextlib
import datetime
from collections.abc import AsyncIterator
from typing import Any

import grpc
from aiohttp.test_utils import TestClient, TestServer
from google.api import httpbody_pb2
from google.protobuf import any_pb2
from google.rpc import status_pb2

from ztn.api import http_error_pb2
from ztn.gateway.app import HttpGateway
from ztn.gateway.cors import RestCors
from ztn.gateway.json_style import SNAKE_NULLS_ISO
from ztn.gateway.metadata import HeaderRules
from ztn.gateway.registry import Registry, ServiceOptions
from ztn.testing.v1 import styled_pb2, styled_pb2_grpc

Item = styled_pb2.StyledItem
SEEN = datetime.datetime(2020, 3, 24, 14, 2, 3, 113073, tzinfo=datetime.UTC)

STYLED_CORS = RestCors(
    allow_origin="*", allow_headers="X-Api-Key", max_age=600, exempt_methods=frozenset({"Probe"})
)
STYLED = ServiceOptions(
    json_style=SNAKE_NULLS_ISO, append_slash=True, error_format="message", cors=STYLED_CORS
)
"""The options of a Healthchecks-like API."""


def http_error(status: int, content_type: str = "", body: bytes = b"", bare: bool = False) -> bytes:
    """A grpc-status-details-bin value carrying a ztn.api.HttpError."""
    detail = any_pb2.Any()
    detail.Pack(http_error_pb2.HttpError(status=status, content_type=content_type, body=body, bare=bare))
    return status_pb2.Status(code=5, message="m", details=[detail]).SerializeToString()


async def _abort(context: Any, code: grpc.StatusCode, message: str, details: bytes | None = None) -> None:
    trailers = (("grpc-status-details-bin", details),) if details is not None else ()
    await context.abort(code, message, trailing_metadata=trailers)


class StyledServicer(styled_pb2_grpc.StyledServiceServicer):
    async def ListItems(self, request: Any, context: Any) -> Any:
        since = Item(name="since", note=request.since) if request.HasField("since") else Item(name="no since")
        return styled_pb2.ListStyledItemsResponse(items=[since, Item(name="tags", tags=request.tag)])

    async def CreateItem(self, request: Any, context: Any) -> Any:
        return _body_item(request)

    async def UpdateItem(self, request: Any, context: Any) -> Any:
        return _body_item(request)

    PauseItem = UpdateItem

    async def DeleteItem(self, request: Any, context: Any) -> Any:
        return Item(name=request.item)

    async def GetItem(self, request: Any, context: Any) -> Any:
        item = request.item
        if item == "gone":  # an exact HTTP answer without the service's CORS headers
            details = http_error(404, "text/html", b"<h1>NF</h1>", bare=True)
            await _abort(context, grpc.StatusCode.NOT_FOUND, "gone", details)
        if item == "conflict":  # an exact HTTP answer with them
            details = http_error(409, "", b"not paused")
            await _abort(context, grpc.StatusCode.FAILED_PRECONDITION, "nope", details)
        if item == "denied":  # no detail: the service's error format decides
            await _abort(context, grpc.StatusCode.UNAUTHENTICATED, "wrong api key")
        if item == "meta":
            md = [f"{k}={v}" for k, v in context.invocation_metadata() if isinstance(v, str)]
            return Item(name="meta", tags=md)
        if item == "full":
            full = Item(name="full", count=12345678901, note="", size=0, tags=["a"], flag=True)
            full.attrs["k"] = "v"
            full.seen.FromDatetime(SEEN)
            full.label.value = "lbl"
            full.child.name = "kid"
            return full
        if item == "empty":
            return Item()
        if item == "created":
            await context.send_initial_metadata((("x-http-code", "200"),))
            return Item(name="existing")
        return Item(name=item)

    async def Probe(self, request: Any, context: Any) -> Any:
        return httpbody_pb2.HttpBody(content_type="text/html; charset=utf-8", data=b"OK")


def _body_item(request: Any) -> Any:
    """What the door put into the HttpBody field: ``note`` is its content type, unset when absent."""
    item = Item(name=request.body.data.decode("utf-8", "replace"), count=len(request.body.data))
    if request.HasField("body"):
        item.note = request.body.content_type
    return item


def styled_registry(options: ServiceOptions = STYLED) -> Registry:
    registry = Registry()
    registry.add(styled_pb2_grpc.add_StyledServiceServicer_to_server, StyledServicer(), options)
    return registry


@contextlib.asynccontextmanager
async def serve_styled(
    options: ServiceOptions = STYLED, cors_origins: tuple[str, ...] = ()
) -> AsyncIterator[TestClient]:
    gateway = HttpGateway(
        styled_registry(options), HeaderRules(forward_names=frozenset({"x-api-key"})), cors_origins
    )
    async with TestClient(TestServer(gateway.application(), host="127.0.0.1")) as client:
        yield client
