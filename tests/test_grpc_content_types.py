"""Native gRPC accepts every gRPC content-type spelling (ZITADEL once answered 404 to ``+proto``).

grpcio clients always send ``application/grpc``, so this test speaks raw HTTP/2 with the h2 library.
"""

from __future__ import annotations

import socket
import struct

import h2.config
import h2.connection
import h2.events
import pytest

from zitadel import system_pb2


def raw_grpc_call(port: int, path: str, content_type: str, message: bytes) -> tuple[dict, dict, bytes]:
    sock = socket.create_connection(("127.0.0.1", port), timeout=10)
    conn = h2.connection.H2Connection(h2.config.H2Configuration(client_side=True, header_encoding="utf-8"))
    conn.initiate_connection()
    sock.sendall(conn.data_to_send())
    stream = conn.get_next_available_stream_id()
    conn.send_headers(
        stream,
        [
            (":method", "POST"),
            (":scheme", "http"),
            (":path", path),
            (":authority", f"127.0.0.1:{port}"),
            ("content-type", content_type),
            ("te", "trailers"),
        ],
    )
    conn.send_data(stream, struct.pack(">BI", 0, len(message)) + message, end_stream=True)
    sock.sendall(conn.data_to_send())
    headers: dict = {}
    trailers: dict = {}
    body = b""
    done = False
    while not done:
        data = sock.recv(65536)
        if not data:
            break
        for event in conn.receive_data(data):
            if isinstance(event, h2.events.ResponseReceived):
                headers = dict(event.headers)
            elif isinstance(event, h2.events.DataReceived):
                body += event.data
                conn.acknowledge_received_data(event.flow_controlled_length, event.stream_id)
            elif isinstance(event, h2.events.TrailersReceived):
                trailers = dict(event.headers)
            elif isinstance(event, h2.events.StreamEnded | h2.events.StreamReset):
                done = True
        sock.sendall(conn.data_to_send())
    sock.close()
    return headers, trailers, body


@pytest.mark.parametrize("content_type", ["application/grpc", "application/grpc+proto"])
def test_native_grpc_accepts_content_type_variants(server, content_type):
    headers, trailers, body = raw_grpc_call(
        server.grpc_port,
        "/zitadel.system.v1.SystemService/Healthz",
        content_type,
        system_pb2.HealthzRequest().SerializeToString(),
    )
    assert headers[":status"] == "200"
    status = trailers.get("grpc-status", headers.get("grpc-status"))
    assert status == "0", (headers, trailers)
    assert (
        body[:1] == b"\x00"
        and system_pb2.HealthzResponse.FromString(body[5:]) == system_pb2.HealthzResponse()
    )
