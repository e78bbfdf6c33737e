"""One client per door, all answering the same question: what did this RPC return?

Each client takes a request message and returns an ``Outcome`` (response message or gRPC status,
message and error details), so a test can assert that every door gives the same answer.
REST is not generic (it needs the binding's URL), so ``RestCall`` carries it explicitly.
"""

from __future__ import annotations

import base64
import struct
from dataclasses import dataclass, field
from typing import Any

import aiohttp
import grpc
from google.protobuf import json_format
from google.protobuf.message import Message
from google.rpc import status_pb2

from zitadel import message_pb2

DOORS = ("grpc", "grpc-web", "grpc-web-text", "connect-json", "connect-proto")


@dataclass
class Outcome:
    code: grpc.StatusCode
    message: str = ""
    response: Message | None = None
    details: list[Any] = field(default_factory=list)
    headers: dict[str, str] = field(default_factory=dict)

    @property
    def error_ids(self) -> list[str]:
        ids = []
        for any_msg in self.details:
            detail = message_pb2.ErrorDetail()
            if any_msg.Unpack(detail):
                ids.append(detail.id)
        return ids


def _status_details(raw: bytes | None) -> list[Any]:
    if not raw:
        return []
    status = status_pb2.Status()
    status.ParseFromString(raw)
    return list(status.details)


def _b64(value: str) -> bytes:
    return base64.b64decode(value + "=" * (-len(value) % 4))


class DoorClient:
    def __init__(self, server, session: aiohttp.ClientSession, channel: grpc.aio.Channel) -> None:
        self.server = server
        self.session = session
        self.channel = channel

    async def call(
        self,
        door: str,
        service: str,
        method: str,
        request: Message,
        response_cls: type[Message],
        token: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> Outcome:
        md = dict(headers or {})
        if token:
            md["authorization"] = f"Bearer {token}"
        path = f"/{service}/{method}"
        if door == "grpc":
            return await self._grpc(path, request, response_cls, md)
        if door in ("grpc-web", "grpc-web-text"):
            return await self._grpc_web(path, request, response_cls, md, text=door == "grpc-web-text")
        if door == "connect-json":
            return await self._connect(path, request, response_cls, md, proto=False)
        if door == "connect-proto":
            return await self._connect(path, request, response_cls, md, proto=True)
        raise ValueError(door)

    async def _grpc(self, path, request, response_cls, md) -> Outcome:
        rpc = self.channel.unary_unary(
            path,
            request_serializer=type(request).SerializeToString,
            response_deserializer=response_cls.FromString,
        )
        call = rpc(request, metadata=tuple(md.items()))
        try:
            response = await call
        except grpc.aio.AioRpcError as err:
            raw = dict(err.trailing_metadata() or ()).get("grpc-status-details-bin")
            return Outcome(err.code(), err.details() or "", None, _status_details(raw))
        return Outcome(grpc.StatusCode.OK, "", response)

    async def _grpc_web(self, path, request, response_cls, md, text: bool) -> Outcome:
        payload = request.SerializeToString()
        body = struct.pack(">BI", 0, len(payload)) + payload
        ct = "application/grpc-web-text" if text else "application/grpc-web+proto"
        if text:
            body = base64.b64encode(body)
        hdrs = {"content-type": ct, "x-grpc-web": "1", **md}
        async with self.session.post(self.server.http + path, data=body, headers=hdrs) as resp:
            assert resp.status == 200, f"grpc-web answers HTTP 200 for every RPC outcome, got {resp.status}"
            raw = await resp.read()
            headers = {k.lower(): v for k, v in resp.headers.items()}
        if text:
            # Each frame is its own padded base64 chunk: decode quantum by quantum.
            raw = b"".join(base64.b64decode(raw[i : i + 4]) for i in range(0, len(raw), 4))
        trailers: dict[str, str] = {}
        message = None
        pos = 0
        while pos < len(raw):
            flag, length = struct.unpack(">BI", raw[pos : pos + 5])
            chunk = raw[pos + 5 : pos + 5 + length]
            pos += 5 + length
            if flag & 0x80:
                for line in chunk.decode().split("\r\n"):
                    if line:
                        k, _, v = line.partition(":")
                        trailers[k.strip().lower()] = v.strip()
            else:
                message = response_cls.FromString(chunk)
        if not trailers:  # trailers-only: status in the headers
            trailers = headers
        code = grpc.StatusCode.OK
        for c in grpc.StatusCode:
            if c.value[0] == int(trailers["grpc-status"]):
                code = c
        from urllib.parse import unquote

        details = (
            _status_details(_b64(trailers["grpc-status-details-bin"]))
            if "grpc-status-details-bin" in trailers
            else []
        )
        return Outcome(
            code,
            unquote(trailers.get("grpc-message", "")),
            message if code == grpc.StatusCode.OK else None,
            details,
            headers,
        )

    async def _connect(self, path, request, response_cls, md, proto: bool) -> Outcome:
        if proto:
            body = request.SerializeToString()
            ct = "application/proto"
        else:
            body = json_format.MessageToJson(request, indent=None).encode()
            ct = "application/json"
        hdrs = {"content-type": ct, "connect-protocol-version": "1", **md}
        async with self.session.post(self.server.http + path, data=body, headers=hdrs) as resp:
            raw = await resp.read()
            headers = {k.lower(): v for k, v in resp.headers.items()}
            if resp.status == 200:
                assert headers["content-type"].startswith(ct)
                msg = response_cls.FromString(raw) if proto else json_format.Parse(raw, response_cls())
                return Outcome(grpc.StatusCode.OK, "", msg, [], headers)
            assert headers["content-type"].startswith("application/json"), "Connect errors are always JSON"
            error = await resp.json(content_type=None)
        code = getattr(grpc.StatusCode, "CANCELLED" if error["code"] == "canceled" else error["code"].upper())
        details = []
        from google.protobuf import any_pb2

        for d in error.get("details", []):
            details.append(any_pb2.Any(type_url="type.googleapis.com/" + d["type"], value=_b64(d["value"])))
        return Outcome(code, error.get("message", ""), None, details, headers)
