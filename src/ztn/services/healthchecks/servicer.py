"""ztn.healthchecks.v3.HealthchecksService: the Healthchecks Management API behind every door.

REST callers send JSON bodies in ``json_body`` (raw bytes, parsed here the way Healthchecks parses
them: whatever the content type, ``api_key`` allowed inside); gRPC callers send typed ``fields``.
Authentication is the ``x-api-key`` metadata (the X-Api-Key header through the REST door).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import grpc
import orjson
from google.api import httpbody_pb2

from ztn.domain.hc import errors
from ztn.domain.hc.checks import Caller, HcApi, api_version, is_unique_key
from ztn.domain.hc.fields import fields_from_proto
from ztn.domain.hc.models import PING_BODY_LIMIT, PingInput
from ztn.domain.hc.ping_rules import InvalidRid, parse_rid
from ztn.domain.hc.pinging import HcPings
from ztn.healthchecks.v3 import healthchecks_pb2 as pb
from ztn.healthchecks.v3 import healthchecks_pb2_grpc
from ztn.services.healthchecks import converter as conv
from ztn.services.healthchecks.errors import hc_rpc

API_KEY = "x-api-key"
HTML = "text/html; charset=utf-8"
_ACTIONS = frozenset({"", "start", "fail", "log"})


def json_object(body: httpbody_pb2.HttpBody) -> dict[str, Any] | None:
    """The POST body as Healthchecks reads it; None when there is none."""
    if not body.data:
        return None
    try:
        value = orjson.loads(body.data)
    except orjson.JSONDecodeError:
        raise errors.bad_request("could not parse request body") from None
    if not isinstance(value, dict):
        raise errors.validation_error("value is not an object")
    return value


def api_key(context: Any, body: dict[str, Any] | None) -> str:
    """The X-Api-Key header when present (even empty), else ``api_key`` from a POST body as a string
    (Python's str(): null is "None"), else ""."""
    for key, value in context.invocation_metadata() or ():
        if key == API_KEY:
            return value if isinstance(value, str) else value.decode("latin-1")
    if body is not None and "api_key" in body:
        value = body["api_key"]
        if value is None:
            return "None"
        if isinstance(value, bool):
            return str(value)
        return value if isinstance(value, str) else orjson.dumps(value).decode()
    return ""


class HealthchecksServicer(healthchecks_pb2_grpc.HealthchecksServiceServicer):
    def __init__(
        self, api: HcApi, pings: HcPings, clock: Callable[[], datetime] = lambda: datetime.now(UTC)
    ) -> None:
        self.api = api
        self.pings = pings
        self.clock = clock
        self.site = api.site_root

    # -- helpers -------------------------------------------------------------------------------------------
    async def _read(self, request: Any, context: Any) -> tuple[int, Caller]:
        version = api_version(request.api_version)
        return version, await self.api.authenticate(api_key(context, None), write=False)

    async def _write(self, request: Any, context: Any) -> tuple[int, Caller, dict[str, Any]]:
        """rw-guard: body parsed first (a bad body is a 400 even without a key), then the key."""
        version = api_version(request.api_version)
        body = json_object(request.json_body) if request.HasField("json_body") else None
        caller = await self.api.authenticate(api_key(context, body), write=True)
        if body is None:
            fields = getattr(request, "fields", None)
            body = fields_from_proto(fields) if fields is not None else {}
        return version, caller, body

    def _check(self, check: Any, caller: Caller, version: int) -> pb.Check:
        return conv.check(check, caller.read_only, version, self.clock(), self.site)

    # -- checks --------------------------------------------------------------------------------------------
    @hc_rpc
    async def ListChecks(self, request: pb.ListChecksRequest, context: Any) -> pb.ListChecksResponse:
        version, caller = await self._read(request, context)
        checks = await self.api.list_checks(caller, list(request.tag), request.slug)
        now = self.clock()
        return pb.ListChecksResponse(
            checks=[conv.check(c, caller.read_only, version, now, self.site) for c in checks]
        )

    @hc_rpc
    async def CreateCheck(self, request: pb.CreateCheckRequest, context: Any) -> pb.Check:
        version, caller, body = await self._write(request, context)
        check, created = await self.api.create_check(caller, body, version)
        if not created:
            await context.send_initial_metadata((("x-http-code", "200"),))
        return self._check(check, caller, version)

    @hc_rpc
    async def GetCheck(self, request: pb.GetCheckRequest, context: Any) -> pb.Check:
        version, caller = await self._read(request, context)
        return self._check(await self.api.find_check(caller, request.check), caller, version)

    @hc_rpc
    async def UpdateCheck(self, request: pb.UpdateCheckRequest, context: Any) -> pb.Check:
        _reject_unique_key(request.check)
        version, caller, body = await self._write(request, context)
        return self._check(await self.api.update_check(caller, request.check, body, version), caller, version)

    @hc_rpc
    async def DeleteCheck(self, request: pb.DeleteCheckRequest, context: Any) -> pb.Check:
        _reject_unique_key(request.check)
        version = api_version(request.api_version)
        caller = await self.api.authenticate(api_key(context, None), write=True)
        return self._check(await self.api.delete_check(caller, request.check), caller, version)

    @hc_rpc
    async def PauseCheck(self, request: pb.PauseCheckRequest, context: Any) -> pb.Check:
        version, caller, _ = await self._write(request, context)
        return self._check(await self.api.pause(caller, request.check), caller, version)

    @hc_rpc
    async def ResumeCheck(self, request: pb.ResumeCheckRequest, context: Any) -> pb.Check:
        version, caller, _ = await self._write(request, context)
        return self._check(await self.api.resume(caller, request.check), caller, version)

    # -- history -------------------------------------------------------------------------------------------
    @hc_rpc
    async def ListPings(self, request: pb.ListPingsRequest, context: Any) -> pb.ListPingsResponse:
        version = api_version(request.api_version)
        caller = await self.api.authenticate(api_key(context, None), write=True)
        check, pings, durations = await self.api.list_pings(caller, request.check)
        return pb.ListPingsResponse(
            pings=[
                conv.ping(p, d, check.code, version, self.site) for p, d in zip(pings, durations, strict=True)
            ]
        )

    @hc_rpc
    async def GetPingBody(self, request: pb.GetPingBodyRequest, context: Any) -> httpbody_pb2.HttpBody:
        api_version(request.api_version)
        caller = await self.api.authenticate(api_key(context, None), write=True)
        body = await self.api.ping_body(caller, request.check, request.n)
        return httpbody_pb2.HttpBody(content_type="text/plain", data=body)

    @hc_rpc
    async def ListFlips(self, request: pb.ListFlipsRequest, context: Any) -> pb.ListFlipsResponse:
        _, caller = await self._read(request, context)
        flips = await self.api.list_flips(
            caller,
            request.check,
            request.start if request.HasField("start") else None,
            request.end if request.HasField("end") else None,
            request.seconds if request.HasField("seconds") else None,
        )
        return pb.ListFlipsResponse(flips=[conv.flip(f) for f in flips])

    # -- project -------------------------------------------------------------------------------------------
    @hc_rpc
    async def ListChannels(self, request: pb.ListChannelsRequest, context: Any) -> pb.ListChannelsResponse:
        api_version(request.api_version)
        caller = await self.api.authenticate(api_key(context, None), write=True)
        channels = await self.api.list_channels(caller)
        return pb.ListChannelsResponse(channels=[conv.channel(c) for c in channels])

    @hc_rpc
    async def ListBadges(self, request: pb.ListBadgesRequest, context: Any) -> pb.ListBadgesResponse:
        _, caller = await self._read(request, context)
        badges = await self.api.badges(caller)
        return pb.ListBadgesResponse(badges={tag: pb.BadgeUrls(**urls) for tag, urls in badges.items()})

    @hc_rpc
    async def GetStatus(self, request: pb.GetStatusRequest, context: Any) -> httpbody_pb2.HttpBody:
        api_version(request.api_version)
        if not await self.api.database_ok():
            raise errors.HcError(grpc.StatusCode.UNAVAILABLE, "database unavailable", 500)
        return httpbody_pb2.HttpBody(content_type=HTML, data=b"OK")

    # -- pings ---------------------------------------------------------------------------------------------
    @hc_rpc
    async def Ping(self, request: pb.PingRequest, context: Any) -> pb.PingResponse:
        if request.action not in _ACTIONS:
            raise errors.bad_request("invalid url format")
        action = request.action or "success"
        exit_status = request.exit_status if request.HasField("exit_status") else None
        if exit_status is not None:
            if not 0 <= exit_status <= 255:
                raise errors.bad_request("invalid url format")
            action = "fail" if exit_status > 0 else "success"
        try:
            rid = parse_rid(request.rid) if request.rid else None
        except InvalidRid:
            raise errors.bad_request("invalid uuid format") from None
        peer = context.peer() or ""
        ping = PingInput(
            action=action,
            now=self.clock(),
            method="POST",
            scheme="grpc",
            remote_addr=_peer_address(peer),
            ua=_metadata(context, "user-agent")[:200],
            body=request.body[:PING_BODY_LIMIT],
            rid=rid,
            exitstatus=exit_status,
        )
        if request.check:
            outcome = await self.pings.ping_by_code(request.check, ping.action, ping)
        else:
            if request.slug != request.slug.lower():
                raise errors.bad_request("invalid url format")
            outcome = await self.pings.ping_by_slug(
                request.ping_key, request.slug, ping.action, ping, request.create
            )
        if outcome.status == "not_found":
            raise errors.not_found_empty("not found")
        if outcome.status == "ambiguous":
            raise errors.HcError(grpc.StatusCode.FAILED_PRECONDITION, "ambiguous slug", 409)
        created = outcome.status == "created"
        return pb.PingResponse(message="Created" if created else "OK", created=created)


def _reject_unique_key(ident: str) -> None:
    """A unique_key URL only answers GET (Healthchecks routes it to a GET-only view)."""
    if is_unique_key(ident):
        raise errors.method_not_allowed()


def _metadata(context: Any, name: str) -> str:
    for key, value in context.invocation_metadata() or ():
        if key == name:
            return value if isinstance(value, str) else value.decode("latin-1")
    return ""


def _peer_address(peer: str) -> str | None:
    """grpc peers look like ``ipv4:1.2.3.4:5678`` or ``ipv6:[::1]:5678``."""
    kind, _, rest = peer.partition(":")
    if kind == "ipv4":
        return rest.rsplit(":", 1)[0]
    if kind == "ipv6":
        return rest.rsplit(":", 1)[0].strip("[]")
    return rest or None
