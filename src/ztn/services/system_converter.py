"""System API messages <-> domain values (both directions), so the servicer stays thin."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime

from zitadel import instance_pb2, object_pb2, system_pb2
from ztn.domain import models as d
from ztn.services.timestamps import timestamp

_STATE = {d.InstanceState.RUNNING: instance_pb2.STATE_RUNNING}

# --- requests -> domain ------------------------------------------------------------------------------


def list_query(msg: object_pb2.ListQuery) -> d.ListQuery:
    return d.ListQuery(offset=msg.offset, limit=msg.limit, asc=msg.asc)


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
            out.append(d.DomainTextFilter(q.domain_query.domain, d.TextMethod(q.domain_query.method)))
        elif kind == "generated_query":
            out.append(d.DomainGeneratedFilter(q.generated_query.generated))
        elif kind == "primary_query":
            out.append(d.DomainPrimaryFilter(q.primary_query.primary))
    return out


def instance_sort(value: int) -> d.InstanceSort:
    return d.InstanceSort(value) if value in d.InstanceSort._value2member_map_ else d.InstanceSort.UNSPECIFIED


def domain_sort(value: int) -> d.DomainSort:
    return d.DomainSort(value) if value in d.DomainSort._value2member_map_ else d.DomainSort.UNSPECIFIED


def _expiration(msg: object, has: bool) -> datetime | None:
    if not has:
        return None
    return msg.ToDatetime(tzinfo=UTC)  # type: ignore[attr-defined]


def new_instance(req: system_pb2.CreateInstanceRequest) -> d.NewInstance:
    owner: d.Owner | None = None
    kind = req.WhichOneof("owner")
    if kind == "human":
        h = req.human
        owner = d.HumanOwner(
            email=h.email.email,
            user_name=h.user_name,
            email_verified=h.email.is_email_verified,
            first_name=h.profile.first_name,
            last_name=h.profile.last_name,
            preferred_language=h.profile.preferred_language,
            password=h.password.password,
            password_change_required=h.password.password_change_required,
        )
    elif kind == "machine":
        mach = req.machine
        pat = key = None
        if mach.HasField("personal_access_token"):
            token = mach.personal_access_token
            pat = d.PatRequest(_expiration(token.expiration_date, token.HasField("expiration_date")))
        if mach.HasField("machine_key"):
            mk = mach.machine_key
            key = d.MachineKeyRequest(
                mk.type, _expiration(mk.expiration_date, mk.HasField("expiration_date"))
            )
        owner = d.MachineOwner(user_name=mach.user_name, name=mach.name, pat=pat, machine_key=key)
    return d.NewInstance(
        name=req.instance_name,
        owner=owner,
        first_org_name=req.first_org_name,
        custom_domain=req.custom_domain,
        default_language=req.default_language,
    )


def added_instance(req: system_pb2.AddInstanceRequest) -> d.NewInstance:
    owner = d.HumanOwner(
        email=req.owner_email.email,
        user_name=req.owner_user_name,
        email_verified=req.owner_email.is_email_verified,
        first_name=req.owner_profile.first_name,
        last_name=req.owner_profile.last_name,
        preferred_language=req.owner_profile.preferred_language,
        password=req.owner_password.password,
        password_change_required=req.owner_password.password_change_required,
    )
    return d.NewInstance(
        name=req.instance_name,
        owner=owner,
        first_org_name=req.first_org_name,
        custom_domain=req.custom_domain,
        default_language=req.default_language,
    )


# --- domain -> responses -----------------------------------------------------------------------------


def object_details(details: d.ObjectDetails) -> object_pb2.ObjectDetails:
    """Unset dates stay unset, so they are omitted in JSON (AddInstance has no changeDate)."""
    created, changed = details.creation_date, details.change_date
    return object_pb2.ObjectDetails(
        sequence=details.sequence,
        resource_owner=details.resource_owner,
        creation_date=timestamp(created) if created is not None else None,
        change_date=timestamp(changed) if changed is not None else None,
    )


def list_details(page: d.Page[object], *, total_only: bool = False) -> object_pb2.ListDetails:
    msg = object_pb2.ListDetails(total_result=page.total)
    if not total_only:
        msg.processed_sequence = page.processed_sequence
        if page.view_timestamp is not None:
            msg.view_timestamp.CopyFrom(timestamp(page.view_timestamp))
    return msg


def domain(value: d.InstanceDomain) -> instance_pb2.Domain:
    return instance_pb2.Domain(
        details=object_details(value.details),
        domain=value.domain,
        primary=value.primary,
        generated=value.generated,
    )


def instance(value: d.Instance) -> instance_pb2.Instance:
    return instance_pb2.Instance(
        id=value.id,
        details=object_details(value.details),
        state=_STATE[value.state],
        name=value.name,
        version=value.version,
        domains=[domain(x) for x in value.domains],
    )


def instance_detail(value: d.Instance) -> instance_pb2.InstanceDetail:
    return instance_pb2.InstanceDetail(
        id=value.id,
        details=object_details(value.details),
        state=_STATE[value.state],
        name=value.name,
        version=value.version,
        domains=[domain(x) for x in value.domains],
    )
