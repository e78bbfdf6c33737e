"""The URLs cron jobs and dashboards call that are not RPCs: ``/ping/...`` and the public badges.

Ping URLs (spec §4): any method is a ping; the answer is sent only after the ping is stored. Errors
are short plain sentences without CORS headers. Badges (spec §7.3): signed, unauthenticated, with
their own CORS headers.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from email.utils import format_datetime
from urllib.parse import unquote

import orjson
from aiohttp import web

from ztn.domain.hc import badges
from ztn.domain.hc.checks import is_uuid
from ztn.domain.hc.models import PING_BODY_LIMIT, PingInput
from ztn.domain.hc.ping_rules import InvalidRid, InvalidUrl, client_address, parse_exit_status, parse_rid
from ztn.domain.hc.pinging import HcPings
from ztn.domain.hc.status import reported_status
from ztn.store.hc_repo import HcStore

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
TEXT = "text/plain; charset=utf-8"
NO_CACHE = "max-age=0, no-cache, no-store, must-revalidate, private"
MASTER_BADGE_LABEL = "Mychecks"  # the reference's default SITE_NAME
_ACTIONS = frozenset({"start", "fail", "log"})
_SLUG_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_")
_BADGE_CORS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Allow-Headers": "X-Api-Key",
    "Access-Control-Allow-Methods": "GET, OPTIONS",
    "Access-Control-Max-Age": "600",
}


def _text(status: int, body: str) -> web.Response:
    return web.Response(status=status, body=body.encode(), content_type="text/plain", charset="utf-8")


def _token(value: str) -> bool:
    return bool(value) and all(c in _SLUG_CHARS for c in value)


class PingUrls:
    def __init__(self, pings: HcPings) -> None:
        self.pings = pings

    async def handle(self, request: web.Request) -> web.StreamResponse:
        parts = request.match_info["tail"].split("/")
        code = slug = key = ""
        action = "success"
        exit_status: int | None = None
        try:
            if is_uuid(parts[0]) and (
                len(parts) == 1
                or (len(parts) == 2 and (parts[1] in _ACTIONS or parts[1] == "" or parts[1].isdigit()))
            ):
                code = parts[0]
                tail = parts[1] if len(parts) == 2 else ""
            elif len(parts) in (2, 3):
                key, slug = parts[0], parts[1]
                tail = parts[2] if len(parts) == 3 else ""
                if len(parts) == 3 and not (tail in _ACTIONS or tail.isdigit()):
                    return _text(404, "not found")
                if not (_token(key) and _token(slug)):
                    return _text(404, "not found")
                if slug != slug.lower():
                    return _text(400, "invalid url format")
            else:
                return _text(404, "not found")
            if tail in _ACTIONS:
                action = tail
            elif tail:
                exit_status = parse_exit_status(tail)
                action = "fail" if exit_status else "success"
        except InvalidUrl:
            return _text(400, "invalid url format")
        query = request.rel_url.query
        try:
            rid = parse_rid(query["rid"]) if "rid" in query else None
        except InvalidRid:
            return _text(400, "invalid uuid format")
        body = await request.content.read(PING_BODY_LIMIT)
        headers = request.headers
        now = datetime.now(UTC)
        ping = PingInput(
            action=action,
            now=now,
            method=request.method,
            scheme=headers.get("X-Forwarded-Proto", "http"),
            remote_addr=client_address(headers.get("X-Forwarded-For"), request.remote),
            ua=headers.get("User-Agent", "")[:200],
            body=body,
            rid=rid,
            exitstatus=exit_status,
        )
        if code:
            outcome = await self.pings.ping_by_code(code, ping.action, ping)
        else:
            create = query.get("create") == "1"
            outcome = await self.pings.ping_by_slug(key, slug, ping.action, ping, create)
        if outcome.status == "not_found":
            return _text(404, "not found")
        if outcome.status == "ambiguous":
            return _text(409, "ambiguous slug")
        created = outcome.status == "created"
        response = _text(201 if created else 200, "Created" if created else "OK")
        response.headers.update(
            {
                "Ping-Body-Limit": str(PING_BODY_LIMIT),
                "Access-Control-Allow-Origin": "*",
                "Cache-Control": NO_CACHE,
                "Expires": format_datetime(now, usegmt=True),
            }
        )
        return response


class BadgeUrls:
    def __init__(self, store: HcStore) -> None:
        self.store = store

    async def project_badge(self, request: web.Request) -> web.StreamResponse:
        early = _badge_method(request)
        if early is not None:
            return early
        info = request.match_info
        badge_key, signature, rest = info["key"], info["sig"], info.get("tag", "")
        if rest:
            tag, _, fmt = rest.rpartition(".")
            tag = unquote(tag)
        else:
            signature, _, fmt = signature.rpartition(".")
            tag = "*"
        if fmt not in badges.FORMATS or not signature:
            return _empty(404)
        with_late = not (len(signature) == 10 and signature.endswith("-2"))
        if not badges.signature_ok(badge_key, tag, signature, await self.store.secret()):
            return _empty(404)
        project = await self.store.project_by("badge_key", badge_key)
        if project is None:
            return _empty(404)
        checks = await self.store.list_checks(project.id)
        if tag != "*":
            checks = [c for c in checks if tag in c.tags.split()]
        label = tag if tag != "*" else MASTER_BADGE_LABEL
        return _badge(fmt, label, badges.badge_state(checks, datetime.now(UTC), with_late))

    async def check_badge(self, request: web.Request) -> web.StreamResponse:
        early = _badge_method(request)
        if early is not None:
            return early
        states, name = request.match_info["states"], request.match_info["name"]
        badge_key, _, fmt = name.rpartition(".")
        if fmt not in badges.FORMATS or not is_uuid(badge_key):
            return _empty(404)
        check = await self.store.check_by_badge_key(badge_key)
        if check is None:
            return _empty(404)
        with_late = states == "3"
        state = badges.badge_state([check], datetime.now(UTC), with_late, reported_status)
        return _badge(fmt, check.name or check.code, state)


def _badge_method(request: web.Request) -> web.Response | None:
    if request.method == "OPTIONS":
        return web.Response(status=204, headers=_BADGE_CORS)
    if request.method == "POST":
        return _empty(403)
    if request.method not in ("GET", "HEAD"):
        return _empty(405)
    return None


def _badge(fmt: str, label: str, state: badges.BadgeState) -> web.Response:
    headers = {
        **_BADGE_CORS,
        "Cache-Control": NO_CACHE,
        "Expires": format_datetime(datetime.now(UTC), usegmt=True),
    }
    if fmt == "svg":
        body = badges.render_svg(label, state.status)
        return web.Response(body=body, content_type="image/svg+xml", headers=headers)
    doc = badges.render_json(state) if fmt == "json" else badges.render_shields(label, state)
    return web.Response(body=orjson.dumps(doc), content_type="application/json", headers=headers)


def _empty(status: int) -> web.Response:
    return web.Response(status=status, content_type="text/html", charset="utf-8")


def build_plain_routes(store: HcStore, pings: HcPings) -> list[tuple[str, str, Handler]]:
    ping_urls = PingUrls(pings)
    badge_urls = BadgeUrls(store)
    return [
        ("*", "/ping/{tail:.+}", ping_urls.handle),
        ("*", "/badge/{key}/{sig}/{tag}", badge_urls.project_badge),
        ("*", "/badge/{key}/{sig}", badge_urls.project_badge),
        ("*", r"/b/{states:\d+}/{name}", badge_urls.check_badge),
    ]
