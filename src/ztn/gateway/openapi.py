"""An OpenAPI 3.0.3 document of the REST door, generated from the same route table it serves.

Follows protoc-gen-openapiv2's conventions (spec gateway.md §2.12): operationId ``<Service>_<Method>``
(additional bindings ``<Service>_<Method>2``, ``3``...), one tag per service, path parameters
required, query parameters for every non-path, non-body leaf field (dotted names) unless the
binding has ``body: "*"``, a ``default`` response with the google.rpc.Status shape.

Why 3.0.3 and not Swagger 2.0 (which ZITADEL publishes): 3.0 expresses what the JSON styles print
(``nullable``), map query parameters (``deepObject`` is exactly grpc-gateway's ``mp[key]=value``),
raw ``HttpBody`` responses, and is what current client generators and the openapi validators
prefer; ZITADEL's own docs site converts its Swagger 2.0 files to 3.0 anyway.

Schemas live under ``components/schemas`` named by full proto name and follow the service's
JsonStyle (field names, 64-bit integers, enums, nulls), so the document describes the bytes the
door actually writes. What OpenAPI cannot express is kept, not dropped: operations whose HTTP
method is custom (``SEARCH``, ``*``) or whose path collides with another route's once variables are
reduced to ``{name}`` are listed under the path item's ``x-ztn-operations``, keyed ``"METHOD template"``.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from typing import Any

from google.protobuf.descriptor import Descriptor, EnumDescriptor, FieldDescriptor
from google.rpc import status_pb2

from validate import validate_pb2
from ztn.gateway.json_style import JsonStyle
from ztn.gateway.pattern import Kind, Template
from ztn.gateway.routes import Route

log = logging.getLogger("ztn.gateway.openapi")

Schema = dict[str, Any]
_T = FieldDescriptor
_STANDARD_METHODS = frozenset({"GET", "PUT", "POST", "DELETE", "OPTIONS", "HEAD", "PATCH", "TRACE"})
_NO_CONTENT = frozenset({204, 304})
_HTTP_BODY = "google.api.HttpBody"
_STATUS = status_pb2.Status.DESCRIPTOR
_QUERY_DEPTH = 8  # nested query names deeper than this are not worth listing (recursion is cut anyway)

_INT64 = frozenset({_T.TYPE_INT64, _T.TYPE_SINT64, _T.TYPE_SFIXED64})
_UINT64 = frozenset({_T.TYPE_UINT64, _T.TYPE_FIXED64})
_SCALARS: dict[int, Schema] = {
    _T.TYPE_INT32: {"type": "integer", "format": "int32"},
    _T.TYPE_SINT32: {"type": "integer", "format": "int32"},
    _T.TYPE_SFIXED32: {"type": "integer", "format": "int32"},
    # protoc-gen-openapiv2 documents uint32 as int64: the values do not fit an int32.
    _T.TYPE_UINT32: {"type": "integer", "format": "int64"},
    _T.TYPE_FIXED32: {"type": "integer", "format": "int64"},
    _T.TYPE_FLOAT: {"type": "number", "format": "float"},
    _T.TYPE_DOUBLE: {"type": "number", "format": "double"},
    _T.TYPE_BOOL: {"type": "boolean"},
    _T.TYPE_STRING: {"type": "string"},
    _T.TYPE_BYTES: {"type": "string", "format": "byte"},
}
_WRAPPED = {
    "google.protobuf.DoubleValue": _T.TYPE_DOUBLE,
    "google.protobuf.FloatValue": _T.TYPE_FLOAT,
    "google.protobuf.Int64Value": _T.TYPE_INT64,
    "google.protobuf.UInt64Value": _T.TYPE_UINT64,
    "google.protobuf.Int32Value": _T.TYPE_INT32,
    "google.protobuf.UInt32Value": _T.TYPE_UINT32,
    "google.protobuf.BoolValue": _T.TYPE_BOOL,
    "google.protobuf.StringValue": _T.TYPE_STRING,
    "google.protobuf.BytesValue": _T.TYPE_BYTES,
}
# Well-known types with a JSON form of their own (proto3 JSON mapping), the same in every style.
_WKT_JSON: dict[str, Schema] = {
    "google.protobuf.Timestamp": {"type": "string", "format": "date-time"},
    "google.protobuf.Duration": {"type": "string", "description": "Seconds with an `s` suffix, e.g. `1.5s`."},
    "google.protobuf.FieldMask": {"type": "string", "description": "Comma-separated lowerCamelCase paths."},
    "google.protobuf.Struct": {"type": "object", "additionalProperties": True},
    "google.protobuf.Value": {"description": "Any JSON value."},
    "google.protobuf.ListValue": {"type": "array", "items": {}},
    "google.protobuf.Empty": {"type": "object"},
}
# The same types as query or path text (gateway.md §1.3): Go duration syntax, verbatim mask paths, JSON text.
_WKT_TEXT: dict[str, Schema] = {
    "google.protobuf.Timestamp": {"type": "string", "format": "date-time"},
    "google.protobuf.Duration": {
        "type": "string",
        "description": "Go duration syntax, e.g. `1h30m`, `1.5s`.",
    },
    "google.protobuf.FieldMask": {"type": "string", "description": "Comma-separated field paths."},
    "google.protobuf.Struct": {"type": "string", "description": "A JSON object, as text."},
    "google.protobuf.Value": {"type": "string", "description": "A JSON value, as text."},
    "google.protobuf.ListValue": {"type": "string", "description": "A JSON array, as text."},
}


def build_openapi(
    routes: Iterable[Route], title: str = "ztn", version: str = "version not set"
) -> dict[str, Any]:
    """The OpenAPI 3.0.3 document of ``routes`` (``RouteTable.routes``); call once at start-up."""
    builder = _Builder()
    paths: dict[str, dict[str, Any]] = {}
    tags: dict[str, dict[str, str]] = {}
    for route in routes:
        service = route.method.descriptor.containing_service
        tags.setdefault(service.name, {"name": service.name, "description": service.full_name})
        key = _openapi_path(route.pattern, _param_names(route))
        item = paths.setdefault(key, {})
        operation = builder.operation(route)
        method = route.http_method.lower()
        if route.http_method in _STANDARD_METHODS and method not in item:
            item[method] = operation
        else:
            if route.http_method in _STANDARD_METHODS:
                log.warning("OpenAPI: %s shares %s %s with another route", route.describe(), method, key)
            item.setdefault("x-ztn-operations", {})[f"{route.http_method} {route.template}"] = operation
    return {
        "openapi": "3.0.3",
        "info": {"title": title, "version": version},
        "tags": list(tags.values()),
        "paths": paths,
        "components": {"schemas": dict(sorted(builder.schemas.items()))},
    }


# --- paths ---------------------------------------------------------------------------------------


def _param_names(route: Route) -> dict[tuple[str, ...], str]:
    """Path parameter names: the variable's field path in the style's field names (``{instanceId}``)."""
    style = route.method.options.json_style
    return {
        var.field_path: ".".join(_key(fd, style) for fd in chain)
        for var, chain in zip(route.pattern.variables, route.path_chains, strict=True)
    }


def _openapi_path(template: Template, names: dict[tuple[str, ...], str]) -> str:
    """``/v1/{name=shelves/*}:cancel`` -> ``/v1/{name}:cancel``; anonymous ``*``/``**`` become
    ``{wildcardN}`` parameters so generated clients can still fill them."""
    parts: list[str] = []
    by_start = {v.start: v for v in template.variables}
    i, wild = 0, 0
    while i < len(template.segments):
        var = by_start.get(i)
        if var is not None:
            parts.append("{" + names[var.field_path] + "}")
            i = var.end
            continue
        seg = template.segments[i]
        if seg.kind is Kind.LITERAL:
            parts.append(seg.text)
        else:
            wild += 1
            parts.append("{" + _wildcard_name(wild) + "}")
        i += 1
    path = "/" + "/".join(parts) + ("/" if template.trailing_slash and parts else "")
    return path + (":" + template.verb if template.verb else "")


def _wildcard_name(n: int) -> str:
    return "wildcard" if n == 1 else f"wildcard{n}"


def _segment_regex(template: Template, start: int, end: int) -> str:
    out = []
    for seg in template.segments[start:end]:
        if seg.kind is Kind.LITERAL:
            out.append(re.escape(seg.decoded))
        elif seg.kind is Kind.STAR:
            out.append("[^/]+")
        else:
            out.append(".*")
    return "^" + "/".join(out) + "$"


# --- operations and schemas ----------------------------------------------------------------------


_MESSAGE_ERROR: Schema = {
    "type": "object",
    "properties": {"error": {"type": "string"}},
    "description": "The error message (error_format \"message\"); some errors have an empty body.",
}


def _raw_body(route: Route) -> bool:
    fd = route.body_field
    return fd is not None and fd.message_type is not None and fd.message_type.full_name == _HTTP_BODY


def _key(fd: FieldDescriptor, style: JsonStyle) -> str:
    return fd.name if style.proto_names else fd.json_name


def _is_map(fd: FieldDescriptor) -> bool:
    return fd.message_type is not None and fd.message_type.GetOptions().map_entry


def _real_oneof(fd: FieldDescriptor) -> bool:
    oneof = fd.containing_oneof
    return oneof is not None and not (len(oneof.fields) == 1 and oneof.name == "_" + fd.name)


class _Builder:
    def __init__(self) -> None:
        self.schemas: dict[str, Schema] = {}
        self._names: dict[tuple[str, object], str] = {}
        """Schema name by (full proto name, what changes its JSON form: the style, or the enum variant)."""

    # -- operations --

    def operation(self, route: Route) -> dict[str, Any]:
        info = route.method
        style = info.options.json_style
        service = info.descriptor.containing_service.name
        op_id = f"{service}_{info.name}" + (str(route.binding + 1) if route.binding else "")
        op: dict[str, Any] = {"operationId": op_id, "tags": [service]}
        params = self._path_params(route, style) + self._query_params(route, style)
        if params:
            op["parameters"] = params
        if _raw_body(route):  # the bytes as sent, whatever their content type
            op["requestBody"] = {"content": {"*/*": {"schema": {"type": "string", "format": "binary"}}}}
        elif route.body:
            op["requestBody"] = {"content": {"application/json": {"schema": self._body_schema(route, style)}}}
        if info.options.error_format == "message":
            error = _MESSAGE_ERROR
        else:
            error = self.message_ref(_STATUS, style)
        op["responses"] = {
            str(route.success_code): self._success(route, style),
            "default": {
                "description": "An unexpected error response.",
                "content": {"application/json": {"schema": error}},
            },
        }
        return op

    def _path_params(self, route: Route, style: JsonStyle) -> list[dict[str, Any]]:
        template = route.pattern
        names = _param_names(route)
        params = []
        for var, chain in zip(template.variables, route.path_chains, strict=True):
            schema = self.text_schema(chain[-1])
            if var.multi:
                schema["pattern"] = _segment_regex(template, var.start, var.end)
            params.append({"name": names[var.field_path], "in": "path", "required": True, "schema": schema})
        wild = 0
        bound = {i for v in template.variables for i in range(v.start, v.end)}
        for i, seg in enumerate(template.segments):
            if seg.kind is not Kind.LITERAL and i not in bound:
                wild += 1
                params.append(
                    {
                        "name": _wildcard_name(wild),
                        "in": "path",
                        "required": True,
                        "description": "Matches any text; not bound to a request field.",
                        "schema": {"type": "string", "pattern": _segment_regex(template, i, i + 1)},
                    }
                )
        return params

    def _query_params(self, route: Route, style: JsonStyle) -> list[dict[str, Any]]:
        if route.body == "*":  # grpc-gateway does not read the query of such bindings
            return []
        excluded = [tuple(p.split(".")) for p in route.path_fields]
        if route.body_field is not None:
            excluded.append((route.body_field.name,))
        params: list[dict[str, Any]] = []
        self._collect_query(route.method.descriptor.input_type, (), (), excluded, style, params, ())
        return params

    def _collect_query(
        self,
        desc: Descriptor,
        names: tuple[str, ...],
        keys: tuple[str, ...],
        excluded: list[tuple[str, ...]],
        style: JsonStyle,
        out: list[dict[str, Any]],
        seen: tuple[str, ...],
    ) -> None:
        for fd in desc.fields:
            path = (*names, fd.name)
            if any(ex[: len(path)] == path[: len(ex)] and len(ex) <= len(path) for ex in excluded):
                continue  # the field or one of its ancestors is bound from the path or the body
            name = ".".join((*keys, _key(fd, style)))
            mt = fd.message_type
            if _is_map(fd):
                value_fd = mt.fields_by_name["value"]
                if value_fd.message_type is None or value_fd.message_type.full_name in _WKT_TEXT:
                    out.append(
                        {
                            "name": name,
                            "in": "query",
                            "style": "deepObject",
                            "explode": True,
                            "description": f"Map entries as `{name}[key]=value`.",
                            "schema": {"type": "object", "additionalProperties": self.text_schema(value_fd)},
                        }
                    )
                continue
            if mt is None or mt.full_name in _WKT_TEXT or mt.full_name in _WRAPPED:
                schema = self.text_schema(fd)
                param: dict[str, Any] = {"name": name, "in": "query", "schema": schema}
                if fd.is_repeated:
                    param["schema"] = {"type": "array", "items": schema}
                    param["style"] = "form"
                    param["explode"] = True
                out.append(param)
                continue
            # Repeated messages cannot be set from the query; recursion stops at the first repeat.
            if fd.is_repeated or mt.full_name in seen or len(path) >= _QUERY_DEPTH:
                continue
            self._collect_query(
                mt, path, (*keys, _key(fd, style)), excluded, style, out, (*seen, mt.full_name)
            )

    def _body_schema(self, route: Route, style: JsonStyle) -> Schema:
        request = route.method.descriptor.input_type
        if route.body_field is not None:
            return self.field_schema(route.body_field, style)
        top_path = {p.split(".")[0] for p in route.path_fields if "." not in p}
        if not top_path:
            return self.message_ref(request, style)
        # body "*" with path fields: the request minus its top-level path fields (nested path
        # fields stay: their siblings still come from the body).
        name = f"{route.method.descriptor.containing_service.full_name}.{route.method.name}Body"
        if route.binding:
            name += str(route.binding + 1)
        schema = self._message_schema(request, style, skip=top_path)
        schema["description"] = f"{request.full_name} without the fields bound from the path."
        self.schemas[name] = schema
        return {"$ref": f"#/components/schemas/{name}"}

    def _success(self, route: Route, style: JsonStyle) -> dict[str, Any]:
        response: dict[str, Any] = {"description": "A successful response."}
        if route.success_code in _NO_CONTENT:
            return response
        output = route.method.descriptor.output_type
        if output.full_name == _HTTP_BODY:
            response["content"] = {"*/*": {"schema": {"type": "string", "format": "binary"}}}
        elif route.response_field is not None:
            schema = self.field_schema(route.response_field, style)
            response["content"] = {"application/json": {"schema": schema}}
        else:
            response["content"] = {"application/json": {"schema": self.message_ref(output, style)}}
        return response

    # -- schemas (JSON bodies, per style) --

    def message_ref(self, desc: Descriptor, style: JsonStyle) -> Schema:
        if desc.full_name in _WKT_JSON:
            return dict(_WKT_JSON[desc.full_name])
        if desc.full_name in _WRAPPED:
            return self._wrapper(desc, style)
        if desc.full_name == "google.protobuf.Any":
            return {"$ref": f"#/components/schemas/{self._any()}"}
        name = self._names.get((desc.full_name, style))
        if name is None:
            name = self._unique(desc.full_name)
            self._names[(desc.full_name, style)] = name
            self.schemas[name] = {}  # reserve first: recursive messages reach here again
            self.schemas[name] = self._message_schema(desc, style)
        return {"$ref": f"#/components/schemas/{name}"}

    def _unique(self, full_name: str) -> str:
        # The same message under two JSON styles needs two schemas.
        name, n = full_name, 1
        while name in self.schemas:
            n += 1
            name = f"{full_name}_{n}"
        return name

    def _message_schema(self, desc: Descriptor, style: JsonStyle, skip: set[str] = frozenset()) -> Schema:
        props: dict[str, Schema] = {}
        oneofs: dict[str, list[str]] = {}
        required: list[str] = []
        for fd in desc.fields:
            if fd.name in skip:
                continue
            schema = self.field_schema(fd, style)
            if _real_oneof(fd):
                members = [_key(f, style) for f in fd.containing_oneof.fields if f.name not in skip]
                oneofs[fd.containing_oneof.name] = members
                note = f"Part of oneof `{fd.containing_oneof.name}`: at most one of {', '.join(members)}."
                schema = {"allOf": [schema], "description": note} if "$ref" in schema else {**schema}
                schema.setdefault("description", note)
            props[_key(fd, style)] = schema
            rules = _rules(fd)
            if rules is not None and rules.message.required:
                required.append(_key(fd, style))
        out: Schema = {"type": "object", "properties": props}
        if required:
            out["required"] = required
        if oneofs:
            out["x-oneofs"] = oneofs
        return out

    def field_schema(self, fd: FieldDescriptor, style: JsonStyle) -> Schema:
        if _is_map(fd):
            value = self._single(fd.message_type.fields_by_name["value"], style)
            return {"type": "object", "additionalProperties": value}
        rules = _rules(fd)
        single = self._single(fd, style)
        if fd.is_repeated:
            items = rules.repeated.items if rules and rules.HasField("repeated") else None
            array = {"type": "array", "items": _constrain(single, items)}
            return _constrain(array, rules)
        single = _constrain(single, rules)
        # With null_unset_messages the codec prints unset presence fields as null (not oneof members,
        # nor optional scalars that omit_unset_optionals leaves out).
        if (
            style.emit_unpopulated
            and style.null_unset_messages
            and fd.has_presence
            and not _real_oneof(fd)
            and not (style.omit_unset_optionals and fd.message_type is None)
            and not single.get("nullable")
        ):
            return {"allOf": [single], "nullable": True} if "$ref" in single else {**single, "nullable": True}
        return single

    def _single(self, fd: FieldDescriptor, style: JsonStyle) -> Schema:
        if fd.message_type is not None:
            return self.message_ref(fd.message_type, style)
        if fd.enum_type is not None:
            return self._enum_ref(fd.enum_type, style)
        return self._scalar(fd.type, style)

    def _scalar(self, kind: int, style: JsonStyle) -> Schema:
        if kind in _INT64 or kind in _UINT64:
            fmt = "int64" if kind in _INT64 else "uint64"
            return {"type": "integer" if style.int64_as_numbers else "string", "format": fmt}
        return dict(_SCALARS[kind])

    def _wrapper(self, desc: Descriptor, style: JsonStyle) -> Schema:
        return {**self._scalar(_WRAPPED[desc.full_name], style), "nullable": True}

    def _enum_ref(self, enum: EnumDescriptor, style: JsonStyle) -> Schema:
        if enum.full_name == "google.protobuf.NullValue":
            return {"description": "Always JSON null.", "nullable": True}
        variant = "int" if style.enums_as_ints else "name"
        key = (enum.full_name, variant)
        name = self._names.get(key)
        if name is None:
            name = self._unique(enum.full_name)
            self._names[key] = name
            names = [v.name for v in enum.values]
            if variant == "int":
                listing = ", ".join(f"{v.number}={v.name}" for v in enum.values)
                schema: Schema = {
                    "type": "integer",
                    "format": "int32",
                    "enum": [v.number for v in enum.values],
                    "description": listing,
                    "x-enum-varnames": names,
                }
            else:
                schema = {"type": "string", "enum": names, "default": names[0]}
            self.schemas[name] = schema
        return {"$ref": f"#/components/schemas/{name}"}

    def _any(self) -> str:
        name = "google.protobuf.Any"
        self.schemas.setdefault(
            name,
            {
                "type": "object",
                "properties": {
                    "@type": {"type": "string", "description": "The type URL of the packed message."}
                },
                "additionalProperties": True,
                "description": "A packed message: `@type` plus the message's fields (or `value` for WKTs).",
            },
        )
        return name

    # -- schemas for text (path and query values) --

    def text_schema(self, fd: FieldDescriptor) -> Schema:
        rules = _rules(fd)
        if fd.is_repeated and rules is not None and rules.HasField("repeated"):
            rules = rules.repeated.items
        return _constrain(self._text_schema(fd), rules)

    def _text_schema(self, fd: FieldDescriptor) -> Schema:
        mt = fd.message_type
        if mt is not None:
            if mt.full_name in _WRAPPED:
                return self.text_scalar(_WRAPPED[mt.full_name])
            return dict(_WKT_TEXT[mt.full_name])
        if fd.enum_type is not None:
            names = [v.name for v in fd.enum_type.values]
            return {"type": "string", "enum": names, "default": names[0]}
        return self.text_scalar(fd.type)

    @staticmethod
    def text_scalar(kind: int) -> Schema:
        if kind in _INT64:
            return {"type": "string", "format": "int64"}
        if kind in _UINT64:
            return {"type": "string", "format": "uint64"}
        return dict(_SCALARS[kind])


# --- protoc-gen-validate rules as schema constraints (what ValidationMiddleware enforces) ----------


def _rules(fd: FieldDescriptor) -> validate_pb2.FieldRules | None:
    opts = fd.GetOptions()
    return opts.Extensions[validate_pb2.rules] if opts.HasExtension(validate_pb2.rules) else None


def _constrain(schema: Schema, rules: validate_pb2.FieldRules | None) -> Schema:
    """Add the string length/format and repeated item-count rules; others stay in the server's errors."""
    if rules is None or "$ref" in schema:
        return schema
    out = dict(schema)
    kind = rules.WhichOneof("type")
    if kind == "string" and out.get("type") == "string":
        r = rules.string
        if r.HasField("len"):
            out["minLength"] = out["maxLength"] = r.len
        if r.HasField("min_len"):
            out["minLength"] = r.min_len
        if r.HasField("max_len"):
            out["maxLength"] = r.max_len
        if r.email:
            out["format"] = "email"
    elif kind == "repeated" and out.get("type") == "array":
        r = rules.repeated
        if r.HasField("min_items"):
            out["minItems"] = r.min_items
        if r.HasField("max_items"):
            out["maxItems"] = r.max_items
        if r.unique:
            out["uniqueItems"] = True
    return out
