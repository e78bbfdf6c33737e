"""ListApps answers an unchanged page from memory (one response, encoded once) until any write.

The page's ``viewTimestamp`` is when that state of the list was read, so two reads of an unchanged
page carry the same one; a write (here: adding an app) gives a new page with the new app.
"""

from __future__ import annotations

import uuid

import aiohttp
import pytest

HOST = {"x-zitadel-instance-host": "localhost"}


@pytest.fixture(scope="module")
async def session():
    async with aiohttp.ClientSession() as s:
        yield s


async def rest(session, server, path, body):
    headers = {"Authorization": f"Bearer {server.admin_pat()}", **HOST}
    async with session.post(server.http + "/management/v1" + path, json=body, headers=headers) as r:
        assert r.status == 200, await r.text()
        return await r.json()


async def test_an_unchanged_page_is_the_same_answer_until_a_write(server, session) -> None:
    project = await rest(session, server, "/projects", {"name": f"memo-{uuid.uuid4().hex[:8]}"})
    apps = f"/projects/{project['id']}/apps"
    await rest(session, server, f"{apps}/api", {"name": "first"})
    search = {"query": {"limit": 10}}

    one = await rest(session, server, f"{apps}/_search", search)
    two = await rest(session, server, f"{apps}/_search", search)
    assert one == two
    assert [a["name"] for a in one["result"]] == ["first"]

    await rest(session, server, f"{apps}/api", {"name": "second"})
    three = await rest(session, server, f"{apps}/_search", search)
    assert [a["name"] for a in three["result"]] == ["first", "second"]
    assert three["details"]["totalResult"] == "2"
    assert three["details"]["viewTimestamp"] >= one["details"]["viewTimestamp"]


async def test_pages_of_different_callers_scopes_are_not_shared(server, session) -> None:
    """Another project's page (same offset and limit) is its own answer."""
    first = await rest(session, server, "/projects", {"name": f"a-{uuid.uuid4().hex[:8]}"})
    second = await rest(session, server, "/projects", {"name": f"b-{uuid.uuid4().hex[:8]}"})
    await rest(session, server, f"/projects/{first['id']}/apps/api", {"name": "only-in-a"})
    search = {"query": {"limit": 10}}
    a = await rest(session, server, f"/projects/{first['id']}/apps/_search", search)
    b = await rest(session, server, f"/projects/{second['id']}/apps/_search", search)
    assert [x["name"] for x in a["result"]] == ["only-in-a"]
    assert b.get("result", []) == []
