"""RequestMetricsMiddleware in-process, through gateway.invoke: the status code of every way a call ends
(return, abort, a code set without raising, deadline, an exception) and the door tag."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any

import grpc
import pytest
from google.protobuf import empty_pb2

from metrics_parse import parse
from ztn import metrics
from ztn.gateway.context import DOOR_CONNECT, DOOR_GRPC_WEB, DOOR_REST
from ztn.gateway.invoke import invoke
from ztn.gateway.request_metrics import RequestMetricsMiddleware

PATH = "/test.Service/Call"


@dataclass
class FakeMethod:
    path: str
    handler: Any


def measured(behaviour) -> tuple[metrics.Registry, FakeMethod]:
    reg = metrics.Registry()
    mw = RequestMetricsMiddleware(
        metrics.Counter("req_total", "R.", ("method", "door", "code"), reg),
        metrics.Histogram("req_seconds", "L.", ("method", "door"), reg),
    )
    method = FakeMethod(PATH, None)
    method.handler = mw.wrap(method, behaviour)  # type: ignore[arg-type]
    return reg, method


async def ok(request, context):
    return request


async def aborts(request, context):
    await context.abort(grpc.StatusCode.NOT_FOUND, "nope")


async def sets_code(request, context):
    context.set_code(grpc.StatusCode.FAILED_PRECONDITION)
    context.set_details("not now")
    return request


async def slow(request, context):
    await asyncio.sleep(5)  # cut short by the call's deadline
    return request


async def raises(request, context):
    raise RuntimeError("bug")


@pytest.mark.parametrize(
    ("behaviour", "timeout", "code"),
    [
        (ok, None, "OK"),
        (aborts, None, "NOT_FOUND"),
        (sets_code, None, "FAILED_PRECONDITION"),
        (slow, 0.02, "DEADLINE_EXCEEDED"),
        (raises, None, "INTERNAL"),
    ],
)
async def test_each_ending_is_counted_with_its_code(behaviour, timeout, code) -> None:
    reg, method = measured(behaviour)
    result = await invoke(method, empty_pb2.Empty(), (), timeout=timeout, door=DOOR_CONNECT)  # type: ignore[arg-type]
    assert result.code.name == code
    families = parse(reg.render())
    assert families["req_total"].samples == [
        ("req_total", {"method": PATH, "door": "connect", "code": code}, 1.0)
    ]
    assert families["req_seconds"].value("_count", method=PATH, door="connect") == 1


async def test_the_door_tag_labels_the_call() -> None:
    reg, method = measured(ok)
    for door in (DOOR_REST, DOOR_GRPC_WEB, DOOR_GRPC_WEB, DOOR_CONNECT):
        await invoke(method, empty_pb2.Empty(), (), door=door)  # type: ignore[arg-type]
    await invoke(method, empty_pb2.Empty(), ())  # type: ignore[arg-type]  # REST is the default
    family = parse(reg.render())["req_total"]
    assert {labels["door"]: value for _, labels, value in family.samples} == {
        "rest": 2,
        "grpc-web": 2,
        "connect": 1,
    }


async def test_a_cancelled_call_is_counted_as_cancelled() -> None:
    reg, method = measured(slow)
    task = asyncio.create_task(invoke(method, empty_pb2.Empty(), ()))  # type: ignore[arg-type]
    await asyncio.sleep(0.01)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    family = parse(reg.render())["req_total"]
    assert family.value(method=PATH, door="rest", code="CANCELLED") == 1
