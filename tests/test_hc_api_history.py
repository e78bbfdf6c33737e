"""Healthchecks API over REST: pings list and bodies, flips, channels, badges (spec §5-7).

Pings with chosen timestamps are recorded through the store's ping writer with the domain's rule
(what the ping URLs do); a few go through the real ping URLs to check the whole path.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from hc_api_support import Kit, assert_empty_html, error, open_kit
from ztn.domain.hc.badges import badge_urls


@pytest.fixture(scope="module")
async def kit(server):
    async with open_kit(server) as k:
        yield k


@pytest.fixture
def site(server) -> str:
    return server.external_url


T0 = datetime(2026, 3, 24, 14, 2, 3, 113073, tzinfo=UTC)
RID_A = "7f9a1f8c-0000-4000-8000-00000000000a"
RID_B = "7f9a1f8c-0000-4000-8000-00000000000b"


# -- pings --------------------------------------------------------------------------------------------
async def test_pings_list_newest_first_with_every_field(kit: Kit, site: str) -> None:
    p = await kit.project()
    code = (await kit.create(p, timeout=3600))["uuid"]
    await kit.ping(code, "start", T0, remote_addr="10.0.0.1", ua="cron/1", rid=RID_A)
    await kit.ping(
        code, "success", T0 + timedelta(seconds=90.5), method="POST", scheme="https", body=b"done", rid=RID_A
    )
    await kit.ping(code, "log", T0.replace(microsecond=0) + timedelta(minutes=5), remote_addr=None)
    resp = await kit.call("GET", f"/api/v3/checks/{code}/pings/", p.rw)
    assert resp.status == 200 and resp.headers["Access-Control-Allow-Origin"] == "*"
    pings = resp.json["pings"]
    assert pings == [
        {
            "type": "log", "date": "2026-03-24T14:07:03+00:00", "n": 3, "scheme": "http", "remote_addr": None,
            "method": "GET", "ua": "", "rid": None, "body_url": None,
        },
        {
            "type": "success", "date": "2026-03-24T14:03:33.613073+00:00", "n": 2, "scheme": "https",
            "remote_addr": None, "method": "POST", "ua": "", "rid": RID_A,
            "body_url": f"{site}/api/v3/checks/{code}/pings/2/body", "duration": 90.5,
        },
        {
            "type": "start", "date": "2026-03-24T14:02:03.113073+00:00", "n": 1, "scheme": "http",
            "remote_addr": "10.0.0.1", "method": "GET", "ua": "cron/1", "rid": RID_A, "body_url": None,
        },
    ]  # fmt: skip
    v1 = (await kit.call("GET", f"/api/v1/checks/{code}/pings/", p.rw)).json["pings"]
    assert v1[1]["body_url"] == f"{site}/api/v1/checks/{code}/pings/2/body"


async def test_durations_match_starts_and_ends_by_rid(kit: Kit) -> None:
    p = await kit.project()
    code = (await kit.create(p))["uuid"]
    minute = timedelta(minutes=1)
    await kit.ping(code, "start", T0, rid=RID_A)
    await kit.ping(code, "start", T0 + minute, rid=RID_B)
    await kit.ping(code, "success", T0 + 2 * minute, rid=RID_A)
    await kit.ping(code, "log", T0 + 3 * minute)
    await kit.ping(code, "success", T0 + 6 * minute, rid=RID_B)
    await kit.ping(code, "success", T0 + 7 * minute, rid=RID_B)  # no new start: no duration
    pings = (await kit.call("GET", f"/api/v3/checks/{code}/pings/", p.rw)).json["pings"]
    assert [p.get("duration") for p in pings] == [None, 300.0, None, 120.0, None, None]
    assert [p["type"] for p in pings] == ["success", "success", "log", "success", "start", "start"]
    check = (await kit.call("GET", f"/api/v3/checks/{code}", p.rw)).json
    assert "last_duration" not in check  # the last success had no matching start


async def test_pings_list_is_capped_by_the_projects_ping_log_limit(kit: Kit) -> None:
    p = await kit.project(ping_log_limit=5)
    code = (await kit.create(p))["uuid"]
    for i in range(7):
        await kit.ping(code, "log", T0 + timedelta(seconds=i))
    pings = (await kit.call("GET", f"/api/v3/checks/{code}/pings/", p.rw)).json["pings"]
    assert [p["n"] for p in pings] == [7, 6, 5, 4, 3]


async def test_a_pings_body_is_served_verbatim(kit: Kit) -> None:
    p = await kit.project(ping_log_limit=3)
    code = (await kit.create(p))["uuid"]
    raw = b"\xff\xfe not utf-8 \x00\r\n"
    await kit.ping(code, "fail", T0, body=raw)
    await kit.ping(code, "success", T0 + timedelta(seconds=1))
    resp = await kit.call("GET", f"/api/v3/checks/{code}/pings/1/body", p.rw)
    assert (resp.status, resp.body, resp.content_type) == (200, raw, "text/plain")
    for n in (2, 3, 0):  # no body; no such ping; never a ping
        missing = await kit.call("GET", f"/api/v3/checks/{code}/pings/{n}/body", p.rw)
        assert missing.status == 404 and b"Not Found" in missing.body
    assert error(await kit.call("GET", f"/api/v3/checks/{code}/pings/1/body", p.ro)) == "wrong api key"
    # Once older than the kept window (n <= n_pings - ping_log_limit), a body is gone even if stored.
    for i in range(2):
        await kit.ping(code, "log", T0 + timedelta(seconds=2 + i))
    assert (await kit.call("GET", f"/api/v3/checks/{code}/pings/1/body", p.rw)).status == 404


async def test_pings_through_the_ping_urls_are_listed_with_their_bodies(kit: Kit, site: str) -> None:
    p = await kit.project()
    code = (await kit.create(p))["uuid"]
    assert (await kit.call("POST", f"/ping/{code}/start", headers={"User-Agent": "agent/2"})).status == 200
    await kit.call(
        "POST", f"/ping/{code}", data=b"backup ok\n", headers={"X-Forwarded-For": "1.2.3.4, 5.6.7.8"}
    )
    pings = (await kit.call("GET", f"/api/v3/checks/{code}/pings/", p.rw)).json["pings"]
    assert [(p["type"], p["method"]) for p in pings] == [("success", "POST"), ("start", "POST")]
    assert pings[1]["ua"] == "agent/2" and pings[0]["remote_addr"] == "1.2.3.4"
    assert "duration" in pings[0]
    body = await kit.call("GET", pings[0]["body_url"].removeprefix(site), p.rw)
    assert body.body == b"backup ok\n"


# -- flips --------------------------------------------------------------------------------------------
async def flipped_check(kit: Kit):
    p = await kit.project()
    code = (await kit.create(p, timeout=3600))["uuid"]
    await kit.ping(code, "success", T0)  # new -> up
    await kit.ping(code, "fail", T0 + timedelta(hours=1, microseconds=900))  # up -> down
    await kit.ping(code, "success", T0 + timedelta(hours=2))  # down -> up
    return p, code


async def test_flips_newest_first_in_whole_seconds(kit: Kit) -> None:
    p, code = await flipped_check(kit)
    resp = await kit.call("GET", f"/api/v3/checks/{code}/flips/", p.ro)
    assert resp.status == 200
    assert resp.json == {
        "flips": [
            {"timestamp": "2026-03-24T16:02:03+00:00", "up": 1},
            {"timestamp": "2026-03-24T15:02:03+00:00", "up": 0},
            {"timestamp": "2026-03-24T14:02:03+00:00", "up": 1},
        ]
    }
    unique = (await kit.call("GET", f"/api/v3/checks/{code}", p.ro)).json["unique_key"]
    by_key = await kit.call("GET", f"/api/v3/checks/{unique}/flips/", p.ro)
    assert by_key.json == resp.json


async def test_flip_filters(kit: Kit) -> None:
    p, code = await flipped_check(kit)
    t0 = int(T0.timestamp())

    async def ups(query: str) -> list[int]:
        resp = await kit.call("GET", f"/api/v3/checks/{code}/flips/{query}", p.rw)
        assert resp.status == 200, (query, resp.status)
        return [f["up"] for f in resp.json["flips"]]

    assert await ups(f"?start={t0 + 1}") == [1, 0]
    assert await ups(f"?end={t0 + 3600}") == [1]  # end is exclusive; the 15:02:03.11 flip is not before it
    assert await ups(f"?start={t0}&end={t0 + 7200}") == [0, 1]
    assert await ups("?start=0&seconds=") == [1, 0, 1]
    assert await ups("?seconds=60") == []  # the flips are long past
    assert await ups("?seconds=0&start=10000000000") == []
    for bad in ("start=abc", "start=-1", "start=", "start=1.5", "end=10000000001", "seconds=-1",
                "seconds=31536001", "seconds=abc", "start=12345678901234567890"):  # fmt: skip
        resp = await kit.call("GET", f"/api/v3/checks/{code}/flips/?{bad}", p.rw)
        assert_empty_html(resp, 400)


async def test_flips_errors_404_then_403_then_400(kit: Kit) -> None:
    p, code = await flipped_check(kit)
    intruder = await kit.project()
    assert_empty_html(await kit.call("GET", f"/api/v3/checks/{code}/flips/?start=abc", intruder.ro), 403)
    unknown = "00000000-0000-4000-8000-000000000000"
    resp = await kit.call("GET", f"/api/v3/checks/{unknown}/flips/?start=abc", p.ro)
    assert resp.status == 404 and b"Not Found" in resp.body
    unique = (await kit.call("GET", f"/api/v3/checks/{code}", p.ro)).json["unique_key"]
    assert_empty_html(await kit.call("GET", f"/api/v3/checks/{unique}/flips/?start=abc", intruder.ro), 404)
    assert_empty_html(await kit.call("GET", f"/api/v3/checks/{unique}/flips/?start=abc", p.ro), 400)


# -- channels and badges ------------------------------------------------------------------------------
async def test_channels_of_the_project_only_and_read_write_only(kit: Kit) -> None:
    p, other = await kit.project(), await kit.project()
    hook = await kit.channel(p, "Ops hook")
    mail = await kit.channel(p, "Ops mail", kind="email")
    await kit.channel(other, "Theirs")
    resp = await kit.call("GET", "/api/v3/channels/", p.rw)
    assert resp.status == 200
    assert resp.json == {
        "channels": [
            {"id": hook.id, "name": "Ops hook", "kind": "webhook"},
            {"id": mail.id, "name": "Ops mail", "kind": "email"},
        ]
    }
    assert error(await kit.call("GET", "/api/v3/channels/", p.ro)) == "wrong api key"
    empty = await kit.project()
    assert (await kit.call("GET", "/api/v3/channels/", empty.rw)).json == {"channels": []}


async def test_badges_list_every_tag_and_the_urls_work(kit: Kit, site: str) -> None:
    p = await kit.project()
    await kit.create(p, name="a", tags="db prod")
    await kit.create(p, name="b", tags="db@dc1 prod")
    resp = await kit.call("GET", "/api/v3/badges/", p.ro)
    assert resp.status == 200
    badges = resp.json["badges"]
    assert set(badges) == {"*", "db", "prod", "db@dc1"}
    secret = await kit.store.secret()
    assert badges == badge_urls(site, p.project.badge_key, ["db", "prod", "db@dc1"], secret)
    for urls in badges.values():
        assert list(urls) == ["svg", "svg3", "json", "json3", "shields", "shields3"]
    assert "/db%2540dc1." in badges["db@dc1"]["svg"]
    served = await kit.call("GET", badges["prod"]["json"].removeprefix(site))
    assert served.status == 200 and served.json["total"] == 2
    svg = await kit.call("GET", badges["*"]["svg3"].removeprefix(site))
    assert svg.status == 200 and svg.content_type.startswith("image/svg+xml")
    assert (await kit.call("GET", "/api/v3/badges/", p.rw)).status == 200
    empty = await kit.project()
    assert set((await kit.call("GET", "/api/v3/badges/", empty.ro)).json["badges"]) == {"*"}
