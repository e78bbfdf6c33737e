"""The authenticated caller of a Management / Instance API call (set by the tenancy middleware).

Servicers read :func:`current_caller` for the instance and org they act on; the declared permission
of the RPC has already been checked before the servicer runs, so servicers never re-check it. They
use :meth:`Caller.can` only for finer, data-dependent decisions (e.g. filtering a list of projects
to those a project-scoped member may see).
"""

from __future__ import annotations

from collections.abc import Mapping
from contextvars import ContextVar, Token
from dataclasses import dataclass, field
from types import MappingProxyType


@dataclass(frozen=True)
class Caller:
    instance_id: str
    org_id: str
    """Org in context: ``x-zitadel-orgid``, else the user's home org."""
    user_id: str
    permissions: frozenset[str]
    """Instance/org-level permissions in this org context."""
    project_grants: Mapping[str, frozenset[str]] = field(default_factory=dict)
    """permission -> ids of the projects on which a project-scoped membership grants it."""

    def __post_init__(self) -> None:
        # Callers are cached and shared between calls (domain/access.py): keep them immutable.
        if not isinstance(self.project_grants, MappingProxyType):
            object.__setattr__(self, "project_grants", MappingProxyType(dict(self.project_grants)))

    def can(self, permission: str, project_id: str | None = None) -> bool:
        """Instance/org-level permission, or (with ``project_id``) a project membership granting it."""
        if permission in self.permissions:
            return True
        return project_id is not None and project_id in self.project_grants.get(permission, ())


_current: ContextVar[Caller | None] = ContextVar("ztn_caller", default=None)


def current_caller() -> Caller:
    """The caller of the running call; raises LookupError outside an authenticated call."""
    caller = _current.get()
    if caller is None:
        raise LookupError("no authenticated caller in this context")
    return caller


def set_caller(c: Caller) -> Token[Caller | None]:
    return _current.set(c)


def reset_caller(token: Token[Caller | None]) -> None:
    _current.reset(token)
