"""Who is calling: set by the auth middleware for the duration of one call, readable by servicers."""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass


@dataclass(frozen=True)
class Identity:
    user_id: str
    kind: str
    """``"system"`` for system-API users (self-signed JWT); other authenticators add their own kinds."""
    permissions: frozenset[str]


_current: ContextVar[Identity | None] = ContextVar("ztn_identity", default=None)


def current_identity() -> Identity | None:
    """The authenticated caller of the running call, or None for calls that need no token."""
    return _current.get()


def set_identity(identity: Identity | None) -> object:
    """Set the caller; returns a token for :func:`reset_identity`."""
    return _current.set(identity)


def reset_identity(token: object) -> None:
    _current.reset(token)  # type: ignore[arg-type]
