"""The one place REST errors are rendered (grpc-gateway's DefaultHTTPErrorHandler).

The body is the google.rpc.Status JSON in the service's JSON style, so ZITADEL style omits an empty
``details`` list: ``{"code":5,"message":"Not Found"}``; details are Any JSON with ``@type``. The HTTP
status comes from the gRPC code (status.http_status) unless a routing error forces it (405, 400).
"""

from __future__ import annotations

import logging

import grpc
from aiohttp import web
from google.rpc import status_pb2
from multidict import CIMultiDict

from ztn.gateway.codec_json import JsonCodec
from ztn.gateway.status import CODE_BY_NUMBER, code_number, http_status

log = logging.getLogger("ztn.gateway")

MARSHAL_FAILED = b'{"code":13,"message":"failed to marshal error message"}'
JSON = "application/json"


def header_safe(value: str) -> str:
    """Header values must not carry line breaks (response splitting) or NULs."""
    if "\r" in value or "\n" in value or "\0" in value:
        return value.replace("\r", " ").replace("\n", " ").replace("\0", " ")
    return value


def error_response(
    status: status_pb2.Status,
    codec: JsonCodec,
    http: int | None = None,
    headers: CIMultiDict[str] | None = None,
) -> web.Response:
    """Render a google.rpc.Status; ``headers`` already holds forwarded metadata (Grpc-Metadata-*)."""
    headers = headers if headers is not None else CIMultiDict()
    code = grpc_code(status.code)
    http = http or http_status(code)
    try:
        body = codec.encode(status)
    except Exception:  # an unresolvable detail type (or any marshal failure) is one answer
        log.warning("cannot marshal error details %s", [d.type_url for d in status.details])
        body, http = MARSHAL_FAILED, 500
    if code is grpc.StatusCode.UNAUTHENTICATED:
        headers["WWW-Authenticate"] = header_safe(status.message)
    headers["Content-Type"] = JSON
    return web.Response(status=http, body=body, headers=headers)


def simple_error(
    code: grpc.StatusCode,
    message: str,
    codec: JsonCodec,
    http: int | None = None,
    headers: CIMultiDict[str] | None = None,
) -> web.Response:
    """An error the door itself produces (routing, decoding): no details."""
    return error_response(status_pb2.Status(code=code_number(code), message=message), codec, http, headers)


def grpc_code(number: int) -> grpc.StatusCode:
    return CODE_BY_NUMBER.get(number, grpc.StatusCode.UNKNOWN)
