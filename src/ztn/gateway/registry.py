"""The method registry: every RPC the server offers, decided once at start-up.

Servicers are registered through their generated ``add_XServicer_to_server`` function against a
recorder, which captures grpc's ``RpcMethodHandler`` objects. Each handler's behaviour is wrapped
once with the middleware chain; the wrapped handlers are what the native gRPC server runs and what
the HTTP doors call in-process, so all four doors share one chain and nothing is looked up per call.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

import grpc
from google.protobuf import descriptor_pool
from google.protobuf.descriptor import MethodDescriptor, ServiceDescriptor
from google.protobuf.message import Message

from ztn.gateway.cors import RestCors
from ztn.gateway.json_style import JsonStyle

__all__ = ["ERROR_FORMATS", "MethodInfo", "Middleware", "Registry", "RestCors", "ServiceOptions"]

ERROR_FORMATS = ("grpc-gateway", "message")
"""ServiceOptions.error_format values."""

Handler = Callable[[Message, Any], Awaitable[Message]]
"""A unary behaviour: ``await handler(request, servicer_context) -> response``."""


@dataclass(frozen=True)
class ServiceOptions:
    """How the HTTP doors expose one service; declared by whoever registers the service."""

    rest_prefix: str = ""
    """Prepended to every google.api.http path of the service (ZITADEL serves SystemService at /system/v1)."""
    json_style: JsonStyle = field(default_factory=JsonStyle)
    """JSON conventions of the REST door for this service (Connect always uses canonical proto3 JSON)."""
    grpc_web: bool = True
    connect: bool = True
    append_slash: bool = False
    """Django-style strict URLs: a path without its trailing "/" is redirected (301) to the route that
    has one, and the service's other routes do not tolerate a trailing "/"."""
    error_format: str = "grpc-gateway"
    """REST error bodies: "grpc-gateway" (the google.rpc.Status JSON) or "message" (``{"error": msg}``;
    a 405 has an empty text/html body). A ``ztn.api.HttpError`` status detail overrides both."""
    cors: RestCors | None = None
    """The service's own CORS policy for its REST routes (None: the server-wide policy applies)."""

    def __post_init__(self) -> None:
        if self.error_format not in ERROR_FORMATS:
            raise ValueError(f"unknown REST error format {self.error_format!r} (one of {ERROR_FORMATS})")


@dataclass
class MethodInfo:
    path: str
    """The gRPC method path, ``/pkg.Service/Method``."""
    descriptor: MethodDescriptor
    request_cls: type[Message]
    response_cls: type[Message]
    options: ServiceOptions
    handler: Handler
    """The behaviour wrapped with the middleware chain (set by the registry)."""
    no_side_effects: bool = False
    """``idempotency_level = NO_SIDE_EFFECTS``: Connect may call it with GET."""
    unary: bool = True

    @property
    def service_name(self) -> str:
        return self.descriptor.containing_service.full_name

    @property
    def name(self) -> str:
        return self.descriptor.name


class Middleware(Protocol):
    """One link of the chain. ``wrap`` runs once per method at start-up and returns the wrapped behaviour.

    The wrapper receives the request message and a ``grpc.aio.ServicerContext`` (the real one for
    native gRPC, ``gateway.context.CallContext`` for the HTTP doors); it must only use the common API
    (``invocation_metadata``, ``abort``, ``set_trailing_metadata``, ``send_initial_metadata``,
    ``time_remaining``, ``peer``). Aborts raise ``grpc.aio.AbortError``: never swallow it.
    """

    def wrap(self, method: MethodInfo, handler: Handler) -> Handler: ...


class _Recorder:
    """Stands in for a grpc server while ``add_XServicer_to_server`` registers its handlers."""

    def __init__(self) -> None:
        self.handlers: dict[str, dict[str, grpc.RpcMethodHandler]] = {}

    def add_registered_method_handlers(
        self, service: str, handlers: dict[str, grpc.RpcMethodHandler]
    ) -> None:
        self.handlers.setdefault(service, {}).update(handlers)

    def add_generic_rpc_handlers(self, generic_handlers: Iterable[Any]) -> None:
        # Generated code calls both; the registered handlers carry everything we need.
        pass


class Registry:
    def __init__(self, middlewares: Sequence[Middleware] = ()) -> None:
        self.middlewares = list(middlewares)
        self.methods: dict[str, MethodInfo] = {}
        self.services: dict[str, ServiceDescriptor] = {}
        self._handlers: dict[str, dict[str, grpc.RpcMethodHandler]] = {}

    def add(
        self,
        add_to_server: Callable[[Any, Any], None],
        servicer: Any,
        options: ServiceOptions | None = None,
    ) -> None:
        """Register a servicer with its generated ``add_XServicer_to_server`` function."""
        options = options or ServiceOptions()
        recorder = _Recorder()
        add_to_server(servicer, recorder)
        pool = descriptor_pool.Default()
        for service_name, handlers in recorder.handlers.items():
            service = pool.FindServiceByName(service_name)
            self.services[service_name] = service
            wrapped: dict[str, grpc.RpcMethodHandler] = {}
            for method_name, raw in handlers.items():
                md = service.methods_by_name[method_name]
                if raw.request_streaming or raw.response_streaming:
                    wrapped[method_name] = raw  # streaming RPCs are served natively only
                    continue
                info = MethodInfo(
                    path=f"/{service_name}/{method_name}",
                    descriptor=md,
                    request_cls=_message_class(md.input_type),
                    response_cls=_message_class(md.output_type),
                    options=options,
                    handler=raw.unary_unary,
                    no_side_effects=md.GetOptions().idempotency_level == 1,
                )
                for middleware in reversed(self.middlewares):
                    info.handler = middleware.wrap(info, info.handler)
                self.methods[info.path] = info
                wrapped[method_name] = grpc.unary_unary_rpc_method_handler(
                    info.handler,
                    request_deserializer=raw.request_deserializer,
                    response_serializer=raw.response_serializer,
                )
            self._handlers[service_name] = wrapped

    def attach(self, server: grpc.aio.Server) -> None:
        """Register the wrapped handlers with a native grpc.aio server."""
        for service_name, handlers in self._handlers.items():
            server.add_generic_rpc_handlers((grpc.method_handlers_generic_handler(service_name, handlers),))
            server.add_registered_method_handlers(service_name, handlers)


def _message_class(descriptor: Any) -> type[Message]:
    from google.protobuf import message_factory

    return message_factory.GetMessageClass(descriptor)
