import datetime

from google.api import annotations_pb2 as _annotations_pb2
from google.api import httpbody_pb2 as _httpbody_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf import wrappers_pb2 as _wrappers_pb2
from ztn.api import options_pb2 as _options_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class Check(_message.Message):
    __slots__ = ("name", "slug", "tags", "desc", "grace", "n_pings", "status", "started", "last_ping", "next_ping", "manual_resume", "methods", "subject", "subject_fail", "start_kw", "success_kw", "failure_kw", "filter_subject", "filter_body", "filter_http_body", "filter_default_fail", "badge_url", "last_duration", "unique_key", "uuid", "ping_url", "update_url", "pause_url", "resume_url", "channels", "timeout", "schedule", "tz")
    NAME_FIELD_NUMBER: _ClassVar[int]
    SLUG_FIELD_NUMBER: _ClassVar[int]
    TAGS_FIELD_NUMBER: _ClassVar[int]
    DESC_FIELD_NUMBER: _ClassVar[int]
    GRACE_FIELD_NUMBER: _ClassVar[int]
    N_PINGS_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    STARTED_FIELD_NUMBER: _ClassVar[int]
    LAST_PING_FIELD_NUMBER: _ClassVar[int]
    NEXT_PING_FIELD_NUMBER: _ClassVar[int]
    MANUAL_RESUME_FIELD_NUMBER: _ClassVar[int]
    METHODS_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_FAIL_FIELD_NUMBER: _ClassVar[int]
    START_KW_FIELD_NUMBER: _ClassVar[int]
    SUCCESS_KW_FIELD_NUMBER: _ClassVar[int]
    FAILURE_KW_FIELD_NUMBER: _ClassVar[int]
    FILTER_SUBJECT_FIELD_NUMBER: _ClassVar[int]
    FILTER_BODY_FIELD_NUMBER: _ClassVar[int]
    FILTER_HTTP_BODY_FIELD_NUMBER: _ClassVar[int]
    FILTER_DEFAULT_FAIL_FIELD_NUMBER: _ClassVar[int]
    BADGE_URL_FIELD_NUMBER: _ClassVar[int]
    LAST_DURATION_FIELD_NUMBER: _ClassVar[int]
    UNIQUE_KEY_FIELD_NUMBER: _ClassVar[int]
    UUID_FIELD_NUMBER: _ClassVar[int]
    PING_URL_FIELD_NUMBER: _ClassVar[int]
    UPDATE_URL_FIELD_NUMBER: _ClassVar[int]
    PAUSE_URL_FIELD_NUMBER: _ClassVar[int]
    RESUME_URL_FIELD_NUMBER: _ClassVar[int]
    CHANNELS_FIELD_NUMBER: _ClassVar[int]
    TIMEOUT_FIELD_NUMBER: _ClassVar[int]
    SCHEDULE_FIELD_NUMBER: _ClassVar[int]
    TZ_FIELD_NUMBER: _ClassVar[int]
    name: str
    slug: str
    tags: str
    desc: str
    grace: int
    n_pings: int
    status: str
    started: bool
    last_ping: _timestamp_pb2.Timestamp
    next_ping: _timestamp_pb2.Timestamp
    manual_resume: bool
    methods: str
    subject: str
    subject_fail: str
    start_kw: str
    success_kw: str
    failure_kw: str
    filter_subject: bool
    filter_body: bool
    filter_http_body: bool
    filter_default_fail: bool
    badge_url: str
    last_duration: int
    unique_key: str
    uuid: str
    ping_url: str
    update_url: str
    pause_url: str
    resume_url: str
    channels: str
    timeout: int
    schedule: str
    tz: str
    def __init__(self, name: _Optional[str] = ..., slug: _Optional[str] = ..., tags: _Optional[str] = ..., desc: _Optional[str] = ..., grace: _Optional[int] = ..., n_pings: _Optional[int] = ..., status: _Optional[str] = ..., started: _Optional[bool] = ..., last_ping: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., next_ping: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., manual_resume: _Optional[bool] = ..., methods: _Optional[str] = ..., subject: _Optional[str] = ..., subject_fail: _Optional[str] = ..., start_kw: _Optional[str] = ..., success_kw: _Optional[str] = ..., failure_kw: _Optional[str] = ..., filter_subject: _Optional[bool] = ..., filter_body: _Optional[bool] = ..., filter_http_body: _Optional[bool] = ..., filter_default_fail: _Optional[bool] = ..., badge_url: _Optional[str] = ..., last_duration: _Optional[int] = ..., unique_key: _Optional[str] = ..., uuid: _Optional[str] = ..., ping_url: _Optional[str] = ..., update_url: _Optional[str] = ..., pause_url: _Optional[str] = ..., resume_url: _Optional[str] = ..., channels: _Optional[str] = ..., timeout: _Optional[int] = ..., schedule: _Optional[str] = ..., tz: _Optional[str] = ...) -> None: ...

class CheckFields(_message.Message):
    __slots__ = ("channels", "desc", "failure_kw", "filter_subject", "filter_body", "filter_http_body", "filter_default_fail", "grace", "manual_resume", "methods", "name", "schedule", "slug", "start_kw", "subject", "subject_fail", "success_kw", "tags", "timeout", "tz", "unique")
    CHANNELS_FIELD_NUMBER: _ClassVar[int]
    DESC_FIELD_NUMBER: _ClassVar[int]
    FAILURE_KW_FIELD_NUMBER: _ClassVar[int]
    FILTER_SUBJECT_FIELD_NUMBER: _ClassVar[int]
    FILTER_BODY_FIELD_NUMBER: _ClassVar[int]
    FILTER_HTTP_BODY_FIELD_NUMBER: _ClassVar[int]
    FILTER_DEFAULT_FAIL_FIELD_NUMBER: _ClassVar[int]
    GRACE_FIELD_NUMBER: _ClassVar[int]
    MANUAL_RESUME_FIELD_NUMBER: _ClassVar[int]
    METHODS_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    SCHEDULE_FIELD_NUMBER: _ClassVar[int]
    SLUG_FIELD_NUMBER: _ClassVar[int]
    START_KW_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_FAIL_FIELD_NUMBER: _ClassVar[int]
    SUCCESS_KW_FIELD_NUMBER: _ClassVar[int]
    TAGS_FIELD_NUMBER: _ClassVar[int]
    TIMEOUT_FIELD_NUMBER: _ClassVar[int]
    TZ_FIELD_NUMBER: _ClassVar[int]
    UNIQUE_FIELD_NUMBER: _ClassVar[int]
    channels: str
    desc: str
    failure_kw: str
    filter_subject: bool
    filter_body: bool
    filter_http_body: bool
    filter_default_fail: bool
    grace: int
    manual_resume: bool
    methods: str
    name: str
    schedule: str
    slug: str
    start_kw: str
    subject: str
    subject_fail: str
    success_kw: str
    tags: str
    timeout: int
    tz: str
    unique: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, channels: _Optional[str] = ..., desc: _Optional[str] = ..., failure_kw: _Optional[str] = ..., filter_subject: _Optional[bool] = ..., filter_body: _Optional[bool] = ..., filter_http_body: _Optional[bool] = ..., filter_default_fail: _Optional[bool] = ..., grace: _Optional[int] = ..., manual_resume: _Optional[bool] = ..., methods: _Optional[str] = ..., name: _Optional[str] = ..., schedule: _Optional[str] = ..., slug: _Optional[str] = ..., start_kw: _Optional[str] = ..., subject: _Optional[str] = ..., subject_fail: _Optional[str] = ..., success_kw: _Optional[str] = ..., tags: _Optional[str] = ..., timeout: _Optional[int] = ..., tz: _Optional[str] = ..., unique: _Optional[_Iterable[str]] = ...) -> None: ...

class ListChecksRequest(_message.Message):
    __slots__ = ("api_version", "tag", "slug")
    API_VERSION_FIELD_NUMBER: _ClassVar[int]
    TAG_FIELD_NUMBER: _ClassVar[int]
    SLUG_FIELD_NUMBER: _ClassVar[int]
    api_version: str
    tag: _containers.RepeatedScalarFieldContainer[str]
    slug: str
    def __init__(self, api_version: _Optional[str] = ..., tag: _Optional[_Iterable[str]] = ..., slug: _Optional[str] = ...) -> None: ...

class ListChecksResponse(_message.Message):
    __slots__ = ("checks",)
    CHECKS_FIELD_NUMBER: _ClassVar[int]
    checks: _containers.RepeatedCompositeFieldContainer[Check]
    def __init__(self, checks: _Optional[_Iterable[_Union[Check, _Mapping]]] = ...) -> None: ...

class CreateCheckRequest(_message.Message):
    __slots__ = ("api_version", "json_body", "fields")
    API_VERSION_FIELD_NUMBER: _ClassVar[int]
    JSON_BODY_FIELD_NUMBER: _ClassVar[int]
    FIELDS_FIELD_NUMBER: _ClassVar[int]
    api_version: str
    json_body: _httpbody_pb2.HttpBody
    fields: CheckFields
    def __init__(self, api_version: _Optional[str] = ..., json_body: _Optional[_Union[_httpbody_pb2.HttpBody, _Mapping]] = ..., fields: _Optional[_Union[CheckFields, _Mapping]] = ...) -> None: ...

class GetCheckRequest(_message.Message):
    __slots__ = ("api_version", "check")
    API_VERSION_FIELD_NUMBER: _ClassVar[int]
    CHECK_FIELD_NUMBER: _ClassVar[int]
    api_version: str
    check: str
    def __init__(self, api_version: _Optional[str] = ..., check: _Optional[str] = ...) -> None: ...

class UpdateCheckRequest(_message.Message):
    __slots__ = ("api_version", "check", "json_body", "fields")
    API_VERSION_FIELD_NUMBER: _ClassVar[int]
    CHECK_FIELD_NUMBER: _ClassVar[int]
    JSON_BODY_FIELD_NUMBER: _ClassVar[int]
    FIELDS_FIELD_NUMBER: _ClassVar[int]
    api_version: str
    check: str
    json_body: _httpbody_pb2.HttpBody
    fields: CheckFields
    def __init__(self, api_version: _Optional[str] = ..., check: _Optional[str] = ..., json_body: _Optional[_Union[_httpbody_pb2.HttpBody, _Mapping]] = ..., fields: _Optional[_Union[CheckFields, _Mapping]] = ...) -> None: ...

class DeleteCheckRequest(_message.Message):
    __slots__ = ("api_version", "check")
    API_VERSION_FIELD_NUMBER: _ClassVar[int]
    CHECK_FIELD_NUMBER: _ClassVar[int]
    api_version: str
    check: str
    def __init__(self, api_version: _Optional[str] = ..., check: _Optional[str] = ...) -> None: ...

class PauseCheckRequest(_message.Message):
    __slots__ = ("api_version", "check", "json_body")
    API_VERSION_FIELD_NUMBER: _ClassVar[int]
    CHECK_FIELD_NUMBER: _ClassVar[int]
    JSON_BODY_FIELD_NUMBER: _ClassVar[int]
    api_version: str
    check: str
    json_body: _httpbody_pb2.HttpBody
    def __init__(self, api_version: _Optional[str] = ..., check: _Optional[str] = ..., json_body: _Optional[_Union[_httpbody_pb2.HttpBody, _Mapping]] = ...) -> None: ...

class ResumeCheckRequest(_message.Message):
    __slots__ = ("api_version", "check", "json_body")
    API_VERSION_FIELD_NUMBER: _ClassVar[int]
    CHECK_FIELD_NUMBER: _ClassVar[int]
    JSON_BODY_FIELD_NUMBER: _ClassVar[int]
    api_version: str
    check: str
    json_body: _httpbody_pb2.HttpBody
    def __init__(self, api_version: _Optional[str] = ..., check: _Optional[str] = ..., json_body: _Optional[_Union[_httpbody_pb2.HttpBody, _Mapping]] = ...) -> None: ...

class ListPingsRequest(_message.Message):
    __slots__ = ("api_version", "check")
    API_VERSION_FIELD_NUMBER: _ClassVar[int]
    CHECK_FIELD_NUMBER: _ClassVar[int]
    api_version: str
    check: str
    def __init__(self, api_version: _Optional[str] = ..., check: _Optional[str] = ...) -> None: ...

class Ping(_message.Message):
    __slots__ = ("type", "date", "n", "scheme", "remote_addr", "method", "ua", "rid", "body_url", "duration")
    TYPE_FIELD_NUMBER: _ClassVar[int]
    DATE_FIELD_NUMBER: _ClassVar[int]
    N_FIELD_NUMBER: _ClassVar[int]
    SCHEME_FIELD_NUMBER: _ClassVar[int]
    REMOTE_ADDR_FIELD_NUMBER: _ClassVar[int]
    METHOD_FIELD_NUMBER: _ClassVar[int]
    UA_FIELD_NUMBER: _ClassVar[int]
    RID_FIELD_NUMBER: _ClassVar[int]
    BODY_URL_FIELD_NUMBER: _ClassVar[int]
    DURATION_FIELD_NUMBER: _ClassVar[int]
    type: str
    date: _timestamp_pb2.Timestamp
    n: int
    scheme: str
    remote_addr: _wrappers_pb2.StringValue
    method: str
    ua: str
    rid: _wrappers_pb2.StringValue
    body_url: _wrappers_pb2.StringValue
    duration: float
    def __init__(self, type: _Optional[str] = ..., date: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., n: _Optional[int] = ..., scheme: _Optional[str] = ..., remote_addr: _Optional[_Union[_wrappers_pb2.StringValue, _Mapping]] = ..., method: _Optional[str] = ..., ua: _Optional[str] = ..., rid: _Optional[_Union[_wrappers_pb2.StringValue, _Mapping]] = ..., body_url: _Optional[_Union[_wrappers_pb2.StringValue, _Mapping]] = ..., duration: _Optional[float] = ...) -> None: ...

class ListPingsResponse(_message.Message):
    __slots__ = ("pings",)
    PINGS_FIELD_NUMBER: _ClassVar[int]
    pings: _containers.RepeatedCompositeFieldContainer[Ping]
    def __init__(self, pings: _Optional[_Iterable[_Union[Ping, _Mapping]]] = ...) -> None: ...

class GetPingBodyRequest(_message.Message):
    __slots__ = ("api_version", "check", "n")
    API_VERSION_FIELD_NUMBER: _ClassVar[int]
    CHECK_FIELD_NUMBER: _ClassVar[int]
    N_FIELD_NUMBER: _ClassVar[int]
    api_version: str
    check: str
    n: int
    def __init__(self, api_version: _Optional[str] = ..., check: _Optional[str] = ..., n: _Optional[int] = ...) -> None: ...

class ListFlipsRequest(_message.Message):
    __slots__ = ("api_version", "check", "start", "end", "seconds")
    API_VERSION_FIELD_NUMBER: _ClassVar[int]
    CHECK_FIELD_NUMBER: _ClassVar[int]
    START_FIELD_NUMBER: _ClassVar[int]
    END_FIELD_NUMBER: _ClassVar[int]
    SECONDS_FIELD_NUMBER: _ClassVar[int]
    api_version: str
    check: str
    start: str
    end: str
    seconds: str
    def __init__(self, api_version: _Optional[str] = ..., check: _Optional[str] = ..., start: _Optional[str] = ..., end: _Optional[str] = ..., seconds: _Optional[str] = ...) -> None: ...

class Flip(_message.Message):
    __slots__ = ("timestamp", "up")
    TIMESTAMP_FIELD_NUMBER: _ClassVar[int]
    UP_FIELD_NUMBER: _ClassVar[int]
    timestamp: _timestamp_pb2.Timestamp
    up: int
    def __init__(self, timestamp: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., up: _Optional[int] = ...) -> None: ...

class ListFlipsResponse(_message.Message):
    __slots__ = ("flips",)
    FLIPS_FIELD_NUMBER: _ClassVar[int]
    flips: _containers.RepeatedCompositeFieldContainer[Flip]
    def __init__(self, flips: _Optional[_Iterable[_Union[Flip, _Mapping]]] = ...) -> None: ...

class ListChannelsRequest(_message.Message):
    __slots__ = ("api_version",)
    API_VERSION_FIELD_NUMBER: _ClassVar[int]
    api_version: str
    def __init__(self, api_version: _Optional[str] = ...) -> None: ...

class Channel(_message.Message):
    __slots__ = ("id", "name", "kind")
    ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    id: str
    name: str
    kind: str
    def __init__(self, id: _Optional[str] = ..., name: _Optional[str] = ..., kind: _Optional[str] = ...) -> None: ...

class ListChannelsResponse(_message.Message):
    __slots__ = ("channels",)
    CHANNELS_FIELD_NUMBER: _ClassVar[int]
    channels: _containers.RepeatedCompositeFieldContainer[Channel]
    def __init__(self, channels: _Optional[_Iterable[_Union[Channel, _Mapping]]] = ...) -> None: ...

class ListBadgesRequest(_message.Message):
    __slots__ = ("api_version",)
    API_VERSION_FIELD_NUMBER: _ClassVar[int]
    api_version: str
    def __init__(self, api_version: _Optional[str] = ...) -> None: ...

class BadgeUrls(_message.Message):
    __slots__ = ("svg", "svg3", "json", "json3", "shields", "shields3")
    SVG_FIELD_NUMBER: _ClassVar[int]
    SVG3_FIELD_NUMBER: _ClassVar[int]
    JSON_FIELD_NUMBER: _ClassVar[int]
    JSON3_FIELD_NUMBER: _ClassVar[int]
    SHIELDS_FIELD_NUMBER: _ClassVar[int]
    SHIELDS3_FIELD_NUMBER: _ClassVar[int]
    svg: str
    svg3: str
    json: str
    json3: str
    shields: str
    shields3: str
    def __init__(self, svg: _Optional[str] = ..., svg3: _Optional[str] = ..., json: _Optional[str] = ..., json3: _Optional[str] = ..., shields: _Optional[str] = ..., shields3: _Optional[str] = ...) -> None: ...

class ListBadgesResponse(_message.Message):
    __slots__ = ("badges",)
    class BadgesEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: BadgeUrls
        def __init__(self, key: _Optional[str] = ..., value: _Optional[_Union[BadgeUrls, _Mapping]] = ...) -> None: ...
    BADGES_FIELD_NUMBER: _ClassVar[int]
    badges: _containers.MessageMap[str, BadgeUrls]
    def __init__(self, badges: _Optional[_Mapping[str, BadgeUrls]] = ...) -> None: ...

class GetStatusRequest(_message.Message):
    __slots__ = ("api_version",)
    API_VERSION_FIELD_NUMBER: _ClassVar[int]
    api_version: str
    def __init__(self, api_version: _Optional[str] = ...) -> None: ...

class PingRequest(_message.Message):
    __slots__ = ("check", "ping_key", "slug", "action", "exit_status", "rid", "body", "create")
    CHECK_FIELD_NUMBER: _ClassVar[int]
    PING_KEY_FIELD_NUMBER: _ClassVar[int]
    SLUG_FIELD_NUMBER: _ClassVar[int]
    ACTION_FIELD_NUMBER: _ClassVar[int]
    EXIT_STATUS_FIELD_NUMBER: _ClassVar[int]
    RID_FIELD_NUMBER: _ClassVar[int]
    BODY_FIELD_NUMBER: _ClassVar[int]
    CREATE_FIELD_NUMBER: _ClassVar[int]
    check: str
    ping_key: str
    slug: str
    action: str
    exit_status: int
    rid: str
    body: bytes
    create: bool
    def __init__(self, check: _Optional[str] = ..., ping_key: _Optional[str] = ..., slug: _Optional[str] = ..., action: _Optional[str] = ..., exit_status: _Optional[int] = ..., rid: _Optional[str] = ..., body: _Optional[bytes] = ..., create: _Optional[bool] = ...) -> None: ...

class PingResponse(_message.Message):
    __slots__ = ("message", "created")
    MESSAGE_FIELD_NUMBER: _ClassVar[int]
    CREATED_FIELD_NUMBER: _ClassVar[int]
    message: str
    created: bool
    def __init__(self, message: _Optional[str] = ..., created: _Optional[bool] = ...) -> None: ...
