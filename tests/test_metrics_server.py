"""GET /metrics on a real ``ztn serve``: the counters move after real calls through every door, pings
are counted by stored kind with the flips they cause, and checks by status come from the store."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import grpc
import pytest
import sqlalchemy as sa

from door_clients import DoorClient
from hc_urls_support import Kit, open_kit
from metrics_parse import Family, parse
from zitadel import system_pb2

SYSTEM = "zitadel.system.v1.SystemService"
LIST_INSTANCES = f"/{SYSTEM}/ListInstances"


@pytest.fixture(scope="module")
async def kit(server) -> AsyncIterator[Kit]:
    async with open_kit(server) as opened:
        yield opened


@pytest.fixture(scope="module")
async def doors(server, kit: Kit) -> AsyncIterator[DoorClient]:
    async with grpc.aio.insecure_channel(server.grpc) as channel:
        yield DoorClient(server, kit.http, channel)


async def scrape(kit: Kit) -> dict[str, Family]:
    async with kit.http.get(kit.base + "/metrics") as resp:
        assert resp.status == 200
        assert resp.headers["Content-Type"] == "text/plain; version=0.0.4; charset=utf-8"
        return parse(await resp.text())


async def test_metrics_is_prometheus_text(kit: Kit) -> None:
    families = await scrape(kit)
    assert families["ztn_requests_total"].type == "counter"
    assert families["ztn_request_latency_seconds"].type == "histogram"
    assert families["ztn_checks"].type == "gauge"
    # Every status is exposed, even with no check in it.
    statuses = {labels["status"] for _, labels, _ in families["ztn_checks"].samples}
    assert {"new", "up", "down", "paused"} <= statuses


async def rest_list_instances(kit: Kit, token: str | None) -> int:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    async with kit.http.post(kit.base + "/system/v1/instances/_search", json={}, headers=headers) as resp:
        await resp.read()
        return resp.status


@pytest.mark.parametrize(
    ("client_door", "label"),
    [
        ("grpc", "grpc"),
        ("grpc-web", "grpc-web"),
        ("grpc-web-text", "grpc-web"),
        ("connect-json", "connect"),
        ("connect-proto", "connect"),
        ("rest", "rest"),
    ],
)
async def test_requests_are_counted_per_door_and_code(
    server, kit: Kit, doors: DoorClient, client_door: str, label: str
) -> None:
    token = server.system_token()
    before = await scrape(kit)
    for call_token in (token, token, None):  # two OK, one UNAUTHENTICATED
        if client_door == "rest":
            await rest_list_instances(kit, call_token)
        else:
            await doors.call(
                client_door,
                SYSTEM,
                "ListInstances",
                system_pb2.ListInstancesRequest(),
                system_pb2.ListInstancesResponse,
                token=call_token,
            )
    at = {"method": LIST_INSTANCES, "door": label}
    # grpc.aio's abort() puts the status on the wire before it raises, so the native client may hold
    # its UNAUTHENTICATED a moment before the middleware has counted it: scrape until all 3 are in.
    for _ in range(100):
        after = await scrape(kit)
        count = after["ztn_request_latency_seconds"].value("_count", **at)
        if count - before["ztn_request_latency_seconds"].value("_count", **at) >= 3:
            break
        await asyncio.sleep(0.01)

    def delta(family: str, suffix: str = "", **labels: str) -> float:
        return after[family].value(suffix, **labels) - before[family].value(suffix, **labels)

    assert delta("ztn_requests_total", **at, code="OK") == 2
    assert delta("ztn_requests_total", **at, code="UNAUTHENTICATED") == 1
    assert delta("ztn_request_latency_seconds", "_count", **at) == 3
    assert delta("ztn_request_latency_seconds", "_bucket", **at, le="+Inf") == 3
    assert delta("ztn_request_latency_seconds", "_sum", **at) > 0
    # The other doors did not move.
    for other in {"grpc", "grpc-web", "connect", "rest"} - {label}:
        assert delta("ztn_request_latency_seconds", "_count", method=LIST_INSTANCES, door=other) == 0


async def test_pings_flips_and_checks_by_status(kit: Kit) -> None:
    project = await kit.project()
    check = await kit.check(project)
    before = await scrape(kit)
    for suffix in ("/start", "", "/log", "/fail", "/1", ""):
        status, _, body = await kit.request("GET", f"/ping/{check.code}{suffix}")
        assert (status, body) == (200, b"OK")
    status, _, _ = await kit.request("GET", "/ping/00000000-0000-4000-8000-000000000000")
    assert status == 404  # nothing stored, nothing counted
    after = await scrape(kit)

    def delta(family: str, **labels: str) -> float:
        return after[family].value(**labels) - before[family].value(**labels)

    assert {k: delta("ztn_pings_received_total", kind=k) for k in ("start", "success", "log", "fail")} == {
        "start": 1,
        "success": 2,
        "log": 1,
        "fail": 2,
    }
    # new -> up, up -> down (the second fail changes nothing), down -> up
    assert delta("ztn_flips_total", new_status="up") == 2
    assert delta("ztn_flips_total", new_status="down") == 1
    # The check went from new to up: the scrape-time gauge follows the store.
    assert delta("ztn_checks", status="new") == -1
    assert delta("ztn_checks", status="up") == 1


async def test_scrape_counts_match_the_store(kit: Kit) -> None:
    project = await kit.project()
    for _ in range(2):
        await kit.check(project, status="paused")
    families = await scrape(kit)
    async with kit.store.db.read() as conn:
        rows = await conn.execute(sa.text("SELECT status, COUNT(*) FROM hc_checks GROUP BY status"))
        stored = {status: n for status, n in rows.all()}
    for status, n in stored.items():
        assert families["ztn_checks"].value(status=status) == n
    assert stored["paused"] >= 2


async def test_plain_routes_are_not_rpcs(kit: Kit) -> None:
    """/metrics, /healthz and pings are plain routes: they never appear as RPC requests."""
    async with kit.http.get(kit.base + "/healthz") as resp:
        assert resp.status == 200
    families = await scrape(kit)
    methods = {labels["method"] for _, labels, _ in families["ztn_requests_total"].samples}
    assert all(m.startswith("/") and m.count("/") == 2 for m in methods)
    assert not any("healthz" in m or "metrics" in m for m in methods)
