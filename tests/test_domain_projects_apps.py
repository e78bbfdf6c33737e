"""Projects and apps rules on the backend under test (domain + store, no transport)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from ztn.domain.apps import Apps, check_client_secret
from ztn.domain.errors import DomainError, Kind
from ztn.domain.instances import InstanceConfig, Instances
from ztn.domain.models import ListQuery, MachineOwner, NewInstance, PatRequest, TextMethod
from ztn.domain.oidc_compliance import compliance_problems
from ztn.domain.project_models import (
    ApiAuthMethod,
    ApiConfig,
    AppState,
    NameFilter,
    OidcAppType,
    OidcAuthMethod,
    OidcConfig,
    OidcGrantType,
    OrgScope,
    ProjectSpec,
    ProjectState,
    SamlConfig,
)
from ztn.domain.projects import Projects
from ztn.store.projects_models import projects_apps


async def new_scope(database) -> OrgScope:
    created = await Instances(database, InstanceConfig(base_domain="example.test")).create_instance(
        NewInstance(name="i", owner=MachineOwner(user_name="sa", pat=PatRequest()))
    )
    return OrgScope(created.instance_id, created.org_id)


async def test_projects_rules(database):
    scope, other = await new_scope(database), await new_scope(database)
    projects = Projects(database)
    pid, details = await projects.add(scope, ProjectSpec(" Shop ", role_check=True))
    assert details.sequence == 1 and details.resource_owner == scope.org_id
    got = await projects.get(scope, pid)
    assert got.name == "Shop" and got.role_check and got.state == ProjectState.ACTIVE
    with pytest.raises(DomainError) as err:
        await projects.add(scope, ProjectSpec("Shop"))
    assert err.value.kind == Kind.ALREADY_EXISTS
    await projects.add(other, ProjectSpec("Shop"))  # unique per org only
    with pytest.raises(DomainError) as err:
        await projects.get(other, pid)
    assert err.value.kind == Kind.NOT_FOUND
    with pytest.raises(DomainError) as err:
        await projects.update(scope, pid, ProjectSpec("Shop", role_check=True))
    assert err.value.id == "COMMAND-2M0fs"
    assert (await projects.update(scope, pid, ProjectSpec("Shop2"))).sequence == 2
    await projects.deactivate(scope, pid)
    with pytest.raises(DomainError) as err:
        await projects.deactivate(scope, pid)
    assert err.value.kind == Kind.FAILED_PRECONDITION
    await projects.reactivate(scope, pid)
    page = await projects.list(scope, ListQuery(), [NameFilter("shop", TextMethod.STARTS_WITH_IGNORE_CASE)])
    assert [p.id for p in page.items] == [pid] and page.processed_sequence == 4
    assert (await projects.list(scope, only_ids=[])).total == 0


async def test_apps_rules_and_cascade(database):
    scope = await new_scope(database)
    pid, _ = await Projects(database).add(scope, ProjectSpec("My Shop"))
    apps = Apps(database)
    added = await apps.add_oidc(scope, pid, "web", OidcConfig(redirect_uris=("https://a.example/cb",)))
    assert added.client_id == f"{added.app_id}@my-shop" and added.client_secret
    async with database.read() as conn:
        stored = (await conn.execute(projects_apps.select())).one()
    assert added.client_secret not in str(stored) and check_client_secret(
        added.client_secret, stored.secret_hash
    )
    app = await apps.get(scope, pid, added.app_id)
    assert app.config.grant_types == (OidcGrantType.AUTHORIZATION_CODE,) and not app.compliance_problems
    none = await apps.add_oidc(
        scope, pid, "spa", OidcConfig(app_type=OidcAppType.USER_AGENT, auth_method=OidcAuthMethod.NONE)
    )
    assert not none.client_secret and [p.key for p in none.compliance_problems] == [
        "Application.OIDC.V1.NotAllCombinationsAreAllowed",
        "Application.OIDC.V1.NoRedirectUris",
    ]
    api = await apps.add_api(scope, pid, "api", ApiConfig(ApiAuthMethod.PRIVATE_KEY_JWT))
    assert not api.client_secret
    with pytest.raises(DomainError) as err:
        await apps.add_api(scope, pid, "api", ApiConfig())
    assert err.value.kind == Kind.ALREADY_EXISTS
    with pytest.raises(DomainError) as err:
        await apps.add_saml(scope, pid, "s", SamlConfig(metadata_xml=b"<x/>"))
    assert err.value.kind == Kind.INVALID_ARGUMENT
    saml = await apps.add_saml(scope, pid, "s", SamlConfig(metadata_url="https://idp.example/md"))
    assert not saml.client_id
    await apps.deactivate(scope, pid, api.app_id)
    assert (await apps.get(scope, pid, api.app_id)).state == AppState.INACTIVE
    with pytest.raises(DomainError) as err:
        await apps.reactivate(scope, pid, added.app_id)
    assert err.value.id == "COMMAND-1n8cM"
    await apps.update_oidc_config(
        scope,
        pid,
        added.app_id,
        OidcConfig(redirect_uris=("https://a.example/cb",), clock_skew=timedelta(seconds=2)),
    )
    assert (await apps.get(scope, pid, added.app_id)).config.clock_skew == timedelta(seconds=2)
    with pytest.raises(DomainError) as err:
        await apps.regenerate_api_secret(scope, pid, added.app_id)
    assert err.value.kind == Kind.FAILED_PRECONDITION
    secret, _ = await apps.regenerate_oidc_secret(scope, pid, added.app_id)
    assert secret != added.client_secret
    page = await apps.list(scope, pid, ListQuery(offset=1, limit=2))
    assert page.total == 4 and [a.id for a in page.items] == [none.app_id, api.app_id]
    await Projects(database).remove(scope, pid)
    assert (await apps.list(scope, pid)).total == 0
    with pytest.raises(DomainError):
        await apps.get(scope, pid, added.app_id)


def test_compliance_native_and_refresh():
    keys = [
        p.key
        for p in compliance_problems(
            OidcConfig(
                redirect_uris=("http://example.com/cb",),
                grant_types=(OidcGrantType.REFRESH_TOKEN,),
                app_type=OidcAppType.NATIVE,
            )
        )
    ]
    assert keys == [
        "Application.OIDC.V1.NotAllCombinationsAreAllowed",
        "Application.OIDC.V1.GrantType.Refresh.NoAuthCode",
        "Application.OIDC.V1.Native.AuthMethodType.NotNone",
    ]
    ok = OidcConfig(
        redirect_uris=("http://localhost:3000/cb",),
        app_type=OidcAppType.NATIVE,
        auth_method=OidcAuthMethod.NONE,
        grant_types=(OidcGrantType.AUTHORIZATION_CODE,),
    )
    assert compliance_problems(ok) == ()
