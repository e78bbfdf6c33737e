"""gRPC status codes in the three HTTP dialects: HTTP status, Connect code names, grpc-message encoding.

One table, used by every door; the values are the grpc-gateway / google.rpc.Code mapping.
"""

from __future__ import annotations

import grpc
from google.rpc import status_pb2

_HTTP_STATUS: dict[grpc.StatusCode, int] = {
    grpc.StatusCode.OK: 200,
    grpc.StatusCode.CANCELLED: 499,
    grpc.StatusCode.UNKNOWN: 500,
    grpc.StatusCode.INVALID_ARGUMENT: 400,
    grpc.StatusCode.DEADLINE_EXCEEDED: 504,
    grpc.StatusCode.NOT_FOUND: 404,
    grpc.StatusCode.ALREADY_EXISTS: 409,
    grpc.StatusCode.PERMISSION_DENIED: 403,
    grpc.StatusCode.RESOURCE_EXHAUSTED: 429,
    grpc.StatusCode.FAILED_PRECONDITION: 400,  # deliberately not 412, as grpc-gateway
    grpc.StatusCode.ABORTED: 409,
    grpc.StatusCode.OUT_OF_RANGE: 400,
    grpc.StatusCode.UNIMPLEMENTED: 501,
    grpc.StatusCode.INTERNAL: 500,
    grpc.StatusCode.UNAVAILABLE: 503,
    grpc.StatusCode.DATA_LOSS: 500,
    grpc.StatusCode.UNAUTHENTICATED: 401,
}

CODE_BY_NUMBER: dict[int, grpc.StatusCode] = {c.value[0]: c for c in grpc.StatusCode}


def http_status(code: grpc.StatusCode) -> int:
    return _HTTP_STATUS.get(code, 500)


def connect_code(code: grpc.StatusCode) -> str:
    """Connect's code names are the lower-case gRPC names, except CANCELLED is spelled ``canceled``."""
    if code is grpc.StatusCode.CANCELLED:
        return "canceled"
    return code.name.lower()


def code_number(code: grpc.StatusCode) -> int:
    return code.value[0]


_GRPC_MESSAGE_SAFE = frozenset(range(0x20, 0x7F)) - {ord("%")}


def encode_grpc_message(message: str) -> str:
    """Percent-encode as the gRPC HTTP/2 spec says: every byte outside printable ASCII, and ``%`` itself."""
    raw = message.encode("utf-8")
    if all(b in _GRPC_MESSAGE_SAFE for b in raw):
        return message
    return "".join(chr(b) if b in _GRPC_MESSAGE_SAFE else f"%{b:02X}" for b in raw)


def status_proto(code: grpc.StatusCode, message: str, details_bin: bytes | None) -> status_pb2.Status:
    """The google.rpc.Status of a call; the details come from ``grpc-status-details-bin`` when present."""
    status = status_pb2.Status()
    if details_bin:
        try:
            status.ParseFromString(details_bin)
        except Exception:  # a servicer's malformed details must not break the error path
            status = status_pb2.Status()
    status.code = code_number(code)
    status.message = message
    return status
