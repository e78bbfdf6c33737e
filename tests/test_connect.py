"""Connect unary door over a real socket: JSON and proto, POST and GET, error bodies, metadata, timeouts."""

from __future__ import annotations

import asyncio
import base64
import gzip
import json
import os
import shutil
from urllib.parse import urlencode

import pytest
import pytest_asyncio
from aiohttp import ClientSession
from aiohttp.test_utils import TestServer
from google.protobuf import descriptor_pb2
from google.rpc import error_details_pb2

from echo_servicer import ERROR_DOMAIN, door_app, echo_pb2, echo_registry

ECHO = "/ztn.testing.v1.EchoService/Echo"
ECHO_GET = "/ztn.testing.v1.EchoService/EchoGet"
JSON = {"Content-Type": "application/json", "Connect-Protocol-Version": "1"}
PROTO = {"Content-Type": "application/proto", "Connect-Protocol-Version": "1"}


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


async def request(
    http, server, method="POST", path=ECHO, body: bytes | str | None = None, headers=JSON, query=""
):
    url = server.make_url(path + ("?" + query if query else ""))
    async with http.request(method, url, data=body, headers=headers) as resp:
        return resp, await resp.read()


def connect_error(resp, body: bytes) -> dict:
    assert resp.headers["Content-Type"] == "application/json", "Connect errors are always JSON"
    error = json.loads(body)
    assert isinstance(error["code"], str)
    return error


async def test_json_call_answers_canonical_json(http, server):
    resp, body = await request(http, server, body=json.dumps({"message": "hi", "payload": "AAE="}))
    assert resp.status == 200
    assert resp.headers["Content-Type"] == "application/json"
    assert json.loads(body) == {"message": "hi", "payload": "AAE="}


async def test_proto_call_answers_proto(http, server):
    payload = echo_pb2.EchoRequest(message="bin").SerializeToString()
    resp, body = await request(http, server, body=payload, headers=PROTO)
    assert resp.status == 200
    assert resp.headers["Content-Type"] == "application/proto"
    assert echo_pb2.EchoResponse.FromString(body).message == "bin"


async def test_version_header_is_optional_and_charset_is_accepted(http, server):
    headers = {"Content-Type": "application/json; charset=utf-8"}
    resp, body = await request(http, server, body='{"message":"x"}', headers=headers)
    assert resp.status == 200 and json.loads(body) == {"message": "x"}


async def test_unknown_protocol_version_is_invalid_argument(http, server):
    resp, body = await request(
        http, server, body="{}", headers=dict(JSON, **{"Connect-Protocol-Version": "2"})
    )
    assert resp.status == 400
    assert connect_error(resp, body)["code"] == "invalid_argument"


async def test_empty_proto_body_is_the_empty_message_but_empty_json_is_invalid(http, server):
    resp, body = await request(http, server, body=b"", headers=PROTO)
    assert resp.status == 200 and body == b""
    resp, body = await request(http, server, body=b"")
    assert resp.status == 400
    assert connect_error(resp, body)["code"] == "invalid_argument"


@pytest.mark.parametrize("body", ["{", "[1]", '{"message": 5}', '{"sleepMs": "soon"}'])
async def test_malformed_json_is_invalid_argument(http, server, body):
    resp, raw = await request(http, server, body=body)
    assert resp.status == 400
    assert connect_error(resp, raw)["code"] == "invalid_argument"


async def test_malformed_proto_is_invalid_argument(http, server):
    resp, raw = await request(http, server, body=b"\xff\xff\xff", headers=PROTO)
    assert resp.status == 400 and connect_error(resp, raw)["code"] == "invalid_argument"


async def test_error_body_has_code_name_message_and_typed_details_even_for_proto(http, server):
    failing = echo_pb2.EchoRequest(fail_code=5, fail_message="thing not found", fail_reason="NO_THING")
    resp, body = await request(http, server, body=failing.SerializeToString(), headers=PROTO)
    assert resp.status == 404
    error = connect_error(resp, body)
    assert error["code"] == "not_found" and error["message"] == "thing not found"
    [detail] = error["details"]
    assert detail["type"] == "google.rpc.ErrorInfo"
    assert not detail["value"].endswith("="), "Connect emits unpadded base64"
    value = base64.b64decode(detail["value"] + "=" * (-len(detail["value"]) % 4))
    info = error_details_pb2.ErrorInfo.FromString(value)
    assert (info.reason, info.domain) == ("NO_THING", ERROR_DOMAIN)
    assert detail["debug"] == {"reason": "NO_THING", "domain": ERROR_DOMAIN}


@pytest.mark.parametrize(
    ("code", "http_status", "name"),
    [
        (1, 499, "canceled"),
        (3, 400, "invalid_argument"),
        (7, 403, "permission_denied"),
        (16, 401, "unauthenticated"),
        (9, 400, "failed_precondition"),
        (13, 500, "internal"),
    ],
)
async def test_error_http_status_and_code_name_follow_the_table(http, server, code, http_status, name):
    resp, body = await request(http, server, body=json.dumps({"failCode": code}))
    assert resp.status == http_status
    error = connect_error(resp, body)
    assert error == {"code": name}, "no message or details keys when there are none"


async def test_header_metadata_are_headers_and_trailers_are_trailer_prefixed(http, server):
    body = {"headerMetadata": {"x-h": "hv", "x-h-bin": "\x01"}, "trailerMetadata": {"x-cost": "237"}}
    resp, _ = await request(http, server, body=json.dumps(body))
    assert resp.status == 200
    assert resp.headers["x-h"] == "hv"
    assert resp.headers["x-h-bin"] == "AQ"
    assert resp.headers["Trailer-x-cost"] == "237"
    assert "x-cost" not in resp.headers


async def test_error_carries_metadata_too(http, server):
    body = {"failCode": 10, "headerMetadata": {"x-h": "1"}, "trailerMetadata": {"x-t": "2"}}
    resp, raw = await request(http, server, body=json.dumps(body))
    assert resp.status == 409 and connect_error(resp, raw)["code"] == "aborted"
    assert resp.headers["x-h"] == "1" and resp.headers["Trailer-x-t"] == "2"


async def test_request_headers_reach_the_servicer_without_protocol_headers(http, server):
    headers = dict(JSON, Authorization="Bearer t", **{"X-Zitadel-Orgid": "7", "Connect-Timeout-Ms": "9000"})
    resp, body = await request(http, server, body='{"echoMetadata": true}', headers=headers)
    received = {m["key"]: m.get("value") for m in json.loads(body)["metadata"]}
    assert received["authorization"] == "Bearer t" and received["x-zitadel-orgid"] == "7"
    assert not any(key.startswith("connect-") or key == "content-type" for key in received)
    assert json.loads(body)["hasDeadline"] is True


async def test_connect_timeout_expires_the_call(http, server):
    headers = dict(JSON, **{"Connect-Timeout-Ms": "20"})
    resp, body = await request(http, server, body='{"sleepMs": 5000}', headers=headers)
    assert resp.status == 504
    assert connect_error(resp, body)["code"] == "deadline_exceeded"


@pytest.mark.parametrize("value", ["12345678901", "abc", "-5", "1.5"])
async def test_bad_connect_timeout_is_invalid_argument(http, server, value):
    resp, body = await request(http, server, body="{}", headers=dict(JSON, **{"Connect-Timeout-Ms": value}))
    assert resp.status == 400 and connect_error(resp, body)["code"] == "invalid_argument"


async def test_get_with_json_message(http, server):
    query = urlencode({"connect": "v1", "encoding": "json", "message": '{"message":"via get + more"}'})
    resp, body = await request(http, server, "GET", ECHO_GET, headers={}, query=query)
    assert resp.status == 200 and resp.headers["Content-Type"] == "application/json"
    assert json.loads(body) == {"message": "via get + more"}


async def test_get_with_base64_proto_message_unpadded_url_safe(http, server):
    raw = echo_pb2.EchoRequest(message="b64", payload=b"\xfb\xff").SerializeToString()
    message = base64.urlsafe_b64encode(raw).decode().rstrip("=")
    query = urlencode({"base64": "1", "encoding": "proto", "message": message})
    resp, body = await request(http, server, "GET", ECHO_GET, headers={}, query=query)
    assert resp.status == 200 and resp.headers["Content-Type"] == "application/proto"
    assert echo_pb2.EchoResponse.FromString(body).payload == b"\xfb\xff"


async def test_get_with_gzip_compressed_message(http, server):
    message = base64.urlsafe_b64encode(gzip.compress(b'{"message":"zipped"}')).decode()
    query = urlencode({"base64": "1", "compression": "gzip", "encoding": "json", "message": message})
    resp, body = await request(http, server, "GET", ECHO_GET, headers={}, query=query)
    assert resp.status == 200 and json.loads(body) == {"message": "zipped"}


@pytest.mark.parametrize(
    "params",
    [
        {"encoding": "json"},  # no message
        {"message": "{}"},  # no encoding
        {"encoding": "xml", "message": "{}"},
        {"connect": "v2", "encoding": "json", "message": "{}"},
        {"encoding": "proto", "base64": "1", "message": "!!!"},
    ],
)
async def test_bad_get_parameters_are_invalid_argument(http, server, params):
    resp, body = await request(http, server, "GET", ECHO_GET, headers={}, query=urlencode(params))
    assert resp.status == 400 and connect_error(resp, body)["code"] == "invalid_argument"


async def test_get_on_a_method_with_side_effects_is_405(http, server):
    query = urlencode({"encoding": "json", "message": "{}"})
    resp, _ = await request(http, server, "GET", ECHO, headers={}, query=query)
    assert resp.status == 405 and resp.headers["Allow"] == "POST"


@pytest.mark.parametrize(("path", "allow"), [(ECHO, "POST"), (ECHO_GET, "GET, POST")])
async def test_other_http_methods_are_405_with_allow(http, server, path, allow):
    resp, _ = await request(http, server, "PUT", path, body="{}")
    assert resp.status == 405 and resp.headers["Allow"] == allow


@pytest.mark.parametrize(
    "content_type",
    [
        "text/plain",
        "application/connect+json",
        "application/connect+proto",
        "application/xml",
        "application/json; charset=latin-1",
    ],
)
async def test_unsupported_content_types_are_415_with_accept_post(http, server, content_type):
    resp, _ = await request(http, server, body="{}", headers={"Content-Type": content_type})
    assert resp.status == 415
    assert resp.headers["Accept-Post"] == "application/json, application/proto"


async def test_gzip_request_body_is_accepted(http, server):
    headers = dict(JSON, **{"Content-Encoding": "gzip"})
    resp, body = await request(http, server, body=gzip.compress(b'{"message":"gz"}'), headers=headers)
    assert resp.status == 200 and json.loads(body) == {"message": "gz"}


async def test_unsupported_content_encoding_is_unimplemented(http, server):
    headers = dict(JSON, **{"Content-Encoding": "snappy"})
    resp, body = await request(http, server, body=b"{}", headers=headers)
    assert resp.status == 501
    error = connect_error(resp, body)
    assert error["code"] == "unimplemented" and "gzip" in error["message"]


async def test_corrupt_gzip_body_is_invalid_argument(http, server):
    headers = dict(JSON, **{"Content-Encoding": "gzip"})
    resp, body = await request(http, server, body=b"not gzip at all", headers=headers)
    assert resp.status == 400 and connect_error(resp, body)["code"] == "invalid_argument"


# -- interop with the official connect-es client (optional) ---------------------------------------
# Runs when ZTN_CONNECT_ES_DIR names a directory prepared with:
#   npm install @connectrpc/connect@2 @connectrpc/connect-node@2 @bufbuild/protobuf@2
_PROBE = r"""
import { createFileRegistry, fromBinary, create } from "@bufbuild/protobuf";
import { FileDescriptorSetSchema } from "@bufbuild/protobuf/wkt";
import { createClient, ConnectError, Code } from "@connectrpc/connect";
import { createConnectTransport, createGrpcWebTransport } from "@connectrpc/connect-node";
import { readFileSync } from "node:fs";

const [fdsPath, baseUrl] = process.argv.slice(2);
const registry = createFileRegistry(fromBinary(FileDescriptorSetSchema, readFileSync(fdsPath)));
const client = (t) => createClient(registry.getService("ztn.testing.v1.EchoService"), t);
const Req = registry.getMessage("ztn.testing.v1.EchoRequest");
const out = {};
for (const [name, transport] of [
  ["connect-json", createConnectTransport({ baseUrl, httpVersion: "1.1" })],
  ["connect-proto", createConnectTransport({ baseUrl, httpVersion: "1.1", useBinaryFormat: true })],
  ["connect-get", createConnectTransport({ baseUrl, httpVersion: "1.1", useHttpGet: true })],
  ["grpc-web", createGrpcWebTransport({ baseUrl, httpVersion: "1.1" })],
]) {
  const c = client(transport);
  const r = {};
  let trailer;
  const ok = await c.echoGet(create(Req, { message: "hi", trailerMetadata: { "x-cost": "7" } }),
                             { onTrailer: (t) => { trailer = t; } });
  r.message = ok.message;
  r.trailer = trailer?.get("x-cost") ?? null;
  try {
    await c.echo(create(Req, { failCode: 5, failMessage: "nöt found 100%", failReason: "WHY" }));
  } catch (e) {
    const err = ConnectError.from(e);
    r.error = [Code[err.code], err.rawMessage, err.details.map((d) => d.desc ? d.desc.typeName : d.type)];
  }
  try {
    await c.echo(create(Req, { sleepMs: 3000 }), { timeoutMs: 30 });
  } catch (e) {
    r.deadline = Code[ConnectError.from(e).code];
  }
  out[name] = r;
}
console.log(JSON.stringify(out));
"""


async def test_connect_es_client_interop(server, tmp_path):
    es_dir = os.environ.get("ZTN_CONNECT_ES_DIR", "")
    node = shutil.which("node")
    if not node or not os.path.isdir(os.path.join(es_dir, "node_modules", "@connectrpc", "connect-node")):
        pytest.skip("set ZTN_CONNECT_ES_DIR to a directory with @connectrpc/connect-node installed")
    fds = descriptor_pb2.FileDescriptorSet()
    file = fds.file.add()
    echo_pb2.DESCRIPTOR.CopyToProto(file)
    for message in file.message_type:  # CopyToProto leaves json_name unset; protoc would fill it
        python_fields = echo_pb2.DESCRIPTOR.message_types_by_name[message.name].fields_by_name
        for field in message.field:
            field.json_name = python_fields[field.name].json_name
    (tmp_path / "echo.fds").write_bytes(fds.SerializeToString())
    (tmp_path / "probe.mjs").write_text(_PROBE)
    (tmp_path / "node_modules").symlink_to(os.path.join(es_dir, "node_modules"))
    proc = await asyncio.create_subprocess_exec(
        node,
        str(tmp_path / "probe.mjs"),
        str(tmp_path / "echo.fds"),
        str(server.make_url("")).rstrip("/"),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    stdout, stderr = await asyncio.wait_for(proc.communicate(), 60)
    assert proc.returncode == 0, stderr.decode()
    expected = {
        "message": "hi",
        "trailer": "7",
        "error": ["NotFound", "nöt found 100%", ["google.rpc.ErrorInfo"]],
        "deadline": "DeadlineExceeded",
    }
    results = json.loads(stdout)
    assert set(results) == {"connect-json", "connect-proto", "connect-get", "grpc-web"}
    for transport, result in results.items():
        assert result == expected, transport
