"""The Python client ``healthchecks-io`` (PyPI) against ztn's Healthchecks API and ping URLs.

The client targets the hosted service; pointed at ztn (``api_url=<server>/api/``,
``ping_url=<server>/ping/``) it must work unchanged, as it does against Healthchecks.
Its ``get_check_flips`` expects a bare JSON array while Healthchecks (and ztn) answer
``{"flips": [...]}``, so that one call fails against the reference too and is not exercised.
"""

from __future__ import annotations

import json
import subprocess
import sys
import uuid

import pytest

healthchecks_io = pytest.importorskip("healthchecks_io")
# The client calls pydantic v1's .dict(); its deprecation warning is the client's, not ours.
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

from healthchecks_io import AsyncClient, CheckCreate, CheckUpdate, Client  # noqa: E402
from healthchecks_io.client.exceptions import CheckNotFoundError, HCAPIAuthError  # noqa: E402


def create_project(server, name: str) -> dict[str, str]:
    out = subprocess.run(
        [sys.executable, "-m", "ztn.cli", "hc", "create-project", "--database-url", server.database_url,
         "--name", name],
        check=True, capture_output=True, text=True,
    ).stdout
    return json.loads(out)


@pytest.fixture(scope="module")
def project(server) -> dict[str, str]:
    return create_project(server, f"interop-{uuid.uuid4().hex[:6]}")


@pytest.fixture
def client(server, project) -> Client:
    return Client(
        api_key=project["api_key"], api_url=f"{server.http}/api/", ping_url=f"{server.http}/ping/",
        api_version=3,
    )


def test_create_get_update_list_pause_delete(client: Client) -> None:
    created = client.create_check(CheckCreate(name="interop", tags="cli sdk", timeout=3600, grace=120))
    assert created.name == "interop" and created.status == "new" and created.uuid
    fetched = client.get_check(created.uuid)
    assert fetched.uuid == created.uuid and fetched.timeout == 3600

    updated = client.update_check(created.uuid, CheckUpdate(name="interop2", desc="updated"))
    assert updated.name == "interop2" and updated.desc == "updated"

    names = [c.name for c in client.get_checks(tags=["cli"])]
    assert "interop2" in names
    assert client.get_checks(tags=["no-such-tag"]) == []

    paused = client.pause_check(created.uuid)
    assert paused.status == "paused"

    deleted = client.delete_check(created.uuid)
    assert deleted.uuid == created.uuid
    with pytest.raises(CheckNotFoundError):
        client.get_check(created.uuid)


def test_pings_through_the_client_are_listed_with_durations(client: Client) -> None:
    check = client.create_check(CheckCreate(name="pinged", timeout=3600))
    assert client.start_ping(uuid=check.uuid)[0]
    assert client.success_ping(uuid=check.uuid, data="all good")[0]
    assert client.fail_ping(uuid=check.uuid)[0]

    pings = client.get_check_pings(check.uuid)
    assert [p.type for p in pings] == ["fail", "success", "start"]
    assert pings[1].duration is not None
    assert client.get_check(check.uuid).status == "down"


def test_integrations_and_badges(client: Client, server, project) -> None:
    subprocess.run(
        [sys.executable, "-m", "ztn.cli", "hc", "create-channel", "--database-url", server.database_url,
         "--project", project["id"], "--kind", "webhook", "--name", "hook", "--value", "http://127.0.0.1:9/x"],
        check=True, capture_output=True,
    )
    kinds = {i.name: i.kind for i in client.get_integrations() if i is not None}
    assert kinds.get("hook") == "webhook"
    badges = client.get_badges()
    assert "*" in badges and badges["*"].svg.endswith(".svg")


def test_wrong_key_is_an_auth_error(server) -> None:
    bad = Client(api_key="x" * 32, api_url=f"{server.http}/api/", api_version=3)
    with pytest.raises(HCAPIAuthError):
        bad.get_checks()


async def test_async_client_lists_checks(server, project) -> None:
    async with AsyncClient(
        api_key=project["api_key"], api_url=f"{server.http}/api/", ping_url=f"{server.http}/ping/",
        api_version=3,
    ) as client:
        check = await client.create_check(CheckCreate(name="async", timeout=600))
        assert check.uuid in {c.uuid for c in await client.get_checks()}
