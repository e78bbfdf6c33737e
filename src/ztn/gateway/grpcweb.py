"""The grpc-web door: unary calls in binary or base64 text mode (spec: gateway.md §3).

Wire rules that are easy to get wrong, each decided here once:
- HTTP 200 for every gRPC outcome; the grpc-web JS client ignores grpc-status on any other status.
  Only input the "proxy" layer cannot read (bad base64, bad transport headers) gets 400 like Envoy,
  with grpc-status kept in the headers for clients that look.
- An error before any message is sent "trailers-only" (status in the HTTP headers, empty body) when
  there is no custom header metadata; otherwise headers plus an in-body trailer frame (connect-go #677).
- Text mode is decoded per 4-character quantum, because ``base64.b64decode`` silently drops
  everything after the first padded chunk; the response base64-encodes each frame on its own.
- Trailer keys are lowercase, one line per key (the JS client overwrites repeated keys).
"""

from __future__ import annotations

import base64
import binascii
import struct
import zlib
from collections.abc import Iterable

import grpc
from aiohttp import web
from google.protobuf.message import DecodeError, Message
from multidict import CIMultiDict

from ztn.gateway.context import DOOR_GRPC_WEB
from ztn.gateway.invoke import DETAILS_KEY, CallResult, error_result, invoke
from ztn.gateway.metadata import MetadataError, encode_value, parse_grpc_timeout, plain_metadata
from ztn.gateway.registry import MethodInfo
from ztn.gateway.status import code_number, encode_grpc_message

Code = grpc.StatusCode

_BINARY_TYPES = frozenset({"application/grpc-web", "application/grpc-web+proto"})
_TEXT_TYPES = frozenset({"application/grpc-web-text", "application/grpc-web-text+proto"})
_CT_BINARY = "application/grpc-web+proto"
_CT_TEXT = "application/grpc-web-text+proto"

_DATA, _COMPRESSED, _TRAILER = 0x00, 0x01, 0x80
_HEADER = struct.Struct(">BI")
_WHITESPACE = b" \t\r\n"

# Response headers a servicer's header metadata must not replace: they belong to the transport.
_RESERVED_RESPONSE = frozenset(
    {
        "content-type",
        "content-length",
        "transfer-encoding",
        "connection",
        "grpc-status",
        "grpc-message",
        DETAILS_KEY,
    }
)


class _BadInput(Exception):
    """Input the door cannot read; becomes a gRPC status (and maybe a non-200 HTTP status)."""

    def __init__(self, code: grpc.StatusCode, message: str, http_status: int = 200) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.http_status = http_status


def media_type(content_type: str) -> str:
    """The media type without parameters, lowercased (``;charset=...`` is tolerated, unlike Envoy)."""
    return content_type.split(";", 1)[0].strip().lower()


def is_grpc_web(content_type: str) -> bool:
    """Any ``application/grpc-web*`` type; the door itself rejects the variants it does not speak (+json)."""
    return media_type(content_type).startswith("application/grpc-web")


def decode_text(body: bytes) -> bytes:
    """Decode grpc-web-text: possibly several independently padded base64 chunks, concatenated."""
    data = body.translate(None, _WHITESPACE)
    if len(data) % 4:
        raise ValueError("grpc-web-text body length is not a multiple of 4")
    try:
        pad = data.find(b"=")
        if pad < 0 or pad >= len(data) - 2:  # one chunk: the common case, one call
            return base64.b64decode(data, validate=True)
        out: list[bytes] = []
        start = 0
        for end in range(4, len(data) + 1, 4):
            if data[end - 1] == 0x3D:  # "=": this quantum closes a chunk
                out.append(base64.b64decode(data[start:end], validate=True))
                start = end
        out.append(base64.b64decode(data[start:], validate=True))
        return b"".join(out)
    except binascii.Error as exc:
        raise ValueError(f"invalid base64 in grpc-web-text body: {exc}") from None


def frame(flags: int, payload: bytes) -> bytes:
    return _HEADER.pack(flags, len(payload)) + payload


def _single_message(body: bytes, encoding: str) -> bytes:
    """The payload of the one data frame a unary request must carry."""
    if len(body) < 5:
        if body:
            raise _BadInput(Code.INTERNAL, "truncated grpc-web frame header")
        raise _BadInput(Code.UNIMPLEMENTED, "grpc-web request carries no message (unary expects one)")
    flags, length = _HEADER.unpack_from(body)
    end = 5 + length
    if len(body) < end:
        raise _BadInput(Code.INTERNAL, f"truncated grpc-web frame: {len(body) - 5} of {length} bytes")
    if len(body) > end:
        raise _BadInput(Code.UNIMPLEMENTED, "grpc-web request carries more than one message (unary)")
    payload = body[5:end]
    if flags == _DATA:
        return payload
    if flags == _COMPRESSED:
        if encoding == "gzip":
            try:
                return zlib.decompress(payload, wbits=16 + zlib.MAX_WBITS)
            except zlib.error:
                raise _BadInput(Code.INTERNAL, "invalid gzip message") from None
        if encoding in ("", "identity"):
            raise _BadInput(Code.INTERNAL, "compressed flag set but no grpc-encoding")
        raise _BadInput(Code.UNIMPLEMENTED, f"grpc-encoding {encoding!r} is not supported (gzip)")
    raise _BadInput(Code.INTERNAL, f"unexpected grpc-web frame flags 0x{flags:02x}")


def _status_pairs(result: CallResult) -> list[tuple[str, str]]:
    pairs = [("grpc-status", str(code_number(result.code)))]
    if result.message:
        pairs.append(("grpc-message", encode_grpc_message(result.message)))
    if result.details_bin:
        pairs.append((DETAILS_KEY, base64.b64encode(result.details_bin).decode()))
    return pairs


def _joined(metadata: Iterable[tuple[str, str | bytes]]) -> list[tuple[str, str]]:
    """One entry per key, values comma-joined (grpc-web JS keeps only the last of repeated keys)."""
    merged: dict[str, list[str]] = {}
    for key, value in metadata:
        key = key.lower()
        text = encode_value(key, value)
        if key not in _RESERVED_RESPONSE and text.isprintable():  # a CR/LF would break the header block
            merged.setdefault(key, []).append(text)
    return [(key, ",".join(values)) for key, values in merged.items()]


def trailer_block(result: CallResult) -> bytes:
    lines = _status_pairs(result) + _joined(result.trailer_metadata)
    return "".join(f"{key}: {value}\r\n" for key, value in lines).encode("latin-1", "replace")


class GrpcWebDoor:
    async def handle(self, request: web.Request, method: MethodInfo) -> web.StreamResponse:
        ctype = media_type(request.headers.get("Content-Type", ""))
        text = ctype in _TEXT_TYPES
        accept = request.headers.get("Accept", "")
        text_out = text or media_type(accept).startswith("application/grpc-web-text")
        if request.method != "POST":
            return web.Response(status=405, headers={"Allow": "POST"})
        if not text and ctype not in _BINARY_TYPES:
            return self._render(
                error_result(Code.UNIMPLEMENTED, f"grpc-web content type {ctype!r} is not supported"),
                text_out,
                http_status=415,
            )
        try:
            message, metadata, timeout = await self._read(request, method, text)
        except _BadInput as exc:
            return self._render(error_result(exc.code, exc.message), text_out, exc.http_status)
        result = await invoke(
            method, message, metadata, peer=request.remote or "", timeout=timeout, door=DOOR_GRPC_WEB
        )
        return self._render(result, text_out)

    async def _read(self, request: web.Request, method: MethodInfo, text: bool):
        try:
            metadata = plain_metadata(request.headers)
            timeout = parse_grpc_timeout(request.headers.get("grpc-timeout"))
        except MetadataError as exc:
            raise _BadInput(Code.INVALID_ARGUMENT, str(exc), 400) from None
        try:
            body = await request.read()
        except web.HTTPRequestEntityTooLarge:
            raise _BadInput(Code.RESOURCE_EXHAUSTED, "request too large", 413) from None
        except (ConnectionResetError, web.HTTPException):
            raise
        except Exception:  # aiohttp's RequestPayloadError: bad Content-Encoding data (spec §9 item 2)
            raise _BadInput(Code.INVALID_ARGUMENT, "unreadable request body", 400) from None
        if text:
            try:
                body = decode_text(body)
            except ValueError as exc:
                raise _BadInput(Code.INVALID_ARGUMENT, str(exc), 400) from None
        payload = _single_message(body, request.headers.get("grpc-encoding", "").strip().lower())
        message: Message = method.request_cls()
        try:
            message.ParseFromString(payload)
        except (DecodeError, RecursionError):
            raise _BadInput(Code.INTERNAL, "failed to parse request message") from None
        return message, metadata, timeout

    @staticmethod
    def _render(result: CallResult, text: bool, http_status: int = 200) -> web.Response:
        headers: CIMultiDict[str] = CIMultiDict()
        headers["Content-Type"] = _CT_TEXT if text else _CT_BINARY
        for key, value in _joined(result.header_metadata):
            headers.add(key, value)
        if result.response is None and not result.header_metadata:
            # Trailers-only: nothing was sent yet, so the status travels in the HTTP headers.
            for key, value in _status_pairs(result) + _joined(result.trailer_metadata):
                headers.add(key, value)
            return web.Response(status=http_status, headers=headers, body=b"")
        frames = []
        if result.response is not None:
            frames.append(frame(_DATA, result.response.SerializeToString()))
        frames.append(frame(_TRAILER, trailer_block(result)))
        if text:
            frames = [base64.b64encode(f) for f in frames]  # each frame padded on its own, like Envoy
        return web.Response(status=http_status, headers=headers, body=b"".join(frames))
