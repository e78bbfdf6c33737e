"""The Connect door: unary calls, POST and GET, JSON and binary proto (spec: gateway.md §4).

Connect speaks plain HTTP: the body is the bare message, the HTTP status is the outcome. Errors are
always ``application/json`` ``{"code": "<name>", "message": ..., "details": [...]}`` whatever the
request codec; details are ``{"type": <full name>, "value": <unpadded base64>, "debug": <JSON>}``.
Header metadata become headers, trailer metadata ``Trailer-<key>`` headers. JSON is canonical proto3
JSON (connect-go's protojson defaults), independent of the service's REST style.
"""

from __future__ import annotations

import base64
import binascii
import gzip
import re
import zlib
from collections.abc import Iterable
from typing import Any

import grpc
import orjson
from aiohttp import web
from google.protobuf import descriptor_pool, message_factory
from google.protobuf.message import DecodeError, Message
from multidict import CIMultiDict

from ztn.gateway.codec_json import JsonCodec, JsonCodecError, codec_for
from ztn.gateway.context import DOOR_CONNECT
from ztn.gateway.invoke import CallResult, error_result, invoke
from ztn.gateway.json_style import CANONICAL
from ztn.gateway.metadata import MetadataError, encode_value, plain_metadata
from ztn.gateway.registry import MethodInfo
from ztn.gateway.status import connect_code, http_status

Code = grpc.StatusCode

_CT_JSON = "application/json"
_CT_PROTO = "application/proto"
_ACCEPT_POST = f"{_CT_JSON}, {_CT_PROTO}"
_TIMEOUT_MS = re.compile(r"^\d{1,10}$")
# aiohttp already inflates these request encodings; anything else would reach us still compressed.
_SUPPORTED_ENCODINGS = ("gzip", "deflate", "identity")
_SUPPORTED_LIST = ", ".join(_SUPPORTED_ENCODINGS)
_RESERVED_RESPONSE = frozenset(
    {"content-type", "content-length", "content-encoding", "transfer-encoding", "connection"}
)


class _ConnectError(Exception):
    def __init__(self, code: grpc.StatusCode, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def _media_type(content_type: str) -> tuple[str, str]:
    """(media type, charset) lowercased; charset is "" when absent."""
    base, _, params = content_type.partition(";")
    charset = ""
    for param in params.split(";"):
        name, _, value = param.partition("=")
        if name.strip().lower() == "charset":
            charset = value.strip().strip('"').lower()
    return base.strip().lower(), charset


def is_connect_unary(request: web.BaseRequest) -> bool:
    """Whether a request on a method path is meant for Connect (the door answers 405/415 itself).

    POST with any content type that is not gRPC or grpc-web (unknown types get 415 + Accept-Post,
    ``application/connect+*`` streaming gets 415), GET carrying Connect's query parameters, and the
    methods Connect never allows (PUT, PATCH, DELETE -> 405 with ``Allow``).
    """
    if request.method == "POST":
        return not _media_type(request.headers.get("Content-Type", ""))[0].startswith("application/grpc")
    if request.method == "GET":
        query = request.rel_url.query
        return "encoding" in query or "message" in query or "connect" in query
    return request.method in ("PUT", "PATCH", "DELETE")


def _b64_loose(value: str) -> bytes:
    """URL-safe (or standard) base64, padding optional; a ``+`` that form decoding made a space is undone."""
    data = value.replace(" ", "+").replace("-", "+").replace("_", "/").strip()
    try:
        return base64.b64decode(data + "=" * (-len(data) % 4), validate=True)
    except (binascii.Error, ValueError):
        raise _ConnectError(Code.INVALID_ARGUMENT, "message is not valid base64") from None


class ConnectDoor:
    def __init__(self, json_codec: JsonCodec | None = None) -> None:
        self.json = json_codec or codec_for(CANONICAL)

    async def handle(self, request: web.Request, method: MethodInfo) -> web.StreamResponse:
        allow = "GET, POST" if method.no_side_effects else "POST"
        if request.method == "GET" and method.no_side_effects:
            ctype_or_error = await self._read_get(request)
        elif request.method == "POST":
            ctype_or_error = await self._read_post(request)
        else:
            return web.Response(status=405, headers={"Allow": allow})
        if isinstance(ctype_or_error, web.Response):
            return ctype_or_error
        ctype, payload = ctype_or_error
        try:
            timeout = self._timeout(request.headers.get("Connect-Timeout-Ms"))
            metadata = plain_metadata(request.headers)
            message = self._decode(payload, ctype, method.request_cls)
        except _ConnectError as exc:
            return self._error(error_result(exc.code, exc.message))
        except MetadataError as exc:
            return self._error(error_result(Code.INVALID_ARGUMENT, str(exc)))
        result = await invoke(
            method, message, metadata, peer=request.remote or "", timeout=timeout, door=DOOR_CONNECT
        )
        if not result.ok:
            return self._error(result)
        assert result.response is not None
        body = self.json.encode(result.response) if ctype == _CT_JSON else result.response.SerializeToString()
        headers = self._metadata_headers(result)
        headers["Content-Type"] = ctype
        return web.Response(status=200, headers=headers, body=body)

    # -- reading ------------------------------------------------------------------------------
    async def _read_post(self, request: web.Request) -> tuple[str, bytes] | web.Response:
        ctype, charset = _media_type(request.headers.get("Content-Type", ""))
        if ctype not in (_CT_JSON, _CT_PROTO) or (charset and charset not in ("utf-8", "utf8")):
            # application/connect+* is Connect streaming, which this server does not implement.
            return web.Response(status=415, headers={"Accept-Post": _ACCEPT_POST})
        version = request.headers.get("Connect-Protocol-Version")
        if version is not None and version.strip() != "1":
            return self._error(
                error_result(Code.INVALID_ARGUMENT, f'Connect-Protocol-Version must be "1": got {version!r}')
            )
        encoding = request.headers.get("Content-Encoding", "identity").strip().lower() or "identity"
        if encoding not in _SUPPORTED_ENCODINGS:
            return self._error(
                error_result(
                    Code.UNIMPLEMENTED,
                    f'unknown compression "{encoding}": supported encodings are {_SUPPORTED_LIST}',
                )
            )
        try:
            body = await request.read()
        except web.HTTPRequestEntityTooLarge:
            return self._error(error_result(Code.RESOURCE_EXHAUSTED, "request too large"), 413)
        except (ConnectionResetError, web.HTTPException):
            raise
        except Exception:  # aiohttp's RequestPayloadError: corrupt compressed body (spec §9 item 2)
            return self._error(error_result(Code.INVALID_ARGUMENT, "cannot decompress request body"))
        if ctype == _CT_JSON and not body:
            return self._error(
                error_result(Code.INVALID_ARGUMENT, "zero-length payload is not a valid JSON object")
            )
        return ctype, body

    async def _read_get(self, request: web.Request) -> tuple[str, bytes] | web.Response:
        if request.can_read_body:
            return web.Response(status=415, headers={"Accept-Post": _ACCEPT_POST})
        query = request.rel_url.query
        try:
            if query.get("connect", "v1") != "v1":
                raise _ConnectError(Code.INVALID_ARGUMENT, 'query parameter "connect" must be "v1"')
            encoding = query.get("encoding")
            if encoding not in ("json", "proto"):
                raise _ConnectError(
                    Code.INVALID_ARGUMENT, 'query parameter "encoding" must be "json" or "proto"'
                )
            if "message" not in query:
                raise _ConnectError(Code.INVALID_ARGUMENT, 'missing query parameter "message"')
            raw = query["message"]
            payload = (
                _b64_loose(raw) if query.get("base64") == "1" else raw.encode("utf-8", "surrogateescape")
            )
            payload = self._decompress(payload, query.get("compression", "identity").lower() or "identity")
        except _ConnectError as exc:
            return self._error(error_result(exc.code, exc.message))
        return (_CT_JSON if encoding == "json" else _CT_PROTO), payload

    @staticmethod
    def _decompress(payload: bytes, compression: str) -> bytes:
        if compression == "identity" or not payload:
            return payload
        if compression == "gzip":
            try:
                return gzip.decompress(payload)
            except (OSError, EOFError, zlib.error):
                raise _ConnectError(Code.INVALID_ARGUMENT, "cannot decompress message") from None
        raise _ConnectError(
            Code.UNIMPLEMENTED, f'unknown compression "{compression}": supported encodings are gzip, identity'
        )

    @staticmethod
    def _timeout(value: str | None) -> float | None:
        if value is None:
            return None
        if not _TIMEOUT_MS.match(value.strip()):
            raise _ConnectError(Code.INVALID_ARGUMENT, f"invalid Connect-Timeout-Ms {value!r}")
        return int(value) / 1000

    def _decode(self, payload: bytes, ctype: str, cls: type[Message]) -> Message:
        if ctype == _CT_PROTO:
            message = cls()
            try:
                message.ParseFromString(payload)
            except (DecodeError, RecursionError):
                raise _ConnectError(Code.INVALID_ARGUMENT, "cannot unmarshal binary message") from None
            return message
        if not payload.strip():
            raise _ConnectError(Code.INVALID_ARGUMENT, "zero-length payload is not a valid JSON object")
        try:
            return self.json.decode(payload, cls)
        except (JsonCodecError, ValueError, RecursionError) as exc:
            raise _ConnectError(Code.INVALID_ARGUMENT, f"cannot unmarshal JSON message: {exc}") from None

    # -- writing ------------------------------------------------------------------------------
    @staticmethod
    def _metadata_headers(result: CallResult) -> CIMultiDict[str]:
        headers: CIMultiDict[str] = CIMultiDict()
        for key, value in _safe(result.header_metadata):
            headers.add(key, value)
        for key, value in _safe(result.trailer_metadata):
            headers.add("Trailer-" + key, value)
        return headers

    def _error(self, result: CallResult, status: int | None = None) -> web.Response:
        error: dict[str, Any] = {"code": connect_code(result.code)}
        if result.message:
            error["message"] = result.message
        details = [self._detail(any_msg) for any_msg in result.status().details]
        if details:
            error["details"] = details
        headers = self._metadata_headers(result)
        headers["Content-Type"] = _CT_JSON
        return web.Response(
            status=status or http_status(result.code), headers=headers, body=orjson.dumps(error)
        )

    def _detail(self, any_msg: Any) -> dict[str, Any]:
        type_name = any_msg.type_url.rsplit("/", 1)[-1]
        detail: dict[str, Any] = {
            "type": type_name,
            "value": base64.b64encode(any_msg.value).decode().rstrip("="),
        }
        # "debug" is a courtesy rendering; a type this process does not know simply goes without it.
        try:
            cls = message_factory.GetMessageClass(descriptor_pool.Default().FindMessageTypeByName(type_name))
            inner = cls()
            inner.ParseFromString(any_msg.value)
            detail["debug"] = self.json.to_obj(inner)
        except Exception:  # KeyError (unknown type), DecodeError, JsonCodecError
            pass
        return detail


def _safe(metadata: Iterable[tuple[str, str | bytes]]) -> list[tuple[str, str]]:
    """Metadata as header pairs, minus transport names and values a header cannot carry."""
    pairs = []
    for key, value in metadata:
        key = key.lower()
        text = encode_value(key, value)
        if key not in _RESERVED_RESPONSE and not key.startswith("connect-") and text.isprintable():
            pairs.append((key, text))
    return pairs
