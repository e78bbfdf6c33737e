"""Webhook transport (spec §10.3) against a real HTTP server on 127.0.0.1."""

from __future__ import annotations

import asyncio
import json
import shutil
import ssl
import subprocess
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, datetime

import pytest
from aiohttp import web

from ztn.domain.hc import notify, webhook
from ztn.domain.hc.models import Channel, Check, Flip
from ztn.domain.hc.notify import Delivery, FlipEvent, NotifyContext

CODE = "3f1d2b4c-5e6f-4a7b-8c9d-0e1f2a3b4c5d"


@dataclass
class Sink:
    base: str
    seen: list[dict] = field(default_factory=list)
    status: int = 200


@pytest.fixture
async def sink() -> AsyncIterator[Sink]:
    state = Sink(base="")
    release = asyncio.Event()  # holds /slow until teardown

    async def handle(request: web.Request) -> web.Response:
        state.seen.append(
            {
                "method": request.method,
                "path_qs": request.raw_path,
                "headers": request.headers.copy(),
                "raw_headers": request.raw_headers,
                "body": await request.read(),
            }
        )
        if request.path == "/slow":
            await release.wait()
        if request.path == "/redirect":
            raise web.HTTPFound("/elsewhere")
        return web.Response(status=state.status)

    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", handle)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    state.base = f"http://127.0.0.1:{port}"
    yield state
    release.set()
    await runner.cleanup()


def check_json(check: Check) -> bytes:
    return json.dumps({"name": check.name, "status": "up"}).encode()


CTX = NotifyContext(site_root="https://hc.example", check_json=check_json, allow_private=True)


def event(name: str = "Hook Me", tags: str = "prod db", body: bytes | None = b"job output here",
          exitstatus: int | None = 42, status: str = "down") -> FlipEvent:
    check = Check(id=1, code=CODE, project_id="p", name=name, slug="hook-me", tags=tags, status=status)
    created = datetime(2026, 11, 23, 8, 56, 38, 123456, tzinfo=UTC)
    flip = Flip(check_id=1, created=created, old_status="up", new_status=status, reason="timeout")
    return FlipEvent(check=check, flip=flip, last_body=body, last_exitstatus=exitstatus)


def channel(value: dict | str) -> Channel:
    return Channel(id="c", project_id="p", name="hook", kind="webhook",
                   value=value if isinstance(value, str) else json.dumps(value))


async def test_observed_down_body(sink: Sink) -> None:
    template = ('{"name": $NAME_JSON, "status": "$STATUS", "now": "$NOW", "exit": "$EXITSTATUS", '
                '"body": $BODY_JSON, "json": $JSON}')
    ch = channel({"url_down": sink.base + "/hook", "method_down": "POST", "body_down": template})
    result = await notify.deliver(ch, event(name='Hook Me "q"'), CTX, 1)
    assert result == Delivery()
    [req] = sink.seen
    assert req["method"] == "POST"
    assert req["body"] == (
        b'{"name": "Hook Me \\"q\\"", "status": "down", "now": "2026-11-23T08:56:38+00:00", "exit": "42", '
        b'"body": "job output here", "json": {"name": "Hook Me \\"q\\"", "status": "up"}}'
    )
    assert json.loads(req["body"])["json"]["status"] == "up"  # $JSON is the state at send time
    port = sink.base.rsplit(":", 1)[1]
    assert req["raw_headers"] == (  # exactly these: in particular no Content-Type is added
        (b"Host", f"127.0.0.1:{port}".encode()),
        (b"Accept", b"*/*"),
        (b"User-Agent", b"healthchecks.io"),
        (b"Content-Length", str(len(req["body"])).encode()),
        (b"Connection", b"close"),
    )


async def test_simple_form_is_get_both_ways(sink: Sink) -> None:
    ch = channel({"url_down": sink.base + "/d", "url_up": sink.base + "/u"})
    assert await notify.deliver(ch, event(status="down"), CTX, 1) == Delivery()
    assert await notify.deliver(ch, event(status="up"), CTX, 1) == Delivery()
    seen = [(r["method"], r["path_qs"], r["body"]) for r in sink.seen]
    assert seen == [("GET", "/d", b""), ("GET", "/u", b"")]


async def test_bare_url_value(sink: Sink) -> None:
    assert await notify.deliver(channel(sink.base + "/bare"), event(), CTX, 1) == Delivery()
    assert sink.seen[0]["path_qs"] == "/bare"


async def test_url_placeholders_are_percent_encoded(sink: Sink) -> None:
    url = sink.base + "/x/$CODE?s=$STATUS&n=$NAME&t=$TAGS&t1=$TAG1&t2=$TAG2&t3=$TAG3&e=$EXITSTATUS"
    url += "&now=$NOW&b=$BODY&lit=a b%2Fé"
    ch = channel({"url_down": url})
    assert await notify.deliver(ch, event(name="a/b ?&=é#"), CTX, 1) == Delivery()
    assert sink.seen[0]["path_qs"] == (
        f"/x/{CODE}?s=down&n=a%2Fb%20%3F%26%3D%C3%A9%23&t=prod%20db&t1=prod&t2=db&t3=$TAG3&e=42"
        "&now=2026-11-23T08%3A56%3A38%2B00%3A00&b=$BODY&lit=a%20b%2F%C3%A9"
    )


async def test_no_recursive_substitution(sink: Sink) -> None:
    ch = channel({"url_down": sink.base + "/", "method_down": "POST", "body_down": "$NAME|$SLUG|$BODY"})
    assert await notify.deliver(ch, event(name="$SLUG $CODE", body=b"$NAME"), CTX, 1) == Delivery()
    assert sink.seen[0]["body"] == b"$SLUG $CODE|hook-me|$NAME"


async def test_headers_and_user_agent_override(sink: Sink) -> None:
    ch = channel({
        "url_up": sink.base + "/h", "method_up": "PUT", "body_up": "ünï $STATUS",
        "headers_up": {"X-Name": "$NAME", "user-agent": "mine/1", "Content-Type": "text/plain"},
    })
    assert await notify.deliver(ch, event(name="Zoë ✓ 日", status="up"), CTX, 1) == Delivery()
    [req] = sink.seen
    assert req["method"] == "PUT"
    assert req["body"] == "ünï up".encode()
    assert req["headers"]["User-Agent"] == "mine/1"
    assert req["headers"]["Content-Type"] == "text/plain"
    # Non-latin-1 characters become XML character references (ë is latin-1 and stays a character).
    # Non-latin-1 characters become XML character references; "ë" is latin-1 and goes as one byte.
    assert (b"X-Name", b"Zo\xeb &#10003; &#26085;") in req["raw_headers"]


async def test_credentials_in_the_url_become_basic_auth(sink: Sink) -> None:
    url = sink.base.replace("http://", "http://us%20er:p%40ss@") + "/auth"
    assert await notify.deliver(channel({"url_down": url}), event(), CTX, 1) == Delivery()
    assert sink.seen[0]["headers"]["Authorization"] == "Basic dXMgZXI6cEBzcw=="  # "us er:p@ss"


async def test_get_sends_no_body(sink: Sink) -> None:
    ch = channel({"url_down": sink.base + "/g", "method_down": "GET", "body_down": "ignored"})
    assert await notify.deliver(ch, event(), CTX, 1) == Delivery()
    assert sink.seen[0]["body"] == b""


async def test_missing_body_and_exitstatus(sink: Sink) -> None:
    template = "$BODY|$BODY_JSON|$EXITSTATUS"
    ch = channel({"url_down": sink.base + "/", "method_down": "POST", "body_down": template})
    assert await notify.deliver(ch, event(body=None, exitstatus=None), CTX, 1) == Delivery()
    assert sink.seen[0]["body"] == b'|""|-1'


@pytest.mark.parametrize("status", [200, 201, 202, 204])
async def test_success_statuses(sink: Sink, status: int) -> None:
    sink.status = status
    assert await notify.deliver(channel({"url_down": sink.base + "/"}), event(), CTX, 1) == Delivery()


@pytest.mark.parametrize("status", [203, 400, 404, 500])
async def test_other_statuses_are_transient_errors(sink: Sink, status: int) -> None:
    sink.status = status
    result = await notify.deliver(channel({"url_down": sink.base + "/"}), event(), CTX, 1)
    assert result == Delivery(error=f"Received status code {status}", permanent=False)


async def test_redirects_are_not_followed(sink: Sink) -> None:
    result = await notify.deliver(channel({"url_down": sink.base + "/redirect"}), event(), CTX, 1)
    assert result.error == "Received status code 302"
    assert len(sink.seen) == 1


async def test_timeout(sink: Sink, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(webhook, "TIMEOUT", 0.2)
    result = await notify.deliver(channel({"url_down": sink.base + "/slow"}), event(), CTX, 1)
    assert result == Delivery(error="Connection timed out", permanent=False)


async def test_connection_refused_is_transient() -> None:
    import socket

    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    result = await notify.deliver(channel({"url_down": f"http://127.0.0.1:{port}/"}), event(), CTX, 1)
    assert result.error.startswith("Connection failed") and not result.permanent


@pytest.mark.parametrize("url", ["http://127.0.0.1:9/", "http://10.1.2.3/", "http://[::1]:9/",
                                 "http://169.254.169.254/latest", "http://[::ffff:192.168.0.1]/"])
async def test_private_ip_literals_refused(url: str) -> None:
    ctx = NotifyContext(site_root="", check_json=check_json)
    result = await notify.deliver(channel({"url_down": url}), event(), ctx, 1)
    assert result.error.startswith("Refusing to send to a private address") and result.permanent


async def test_private_host_name_refused(sink: Sink) -> None:
    ctx = NotifyContext(site_root="", check_json=check_json)
    port = sink.base.rsplit(":", 1)[1]
    result = await notify.deliver(channel({"url_down": f"http://localhost:{port}/"}), event(), ctx, 1)
    assert result.error.startswith("Refusing to send to a private address (localhost -> ")
    assert not result.permanent  # a name may resolve elsewhere later
    assert sink.seen == []


async def test_allowed_host_name_is_resolved(sink: Sink) -> None:
    port = sink.base.rsplit(":", 1)[1]
    result = await notify.deliver(channel({"url_down": f"http://localhost:{port}/n"}), event(), CTX, 1)
    assert result == Delivery()
    assert sink.seen[0]["path_qs"] == "/n"


@pytest.mark.parametrize("value", ["{not json", "[1]", '{"url_down": "ftp://x/"}',
                                   '{"url_down": "http://x/", "method_down": "DELETE"}',
                                   '{"url_down": "http://x/", "headers_down": {"X": 1}}',
                                   '{"url_down": "http://x/", "headers_down": {"Bad Name": "v"}}'])
async def test_bad_configuration_is_permanent(value: str) -> None:
    result = await notify.deliver(channel(value), event(), CTX, 1)
    assert result.error and result.permanent


def test_is_noop() -> None:
    ch = channel({"url_down": "http://x/", "url_up": ""})
    assert not notify.is_noop(ch, "down")
    assert notify.is_noop(ch, "up")
    assert not notify.is_noop(channel("{broken"), "up")  # attempted, so the error is recorded


def test_config_round_trip() -> None:
    cfg = webhook.parse_config(json.dumps({"url_down": "http://a/", "method_down": "post",
                                           "body_down": "b", "headers_down": {"X-A": "1"}}))
    assert cfg.down == webhook.Spec("http://a/", "POST", "b", {"X-A": "1"})
    assert cfg.up == webhook.Spec()
    assert webhook.parse_config(cfg.to_value()) == cfg


async def test_unknown_kind() -> None:
    ch = Channel(id="c", project_id="p", name="n", kind="slack", value="")
    assert not notify.is_noop(ch, "down")
    result = await notify.deliver(ch, event(), CTX, 1)
    assert result == Delivery(error="unsupported channel kind 'slack'")


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, str]:
    if shutil.which("openssl") is None:
        pytest.skip("openssl not installed")
    d = tmp_path_factory.mktemp("tls")
    cert, key = str(d / "cert.pem"), str(d / "key.pem")
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert,
         "-days", "1", "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"],
        check=True, capture_output=True,
    )
    return cert, key


@pytest.fixture
async def tls_sink(certificate: tuple[str, str]) -> AsyncIterator[tuple[str, list[bytes]]]:
    seen: list[bytes] = []

    async def handle(request: web.Request) -> web.Response:
        seen.append(await request.read())
        return web.Response(status=204)

    server_ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server_ctx.load_cert_chain(*certificate)
    app = web.Application()
    app.router.add_post("/tls", handle)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0, ssl_context=server_ctx)
    await site.start()
    yield f"https://localhost:{runner.addresses[0][1]}/tls", seen
    await runner.cleanup()


async def test_https_verifies_the_certificate(tls_sink: tuple[str, list[bytes]]) -> None:
    url, seen = tls_sink
    ch = channel({"url_down": url, "method_down": "POST", "body_down": "$STATUS"})
    result = await notify.deliver(ch, event(), CTX, 1)
    assert "CERTIFICATE_VERIFY_FAILED" in result.error and not result.permanent
    assert seen == []


async def test_https_with_a_trusted_certificate(
    tls_sink: tuple[str, list[bytes]], certificate: tuple[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    url, seen = tls_sink
    trusting = ssl.create_default_context(cafile=certificate[0])
    monkeypatch.setattr(webhook, "client_tls_context", lambda: trusting)
    ch = channel({"url_down": url, "method_down": "POST", "body_down": "$STATUS"})
    assert await notify.deliver(ch, event(), CTX, 1) == Delivery()
    assert seen == [b"down"]


async def test_deliver_never_raises(sink: Sink) -> None:
    def broken(check: Check) -> bytes:
        raise RuntimeError("boom")

    ctx = NotifyContext(site_root="", check_json=broken, allow_private=True)
    ch = channel({"url_down": sink.base + "/", "method_down": "POST", "body_down": "$JSON"})
    result = await notify.deliver(ch, event(), ctx, 1)
    assert result == Delivery(error="internal error: RuntimeError: boom")
    assert sink.seen == []
