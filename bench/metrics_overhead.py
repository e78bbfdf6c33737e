"""Per-call cost of the request metrics middleware (and of the ping counters), in-process.

    .venv/bin/python bench/metrics_overhead.py [--calls 200000] [--repeat 7]

Times N awaited calls of a trivial unary behaviour, bare and wrapped by RequestMetricsMiddleware, for a
CallContext (the HTTP doors) and a stand-in for grpc.aio's context (native gRPC: the type test fails,
``code()`` is called), and with grpc.aio's real context inside one native RPC. Also the ping path's
extra work: the per-ping closure that remembers the flip and the counter lookups. Best of ``--repeat``
runs; the difference per call is the overhead.
"""

from __future__ import annotations

import argparse
import asyncio
import time

import grpc
from google.protobuf import empty_pb2

from ztn import metrics
from ztn.gateway.context import DOOR_REST, CallContext
from ztn.gateway.request_metrics import RequestMetricsMiddleware


class NativeLikeContext:
    """What the middleware asks of grpc.aio's ServicerContext."""

    def code(self):
        return None

    def time_remaining(self):
        return None


class _Method:
    path = "/bench.Service/Method"


async def behaviour(request, context):
    return request


async def run(handler, context, calls: int) -> float:
    request = empty_pb2.Empty()
    started = time.perf_counter()
    for _ in range(calls):
        await handler(request, context)
    return time.perf_counter() - started


def best(handler, context, calls: int, repeat: int) -> float:
    return min(asyncio.run(run(handler, context, calls)) for _ in range(repeat)) / calls


async def native_inside_one_call(wrapped, calls: int, repeat: int) -> tuple[float, float]:
    """Bare and wrapped per-call time with grpc.aio's real ServicerContext: one native RPC whose
    servicer runs the behaviour ``calls`` times, ``repeat`` times each."""
    timings: dict[str, float] = {}

    async def servicer(request: bytes, context) -> bytes:
        for name, handler in (("bare", behaviour), ("wrapped", wrapped)):
            best_run = min([await run(handler, context, calls) for _ in range(repeat)])
            timings[name] = best_run / calls
        return b""

    server = grpc.aio.server()
    handler = grpc.unary_unary_rpc_method_handler(servicer)
    server.add_generic_rpc_handlers(
        (grpc.method_handlers_generic_handler("bench.Service", {"Run": handler}),)
    )
    port = server.add_insecure_port("127.0.0.1:0")
    await server.start()
    try:
        async with grpc.aio.insecure_channel(f"127.0.0.1:{port}") as channel:
            await channel.unary_unary("/bench.Service/Run")(b"", timeout=600)
    finally:
        await server.stop(None)
    return timings["bare"], timings["wrapped"]


def ping_extra(calls: int, repeat: int) -> float:
    """The closure + list + two cached counter increments that pinging._stored adds per ping."""
    children: dict[str, metrics._CounterChild] = {}

    def process(check, ping):
        return "success", None

    def one() -> None:
        flipped = [None]

        def remember(check, ping):
            kind, flip = process(check, ping)
            flipped[0] = flip
            return kind, flip

        kind, _ = remember(None, None)
        counter = children.get(kind)
        if counter is None:
            counter = children[kind] = metrics.PINGS_RECEIVED.labels(kind)
        counter.inc()
        if flipped[0] is not None:
            pass

    def bare() -> None:
        process(None, None)

    def timed(fn) -> float:
        started = time.perf_counter()
        for _ in range(calls):
            fn()
        return time.perf_counter() - started

    return (min(timed(one) for _ in range(repeat)) - min(timed(bare) for _ in range(repeat))) / calls


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--calls", type=int, default=200_000)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    wrapped = RequestMetricsMiddleware().wrap(_Method(), behaviour)  # type: ignore[arg-type]

    async def passthrough(request, context):  # the cost of any extra link, for comparison
        return await behaviour(request, context)

    http = CallContext((), door=DOOR_REST)
    bare = best(behaviour, http, args.calls, args.repeat)
    link = best(passthrough, http, args.calls, args.repeat)
    print(
        f"{'bare behaviour':24} {bare * 1e6:5.2f} us/call; an empty link adds {(link - bare) * 1e6:5.2f} us"
    )
    for name, context in (("http door (CallContext)", http), ("native (grpc.aio-like)", NativeLikeContext())):
        cost = best(wrapped, context, args.calls, args.repeat)
        print(f"{name:24} overhead {(cost - bare) * 1e6:5.2f} us/call")
    native_bare, native_wrapped = asyncio.run(native_inside_one_call(wrapped, args.calls, args.repeat))
    print(f"{'native (real grpc.aio)':24} overhead {(native_wrapped - native_bare) * 1e6:5.2f} us/call")
    print(f"{'ping counters':24} overhead {ping_extra(args.calls, args.repeat) * 1e6:5.2f} us")


if __name__ == "__main__":
    main()
