"""HEAD on a REST route is GET without a body (RFC 9110 §9.3.2), on every service."""

from __future__ import annotations

import aiohttp


async def test_head_answers_like_get_without_a_body(server) -> None:
    async with aiohttp.ClientSession() as http:
        async with http.get(f"{server.http}/api/v3/status/") as got:
            get_status, get_type = got.status, got.headers["Content-Type"]
            assert await got.read() == b"OK"
        async with http.head(f"{server.http}/api/v3/status/") as head:
            assert (head.status, head.headers["Content-Type"]) == (get_status, get_type)
            assert head.headers["Content-Length"] == "2"
            assert await head.read() == b""


async def test_head_on_a_zitadel_route_too(server) -> None:
    async with aiohttp.ClientSession() as http:
        async with http.head(f"{server.http}/system/v1/healthz") as head:
            assert head.status == 200
            assert await head.read() == b""
