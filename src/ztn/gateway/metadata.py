"""HTTP headers <-> gRPC metadata, and timeouts.

REST follows grpc-gateway's DefaultHeaderMatcher (permanent headers as ``grpcgateway-*``,
``Grpc-Metadata-*`` unprefixed, ``authorization`` kept) plus configured pass-through names and
prefixes (ZITADEL forwards ``x-zitadel-*``). grpc-web and Connect carry metadata as plain headers,
so every header that is not part of the transport is forwarded.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Iterable
from dataclasses import dataclass

from multidict import CIMultiDictProxy

from ztn.gateway.context import Metadata

_PERMANENT = frozenset(
    h.lower()
    for h in (
        "Accept Accept-Charset Accept-Language Accept-Ranges Authorization Cache-Control Content-Type Cookie "
        "Date Expect From Host If-Match If-Modified-Since If-None-Match If-Schedule-Tag-Match "
        "If-Unmodified-Since Max-Forwards Origin Pragma Referer User-Agent Via Warning"
    ).split()
)

# Headers that describe the HTTP transport or a protocol envelope, never call metadata.
_TRANSPORT = frozenset(
    {
        "accept",
        "accept-encoding",
        "connection",
        "content-length",
        "content-type",
        "content-encoding",
        "host",
        "keep-alive",
        "te",
        "trailer",
        "transfer-encoding",
        "upgrade",
        "x-grpc-web",
        "x-user-agent",
        "grpc-timeout",
        "grpc-encoding",
        "grpc-accept-encoding",
        "connect-protocol-version",
        "connect-timeout-ms",
        "connect-content-encoding",
        "connect-accept-encoding",
        "access-control-request-method",
        "access-control-request-headers",
        "origin",
        "referer",
        "sec-fetch-mode",
        "sec-fetch-site",
        "sec-fetch-dest",
    }
)

_VALID_KEY = re.compile(r"^[0-9a-z._-]+$")

HOST_KEY = "host"
"""Every HTTP door passes the request's Host as metadata ``host`` (what :authority is to gRPC), so that
tenancy can resolve the instance the same way whichever door a call used. Clients cannot forge it:
a client-sent ``host`` metadata entry is dropped."""


class MetadataError(ValueError):
    """A header that cannot become metadata (bad base64 in a ``-bin`` header, bad timeout)."""


@dataclass(frozen=True)
class HeaderRules:
    """Which extra request headers the REST door forwards unprefixed (beyond grpc-gateway's defaults)."""

    forward_names: frozenset[str] = frozenset()
    forward_prefixes: tuple[str, ...] = ()


def _decode_bin(value: str) -> bytes:
    padded = value + "=" * (-len(value) % 4)
    try:
        altchars = b"-_" if ("-" in value or "_" in value) else None
        return base64.b64decode(padded, altchars=altchars, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise MetadataError(f"invalid base64 in binary header: {exc}") from None


def _ascii(value: str) -> bool:
    return value.isascii() and value.isprintable()


def rest_metadata(headers: CIMultiDictProxy[str], peer: str, rules: HeaderRules) -> Metadata:
    md: list[tuple[str, str | bytes]] = []
    for name, value in headers.items():
        key = name.lower()
        if key.startswith("grpc-metadata-"):
            key = key[len("grpc-metadata-") :]
            if not _VALID_KEY.match(key) or key == HOST_KEY:
                continue
            if key.endswith("-bin"):
                md.append((key, _decode_bin(value)))
            elif _ascii(value):
                md.append((key, value))
            continue
        if not _ascii(value):
            continue  # grpc would reject a non-printable value; grpc-gateway skips it with a log line
        if key == "authorization":
            md.append(("authorization", value))
        if key in _PERMANENT:
            md.append(("grpcgateway-" + key, value))
        elif key in rules.forward_names or key.startswith(rules.forward_prefixes):
            md.append((key, value))
    host = headers.get("host")
    if host:
        md.append((HOST_KEY, host))
    forwarded_host = headers.get("x-forwarded-host") or host
    if forwarded_host:
        md.append(("x-forwarded-host", forwarded_host))
    xff = headers.get("x-forwarded-for")
    if peer:
        md.append(("x-forwarded-for", f"{xff}, {peer}" if xff else peer))
    return tuple(md)


def plain_metadata(headers: CIMultiDictProxy[str], extra_transport: Iterable[str] = ()) -> Metadata:
    """grpc-web and Connect: headers are the metadata, minus the transport's own."""
    skip = _TRANSPORT.union(extra_transport)
    md: list[tuple[str, str | bytes]] = []
    for name, value in headers.items():
        key = name.lower()
        if key in skip or key.startswith(("access-control-", "sec-")) or not _VALID_KEY.match(key):
            continue
        if key.endswith("-bin"):
            md.append((key, _decode_bin(value)))
        elif _ascii(value):
            md.append((key, value))
    host = headers.get("host")
    if host:
        md.append((HOST_KEY, host))
    return tuple(md)


def encode_value(key: str, value: str | bytes) -> str:
    if key.endswith("-bin"):
        raw = value if isinstance(value, bytes) else value.encode()
        return base64.b64encode(raw).decode().rstrip("=")
    return value.decode("latin-1") if isinstance(value, bytes) else value


def metadata_headers(metadata: Iterable[tuple[str, str | bytes]], prefix: str = "") -> list[tuple[str, str]]:
    return [(prefix + key, encode_value(key, value)) for key, value in metadata]


_TIMEOUT = re.compile(r"^(\d{1,8})([HMSmun])$")
_UNIT_SECONDS = {"H": 3600.0, "M": 60.0, "S": 1.0, "m": 1e-3, "u": 1e-6, "n": 1e-9}


def parse_grpc_timeout(value: str | None) -> float | None:
    if value is None:
        return None
    match = _TIMEOUT.match(value.strip())
    if not match:
        raise MetadataError("invalid grpc-timeout")
    return int(match.group(1)) * _UNIT_SECONDS[match.group(2)]
