"""Instance service v2beta messages <-> domain values.

v2beta differs from v2 only in names (``Domain`` for ``CustomDomain``, ``queries`` for ``filters``,
``domain`` for ``custom_domain``/``trusted_domain``); pagination, sorting and text filters are shared
with the v2 converter because their fields are identical.
"""

from __future__ import annotations

from collections.abc import Iterable

from zitadel.filter.v2beta import filter_pb2
from zitadel.instance.v2beta import instance_pb2
from ztn.domain import models as d
from ztn.domain.trusted_domains import TrustedDomain
from ztn.services.instance_v2_converter import text_filter, timestamp

_STATE = {d.InstanceState.RUNNING: instance_pb2.STATE_RUNNING}

# --- requests -> domain ------------------------------------------------------------------------------


def instance_filters(queries: Iterable[instance_pb2.Query]) -> list[d.InstanceFilter]:
    out: list[d.InstanceFilter] = []
    for q in queries:
        kind = q.WhichOneof("query")
        if kind == "id_query":
            out.append(d.InstanceIdsFilter(tuple(q.id_query.ids)))
        elif kind == "domain_query":
            out.append(d.InstanceDomainsFilter(tuple(q.domain_query.domains)))
    return out


def domain_filters(queries: Iterable[instance_pb2.DomainSearchQuery]) -> list[d.DomainFilter]:
    out: list[d.DomainFilter] = []
    for q in queries:
        kind = q.WhichOneof("query")
        if kind == "domain_query":
            out.append(text_filter(q.domain_query))
        elif kind == "generated_query":
            out.append(d.DomainGeneratedFilter(q.generated_query.generated))
        elif kind == "primary_query":
            out.append(d.DomainPrimaryFilter(q.primary_query.primary))
    return out


def trusted_domain_filters(
    queries: Iterable[instance_pb2.TrustedDomainSearchQuery],
) -> list[d.DomainTextFilter]:
    return [text_filter(q.domain_query) for q in queries if q.WhichOneof("query") == "domain_query"]


# --- domain -> responses -----------------------------------------------------------------------------


def pagination(page: d.Page[object], query: d.ListQuery) -> filter_pb2.PaginationResponse:
    return filter_pb2.PaginationResponse(total_result=page.total, applied_limit=query.limit)


def domain(value: d.InstanceDomain) -> instance_pb2.Domain:
    return instance_pb2.Domain(
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
        domains=[domain(x) for x in value.domains],
    )


def trusted_domain(value: TrustedDomain) -> instance_pb2.TrustedDomain:
    return instance_pb2.TrustedDomain(
        instance_id=value.instance_id, creation_date=timestamp(value.creation_date), domain=value.domain
    )
