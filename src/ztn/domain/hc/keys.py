"""Project keys and check identifiers (spec §0.3, §2.1)."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import uuid


def new_api_key(read_only: bool) -> str:
    """``hcw_``/``hcr_`` + 28 URL-safe characters: 32 characters, as Healthchecks issues them."""
    return ("hcr_" if read_only else "hcw_") + secrets.token_urlsafe(21)


def key_digest(secret: str, key: str) -> str:
    """Keys are stored as an HMAC, never in clear; lookups compare digests."""
    return hmac.new(secret.encode(), key.encode(), hashlib.sha256).hexdigest()


def key_prefix(key: str) -> str:
    """The first 8 secret characters (shown in listings to tell keys apart)."""
    return key[4:12] if key.startswith(("hcw_", "hcr_")) else key[:8]


def new_ping_key() -> str:
    return secrets.token_urlsafe(16)


def new_uuid() -> str:
    return str(uuid.uuid4())


def unique_key(code: str) -> str:
    """The stable read-only identifier of a check: sha1 of the first 16 hex digits of its UUID."""
    return hashlib.sha1(code.replace("-", "")[:16].encode("ascii")).hexdigest()
