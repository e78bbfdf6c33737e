"""datetime -> google.protobuf.Timestamp for converters, without ``FromDatetime``'s overhead.

Every response carries several timestamps (details of each object), so this is on the hot path of
every read; plain arithmetic is about 3x cheaper than ``Timestamp.FromDatetime`` + ``CopyFrom``.
"""

from __future__ import annotations

from datetime import UTC, datetime

from google.protobuf.timestamp_pb2 import Timestamp

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def timestamp(value: datetime) -> Timestamp:
    """A Timestamp of ``value``; a naive datetime is taken as UTC (the store's convention)."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    delta = value - _EPOCH
    return Timestamp(seconds=delta.days * 86400 + delta.seconds, nanos=delta.microseconds * 1000)
