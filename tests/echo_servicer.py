"""The EchoService servicer the door tests call: behaviour is chosen by request fields (see echo.proto)."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

import grpc
from aiohttp import web
from google.protobuf import any_pb2
from google.rpc import error_details_pb2, status_pb2

import ztn

try:
    from ztn.testing.v1 import echo_pb2, echo_pb2_grpc
except ImportError:  # TEMPORARY: the editable install does not map gen/ztn yet (src/ztn shadows it)
    import os

    ztn.__path__.append(os.path.join(os.path.dirname(__file__), "..", "gen", "ztn"))
    from ztn.testing.v1 import echo_pb2, echo_pb2_grpc

from ztn.gateway.connect import ConnectDoor, is_connect_unary
from ztn.gateway.context import Metadata
from ztn.gateway.cors import Cors
from ztn.gateway.grpcweb import GrpcWebDoor, is_grpc_web
from ztn.gateway.registry import Registry
from ztn.gateway.status import CODE_BY_NUMBER

ERROR_DOMAIN = "ztn.testing"


def _pairs(items: dict[str, str]) -> list[tuple[str, str | bytes]]:
    return [(k, v.encode() if k.endswith("-bin") else v) for k, v in sorted(items.items())]


def _metadatum(key: str, value: str | bytes) -> echo_pb2.Metadatum:
    if isinstance(value, bytes):
        return echo_pb2.Metadatum(key=key, binary_value=value)
    return echo_pb2.Metadatum(key=key, value=value)


class EchoServicer(echo_pb2_grpc.EchoServiceServicer):
    async def Echo(self, request: echo_pb2.EchoRequest, context) -> echo_pb2.EchoResponse:
        if request.header_metadata:
            await context.send_initial_metadata(_pairs(dict(request.header_metadata)))
        if request.trailer_metadata:
            context.set_trailing_metadata(_pairs(dict(request.trailer_metadata)))
        if request.sleep_ms:
            await asyncio.sleep(request.sleep_ms / 1000)
        if request.fail_code:
            await self._fail(request, context)
        received: Metadata = context.invocation_metadata() or ()
        return echo_pb2.EchoResponse(
            message=request.message,
            payload=request.payload,
            metadata=[_metadatum(k, v) for k, v in received] if request.echo_metadata else [],
            has_deadline=context.time_remaining() is not None,
        )

    EchoGet = Echo

    @staticmethod
    async def _fail(request: echo_pb2.EchoRequest, context) -> None:
        code = CODE_BY_NUMBER.get(request.fail_code, grpc.StatusCode.UNKNOWN)
        trailers = list(_pairs(dict(request.trailer_metadata)))
        if request.fail_reason:
            detail = any_pb2.Any()
            detail.Pack(error_details_pb2.ErrorInfo(reason=request.fail_reason, domain=ERROR_DOMAIN))
            status = status_pb2.Status(code=request.fail_code, message=request.fail_message, details=[detail])
            trailers.append(("grpc-status-details-bin", status.SerializeToString()))
        await context.abort(code, request.fail_message, trailing_metadata=trailers)


def echo_registry() -> Registry:
    registry = Registry()
    registry.add(echo_pb2_grpc.add_EchoServiceServicer_to_server, EchoServicer())
    return registry


def door_app(registry: Registry, cors_origins: Sequence[str] = ("*",)) -> web.Application:
    """A minimal app in the shape of the real dispatcher: preflight, then method path -> door."""
    grpc_web, connect, cors = GrpcWebDoor(), ConnectDoor(), Cors(cors_origins)

    async def dispatch(request: web.Request) -> web.StreamResponse:
        method = registry.methods.get(request.rel_url.raw_path)
        if method is None:
            return web.Response(status=404)
        if request.method == "POST" and is_grpc_web(request.headers.get("Content-Type", "")):
            return await grpc_web.handle(request, method)
        if is_connect_unary(request):
            return await connect.handle(request, method)
        return web.Response(status=404)

    app = web.Application(middlewares=[cors.middleware])
    app.router.add_route("*", "/{tail:.*}", dispatch)
    return app


__all__ = ["EchoServicer", "echo_pb2", "echo_pb2_grpc", "echo_registry", "door_app", "ERROR_DOMAIN"]
