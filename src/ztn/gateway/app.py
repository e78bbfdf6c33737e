"""The HTTP side of the server: one aiohttp application, three RPC doors, plus plain HTTP routes.

Dispatch, decided per request from the path and content type (spec: gateway.md §4.6):
1. ``OPTIONS`` with CORS request headers -> preflight;
2. a registered gRPC method path: grpc-web content types -> grpc-web door; Connect unary
   (``application/json``/``application/proto`` POST, or GET with ``encoding``) -> Connect door;
   ``application/grpc*`` -> 415 (native gRPC lives on its own HTTP/2 port);
3. everything else -> the REST door (google.api.http routes), which answers 404/405 itself.
Plain HTTP endpoints that are not RPCs (``/healthz``, ``/openapi.json``...) are registered by the
caller as ordinary aiohttp routes and take precedence.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Sequence

from aiohttp import web
from aiohttp.http_exceptions import ContentEncodingError, HttpProcessingError

from ztn.gateway.connect import ConnectDoor, is_connect_unary
from ztn.gateway.cors import Cors
from ztn.gateway.grpcweb import GrpcWebDoor, is_grpc_web
from ztn.gateway.metadata import HeaderRules
from ztn.gateway.registry import Registry
from ztn.gateway.rest import RestDoor

log = logging.getLogger("ztn.gateway")


class _QuietBadRequests(logging.Filter):
    """aiohttp logs every malformed request (bad headers, bad chunking, bad gzip) with a traceback.

    Those are the client's fault and already answered 400; keep the line, drop the traceback.
    Real faults (anything that is not an HTTP parsing error) keep theirs.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        exc = record.exc_info[1] if record.exc_info else None
        while exc is not None:
            if isinstance(exc, (HttpProcessingError, ContentEncodingError)):
                record.exc_info = None
                record.exc_text = None
                break
            exc = exc.__cause__ or exc.__context__
        return True


def quiet_bad_request_logs() -> None:
    for name in ("aiohttp.server", "aiohttp.web"):
        logger = logging.getLogger(name)
        if not any(isinstance(f, _QuietBadRequests) for f in logger.filters):
            logger.addFilter(_QuietBadRequests())

PlainRoute = tuple[str, str, Callable[[web.Request], Awaitable[web.StreamResponse]]]


class HttpGateway:
    def __init__(
        self,
        registry: Registry,
        header_rules: HeaderRules,
        cors_origins: Sequence[str] = (),
    ) -> None:
        self.registry = registry
        self.rest = RestDoor(registry, header_rules)
        self.grpc_web = GrpcWebDoor()
        self.connect = ConnectDoor()
        self.cors = Cors(cors_origins)
        self._methods = registry.methods

    async def dispatch(self, request: web.Request) -> web.StreamResponse:
        if request.method == "OPTIONS":
            preflight = self.rest.service_preflight(request) or self.cors.preflight(request)
            if preflight is not None:
                return preflight
        method = self._methods.get(request.rel_url.raw_path)
        if method is not None:
            content_type = request.headers.get("Content-Type", "")
            if request.method == "POST" and is_grpc_web(content_type):
                if method.options.grpc_web:
                    return await self.grpc_web.handle(request, method)
            elif content_type.startswith("application/grpc"):
                return web.Response(
                    status=415,
                    text="native gRPC is served on the gRPC port (HTTP/2); "
                    "this port speaks grpc-web, Connect and REST",
                )
            elif method.options.connect and is_connect_unary(request):
                return await self.connect.handle(request, method)
        return await self.rest.handle(request)

    def application(self, plain_routes: Sequence[PlainRoute] = ()) -> web.Application:
        cors = self.cors

        @web.middleware
        async def cors_middleware(request: web.Request, handler):
            response = await handler(request)
            # A service with its own REST CORS policy has set its headers already.
            if request.headers.get("Origin") and "Access-Control-Allow-Origin" not in response.headers:
                cors.decorate(request, response)
            return response

        quiet_bad_request_logs()
        app = web.Application(middlewares=[cors_middleware], client_max_size=4 * 1024 * 1024)
        for http_method, path, handler in plain_routes:
            app.router.add_route(http_method, path, handler)
        app.router.add_route("*", "/{tail:.*}", self.dispatch)
        return app
