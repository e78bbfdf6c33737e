"""HcError -> gRPC status carrying a ``ztn.api.HttpError`` detail, so REST callers get Healthchecks'
exact answer (``{"error": ...}``, empty bodies, the 404 page) and other doors a plain status."""

from __future__ import annotations

import functools
import logging
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from google.protobuf import any_pb2
from google.rpc import status_pb2

from ztn.api import http_error_pb2
from ztn.domain.hc.errors import HcError

log = logging.getLogger("ztn.services.healthchecks")
T = TypeVar("T")


def status_details(error: HcError) -> bytes:
    detail = any_pb2.Any()
    detail.Pack(
        http_error_pb2.HttpError(
            status=error.http_status, content_type=error.content_type, body=error.body, bare=not error.cors
        )
    )
    status = status_pb2.Status(code=error.code.value[0], message=error.message, details=[detail])
    return status.SerializeToString()


def hc_rpc(method: Callable[..., Awaitable[T]]) -> Callable[..., Awaitable[T]]:
    """Turn the domain's HcError into the call's status."""

    @functools.wraps(method)
    async def wrapped(self: Any, request: Any, context: Any) -> T:
        try:
            return await method(self, request, context)
        except HcError as error:
            trailing = (("grpc-status-details-bin", status_details(error)),)
            await context.abort(error.code, error.message, trailing_metadata=trailing)
            raise  # unreachable: abort raises

    return wrapped
