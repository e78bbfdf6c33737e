"""Baseline for the REST latency tail: plain aiohttp, a handler that burns ~1 ms of CPU (what one ListApps
page costs ztn), and a response body of N bytes. Shows that at saturation aiohttp's own p99/p50 grows
with the body size, independent of ztn.

    taskset -c 0 .venv/bin/python bench/aiohttp_tail.py 18777 28000 &
    echo 'wrk.method="POST"; wrk.body="{}"' > /tmp/post.lua
    taskset -c 1 wrk -t1 -c32 -d4s -s /tmp/post.lua --latency http://127.0.0.1:18777/
"""

import sys
import time

import uvloop
from aiohttp import web

BODY = b"x" * int(sys.argv[2])
CPU_SECONDS = 0.0009


async def handler(request: web.Request) -> web.Response:
    await request.read()
    started = time.perf_counter()
    while time.perf_counter() - started < CPU_SECONDS:
        pass
    return web.Response(body=BODY, content_type="application/json")


if __name__ == "__main__":
    app = web.Application()
    app.router.add_post("/", handler)
    uvloop.install()
    web.run_app(app, host="127.0.0.1", port=int(sys.argv[1]), access_log=None, print=None)
