"""ZITADEL's internal role -> permission mapping (``InternalAuthZ.RolePermissionMappings``, spec §4.5).

Only the permissions the served APIs declare are listed (projects, apps, actions, flows, instance).
Roles of IAM and org memberships grant their permissions on the whole instance / context org;
roles of project memberships grant them only on that project (see :func:`permissions_of`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

AUTHENTICATED = "authenticated"
"""Declared by RPCs that any valid token may call (the handler checks finer permissions itself)."""

PROJECT_READ = "project.read"
PROJECT_CREATE = "project.create"
PROJECT_WRITE = "project.write"
PROJECT_DELETE = "project.delete"
APP_READ = "project.app.read"
APP_WRITE = "project.app.write"
APP_DELETE = "project.app.delete"
ACTION_READ = "org.action.read"
ACTION_WRITE = "org.action.write"
ACTION_DELETE = "org.action.delete"
FLOW_READ = "org.flow.read"
FLOW_WRITE = "org.flow.write"
FLOW_DELETE = "org.flow.delete"
IAM_READ = "iam.read"
IAM_WRITE = "iam.write"

_PROJECT_READS = frozenset({PROJECT_READ, APP_READ})
_PROJECT_WRITES = frozenset({PROJECT_WRITE, PROJECT_DELETE, APP_WRITE, APP_DELETE})
_ORG_READS = frozenset({ACTION_READ, FLOW_READ})
_ORG_WRITES = frozenset({ACTION_WRITE, ACTION_DELETE, FLOW_WRITE, FLOW_DELETE})

_OWNER = _PROJECT_READS | _PROJECT_WRITES | {PROJECT_CREATE} | _ORG_READS | _ORG_WRITES

ROLE_PERMISSIONS: Mapping[str, frozenset[str]] = {
    "IAM_OWNER": _OWNER | {IAM_READ, IAM_WRITE},
    "IAM_OWNER_VIEWER": _PROJECT_READS | _ORG_READS | {IAM_READ},
    "IAM_ORG_MANAGER": _OWNER,
    "IAM_USER_MANAGER": _PROJECT_READS,
    "IAM_LOGIN_CLIENT": _PROJECT_READS | {IAM_READ},
    # The spec's defaults.yaml snapshot lacks project.app.delete for ORG_OWNER and calls it a likely
    # oversight; an org owner who may create and change apps may also delete them here.
    "ORG_OWNER": _OWNER,
    "ORG_OWNER_VIEWER": _PROJECT_READS | _ORG_READS,
    "ORG_USER_MANAGER": frozenset({PROJECT_READ}),
    "ORG_USER_PERMISSION_EDITOR": _PROJECT_READS,
    "ORG_PROJECT_PERMISSION_EDITOR": _PROJECT_READS,
    "ORG_PROJECT_CREATOR": frozenset({PROJECT_CREATE}),  # plus project.read:self, not modelled
    "PROJECT_OWNER": _PROJECT_READS | _PROJECT_WRITES,
    "PROJECT_OWNER_GLOBAL": _PROJECT_READS | _PROJECT_WRITES,
    "PROJECT_OWNER_VIEWER": _PROJECT_READS,
    "PROJECT_OWNER_VIEWER_GLOBAL": _PROJECT_READS,
    "PROJECT_GRANT_OWNER": frozenset({PROJECT_READ}),
    "PROJECT_GRANT_OWNER_VIEWER": frozenset({PROJECT_READ}),
}

ALL_PERMISSIONS: frozenset[str] = frozenset().union(*ROLE_PERMISSIONS.values())
"""Every internal permission: what a SYSTEM_OWNER system user holds on any instance."""


def role_permissions(roles: Iterable[str]) -> frozenset[str]:
    out: set[str] = set()
    for role in roles:
        out |= ROLE_PERMISSIONS.get(role, frozenset())
    return frozenset(out)


def permissions_of(
    memberships: Iterable[tuple[str, str, Iterable[str]]],
) -> tuple[frozenset[str], dict[str, frozenset[str]]]:
    """``(level, aggregate_id, roles)`` rows -> (global permissions, permission -> project ids).

    The caller passes only the memberships valid in the call's context (IAM of the instance, the
    context org's, project ones); "iam"/"org" rows grant globally, "project" rows per project.
    """
    global_perms: set[str] = set()
    scoped: dict[str, set[str]] = {}
    for level, aggregate_id, roles in memberships:
        perms = role_permissions(roles)
        if level == "project":
            for perm in perms:
                scoped.setdefault(perm, set()).add(aggregate_id)
        else:
            global_perms |= perms
    return frozenset(global_perms), {p: frozenset(ids) for p, ids in scoped.items()}
