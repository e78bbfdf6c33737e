"""The Healthchecks servicer's own rules in-process: body parsing and key extraction as Django does them,
HcError -> status with the HttpError detail, a database that does not answer, peer addresses."""

from __future__ import annotations

from datetime import UTC, datetime

import grpc
import pytest
from google.api import httpbody_pb2
from google.rpc import status_pb2

from ztn.api import http_error_pb2
from ztn.domain.hc import errors
from ztn.domain.hc.errors import HcError
from ztn.gateway.context import CallContext
from ztn.healthchecks.v3 import healthchecks_pb2 as pb
from ztn.services.healthchecks.servicer import HealthchecksServicer, _peer_host, api_key, json_object


def body(data: bytes) -> httpbody_pb2.HttpBody:
    return httpbody_pb2.HttpBody(data=data, content_type="application/x-www-form-urlencoded")


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"", None),
        (b'{"a": 1, "a": 2}', {"a": 2}),  # the last duplicate wins
        (b'{"timeout": 1e400}', {"timeout": float("inf")}),  # Python's json: a float, rejected later
        (b'{"n": 100000000000000000000000000000}', {"n": 10**29}),  # big ints stay ints
    ],
)
def test_json_bodies_parse_as_python_json(data: bytes, expected) -> None:
    assert json_object(body(data)) == expected


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"{", "could not parse request body"),
        (b'{"name": "\xe9"}', "could not parse request body"),  # Latin-1, not UTF-8
        (b"\xef\xbb\xbf{}", "could not parse request body"),  # a BOM is not JSON
        (b"[" * 100_000, "could not parse request body"),
        (b"NaN", "json validation error: value is not an object"),
        (b'"text"', "json validation error: value is not an object"),
    ],
)
def test_bad_bodies(data: bytes, message: str) -> None:
    with pytest.raises(HcError) as info:
        json_object(body(data))
    assert (info.value.http_status, info.value.message) == (400, message)


@pytest.mark.parametrize(
    ("metadata", "posted", "expected"),
    [
        ((("x-api-key", "K"),), {"api_key": "B"}, "K"),
        ((("x-api-key", ""),), {"api_key": "B"}, ""),
        ((), {"api_key": None}, "None"),
        ((), {"api_key": True}, "True"),
        ((), {"api_key": 1.5}, "1.5"),
        ((), {"api_key": {"a": [1]}}, "{'a': [1]}"),
        ((), {}, ""),
        ((), None, ""),
    ],
)
def test_the_key_is_the_header_else_pythons_str_of_the_body_field(metadata, posted, expected) -> None:
    assert api_key(CallContext(metadata), posted) == expected


@pytest.mark.parametrize(
    ("peer", "host"),
    [
        ("ipv4:10.1.2.3:5555", "10.1.2.3"),
        ("ipv6:[::1]:5555", "::1"),
        ("127.0.0.1", "127.0.0.1"),  # the HTTP doors pass the bare address
        ("unix:/tmp/sock", None),
        ("", None),
    ],
)
def test_peer_addresses(peer: str, host: str | None) -> None:
    assert _peer_host(peer) == host


class _DownApi:
    site_root = "http://localhost"

    def clock(self) -> datetime:
        return datetime.now(UTC)

    async def database_ok(self) -> bool:
        return False


def details(ctx: CallContext) -> tuple[status_pb2.Status, http_error_pb2.HttpError]:
    raw = dict(ctx.trailing_metadata_)["grpc-status-details-bin"]
    status = status_pb2.Status.FromString(raw)
    detail = http_error_pb2.HttpError()
    assert status.details[0].Unpack(detail)
    return status, detail


async def test_status_when_the_database_does_not_answer() -> None:
    servicer = HealthchecksServicer(_DownApi(), None)  # type: ignore[arg-type]
    ctx = CallContext(())
    with pytest.raises(grpc.aio.AbortError):
        await servicer.GetStatus(pb.GetStatusRequest(api_version="v3"), ctx)
    assert ctx.code() is grpc.StatusCode.UNAVAILABLE
    status, detail = details(ctx)
    assert status.code == grpc.StatusCode.UNAVAILABLE.value[0]
    assert detail.status == 500 and detail.content_type.startswith("text/html")


async def test_routing_errors_come_before_the_api_is_asked_anything() -> None:
    servicer = HealthchecksServicer(_DownApi(), None)  # type: ignore[arg-type]
    for request, method, code, http in [
        (pb.GetStatusRequest(api_version="v9"), "GetStatus", grpc.StatusCode.NOT_FOUND, 404),
        (pb.GetCheckRequest(check="NOT-A-UUID"), "GetCheck", grpc.StatusCode.NOT_FOUND, 404),
        (pb.UpdateCheckRequest(check="c" * 40), "UpdateCheck", grpc.StatusCode.UNIMPLEMENTED, 405),
        (pb.PauseCheckRequest(check="c" * 40), "PauseCheck", grpc.StatusCode.NOT_FOUND, 404),
        (pb.GetPingBodyRequest(check="00000000-0000-4000-8000-000000000000", n=-1), "GetPingBody",
         grpc.StatusCode.NOT_FOUND, 404),
    ]:  # fmt: skip
        ctx = CallContext(())
        with pytest.raises(grpc.aio.AbortError):
            await getattr(servicer, method)(request, ctx)
        assert ctx.code() is code, method
        _, detail = details(ctx)
        assert detail.status == http


def test_every_hc_error_kind_maps_to_a_distinct_grpc_code() -> None:
    made = [
        errors.bad_request("x"),
        errors.unauthorized("missing api key"),
        errors.forbidden(),
        errors.check_limit_reached(),
        errors.not_found_page(),
        errors.method_not_allowed(),
        errors.not_paused(),
    ]
    assert len({e.code for e in made}) == len(made)
