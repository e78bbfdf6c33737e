"""Status badges (spec §7.2-7.3): signed URLs per tag, the aggregate status, and the renderings.

A badge URL is ``/badge/<project badge key>/<signature>[-2]/<tag>.<fmt>``; the signature (8 chars of a
salted HMAC-SHA1 of the tag) lets a project publish badges without exposing anything else.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import quote
from xml.sax.saxutils import escape

from ztn.domain.hc.models import Check
from ztn.domain.hc.status import reported_status

FORMATS = ("svg", "json", "shields")
COLORS = {"up": "#4c1", "late": "#fe7d37", "down": "#e05d44"}
SHIELDS_COLORS = {"up": "success", "late": "important", "down": "critical"}


def badge_signature(badge_key: str, tag: str, secret: str) -> str:
    """First 8 characters of base64url(HMAC-SHA1(sha1(badge_key + secret), tag)), unpadded."""
    key = hashlib.sha1((badge_key + secret).encode()).digest()
    digest = hmac.new(key, tag.encode(), hashlib.sha1).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")[:8]


def badge_url(site_root: str, badge_key: str, tag: str, secret: str, fmt: str, with_late: bool) -> str:
    sig = badge_signature(badge_key, tag, secret) + ("" if with_late else "-2")
    if tag == "*":
        return f"{site_root}/badge/{badge_key}/{sig}.{fmt}"
    # Quoted twice: the tag may contain "/" or "%", and the path is decoded once before routing.
    segment = quote(tag, safe="").replace("%", "%25")
    return f"{site_root}/badge/{badge_key}/{sig}/{segment}.{fmt}"


def badge_urls(site_root: str, badge_key: str, tags: Iterable[str], secret: str) -> dict[str, dict[str, str]]:
    out: dict[str, dict[str, str]] = {}
    for tag in ["*", *sorted(set(tags) - {"*"})]:
        urls = {}
        for fmt in FORMATS:
            urls[fmt] = badge_url(site_root, badge_key, tag, secret, fmt, with_late=False)
            urls[fmt + "3"] = badge_url(site_root, badge_key, tag, secret, fmt, with_late=True)
        out[tag] = {k: urls[k] for k in ("svg", "svg3", "json", "json3", "shields", "shields3")}
    return out


def signature_ok(badge_key: str, tag: str, signature: str, secret: str) -> bool:
    return hmac.compare_digest(signature[:8], badge_signature(badge_key, tag, secret))


@dataclass(frozen=True)
class BadgeState:
    status: str  # up | late | down
    total: int
    grace: int
    down: int


def badge_state(
    checks: Iterable[Check],
    now: datetime,
    with_late: bool,
    status_of: Callable[[Check, datetime], str] | None = None,
) -> BadgeState:
    """down if any check is down; late (3-state only) if any is in its grace period; else up."""
    status_of = status_of or reported_status
    status, total, grace, down = "up", 0, 0, 0
    for check in checks:
        total += 1
        current = status_of(check, now)
        if current == "down":
            down += 1
            status = "down"
        elif current == "grace":
            grace += 1
            if status == "up" and with_late:
                status = "late"
    return BadgeState(status, total, grace, down)


def render_json(state: BadgeState) -> dict[str, object]:
    return {"status": state.status, "total": state.total, "grace": state.grace, "down": state.down}


def render_shields(label: str, state: BadgeState) -> dict[str, object]:
    color = SHIELDS_COLORS[state.status]
    return {"schemaVersion": 1, "label": label, "message": state.status, "color": color}


# Approximate advance widths of Verdana at 11px, the font shields.io badges use.
_NARROW = dict.fromkeys("fijlrtI!.,:;'|()[]", 4.0)
_WIDE = dict.fromkeys("mwMW", 10.0)


def text_width(text: str) -> float:
    width = 0.0
    for ch in text:
        if ch in _NARROW:
            width += _NARROW[ch]
        elif ch in _WIDE:
            width += _WIDE[ch]
        elif ch == " ":
            width += 3.9
        elif ch.isupper() or ch.isdigit():
            width += 7.5
        else:
            width += 6.6
    return width


def render_svg(label: str, status: str) -> bytes:
    """A flat, 20px high badge: label on grey, status on its color."""
    left = round(text_width(label) + 10)
    right = round(text_width(status) + 10)
    total = left + right
    color = COLORS[status]
    text = escape(label, {'"': "&quot;"})
    svg = f"""<svg xmlns="http://www.w3.org/2000/svg" width="{total}" height="20" role="img" \
aria-label="{text}: {status}">
<title>{text}: {status}</title>
<linearGradient id="s" x2="0" y2="100%"><stop offset="0" stop-color="#bbb" stop-opacity=".1"/>\
<stop offset="1" stop-opacity=".1"/></linearGradient>
<clipPath id="r"><rect width="{total}" height="20" rx="3" fill="#fff"/></clipPath>
<g clip-path="url(#r)"><rect width="{left}" height="20" fill="#555"/>\
<rect x="{left}" width="{right}" height="20" fill="{color}"/>\
<rect width="{total}" height="20" fill="url(#s)"/></g>
<g fill="#fff" text-anchor="middle" font-family="Verdana,Geneva,DejaVu Sans,sans-serif" font-size="11">
<text x="{left / 2}" y="15" fill="#010101" fill-opacity=".3">{text}</text>\
<text x="{left / 2}" y="14">{text}</text>
<text x="{left + right / 2}" y="15" fill="#010101" fill-opacity=".3">{status}</text>\
<text x="{left + right / 2}" y="14">{status}</text>
</g></svg>
"""
    return svg.encode()
