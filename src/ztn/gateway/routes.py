"""The REST route table: every google.api.http binding, checked and ordered once at start-up.

Precedence is by specificity, not registration order (spec gateway.md §1.7): per position a literal
beats ``*``, which beats the end of the template, which beats ``**``; then more segments; then a
verb; declaration order breaks ties. Overlapping templates are logged at start-up, naming both
methods. Lookup works on the raw path (``request.rel_url.raw_path``): one trailing ``/`` is
stripped, malformed escapes are rejected, and routes are bucketed by their first literal segment so
a request only scans the routes that can match.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field

from google.api import annotations_pb2, http_pb2
from google.protobuf.descriptor import Descriptor, FieldDescriptor

from ztn.api import options_pb2
from ztn.gateway.pattern import (
    Kind,
    PathError,
    Template,
    TemplateError,
    check_escapes,
    decode_single,
    overlaps,
    parse_template,
)
from ztn.gateway.query import is_leaf
from ztn.gateway.registry import MethodInfo

log = logging.getLogger("ztn.gateway.routes")

class RouteError(ValueError):
    """A google.api.http annotation the door cannot serve (raised at start-up, naming the method)."""


class RouteNotFound(LookupError):
    """No template matches the path under any HTTP method."""


class MethodNotAllowed(LookupError):
    def __init__(self, allow: list[str], route: Route) -> None:
        super().__init__("Method Not Allowed")
        self.allow = allow
        self.route = route
        """One of the routes on the path (its service decides how the 405 looks)."""


@dataclass(frozen=True, eq=False)
class Route:
    """One HTTP binding of one RPC (the primary rule or one of its additional_bindings)."""

    http_method: str
    """Upper-case HTTP method; ``*`` for ``custom {kind: "*"}`` (any method)."""
    template: str
    """The path template including the service's rest_prefix, e.g. ``/system/v1/instances/{instance_id}``."""
    method: MethodInfo
    body: str
    """``""`` (no body), ``"*"`` (the whole request) or a top-level request field name."""
    response_body: str
    """``""`` (the whole response) or a top-level response field name."""
    path_fields: tuple[str, ...]
    """Dotted proto-name paths of the request fields bound from the path, in template order."""
    success_code: int
    """HTTP status of a successful call (``ztn.api.http_response``; default 200)."""
    binding: int
    """0 for the primary rule, 1.. for additional_bindings in order."""
    pattern: Template = field(repr=False)
    path_chains: tuple[tuple[FieldDescriptor, ...], ...] = field(repr=False)
    """Field descriptors along each path field, parallel to ``path_fields``."""
    body_field: FieldDescriptor | None = field(repr=False)
    response_field: FieldDescriptor | None = field(repr=False)
    order: int = field(repr=False)
    """Declaration order across the table (the last precedence tiebreak)."""

    def describe(self) -> str:
        return f"{self.http_method} {self.template} ({self.method.path})"

    def slash_matches(self, had_slash: bool) -> bool:
        """Trailing-slash rule: a template ending in "/" needs one; a service with ``append_slash``
        (Django-style strict URLs) refuses one elsewhere; other routes tolerate it (grpc-gateway)."""
        if self.pattern.trailing_slash:
            return had_slash
        return not (had_slash and self.method.options.append_slash)


@dataclass(frozen=True)
class RouteMatch:
    route: Route
    path_values: dict[tuple[str, ...], str]
    """Decoded path variable values by proto field-name path."""


class RouteTable:
    def __init__(self, methods: Iterable[MethodInfo], allow_delete_body: bool = True) -> None:
        """Build and check every binding. ``allow_delete_body`` mirrors the grpc-gateway generator flag
        of that name (ZITADEL generates with it on)."""
        routes: list[Route] = []
        for info in methods:
            routes.extend(_method_routes(info, len(routes), allow_delete_body))
        self.routes: list[Route] = routes
        """Every route in declaration order (for OpenAPI and diagnostics)."""
        self._ordered = sorted(routes, key=lambda r: (r.pattern.specificity(), r.order))
        self._warn_overlaps()
        # Bucket by first literal segment; routes starting with a wildcard go into every bucket.
        wild = [r for r in self._ordered if not _first_literal(r)]
        keys = {_first_literal(r) for r in self._ordered} - {""}
        self._buckets: dict[str, list[Route]] = {
            k: [r for r in self._ordered if _first_literal(r) in (k, "")] for k in keys
        }
        self._wild = wild

    def lookup(self, http_method: str, raw_path: str) -> RouteMatch:
        """Find the route for a request. Raises PathError (400), RouteNotFound (404) or
        MethodNotAllowed (405)."""
        segments, had_slash, candidates = self._split(raw_path)
        allow: list[str] = []
        other: Route | None = None
        for route in candidates:
            if route.http_method != http_method and route.http_method != "*" and route.http_method in allow:
                continue
            if not route.slash_matches(had_slash):
                continue
            values = route.pattern.match(segments)
            if values is None:
                continue
            if route.http_method == http_method or route.http_method == "*":
                return RouteMatch(route, values)
            allow.append(route.http_method)
            other = other or route
        if other is not None:
            raise MethodNotAllowed(sorted(set(allow)), other)
        raise RouteNotFound(raw_path)

    def _split(self, raw_path: str) -> tuple[list[str], bool, list[Route]]:
        """The raw path's segments (one trailing "/" stripped), whether it had that "/", and the routes
        that can match it (its first literal's bucket)."""
        if not raw_path.startswith("/"):
            raise PathError("Bad Request")
        check_escapes(raw_path)
        had_slash = len(raw_path) > 1 and raw_path.endswith("/")
        if had_slash:
            raw_path = raw_path[:-1]
        segments = raw_path[1:].split("/") if raw_path != "/" else []
        first = segments[0].partition(":")[0] if segments else ""
        if "%" in first:
            first = decode_single(first)
        return segments, had_slash, self._buckets.get(first, self._wild)

    def routes_on(self, raw_path: str) -> list[Route]:
        """Every route (any HTTP method) whose template matches the path, most specific first; empty
        for an undecodable path. For CORS policies and preflights, not the request hot path."""
        try:
            segments, had_slash, candidates = self._split(raw_path)
            return [
                r for r in candidates if r.slash_matches(had_slash) and r.pattern.match(segments) is not None
            ]
        except PathError:
            return []

    def slash_redirect(self, raw_path: str) -> bool:
        """Django's APPEND_SLASH, for a path that has no route: true when the path with "/" appended
        routes to a trailing-slash template of a service that declared ``append_slash``. A path that
        already ends with "/" is never redirected (an extra trailing slash is a plain 404)."""
        if raw_path.endswith("/"):
            return False
        return any(
            r.method.options.append_slash and r.pattern.trailing_slash for r in self.routes_on(raw_path + "/")
        )

    def _warn_overlaps(self) -> None:
        ordered = self._ordered
        for i, a in enumerate(ordered):
            for b in ordered[i + 1 :]:
                if a.http_method != b.http_method and "*" not in (a.http_method, b.http_method):
                    continue
                fa, fb = _first_literal(a), _first_literal(b)
                if fa and fb and fa != fb:
                    continue
                if overlaps(a.pattern, b.pattern):
                    log.warning(
                        "REST routes overlap: %s takes precedence over %s", a.describe(), b.describe()
                    )


def _first_literal(route: Route) -> str:
    segs = route.pattern.segments
    return segs[0].decoded if segs and segs[0].kind is Kind.LITERAL else ""


def _method_routes(info: MethodInfo, order: int, allow_delete_body: bool) -> list[Route]:
    opts = info.descriptor.GetOptions()
    if not opts.HasExtension(annotations_pb2.http):
        return []
    rule = opts.Extensions[annotations_pb2.http]
    success = 200
    if opts.HasExtension(options_pb2.http_response):
        success = opts.Extensions[options_pb2.http_response].success_code or 200
        if not 200 <= success <= 299:
            raise RouteError(f"{info.path}: ztn.api.http_response success_code {success} is not a 2xx status")
    rules = [rule, *rule.additional_bindings]
    routes = []
    for index, r in enumerate(rules):
        if index and r.additional_bindings:
            raise RouteError(f"{info.path}: additional_bindings may not be nested")
        try:
            routes.append(_route(info, r, index, order + index, success, allow_delete_body))
        except (RouteError, TemplateError) as e:
            raise RouteError(f"{info.path} (binding {index}): {e}") from None
    return routes


def _route(
    info: MethodInfo, rule: http_pb2.HttpRule, index: int, order: int, success: int, allow_delete_body: bool
) -> Route:
    kind = rule.WhichOneof("pattern")
    if kind is None:
        raise RouteError("google.api.http rule has no pattern (get/put/post/delete/patch/custom)")
    if kind == "custom":
        http_method, path = rule.custom.kind.upper(), rule.custom.path
        if not http_method:
            raise RouteError("custom pattern without a kind")
    else:
        http_method, path = kind.upper(), getattr(rule, kind)
    prefix = info.options.rest_prefix.rstrip("/")
    if prefix and not prefix.startswith("/"):
        raise RouteError(f"rest_prefix {prefix!r} must start with '/'")
    text = prefix + path if path != "/" or not prefix else prefix
    pattern = parse_template(text)

    request = info.descriptor.input_type
    chains = tuple(_path_chain(request, var.field_path) for var in pattern.variables)

    body_field = None
    if rule.body:
        if http_method == "GET":
            raise RouteError("a GET binding cannot have a body")
        if http_method == "DELETE" and not allow_delete_body:
            raise RouteError("a DELETE binding cannot have a body (allow_delete_body is off)")
        if rule.body != "*":
            body_field = request.fields_by_name.get(rule.body)
            if body_field is None:
                raise RouteError(f"body field {rule.body!r} is not a top-level field of {request.full_name}")

    response_field = None
    if rule.response_body and rule.response_body != "*":
        response_field = info.descriptor.output_type.fields_by_name.get(rule.response_body)
        if response_field is None:
            raise RouteError(
                f"response_body {rule.response_body!r} is not a top-level field of "
                f"{info.descriptor.output_type.full_name}"
            )
    return Route(
        http_method=http_method,
        template=text,
        method=info,
        body=rule.body,
        response_body=rule.response_body if response_field is not None else "",
        path_fields=tuple(".".join(v.field_path) for v in pattern.variables),
        success_code=success,
        binding=index,
        pattern=pattern,
        path_chains=chains,
        body_field=body_field,
        response_field=response_field,
        order=order,
    )


def _path_chain(desc: Descriptor, names: tuple[str, ...]) -> tuple[FieldDescriptor, ...]:
    """Check a path variable's field path: singular message intermediates, a non-repeated leaf that
    text can fill (scalar, enum or supported well-known type)."""
    chain: list[FieldDescriptor] = []
    dotted = ".".join(names)
    for i, name in enumerate(names):
        fd = desc.fields_by_name.get(name)
        if fd is None:
            raise RouteError(f"path variable {dotted!r}: no field {name!r} in {desc.full_name}")
        chain.append(fd)
        if fd.is_repeated:
            # The spec forbids repeated and map path fields (grpc-gateway comma-splits; we refuse).
            raise RouteError(f"path variable {dotted!r}: {name!r} is a repeated or map field")
        if i < len(names) - 1:
            if fd.message_type is None:
                raise RouteError(f"path variable {dotted!r}: {name!r} is not a message")
            desc = fd.message_type
        elif not is_leaf(fd):
            raise RouteError(f"path variable {dotted!r}: {fd.message_type.full_name} is not a leaf type")
    return tuple(chain)
