"""Status badges (spec §7.2-7.3): signed URLs per tag, the aggregate status, and the renderings.

A project badge URL is ``/badge/<badge key>/<signature>[-2]/<tag>.<fmt>`` (``/badge/<key>/<sig>[-2].<fmt>``
for all checks). The signature, 8 characters of a salted HMAC of the tag, lets a project publish a badge
for one tag without exposing anything else; "-2" selects the 2-state variant (up/down only).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import quote, unquote
from xml.sax.saxutils import escape

from ztn.domain.hc.models import Check
from ztn.domain.hc.status import reported_status

FORMATS = ("svg", "json", "shields")
ALL = "*"  # the tag of the all-checks badge
COLORS = {"up": "#4c1", "late": "#fe7d37", "down": "#e05d44"}
SHIELDS_COLORS = {"up": "success", "late": "important", "down": "critical"}
SIGNATURE_LENGTH = 8

StatusOf = Callable[[Check, datetime], str]


# -- signed URLs ---------------------------------------------------------------------------------------
def badge_signature(badge_key: str, tag: str, secret: str) -> str:
    """Django's ``base64_hmac(salt=badge_key, value=tag, key=secret, algorithm="sha1")``, first 8 chars:
    HMAC-SHA1 keyed with sha1(badge_key + secret), base64url without padding. Compatible signatures
    keep badge URLs published by a Healthchecks instance valid after a migration."""
    key = hashlib.sha1((badge_key + secret).encode()).digest()
    digest = hmac.new(key, tag.encode(), hashlib.sha1).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()[:SIGNATURE_LENGTH]


def signature_ok(badge_key: str, tag: str, signature: str, secret: str) -> bool:
    """Only the first 8 characters count: the reference tolerates (and ignores) anything after them."""
    return hmac.compare_digest(signature[:SIGNATURE_LENGTH], badge_signature(badge_key, tag, secret))


def quote_tag(tag: str) -> str:
    """Percent-encoded twice: a tag may hold "/" or "%", and the server decodes the path once before
    routing, so one encoding would let "a/b" split the path."""
    return quote(tag, safe="").replace("%", "%25")


def badge_url(site_root: str, badge_key: str, tag: str, secret: str, fmt: str, three_state: bool) -> str:
    sig = badge_signature(badge_key, tag, secret) + ("" if three_state else "-2")
    if tag == ALL:
        return f"{site_root}/badge/{badge_key}/{sig}.{fmt}"
    return f"{site_root}/badge/{badge_key}/{sig}/{quote_tag(tag)}.{fmt}"


def badge_urls(site_root: str, badge_key: str, tags: Iterable[str], secret: str) -> dict[str, dict[str, str]]:
    """{tag: {svg, svg3, json, json3, shields, shields3}} for "*" and every given tag; the plain keys
    are the 2-state badges, the "3" keys the 3-state ones."""
    out: dict[str, dict[str, str]] = {}
    for tag in [ALL, *sorted(set(tags) - {ALL})]:
        urls: dict[str, str] = {}
        for fmt in FORMATS:
            urls[fmt] = badge_url(site_root, badge_key, tag, secret, fmt, three_state=False)
            urls[fmt + "3"] = badge_url(site_root, badge_key, tag, secret, fmt, three_state=True)
        out[tag] = urls
    return out


# -- public badge requests -----------------------------------------------------------------------------
_SIGNATURE_SEGMENT = re.compile(r"[-a-zA-Z0-9_]+\Z")
_TAG_SEGMENT = re.compile(r"[\w%~.-]+\Z")


@dataclass(frozen=True, slots=True)
class BadgeRequest:
    signature: str  # as sent (only its first 8 characters are checked)
    tag: str  # "*" for the all-checks badge
    fmt: str  # svg | json | shields
    three_state: bool


def three_state_signature(segment: str) -> bool:
    """2-state iff the segment is exactly the 8 signature characters plus "-2"."""
    return not (len(segment) == SIGNATURE_LENGTH + 2 and segment.endswith("-2"))


def parse_badge_path(signature_segment: str, tag_segment: str | None) -> BadgeRequest | None:
    """The two variable segments of a project badge path, as routed (decoded once by the server).

    ``/badge/<key>/<sig>.<fmt>``: ``signature_segment="<sig>.<fmt>"``, ``tag_segment=None``.
    ``/badge/<key>/<sig>/<tag>.<fmt>``: ``signature_segment="<sig>"``, ``tag_segment="<tag>.<fmt>"``.
    None means 404 (malformed segment or unknown format); the signature is not checked here.
    """
    if tag_segment is None:
        signature, dot, fmt = signature_segment.rpartition(".")
        tag = ALL
    else:
        if not _TAG_SEGMENT.match(tag_segment):
            return None
        signature = signature_segment
        quoted, dot, fmt = tag_segment.rpartition(".")
        if not quoted:
            return None
        tag = unquote(quoted)
    if not dot or fmt not in FORMATS or not _SIGNATURE_SEGMENT.match(signature):
        return None
    return BadgeRequest(signature, tag, fmt, three_state_signature(signature))


def checks_with_tag(checks: Iterable[Check], tag: str) -> list[Check]:
    """The checks a tag badge covers: an exact match of one of the space-separated tags."""
    if tag == ALL:
        return list(checks)
    return [check for check in checks if tag in check.tags.split()]


# -- aggregate status ----------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class BadgeState:
    status: str  # up | late | down
    total: int
    grace: int
    down: int


def badge_state(
    checks: Iterable[Check], now: datetime, three_state: bool, status_of: StatusOf | None = None
) -> BadgeState:
    """down if any check is down; else late (3-state only) if any is in its grace period; else up.
    new, paused and running checks count as up. The grace count is kept in 2-state mode too (json)."""
    status_of = status_of or reported_status
    total = grace = down = 0
    for check in checks:
        total += 1
        current = status_of(check, now)
        if current == "down":
            down += 1
        elif current == "grace":
            grace += 1
    if down:
        status = "down"
    elif grace and three_state:
        status = "late"
    else:
        status = "up"
    return BadgeState(status, total, grace, down)


# -- renderings ----------------------------------------------------------------------------------------
def render_json(state: BadgeState) -> dict[str, object]:
    return {"status": state.status, "total": state.total, "grace": state.grace, "down": state.down}


def render_shields(label: str, state: BadgeState) -> dict[str, object]:
    """shields.io's endpoint-badge schema, so a project can restyle its badge there."""
    color = SHIELDS_COLORS[state.status]
    return {"schemaVersion": 1, "label": label, "message": state.status, "color": color}


# Advance widths of Verdana (the font of shields.io badges) in font units of a 2048 em, printable
# ASCII from " " to "~". Badge boxes are sized from these; the SVG also pins each text to its
# estimated length (textLength) so the badge stays tidy when a viewer substitutes another font.
# fmt: off
_VERDANA_UNITS = (
    720, 823, 940, 1675, 1303, 2218, 1483, 548, 934, 934, 1303, 1675, 745, 946, 745, 1303,  # space-/
    1303, 1303, 1303, 1303, 1303, 1303, 1303, 1303, 1303, 1303,  # 0-9
    889, 889, 1675, 1675, 1675, 1117, 2048,  # :;<=>?@
    1401, 1405, 1430, 1577, 1294, 1178, 1587, 1540, 862, 931, 1415, 1146, 1722,  # A-M
    1532, 1612, 1239, 1612, 1432, 1401, 1241, 1499, 1401, 2025, 1403, 1241, 1403,  # N-Z
    934, 1303, 934, 1675, 1303, 1303,  # [\]^_`
    1229, 1276, 1067, 1276, 1220, 720, 1276, 1296, 562, 615, 1206, 562, 1992,  # a-m
    1296, 1243, 1276, 1276, 874, 1067, 807, 1296, 1206, 1673, 1206, 1206, 1051,  # n-z
    1305, 934, 1305, 1675,  # {|}~
)
# fmt: on
_FONT_SIZE = 11
_EM = 2048
_ASCII_PX = {chr(32 + i): units * _FONT_SIZE / _EM for i, units in enumerate(_VERDANA_UNITS)}
_DEFAULT_PX = 1303 * _FONT_SIZE / _EM  # a digit's width: a fair guess for other alphabets
_WIDE_PX = 2048 * _FONT_SIZE / _EM  # CJK and other full-width characters take a whole em
_PADDING = 5  # each side of each text


def text_width(text: str) -> float:
    """Estimated rendered width in px of ``text`` in Verdana 11px."""
    width = 0.0
    for ch in text:
        # An accented Latin letter is as wide as its base letter (NFD puts the base first).
        px = _ASCII_PX.get(ch) or _ASCII_PX.get(unicodedata.normalize("NFD", ch)[0])
        if px is None:
            if unicodedata.combining(ch) or unicodedata.category(ch) in ("Mn", "Me", "Cf"):
                px = 0.0
            elif unicodedata.east_asian_width(ch) in ("W", "F"):
                px = _WIDE_PX
            else:
                px = _DEFAULT_PX
        width += px
    return width


def _xml(text: str) -> str:
    return escape(text, {'"': "&quot;"})


def render_svg(label: str, status: str) -> bytes:
    """A flat shields-style badge, 20 px high: the label on grey, the status on its color."""
    label_text = round(text_width(label))
    status_text = round(text_width(status))
    left = label_text + 2 * _PADDING
    right = status_text + 2 * _PADDING
    width = left + right
    color = COLORS[status]
    title = _xml(f"{label}: {status}")
    # Text is laid out at 10x scale (font-size 110, scale .1) for sub-pixel positioning, as shields does.
    label_x, status_x = left * 5, (left * 2 + right) * 5
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="20" role="img" '
        f'aria-label="{title}">'
        f"<title>{title}</title>"
        '<linearGradient id="s" x2="0" y2="100%">'
        '<stop offset="0" stop-color="#bbb" stop-opacity=".1"/><stop offset="1" stop-opacity=".1"/>'
        "</linearGradient>"
        f'<clipPath id="r"><rect width="{width}" height="20" rx="3" fill="#fff"/></clipPath>'
        '<g clip-path="url(#r)">'
        f'<rect width="{left}" height="20" fill="#555"/>'
        f'<rect x="{left}" width="{right}" height="20" fill="{color}"/>'
        f'<rect width="{width}" height="20" fill="url(#s)"/>'
        "</g>"
        '<g fill="#fff" text-anchor="middle" font-family="Verdana,Geneva,DejaVu Sans,sans-serif" '
        'text-rendering="geometricPrecision" font-size="110">'
        f"{_svg_text(label, label_x, label_text)}{_svg_text(status, status_x, status_text)}"
        "</g></svg>"
    )
    return svg.encode()


def _svg_text(text: str, x: int, length: int) -> str:
    """The text with its 1px drop shadow, centred on ``x`` (10x units)."""
    body = _xml(text)
    attrs = f'x="{x}" transform="scale(.1)"' + (f' textLength="{length * 10}"' if length else "")
    return (
        f'<text aria-hidden="true" {attrs} y="150" fill="#010101" fill-opacity=".3">{body}</text>'
        f'<text {attrs} y="140">{body}</text>'
    )
