"""Domain values -> ztn.healthchecks.v3 messages, shaped as Healthchecks prints them (spec §2, §5-7).

Which optional fields are set decides which JSON keys appear (the REST style omits unset optionals):
read-write keys see uuid/URLs/channels, read-only keys see unique_key; simple checks show timeout,
cron and OnCalendar checks schedule and tz; last_duration only when non-zero.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from google.protobuf.timestamp_pb2 import Timestamp

from ztn.domain.hc.keys import unique_key
from ztn.domain.hc.models import SIMPLE, UP, Channel, Check, Flip, Ping
from ztn.domain.hc.status import next_ping, reported_status
from ztn.healthchecks.v3 import healthchecks_pb2 as pb
from ztn.services.timestamps import timestamp

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def _seconds(value: datetime) -> Timestamp:
    """Whole seconds (truncated): check and flip times are printed without fractions."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    delta = value - _EPOCH
    return Timestamp(seconds=delta.days * 86400 + delta.seconds)


def check_fields(c: Check, read_only: bool, version: int, now: datetime, site_root: str) -> dict[str, Any]:
    """The Check message's fields as constructor arguments: one constructor call per check is the
    cheapest way to build a thousand of them (field-by-field assignment crosses into C each time)."""
    fields: dict[str, Any] = {
        "name": c.name,
        "slug": c.slug,
        "tags": c.tags,
        "desc": c.desc,
        "grace": c.grace,
        "n_pings": c.n_pings,
        "status": reported_status(c, now, v1=version == 1),
        "started": c.last_start is not None,
        "manual_resume": c.manual_resume,
        "methods": c.methods,
        "subject": c.success_kw if c.filter_subject else "",
        "subject_fail": c.failure_kw if c.filter_subject else "",
        "start_kw": c.start_kw,
        "success_kw": c.success_kw,
        "failure_kw": c.failure_kw,
        "filter_subject": c.filter_subject,
        "filter_body": c.filter_body,
        "filter_http_body": c.filter_http_body,
        "filter_default_fail": c.filter_default_fail,
        "badge_url": f"{site_root}/b/2/{c.badge_key}.svg",
    }
    if c.last_ping is not None:
        fields["last_ping"] = _seconds(c.last_ping)
    expected = next_ping(c)
    if expected is not None:
        fields["next_ping"] = _seconds(expected)
    if c.last_duration:  # None and a zero duration are omitted; 0.53 s is printed as 0
        fields["last_duration"] = int(c.last_duration)
    if read_only:
        fields["unique_key"] = unique_key(c.code)
    else:
        update_url = f"{site_root}/api/v{version}/checks/{c.code}"
        fields["uuid"] = c.code
        fields["ping_url"] = f"{site_root}/ping/{c.code}"
        fields["update_url"] = update_url
        fields["pause_url"] = update_url + "/pause"
        fields["resume_url"] = update_url + "/resume"
        fields["channels"] = ",".join(sorted(c.channel_ids))
    if c.kind == SIMPLE:
        fields["timeout"] = c.timeout
    else:
        fields["schedule"] = c.schedule
        fields["tz"] = c.tz
    return fields


def check(c: Check, read_only: bool, version: int, now: datetime, site_root: str) -> pb.Check:
    return pb.Check(**check_fields(c, read_only, version, now, site_root))


def check_list(
    items: Iterable[Check], read_only: bool, version: int, now: datetime, site_root: str
) -> pb.ListChecksResponse:
    """Built in place: handing a list of finished messages to the response would copy each one."""
    response = pb.ListChecksResponse()
    add = response.checks.add
    for c in items:
        add(**check_fields(c, read_only, version, now, site_root))
    return response


def ping(p: Ping, duration: float | None, code: str, version: int, site_root: str) -> pb.Ping:
    msg = pb.Ping(type=p.kind, n=p.n, scheme=p.scheme, method=p.method, ua=p.ua)
    msg.date.CopyFrom(timestamp(p.created))  # microseconds kept
    if p.remote_addr is not None:
        msg.remote_addr.value = p.remote_addr
    if p.rid is not None:
        msg.rid.value = p.rid
    if p.body_size:
        msg.body_url.value = f"{site_root}/api/v{version}/checks/{code}/pings/{p.n}/body"
    if duration is not None:
        msg.duration = duration
    return msg


def flip(f: Flip) -> pb.Flip:
    return pb.Flip(timestamp=_seconds(f.created), up=1 if f.new_status == UP else 0)


def channel(c: Channel) -> pb.Channel:
    return pb.Channel(id=c.id, name=c.name, kind=c.kind)
