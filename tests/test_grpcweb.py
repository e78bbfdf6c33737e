"""grpc-web door over a real socket: raw aiohttp requests, binary and text mode, framing, trailers, errors."""

from __future__ import annotations

import base64
import gzip
import struct

import pytest
import pytest_asyncio
from aiohttp import ClientSession
from aiohttp.test_utils import TestServer
from google.rpc import error_details_pb2, status_pb2

from echo_servicer import ERROR_DOMAIN, door_app, echo_pb2, echo_registry
from ztn.gateway.grpcweb import decode_text

ECHO = "/ztn.testing.v1.EchoService/Echo"
BINARY = {"Content-Type": "application/grpc-web+proto", "X-Grpc-Web": "1"}
TEXT = {"Content-Type": "application/grpc-web-text", "Accept": "application/grpc-web-text", "X-Grpc-Web": "1"}


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def server():
    server = TestServer(door_app(echo_registry()))
    await server.start_server()
    yield server
    await server.close()


@pytest_asyncio.fixture(loop_scope="session")
async def http():
    async with ClientSession() as session:
        yield session


def frame(flags: int, payload: bytes) -> bytes:
    return struct.pack(">BI", flags, len(payload)) + payload


def parse_frames(body: bytes) -> list[tuple[int, bytes]]:
    frames = []
    while body:
        flags, length = struct.unpack(">BI", body[:5])
        assert len(body) >= 5 + length, "response frame is truncated"
        frames.append((flags, body[5 : 5 + length]))
        body = body[5 + length :]
    return frames


def parse_trailers(block: bytes) -> dict[str, str]:
    lines = block.decode().split("\r\n")
    assert lines[-1] == "", "every trailer line ends with CRLF"
    pairs = [line.split(":", 1) for line in lines[:-1]]
    for key, _ in pairs:
        assert key == key.lower(), f"trailer key {key!r} is not lowercase"
    return {key: value.strip() for key, value in pairs}


async def post(http, server, body: bytes, headers=BINARY, path=ECHO):
    async with http.post(server.make_url(path), data=body, headers=headers) as resp:
        return resp, await resp.read()


async def call(http, server, request: echo_pb2.EchoRequest, headers=BINARY):
    """A well-formed binary call; returns (response, header dict, EchoResponse | None, trailers | None)."""
    resp, body = await post(http, server, frame(0, request.SerializeToString()), headers)
    assert resp.status == 200
    frames = parse_frames(body)
    message = trailers = None
    for flags, payload in frames:
        if flags == 0:
            assert message is None and trailers is None, "at most one data frame, before the trailers"
            message = echo_pb2.EchoResponse.FromString(payload)
        else:
            assert flags == 0x80 and trailers is None
            trailers = parse_trailers(payload)
    return resp, message, trailers


async def test_binary_call_returns_a_data_frame_then_ok_trailers(http, server):
    resp, message, trailers = await call(
        http, server, echo_pb2.EchoRequest(message="hi", payload=b"\x00\xff")
    )
    assert resp.headers["Content-Type"] == "application/grpc-web+proto"
    assert message.message == "hi" and message.payload == b"\x00\xff"
    assert trailers == {"grpc-status": "0"}


@pytest.mark.parametrize(
    "content_type",
    ["application/grpc-web", "application/grpc-web+proto; charset=utf-8", "Application/GRPC-Web"],
)
async def test_binary_content_types_are_accepted_with_parameters_ignored(http, server, content_type):
    _, message, trailers = await call(
        http, server, echo_pb2.EchoRequest(message="x"), {"Content-Type": content_type}
    )
    assert message.message == "x" and trailers["grpc-status"] == "0"


async def test_text_mode_decodes_concatenated_padded_chunks_and_answers_in_text(http, server):
    framed = frame(0, echo_pb2.EchoRequest(message="chunked text").SerializeToString())
    # Two independently padded chunks: a plain b64decode would silently drop the second.
    body = base64.b64encode(framed[:4]) + base64.b64encode(framed[4:])
    assert body.index(b"=") < len(body) - 4
    resp, raw = await post(http, server, body, TEXT)
    assert resp.status == 200
    assert resp.headers["Content-Type"] == "application/grpc-web-text+proto"
    frames = parse_frames(decode_text(raw))
    assert echo_pb2.EchoResponse.FromString(frames[0][1]).message == "chunked text"
    assert frames[1][0] == 0x80 and parse_trailers(frames[1][1])["grpc-status"] == "0"


async def test_text_mode_tolerates_line_breaks_in_the_base64(http, server):
    encoded = base64.b64encode(frame(0, echo_pb2.EchoRequest(message="wrapped").SerializeToString()))
    resp, raw = await post(http, server, encoded[:8] + b"\r\n" + encoded[8:], TEXT)
    assert echo_pb2.EchoResponse.FromString(parse_frames(decode_text(raw))[0][1]).message == "wrapped"


@pytest.mark.parametrize("body", [b"abc", b"ab!d", b"a===", b"aGk=x"])
async def test_bad_base64_is_http_400_with_grpc_status_invalid_argument(http, server, body):
    resp, raw = await post(http, server, body, TEXT)
    assert resp.status == 400
    assert resp.headers["grpc-status"] == "3"
    assert raw == b""


async def test_error_before_any_message_is_trailers_only_with_encoded_message_and_details(http, server):
    request = echo_pb2.EchoRequest(fail_code=5, fail_message="nöt found: 100%", fail_reason="NO_SUCH_THING")
    resp, body = await post(http, server, frame(0, request.SerializeToString()))
    assert resp.status == 200
    assert body == b""
    assert resp.headers["grpc-status"] == "5"
    assert resp.headers["grpc-message"] == "n%C3%B6t found: 100%25"
    status = status_pb2.Status.FromString(base64.b64decode(resp.headers["grpc-status-details-bin"]))
    assert status.code == 5 and status.message == "nöt found: 100%"
    info = error_details_pb2.ErrorInfo()
    assert status.details[0].Unpack(info)
    assert (info.reason, info.domain) == ("NO_SUCH_THING", ERROR_DOMAIN)


async def test_error_after_header_metadata_sends_headers_and_a_trailer_frame(http, server):
    request = echo_pb2.EchoRequest(
        fail_code=7,
        fail_message="denied",
        header_metadata={"x-request-id": "r1"},
        trailer_metadata={"x-t": "v"},
    )
    resp, message, trailers = await call(http, server, request)
    assert "grpc-status" not in resp.headers
    assert resp.headers["x-request-id"] == "r1"
    assert message is None
    assert trailers == {"grpc-status": "7", "grpc-message": "denied", "x-t": "v"}


async def test_response_metadata_headers_and_trailers_with_binary_values(http, server):
    request = echo_pb2.EchoRequest(
        message="m",
        header_metadata={"x-h": "hv", "x-h-bin": "\x01\x02"},
        trailer_metadata={"x-t": "tv", "x-t-bin": "bin"},
    )
    resp, message, trailers = await call(http, server, request)
    assert resp.headers["x-h"] == "hv"
    assert base64.b64decode(resp.headers["x-h-bin"] + "==") == b"\x01\x02"
    assert trailers["x-t"] == "tv"
    assert base64.b64decode(trailers["x-t-bin"] + "==") == b"bin"
    assert trailers["grpc-status"] == "0"


async def test_request_headers_become_metadata_without_transport_headers(http, server):
    headers = dict(BINARY, Authorization="Bearer t", **{"x-zitadel-orgid": "42", "x-trace-bin": "AAEC"})
    _, message, _ = await call(http, server, echo_pb2.EchoRequest(echo_metadata=True), headers)
    received = {m.key: (m.binary_value or m.value) for m in message.metadata}
    assert received["authorization"] == "Bearer t"
    assert received["x-zitadel-orgid"] == "42"
    assert received["x-trace-bin"] == b"\x00\x01\x02"
    assert not {"content-type", "x-grpc-web", "content-length"} & received.keys()
    assert received["host"].startswith("127.0.0.1:"), "the Host travels as metadata, like :authority"


async def test_grpc_timeout_sets_the_deadline_and_expires_the_call(http, server):
    _, message, _ = await call(http, server, echo_pb2.EchoRequest(), dict(BINARY, **{"grpc-timeout": "10S"}))
    assert message.has_deadline
    _, message, _ = await call(http, server, echo_pb2.EchoRequest(), BINARY)
    assert not message.has_deadline
    resp, body = await post(
        http,
        server,
        frame(0, echo_pb2.EchoRequest(sleep_ms=5000).SerializeToString()),
        dict(BINARY, **{"grpc-timeout": "20m"}),
    )
    assert resp.status == 200 and resp.headers["grpc-status"] == "4"


async def test_malformed_grpc_timeout_is_rejected(http, server):
    resp, _ = await post(http, server, frame(0, b""), dict(BINARY, **{"grpc-timeout": "1 second"}))
    assert resp.status == 400 and resp.headers["grpc-status"] == "3"


@pytest.mark.parametrize(
    ("body", "code"),
    [
        (b"", "12"),  # no message: cardinality violation
        (frame(0, b"") + frame(0, b""), "12"),  # two messages for a unary call
        (frame(0, b"abc")[:6], "13"),  # truncated payload
        (b"\x00\x00", "13"),  # truncated frame header
        (frame(0, b"\xff\xff\xff"), "13"),  # not a protobuf message
        (frame(0x80, b""), "13"),  # a trailer frame is not a request
        (frame(1, b"x"), "13"),  # compressed without grpc-encoding
    ],
)
async def test_bad_framing_is_a_grpc_error_with_http_200(http, server, body, code):
    resp, raw = await post(http, server, body)
    assert resp.status == 200
    assert resp.headers["grpc-status"] == code
    assert resp.headers["grpc-message"]


async def test_gzip_compressed_message_is_accepted(http, server):
    payload = gzip.compress(echo_pb2.EchoRequest(message="squeezed").SerializeToString())
    _, message, _ = await call_raw(http, server, frame(1, payload), dict(BINARY, **{"grpc-encoding": "gzip"}))
    assert message.message == "squeezed"


async def call_raw(http, server, body, headers):
    resp, raw = await post(http, server, body, headers)
    frames = parse_frames(raw)
    return resp, echo_pb2.EchoResponse.FromString(frames[0][1]), parse_trailers(frames[-1][1])


async def test_grpc_web_json_is_not_supported(http, server):
    resp, _ = await post(http, server, frame(0, b"{}"), {"Content-Type": "application/grpc-web+json"})
    assert resp.status == 415
    assert resp.headers["grpc-status"] == "12"
