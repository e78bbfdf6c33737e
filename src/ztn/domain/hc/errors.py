"""Errors of the monitoring API, carrying both renderings: the gRPC status and Healthchecks' HTTP answer.

Healthchecks answers some errors as ``{"error": "..."}`` JSON, some with an empty text/html body and
one (resume) with a plain-text sentence; the servicer turns an HcError into a gRPC status whose
details tell the REST door exactly what to send.
"""

from __future__ import annotations

from dataclasses import dataclass

import grpc

HTML = "text/html; charset=utf-8"
JSON = "application/json"


@dataclass
class HcError(Exception):
    code: grpc.StatusCode
    message: str  # the gRPC status message
    http_status: int
    body: bytes = b""
    content_type: str = HTML
    cors: bool = True  # False for Django's own 404 page, which is raised past the CORS wrapper

    def __str__(self) -> str:
        return self.message


def json_error(http_status: int, message: str, code: grpc.StatusCode) -> HcError:
    """``{"error": message}``: validation and authentication errors."""
    import orjson

    return HcError(code, message, http_status, orjson.dumps({"error": message}), JSON)


def bad_request(message: str) -> HcError:
    return json_error(400, message, grpc.StatusCode.INVALID_ARGUMENT)


def validation_error(message: str) -> HcError:
    return bad_request(f"json validation error: {message}")


def unauthorized(message: str) -> HcError:  # "missing api key" | "wrong api key"
    return json_error(401, message, grpc.StatusCode.UNAUTHENTICATED)


def forbidden(message: str = "check belongs to another project") -> HcError:
    return HcError(grpc.StatusCode.PERMISSION_DENIED, message, 403)


def check_limit_reached() -> HcError:
    return HcError(grpc.StatusCode.RESOURCE_EXHAUSTED, "check limit reached", 403)


NOT_FOUND_PAGE = (
    b'\n<!doctype html>\n<html lang="en">\n<head>\n  <title>Not Found</title>\n</head>\n<body>\n'
    b"  <h1>Not Found</h1><p>The requested resource was not found on this server.</p>\n</body>\n</html>\n"
)


def not_found_page(message: str = "check not found") -> HcError:
    """Unknown or malformed UUID: the framework's HTML page, without CORS headers."""
    return HcError(grpc.StatusCode.NOT_FOUND, message, 404, NOT_FOUND_PAGE, HTML, cors=False)


def not_found_empty(message: str = "check not found") -> HcError:
    return HcError(grpc.StatusCode.NOT_FOUND, message, 404)


def method_not_allowed(message: str = "method not allowed") -> HcError:
    return HcError(grpc.StatusCode.UNIMPLEMENTED, message, 405)


def not_paused() -> HcError:
    return HcError(grpc.StatusCode.FAILED_PRECONDITION, "check is not paused", 409, b"check is not paused")


def bad_filter(message: str) -> HcError:
    """Bad flip filters: 400 with an empty body."""
    return HcError(grpc.StatusCode.INVALID_ARGUMENT, message, 400)
