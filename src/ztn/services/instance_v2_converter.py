"""Instance service v2 messages <-> domain values (both directions), so the servicer stays thin.

v2 lists page with ``zitadel.filter.v2.PaginationRequest``: limit 0 means the default of 100, above
the maximum (1000) the domain rejects it (``QUERY-4M0fs``); the response echoes the applied limit.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from datetime import datetime
from typing import TypeVar

from google.protobuf import timestamp_pb2

from zitadel.filter.v2 import filter_pb2
from zitadel.instance.v2 import instance_pb2
from ztn.domain import models as d
from ztn.domain.trusted_domains import TrustedDomain, TrustedDomainSort

DEFAULT_LIMIT = 100
E = TypeVar("E", bound=enum.IntEnum)
_STATE = {d.InstanceState.RUNNING: instance_pb2.STATE_RUNNING}

# --- requests -> domain ------------------------------------------------------------------------------


def list_query(pagination: filter_pb2.PaginationRequest) -> d.ListQuery:
    """Works for v2 and v2beta PaginationRequest (same fields)."""
    return d.ListQuery(offset=pagination.offset, limit=pagination.limit or DEFAULT_LIMIT, asc=pagination.asc)


def _known(cls: type[E], value: int) -> E:
    """Unknown enum numbers (possible over JSON/binary) sort like UNSPECIFIED."""
    return cls(value) if value in cls._value2member_map_ else cls(0)


def instance_sort(value: int) -> d.InstanceSort:
    return _known(d.InstanceSort, value)


def domain_sort(value: int) -> d.DomainSort:
    return _known(d.DomainSort, value)


def trusted_domain_sort(value: int) -> TrustedDomainSort:
    return _known(TrustedDomainSort, value)


def text_filter(msg: instance_pb2.DomainFilter) -> d.DomainTextFilter:
    """Works for v2 DomainFilter and v2beta DomainQuery (same fields)."""
    return d.DomainTextFilter(msg.domain, d.TextMethod(msg.method))


def instance_filters(filters: Iterable[instance_pb2.Filter]) -> list[d.InstanceFilter]:
    out: list[d.InstanceFilter] = []
    for f in filters:
        kind = f.WhichOneof("filter")
        if kind == "in_ids_filter":
            out.append(d.InstanceIdsFilter(tuple(f.in_ids_filter.ids)))
        elif kind == "custom_domains_filter":
            out.append(d.InstanceDomainsFilter(tuple(f.custom_domains_filter.domains)))
    return out


def custom_domain_filters(filters: Iterable[instance_pb2.CustomDomainFilter]) -> list[d.DomainFilter]:
    out: list[d.DomainFilter] = []
    for f in filters:
        kind = f.WhichOneof("filter")
        if kind == "domain_filter":
            out.append(text_filter(f.domain_filter))
        elif kind == "generated_filter":
            out.append(d.DomainGeneratedFilter(f.generated_filter))
        elif kind == "primary_filter":
            out.append(d.DomainPrimaryFilter(f.primary_filter))
    return out


def trusted_domain_filters(filters: Iterable[instance_pb2.TrustedDomainFilter]) -> list[d.DomainTextFilter]:
    return [text_filter(f.domain_filter) for f in filters if f.WhichOneof("filter") == "domain_filter"]


# --- domain -> responses -----------------------------------------------------------------------------


def timestamp(value: datetime | None) -> timestamp_pb2.Timestamp | None:
    """None stays unset, so the field is omitted in JSON."""
    if value is None:
        return None
    ts = timestamp_pb2.Timestamp()
    ts.FromDatetime(value)
    return ts


def pagination(page: d.Page[object], query: d.ListQuery) -> filter_pb2.PaginationResponse:
    return filter_pb2.PaginationResponse(total_result=page.total, applied_limit=query.limit)


def custom_domain(value: d.InstanceDomain) -> instance_pb2.CustomDomain:
    return instance_pb2.CustomDomain(
        instance_id=value.details.resource_owner,
        creation_date=timestamp(value.details.creation_date),
        domain=value.domain,
        primary=value.primary,
        generated=value.generated,
    )


def instance(value: d.Instance) -> instance_pb2.Instance:
    return instance_pb2.Instance(
        id=value.id,
        change_date=timestamp(value.details.change_date),
        creation_date=timestamp(value.details.creation_date),
        state=_STATE[value.state],
        name=value.name,
        version=value.version,
        custom_domains=[custom_domain(x) for x in value.domains],
    )


def trusted_domain(value: TrustedDomain) -> instance_pb2.TrustedDomain:
    return instance_pb2.TrustedDomain(
        instance_id=value.instance_id, creation_date=timestamp(value.creation_date), domain=value.domain
    )
