"""Public badge URLs (spec §7.3) over real HTTP against a real ``ztn serve`` on the backend under test:
project badges (``/badge/<key>/<sig>[-2][/<tag>].<fmt>``) and per-check badges (``/b/<states>/<key>.<fmt>``).
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime

import pytest

from hc_urls_support import Kit, new_code, open_kit
from ztn.domain.hc.badges import badge_signature, quote_tag
from ztn.domain.hc.models import Check, Project

NO_CACHE = "max-age=0, no-cache, no-store, must-revalidate, private"
CORS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Allow-Headers": "X-Api-Key",
    "Access-Control-Max-Age": "600",
}


@pytest.fixture(scope="module")
async def kit(server) -> AsyncIterator[Kit]:
    async with open_kit(server) as opened:
        yield opened


def assert_badge_headers(headers) -> None:
    for name, value in CORS.items():
        assert headers[name] == value
    assert set(headers["Access-Control-Allow-Methods"].split(", ")) == {"GET", "OPTIONS"}
    assert headers["Cache-Control"] == NO_CACHE
    expires = parsedate_to_datetime(headers["Expires"])
    assert abs(expires - datetime.now(UTC)) < timedelta(minutes=1)


def assert_empty_404(result) -> None:
    code, headers, body = result
    assert (code, body) == (404, b"")
    assert headers["Content-Type"] == "text/html; charset=utf-8"
    assert_badge_headers(headers)


def assert_not_found_page(result) -> None:
    code, headers, body = result
    assert code == 404 and b"Not Found" in body
    assert headers["Content-Type"] == "text/html; charset=utf-8"
    assert "Access-Control-Allow-Origin" not in headers


async def url(kit: Kit, project: Project, tag: str, fmt: str, three_state: bool = True) -> str:
    sig = badge_signature(project.badge_key, tag, await kit.store.secret()) + ("" if three_state else "-2")
    if tag == "*":
        return f"/badge/{project.badge_key}/{sig}.{fmt}"
    return f"/badge/{project.badge_key}/{sig}/{quote_tag(tag)}.{fmt}"


async def get_json(kit: Kit, path: str) -> dict:
    code, headers, body = await kit.request("GET", path)
    assert code == 200, (path, body)
    assert headers["Content-Type"] == "application/json"
    assert_badge_headers(headers)
    return json.loads(body)


def ago(seconds: float) -> datetime:
    return datetime.now(UTC) - timedelta(seconds=seconds)


async def up(kit: Kit, project: Project, **fields) -> Check:
    return await kit.check(project, status="up", last_ping=ago(10), timeout=3600, grace=3600, **fields)


async def late(kit: Kit, project: Project, **fields) -> Check:
    return await kit.check(project, status="up", last_ping=ago(3700), timeout=3600, grace=3600, **fields)


async def down(kit: Kit, project: Project, **fields) -> Check:
    # Stored "up" but expired: the badge uses the reported status, like the API.
    return await kit.check(project, status="up", last_ping=ago(7300), timeout=3600, grace=3600, **fields)


# -- project badges ---------------------------------------------------------------------------------------
async def test_formats_and_states(kit: Kit) -> None:
    project = await kit.project()
    await up(kit, project, tags="db")
    await late(kit, project, tags="db web")
    await down(kit, project, tags="web")

    assert await get_json(kit, await url(kit, project, "db", "json")) == {
        "status": "late", "total": 2, "grace": 1, "down": 0
    }  # fmt: skip
    # 2-state: a late check counts in "grace" but the status stays up.
    assert await get_json(kit, await url(kit, project, "db", "json", three_state=False)) == {
        "status": "up", "total": 2, "grace": 1, "down": 0
    }  # fmt: skip
    assert await get_json(kit, await url(kit, project, "*", "json")) == {
        "status": "down", "total": 3, "grace": 1, "down": 1
    }  # fmt: skip
    assert await get_json(kit, await url(kit, project, "db", "shields")) == {
        "schemaVersion": 1, "label": "db", "message": "late", "color": "important"
    }  # fmt: skip
    assert await get_json(kit, await url(kit, project, "db", "shields", three_state=False)) == {
        "schemaVersion": 1, "label": "db", "message": "up", "color": "success"
    }  # fmt: skip
    assert await get_json(kit, await url(kit, project, "*", "shields")) == {
        "schemaVersion": 1, "label": "Mychecks", "message": "down", "color": "critical"
    }  # fmt: skip
    # The reference's JSON bytes (json.dumps' default separators).
    _, _, raw = await kit.request("GET", await url(kit, project, "web", "json"))
    assert raw == b'{"status": "down", "total": 2, "grace": 1, "down": 1}'

    for tag, three_state, color in (
        ("db", True, b"#fe7d37"),
        ("db", False, b"#4c1"),
        ("*", True, b"#e05d44"),
    ):
        code, headers, body = await kit.request("GET", await url(kit, project, tag, "svg", three_state))
        assert code == 200
        assert headers["Content-Type"] == "image/svg+xml"
        assert_badge_headers(headers)
        assert body.startswith(b"<svg") and color in body
        assert (b"Mychecks" if tag == "*" else b">db<") in body


async def test_new_paused_and_running_checks_count_as_up(kit: Kit) -> None:
    project = await kit.project()
    await kit.check(project, tags="t")
    await kit.check(project, tags="t", status="paused")
    await kit.check(project, tags="t", last_start=ago(5), grace=3600)
    assert await get_json(kit, await url(kit, project, "t", "json")) == {
        "status": "up", "total": 3, "grace": 0, "down": 0
    }  # fmt: skip
    # A start older than the grace time is down.
    await kit.check(project, tags="t", last_start=ago(4000), grace=3600)
    assert (await get_json(kit, await url(kit, project, "t", "json")))["status"] == "down"


async def test_tags_match_exact_tokens(kit: Kit) -> None:
    project = await kit.project()
    await up(kit, project, tags="dbx")
    await up(kit, project, tags="  db   prod ")
    assert (await get_json(kit, await url(kit, project, "db", "json")))["total"] == 1
    assert (await get_json(kit, await url(kit, project, "dbx", "json")))["total"] == 1
    # An unknown tag with a valid signature: 200, nothing to count.
    assert await get_json(kit, await url(kit, project, "nope", "json")) == {
        "status": "up", "total": 0, "grace": 0, "down": 0
    }  # fmt: skip


@pytest.mark.parametrize("tag", ["db@dc1", "a/b", "ünï", "50%", "x~y.z"])
async def test_tags_quoted_twice(kit: Kit, tag: str) -> None:
    project = await kit.project()
    await down(kit, project, tags=tag)
    path = await url(kit, project, tag, "json")
    assert "%25" in path or tag == "x~y.z"
    assert await get_json(kit, path) == {"status": "down", "total": 1, "grace": 0, "down": 1}


async def test_signature_rules(kit: Kit) -> None:
    project = await kit.project()
    await late(kit, project, tags="db")
    sig = badge_signature(project.badge_key, "db", await kit.store.secret())
    base = f"/badge/{project.badge_key}"
    # Only the first 8 characters are compared; anything else than exactly "<sig>-2" is 3-state.
    assert (await get_json(kit, f"{base}/{sig}/db.json"))["status"] == "late"
    assert (await get_json(kit, f"{base}/{sig}-2/db.json"))["status"] == "up"
    assert (await get_json(kit, f"{base}/{sig}xyz/db.json"))["status"] == "late"
    assert (await get_json(kit, f"{base}/{sig}-3/db.json"))["status"] == "late"
    assert (await get_json(kit, f"{base}/{sig}-2x/db.json"))["status"] == "late"
    wrong = ("A" if sig[0] != "A" else "B") + sig[1:]
    assert_empty_404(await kit.request("GET", f"{base}/{wrong}/db.json"))
    assert_empty_404(await kit.request("GET", f"{base}/{sig[:7]}/db.json"))
    assert_empty_404(await kit.request("GET", f"{base}/{sig}/web.json"))  # another tag's signature
    assert_empty_404(await kit.request("GET", f"{base}/{sig}.json"))  # not the signature of "*"


async def test_unknown_badge_key_and_format(kit: Kit) -> None:
    project = await kit.project()
    secret = await kit.store.secret()
    other = new_code()
    assert_empty_404(await kit.request("GET", f"/badge/{other}/{badge_signature(other, '*', secret)}.json"))
    assert_empty_404(
        await kit.request("GET", (await url(kit, project, "*", "json")).replace(".json", ".png"))
    )
    assert_empty_404(await kit.request("GET", (await url(kit, project, "db", "svg")).replace(".svg", ".txt")))


@pytest.mark.parametrize(
    "tail",
    [
        "sig",  # no format
        "sig/db",  # no format
        "sig.a.json",  # a signature has no dots
        "si$g.json",
        "sig/d$b.json",
        "sig/db.js.on",  # the format is the part after the last dot; "on" is fine, "js.on" is not a tag+fmt
        "sig/db/x.json",
        "",
    ],
)
async def test_paths_without_a_route(kit: Kit, tail: str) -> None:
    result = await kit.request("GET", f"/badge/{new_code()}/{tail}")
    if tail == "sig/db.js.on":
        assert_empty_404(result)  # routed (tag "db.js", format "on"), then refused: unknown format
    else:
        assert_not_found_page(result)


async def test_methods(kit: Kit) -> None:
    project = await kit.project()
    path = await url(kit, project, "*", "svg")
    code, headers, body = await kit.request("OPTIONS", path)
    assert (code, body) == (204, b"")
    assert_badge_headers(headers)
    for method in ("POST", "PUT", "PATCH", "DELETE"):
        code, headers, _ = await kit.request(method, path)
        assert code == 403, method  # the reference's CSRF protection, not 405
        assert "Access-Control-Allow-Origin" not in headers
    code, headers, body = await kit.request("HEAD", path)
    assert (code, body) == (405, b"")
    assert_badge_headers(headers)


async def test_urls_listed_by_the_api_work(kit: Kit) -> None:
    """The signed URLs of GET /api/v3/badges/ are accepted by the badge endpoints."""
    project = await kit.project()
    await up(kit, project, tags="db@dc1 a/b")
    code, _, body = await kit.request(
        "GET", "/api/v3/badges/", headers={"X-Api-Key": kit.api_keys[project.id]}
    )
    assert code == 200, body
    listed = json.loads(body)["badges"]
    assert set(listed) == {"*", "db@dc1", "a/b"}
    for urls in listed.values():
        for name, full in urls.items():
            path = "/" + full.split("://", 1)[1].split("/", 1)[1]
            code, headers, _ = await kit.request("GET", path)
            assert code == 200, (name, path)


# -- per-check badges ------------------------------------------------------------------------------------
async def test_check_badge(kit: Kit) -> None:
    project = await kit.project()
    check = await late(kit, project, name="Nightly backup")
    key = check.badge_key
    assert await get_json(kit, f"/b/3/{key}.json") == {"status": "late", "total": 1, "grace": 1, "down": 0}
    assert await get_json(kit, f"/b/03/{key}.json") == {"status": "late", "total": 1, "grace": 1, "down": 0}
    assert await get_json(kit, f"/b/2/{key}.json") == {"status": "up", "total": 1, "grace": 1, "down": 0}
    assert await get_json(kit, f"/b/7/{key}.json") == {"status": "up", "total": 1, "grace": 1, "down": 0}
    assert await get_json(kit, f"/b/3/{key}.shields") == {
        "schemaVersion": 1, "label": "Nightly backup", "message": "late", "color": "important"
    }  # fmt: skip
    code, headers, body = await kit.request("GET", f"/b/2/{key}.svg")
    assert code == 200 and headers["Content-Type"] == "image/svg+xml" and b"Nightly backup" in body
    assert_badge_headers(headers)

    unnamed = await down(kit, project)
    assert await get_json(kit, f"/b/2/{unnamed.badge_key}.shields") == {
        "schemaVersion": 1, "label": unnamed.code, "message": "down", "color": "critical"
    }  # fmt: skip


async def test_check_badge_errors_and_methods(kit: Kit) -> None:
    project = await kit.project()
    check = await up(kit, project)
    key = check.badge_key
    assert_not_found_page(await kit.request("GET", f"/b/3/{new_code()}.json"))  # unknown key
    assert_empty_404(await kit.request("GET", f"/b/3/{key}.png"))
    for path in (f"/b/x/{key}.json", f"/b/3/{key.upper()}.json", f"/b/3/{key}", f"/b/3/{key}.json/", "/b/3"):
        assert_not_found_page(await kit.request("GET", path))
    code, headers, body = await kit.request("OPTIONS", f"/b/3/{key}.svg")
    assert (code, body) == (204, b"")
    assert_badge_headers(headers)
    assert (await kit.request("POST", f"/b/3/{key}.svg"))[0] == 403
