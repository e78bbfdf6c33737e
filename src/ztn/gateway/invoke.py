"""Calling a registered method in-process, the way the native gRPC server would.

The HTTP doors decode a request message, call ``invoke`` and render the ``CallResult``. There is no
loopback hop: the wrapped handler (servicer + middleware chain) runs in this event loop, and its
outcome is read back from the ``CallContext`` exactly as grpc.aio would put it on the wire.
"""

from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass, field

import grpc
from google.protobuf.message import Message
from google.rpc import status_pb2

from ztn.gateway.context import DOOR_REST, CallContext, Metadata
from ztn.gateway.registry import MethodInfo
from ztn.gateway.status import status_proto

log = logging.getLogger("ztn.gateway")

DETAILS_KEY = "grpc-status-details-bin"


@dataclass
class CallResult:
    response: Message | None
    code: grpc.StatusCode
    message: str = ""
    details_bin: bytes | None = None
    """The serialized google.rpc.Status carried in ``grpc-status-details-bin``, if the call set one."""
    header_metadata: list[tuple[str, str | bytes]] = field(default_factory=list)
    trailer_metadata: list[tuple[str, str | bytes]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.code is grpc.StatusCode.OK

    def status(self) -> status_pb2.Status:
        return status_proto(self.code, self.message, self.details_bin)


def error_result(code: grpc.StatusCode, message: str) -> CallResult:
    """A failure produced by a door before the servicer runs (bad input, unknown route...)."""
    return CallResult(None, code, message)


async def invoke(
    method: MethodInfo,
    request: Message,
    metadata: Metadata,
    peer: str = "",
    timeout: float | None = None,
    door: str = DOOR_REST,
) -> CallResult:
    """``door``: which HTTP door calls (``context.DOOR_*``), seen by middlewares as ``context.door``."""
    deadline = time.monotonic() + timeout if timeout is not None else None
    ctx = CallContext(metadata, peer, deadline, door)
    response: Message | None = None
    try:
        if timeout is None:
            response = await method.handler(request, ctx)
        else:
            async with asyncio.timeout(timeout):
                response = await method.handler(request, ctx)
    except grpc.aio.AbortError:
        pass
    except TimeoutError:
        ctx.finish(cancelled=True)
        return CallResult(None, grpc.StatusCode.DEADLINE_EXCEEDED, "Deadline Exceeded")
    except asyncio.CancelledError:
        ctx.finish(cancelled=True)
        raise
    except Exception:
        # The error middleware normally turns exceptions into INTERNAL; this is the last line.
        log.exception("unhandled exception in %s", method.path)
        ctx.finish()
        return CallResult(None, grpc.StatusCode.INTERNAL, "Internal error")
    ctx.finish()

    code = ctx.code() or grpc.StatusCode.OK
    trailers: list[tuple[str, str | bytes]] = []
    details_bin: bytes | None = None
    for key, value in ctx.trailing_metadata_:
        if key == DETAILS_KEY:
            details_bin = value if isinstance(value, bytes) else value.encode()
        else:
            trailers.append((key, value))
    if code is not grpc.StatusCode.OK:
        response = None
    elif response is None:
        # grpc.aio answers a servicer that returned None without setting a code with UNKNOWN.
        code = grpc.StatusCode.UNKNOWN
    return CallResult(
        response,
        code,
        ctx.details() or "",
        details_bin,
        ctx.initial_metadata,
        trailers,
    )
