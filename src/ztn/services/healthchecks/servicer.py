"""ztn.healthchecks.v3.HealthchecksService: the Healthchecks Management API behind every door.

REST callers send JSON bodies in ``json_body`` (raw bytes, parsed here the way Healthchecks parses
them: whatever the content type, ``api_key`` allowed inside); gRPC callers send typed ``fields``.
Authentication is the ``x-api-key`` metadata (the X-Api-Key header through the REST door).

Every RPC follows the reference's order of evaluation: the API version and the shape of the check
identifier (URL routing: 404 page, or 405 for a unique_key on a write) -> the JSON body (400) -> the
key (401) -> lookups (404/403) -> validation (400) -> the operation.
"""

from __future__ import annotations

import json
import re
from typing import Any

import grpc
from google.api import httpbody_pb2

from ztn.domain.hc import errors
from ztn.domain.hc.checks import (
    Caller,
    HcApi,
    api_version,
    filter_checks,
    is_uuid,
    require_check_ident,
    require_uuid,
)
from ztn.domain.hc.fields import fields_from_proto
from ztn.domain.hc.models import PING_BODY_LIMIT, PingInput
from ztn.domain.hc.ping_rules import InvalidRid, client_address, parse_rid
from ztn.domain.hc.pinging import AMBIGUOUS, CREATED, NOT_FOUND, HcPings
from ztn.domain.hc.stable import stable_until
from ztn.gateway.codec_json import share
from ztn.gateway.rest import HTTP_CODE_KEY
from ztn.healthchecks.v3 import healthchecks_pb2 as pb
from ztn.healthchecks.v3 import healthchecks_pb2_grpc
from ztn.services.healthchecks import converter as conv
from ztn.services.healthchecks.errors import hc_rpc

API_KEY = "x-api-key"
_LIST_MEMO_SIZE = 16  # ListChecks responses kept per CheckRows (filters x key kinds x versions)
HTML = "text/html; charset=utf-8"
_ACTIONS = {"": "success", "success": "success", "start": "start", "fail": "fail", "log": "log"}
_PING_SEGMENT = re.compile(r"[-a-zA-Z0-9_]+")  # the ping URL's pattern for ping keys and slugs


def json_object(body: httpbody_pb2.HttpBody) -> dict[str, Any] | None:
    """The POST body as Healthchecks reads it (strict UTF-8, then Python's json: big integers and
    NaN parse as they do there); None when there is none."""
    if not body.data:
        return None
    try:
        value = json.loads(body.data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise errors.bad_request("could not parse request body") from None
    if not isinstance(value, dict):
        raise errors.validation_error("value is not an object")
    return value


def metadata_value(context: Any, name: str) -> str | None:
    for key, value in context.invocation_metadata() or ():
        if key == name:
            return value if isinstance(value, str) else value.decode("latin-1")
    return None


def api_key(context: Any, body: dict[str, Any] | None = None) -> str:
    """The X-Api-Key header when present (even empty), else ``api_key`` from a POST body turned into a
    string the way Python does it (null is "None"), else ""."""
    header = metadata_value(context, API_KEY)
    if header is not None:
        return header
    if body is not None and "api_key" in body:
        return str(body["api_key"])
    return ""


class HealthchecksServicer(healthchecks_pb2_grpc.HealthchecksServiceServicer):
    def __init__(self, api: HcApi, pings: HcPings) -> None:
        self.api = api
        self.pings = pings
        self.site = api.site_root

    # -- the guards ----------------------------------------------------------------------------------------
    async def _reader(self, context: Any) -> Caller:
        """ro-guard: the header only; read-write and read-only keys."""
        return await self.api.authenticate(api_key(context), write=False)

    async def _writer(self, context: Any, body: dict[str, Any] | None = None) -> Caller:
        """rw-guard: the header, or ``api_key`` in a POST body; read-write keys only."""
        return await self.api.authenticate(api_key(context, body), write=True)

    async def _posted(self, request: Any, context: Any) -> tuple[Caller, dict[str, Any]]:
        """A POST body is parsed before the key is looked at (a bad body is a 400 even without a key).
        gRPC callers may send typed ``fields`` instead; json_body wins when it has data."""
        body = json_object(request.json_body)
        caller = await self._writer(context, body)
        if body is None:
            fields = getattr(request, "fields", None)
            body = fields_from_proto(fields) if fields is not None else {}
        return caller, body

    def _check(self, check: Any, caller: Caller, version: int) -> pb.Check:
        return conv.check(check, caller.read_only, version, self.api.clock(), self.site)

    # -- checks --------------------------------------------------------------------------------------------
    @hc_rpc
    async def ListChecks(self, request: pb.ListChecksRequest, context: Any) -> pb.ListChecksResponse:
        version = api_version(request.api_version)
        caller = await self._reader(context)
        # The response is memoised with the rows it was built from (any commit by any process gives new
        # rows, see HcStore.check_rows) for as long as no check's reported status can change. It is
        # shared between requests: nothing downstream changes a response message.
        snapshot = await self.api.check_rows(caller)
        now = self.api.clock()
        key = ("ListChecks", caller.read_only, version, tuple(request.tag), request.slug, self.site)
        hit = snapshot.memo.get(key)
        if hit is not None and hit[0] <= now and (hit[1] is None or now < hit[1]):
            return share(hit[2])  # final: the JSON doors encode it once
        checks = filter_checks(snapshot.checks(), request.tag, request.slug)
        response = conv.check_list(checks, caller.read_only, version, now, self.site)
        if len(snapshot.memo) >= _LIST_MEMO_SIZE:
            snapshot.memo.clear()
        snapshot.memo[key] = (now, stable_until(checks, now), response)
        return share(response)

    @hc_rpc
    async def CreateCheck(self, request: pb.CreateCheckRequest, context: Any) -> pb.Check:
        version = api_version(request.api_version)
        caller, body = await self._posted(request, context)
        check, created = await self.api.create_check(caller, body, version)
        if not created:  # an upsert hit: 200 instead of the binding's 201
            await context.send_initial_metadata(((HTTP_CODE_KEY, "200"),))
        return self._check(check, caller, version)

    @hc_rpc
    async def GetCheck(self, request: pb.GetCheckRequest, context: Any) -> pb.Check:
        version = api_version(request.api_version)
        require_check_ident(request.check, "GET")
        caller = await self._reader(context)
        return self._check(await self.api.find_check(caller, request.check), caller, version)

    @hc_rpc
    async def UpdateCheck(self, request: pb.UpdateCheckRequest, context: Any) -> pb.Check:
        version = api_version(request.api_version)
        require_check_ident(request.check, "POST")
        caller, body = await self._posted(request, context)
        return self._check(await self.api.update_check(caller, request.check, body, version), caller, version)

    @hc_rpc
    async def DeleteCheck(self, request: pb.DeleteCheckRequest, context: Any) -> pb.Check:
        version = api_version(request.api_version)
        require_check_ident(request.check, "DELETE")
        caller = await self._writer(context)  # a DELETE body is never read, api_key included
        return self._check(await self.api.delete_check(caller, request.check), caller, version)

    @hc_rpc
    async def PauseCheck(self, request: pb.PauseCheckRequest, context: Any) -> pb.Check:
        version = api_version(request.api_version)
        require_uuid(request.check)
        caller, _ = await self._posted(request, context)
        return self._check(await self.api.pause(caller, request.check), caller, version)

    @hc_rpc
    async def ResumeCheck(self, request: pb.ResumeCheckRequest, context: Any) -> pb.Check:
        version = api_version(request.api_version)
        require_uuid(request.check)
        caller, _ = await self._posted(request, context)
        return self._check(await self.api.resume(caller, request.check), caller, version)

    # -- history -------------------------------------------------------------------------------------------
    @hc_rpc
    async def ListPings(self, request: pb.ListPingsRequest, context: Any) -> pb.ListPingsResponse:
        version = api_version(request.api_version)
        require_uuid(request.check)
        caller = await self._writer(context)
        check, pings, durations = await self.api.list_pings(caller, request.check)
        return pb.ListPingsResponse(
            pings=[
                conv.ping(p, d, check.code, version, self.site) for p, d in zip(pings, durations, strict=True)
            ]
        )

    @hc_rpc
    async def GetPingBody(self, request: pb.GetPingBodyRequest, context: Any) -> httpbody_pb2.HttpBody:
        api_version(request.api_version)
        require_uuid(request.check)
        if request.n < 0:  # the route takes digits only
            raise errors.not_found_page()
        caller = await self._writer(context)
        body = await self.api.ping_body(caller, request.check, request.n)
        return httpbody_pb2.HttpBody(content_type="text/plain", data=body)

    @hc_rpc
    async def ListFlips(self, request: pb.ListFlipsRequest, context: Any) -> pb.ListFlipsResponse:
        api_version(request.api_version)
        require_check_ident(request.check, "GET")
        caller = await self._reader(context)
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
        caller = await self._writer(context)
        channels = await self.api.list_channels(caller)
        return pb.ListChannelsResponse(channels=[conv.channel(c) for c in channels])

    @hc_rpc
    async def ListBadges(self, request: pb.ListBadgesRequest, context: Any) -> pb.ListBadgesResponse:
        api_version(request.api_version)
        caller = await self._reader(context)
        badges = await self.api.badges(caller)
        return pb.ListBadgesResponse(badges={tag: pb.BadgeUrls(**urls) for tag, urls in badges.items()})

    @hc_rpc
    async def GetStatus(self, request: pb.GetStatusRequest, context: Any) -> httpbody_pb2.HttpBody:
        api_version(request.api_version)
        if not await self.api.database_ok():
            raise errors.HcError(
                grpc.StatusCode.UNAVAILABLE, "database unavailable", 500, b"<h1>Server Error (500)</h1>"
            )
        return httpbody_pb2.HttpBody(content_type=HTML, data=b"OK")

    # -- pings ---------------------------------------------------------------------------------------------
    @hc_rpc
    async def Ping(self, request: pb.PingRequest, context: Any) -> pb.PingResponse:
        """The ping URLs' rules (spec §4) over gRPC: the check UUID, or the ping key and a slug."""
        action = _ACTIONS.get(request.action)
        if action is None:
            raise errors.bad_request("invalid action")
        by_code = bool(request.check)
        if by_code:
            if not is_uuid(request.check):
                raise errors.not_found_empty("not found")
        else:
            if not (_PING_SEGMENT.fullmatch(request.ping_key) and _PING_SEGMENT.fullmatch(request.slug)):
                raise errors.not_found_empty("not found")
            if request.slug != request.slug.lower():
                raise errors.bad_request("invalid url format")
        exit_status = request.exit_status if request.HasField("exit_status") else None
        problem: errors.HcError | None = None
        rid: str | None = None
        if exit_status is not None:
            if not 0 <= exit_status <= 255:
                problem = errors.bad_request("invalid url format")
            elif exit_status > 0:
                action = "fail"
        if problem is None:
            try:
                rid = parse_rid(request.rid) if request.rid else None
            except InvalidRid:
                problem = errors.bad_request("invalid uuid format")
        if problem is not None:
            # As on the URLs: the check is looked up (and provisioned) first, so a missing check is
            # still a 404/409; nothing is recorded either way.
            if by_code:
                found = await self.pings.locate_by_code(request.check)
            else:
                found = await self.pings.locate_by_slug(request.ping_key, request.slug, request.create)
            _raise_outcome(found)
            raise problem
        ping = PingInput(
            action=action,
            now=self.api.clock(),
            method="POST",  # an HTTP/2 POST: checks that only take POST pings take these
            scheme="grpc",
            remote_addr=client_address(
                metadata_value(context, "x-forwarded-for"), _peer_host(context.peer())
            ),
            ua=(metadata_value(context, "user-agent") or "")[:200],
            body=request.body[:PING_BODY_LIMIT],
            rid=rid,
            exitstatus=exit_status,
        )
        if by_code:
            outcome = await self.pings.ping_by_code(request.check, action, ping)
        else:
            outcome = await self.pings.ping_by_slug(
                request.ping_key, request.slug, action, ping, request.create
            )
        _raise_outcome(outcome.status)
        created = outcome.status == CREATED
        return pb.PingResponse(message="Created" if created else "OK", created=created)


def _raise_outcome(status: str) -> None:
    if status == NOT_FOUND:
        raise errors.not_found_empty("not found")
    if status == AMBIGUOUS:
        raise errors.HcError(grpc.StatusCode.FAILED_PRECONDITION, "ambiguous slug", 409, b"ambiguous slug")


def _peer_host(peer: str | None) -> str | None:
    """The address of a native gRPC peer (``ipv4:1.2.3.4:5678``, ``ipv6:[::1]:5678``) or of an HTTP
    door's (already a bare address)."""
    if not peer:
        return None
    kind, sep, rest = peer.partition(":")
    if sep and kind == "ipv4":
        return rest.rsplit(":", 1)[0]
    if sep and kind == "ipv6":
        return rest.rsplit(":", 1)[0].strip("[]").replace("%25", "%")
    if kind == "unix":
        return None
    return peer
