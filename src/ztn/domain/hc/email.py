"""E-mail transport: one message (plain text + HTML) per flip, sent with smtplib in a worker thread.

Channel value: the address (``ops@example.com``), or JSON ``{"value": address, "down": bool, "up": bool}``
to mute one direction (both default to true).

Errors: an unusable address and a recipient refused with a 5xx reply are permanent; everything else
(no SMTP settings, connection, TLS, authentication, timeouts, 4xx replies, other 5xx replies that are
about the server or the message rather than the address) is transient.
"""

from __future__ import annotations

import asyncio
import html
import json
import re
import smtplib
import ssl
from dataclasses import dataclass
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

from ztn.domain.hc.models import Check
from ztn.domain.hc.notify import Delivery, FlipEvent, NotifyContext, SmtpSettings
from ztn.domain.hc.webhook import iso_seconds

__all__ = ["EmailConfig", "SmtpSettings", "build_message", "deliver", "describe", "is_noop", "parse_config"]

_ADDRESS = re.compile(r"[^@\s<>,;\"]+@[^@\s<>,;\"]+")


TLS_MODES = ("none", "starttls", "ssl")


class ConfigError(ValueError):
    """The channel value is not a usable address."""


@dataclass(frozen=True)
class EmailConfig:
    address: str
    down: bool = True
    up: bool = True


def parse_config(value: str) -> EmailConfig:
    text = value.strip()
    if text.startswith("{"):
        try:
            raw = json.loads(text)
        except ValueError as exc:
            raise ConfigError(f"e-mail value is not JSON: {exc}") from None
        if not isinstance(raw, dict) or not isinstance(raw.get("value"), str):
            raise ConfigError('e-mail value must be an address or {"value": address, ...}')
        cfg = EmailConfig(raw["value"].strip(), bool(raw.get("down", True)), bool(raw.get("up", True)))
    else:
        cfg = EmailConfig(text)
    if not _ADDRESS.fullmatch(cfg.address):
        raise ConfigError(f"not an e-mail address: {cfg.address!r}")
    return cfg


def is_noop(value: str, new_status: str) -> bool:
    try:
        cfg = parse_config(value)
    except ConfigError:
        return False  # attempted, so the error is recorded
    return not (cfg.up if new_status == "up" else cfg.down)


def _one_line(text: str) -> str:
    return " ".join(text.split())


def build_message(address: str, event: FlipEvent, ctx: NotifyContext, sender: str) -> EmailMessage:
    check, flip = event.check, event.flip
    name = describe(check)
    status = flip.new_status
    since = iso_seconds(flip.created)
    last_ping = iso_seconds(check.last_ping) if check.last_ping else "never"
    link = ctx.site_root or ""
    facts = [
        ("Check", name),
        ("Status", f"{status} (since {since})"),
        ("Last ping", last_ping),
        ("Tags", check.tags or "-"),
        ("UUID", check.code),
    ]

    msg = EmailMessage()
    msg["Subject"] = f"{status.upper()} | {name}"
    msg["From"] = sender
    msg["To"] = address
    msg["Date"] = format_datetime(datetime.now(UTC))
    msg["Message-ID"] = make_msgid(domain=sender.rsplit("@", 1)[-1] or None)
    text = [f'The check "{name}" is {status.upper()}.', ""]
    text += [f"{label}: {value}" for label, value in facts]
    if link:
        text += ["", f"Details: {link}"]
    msg.set_content("\n".join(text) + "\n")

    rows = "".join(
        f"<tr><th align=\"left\">{html.escape(label)}</th><td>{html.escape(value)}</td></tr>"
        for label, value in facts
    )
    details = f'<p><a href="{html.escape(link)}">{html.escape(link)}</a></p>' if link else ""
    msg.add_alternative(
        "<!DOCTYPE html><html><body>"
        f"<p>The check &ldquo;{html.escape(name)}&rdquo; is <strong>{status.upper()}</strong>.</p>"
        f"<table>{rows}</table>{details}</body></html>\n",
        subtype="html",
    )
    return msg


def _send(settings: SmtpSettings, msg: EmailMessage) -> None:
    context = ssl.create_default_context()
    smtp: smtplib.SMTP
    if settings.tls == "ssl":
        smtp = smtplib.SMTP_SSL(settings.host, settings.port, timeout=settings.timeout, context=context)
    else:
        smtp = smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout)
    with smtp:
        if settings.tls == "starttls":
            smtp.starttls(context=context)
        if settings.username:
            smtp.login(settings.username, settings.password)
        smtp.send_message(msg)


def _classify(exc: BaseException) -> Delivery:
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        replies = list(exc.recipients.values())
        codes = [code for code, _ in replies]
        detail = "; ".join(f"{code} {reply.decode(errors='replace')}" for code, reply in replies)
        return Delivery(error=f"Recipient refused: {detail}", permanent=all(c >= 500 for c in codes))
    if isinstance(exc, smtplib.SMTPResponseException):
        reply = exc.smtp_error
        if isinstance(reply, bytes):
            reply = reply.decode(errors="replace")
        return Delivery(error=f"SMTP error: {exc.smtp_code} {reply}")
    if isinstance(exc, TimeoutError):
        return Delivery(error="SMTP connection timed out")
    return Delivery(error=f"SMTP failed: {type(exc).__name__}: {exc}")


async def deliver(value: str, event: FlipEvent, ctx: NotifyContext) -> Delivery:
    try:
        cfg = parse_config(value)
    except ConfigError as exc:
        return Delivery(error=str(exc), permanent=True)
    if ctx.smtp is None:
        return Delivery(error="e-mail is not configured on this server (no SMTP settings)")
    if ctx.smtp.tls not in TLS_MODES:  # never fall back to plain text on a typo
        return Delivery(error=f"unknown SMTP TLS mode {ctx.smtp.tls!r} (one of {', '.join(TLS_MODES)})")
    msg = build_message(cfg.address, event, ctx, ctx.smtp.sender)
    try:
        # Socket timeouts bound the thread; the outer bound keeps a slow multi-step dialogue in check.
        async with asyncio.timeout(ctx.smtp.timeout * 2):
            await asyncio.to_thread(_send, ctx.smtp, msg)
    except (smtplib.SMTPException, OSError, TimeoutError) as exc:
        return _classify(exc)
    return Delivery()


def describe(check: Check) -> str:
    """The name used in subjects: the check's name, or its UUID when unnamed."""
    return _one_line(check.name) or check.code
