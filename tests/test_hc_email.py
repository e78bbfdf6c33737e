"""E-mail transport against a real SMTP server (aiosmtpd) on 127.0.0.1."""

from __future__ import annotations

import asyncio
import email
import email.policy
import socket
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import pytest

pytest.importorskip("aiosmtpd")
from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword  # noqa: E402

from ztn.domain.hc import email as hc_email  # noqa: E402
from ztn.domain.hc import notify  # noqa: E402
from ztn.domain.hc.models import Channel, Check, Flip  # noqa: E402
from ztn.domain.hc.notify import Delivery, FlipEvent, NotifyContext, SmtpSettings  # noqa: E402

CODE = "3f1d2b4c-5e6f-4a7b-8c9d-0e1f2a3b4c5d"


@dataclass
class Sink:
    port: int = 0
    messages: list[tuple[str, list[str], bytes]] = field(default_factory=list)
    logins: list[tuple[str, str]] = field(default_factory=list)


class Handler:
    def __init__(self, sink: Sink) -> None:
        self.sink = sink

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str, options: Any) -> str:
        if address.startswith("nobody@"):
            return "550 5.1.1 no such user"
        if address.startswith("later@"):
            return "450 4.2.1 mailbox busy"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.sink.messages.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.content))
        return "250 OK"


@pytest.fixture
async def sink() -> AsyncIterator[Sink]:
    state = Sink()

    def authenticate(server: Any, session: Any, envelope: Any, mechanism: str, data: Any) -> AuthResult:
        ok = isinstance(data, LoginPassword) and data.password == b"s3cret"
        if ok:
            state.logins.append((data.login.decode(), data.password.decode()))
        return AuthResult(success=ok, handled=False)

    loop = asyncio.get_running_loop()
    server = await loop.create_server(
        lambda: SMTP(Handler(state), authenticator=authenticate, auth_require_tls=False),
        "127.0.0.1",
        0,
    )
    state.port = server.sockets[0].getsockname()[1]
    yield state
    server.close()
    await server.wait_closed()


def ctx_for(sink: Sink, **kw: Any) -> NotifyContext:
    smtp = SmtpSettings(host="127.0.0.1", port=sink.port, sender="alerts@hc.example", timeout=5, **kw)
    return NotifyContext(site_root="https://hc.example", check_json=lambda c: b"{}", smtp=smtp)


def event(status: str = "down", name: str = "Nightly <backup>") -> FlipEvent:
    check = Check(id=1, code=CODE, project_id="p", name=name, tags="prod db", status=status,
                  last_ping=datetime(2026, 11, 23, 7, 56, 38, 5, tzinfo=UTC))
    flip = Flip(check_id=1, created=datetime(2026, 11, 23, 8, 56, 38, 123, tzinfo=UTC),
                old_status="up", new_status=status, reason="timeout")
    return FlipEvent(check=check, flip=flip, last_body=None, last_exitstatus=None)


def channel(value: str) -> Channel:
    return Channel(id="c", project_id="p", name="mail", kind="email", value=value)


async def test_down_message(sink: Sink) -> None:
    result = await notify.deliver(channel("ops@example.com"), event(), ctx_for(sink), 1)
    assert result == Delivery()
    [(sender, rcpts, raw)] = sink.messages
    assert sender == "alerts@hc.example" and rcpts == ["ops@example.com"]
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    assert msg["Subject"] == "DOWN | Nightly <backup>"
    assert msg["To"] == "ops@example.com" and msg["From"] == "alerts@hc.example"
    text = msg.get_body(("plain",)).get_content()
    assert 'The check "Nightly <backup>" is DOWN.' in text
    assert "Status: down (since 2026-11-23T08:56:38+00:00)" in text
    assert "Last ping: 2026-11-23T07:56:38+00:00" in text
    assert f"UUID: {CODE}" in text
    assert "https://hc.example" in text
    page = msg.get_body(("html",)).get_content()
    assert "Nightly &lt;backup&gt;" in page and "<strong>DOWN</strong>" in page
    assert '<a href="https://hc.example">' in page


async def test_up_message_and_unnamed_check(sink: Sink) -> None:
    result = await notify.deliver(channel("ops@example.com"), event("up", name=""), ctx_for(sink), 1)
    assert result == Delivery()
    msg = email.message_from_bytes(sink.messages[0][2], policy=email.policy.default)
    assert msg["Subject"] == f"UP | {CODE}"


async def test_name_with_line_breaks_stays_one_header(sink: Sink) -> None:
    result = await notify.deliver(channel("ops@example.com"), event(name="a\r\nBcc: x@y.z"), ctx_for(sink), 1)
    assert result == Delivery()
    msg = email.message_from_bytes(sink.messages[0][2], policy=email.policy.default)
    assert msg["Subject"] == "DOWN | a Bcc: x@y.z" and msg["Bcc"] is None


async def test_login(sink: Sink) -> None:
    ctx = ctx_for(sink, username="hc", password="s3cret")
    assert await notify.deliver(channel("ops@example.com"), event(), ctx, 1) == Delivery()
    assert sink.logins == [("hc", "s3cret")]


async def test_bad_login_is_transient(sink: Sink) -> None:
    ctx = ctx_for(sink, username="hc", password="wrong")
    result = await notify.deliver(channel("ops@example.com"), event(), ctx, 1)
    assert result.error.startswith("SMTP error: 535") and not result.permanent
    assert sink.messages == []


async def test_refused_recipient_5xx_is_permanent(sink: Sink) -> None:
    result = await notify.deliver(channel("nobody@example.com"), event(), ctx_for(sink), 1)
    assert result.error == "Recipient refused: 550 5.1.1 no such user" and result.permanent


async def test_refused_recipient_4xx_is_transient(sink: Sink) -> None:
    result = await notify.deliver(channel("later@example.com"), event(), ctx_for(sink), 1)
    assert result.error == "Recipient refused: 450 4.2.1 mailbox busy" and not result.permanent


async def test_connection_refused_is_transient() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    smtp = SmtpSettings(host="127.0.0.1", port=port)
    ctx = NotifyContext(site_root="", check_json=lambda c: b"{}", smtp=smtp)
    result = await notify.deliver(channel("ops@example.com"), event(), ctx, 1)
    assert result.error.startswith("SMTP failed: ConnectionRefusedError") and not result.permanent


async def test_no_smtp_settings_is_transient() -> None:
    ctx = NotifyContext(site_root="", check_json=lambda c: b"{}")
    result = await notify.deliver(channel("ops@example.com"), event(), ctx, 1)
    assert result.error and not result.permanent


@pytest.mark.parametrize("value", ["", "not-an-address", "a@b@c", "a b@c.d", '{"down": true}', "{bad"])
async def test_bad_address_is_permanent(value: str) -> None:
    ctx = NotifyContext(site_root="", check_json=lambda c: b"")
    result = await notify.deliver(channel(value), event(), ctx, 1)
    assert result.error and result.permanent


def test_json_value_and_is_noop() -> None:
    assert hc_email.parse_config("ops@example.com") == hc_email.EmailConfig("ops@example.com")
    muted_up = channel('{"value": "ops@example.com", "up": false}')
    assert notify.is_noop(muted_up, "up") and not notify.is_noop(muted_up, "down")
    assert not notify.is_noop(channel("ops@example.com"), "up")
    assert not notify.is_noop(channel("broken"), "down")  # attempted, so the error is recorded


async def test_unknown_tls_mode_is_refused(sink: Sink) -> None:
    result = await notify.deliver(channel("ops@example.com"), event(), ctx_for(sink, tls="yes"), 1)
    assert result.error.startswith("unknown SMTP TLS mode 'yes'") and not result.permanent
    assert sink.messages == []
