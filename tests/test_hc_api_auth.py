"""Healthchecks API over REST: the guards, 403 vs 404, routing (versions, trailing slashes, 405) and
CORS (spec §0.2-0.6), on every endpoint."""

from __future__ import annotations

import json

import pytest

from hc_api_support import HTML, Keys, Kit, Resp, assert_empty_html, error, open_kit

CODE = "0b2e1c4a-1111-4222-8333-944455556666"  # well-formed, never created
UNIQUE = "a" * 40


@pytest.fixture(scope="module")
async def kit(server):
    async with open_kit(server) as k:
        yield k


@pytest.fixture(scope="module")
async def mine(kit: Kit) -> tuple[Keys, str]:
    """A project with one check that has a ping with a body (so every endpoint can succeed)."""
    p = await kit.project()
    await kit.channel(p, "c")
    code = (await kit.create(p, name="mine", tags="t"))["uuid"]
    await kit.ping(code, body=b"hello")
    return p, code


def endpoints(code: str) -> dict[str, tuple[str, str]]:
    return {
        "list": ("GET", "/api/v3/checks/"),
        "create": ("POST", "/api/v3/checks/"),
        "get": ("GET", f"/api/v3/checks/{code}"),
        "update": ("POST", f"/api/v3/checks/{code}"),
        "delete": ("DELETE", f"/api/v3/checks/{code}"),
        "pause": ("POST", f"/api/v3/checks/{code}/pause"),
        "resume": ("POST", f"/api/v3/checks/{code}/resume"),
        "pings": ("GET", f"/api/v3/checks/{code}/pings/"),
        "body": ("GET", f"/api/v3/checks/{code}/pings/1/body"),
        "flips": ("GET", f"/api/v3/checks/{code}/flips/"),
        "channels": ("GET", "/api/v3/channels/"),
        "badges": ("GET", "/api/v3/badges/"),
    }


READ_ONLY_OK = {"list", "get", "flips", "badges"}
POSTS = {"create", "update", "pause", "resume"}
ALL = list(endpoints(CODE))


@pytest.mark.parametrize("name", ALL)
async def test_no_key_wrong_key_and_short_key(kit: Kit, mine, name: str) -> None:
    _, code = mine
    method, path = endpoints(code)[name]
    for key, message in [
        (None, "missing api key"),
        ("", "missing api key"),
        ("hcw_" + "x" * 27, "missing api key"),  # 31 characters
        ("hcw_" + "x" * 29, "missing api key"),  # 33
        ("hcw_" + "x" * 28, "wrong api key"),
        ("y" * 32, "wrong api key"),  # old-style keys are 32 plain characters
    ]:
        resp = await kit.call(method, path, key)
        assert resp.status == 401, (name, key, resp.status, resp.body)
        assert error(resp) == message
        assert resp.headers["Access-Control-Allow-Origin"] == "*"


@pytest.mark.parametrize("name", ALL)
async def test_read_only_keys_only_where_reading_is_enough(kit: Kit, name: str) -> None:
    p = await kit.project()
    code = (await kit.create(p, name="x"))["uuid"]
    await kit.ping(code, body=b"b")
    if name == "resume":
        await kit.call("POST", f"/api/v3/checks/{code}/pause", p.rw)
    method, path = endpoints(code)[name]
    resp = await kit.call(method, path, p.ro)
    if name in READ_ONLY_OK:
        assert resp.status == 200, resp.body
    else:
        assert resp.status == 401 and error(resp) == "wrong api key"
    rw = await kit.call(method, path, p.rw)
    assert rw.status in (200, 201), (name, rw.status, rw.body)


@pytest.mark.parametrize("name", sorted(POSTS))
async def test_post_bodies_may_carry_the_key(kit: Kit, name: str) -> None:
    p = await kit.project()
    code = (await kit.create(p))["uuid"]
    if name == "resume":
        await kit.call("POST", f"/api/v3/checks/{code}/pause", p.rw)
    method, path = endpoints(code)[name]
    assert (await kit.call(method, path, body={"api_key": p.rw})).status in (200, 201)
    assert error(await kit.call(method, path, body={"api_key": p.ro})) == "wrong api key"
    # The header wins whenever it is present, even empty.
    assert error(await kit.call(method, path, "", {"api_key": p.rw})) == "missing api key"
    # null is "None" (Python's str), a number its digits: 32 digits are a (wrong) key.
    assert error(await kit.call(method, path, body={"api_key": None})) == "missing api key"
    assert error(await kit.call(method, path, body={"api_key": 10**31})) == "wrong api key"
    assert error(await kit.call(method, path, body={"api_key": [p.rw]})) == "missing api key"


@pytest.mark.parametrize("name", sorted(set(ALL) - POSTS))
async def test_other_methods_never_read_a_body_key(kit: Kit, mine, name: str) -> None:
    p, code = mine
    method, path = endpoints(code)[name]
    resp = await kit.call(method, path, data=json.dumps({"api_key": p.rw}))
    assert resp.status == 401 and error(resp) == "missing api key"


@pytest.mark.parametrize("name", sorted(POSTS))
async def test_body_errors_come_before_the_key(kit: Kit, mine, name: str) -> None:
    _, code = mine
    method, path = endpoints(code)[name]
    for key in (None, "short", "z" * 32):
        resp = await kit.call(method, path, key, data="{not json")
        assert resp.status == 400 and error(resp) == "could not parse request body"
        resp = await kit.call(method, path, key, data="[]")
        assert error(resp) == "json validation error: value is not an object"


# -- 403 vs 404 -------------------------------------------------------------------------------------
@pytest.mark.parametrize("name", sorted(set(ALL) - {"list", "create", "channels", "badges"}))
async def test_another_projects_check_is_403_an_unknown_one_the_404_page(kit: Kit, mine, name: str) -> None:
    _, code = mine
    intruder = await kit.project()
    key = intruder.ro if name in READ_ONLY_OK else intruder.rw
    method, path = endpoints(code)[name]
    assert_empty_html(await kit.call(method, path, key), 403)
    method, path = endpoints(CODE)[name]
    missing = await kit.call(method, path, key)
    assert missing.status == 404 and missing.content_type == HTML and b"<h1>Not Found</h1>" in missing.body
    assert "Access-Control-Allow-Origin" not in missing.headers  # raised past the CORS wrapper


@pytest.mark.parametrize("name", ["get", "flips"])
async def test_unique_keys_only_search_the_callers_project(kit: Kit, mine, name: str) -> None:
    p, code = mine
    unique = (await kit.call("GET", f"/api/v3/checks/{code}", p.ro)).json["unique_key"]
    method, path = endpoints(unique)[name]
    assert (await kit.call(method, path, p.ro)).status == 200
    intruder = await kit.project()
    resp = await kit.call(method, path, intruder.ro)
    assert_empty_html(resp, 404)
    assert resp.headers["Access-Control-Allow-Origin"] == "*"


@pytest.mark.parametrize("name", ["update", "delete"])
async def test_a_unique_key_path_only_answers_get(kit: Kit, name: str) -> None:
    method, path = endpoints(UNIQUE)[name]
    assert_empty_html(await kit.call(method, path), 405)  # routing: before the key


@pytest.mark.parametrize("name", sorted(set(ALL) - {"list", "create", "channels", "badges"}))
async def test_malformed_uuids_are_not_routes(kit: Kit, name: str) -> None:
    for bad in (CODE.upper(), CODE.replace("-", ""), CODE[:-1]):
        method, path = endpoints(bad)[name]
        resp = await kit.call(method, path)  # no key: routing comes first
        assert resp.status == 404 and b"Not Found" in resp.body, (name, bad, resp.status, resp.body)
    if name in ("pause", "resume", "pings", "body"):  # these take no unique_key form
        method, path = endpoints(UNIQUE)[name]
        assert (await kit.call(method, path)).status == 404


# -- versions, slashes, methods, CORS ---------------------------------------------------------------
async def test_versions_1_to_3_exist_and_no_other(kit: Kit, mine) -> None:
    p, _ = mine
    for version in ("v1", "v2", "v3"):
        assert (await kit.call("GET", f"/api/{version}/checks/", p.rw)).status == 200
    resp = await kit.call("GET", "/api/v4/checks/", p.rw)
    assert resp.status == 404 and resp.content_type == HTML
    assert "Access-Control-Allow-Origin" not in resp.headers


async def test_collections_redirect_to_their_trailing_slash(kit: Kit, mine) -> None:
    p, code = mine
    for method, path in [
        ("GET", "/api/v3/checks"),
        ("POST", "/api/v3/checks"),
        ("GET", "/api/v3/channels"),
        ("GET", "/api/v3/badges"),
        ("GET", "/api/v3/status"),
        ("GET", f"/api/v3/checks/{code}/pings"),
        ("GET", f"/api/v3/checks/{code}/flips"),
    ]:
        resp = await kit.call(method, path, p.rw)
        assert (resp.status, resp.headers["Location"]) == (301, path + "/"), (method, path)
    resp = await kit.call("GET", "/api/v3/checks?tag=a&slug=b", p.rw)
    assert resp.headers["Location"] == "/api/v3/checks/?tag=a&slug=b"
    # Single-check URLs have no slash form.
    for path in (f"/api/v3/checks/{code}/", f"/api/v3/checks/{code}/pause/"):
        assert (await kit.call("GET", path, p.rw)).status == 404


async def test_wrong_methods_are_an_empty_405_with_cors(kit: Kit, mine) -> None:
    _, code = mine
    for method, path, allowed in [
        ("PUT", "/api/v3/checks/", {"GET", "POST"}),
        ("PATCH", f"/api/v3/checks/{code}", {"GET", "POST", "DELETE"}),
        ("POST", f"/api/v3/checks/{code}/pings/", {"GET"}),
        ("DELETE", "/api/v3/channels/", {"GET"}),
        ("POST", f"/api/v3/checks/{code}/flips/", {"GET"}),
    ]:
        resp = await kit.call(method, path)
        assert_empty_html(resp, 405)
        methods = {m.strip() for m in resp.headers["Access-Control-Allow-Methods"].split(",")}
        assert methods == allowed | {"OPTIONS"}, (method, path, methods)


async def test_options_is_204_without_auth_and_every_answer_carries_cors(kit: Kit, mine) -> None:
    p, code = mine
    for path in ("/api/v3/checks/", f"/api/v3/checks/{code}", "/api/v3/badges/"):
        resp = await kit.call("OPTIONS", path, headers={"Origin": "https://example.com"})
        assert (resp.status, resp.body) == (204, b"")
        assert_cors(resp)
    assert_cors(await kit.call("GET", "/api/v3/checks/", p.ro))
    assert_cors(await kit.call("GET", "/api/v3/checks/"))  # 401
    # An Origin header does not turn these into the server-wide credentialed CORS.
    resp = await kit.call("GET", "/api/v3/checks/", p.ro, headers={"Origin": "https://example.com"})
    assert_cors(resp)
    assert "Access-Control-Allow-Credentials" not in resp.headers


def assert_cors(resp: Resp) -> None:
    assert resp.headers["Access-Control-Allow-Origin"] == "*"
    assert resp.headers["Access-Control-Allow-Headers"] == "X-Api-Key"
    assert resp.headers["Access-Control-Max-Age"] == "600"
    assert "OPTIONS" in resp.headers["Access-Control-Allow-Methods"]


async def test_status_needs_no_key_and_has_no_cors(kit: Kit) -> None:
    for version in ("v1", "v3"):
        resp = await kit.call("GET", f"/api/{version}/status/")
        assert (resp.status, resp.body, resp.content_type) == (200, b"OK", HTML)
        assert "Access-Control-Allow-Origin" not in resp.headers
