"""SIGTERM drains in-flight calls: calls blocked inside the servicer when the signal arrives still succeed."""

from __future__ import annotations

import asyncio
import signal
import sqlite3
from contextlib import contextmanager

import aiohttp
import grpc
import psycopg

from fixtures_db import fresh_database_url
from fixtures_server import new_server
from zitadel import system_pb2, system_pb2_grpc


@contextmanager
def writes_blocked(database_url: str):
    """Hold the database's write lock so that every write RPC waits inside the servicer."""
    if database_url.startswith("sqlite"):
        conn = sqlite3.connect(database_url.removeprefix("sqlite:///"), isolation_level=None)
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield
        finally:
            conn.execute("COMMIT")
            conn.close()
    else:
        with psycopg.connect(database_url) as conn:
            conn.execute("LOCK TABLE instances IN EXCLUSIVE MODE")
            yield
            conn.commit()


async def test_sigterm_drains_in_flight_calls(tmp_path):
    with fresh_database_url(tmp_path) as url:
        running = new_server(tmp_path, url).start()
        token = running.system_token()
        md = (("authorization", f"Bearer {token}"),)
        try:
            async with grpc.aio.insecure_channel(running.grpc) as channel, aiohttp.ClientSession() as http:
                stub = system_pb2_grpc.SystemServiceStub(channel)
                await channel.channel_ready()

                async def via_grpc(i):
                    request = system_pb2.CreateInstanceRequest(
                        instance_name=f"drain-grpc-{i}",
                        machine=system_pb2.CreateInstanceRequest.Machine(user_name="sa"),
                    )
                    return (await stub.CreateInstance(request, metadata=md)).instance_id

                async def via_rest(i):
                    body = {"instanceName": f"drain-rest-{i}", "machine": {"userName": "sa"}}
                    async with http.post(
                        running.http + "/system/v1/instances/_create",
                        json=body,
                        headers={"Authorization": f"Bearer {token}"},
                    ) as resp:
                        assert resp.status == 200, await resp.text()
                        return (await resp.json())["instanceId"]

                with writes_blocked(url):
                    calls = [asyncio.create_task(via_grpc(i)) for i in range(4)]
                    calls += [asyncio.create_task(via_rest(i)) for i in range(4)]
                    await asyncio.sleep(1.0)  # let the calls reach the blocked write (ordering, not timing)
                    assert not any(c.done() for c in calls), (
                        "the calls must be in flight when SIGTERM arrives"
                    )
                    running.proc.send_signal(signal.SIGTERM)
                    await asyncio.sleep(0.5)
                ids = await asyncio.gather(*calls)
            assert len(set(ids)) == 8
            assert running.proc.wait(20) == 0, running.log()
        finally:
            running.stop()
