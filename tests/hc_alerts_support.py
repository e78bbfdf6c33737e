"""Helpers for the alert worker tests: a project, checks in a chosen state, a controllable clock."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import UTC, datetime

from ztn.domain.hc.models import Channel, Check, Flip
from ztn.domain.hc.notify import Delivery, FlipEvent, NotifyContext
from ztn.domain.hc.status import compute_alert_after
from ztn.store.hc_repo import HcStore

T0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
_n = itertools.count(1)


class Clock:
    def __init__(self, now: datetime = T0) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


async def new_project(store: HcStore, tag: str = "") -> str:
    tag = tag or f"p{next(_n)}"
    project = await store.create_project(
        tag, f"rw-{tag}", "rwpre", f"ro-{tag}", "ropre", f"pk-{tag}", f"bk-{tag}", None
    )
    return project.id


async def new_check(store: HcStore, project_id: str, channels: list[str] | None = None, **kw) -> Check:
    """A check as given (status, last_ping, ...); alert_after computed unless passed."""
    n = next(_n)
    check = Check(
        id=0,
        code=f"00000000-0000-4000-8000-{n:012d}",
        project_id=project_id,
        badge_key=f"00000000-0000-4000-9000-{n:012d}",
        created=T0,
        **kw,
    )
    if "alert_after" not in kw:
        check.alert_after = compute_alert_after(check)
    inserted = await store.insert_check(check, channels, None)
    assert inserted is not None
    return inserted


def context() -> NotifyContext:
    return NotifyContext(site_root="http://localhost:8000", check_json=lambda c: b"{}", allow_private=True)


@dataclass
class FakeDeliver:
    """Records calls; answers from ``script`` (channel name -> deliveries, one per try) or success."""

    script: dict[str, list[Delivery]] = field(default_factory=dict)
    calls: list[tuple[str, int, str, int]] = field(default_factory=list)  # (channel, flip id, status, try)

    async def __call__(
        self, channel: Channel, event: FlipEvent, ctx: NotifyContext, attempt: int
    ) -> Delivery:
        self.calls.append((channel.name, event.flip.id, event.flip.new_status, attempt))
        answers = self.script.get(channel.name)
        if answers:
            return answers.pop(0)
        return Delivery()


def flip_key(f: Flip) -> tuple:
    return (f.check_id, f.created, f.old_status, f.new_status, f.reason)
