"""CORS for browser clients of every HTTP door: grpc-web, Connect and REST (spec: gateway.md §3.6, §4.5).

Credentials (cookies, ``Authorization``) are allowed, so the allowed origin is always echoed, never
``*``, and the expose list names every header explicitly: the Fetch spec ignores ``*`` in
``Access-Control-Expose-Headers`` for credentialed requests, which would hide grpc-status from JS.

A disallowed origin gets no CORS headers at all; its preflight is answered 403 (the browser would
refuse the call anyway, and a plain status makes the misconfiguration visible in dev tools).
The configured ``"*"`` allows every origin except the opaque ``null`` origin (sandboxed iframes,
``file:``), which must be listed explicitly: echoing ``null`` with credentials is a known hole.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from aiohttp import web

ALLOW_METHODS = "GET, POST, PUT, PATCH, DELETE, OPTIONS"
DEFAULT_ALLOW_HEADERS = (
    "authorization, content-type, accept, accept-language, x-grpc-web, x-user-agent, grpc-timeout, "
    "connect-protocol-version, connect-timeout-ms, x-zitadel-orgid"
)
ALWAYS_EXPOSED = ("grpc-status", "grpc-message", "grpc-status-details-bin")
MAX_AGE = "7200"  # Chrome's cap
PREFLIGHT_VARY = "Origin, Access-Control-Request-Method, Access-Control-Request-Headers"

# Never listed in Expose-Headers: CORS-safelisted (always readable) or not readable by design.
_NOT_EXPOSED = frozenset(
    {
        "cache-control",
        "content-language",
        "content-length",
        "content-type",
        "expires",
        "last-modified",
        "pragma",
        "set-cookie",
        "set-cookie2",
        "vary",
        "date",
        "server",
        "connection",
        "keep-alive",
        "transfer-encoding",
    }
)
_TOKEN = re.compile(r"^[!#$%&'*+.^_`|~0-9A-Za-z-]+$")


@dataclass(frozen=True)
class RestCors:
    """A service's own, static CORS policy for its REST routes (APIs that authenticate with a header
    key rather than cookies, e.g. ``Access-Control-Allow-Origin: *``). It replaces the server-wide
    policy on those routes: every response carries these headers (errors too), and OPTIONS on any of
    its paths is answered 204 without calling anything."""

    allow_origin: str = "*"
    allow_headers: str = ""
    max_age: int = 600
    exempt_methods: frozenset[str] = frozenset()
    """RPC names (e.g. a status probe) whose responses carry no CORS headers."""

    def headers(self, methods: Sequence[str]) -> dict[str, str]:
        allowed = ", ".join(dict.fromkeys([*methods, "OPTIONS"]))
        headers = {"Access-Control-Allow-Origin": self.allow_origin}
        if self.allow_headers:
            headers["Access-Control-Allow-Headers"] = self.allow_headers
        headers["Access-Control-Allow-Methods"] = allowed
        headers["Access-Control-Max-Age"] = str(self.max_age)
        return headers


class Cors:
    def __init__(self, allowed_origins: Sequence[str], max_age: int = int(MAX_AGE)) -> None:
        origins = [o.strip() for o in allowed_origins if o.strip()]
        self.any_origin = "*" in origins
        self.origins = frozenset(o.lower().rstrip("/") for o in origins if o != "*")
        self.max_age = str(max_age)

    def allows(self, origin: str) -> bool:
        origin = origin.strip().lower()
        if not origin:
            return False
        if origin in self.origins:
            return True
        return self.any_origin and origin != "null"

    def preflight(self, request: web.BaseRequest) -> web.Response | None:
        """Answer a CORS preflight; None when the request is not one (a plain OPTIONS goes on to routing)."""
        origin = request.headers.get("Origin")
        requested_method = request.headers.get("Access-Control-Request-Method")
        if request.method != "OPTIONS" or not origin or not requested_method:
            return None
        headers = {"Vary": PREFLIGHT_VARY}
        if not self.allows(origin):
            return web.Response(status=403, headers=headers)
        headers.update(
            {
                "Access-Control-Allow-Origin": origin,
                "Access-Control-Allow-Credentials": "true",
                "Access-Control-Allow-Methods": ALLOW_METHODS,
                "Access-Control-Allow-Headers": _requested_headers(
                    request.headers.get("Access-Control-Request-Headers", "")
                ),
                "Access-Control-Max-Age": self.max_age,
            }
        )
        return web.Response(status=204, headers=headers)

    def decorate(self, request: web.BaseRequest, response: web.StreamResponse) -> None:
        """Add the CORS headers of an actual (non-preflight) response; must run before it is prepared."""
        origin = request.headers.get("Origin")
        _add_vary(response, "Origin")
        if not origin or not self.allows(origin) or response.prepared:
            return
        response.headers["Access-Control-Allow-Origin"] = origin
        response.headers["Access-Control-Allow-Credentials"] = "true"
        response.headers["Access-Control-Expose-Headers"] = expose_list(response.headers.keys())

    @web.middleware
    async def middleware(self, request: web.Request, handler) -> web.StreamResponse:
        """Preflights answered here; other responses decorated (HTTP exceptions included)."""
        preflight = self.preflight(request)
        if preflight is not None:
            return preflight
        try:
            response = await handler(request)
        except web.HTTPException as exc:
            self.decorate(request, exc)
            raise
        self.decorate(request, response)
        return response

    async def on_response_prepare(self, request: web.BaseRequest, response: web.StreamResponse) -> None:
        """Signal handler alternative to the middleware's decoration: also covers streamed responses."""
        if "Access-Control-Allow-Origin" not in response.headers:
            self.decorate(request, response)


def expose_list(names) -> str:
    """grpc-status/-message/-details-bin plus every other non-safelisted response header, by name."""
    exposed = list(ALWAYS_EXPOSED)
    seen = set(exposed)
    for name in names:
        key = name.lower()
        if key in seen or key in _NOT_EXPOSED or key.startswith("access-control-"):
            continue
        seen.add(key)
        exposed.append(key)
    return ", ".join(exposed)


def _requested_headers(value: str) -> str:
    """Echo the requested header names (they are what the browser needs), keeping only valid tokens."""
    names = [n.strip().lower() for n in value.split(",")]
    names = [n for n in names if n and _TOKEN.match(n)]
    return ", ".join(dict.fromkeys(names)) if names else DEFAULT_ALLOW_HEADERS


def _add_vary(response: web.StreamResponse, name: str) -> None:
    if response.prepared:
        return
    current = response.headers.get("Vary", "")
    if name.lower() not in (v.strip().lower() for v in current.split(",")):
        response.headers["Vary"] = f"{current}, {name}" if current else name
