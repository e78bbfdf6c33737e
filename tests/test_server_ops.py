"""Operations: health (HTTP and grpc.health.v1), reflection, restarts, workers, database outages."""

from __future__ import annotations

import json
import signal
import urllib.error
import urllib.request

import grpc
import pytest
from grpc_health.v1 import health_pb2, health_pb2_grpc
from grpc_reflection.v1alpha import reflection_pb2, reflection_pb2_grpc

from fixtures_db import PG_SERVER, fresh_database_url
from fixtures_server import new_server
from zitadel import system_pb2, system_pb2_grpc

SYSTEM = "zitadel.system.v1.SystemService"


def http_get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=5) as resp:
            return resp.status, resp.read()
    except urllib.error.HTTPError as err:
        return err.code, err.read()


def test_healthz_answers_empty_object(server):
    assert http_get(server.http + "/healthz") == (200, b"{}")
    assert http_get(server.http + "/system/v1/healthz") == (200, b"{}")


async def test_grpc_health_reports_serving_per_service(server):
    async with grpc.aio.insecure_channel(server.grpc) as channel:
        stub = health_pb2_grpc.HealthStub(channel)
        for name in ("", SYSTEM):
            reply = await stub.Check(health_pb2.HealthCheckRequest(service=name))
            assert reply.status == health_pb2.HealthCheckResponse.SERVING
        with pytest.raises(grpc.aio.AioRpcError) as err:
            await stub.Check(health_pb2.HealthCheckRequest(service="no.such.Service"))
        assert err.value.code() == grpc.StatusCode.NOT_FOUND


@pytest.mark.parametrize("version", ["v1alpha", "v1"])
async def test_reflection_lists_and_describes_services(server, version):
    async with grpc.aio.insecure_channel(server.grpc) as channel:
        rpc = channel.stream_stream(
            f"/grpc.reflection.{version}.ServerReflection/ServerReflectionInfo",
            request_serializer=reflection_pb2.ServerReflectionRequest.SerializeToString,
            response_deserializer=reflection_pb2.ServerReflectionResponse.FromString,
        )
        call = rpc(
            iter(
                [
                    reflection_pb2.ServerReflectionRequest(list_services=""),
                    reflection_pb2.ServerReflectionRequest(file_containing_symbol=SYSTEM),
                ]
            )
        )
        replies = [reply async for reply in call]
    names = {s.name for s in replies[0].list_services_response.service}
    assert {
        SYSTEM,
        "grpc.health.v1.Health",
        "grpc.reflection.v1alpha.ServerReflection",
        "grpc.reflection.v1.ServerReflection",
    } <= names
    assert replies[1].file_descriptor_response.file_descriptor_proto, (
        "SystemService's file must be describable"
    )
    assert reflection_pb2_grpc  # the generated stub module is importable alongside


async def test_restart_keeps_data(tmp_path):
    with fresh_database_url(tmp_path) as url:
        first = new_server(tmp_path, url).start()
        try:
            token = first.system_token()
            async with grpc.aio.insecure_channel(first.grpc) as channel:
                stub = system_pb2_grpc.SystemServiceStub(channel)
                created = await stub.CreateInstance(
                    system_pb2.CreateInstanceRequest(
                        instance_name="survivor",
                        machine=system_pb2.CreateInstanceRequest.Machine(user_name="sa", name="SA"),
                    ),
                    metadata=(("authorization", f"Bearer {token}"),),
                )
            pat = first.admin_pat()
        finally:
            assert first.stop(signal.SIGTERM) == 0, first.log()

        second = new_server(tmp_path, url)
        second.http_port, second.grpc_port = first.http_port, first.grpc_port
        second.start()
        try:
            assert second.admin_pat() == pat, "a restart must not bootstrap again"
            async with grpc.aio.insecure_channel(second.grpc) as channel:
                stub = system_pb2_grpc.SystemServiceStub(channel)
                got = await stub.GetInstance(
                    system_pb2.GetInstanceRequest(instance_id=created.instance_id),
                    metadata=(("authorization", f"Bearer {second.system_token()}"),),
                )
            assert got.instance.name == "survivor"
        finally:
            second.stop()


async def test_two_workers_share_both_ports(tmp_path):
    with fresh_database_url(tmp_path) as url:
        running = new_server(tmp_path, url, workers=2).start()
        try:
            token = running.system_token()
            async with grpc.aio.insecure_channel(running.grpc) as channel:
                stub = system_pb2_grpc.SystemServiceStub(channel)
                for _ in range(20):
                    reply = await stub.ListInstances(
                        system_pb2.ListInstancesRequest(), metadata=(("authorization", f"Bearer {token}"),)
                    )
                    assert reply.details.total_result == 1
            for _ in range(20):
                assert http_get(running.http + "/healthz")[0] == 200
        finally:
            assert running.stop(signal.SIGTERM) == 0, running.log()


def test_a_second_server_on_the_same_port_fails_loudly(server, tmp_path):
    """SO_REUSEPORT is off for a single process, so a port clash is an error, not shared traffic."""
    with fresh_database_url(tmp_path) as url:
        clash = new_server(tmp_path, url)
        clash.grpc_port = server.grpc_port
        with pytest.raises(RuntimeError, match="exited"):
            clash.start(timeout=20)


async def test_database_outage_turns_health_unavailable(tmp_path):
    """Runs on PostgreSQL whatever the backend under test: dropping the database is a real outage."""
    import secrets

    import psycopg

    name = f"ztn_t_{secrets.token_hex(6)}"
    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    running = new_server(tmp_path, f"{PG_SERVER}/{name}").start()
    try:
        with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
        status, body = http_get(running.http + "/healthz")
        assert status == 503
        assert json.loads(body)["code"] == 14
        async with grpc.aio.insecure_channel(running.grpc) as channel:
            reply = await health_pb2_grpc.HealthStub(channel).Check(health_pb2.HealthCheckRequest(service=""))
            assert reply.status == health_pb2.HealthCheckResponse.NOT_SERVING
    finally:
        running.stop()
        with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


async def test_malformed_http_gets_400_and_no_traceback_in_the_log(server):
    import asyncio
    import gzip

    before = len(server.log())
    reader, writer = await asyncio.open_connection("127.0.0.1", server.http_port)
    writer.write(b"GET /healthz HTTP/1.1\r\nHost: x\r\nBad Header Line\r\n\r\n")
    await writer.drain()
    status_line = await reader.readline()
    writer.close()
    assert b" 400 " in status_line

    import aiohttp

    garbage = gzip.compress(b'{"query": {}}')[:-6] + b"\x00garbage"
    async with aiohttp.ClientSession() as session:
        async with session.post(
            server.http + "/system/v1/instances/_search",
            data=garbage,
            headers={
                "Content-Encoding": "gzip",
                "Content-Type": "application/json",
                "Authorization": f"Bearer {server.system_token()}",
            },
        ) as resp:
            assert resp.status == 400
    await asyncio.sleep(0.2)  # let the server flush its log line; ordering only, nothing is timed
    assert "Traceback" not in server.log()[before:]
