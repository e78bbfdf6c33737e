"""Plain aiohttp routes for the URLs cron jobs and dashboards call: ``/ping/...`` (spec §4) and the
public badges ``/badge/...`` and ``/b/...`` (spec §7.3).

They are not RPCs: registered as plain routes, they take precedence over the REST door. Pings are the
hot path (thousands per second at the top of the hour), so a ping URL is parsed with a split and a few
string tests, and the answer is sent once the store's group-commit writer has committed the ping.

URL decoding follows the reference framework: the path is percent-decoded once, then routed; a URL that
matches none of the reference's routes gets its HTML "Not Found" page, without CORS headers.
"""

from __future__ import annotations

import json
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from email.utils import formatdate
from typing import Any
from urllib.parse import unquote

import sqlalchemy as sa
from aiohttp import web

from ztn.domain.hc import badges
from ztn.domain.hc.errors import NOT_FOUND_PAGE
from ztn.domain.hc.models import DEFAULT_CHECK_LIMIT, PING_BODY_LIMIT, Check, PingInput
from ztn.domain.hc.ping_rules import InvalidRid, InvalidUrl, client_address, parse_exit_status, parse_rid
from ztn.domain.hc.pinging import AMBIGUOUS, CREATED, NOT_FOUND, HcPings
from ztn.store.errors import StoreUnavailable
from ztn.store.hc_models import hc_checks
from ztn.store.hc_repo import HcStore

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]

MASTER_BADGE_LABEL = "Mychecks"  # label of the all-checks badge: the reference's default SITE_NAME
TEXT = "text/plain; charset=utf-8"  # the hosted service's ping content type (the reference sends HTML)
HTML = "text/html; charset=utf-8"
NO_CACHE = "max-age=0, no-cache, no-store, must-revalidate, private"
UA_LIMIT = 200
# Column widths of hc_pings: longer values (odd proxies, odd clients) are cut rather than refused.
SCHEME_LIMIT, METHOD_LIMIT, ADDR_LIMIT = 10, 10, 64

_ACTIONS = frozenset({"start", "fail", "log"})
_SLUG_CHARS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_"
_HEX_DASH = "0123456789abcdef-"
# Django's CSRF middleware rejects these before the badge view runs (403); the other methods reach it.
_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
_BADGE_CORS = (
    ("Access-Control-Allow-Origin", "*"),
    ("Access-Control-Allow-Headers", "X-Api-Key"),
    ("Access-Control-Allow-Methods", "GET, OPTIONS"),
    ("Access-Control-Max-Age", "600"),
)
_CSRF_PAGE = (
    b'\n<!doctype html>\n<html lang="en">\n<head>\n  <title>403 Forbidden</title>\n</head>\n<body>\n'
    b"  <h1>403 Forbidden</h1><p>CSRF verification failed. Request aborted.</p>\n</body>\n</html>\n"
)


# -- small, allocation-light tests (str.strip is empty iff every character is in the set) -------------
def is_uuid(s: str) -> bool:
    """Lowercase canonical 8-4-4-4-12, like the reference's <uuid> route converter."""
    return (
        len(s) == 36
        and s[8] == "-"
        and s[13] == "-"
        and s[18] == "-"
        and s[23] == "-"
        and not s.strip(_HEX_DASH)
        and s.count("-") == 4
    )


def is_slug(s: str) -> bool:
    """``[-a-zA-Z0-9_]+`` (the <slug> converter)."""
    return bool(s) and not s.strip(_SLUG_CHARS)


def is_tag_segment(s: str) -> bool:
    """``[\\w%~_.-]+`` (the badge tag converter; \\w is Unicode)."""
    return bool(s) and all(c.isalnum() or c in "_%~.-" for c in s)


def _decoded_path(request: web.Request) -> str:
    raw = request.raw_path
    cut = raw.find("?")
    if cut >= 0:
        raw = raw[:cut]
    return unquote(raw) if "%" in raw else raw


_expires = [0, ""]


def http_now() -> str:
    """The ``Expires`` value: now, as an HTTP date (formatted once per second)."""
    second = int(time.time())
    if second != _expires[0]:
        _expires[1] = formatdate(second, usegmt=True)
        _expires[0] = second
    return _expires[1]


def _not_found_page() -> web.Response:
    return web.Response(status=404, body=NOT_FOUND_PAGE, headers={"Content-Type": HTML})


# -- /ping/... -------------------------------------------------------------------------------------------
class PingRoute:
    """One parsed ping URL: by check UUID (``code``) or by project ping key and slug."""

    __slots__ = ("code", "ping_key", "slug", "action", "exitstatus", "bad_exit")

    def __init__(self, code: str, ping_key: str, slug: str, tail: str) -> None:
        self.code, self.ping_key, self.slug = code, ping_key, slug
        self.action = "success"
        self.exitstatus: int | None = None
        self.bad_exit = False  # exit status > 255: 400, but only once the check was found
        if tail in _ACTIONS:
            self.action = tail
        elif tail:
            try:
                self.exitstatus = parse_exit_status(tail)
            except InvalidUrl:
                self.bad_exit = True
            else:
                if self.exitstatus:
                    self.action = "fail"


def _is_ping_tail(segment: str) -> bool:
    return segment in _ACTIONS or (segment.isascii() and segment.isdigit())


def parse_ping_path(tail: str) -> PingRoute | None:
    """``tail``: the decoded path after ``/ping/``. None: no route (the 404 page).

    The UUID routes are tried first; ``<uuid>/<anything else>`` falls through to the slug route with
    the UUID taken as a ping key (spec §4.1).
    """
    parts = tail.split("/")
    n = len(parts)
    if n > 3:
        return None
    first = parts[0]
    if n <= 2 and is_uuid(first):
        if n == 1 or parts[1] == "":
            return PingRoute(first, "", "", "")
        if _is_ping_tail(parts[1]):
            return PingRoute(first, "", "", parts[1])
    if n == 1 or not is_slug(first) or not is_slug(parts[1]):
        return None
    if n == 3:
        if not _is_ping_tail(parts[2]):
            return None
        return PingRoute("", first, parts[1], parts[2])
    return PingRoute("", first, parts[1], "")


def _ping_error(status: int, text: str) -> web.Response:
    # Errors carry no CORS header (and no Ping-Body-Limit); a cache must not keep them either.
    headers = {"Content-Type": TEXT, "Cache-Control": NO_CACHE, "Expires": http_now()}
    return web.Response(status=status, body=text.encode(), headers=headers)


def _ping_ok(created: bool) -> web.Response:
    headers = {
        "Content-Type": TEXT,
        "Ping-Body-Limit": _BODY_LIMIT_TEXT,
        "Access-Control-Allow-Origin": "*",
        "Cache-Control": NO_CACHE,
        "Expires": http_now(),
    }
    if created:
        return web.Response(status=201, body=b"Created", headers=headers)
    return web.Response(body=b"OK", headers=headers)


_BODY_LIMIT_TEXT = str(PING_BODY_LIMIT)


async def read_ping_body(request: web.Request) -> bytes:
    """At most PING_BODY_LIMIT bytes, kept raw; the rest is left for aiohttp to discard."""
    if not request.body_exists:
        return b""
    content = request.content
    chunks: list[bytes] = []
    size = 0
    while size < PING_BODY_LIMIT:
        chunk = await content.read(PING_BODY_LIMIT - size)
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    return chunks[0] if len(chunks) == 1 else b"".join(chunks)


class PingUrls:
    def __init__(self, pings: HcPings) -> None:
        self.pings = pings

    async def handle(self, request: web.Request) -> web.StreamResponse:
        route = parse_ping_path(_decoded_path(request)[6:])  # after "/ping/"
        if route is None:
            return _not_found_page()
        slug = route.slug
        if slug and slug.lower() != slug:
            return _ping_error(400, "invalid url format")  # before any lookup
        rid_raw: str | None = None
        create = False
        if request.rel_url.raw_query_string:
            # The reference reads the last value of a repeated parameter.
            query = request.rel_url.query
            rids = query.getall("rid", ())
            rid_raw = rids[-1] if rids else None
            if slug:
                creates = query.getall("create", ())
                create = bool(creates) and creates[-1] == "1"
        rejection = "invalid url format" if route.bad_exit else ""
        rid: str | None = None
        if not rejection:
            try:
                rid = parse_rid(rid_raw)
            except InvalidRid:
                rejection = "invalid uuid format"
        try:
            if rejection:
                return await self._reject(route, create, rejection)
            body = await read_ping_body(request)
            headers = request.headers
            forwarded_for = headers.get("X-Forwarded-For")
            # The socket's address is an IP already: only a forwarded one needs client_address's checks.
            peer = request.remote
            remote = peer if forwarded_for is None else client_address(forwarded_for, peer)
            ping = PingInput(
                action=route.action,
                now=datetime.now(UTC),
                method=request.method[:METHOD_LIMIT],
                scheme=headers.get("X-Forwarded-Proto", "http")[:SCHEME_LIMIT],
                remote_addr=remote[:ADDR_LIMIT] if remote else remote,
                ua=headers.get("User-Agent", "")[:UA_LIMIT],
                body=body,
                rid=rid,
                exitstatus=route.exitstatus,
            )
            if route.code:
                outcome = await self.pings.ping_by_code(route.code, route.action, ping)
            else:
                outcome = await self.pings.ping_by_slug(route.ping_key, slug, route.action, ping, create)
        except StoreUnavailable:
            return _ping_error(503, "service unavailable")
        status = outcome.status
        if status == NOT_FOUND:
            return _ping_error(404, "not found")
        if status == AMBIGUOUS:
            return _ping_error(409, "ambiguous slug")
        return _ping_ok(status == CREATED)

    async def _reject(self, route: PingRoute, create: bool, message: str) -> web.Response:
        """A 400 the reference gives only after finding (or auto-provisioning) the check."""
        if route.code:
            found = await self.pings.locate_by_code(route.code)
        else:
            found = await self.pings.locate_by_slug(route.ping_key, route.slug, create)
        if found == NOT_FOUND:
            return _ping_error(404, "not found")
        if found == AMBIGUOUS:
            return _ping_error(409, "ambiguous slug")
        return _ping_error(400, message)


# -- /badge/... and /b/... -------------------------------------------------------------------------------
def _badge_headers(content_type: str = HTML) -> dict[str, str]:
    return {
        "Content-Type": content_type,
        **dict(_BADGE_CORS),
        "Cache-Control": NO_CACHE,
        "Expires": http_now(),
    }


def _badge_empty(status: int) -> web.Response:
    """What the reference's CORS wrapper answers itself (OPTIONS 204, other methods 405) and its empty
    404s: CORS and no-cache headers, no body."""
    return web.Response(status=status, headers=_badge_headers())


def _badge_method(method: str) -> web.Response | None:
    if method == "GET":
        return None
    if method == "OPTIONS":
        return _badge_empty(204)
    if method not in _SAFE_METHODS:
        return web.Response(status=403, body=_CSRF_PAGE, headers={"Content-Type": HTML})
    return _badge_empty(405)


def _render_badge(fmt: str, label: str, state: badges.BadgeState) -> web.Response:
    if fmt == "svg":
        return web.Response(
            body=badges.render_svg(label, state.status), headers=_badge_headers("image/svg+xml")
        )
    doc: dict[str, Any] = badges.render_json(state) if fmt == "json" else badges.render_shields(label, state)
    # json.dumps' default separators: byte-for-byte the reference's JSON.
    return web.Response(body=json.dumps(doc).encode(), headers=_badge_headers("application/json"))


def parse_badge_path(tail: str) -> tuple[str, str, str, str] | None:
    """``tail``: the decoded path after ``/badge/``; (badge key, signature, tag, fmt) or None (no route).
    The tag segment is unquoted once more here (badge URLs quote tags twice)."""
    parts = tail.split("/")
    if len(parts) == 2:
        badge_key, last = parts
        signature, dot, fmt = last.partition(".")
        tag = "*"
    elif len(parts) == 3:
        badge_key, signature, last = parts
        quoted, dot, fmt = last.rpartition(".")
        if not is_tag_segment(quoted):
            return None
        tag = unquote(quoted)
    else:
        return None
    if not (dot and is_slug(badge_key) and is_slug(signature) and is_slug(fmt)):
        return None
    return badge_key, signature, tag, fmt


class BadgeUrls:
    def __init__(self, store: HcStore, master_label: str = MASTER_BADGE_LABEL) -> None:
        self.store = store
        self.master_label = master_label

    async def project_badge(self, request: web.Request) -> web.StreamResponse:
        """``/badge/<key>/<sig>[-2]/<tag>.<fmt>`` and ``/badge/<key>/<sig>[-2].<fmt>`` (all checks)."""
        parsed = parse_badge_path(_decoded_path(request)[7:])  # after "/badge/"
        if parsed is None:
            return _not_found_page()
        early = _badge_method(request.method)
        if early is not None:
            return early
        badge_key, signature, tag, fmt = parsed
        if fmt not in badges.FORMATS:
            return _badge_empty(404)
        with_late = not (len(signature) == 10 and signature.endswith("-2"))
        if not badges.signature_ok(badge_key, tag, signature, await self.store.secret()):
            return _badge_empty(404)
        project = await self.store.project_by_badge_key(badge_key)
        if project is None:
            return _badge_empty(404)
        checks = badges.checks_with_tag(await self.store.list_checks(project.id), tag)
        label = self.master_label if tag == "*" else tag
        return _render_badge(fmt, label, badges.badge_state(checks, datetime.now(UTC), with_late))

    async def check_badge(self, request: web.Request) -> web.StreamResponse:
        """``/b/<states>/<check badge key>.<fmt>``: 3 states iff ``states`` is 3."""
        parts = _decoded_path(request)[3:].split("/")  # after "/b/"
        if len(parts) != 2:
            return _not_found_page()
        states, last = parts
        badge_key, dot, fmt = last.partition(".")
        if not (states.isascii() and states.isdigit() and dot and is_uuid(badge_key) and is_slug(fmt)):
            return _not_found_page()
        early = _badge_method(request.method)
        if early is not None:
            return early
        if fmt not in badges.FORMATS:
            return _badge_empty(404)
        check = await check_by_badge_key(self.store, badge_key)
        if check is None:
            return _not_found_page()  # the reference raises its 404 page past the CORS wrapper here
        state = badges.badge_state([check], datetime.now(UTC), int(states) == 3)
        return _render_badge(fmt, check.name or check.code, state)


async def check_by_badge_key(store: HcStore, badge_key: str) -> Check | None:
    """The check whose per-check badge key this is (unique). The design's HcStore has no such read yet:
    use the store's when it has one, else this single-statement read of the checks table."""
    read = getattr(store, "check_by_badge_key", None)
    if read is not None:
        return await read(badge_key)
    async with store.db.read() as conn:
        row = (await conn.execute(sa.select(hc_checks).where(hc_checks.c.badge_key == badge_key))).first()
    return Check(*row) if row is not None else None


# -- registration ----------------------------------------------------------------------------------------
def build_plain_routes(
    store: HcStore,
    pings: HcPings | str | None = None,
    check_limit: int = DEFAULT_CHECK_LIMIT,
    *,
    master_badge_label: str = MASTER_BADGE_LABEL,
) -> list[tuple[str, str, Handler]]:
    """(method, path, handler) triples for ``HttpGateway.application(plain_routes=...)``.

    ``pings``: the HcPings shared with the gRPC servicer. The design's form
    ``build_plain_routes(store, site_root, check_limit)`` is accepted too (site_root is unused: these
    URLs never link anywhere); an HcPings is then built on ``check_limit``.
    """
    if not isinstance(pings, HcPings):
        pings = HcPings(store, check_limit)
    ping_urls = PingUrls(pings)
    badge_urls = BadgeUrls(store, master_badge_label)
    # One catch-all per prefix: the handlers parse the rest themselves (cheaper than router patterns,
    # and the reference's decoding rules are easier to keep in one place).
    return [
        ("*", "/ping/{tail:.*}", ping_urls.handle),
        ("*", "/badge/{tail:.*}", badge_urls.project_badge),
        ("*", "/b/{tail:.*}", badge_urls.check_badge),
    ]
