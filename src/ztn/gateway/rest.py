"""The REST door: google.api.http transcoding with grpc-gateway semantics.

Per request: route lookup on the raw path -> request message (body, then path variables, which win,
then query parameters when the binding allows them) -> ``invoke`` -> response. Everything that
depends on descriptors (codec, field chains, query plan, response field, zero values) is decided per
route in ``_Plan`` at start-up. Every error leaves through errors.py.

Documented deviation: aiohttp cannot send HTTP/1.1 trailers, so trailer metadata is written as
``Grpc-Trailer-<key>`` response headers (grpc-gateway drops them unless the client sent ``TE: trailers``).
"""

from __future__ import annotations

import logging
import re
from typing import Any

import grpc
import orjson
from aiohttp import web
from aiohttp.web_exceptions import HTTPRequestEntityTooLarge
from aiohttp.web_protocol import RequestPayloadError
from google.protobuf.descriptor import FieldDescriptor
from google.protobuf.message import Message
from multidict import CIMultiDict

from ztn.gateway.codec_json import JsonCodec, JsonCodecError, codec_for
from ztn.gateway.cors import RestCors
from ztn.gateway.errors import HTML, JSON, ErrorRenderer, header_safe, simple_error
from ztn.gateway.invoke import CallResult, invoke
from ztn.gateway.json_style import CANONICAL, JsonStyle
from ztn.gateway.metadata import HeaderRules, MetadataError, encode_value, parse_grpc_timeout, rest_metadata
from ztn.gateway.pattern import PathError
from ztn.gateway.query import QueryBinder, QueryError, set_value
from ztn.gateway.registry import Registry
from ztn.gateway.routes import MethodNotAllowed, Route, RouteNotFound, RouteTable

log = logging.getLogger("ztn.gateway.rest")

HTTP_CODE_KEY = "x-http-code"
_HTTP_BODY = "google.api.HttpBody"
_NO_BODY_STATUS = frozenset({204, 304})
_HEADER_KEY = re.compile(r"^[0-9a-z._-]+$")
_INT64 = frozenset(
    {
        FieldDescriptor.TYPE_INT64,
        FieldDescriptor.TYPE_UINT64,
        FieldDescriptor.TYPE_SINT64,
        FieldDescriptor.TYPE_FIXED64,
        FieldDescriptor.TYPE_SFIXED64,
    }
)


class _BadRequest(Exception):
    def __init__(self, message: str, code: grpc.StatusCode = grpc.StatusCode.INVALID_ARGUMENT, http: int = 0):
        super().__init__(message)
        self.code = code
        self.http = http or None


class _Plan:
    """Everything one route needs per request, computed once."""

    def __init__(self, route: Route) -> None:
        info = route.method
        self.route = route
        self.codec: JsonCodec = codec_for(info.options.json_style)
        self.request_cls = info.request_cls
        self.variables = tuple(
            (var.field_path, chain, ".".join(var.field_path))
            for var, chain in zip(route.pattern.variables, route.path_chains, strict=True)
        )
        self.query: QueryBinder | None = None
        if route.body != "*":  # grpc-gateway does not read the query of body:"*" bindings
            excluded = [tuple(p.split(".")) for p in route.path_fields]
            if route.body_field is not None:
                excluded.append((route.body_field.name,))
            self.query = QueryBinder(info.request_cls.DESCRIPTOR, excluded)
        self.http_body = info.response_cls.DESCRIPTOR.full_name == _HTTP_BODY
        body_type = route.body_field.message_type if route.body_field is not None else None
        self.raw_body = body_type is not None and body_type.full_name == _HTTP_BODY
        """The body field is a google.api.HttpBody: it gets the raw bytes and the Content-Type."""
        self.errors = ErrorRenderer(info.options.error_format, self.codec)
        self.cors = service_cors(route)
        """The service's own CORS policy for this route's responses (None: none, or exempt)."""
        fd = route.response_field
        self.response_key = ""
        self.response_zero: Any = None
        if fd is not None:
            style = info.options.json_style
            self.response_key = fd.name if style.proto_names else fd.json_name
            self.response_zero = _zero_json(fd, style)

    async def request(self, http: web.Request, path_values: dict[tuple[str, ...], str]) -> Message:
        route = self.route
        if self.raw_body:
            msg = self.request_cls()
            data = await _read_body(http)
            if data:  # no body leaves the field unset
                raw = getattr(msg, route.body_field.name)
                raw.data = data
                raw.content_type = http.headers.get("Content-Type", "")
        elif route.body:
            data = await _read_body(http)
            try:
                if route.body_field is None:
                    msg = self.codec.decode(data, self.request_cls)
                else:
                    msg = self.request_cls()
                    if data.strip():
                        self.codec.merge_field(orjson.loads(data), route.body_field.name, msg)
            except orjson.JSONDecodeError as e:
                raise _BadRequest(f"malformed JSON: {e}") from None
            except JsonCodecError as e:
                raise _BadRequest(str(e)) from None
            except RecursionError:
                raise _BadRequest("request body nested too deeply") from None
        else:
            msg = self.request_cls()
        for names, chain, dotted in self.variables:
            try:
                set_value(msg, chain, [path_values[names]])
            except (QueryError, ValueError, TypeError) as e:
                raise _BadRequest(f"type mismatch, parameter: {dotted}, error: {e}") from None
        if self.query is not None and http.rel_url.raw_query_string:
            try:
                self.query.bind(msg, http.rel_url.query)
            except QueryError as e:
                raise _BadRequest(str(e)) from None
        return msg

    def response(self, result: CallResult, cors: dict[str, str]) -> web.Response:
        headers: CIMultiDict[str] = CIMultiDict(cors)
        status = 0
        for key, value in result.header_metadata:
            if key == HTTP_CODE_KEY:
                status = _http_code(value)
                continue
            if _HEADER_KEY.match(key):
                headers.add("Grpc-Metadata-" + key, header_safe(encode_value(key, value)))
        for key, value in result.trailer_metadata:
            if _HEADER_KEY.match(key):
                headers.add("Grpc-Trailer-" + key, header_safe(encode_value(key, value)))
        if not result.ok or result.response is None:
            return self.errors.status(result.status(), headers)
        status = status or self.route.success_code
        if status in _NO_BODY_STATUS:
            return web.Response(status=status, headers=headers)
        response = result.response
        try:
            if self.http_body:
                headers["Content-Type"] = response.content_type or JSON
                return web.Response(status=status, body=response.data, headers=headers)
            if self.response_key:
                value = self.codec.to_obj(response).get(self.response_key, self.response_zero)
                body = orjson.dumps(value)
            else:
                body = self.codec.encode(response)
        except (JsonCodecError, TypeError, ValueError, RecursionError) as e:
            log.warning("cannot marshal the response of %s: %s", self.route.method.path, e)
            message = "failed to marshal response"
            return self.errors.simple(grpc.StatusCode.INTERNAL, message, headers=headers)
        headers["Content-Type"] = JSON
        return web.Response(status=status, body=body, headers=headers)


class RestDoor:
    def __init__(
        self,
        registry: Registry,
        header_rules: HeaderRules,
        default_style: JsonStyle = CANONICAL,
        allow_delete_body: bool = True,
    ) -> None:
        """``default_style`` renders errors that belong to no service (unknown path, bad escapes)."""
        self.table = RouteTable(registry.methods.values(), allow_delete_body)
        self._plans = {route: _Plan(route) for route in self.table.routes}
        self._header_rules = header_rules
        self._codec = codec_for(default_style)
        self._cors_services = any(p.cors is not None for p in self._plans.values())
        self._cors_memo: dict[tuple[_Plan, str], dict[str, str]] = {}

    async def handle(self, request: web.Request) -> web.StreamResponse:
        codec = self._codec
        raw_path = request.rel_url.raw_path
        try:
            # HEAD is GET without a body (RFC 9110 §9.3.2); aiohttp drops the body of HEAD answers.
            method = "GET" if request.method == "HEAD" else request.method
            match = self.table.lookup(method, raw_path)
        except PathError as e:
            return simple_error(grpc.StatusCode.INVALID_ARGUMENT, str(e), codec)
        except RouteNotFound:
            if self.table.slash_redirect(raw_path):
                query = request.rel_url.raw_query_string
                location = raw_path + "/" + (f"?{query}" if query else "")
                # Django's redirect: empty HTML body; the body of a POST is not kept.
                return web.Response(status=301, headers={"Location": location, "Content-Type": HTML})
            return simple_error(grpc.StatusCode.NOT_FOUND, "Not Found", codec)
        except MethodNotAllowed as e:
            plan = self._plans[e.route]
            headers = CIMultiDict({"Allow": ", ".join(e.allow)})
            if plan.cors is not None:
                headers.update(self._cors(plan, raw_path))
            return plan.errors.method_not_allowed(headers)
        plan = self._plans[match.route]
        cors = self._cors(plan, raw_path) if plan.cors is not None else {}
        peer = request.remote or ""
        try:
            metadata = rest_metadata(request.headers, peer, self._header_rules)
            timeout = parse_grpc_timeout(request.headers.get("Grpc-Timeout"))
            message = await plan.request(request, match.path_values)
        except (MetadataError, PathError) as e:
            return plan.errors.simple(grpc.StatusCode.INVALID_ARGUMENT, str(e), headers=CIMultiDict(cors))
        except _BadRequest as e:
            return plan.errors.simple(e.code, str(e), e.http, CIMultiDict(cors))
        result = await invoke(match.route.method, message, metadata, peer, timeout)
        return plan.response(result, cors)

    def service_preflight(self, request: web.Request) -> web.Response | None:
        """OPTIONS on a path routed to a service with its own CORS policy: 204 with its headers, no
        call, no authentication. None otherwise (including paths whose routes are all exempt)."""
        if not self._cors_services:
            return None
        routes = self.table.routes_on(request.rel_url.raw_path)
        policy = next((p.cors for p in map(self._plans.__getitem__, routes) if p.cors is not None), None)
        if policy is None:
            return None
        return web.Response(status=204, headers=policy.headers([r.http_method for r in routes]))

    def _cors(self, plan: _Plan, raw_path: str) -> dict[str, str]:
        """The route's CORS headers with the methods routed on this path (memoised per route and path:
        a path's method set never changes)."""
        key = (plan, raw_path)
        headers = self._cors_memo.get(key)
        if headers is None:
            assert plan.cors is not None
            headers = plan.cors.headers([r.http_method for r in self.table.routes_on(raw_path)])
            if len(self._cors_memo) > 10_000:
                self._cors_memo.clear()
            self._cors_memo[key] = headers
        return headers


def service_cors(route: Route) -> RestCors | None:
    """The CORS policy a route's responses carry: its service's, unless the RPC is exempt."""
    policy = route.method.options.cors
    if policy is None or route.method.name in policy.exempt_methods:
        return None
    return policy


async def _read_body(request: web.Request) -> bytes:
    """The raw body; transport failures become client errors, never a 500 (spec gateway.md §9)."""
    try:
        return await request.read()
    except HTTPRequestEntityTooLarge as e:
        code = grpc.StatusCode.RESOURCE_EXHAUSTED
        raise _BadRequest(e.text or "request body too large", code, 413) from None
    except RequestPayloadError:
        raise _BadRequest("unreadable request body (bad encoding or compression)") from None
    except ConnectionResetError:  # aiohttp's ClientConnectionResetError is one
        # The client is gone; whatever we answer is never read.
        raise _BadRequest("client closed the request", grpc.StatusCode.CANCELLED) from None


def _http_code(value: str | bytes) -> int:
    text = value.decode("latin-1") if isinstance(value, bytes) else value
    return int(text) if text.isdigit() and 200 <= int(text) <= 599 else 0


def _zero_json(fd: FieldDescriptor, style: JsonStyle) -> Any:
    """What a ``response_body`` field prints as when the style omitted it (it was unpopulated)."""
    if fd.message_type is not None and fd.message_type.GetOptions().map_entry:
        return {}
    if fd.is_repeated:
        return []
    if fd.message_type is not None:
        return None if style.null_unset_messages else {}
    if fd.type == FieldDescriptor.TYPE_ENUM:
        return 0 if style.enums_as_ints else fd.enum_type.values[0].name
    if fd.type in _INT64:
        return 0 if style.int64_as_numbers else "0"
    if fd.type == FieldDescriptor.TYPE_BOOL:
        return False
    if fd.type in (FieldDescriptor.TYPE_STRING, FieldDescriptor.TYPE_BYTES):
        return ""
    return 0
