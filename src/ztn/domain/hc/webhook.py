"""Webhook transport (spec §10.3): a templated HTTP request per direction (down/up).

Channel value: JSON ``{"url_down", "url_up", "method_down", "method_up", "body_down", "body_up",
"headers_down", "headers_up"}``; only the URLs are needed (method defaults to GET, body to "", headers
to {}), so the simple ``{"url_down": URL, "url_up": URL}`` form is a complete configuration. An empty
URL means "nothing to send for that direction" (``is_noop``).

Errors: a configuration that can never work (unparseable value, unknown method, non-http(s) URL, an IP
literal in a refused range) is permanent; everything that may work on a later try (DNS, connection,
timeout, any HTTP status outside 200/201/202/204, a host name that currently resolves to a refused
address) is transient.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import ipaddress
import json
import re
import socket
import ssl
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote, unquote

from yarl import URL

from ztn.domain.hc.notify import Delivery, FlipEvent, NotifyContext

TIMEOUT = 30.0  # seconds for the whole request (resolution included); tests lower it
METHODS = ("GET", "POST", "PUT")
SUCCESS = frozenset({200, 201, 202, 204})
USER_AGENT = "healthchecks.io"
DIRECTIONS = ("down", "up")


class ConfigError(ValueError):
    """The channel value cannot describe a webhook."""


@dataclass(frozen=True)
class Spec:
    """One direction's request template."""

    url: str = ""
    method: str = "GET"
    body: str = ""
    headers: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class WebhookConfig:
    down: Spec
    up: Spec

    def for_status(self, status: str) -> Spec:
        return self.up if status == "up" else self.down

    def to_value(self) -> str:
        """The stored channel value (the same keys ``parse_config`` reads)."""
        out: dict[str, Any] = {}
        for direction in DIRECTIONS:
            spec: Spec = getattr(self, direction)
            out[f"url_{direction}"] = spec.url
            out[f"method_{direction}"] = spec.method
            out[f"body_{direction}"] = spec.body
            out[f"headers_{direction}"] = spec.headers
        return json.dumps(out)


def parse_config(value: str) -> WebhookConfig:
    """Read and validate a stored webhook value; a bare URL means GET for both directions."""
    text = value.strip()
    if text and not text.startswith("{"):
        raw: Any = {"url_down": text, "url_up": text}
    else:
        try:
            raw = json.loads(text)
        except ValueError as exc:
            raise ConfigError(f"webhook value is not JSON: {exc}") from None
        if not isinstance(raw, dict):
            raise ConfigError("webhook value must be a JSON object")
    specs = [_parse_spec(raw, d) for d in DIRECTIONS]
    return WebhookConfig(down=specs[0], up=specs[1])


def _parse_spec(raw: dict[str, Any], direction: str) -> Spec:
    url = raw.get(f"url_{direction}") or ""
    method = raw.get(f"method_{direction}") or "GET"
    body = raw.get(f"body_{direction}") or ""
    headers = raw.get(f"headers_{direction}") or {}
    if not isinstance(url, str) or not isinstance(body, str) or not isinstance(method, str):
        raise ConfigError(f"url_{direction}, method_{direction} and body_{direction} must be strings")
    method = method.upper()
    if method not in METHODS:
        raise ConfigError(f"method_{direction} must be one of {', '.join(METHODS)}")
    if not isinstance(headers, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in headers.items()
    ):
        raise ConfigError(f"headers_{direction} must be an object of strings")
    for name in headers:
        if not name or not re.fullmatch(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+", name):
            raise ConfigError(f"headers_{direction}: invalid header name {name!r}")
    if url:
        _check_url_template(url, direction)
    return Spec(url=url, method=method, body=body, headers=dict(headers))


def _check_url_template(url: str, direction: str) -> None:
    scheme = url.split(":", 1)[0].lower() if ":" in url else ""
    if scheme not in ("http", "https"):
        raise ConfigError(f"url_{direction} must be an http:// or https:// URL")


def is_noop(value: str, new_status: str) -> bool:
    """No URL for this direction. An invalid value is not a no-op: delivering it records the error."""
    try:
        return not parse_config(value).for_status(new_status).url
    except ConfigError:
        return False


# -- placeholders --------------------------------------------------------------------------------------

# Longer names first, so $NAME_JSON is not read as $NAME followed by "_JSON".
_PLACEHOLDER = re.compile(
    r"\$(NAME_JSON|BODY_JSON|EXITSTATUS|STATUS|CODE|NOW|NAME|SLUG|TAGS|TAG\d+|JSON|BODY)"
)


class _Values:
    """Placeholder values for one event; $JSON is built only when a template asks for it."""

    def __init__(self, event: FlipEvent, ctx: NotifyContext) -> None:
        check, flip = event.check, event.flip
        body = (event.last_body or b"").decode("utf-8", errors="replace")
        self.plain: dict[str, str] = {
            "CODE": check.code,
            "STATUS": flip.new_status,
            "NOW": iso_seconds(flip.created),
            "NAME": check.name,
            "NAME_JSON": json.dumps(check.name),
            "SLUG": check.slug,
            "TAGS": check.tags,
            "EXITSTATUS": str(event.last_exitstatus if event.last_exitstatus is not None else -1),
            "BODY": body,
            "BODY_JSON": json.dumps(body),
        }
        for i, tag in enumerate(check.tag_list, start=1):
            self.plain[f"TAG{i}"] = tag
        self._check, self._check_json = check, ctx.check_json
        self._json: str | None = None

    def get(self, name: str) -> str | None:
        if name == "JSON":
            if self._json is None:
                self._json = self._check_json(self._check).decode()
            return self._json
        return self.plain.get(name)


def iso_seconds(moment: datetime) -> str:
    """ISO 8601 at seconds precision in UTC with ``+00:00`` (naive datetimes are taken as UTC)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).replace(microsecond=0).isoformat()


def substitute(
    template: str,
    values: _Values,
    *,
    encode: Callable[[str], str] = str,
    literal: Callable[[str], str] = str,
    body: bool = False,
) -> str:
    """One left-to-right pass: substituted text is never scanned again, so values cannot inject
    placeholders. $BODY/$BODY_JSON only exist in the request body; unknown names stay as written.
    ``encode`` applies to values, ``literal`` to the template's own text."""
    out: list[str] = []
    pos = 0
    for match in _PLACEHOLDER.finditer(template):
        out.append(literal(template[pos : match.start()]))
        pos = match.end()
        name = match.group(1)
        value = None if name.startswith("BODY") and not body else values.get(name)
        out.append(literal(match.group(0)) if value is None else encode(value))
    out.append(literal(template[pos:]))
    return "".join(out)


def _url_encode(value: str) -> str:
    return quote(value, safe="")


def _url_literal(text: str) -> str:
    # The template's own text keeps its delimiters and %XX escapes; spaces and non-ASCII get escaped.
    return quote(text, safe="!#$%&'()*+,/:;=?@[]~")


def _header_encode(value: str) -> str:
    # Line breaks would split the header; characters outside latin-1 become XML character references.
    value = value.replace("\r", " ").replace("\n", " ")
    return value.encode("latin-1", errors="xmlcharrefreplace").decode("latin-1")


@dataclass(frozen=True)
class Request:
    method: str
    url: str
    headers: dict[str, str]
    body: bytes | None


def build_request(spec: Spec, event: FlipEvent, ctx: NotifyContext) -> Request:
    values = _Values(event, ctx)
    url = substitute(spec.url, values, encode=_url_encode, literal=_url_literal)
    headers = {name: _header_encode(substitute(v, values)) for name, v in spec.headers.items()}
    if not any(name.lower() == "user-agent" for name in headers):
        headers["User-Agent"] = USER_AGENT
    body = None
    if spec.method in ("POST", "PUT"):
        body = substitute(spec.body, values, body=True).encode("utf-8")
    return Request(spec.method, url, headers, body)


# -- sending ------------------------------------------------------------------------------------------
# One request per delivery over a plain asyncio stream: the bytes on the wire are exactly ours (latin-1
# header values, no added Content-Type), we connect only to the addresses we checked (no second DNS
# lookup, no redirects), and all we read back is the status line.


class _Refused(Exception):
    def __init__(self, message: str, permanent: bool) -> None:
        super().__init__(message)
        self.permanent = permanent


def _allowed_ip(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])  # drop an IPv6 zone id
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


async def _addresses(host: str, port: int, allow_private: bool) -> list[str]:
    """The addresses to try, every one of them checked."""
    try:
        ipaddress.ip_address(host.split("%", 1)[0])
    except ValueError:
        pass
    else:
        if not allow_private and not _allowed_ip(host):
            raise _Refused(f"Refusing to send to a private address ({host})", permanent=True)
        return [host]
    try:
        infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as exc:
        raise _Refused(f"Could not resolve {host}: {getattr(exc, 'strerror', None) or exc}", False) from None
    found = list(dict.fromkeys(str(info[4][0]) for info in infos))
    if not allow_private:
        bad = [a for a in found if not _allowed_ip(a)]
        if bad:
            # Not permanent: what a name resolves to can change.
            raise _Refused(f"Refusing to send to a private address ({host} -> {bad[0]})", permanent=False)
    return found


_DEFAULT_PORTS = {"http": 80, "https": 443}


def client_tls_context() -> ssl.SSLContext:
    """Certificates and host names are verified (tests swap in a context trusting their own CA)."""
    return ssl.create_default_context()


def _head(request: Request, url: URL) -> bytes:
    host = url.raw_host or ""
    authority = f"[{host}]" if ":" in host else host
    if url.explicit_port is not None and url.explicit_port != _DEFAULT_PORTS.get(url.scheme):
        authority += f":{url.explicit_port}"
    target = url.raw_path or "/"
    if url.raw_query_string:
        target += "?" + url.raw_query_string
    given = {name.lower() for name in request.headers}
    lines = [f"{request.method} {target} HTTP/1.1", f"Host: {authority}"]
    if "accept" not in given:
        lines.append("Accept: */*")
    if url.raw_user is not None and "authorization" not in given:
        secret = f"{unquote(url.raw_user)}:{unquote(url.raw_password or '')}".encode()
        lines.append("Authorization: Basic " + base64.b64encode(secret).decode())
    lines += [f"{name}: {value}" for name, value in request.headers.items()]
    if request.body is not None:
        lines.append(f"Content-Length: {len(request.body)}")
    lines.append("Connection: close")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


async def _exchange(request: Request, url: URL, allow_private: bool) -> int:
    host, port = url.raw_host or "", url.port or _DEFAULT_PORTS[url.scheme]
    tls = client_tls_context() if url.scheme == "https" else None
    last_error: OSError | None = None
    for address in await _addresses(host, port, allow_private):
        try:
            reader, writer = await asyncio.open_connection(
                address, port, ssl=tls, server_hostname=host if tls else None
            )
        except OSError as exc:
            last_error = exc
            continue
        try:
            writer.write(_head(request, url) + (request.body or b""))
            await writer.drain()
            status_line = await reader.readline()
        finally:
            writer.close()
            with contextlib.suppress(OSError, ssl.SSLError):
                await writer.wait_closed()
        match = re.match(rb"HTTP/\d(?:\.\d)? (\d{3})(?: |\r?\n|$)", status_line)
        if not match:
            raise _Refused(f"Invalid HTTP response: {status_line[:80]!r}", permanent=False)
        return int(match.group(1))
    assert last_error is not None
    raise last_error


async def send(request: Request, allow_private: bool) -> Delivery:
    """Perform one request; never raises."""
    try:
        url = URL(request.url, encoded=True)  # sent as built: our %XX escapes stay as they are
        if url.scheme not in ("http", "https") or not url.raw_host:
            return Delivery(error=f"Invalid URL {request.url!r}", permanent=True)
        _head(request, url)  # a URL or header text that cannot go on the wire is a configuration error
    except (ValueError, UnicodeError) as exc:
        return Delivery(error=f"Invalid request: {exc}", permanent=True)
    try:
        async with asyncio.timeout(TIMEOUT):
            status = await _exchange(request, url, allow_private)
    except _Refused as exc:
        return Delivery(error=str(exc), permanent=exc.permanent)
    except TimeoutError:
        return Delivery(error="Connection timed out")
    except (OSError, ssl.SSLError) as exc:
        return Delivery(error=f"Connection failed: {type(exc).__name__}: {exc}")
    except ValueError as exc:  # e.g. a status line beyond the stream's line limit
        return Delivery(error=f"Invalid HTTP response: {exc}")
    if status not in SUCCESS:
        return Delivery(error=f"Received status code {status}")
    return Delivery()


async def deliver(value: str, event: FlipEvent, ctx: NotifyContext) -> Delivery:
    try:
        spec = parse_config(value).for_status(event.flip.new_status)
    except ConfigError as exc:
        return Delivery(error=str(exc), permanent=True)
    if not spec.url:
        return Delivery()  # nothing configured for this direction (the worker skips these anyway)
    return await send(build_request(spec, event, ctx), ctx.allow_private)
