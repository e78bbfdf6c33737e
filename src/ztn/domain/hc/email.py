"""E-mail transport. Placeholder until the transport lands."""

from __future__ import annotations

from ztn.domain.hc.notify import Delivery, FlipEvent, NotifyContext


def is_noop(value: str, new_status: str) -> bool:
    return False


async def deliver(value: str, event: FlipEvent, ctx: NotifyContext) -> Delivery:
    return Delivery(error="unsupported channel kind 'email'")
