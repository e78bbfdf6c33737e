"""The ceiling: an aiohttp hello-world served exactly the way ztn serves HTTP.

Same set-up as ``ztn serve``: uvloop, ``AppRunner(access_log=None, handle_signals=False)``, a TCPSite
with backlog 1024, and N spawned worker processes sharing the port through SO_REUSEPORT.

Run: python bench/hello_server.py --http 127.0.0.1:PORT [--workers N]
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import os
import signal
import sys

import uvloop
from aiohttp import web

BODY = b'{"message":"Hello, World!"}'


async def hello(request: web.Request) -> web.Response:
    return web.Response(body=BODY, content_type="application/json")


async def healthz(request: web.Request) -> web.Response:
    return web.Response(body=b"{}", content_type="application/json")


async def _serve(host: str, port: int, reuse_port: bool) -> None:
    app = web.Application()
    app.router.add_get("/healthz", healthz)
    app.router.add_get("/", hello)
    runner = web.AppRunner(app, access_log=None, handle_signals=False)
    await runner.setup()
    site = web.TCPSite(runner, host, port, reuse_port=reuse_port or None, backlog=1024)
    await site.start()
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    await stop.wait()
    await runner.cleanup()


def _worker(host: str, port: int) -> None:
    uvloop.run(_serve(host, port, reuse_port=True))


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--http", required=True, help="HOST:PORT")
    parser.add_argument("--workers", type=int, default=1)
    args = parser.parse_args()
    host, _, port_text = args.http.rpartition(":")
    port = int(port_text)
    if args.workers <= 1:
        uvloop.run(_serve(host, port, reuse_port=False))
        return 0
    ctx = multiprocessing.get_context("spawn")
    workers = [ctx.Process(target=_worker, args=(host, port)) for _ in range(args.workers)]
    for w in workers:
        w.start()

    def forward(signum, frame):
        for w in workers:
            if w.is_alive() and w.pid:
                os.kill(w.pid, signal.SIGTERM)

    signal.signal(signal.SIGTERM, forward)
    signal.signal(signal.SIGINT, forward)
    for w in workers:
        w.join()
    return 0


if __name__ == "__main__":
    sys.exit(main())
