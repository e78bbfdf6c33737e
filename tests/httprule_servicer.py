"""The HttpRuleService servicer the REST door tests call: every RPC echoes its request (httprule.proto),
plus ``serve_rest``, which puts a RestDoor holding it on a real 127.0.0.1 socket."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from typing import Any

from aiohttp import ClientResponse, web
from aiohttp.test_utils import TestClient, TestServer
from google.api import httpbody_pb2
from google.protobuf import any_pb2
from google.rpc import error_details_pb2, status_pb2
from yarl import URL

from ztn.gateway.json_style import JsonStyle
from ztn.gateway.metadata import HeaderRules
from ztn.gateway.registry import Registry, ServiceOptions
from ztn.gateway.rest import RestDoor
from ztn.gateway.status import CODE_BY_NUMBER
from ztn.testing.v1 import httprule_pb2, httprule_pb2_grpc

HttpEcho = httprule_pb2.HttpEcho
SERVICE = httprule_pb2.DESCRIPTOR.services_by_name["HttpRuleService"]


def _echo(name: str):
    async def method(self: Any, request: HttpEcho, context: Any) -> HttpEcho:
        await context.send_initial_metadata([("x-method", name)])
        return request

    method.__name__ = name
    return method


class HttpRuleServicer(httprule_pb2_grpc.HttpRuleServiceServicer):
    async def Download(self, request: HttpEcho, context: Any) -> httpbody_pb2.HttpBody:
        return httpbody_pb2.HttpBody(content_type="text/plain; charset=utf-8", data=request.name.encode())

    async def Fail(self, request: HttpEcho, context: Any) -> HttpEcho:
        code = CODE_BY_NUMBER[request.f_int32]
        status = status_pb2.Status(code=request.f_int32, message=request.name)
        if request.text == "detail":
            status.details.add().Pack(error_details_pb2.ErrorInfo(reason="BROKEN", domain="ztn.testing"))
        elif request.text == "unresolvable":
            status.details.append(any_pb2.Any(type_url="type.googleapis.com/nope.Missing", value=b"\x08\x01"))
        await context.send_initial_metadata([("x-before-error", "yes")])
        trailers = [("grpc-status-details-bin", status.SerializeToString())] if status.details else []
        await context.abort(code, request.name, trailers)

    async def Meta(self, request: HttpEcho, context: Any) -> HttpEcho:
        headers = [(k[4:], v) for k, v in request.labels.items() if k.startswith("hdr-")]
        trailers = [(k[4:], v) for k, v in request.labels.items() if k.startswith("trl-")]
        await context.send_initial_metadata(headers)
        context.set_trailing_metadata(trailers)
        response = HttpEcho()
        for key, value in context.invocation_metadata():
            response.labels[key] = value if isinstance(value, str) else "bin:" + value.hex()
        return response


for _method in SERVICE.methods:
    if _method.name not in HttpRuleServicer.__dict__:
        setattr(HttpRuleServicer, _method.name, _echo(_method.name))


def make_registry(prefix: str = "", style: JsonStyle | None = None) -> Registry:
    registry = Registry()
    options = ServiceOptions(rest_prefix=prefix, json_style=style or JsonStyle())
    registry.add(httprule_pb2_grpc.add_HttpRuleServiceServicer_to_server, HttpRuleServicer(), options)
    return registry


@contextlib.asynccontextmanager
async def serve_rest(
    prefix: str = "", style: JsonStyle | None = None, rules: HeaderRules | None = None
) -> AsyncIterator[TestClient]:
    door = RestDoor(make_registry(prefix, style), rules or HeaderRules(forward_prefixes=("x-ztn-",)))
    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", door.handle)
    async with TestClient(TestServer(app, host="127.0.0.1")) as client:
        yield client


async def raw_request(client: TestClient, method: str, raw_path: str, **kwargs: Any) -> ClientResponse:
    """Send the path exactly as written (no client-side re-quoting of %2F, %G1...)."""
    base = str(client.make_url("/")).rstrip("/")
    return await client.session.request(method, URL(base + raw_path, encoded=True), **kwargs)
