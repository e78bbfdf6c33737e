"""The five measured calls: what each sends, and one checked call per door before the load.

The load generators only see HTTP status codes (and grpc-web/native gRPC put errors in trailers
behind a 200), so every door is first called once with a real client that checks the answer is
the instance; the load run then compares its bytes per response with that reference.
"""

from __future__ import annotations

import http.client
import json
import struct
from dataclasses import dataclass

import grpc
from servers import Server

from zitadel import system_pb2, system_pb2_grpc

GET_INSTANCE = "/zitadel.system.v1.SystemService/GetInstance"
ALL_DOORS = ("hello", "rest", "grpc-web", "connect", "grpc")


@dataclass(frozen=True)
class Call:
    door: str
    tool: str  # "wrk" (HTTP/1.1, the HTTP port) or "h2load" (h2c, the gRPC port)
    url: str
    method: str
    headers: dict[str, str]
    body: bytes = b""


def grpc_frame(payload: bytes) -> bytes:
    return b"\0" + struct.pack(">I", len(payload)) + payload


def call_for(door: str, server: Server) -> Call:
    auth = {"Authorization": f"Bearer {server.token}"}
    iid = server.instance_id
    request = system_pb2.GetInstanceRequest(instance_id=iid).SerializeToString()
    rpc_url = server.base + GET_INSTANCE
    if door == "hello":
        return Call(door, "wrk", server.base + "/", "GET", {})
    if door == "rest":
        return Call(door, "wrk", f"{server.base}/system/v1/instances/{iid}", "GET", auth)
    if door == "grpc-web":
        headers = {**auth, "Content-Type": "application/grpc-web+proto", "X-Grpc-Web": "1"}
        return Call(door, "wrk", rpc_url, "POST", headers, grpc_frame(request))
    if door == "connect":
        headers = {**auth, "Content-Type": "application/json"}
        return Call(door, "wrk", rpc_url, "POST", headers, json.dumps({"instanceId": iid}).encode())
    if door == "grpc":
        url = f"http://127.0.0.1:{server.grpc_port}{GET_INSTANCE}"
        headers = {
            "authorization": f"Bearer {server.token}",
            "content-type": "application/grpc",
            "te": "trailers",
        }
        return Call(door, "h2load", url, "POST", headers, grpc_frame(request))
    raise ValueError(f"unknown door {door!r}; choose from {', '.join(ALL_DOORS)}")


def check(call: Call, server: Server) -> int:
    """One real call; raises unless it returns the instance. Returns the reference response size
    (HTTP body bytes for wrk, gRPC DATA bytes for h2load)."""
    if call.tool == "h2load":
        return _check_grpc(server)
    host, port = call.url.split("//", 1)[1].split("/", 1)[0].split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=10)
    try:
        path = "/" + call.url.split("//", 1)[1].split("/", 1)[1]
        conn.request(call.method, path, body=call.body or None, headers=call.headers)
        resp = conn.getresponse()
        body = resp.read()
    finally:
        conn.close()
    if resp.status != 200:
        raise RuntimeError(f"{call.door}: HTTP {resp.status}: {body[:300]!r}")
    if call.door == "hello":
        return len(body)
    if call.door == "grpc-web":
        _check_grpc_web(body, server.instance_id)
    elif json.loads(body)["instance"]["id"] != server.instance_id:
        raise RuntimeError(f"{call.door}: unexpected body {body[:300]!r}")
    return len(body)


def _check_grpc_web(body: bytes, instance_id: str) -> None:
    frames: list[tuple[int, bytes]] = []
    pos = 0
    while pos + 5 <= len(body):
        flags, length = struct.unpack_from(">BI", body, pos)
        frames.append((flags, body[pos + 5 : pos + 5 + length]))
        pos += 5 + length
    trailers = b"".join(p for f, p in frames if f & 0x80).lower()
    if b"grpc-status:0" not in trailers.replace(b" ", b""):
        raise RuntimeError(f"grpc-web: call failed, trailers {trailers!r}")
    data = [p for f, p in frames if not f & 0x80]
    if system_pb2.GetInstanceResponse.FromString(data[0]).instance.id != instance_id:
        raise RuntimeError("grpc-web: wrong instance")


def _check_grpc(server: Server) -> int:
    with grpc.insecure_channel(f"127.0.0.1:{server.grpc_port}") as channel:
        stub = system_pb2_grpc.SystemServiceStub(channel)
        response = stub.GetInstance(
            system_pb2.GetInstanceRequest(instance_id=server.instance_id),
            metadata=[("authorization", f"Bearer {server.token}")],
            timeout=10,
        )
    if response.instance.id != server.instance_id:
        raise RuntimeError("grpc: wrong instance")
    return 5 + response.ByteSize()
