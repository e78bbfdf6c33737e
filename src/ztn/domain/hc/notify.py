"""The seam between the alert worker and the transports: what is notified, with what, and the outcome.

The worker (alerts.py) selects channels with ``is_noop`` and calls ``deliver`` once per channel and try;
each transport lives in its own module and is imported here lazily, so the worker can load this
module without pulling in aiohttp or smtplib setup it does not need.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ztn.domain.hc.models import Channel, Check, Flip

WEBHOOK, EMAIL = "webhook", "email"


@dataclass(frozen=True)
class SmtpSettings:
    host: str = "localhost"
    port: int = 25
    username: str = ""  # "" = no AUTH
    password: str = ""
    tls: str = "none"  # "none" | "starttls" | "ssl" (implicit TLS, e.g. port 465)
    sender: str = "healthchecks@localhost"  # the From: address
    timeout: float = 30.0


@dataclass(frozen=True)
class NotifyContext:
    site_root: str
    # The v3 read-write JSON of the check at send time (the worker builds it with the converter + codec).
    check_json: Callable[[Check], bytes]
    allow_private: bool = False  # private/loopback targets are refused unless allowed (tests allow)
    smtp: SmtpSettings | None = None


@dataclass(frozen=True)
class Delivery:
    error: str = ""  # "" = success
    permanent: bool = False  # True: retrying cannot help; the worker disables the channel

    @property
    def ok(self) -> bool:
        return not self.error


@dataclass(frozen=True)
class FlipEvent:
    check: Check  # current state (loaded at send time)
    flip: Flip  # new_status "up"/"down"; created = the (back-dated) moment of the change
    last_body: bytes | None  # the last ping body before the flip ($BODY)
    last_exitstatus: int | None


def is_noop(channel: Channel, new_status: str) -> bool:
    """True when this channel sends nothing for ``new_status`` (e.g. a webhook with no URL for "up")."""
    if channel.kind == WEBHOOK:
        from ztn.domain.hc import webhook

        return webhook.is_noop(channel.value, new_status)
    if channel.kind == EMAIL:
        from ztn.domain.hc import email

        return email.is_noop(channel.value, new_status)
    return False  # unknown kinds are attempted, so the failure is recorded rather than silently skipped


async def deliver(channel: Channel, event: FlipEvent, ctx: NotifyContext, attempt: int = 1) -> Delivery:
    """Send one notification; never raises (every failure becomes ``Delivery(error=...)``).

    ``attempt`` is 1-based; transports may use it (e.g. in logs) but retry policy is the worker's.
    """
    try:
        if channel.kind == WEBHOOK:
            from ztn.domain.hc import webhook

            return await webhook.deliver(channel.value, event, ctx)
        if channel.kind == EMAIL:
            from ztn.domain.hc import email

            return await email.deliver(channel.value, event, ctx)
        # Not permanent: disabling a channel the user configured is left to a human for kinds we lack.
        return Delivery(error=f"unsupported channel kind {channel.kind!r}")
    except Exception as exc:  # a transport bug must not take the worker down
        return Delivery(error=f"internal error: {type(exc).__name__}: {exc}")
