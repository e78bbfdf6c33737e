"""Healthchecks API over REST, the check endpoints: create (201/200, limit), get, list, update, delete,
pause, resume; the check object's shape per key kind and check kind; versions (spec §0.1, §2, §3, §9).

Everything goes through a real ``ztn serve`` (the session ``server``); projects and crafted check
states are written into its database directly (hc_api_support).
"""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
import sys
from datetime import UTC, datetime, timedelta

import pytest

from hc_api_support import COMMON_KEYS, HTML, RW_KEYS, Kit, assert_empty_html, error, open_kit


@pytest.fixture(scope="module")
async def kit(server):
    async with open_kit(server) as k:
        yield k


@pytest.fixture
def site(server) -> str:
    return server.external_url


INVALID = "json validation error:"
UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


# -- create and the check object ----------------------------------------------------------------------
async def test_create_answers_201_with_the_read_write_check(kit: Kit, site: str) -> None:
    p = await kit.project()
    a, b = await kit.channel(p, "a"), await kit.channel(p, "b")
    body = {"name": "A", "slug": "a", "tags": "prod db", "grace": 60, "timeout": 300, "channels": "*"}
    resp = await kit.call("POST", "/api/v3/checks/", p.rw, body)
    assert resp.status == 201 and resp.content_type == "application/json"
    assert resp.headers["Access-Control-Allow-Origin"] == "*"
    check = resp.json
    assert list(check) == COMMON_KEYS + RW_KEYS + ["timeout"]  # 29 keys, in the reference's order
    code = check["uuid"]
    assert UUID.match(code)
    assert check | {"uuid": "", "badge_url": ""} == {
        "name": "A", "slug": "a", "tags": "prod db", "desc": "", "grace": 60, "n_pings": 0,
        "status": "new", "started": False, "last_ping": None, "next_ping": None,
        "manual_resume": False, "methods": "", "subject": "", "subject_fail": "",
        "start_kw": "", "success_kw": "", "failure_kw": "", "filter_subject": False,
        "filter_body": False, "filter_http_body": False, "filter_default_fail": False,
        "badge_url": "", "uuid": "",
        "ping_url": f"{site}/ping/{code}",
        "update_url": f"{site}/api/v3/checks/{code}",
        "pause_url": f"{site}/api/v3/checks/{code}/pause",
        "resume_url": f"{site}/api/v3/checks/{code}/resume",
        "channels": ",".join(sorted([a.id, b.id])),
        "timeout": 300,
    }  # fmt: skip
    # The per-check badge key is its own UUID, not the check's.
    badge = re.fullmatch(rf"{re.escape(site)}/b/2/([0-9a-f-]{{36}})\.svg", check["badge_url"])
    assert badge and badge.group(1) != code
    stored = await kit.reload(code)
    assert stored is not None and stored.badge_key == badge.group(1)


async def test_read_only_keys_see_unique_key_instead_of_uuid_and_urls(kit: Kit) -> None:
    p = await kit.project()
    code = (await kit.create(p, name="ro"))["uuid"]
    resp = await kit.call("GET", f"/api/v3/checks/{code}", p.ro)
    assert resp.status == 200
    check = resp.json
    assert list(check) == COMMON_KEYS + ["unique_key", "timeout"]  # 24 keys
    assert check["unique_key"] == hashlib.sha1(code.replace("-", "")[:16].encode()).hexdigest()


async def test_cron_and_oncalendar_checks_show_schedule_and_tz_not_timeout(kit: Kit) -> None:
    p = await kit.project()
    cron = await kit.create(p, schedule="0 0 * * *", tz="Europe/Kiev", timeout=120)
    assert list(cron) == COMMON_KEYS + RW_KEYS + ["schedule", "tz"]  # 30 keys
    assert (cron["schedule"], cron["tz"]) == ("0 0 * * *", "Europe/Kyiv")  # legacy name canonicalised
    calendar = await kit.create(p, schedule="Mon *-*-* 09:00\n12:34")
    assert (calendar["schedule"], calendar["tz"]) == ("Mon *-*-* 09:00\n12:34", "UTC")
    ro = (await kit.call("GET", f"/api/v3/checks/{cron['uuid']}", p.ro)).json
    assert list(ro) == COMMON_KEYS + ["unique_key", "schedule", "tz"]


async def test_an_empty_create_gets_the_defaults_and_no_channels(kit: Kit) -> None:
    p = await kit.project()
    await kit.channel(p, "unused")
    check = await kit.create(p)
    assert (check["name"], check["slug"], check["timeout"], check["grace"]) == ("", "", 86400, 3600)
    assert check["channels"] == ""
    # An empty body (curl -X POST) is the same.
    resp = await kit.call("POST", "/api/v3/checks/", p.rw)
    assert resp.status == 201 and resp.json["timeout"] == 86400


async def test_a_form_encoded_body_is_parsed_as_json(kit: Kit) -> None:
    """curl --data sends application/x-www-form-urlencoded; Healthchecks parses the body anyway."""
    p = await kit.project()
    data = json.dumps({"api_key": p.rw, "name": "curl"})
    resp = await kit.call(
        "POST", "/api/v3/checks/", data=data, headers={"Content-Type": "application/x-www-form-urlencoded"}
    )
    assert resp.status == 201 and resp.json["name"] == "curl"


# -- validation -------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ('{"timeout": 59}', "json validation error: timeout is too small"),
        ('{"timeout": 60.0}', "json validation error: timeout is not a number"),
        ('{"timeout": "60"}', "json validation error: timeout is not a number"),
        ('{"timeout": 1000000000000000000000000000000}', "json validation error: timeout is too large"),
        ('{"timeout": 59, "grace": 59, "name": 5}', "json validation error: grace is too small"),
        ('{"name": null}', "json validation error: name is not a string"),
        ('{"name": "' + "x" * 101 + '"}', "json validation error: name is too long"),
        ('{"slug": "Upper"}', "json validation error: slug does not match pattern"),
        ('{"schedule": "* * * * * *"}', f"{INVALID} schedule is not a valid cron or OnCalendar expression"),
        ('{"tz": "Mars/Olympus"}', "json validation error: tz is not a valid timezone"),
        ('{"methods": "GET"}', "json validation error: methods has unexpected value"),
        ('{"manual_resume": 1}', "json validation error: manual_resume is not a boolean"),
        ('{"unique": "name"}', "json validation error: unique is not an array"),
        ('{"unique": ["desc"]}', "json validation error: an item in 'unique' has unexpected value"),
        ('{"channels": ","}', "empty channel identifier"),
        ('{"channels": "nope"}', "invalid channel identifier: nope"),
        ('{"channels": "A, B"}', "invalid channel identifier:  B"),
        ('{"channels": "twin"}', "non-unique channel identifier: twin"),
        ("{", "could not parse request body"),
        ("[1, 2]", "json validation error: value is not an object"),
        ("null", "json validation error: value is not an object"),
    ],
)  # fmt: skip
async def test_create_validation_messages(kit: Kit, raw: str, message: str) -> None:
    p = await kit.project()
    await kit.channel(p, "A")
    await kit.channel(p, "B")
    await kit.channel(p, "twin")
    await kit.channel(p, "twin")
    resp = await kit.call("POST", "/api/v3/checks/", p.rw, data=raw)
    assert resp.status == 400 and error(resp) == message
    assert resp.headers["Access-Control-Allow-Origin"] == "*"
    assert await kit.store.count_checks(p.id) == 0  # nothing saved, channels included


async def test_invalid_utf8_is_an_unparsable_body(kit: Kit) -> None:
    p = await kit.project()
    resp = await kit.call("POST", "/api/v3/checks/", p.rw, data=b'{"name": "\xff"}')
    assert resp.status == 400 and error(resp) == "could not parse request body"


async def test_channels_by_name_and_id_collapse_and_sort(kit: Kit) -> None:
    p = await kit.project()
    a, b = await kit.channel(p, "alpha"), await kit.channel(p, "beta")
    check = await kit.create(p, channels=f"beta,{a.id},alpha")
    assert check["channels"] == ",".join(sorted([a.id, b.id]))
    other = await kit.project()
    foreign = await kit.channel(other, "foreign")
    resp = await kit.call("POST", "/api/v3/checks/", p.rw, {"channels": foreign.id})
    assert resp.status == 400 and error(resp) == f"invalid channel identifier: {foreign.id}"


# -- upsert and the check limit ---------------------------------------------------------------------
async def test_unique_finds_the_existing_check_and_answers_200(kit: Kit) -> None:
    p = await kit.project()
    first = await kit.create(p, name="u", tags="t", unique=["name"])
    resp = await kit.call("POST", "/api/v3/checks/", p.rw, {"name": "u", "desc": "again", "unique": ["name"]})
    assert resp.status == 200
    assert resp.json["uuid"] == first["uuid"] and resp.json["desc"] == "again" and resp.json["tags"] == "t"
    # Several unique fields must all match; one absent from the request means no lookup.
    resp = await kit.call(
        "POST", "/api/v3/checks/", p.rw, {"name": "u", "tags": "other", "unique": ["name", "tags"]}
    )
    assert resp.status == 201 and resp.json["uuid"] != first["uuid"]
    resp = await kit.call("POST", "/api/v3/checks/", p.rw, {"tags": "t", "unique": ["name"]})
    assert resp.status == 201
    resp = await kit.call(
        "POST", "/api/v3/checks/", p.rw, {"name": "u", "grace": 3600, "unique": ["name", "grace"]}
    )
    assert resp.status == 200 and resp.json["uuid"] == first["uuid"]  # first match in insertion order


async def test_the_check_limit_is_an_empty_403_but_upserts_still_work(kit: Kit) -> None:
    p = await kit.project(check_limit=2)
    await kit.channel(p, "c")
    await kit.create(p, name="one")
    await kit.create(p, name="two")
    resp = await kit.call("POST", "/api/v3/checks/", p.rw, {"name": "three"})
    assert_empty_html(resp, 403)
    assert resp.headers["Access-Control-Allow-Origin"] == "*"
    # The limit is checked before the channels: a bad channel at the limit is still the 403.
    assert_empty_html(await kit.call("POST", "/api/v3/checks/", p.rw, {"channels": "nope"}), 403)
    resp = await kit.call("POST", "/api/v3/checks/", p.rw, {"name": "two", "tags": "x", "unique": ["name"]})
    assert resp.status == 200 and resp.json["tags"] == "x"
    assert await kit.store.count_checks(p.id) == 2


async def test_the_server_wide_limit_applies_without_a_project_limit(kit: Kit) -> None:
    p = await kit.project()  # the server runs with the default limit of 20
    for i in range(20):
        await kit.create(p, name=f"c{i}")
    assert_empty_html(await kit.call("POST", "/api/v3/checks/", p.rw, {"name": "c20"}), 403)
    await kit.store.set_check_limit(p.id, 21)  # a project's own limit wins
    assert (await kit.call("POST", "/api/v3/checks/", p.rw, {"name": "c20"})).status == 201


# -- get and list -------------------------------------------------------------------------------------
async def test_get_by_uuid_and_by_unique_key(kit: Kit) -> None:
    p = await kit.project()
    code = (await kit.create(p, name="g"))["uuid"]
    unique = (await kit.call("GET", f"/api/v3/checks/{code}", p.ro)).json["unique_key"]
    by_key = await kit.call("GET", f"/api/v3/checks/{unique}", p.ro)
    assert by_key.status == 200 and by_key.json["unique_key"] == unique
    rw = await kit.call("GET", f"/api/v3/checks/{unique}", p.rw)  # a read-write key sees the rw form
    assert rw.status == 200 and rw.json["uuid"] == code
    missing = await kit.call("GET", "/api/v3/checks/" + "0" * 40, p.ro)
    assert_empty_html(missing, 404)
    assert missing.headers["Access-Control-Allow-Origin"] == "*"


async def test_list_filters_by_every_tag_and_by_slug(kit: Kit) -> None:
    p = await kit.project()
    for name, tags, slug in [
        ("ab", "a b", "x"),
        ("a", "  a  ", "y"),
        ("bc", "b c", "x"),
        ("prod", "prod", ""),
    ]:
        await kit.create(p, name=name, tags=tags, slug=slug)

    async def names(query: str, key: str | None = None) -> list[str]:
        resp = await kit.call("GET", "/api/v3/checks/" + query, key or p.rw)
        assert resp.status == 200, resp.body
        return [c["name"] for c in resp.json["checks"]]

    assert await names("") == ["ab", "a", "bc", "prod"]  # insertion order
    assert await names("?tag=a") == ["ab", "a"]
    assert await names("?tag=a&tag=b") == ["ab"]
    assert await names("?tag=a&tag=a") == ["ab", "a"]
    assert await names("?tag=pro") == []  # whole tokens only
    assert await names("?tag=") == []
    assert await names("?slug=x") == ["ab", "bc"]
    assert await names("?slug=") == ["ab", "a", "bc", "prod"]
    assert await names("?slug=x&tag=c&unknown=1") == ["bc"]
    ro = (await kit.call("GET", "/api/v3/checks/", p.ro)).json["checks"]
    assert len(ro) == 4 and all("uuid" not in c and "unique_key" in c for c in ro)


async def test_list_is_empty_for_a_new_project(kit: Kit) -> None:
    p = await kit.project()
    resp = await kit.call("GET", "/api/v3/checks/", p.ro)
    assert (resp.status, resp.json) == (200, {"checks": []})


# -- status, timestamps and durations as computed at read time --------------------------------------
async def test_status_is_computed_when_read(kit: Kit) -> None:
    p = await kit.project()
    now = datetime.now(UTC)
    last = (now - timedelta(days=2)).replace(microsecond=456789)
    down = await kit.insert(p, status="up", last_ping=last, timeout=86400, grace=3600)
    late = await kit.insert(p, status="up", last_ping=now - timedelta(seconds=86400 + 60), timeout=86400)
    fine = await kit.insert(p, status="up", last_ping=now, timeout=86400)
    got = {c["uuid"]: c for c in (await kit.call("GET", "/api/v3/checks/", p.rw)).json["checks"]}
    # Down before any alert worker marked it; next_ping still shows the missed deadline.
    assert got[down.code]["status"] == "down"
    assert got[down.code]["last_ping"] == last.replace(microsecond=0).isoformat()
    assert got[down.code]["next_ping"] == (last + timedelta(days=1)).replace(microsecond=0).isoformat()
    assert got[late.code]["status"] == "grace"
    assert got[fine.code]["status"] == "up"
    assert got[fine.code]["last_ping"].endswith("+00:00")


@pytest.mark.parametrize(("stored", "shown"), [(0.53, 0), (125.9, 125), (0.0, None), (None, None)])
async def test_last_duration_is_whole_seconds_and_only_when_non_zero(kit: Kit, stored, shown) -> None:
    p = await kit.project()
    check = await kit.insert(p, status="up", last_ping=datetime.now(UTC), last_duration=stored)
    got = (await kit.call("GET", f"/api/v3/checks/{check.code}", p.rw)).json
    assert got.get("last_duration", None) == shown
    assert ("last_duration" in got) == (shown is not None)
    if shown is not None:
        assert list(got)[22] == "last_duration"  # after badge_url, before the key-specific fields


async def test_versions_v1_reports_started_v2_and_v3_the_started_flag(kit: Kit, site: str) -> None:
    p = await kit.project()
    code = (await kit.create(p, name="run"))["uuid"]
    await kit.ping(code, "start")
    v1 = (await kit.call("GET", f"/api/v1/checks/{code}", p.rw)).json
    v2 = (await kit.call("GET", f"/api/v2/checks/{code}", p.rw)).json
    v3 = (await kit.call("GET", f"/api/v3/checks/{code}", p.rw)).json
    assert (v1["status"], v1["started"]) == ("started", True)
    assert (v2["status"], v2["started"]) == ("new", True)
    assert v3["status"] == "new" and v3["next_ping"] is not None
    assert v1["update_url"] == f"{site}/api/v1/checks/{code}"
    assert v2["pause_url"] == f"{site}/api/v2/checks/{code}/pause"


# -- update -------------------------------------------------------------------------------------------
async def test_update_changes_only_the_given_fields(kit: Kit) -> None:
    p = await kit.project()
    ch = await kit.channel(p, "c")
    check = await kit.create(p, name="Before", slug="keep", tags="t", timeout=600, channels="*")
    code = check["uuid"]
    same = await kit.call("POST", f"/api/v3/checks/{code}", p.rw, {})
    assert same.status == 200 and same.json == check
    resp = await kit.call(
        "POST", f"/api/v3/checks/{code}", p.rw, {"name": "After Name", "desc": "d", "unique": ["name"]}
    )
    assert resp.status == 200
    assert (resp.json["name"], resp.json["slug"], resp.json["desc"], resp.json["tags"]) == (
        "After Name",
        "keep",
        "d",
        "t",
    )
    assert resp.json["channels"] == ch.id
    # Schedule wins over a timeout in the same request; a later timeout switches back (schedule hidden).
    resp = await kit.call("POST", f"/api/v3/checks/{code}", p.rw, {"schedule": "5 4 * * sun", "timeout": 60})
    assert resp.json["schedule"] == "5 4 * * sun" and "timeout" not in resp.json
    resp = await kit.call("POST", f"/api/v3/checks/{code}", p.rw, {"timeout": 120, "channels": ""})
    assert resp.json["timeout"] == 120 and "schedule" not in resp.json and resp.json["channels"] == ""
    # Deprecated subject: sets success_kw and filter_subject (an explicit filter_subject wins).
    resp = await kit.call("POST", f"/api/v3/checks/{code}", p.rw, {"subject": "S"})
    assert (resp.json["subject"], resp.json["success_kw"], resp.json["filter_subject"]) == ("S", "S", True)
    resp = await kit.call("POST", f"/api/v3/checks/{code}", p.rw, {"subject": "S", "filter_subject": False})
    assert (resp.json["subject"], resp.json["success_kw"]) == ("", "S")


async def test_v1_and_v2_derive_the_slug_from_the_name(kit: Kit) -> None:
    p = await kit.project()
    v2 = await kit.create(p, version=2, name="Café Über")
    assert v2["slug"] == "cafe-uber"
    v1 = await kit.create(p, version=1, name="Hello World!")
    assert v1["slug"] == "hello-world"
    explicit = await kit.call(
        "POST", f"/api/v2/checks/{v2['uuid']}", p.rw, {"name": "Other", "slug": "explicit"}
    )
    assert explicit.json["slug"] == "explicit"
    v3 = await kit.create(p, name="No Slug")
    assert v3["slug"] == ""


async def test_update_errors_come_in_the_reference_order(kit: Kit) -> None:
    p, other = await kit.project(), await kit.project()
    code = (await kit.create(other, name="theirs"))["uuid"]
    # 403 (another project's check) before validation; 404 for an unknown UUID.
    assert_empty_html(await kit.call("POST", f"/api/v3/checks/{code}", p.rw, {"timeout": 1}), 403)
    unknown = await kit.call(
        "POST", f"/api/v3/checks/{'1' * 8}-1111-1111-1111-{'1' * 12}", p.rw, {"timeout": 1}
    )
    assert unknown.status == 404 and unknown.content_type == HTML and b"Not Found" in unknown.body
    mine = (await kit.create(p))["uuid"]
    resp = await kit.call("POST", f"/api/v3/checks/{mine}", p.rw, {"timeout": 1, "channels": "nope"})
    assert error(resp) == "json validation error: timeout is too small"
    resp = await kit.call("POST", f"/api/v3/checks/{mine}", p.rw, {"timeout": 90, "channels": "nope"})
    assert error(resp) == "invalid channel identifier: nope"
    assert (await kit.reload(mine)).timeout == 86400  # not applied


# -- delete, pause, resume ----------------------------------------------------------------------------
async def test_delete_answers_with_the_check_as_it_was(kit: Kit) -> None:
    p = await kit.project()
    check = await kit.create(p, name="gone", timeout=3600)
    await kit.ping(check["uuid"])
    resp = await kit.call("DELETE", f"/api/v3/checks/{check['uuid']}", p.rw)
    assert resp.status == 200
    assert (resp.json["uuid"], resp.json["status"], resp.json["n_pings"]) == (check["uuid"], "up", 1)
    again = await kit.call("GET", f"/api/v3/checks/{check['uuid']}", p.rw)
    assert again.status == 404
    assert (await kit.call("DELETE", f"/api/v3/checks/{check['uuid']}", p.rw)).status == 404
    ping = await kit.call("GET", f"/ping/{check['uuid']}")
    assert (ping.status, ping.body) == (404, b"not found")


async def test_pause_and_resume(kit: Kit) -> None:
    p = await kit.project()
    code = (await kit.create(p, timeout=3600))["uuid"]
    await kit.ping(code, "start")
    await kit.ping(code)
    await kit.ping(code, "start")
    paused = await kit.call("POST", f"/api/v3/checks/{code}/pause", p.rw)
    assert paused.status == 200
    got = paused.json
    assert (got["status"], got["started"], got["next_ping"]) == ("paused", False, None)
    assert got["last_ping"] is not None  # kept
    again = await kit.call("POST", f"/api/v3/checks/{code}/pause", p.rw)
    assert again.status == 200 and again.json["status"] == "paused"
    flips = (await kit.call("GET", f"/api/v3/checks/{code}/flips/", p.ro)).json["flips"]
    assert [f["up"] for f in flips] == [0, 1]  # one pause flip (the second pause changed nothing)

    resumed = await kit.call("POST", f"/api/v3/checks/{code}/resume", p.rw)
    assert resumed.status == 200
    assert (resumed.json["status"], resumed.json["last_ping"], resumed.json["n_pings"]) == ("new", None, 3)
    refused = await kit.call("POST", f"/api/v3/checks/{code}/resume", p.rw)
    assert (refused.status, refused.body) == (409, b"check is not paused")
    assert refused.content_type.startswith("text/html")
    flips = (await kit.call("GET", f"/api/v3/checks/{code}/flips/", p.ro)).json["flips"]
    assert [f["up"] for f in flips] == [0, 0, 1]


async def test_pause_and_resume_lookups_and_auth(kit: Kit) -> None:
    p, other = await kit.project(), await kit.project()
    theirs = (await kit.create(other))["uuid"]
    for action in ("pause", "resume"):
        assert_empty_html(await kit.call("POST", f"/api/v3/checks/{theirs}/{action}", p.rw), 403)
        assert error(await kit.call("POST", f"/api/v3/checks/{theirs}/{action}", p.ro)) == "wrong api key"
        resp = await kit.call("GET", f"/api/v3/checks/{theirs}/{action}", p.rw)
        assert_empty_html(resp, 405)
        assert "POST" in resp.headers["Access-Control-Allow-Methods"]
        body = {"api_key": p.rw}
        assert (await kit.call("POST", f"/api/v3/checks/{theirs}/{action}", body=body)).status == 403


async def test_a_project_made_with_the_cli_works_with_its_keys(kit: Kit, server) -> None:
    out = subprocess.run(
        [sys.executable, "-m", "ztn.cli", "hc", "create-project", "--database-url", server.database_url,
         "--name", "cli", "--check-limit", "1"],
        check=True, capture_output=True, text=True,
    ).stdout  # fmt: skip
    made = json.loads(out)
    resp = await kit.call("POST", "/api/v3/checks/", made["api_key"], {"name": "first", "slug": "first"})
    assert resp.status == 201
    assert_empty_html(await kit.call("POST", "/api/v3/checks/", made["api_key"], {"name": "second"}), 403)
    listed = await kit.call("GET", "/api/v3/checks/", made["api_key_readonly"])
    assert [c["name"] for c in listed.json["checks"]] == ["first"]
    assert (await kit.call("GET", f"/ping/{made['ping_key']}/first")).status == 200
