"""Domain errors -> gRPC status, the way ZITADEL's error converter builds them.

The status message is ``"<message> (<id>)"`` and the single detail is a
``zitadel.v1.ErrorDetail{id, message}``, carried in ``grpc-status-details-bin`` so that every door
(gRPC trailers, grpc-web trailers, Connect and REST error bodies) shows the same detail.
"""

from __future__ import annotations

import logging

import grpc
from google.protobuf import any_pb2
from google.rpc import status_pb2

from zitadel import message_pb2
from ztn.domain.errors import DomainError
from ztn.gateway.registry import Handler, MethodInfo
from ztn.store.errors import StoreUnavailable

log = logging.getLogger("ztn.services")

_CODES = {
    kind: getattr(grpc.StatusCode, kind)
    for kind in (
        "INVALID_ARGUMENT",
        "NOT_FOUND",
        "ALREADY_EXISTS",
        "PERMISSION_DENIED",
        "FAILED_PRECONDITION",
        "UNAUTHENTICATED",
        "RESOURCE_EXHAUSTED",
        "UNAVAILABLE",
        "INTERNAL",
        "UNIMPLEMENTED",
        "ABORTED",
    )
}


def status_for(error: DomainError) -> tuple[grpc.StatusCode, str, bytes]:
    code = _CODES[error.kind.value]
    message = f"{error.message} ({error.id})"
    detail = any_pb2.Any()
    detail.Pack(message_pb2.ErrorDetail(id=error.id, message=error.message))
    status = status_pb2.Status(code=code.value[0], message=message, details=[detail])
    return code, message, status.SerializeToString()


class DomainErrorMiddleware:
    def wrap(self, method: MethodInfo, handler: Handler) -> Handler:
        async def mapped(request, context):
            try:
                return await handler(request, context)
            except DomainError as error:
                code, message, details = status_for(error)
                await context.abort(code, message, trailing_metadata=(("grpc-status-details-bin", details),))
            except StoreUnavailable as error:
                # Transient (lock timeout, lost connection): the client may retry; not a server bug.
                log.warning("%s: database unavailable: %s", method.path, error)
                await context.abort(grpc.StatusCode.UNAVAILABLE, "database unavailable, try again")

        return mapped
