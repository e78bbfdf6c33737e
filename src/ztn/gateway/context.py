"""An in-process ``grpc.aio.ServicerContext`` for calls that arrive through the HTTP doors.

It implements the part of the servicer context that servicers and middlewares use, with the same
semantics as grpc.aio: ``abort`` raises ``grpc.aio.AbortError``, metadata set by the servicer is
collected for the door to write as headers or trailers, and the deadline is visible through
``time_remaining``.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from typing import Any

import grpc

Metadata = tuple[tuple[str, str | bytes], ...]

# Which door a call came through (metrics label). Native gRPC calls carry grpc.aio's own context,
# so "grpc" is never stored here; the HTTP doors name themselves when they call invoke().
DOOR_GRPC, DOOR_GRPC_WEB, DOOR_CONNECT, DOOR_REST = "grpc", "grpc-web", "connect", "rest"


class CallContext:
    __slots__ = (
        "_metadata",
        "_peer",
        "_deadline",
        "_code",
        "_details",
        "initial_metadata",
        "trailing_metadata_",
        "_done_callbacks",
        "_cancelled",
        "aborted",
        "door",
    )

    def __init__(
        self, metadata: Metadata, peer: str = "", deadline: float | None = None, door: str = DOOR_REST
    ) -> None:
        self.door = door
        self._metadata = metadata
        self._peer = peer
        self._deadline = deadline  # time.monotonic() value, or None
        self._code: grpc.StatusCode | None = None
        self._details: str | None = None
        self.initial_metadata: list[tuple[str, str | bytes]] = []
        self.trailing_metadata_: list[tuple[str, str | bytes]] = []
        self._done_callbacks: list[Callable[[Any], None]] = []
        self._cancelled = False
        self.aborted = False

    # -- reading the call ---------------------------------------------------------------
    def invocation_metadata(self) -> Metadata:
        return self._metadata

    def peer(self) -> str:
        return self._peer

    def time_remaining(self) -> float | None:
        if self._deadline is None:
            return None
        return max(0.0, self._deadline - time.monotonic())

    def auth_context(self) -> dict[str, list[bytes]]:
        return {}

    def cancelled(self) -> bool:
        return self._cancelled

    def done(self) -> bool:
        return self._cancelled

    # -- shaping the answer -------------------------------------------------------------
    async def send_initial_metadata(self, metadata: Sequence[tuple[str, str | bytes]]) -> None:
        self.initial_metadata.extend(metadata)

    def set_trailing_metadata(self, metadata: Sequence[tuple[str, str | bytes]]) -> None:
        self.trailing_metadata_ = list(metadata)

    def trailing_metadata(self) -> tuple[tuple[str, str | bytes], ...]:
        return tuple(self.trailing_metadata_)

    def set_code(self, code: grpc.StatusCode) -> None:
        self._code = code

    def code(self) -> grpc.StatusCode | None:
        return self._code

    def set_details(self, details: str) -> None:
        self._details = details

    def details(self) -> str | None:
        return self._details

    async def abort(
        self,
        code: grpc.StatusCode,
        details: str = "",
        trailing_metadata: Sequence[tuple[str, str | bytes]] = (),
    ) -> None:
        if code is grpc.StatusCode.OK:
            raise ValueError("abort() needs a non-OK status code")
        self._code = code
        self._details = details
        if trailing_metadata:
            self.trailing_metadata_ = list(trailing_metadata)
        self.aborted = True
        raise grpc.aio.AbortError()

    def add_done_callback(self, callback: Callable[[Any], None]) -> None:
        self._done_callbacks.append(callback)

    def set_compression(self, compression: Any) -> None:
        pass

    def disable_next_message_compression(self) -> None:
        pass

    def finish(self, cancelled: bool = False) -> None:
        self._cancelled = cancelled
        for callback in self._done_callbacks:
            try:
                callback(self)
            except Exception:  # a callback's failure must not change the call's outcome
                pass
