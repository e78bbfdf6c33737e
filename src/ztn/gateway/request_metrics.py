"""Request counts and latency per RPC, per door and per status code (``ztn_requests_total``,
``ztn_request_latency_seconds``).

The outermost link of the chain, so it sees every RPC of every door exactly once and times the whole
behaviour (middlewares + servicer; not the doors' decoding and encoding). The door is known without
looking anything up: the HTTP doors call with a ``CallContext`` that carries its door tag, and any
other context is grpc.aio's, i.e. native gRPC. Failures a door answers itself before calling (bad
input, unknown route, 415) never reach the chain and are not counted here.

Per call: two ``perf_counter`` reads, a type test, two small dict lookups and two locked updates
(the label children are cached per method at first use).
"""

from __future__ import annotations

import asyncio
import time

import grpc

from ztn import metrics
from ztn.gateway.context import DOOR_GRPC, CallContext
from ztn.gateway.registry import Handler, MethodInfo

_OK = grpc.StatusCode.OK


class RequestMetricsMiddleware:
    def __init__(
        self,
        requests: metrics.Counter = metrics.REQUESTS,
        latency: metrics.Histogram = metrics.REQUEST_LATENCY,
    ) -> None:
        self.requests = requests
        self.latency = latency

    def wrap(self, method: MethodInfo, handler: Handler) -> Handler:
        path = method.path
        requests, latency = self.requests, self.latency
        counted: dict[tuple[str, grpc.StatusCode], metrics._CounterChild] = {}
        timed: dict[str, metrics._HistogramChild] = {}
        perf_counter = time.perf_counter

        def record(door: str, code: grpc.StatusCode, elapsed: float) -> None:
            timer = timed.get(door)
            if timer is None:
                timer = timed[door] = latency.labels(path, door)
            timer.observe(elapsed)
            counter = counted.get((door, code))
            if counter is None:
                counter = counted[door, code] = requests.labels(path, door, code.name)
            counter.inc()

        async def measured(request, context):
            door = context.door if type(context) is CallContext else DOOR_GRPC
            started = perf_counter()
            try:
                response = await handler(request, context)
            except grpc.aio.AbortError:
                record(door, _code(context, grpc.StatusCode.UNKNOWN), perf_counter() - started)
                raise
            except asyncio.CancelledError:
                # The deadline (invoke's asyncio.timeout, grpc.aio's own) or the client went away.
                remaining = context.time_remaining()
                code = (
                    grpc.StatusCode.DEADLINE_EXCEEDED
                    if remaining is not None and remaining <= 0
                    else grpc.StatusCode.CANCELLED
                )
                record(door, code, perf_counter() - started)
                raise
            except Exception:
                # Only if the recovery link missed it.
                record(door, grpc.StatusCode.INTERNAL, perf_counter() - started)
                raise
            # A servicer may also set a code without raising.
            record(door, _code(context, _OK), perf_counter() - started)
            return response

        return measured


def _code(context, default: grpc.StatusCode) -> grpc.StatusCode:
    code = context.code()
    if code is None:
        return default
    if isinstance(code, grpc.StatusCode):
        return code
    for candidate in grpc.StatusCode:  # grpc.aio may hand back the numeric value
        if candidate.value[0] == code:
            return candidate
    return default
