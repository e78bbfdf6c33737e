"""First start: create the first instance on an empty database, exactly once across processes."""

from __future__ import annotations

from dataclasses import dataclass

from ztn.domain.domain_names import normalize_domain
from ztn.domain.instances import Instances
from ztn.domain.models import MachineOwner, NewInstance, PatRequest

DEFAULT_INSTANCE_NAME = "ZITADEL"
DEFAULT_ORG_NAME = "ZITADEL"
ADMIN_USER_NAME = "admin"


@dataclass(frozen=True, slots=True)
class BootstrapResult:
    instance_id: str
    org_id: str
    user_id: str
    domain: str
    pat: str
    """A non-expiring PAT of the IAM_OWNER machine user "admin" (the CLI writes it to DIR/admin.pat)."""


async def bootstrap_first_instance(
    instances: Instances,
    external_host: str,
    *,
    instance_name: str = DEFAULT_INSTANCE_NAME,
    org_name: str = DEFAULT_ORG_NAME,
) -> BootstrapResult | None:
    """Create the first instance, whose generated domain is exactly ``external_host``.

    Returns None when the database already holds an instance (including when another process that
    started at the same moment won the race).
    """
    domain = normalize_domain(external_host)
    spec = NewInstance(
        name=instance_name,
        first_org_name=org_name,
        owner=MachineOwner(user_name=ADMIN_USER_NAME, name="Administrator", pat=PatRequest(expiration=None)),
    )
    created = await instances._create(spec, generated=domain, only_if_empty=True)
    if created is None:
        return None
    assert created.pat is not None
    return BootstrapResult(created.instance_id, created.org_id, created.user_id, domain, created.pat)
