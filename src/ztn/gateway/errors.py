"""The one place REST errors are rendered (grpc-gateway's DefaultHTTPErrorHandler).

The body is the google.rpc.Status JSON in the service's JSON style, so ZITADEL style omits an empty
``details`` list: ``{"code":5,"message":"Not Found"}``; details are Any JSON with ``@type``. The HTTP
status comes from the gRPC code (status.http_status) unless a routing error forces it (405, 400).
"""

from __future__ import annotations

import logging

import grpc
import orjson
from aiohttp import web
from google.rpc import status_pb2
from multidict import CIMultiDict

from ztn.api import http_error_pb2
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


HTML = "text/html; charset=utf-8"
_HTTP_ERROR_TYPE = "type.googleapis.com/ztn.api.HttpError"


def http_error_detail(status: status_pb2.Status) -> http_error_pb2.HttpError | None:
    """The ``ztn.api.HttpError`` detail a servicer attached to say exactly what REST callers get."""
    for detail in status.details:
        if detail.type_url == _HTTP_ERROR_TYPE:
            found = http_error_pb2.HttpError()
            if detail.Unpack(found):
                return found
    return None


class ErrorRenderer:
    """REST errors of one service in its declared error format (ServiceOptions.error_format)."""

    def __init__(self, error_format: str, codec: JsonCodec) -> None:
        if error_format not in ("grpc-gateway", "message"):
            raise ValueError(f"unknown REST error format {error_format!r}")
        self.message_format = error_format == "message"
        self.codec = codec

    def status(self, status: status_pb2.Status, headers: CIMultiDict[str]) -> web.Response:
        detail = http_error_detail(status) if status.details else None
        if detail is not None:
            if detail.bare:
                for name in [k for k in headers if k.lower().startswith("access-control-")]:
                    del headers[name]
            headers["Content-Type"] = detail.content_type or HTML
            http = detail.status or http_status(grpc_code(status.code))
            return web.Response(status=http, body=detail.body, headers=headers)
        if self.message_format:
            headers["Content-Type"] = JSON
            http = http_status(grpc_code(status.code))
            return web.Response(status=http, body=orjson.dumps({"error": status.message}), headers=headers)
        return error_response(status, self.codec, None, headers)

    def simple(
        self,
        code: grpc.StatusCode,
        message: str,
        http: int | None = None,
        headers: CIMultiDict[str] | None = None,
    ) -> web.Response:
        headers = headers if headers is not None else CIMultiDict()
        if self.message_format:
            headers["Content-Type"] = JSON
            body = orjson.dumps({"error": message})
            return web.Response(status=http or http_status(code), body=body, headers=headers)
        status = status_pb2.Status(code=code_number(code), message=message)
        return error_response(status, self.codec, http, headers)

    def method_not_allowed(self, headers: CIMultiDict[str]) -> web.Response:
        if self.message_format:  # Django's 405: no body
            headers["Content-Type"] = HTML
            return web.Response(status=405, headers=headers)
        return self.simple(grpc.StatusCode.UNIMPLEMENTED, "Method Not Allowed", 405, headers)
