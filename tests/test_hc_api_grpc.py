"""Healthchecks API over native gRPC (the server's gRPC port): typed messages, the x-api-key metadata,
status codes with the HttpError detail, and the Ping RPC."""

from __future__ import annotations

import json
import uuid

import grpc
import pytest
from google.api import httpbody_pb2
from google.rpc import status_pb2

from hc_api_support import Keys, Kit, open_kit
from ztn.api import http_error_pb2
from ztn.healthchecks.v3 import healthchecks_pb2 as pb


@pytest.fixture(scope="module")
async def kit(server):
    async with open_kit(server) as k:
        yield k


@pytest.fixture
async def stub(kit: Kit):
    async with kit.grpc_stub() as s:
        yield s


@pytest.fixture
def site(server) -> str:
    return server.external_url


def md(key: str) -> tuple[tuple[str, str], ...]:
    return (("x-api-key", key),)


def http_error(e: grpc.aio.AioRpcError) -> http_error_pb2.HttpError:
    """The REST rendering every HcError carries in its status details."""
    raw = dict(e.trailing_metadata() or ())["grpc-status-details-bin"]
    status = status_pb2.Status.FromString(raw)
    assert status.code == e.code().value[0] and status.message == e.details()
    detail = http_error_pb2.HttpError()
    assert status.details[0].Unpack(detail)
    return detail


async def fails(call, code: grpc.StatusCode, message: str | None = None) -> http_error_pb2.HttpError:
    with pytest.raises(grpc.aio.AioRpcError) as info:
        await call
    assert info.value.code() == code, (info.value.code(), info.value.details())
    if message is not None:
        assert info.value.details() == message
    return http_error(info.value)


async def test_create_list_get_update_and_delete(kit: Kit, stub, site: str) -> None:
    p = await kit.project()
    channel = await kit.channel(p, "ops")
    fields = pb.CheckFields(name="backup", tags="db nightly", timeout=3600, grace=300, channels="*")
    created = await stub.CreateCheck(pb.CreateCheckRequest(fields=fields), metadata=md(p.rw))
    assert (created.name, created.status, created.timeout, created.grace) == ("backup", "new", 3600, 300)
    assert (
        created.HasField("uuid") and not created.HasField("unique_key") and not created.HasField("schedule")
    )
    assert created.update_url == f"{site}/api/v3/checks/{created.uuid}"  # "" is v3
    assert created.channels == channel.id and not created.HasField("last_ping")

    listed = await stub.ListChecks(pb.ListChecksRequest(tag=["db"]), metadata=md(p.ro))
    assert [c.name for c in listed.checks] == ["backup"] and listed.checks[0].HasField("unique_key")
    assert not (await stub.ListChecks(pb.ListChecksRequest(slug="nope"), metadata=md(p.ro))).checks

    by_key = await stub.GetCheck(pb.GetCheckRequest(check=listed.checks[0].unique_key), metadata=md(p.ro))
    assert by_key.name == "backup" and not by_key.HasField("uuid")
    got = await stub.GetCheck(pb.GetCheckRequest(api_version="v1", check=created.uuid), metadata=md(p.rw))
    assert got.update_url == f"{site}/api/v1/checks/{created.uuid}"

    update = pb.UpdateCheckRequest(check=created.uuid, fields=pb.CheckFields(schedule="0 3 * * *", tz="CET"))
    updated = await stub.UpdateCheck(update, metadata=md(p.rw))
    assert (updated.schedule, updated.tz, updated.HasField("timeout")) == (
        "0 3 * * *",
        "Europe/Brussels",
        False,
    )
    assert updated.name == "backup"  # absent fields unchanged

    deleted = await stub.DeleteCheck(pb.DeleteCheckRequest(check=created.uuid), metadata=md(p.rw))
    assert deleted.uuid == created.uuid
    await fails(
        stub.GetCheck(pb.GetCheckRequest(check=created.uuid), metadata=md(p.rw)), grpc.StatusCode.NOT_FOUND
    )


async def test_upsert_says_200_in_the_initial_metadata(kit: Kit, stub) -> None:
    p = await kit.project()
    fields = pb.CheckFields(name="once", unique=["name"])
    call = stub.CreateCheck(pb.CreateCheckRequest(fields=fields), metadata=md(p.rw))
    first = await call
    assert ("x-http-code", "200") not in tuple(await call.initial_metadata())
    call = stub.CreateCheck(pb.CreateCheckRequest(fields=fields), metadata=md(p.rw))
    again = await call
    assert again.uuid == first.uuid
    assert ("x-http-code", "200") in tuple(await call.initial_metadata())


async def test_a_json_body_works_over_grpc_too(kit: Kit, stub) -> None:
    p = await kit.project()
    body = httpbody_pb2.HttpBody(data=json.dumps({"api_key": p.rw, "name": "json"}).encode())
    created = await stub.CreateCheck(
        pb.CreateCheckRequest(json_body=body, fields=pb.CheckFields(name="ignored"))
    )
    assert created.name == "json"


async def test_errors_carry_grpc_codes_and_the_rest_rendering(kit: Kit, stub) -> None:
    p, other = await kit.project(check_limit=1), await kit.project()
    detail = await fails(
        stub.ListChecks(pb.ListChecksRequest()), grpc.StatusCode.UNAUTHENTICATED, "missing api key"
    )
    assert (detail.status, json.loads(detail.body)) == (401, {"error": "missing api key"})
    await fails(
        stub.ListChecks(pb.ListChecksRequest(), metadata=md("w" * 32)),
        grpc.StatusCode.UNAUTHENTICATED,
        "wrong api key",
    )
    await fails(
        stub.CreateCheck(pb.CreateCheckRequest(), metadata=md(p.ro)),
        grpc.StatusCode.UNAUTHENTICATED,
        "wrong api key",
    )

    bad = pb.CreateCheckRequest(fields=pb.CheckFields(timeout=10))
    detail = await fails(
        stub.CreateCheck(bad, metadata=md(p.rw)),
        grpc.StatusCode.INVALID_ARGUMENT,
        "json validation error: timeout is too small",
    )
    assert detail.status == 400
    bad = pb.CreateCheckRequest(fields=pb.CheckFields(channels="nope"))
    await fails(
        stub.CreateCheck(bad, metadata=md(p.rw)),
        grpc.StatusCode.INVALID_ARGUMENT,
        "invalid channel identifier: nope",
    )

    await stub.CreateCheck(pb.CreateCheckRequest(), metadata=md(p.rw))
    detail = await fails(
        stub.CreateCheck(pb.CreateCheckRequest(), metadata=md(p.rw)), grpc.StatusCode.RESOURCE_EXHAUSTED
    )
    assert (detail.status, detail.body) == (403, b"")

    theirs = await stub.CreateCheck(pb.CreateCheckRequest(), metadata=md(other.rw))
    detail = await fails(
        stub.GetCheck(pb.GetCheckRequest(check=theirs.uuid), metadata=md(p.ro)),
        grpc.StatusCode.PERMISSION_DENIED,
    )
    assert detail.status == 403
    detail = await fails(
        stub.GetCheck(pb.GetCheckRequest(check=str(uuid.uuid4())), metadata=md(p.ro)),
        grpc.StatusCode.NOT_FOUND,
    )
    assert detail.status == 404 and detail.bare  # the framework's page: no CORS headers
    await fails(stub.GetCheck(pb.GetCheckRequest(check=""), metadata=md(p.ro)), grpc.StatusCode.NOT_FOUND)
    await fails(
        stub.ListChecks(pb.ListChecksRequest(api_version="v4"), metadata=md(p.ro)), grpc.StatusCode.NOT_FOUND
    )
    await fails(
        stub.DeleteCheck(pb.DeleteCheckRequest(check="b" * 40), metadata=md(p.rw)),
        grpc.StatusCode.UNIMPLEMENTED,
    )


async def test_pause_resume_pings_flips_and_bodies(kit: Kit, stub) -> None:
    p = await kit.project()
    check = await stub.CreateCheck(
        pb.CreateCheckRequest(fields=pb.CheckFields(timeout=3600)), metadata=md(p.rw)
    )
    rid = str(uuid.uuid4()).upper()
    for action, body in [("start", b""), ("", b"ok \xff")]:
        answer = await stub.Ping(pb.PingRequest(check=check.uuid, action=action, rid=rid, body=body))
        assert (answer.message, answer.created) == ("OK", False)
    await stub.Ping(pb.PingRequest(check=check.uuid, exit_status=3))

    pings = (await stub.ListPings(pb.ListPingsRequest(check=check.uuid), metadata=md(p.rw))).pings
    assert [(x.type, x.n, x.scheme) for x in pings] == [
        ("fail", 3, "grpc"),
        ("success", 2, "grpc"),
        ("start", 1, "grpc"),
    ]
    assert (
        pings[1].rid.value == rid.lower() and pings[1].HasField("duration") and not pings[0].HasField("rid")
    )
    assert pings[1].body_url.value.endswith(f"/checks/{check.uuid}/pings/2/body") and not pings[0].HasField(
        "body_url"
    )
    assert pings[0].remote_addr.value == "127.0.0.1"
    body = await stub.GetPingBody(pb.GetPingBodyRequest(check=check.uuid, n=2), metadata=md(p.rw))
    assert (body.content_type, body.data) == ("text/plain", b"ok \xff")
    await fails(
        stub.ListPings(pb.ListPingsRequest(check=check.uuid), metadata=md(p.ro)),
        grpc.StatusCode.UNAUTHENTICATED,
    )

    got = await stub.GetCheck(pb.GetCheckRequest(check=check.uuid), metadata=md(p.rw))
    assert (got.status, got.n_pings, got.HasField("last_ping")) == ("down", 3, True)
    paused = await stub.PauseCheck(pb.PauseCheckRequest(check=check.uuid), metadata=md(p.rw))
    assert paused.status == "paused" and not paused.HasField("next_ping")
    resumed = await stub.ResumeCheck(pb.ResumeCheckRequest(check=check.uuid), metadata=md(p.rw))
    assert resumed.status == "new" and not resumed.HasField("last_ping")
    detail = await fails(
        stub.ResumeCheck(pb.ResumeCheckRequest(check=check.uuid), metadata=md(p.rw)),
        grpc.StatusCode.FAILED_PRECONDITION,
    )
    assert (detail.status, detail.body) == (409, b"check is not paused")

    flips = (await stub.ListFlips(pb.ListFlipsRequest(check=check.uuid), metadata=md(p.ro))).flips
    assert [f.up for f in flips] == [0, 0, 0, 1]  # resume, pause, fail, success
    assert all(f.timestamp.nanos == 0 for f in flips)
    recent = await stub.ListFlips(pb.ListFlipsRequest(check=check.uuid, seconds="3600"), metadata=md(p.ro))
    assert len(recent.flips) == 4
    await fails(
        stub.ListFlips(pb.ListFlipsRequest(check=check.uuid, start="x"), metadata=md(p.ro)),
        grpc.StatusCode.INVALID_ARGUMENT,
    )


async def test_ping_by_slug_with_auto_provisioning(kit: Kit, stub) -> None:
    p: Keys = await kit.project()
    key = p.project.ping_key
    await fails(
        stub.Ping(pb.PingRequest(ping_key=key, slug="nightly")), grpc.StatusCode.NOT_FOUND, "not found"
    )
    made = await stub.Ping(pb.PingRequest(ping_key=key, slug="nightly", create=True))
    assert (made.message, made.created) == ("Created", True)
    again = await stub.Ping(pb.PingRequest(ping_key=key, slug="nightly", action="log", create=True))
    assert (again.message, again.created) == ("OK", False)
    listed = (await stub.ListChecks(pb.ListChecksRequest(slug="nightly"), metadata=md(p.rw))).checks
    assert [(c.name, c.n_pings, c.status) for c in listed] == [("nightly", 2, "up")]
    await fails(
        stub.Ping(pb.PingRequest(ping_key=key, slug="Nightly")),
        grpc.StatusCode.INVALID_ARGUMENT,
        "invalid url format",
    )
    await fails(
        stub.Ping(pb.PingRequest(ping_key=key, slug="nightly", rid="nope")),
        grpc.StatusCode.INVALID_ARGUMENT,
        "invalid uuid format",
    )
    await fails(stub.Ping(pb.PingRequest(ping_key=key, slug="other", rid="nope")), grpc.StatusCode.NOT_FOUND)
    await fails(stub.Ping(pb.PingRequest(check="not-a-uuid")), grpc.StatusCode.NOT_FOUND)
    await fails(
        stub.Ping(pb.PingRequest(check=listed[0].uuid, exit_status=256)), grpc.StatusCode.INVALID_ARGUMENT
    )
    await fails(
        stub.Ping(pb.PingRequest(check=listed[0].uuid, action="stop")), grpc.StatusCode.INVALID_ARGUMENT
    )
    # Two checks with one slug: ambiguous.
    await stub.CreateCheck(pb.CreateCheckRequest(fields=pb.CheckFields(slug="nightly")), metadata=md(p.rw))
    detail = await fails(
        stub.Ping(pb.PingRequest(ping_key=key, slug="nightly")), grpc.StatusCode.FAILED_PRECONDITION
    )
    assert (detail.status, detail.body) == (409, b"ambiguous slug")


async def test_channels_badges_and_status(kit: Kit, stub, site: str) -> None:
    p = await kit.project()
    channel = await kit.channel(p, "pager", kind="pd")
    await stub.CreateCheck(pb.CreateCheckRequest(fields=pb.CheckFields(tags="web")), metadata=md(p.rw))
    channels = await stub.ListChannels(pb.ListChannelsRequest(), metadata=md(p.rw))
    assert [(c.id, c.name, c.kind) for c in channels.channels] == [(channel.id, "pager", "pd")]
    badges = await stub.ListBadges(pb.ListBadgesRequest(), metadata=md(p.ro))
    assert set(badges.badges) == {"*", "web"}
    assert badges.badges["web"].svg.startswith(f"{site}/badge/{p.project.badge_key}/")
    status = await stub.GetStatus(pb.GetStatusRequest())
    assert (status.content_type, status.data) == ("text/html; charset=utf-8", b"OK")
