"""Which instance an Instance-service call acts on, and the permission checks its handler owns.

ZITADEL declares most instance v2 RPCs as ``authenticated``: any valid token passes the interceptor
and the handler checks ``iam.read`` / ``iam.write`` itself, plus ``system.instance.read`` /
``system.instance.write`` when the request names an instance by ``instance_id``. Naming the caller's
own instance needs no system permission here (the token is bound to it anyway). v2beta declares
``iam.*`` in the option (checked by the tenancy middleware) but still carries ``instance_id``, so it
uses the same rule to keep a token of one instance from acting on another.
"""

from __future__ import annotations

from ztn.auth.caller import current_caller
from ztn.domain.errors import permission_denied

IAM_READ = "iam.read"
IAM_WRITE = "iam.write"
SYSTEM_INSTANCE_READ = "system.instance.read"
SYSTEM_INSTANCE_WRITE = "system.instance.write"


def _denied() -> Exception:
    return permission_denied("AUTH-5mWD2", "No matching permissions found")


def target_instance(requested: str, *, write: bool) -> str:
    """The instance id to act on: ``requested`` when set, else the caller's (host-resolved) instance."""
    caller = current_caller()
    requested = requested.strip()
    if requested and requested != caller.instance_id:
        if not caller.can(SYSTEM_INSTANCE_WRITE if write else SYSTEM_INSTANCE_READ):
            raise _denied()
        return requested
    if not caller.can(IAM_WRITE if write else IAM_READ):
        raise _denied()
    return caller.instance_id
