"""Ping URLs (spec §4) over real HTTP against a real ``ztn serve`` on the backend under test.

Every URL form, method and error of the spec, what a ping stores, auto-provisioning, and concurrent
pings (n_pings and the stored pings must add up exactly).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime

import pytest

from hc_urls_support import Kit, new_code, open_kit
from ztn.domain.hc.models import PAUSED, Check

UUID = "0b5b2f1e-7c1e-4a4b-9a4e-1c2d3e4f5a6b"
NO_CACHE = "max-age=0, no-cache, no-store, must-revalidate, private"


@pytest.fixture(scope="module")
async def kit(server) -> AsyncIterator[Kit]:
    async with open_kit(server) as opened:
        yield opened


def assert_ok_headers(headers, status_text: bytes = b"OK") -> None:
    assert headers["Content-Type"] == "text/plain; charset=utf-8"
    assert headers["Ping-Body-Limit"] == "10000"
    assert headers["Access-Control-Allow-Origin"] == "*"
    assert headers["Cache-Control"] == NO_CACHE
    expires = parsedate_to_datetime(headers["Expires"])
    assert abs(expires - datetime.now(UTC)) < timedelta(minutes=1)


def assert_error(result, status: int, body: bytes) -> None:
    code, headers, content = result
    assert (code, content) == (status, body)
    assert headers["Content-Type"] == "text/plain; charset=utf-8"
    assert "Access-Control-Allow-Origin" not in headers
    assert "Ping-Body-Limit" not in headers


def assert_no_route(result) -> None:
    """The framework's 404 page: HTML, no CORS."""
    code, headers, content = result
    assert code == 404
    assert headers["Content-Type"] == "text/html; charset=utf-8"
    assert b"Not Found" in content
    assert "Access-Control-Allow-Origin" not in headers


# -- URL forms by UUID --------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("suffix", "kind", "exitstatus", "status"),
    [
        ("", "success", None, "up"),
        ("/", "success", None, "up"),
        ("/start", "start", None, "new"),
        ("/fail", "fail", None, "down"),
        ("/log", "log", None, "new"),
        ("/0", "success", 0, "up"),
        ("/1", "fail", 1, "down"),
        ("/007", "fail", 7, "down"),
        ("/255", "fail", 255, "down"),
    ],
)
async def test_uuid_url_forms(kit: Kit, suffix: str, kind: str, exitstatus: int | None, status: str) -> None:
    project = await kit.project()
    check = await kit.check(project)
    code, headers, body = await kit.request("GET", f"/ping/{check.code}{suffix}")
    assert (code, body) == (200, b"OK")
    assert_ok_headers(headers)
    after = await kit.reload(check)
    assert (after.n_pings, after.status) == (1, status)
    [ping] = await kit.pings(check)
    assert (ping.n, ping.kind, ping.exitstatus, ping.method) == (1, kind, exitstatus, "GET")
    if kind == "start":
        assert after.last_start is not None and after.last_ping is None
    elif kind == "log":
        assert after.last_start is None and after.last_ping is None
    else:
        assert after.last_ping == ping.created


async def test_exit_status_over_255_is_refused_after_the_lookup(kit: Kit) -> None:
    project = await kit.project()
    check = await kit.check(project)
    assert_error(await kit.request("GET", f"/ping/{check.code}/256"), 400, b"invalid url format")
    assert_error(
        await kit.request("GET", f"/ping/{check.code}/99999999999999999999"), 400, b"invalid url format"
    )
    assert_error(await kit.request("GET", f"/ping/{new_code()}/256"), 404, b"not found")
    assert (await kit.reload(check)).n_pings == 0
    assert await kit.pings(check) == []


async def test_unknown_and_deleted_uuid(kit: Kit) -> None:
    assert_error(await kit.request("GET", f"/ping/{new_code()}"), 404, b"not found")
    assert_error(await kit.request("POST", f"/ping/{new_code()}/fail"), 404, b"not found")
    project = await kit.project()
    check = await kit.check(project)
    assert await kit.store.delete_check(check.id)
    assert_error(await kit.request("GET", f"/ping/{check.code}"), 404, b"not found")


async def test_other_segments_fall_through_to_the_slug_route(kit: Kit) -> None:
    project = await kit.project()
    check = await kit.check(project, slug="foo")
    # The UUID is taken as a ping key: no such project, so "not found" (and nothing is recorded).
    assert_error(await kit.request("GET", f"/ping/{check.code}/-1"), 404, b"not found")
    assert_error(await kit.request("GET", f"/ping/{check.code}/foo"), 404, b"not found")
    assert (await kit.reload(check)).n_pings == 0


@pytest.mark.parametrize(
    "path",
    [
        f"/ping/{UUID}/start/",
        f"/ping/{UUID}/fail/x",
        f"/ping/{UUID.upper()}",
        f"/ping/{UUID.replace('-', '')}",
        "/ping/",
        "/ping/key/slug/",
        "/ping/key/slug/foo",
        "/ping/key/slug/-1",
        "/ping/key/sl.ug",
        "/ping/k%20y/slug",
        "/ping/key/slug/start/x",
    ],
)
async def test_urls_without_a_route(kit: Kit, path: str) -> None:
    assert_no_route(await kit.request("GET", path))


# -- URL forms by slug -------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("suffix", "kind", "exitstatus"),
    [("", "success", None), ("/start", "start", None), ("/fail", "fail", None), ("/log", "log", None),
     ("/0", "success", 0), ("/3", "fail", 3), ("/010", "fail", 10)],
)  # fmt: skip
async def test_slug_url_forms(kit: Kit, suffix: str, kind: str, exitstatus: int | None) -> None:
    project = await kit.project()
    check = await kit.check(project, name="Backups", slug="backups")
    other = await kit.check(project, slug="other")
    code, headers, body = await kit.request("POST", f"/ping/{project.ping_key}/backups{suffix}")
    assert (code, body) == (200, b"OK")
    assert_ok_headers(headers)
    [ping] = await kit.pings(check)
    assert (ping.kind, ping.exitstatus, ping.method) == (kind, exitstatus, "POST")
    assert (await kit.reload(other)).n_pings == 0


async def test_slug_errors(kit: Kit) -> None:
    project = await kit.project()
    await kit.check(project, slug="twice")
    await kit.check(project, slug="twice")
    key = project.ping_key
    assert_error(await kit.request("GET", f"/ping/{key}/nope"), 404, b"not found")
    assert_error(await kit.request("GET", "/ping/no-such-key/nope"), 404, b"not found")
    assert_error(await kit.request("GET", f"/ping/{key}/twice"), 409, b"ambiguous slug")
    assert_error(await kit.request("GET", f"/ping/{key}/twice?create=1"), 409, b"ambiguous slug")
    # Uppercase in the slug: 400 before any lookup, even for an unknown key.
    assert_error(await kit.request("GET", f"/ping/{key}/Twice"), 400, b"invalid url format")
    assert_error(await kit.request("GET", "/ping/no-such-key/sLug/fail"), 400, b"invalid url format")
    assert_error(await kit.request("GET", f"/ping/{key}/twice/256"), 409, b"ambiguous slug")
    single = await kit.check(project, slug="single")
    assert_error(await kit.request("GET", f"/ping/{key}/single/256"), 400, b"invalid url format")
    assert (await kit.reload(single)).n_pings == 0


async def test_percent_encoded_path_is_decoded_once(kit: Kit) -> None:
    project = await kit.project()
    check = await kit.check(project, slug="enc")
    code, _, body = await kit.request("GET", f"/ping/{check.code.replace('-', '%2D')}/%73tart")
    assert (code, body) == (200, b"OK")
    code, _, body = await kit.request("GET", f"/ping/{project.ping_key}/%65nc")
    assert (code, body) == (200, b"OK")
    assert [p.kind for p in await kit.pings(check)] == ["start", "success"]


# -- methods -----------------------------------------------------------------------------------------------
async def test_every_method_is_recorded(kit: Kit) -> None:
    project = await kit.project()
    check = await kit.check(project)
    methods = ["GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"]
    for method in methods:
        # OPTIONS with preflight headers is still a ping: no CORS preflight on ping URLs.
        headers = {"Origin": "https://example.com", "Access-Control-Request-Method": "POST"}
        code, resp_headers, body = await kit.request(method, f"/ping/{check.code}", headers=headers)
        assert code == 200, method
        assert body == (b"" if method == "HEAD" else b"OK")
        assert resp_headers["Access-Control-Allow-Origin"] == "*"
    pings = await kit.pings(check)
    assert [p.method for p in pings] == methods
    assert [p.n for p in pings] == list(range(1, len(methods) + 1))
    assert (await kit.reload(check)).n_pings == len(methods)


async def test_methods_post_ignores_other_methods(kit: Kit) -> None:
    project = await kit.project()
    check = await kit.check(project, methods="POST")
    code, _, body = await kit.request("GET", f"/ping/{check.code}/fail")
    assert (code, body) == (200, b"OK")
    assert (await kit.reload(check)).status == "new"
    code, _, body = await kit.request("POST", f"/ping/{check.code}")
    assert (code, body) == (200, b"OK")
    after = await kit.reload(check)
    assert (after.status, after.n_pings) == ("up", 2)
    assert [p.kind for p in await kit.pings(check)] == ["ign", "success"]


# -- what a ping stores ------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("forwarded", "stored"),
    [
        (None, "127.0.0.1"),
        ("1.2.3.4", "1.2.3.4"),
        ("1.1.1.1:1234, 2.2.2.2", "1.1.1.1"),
        ("::ffff:1.1.1.1", "::ffff:1.1.1.1"),
        ("2001:db8::1, 10.0.0.1", "2001:db8::1"),
    ],
)
async def test_remote_address(kit: Kit, forwarded: str | None, stored: str) -> None:
    project = await kit.project()
    check = await kit.check(project)
    headers = {"X-Forwarded-For": forwarded} if forwarded is not None else {}
    assert (await kit.request("GET", f"/ping/{check.code}", headers=headers))[0] == 200
    [ping] = await kit.pings(check)
    assert ping.remote_addr == stored


async def test_scheme_user_agent_and_body(kit: Kit) -> None:
    project = await kit.project()
    check = await kit.check(project)
    await kit.request("GET", f"/ping/{check.code}")
    long_ua = "u" * 250
    body = bytes(range(256)) * 50  # 12,800 bytes, not UTF-8
    headers = {"X-Forwarded-Proto": "https", "User-Agent": long_ua}
    assert (await kit.request("POST", f"/ping/{check.code}/log", headers=headers, data=body))[0] == 200
    first, second = await kit.pings(check)
    assert (first.scheme, first.ua, first.body_size) == ("http", "", 0)
    assert (second.scheme, second.ua, second.body_size) == ("https", "u" * 200, 10_000)
    assert await kit.store.ping_body(check.id, 2) == body[:10_000]


async def test_chunked_body_is_truncated_too(kit: Kit) -> None:
    project = await kit.project()
    check = await kit.check(project)

    async def chunks():
        for _ in range(30):
            yield b"x" * 1000

    assert (await kit.request("PUT", f"/ping/{check.code}", data=chunks()))[0] == 200
    assert await kit.store.ping_body(check.id, 1) == b"x" * 10_000


async def test_rid(kit: Kit) -> None:
    project = await kit.project()
    check = await kit.check(project)
    rid = new_code()
    assert (await kit.request("GET", f"/ping/{check.code}/start?rid={rid.upper()}"))[0] == 200
    started = await kit.reload(check)
    assert started.last_start is not None and started.last_start_rid == rid
    assert (await kit.request("GET", f"/ping/{check.code}?rid={rid}"))[0] == 200
    done = await kit.reload(check)
    assert done.last_start is None and done.last_duration is not None and done.last_duration >= 0
    assert [p.rid for p in await kit.pings(check)] == [rid, rid]
    for bad in ("", "x", rid[:-1], rid.replace("-", ""), "{" + rid + "}"):
        assert_error(await kit.request("GET", f"/ping/{check.code}?rid={bad}"), 400, b"invalid uuid format")
    assert_error(await kit.request("GET", f"/ping/{new_code()}?rid=x"), 404, b"not found")
    assert_error(await kit.request("GET", f"/ping/{project.ping_key}/nope?rid=x"), 404, b"not found")
    assert (await kit.reload(check)).n_pings == 2


async def test_body_keywords_decide_the_action(kit: Kit) -> None:
    project = await kit.project()
    check = await kit.check(project, filter_http_body=True, success_kw="SUCCESS", failure_kw="ERROR, FATAL")
    for suffix, body in (("/log", b"all SUCCESS"), ("/fail", b""), ("", b"a FATAL one"), ("", b"\xff\xfe")):
        assert (await kit.request("POST", f"/ping/{check.code}{suffix}", data=body))[0] == 200
    assert [p.kind for p in await kit.pings(check)] == ["success", "ign", "fail", "ign"]
    assert (await kit.reload(check)).status == "down"


async def test_paused_checks(kit: Kit) -> None:
    project = await kit.project()
    manual = await kit.check(project, status=PAUSED, manual_resume=True)
    plain = await kit.check(project, status=PAUSED)
    for suffix in ("/start", "/fail", ""):
        assert (await kit.request("GET", f"/ping/{manual.code}{suffix}"))[0] == 200
    after = await kit.reload(manual)
    assert (after.status, after.n_pings, after.last_start) == ("paused", 3, None)
    assert [p.kind for p in await kit.pings(manual)] == ["ign", "ign", "ign"]
    assert (await kit.request("GET", f"/ping/{plain.code}"))[0] == 200
    assert (await kit.reload(plain)).status == "up"
    flips = await kit.store.list_flips(plain.id)
    assert [(f.old_status, f.new_status) for f in flips] == [("paused", "up")]


async def test_pings_are_pruned_to_the_project_log_limit(kit: Kit) -> None:
    project = await kit.project(ping_log_limit=10)
    check = await kit.check(project)
    for _ in range(100):
        assert (await kit.request("GET", f"/ping/{check.code}"))[0] == 200
    assert (await kit.reload(check)).n_pings == 100
    assert [p.n for p in await kit.pings(check)] == list(range(91, 101))


# -- auto-provisioning -------------------------------------------------------------------------------------
async def test_auto_provisioning(kit: Kit) -> None:
    project = await kit.project()
    first, second = await kit.channel(project, "one"), await kit.channel(project, "two")
    key = project.ping_key
    code, headers, body = await kit.request("GET", f"/ping/{key}/new-job/start?create=1")
    assert (code, body) == (201, b"Created")
    assert_ok_headers(headers)
    [check] = await kit.store.check_by_project_slug(project.id, "new-job")
    check = await kit.reload(check)
    assert (check.name, check.slug, check.kind, check.timeout, check.grace) == (
        "new-job", "new-job", "simple", 86400, 3600
    )  # fmt: skip
    assert check.channel_ids == sorted([first.id, second.id])
    assert check.n_pings == 1 and check.last_start is not None
    code, _, body = await kit.request("GET", f"/ping/{key}/new-job?create=1")
    assert (code, body) == (200, b"OK")
    # create=1 only means something on slug URLs, and only "1" turns it on.
    assert_error(await kit.request("GET", f"/ping/{key}/other?create=true"), 404, b"not found")
    assert_error(await kit.request("GET", "/ping/no-such-key/x?create=1"), 404, b"not found")
    assert await kit.store.check_by_project_slug(project.id, "other") == []


async def test_auto_provisioning_stops_at_twice_the_check_limit(kit: Kit) -> None:
    project = await kit.project(check_limit=2)
    await kit.check(project, slug="existing")
    for n in range(3):
        code, _, body = await kit.request("GET", f"/ping/{project.ping_key}/auto-{n}?create=1")
        assert (code, body) == (201, b"Created")
    assert_error(await kit.request("GET", f"/ping/{project.ping_key}/auto-9?create=1"), 404, b"not found")
    assert await kit.store.count_checks(project.id) == 4


async def test_auto_provisioning_with_an_invalid_rid_creates_the_check_only(kit: Kit) -> None:
    project = await kit.project()
    assert_error(
        await kit.request("GET", f"/ping/{project.ping_key}/rid-job?create=1&rid=nope"),
        400,
        b"invalid uuid format",
    )
    [check] = await kit.store.check_by_project_slug(project.id, "rid-job")
    assert check.n_pings == 0
    assert await kit.pings(check) == []
    assert_error(
        await kit.request("GET", f"/ping/{project.ping_key}/rid-job/300?create=1"), 400, b"invalid url format"
    )
    assert len(await kit.store.check_by_project_slug(project.id, "rid-job")) == 1


async def test_concurrent_auto_provisioning_creates_one_check(kit: Kit) -> None:
    project = await kit.project()
    results = await asyncio.gather(
        *(kit.request("GET", f"/ping/{project.ping_key}/herd?create=1") for _ in range(40))
    )
    codes = sorted(code for code, _, _ in results)
    assert codes == [200] * 39 + [201]
    [check] = await kit.store.check_by_project_slug(project.id, "herd")
    assert (await kit.reload(check)).n_pings == 40


# -- concurrency -------------------------------------------------------------------------------------------
async def test_concurrent_pings_add_up(kit: Kit) -> None:
    """Many pings in flight at once to one check and to several, by UUID and by slug: every ping is
    answered 200 only once stored, n_pings is exact and the stored pings are numbered 1..n."""
    project = await kit.project()
    hot = await kit.check(project, slug="hot")
    others = [await kit.check(project, slug=f"c{i}") for i in range(10)]
    paths: list[tuple[Check, str]] = []
    for i in range(300):
        paths.append((hot, f"/ping/{hot.code}" if i % 2 else f"/ping/{project.ping_key}/hot"))
    for i in range(300):
        check = others[i % len(others)]
        suffix = ("", "/start", "/fail", "/log", "/0")[i % 5]
        path = f"/ping/{check.code}{suffix}" if i % 3 else f"/ping/{project.ping_key}/{check.slug}{suffix}"
        paths.append((check, path))
    gate = asyncio.Semaphore(100)

    async def send(path: str) -> int:
        async with gate:
            return (await kit.request("GET", path))[0]

    codes = await asyncio.gather(*(send(path) for _, path in paths))
    assert codes == [200] * len(paths)
    for check in [hot, *others]:
        expected = sum(1 for c, _ in paths if c is check)
        after = await kit.reload(check)
        stored = await kit.pings(check)
        assert after.n_pings == expected
        assert sorted(p.n for p in stored) == list(range(1, expected + 1))


async def test_concurrent_pings_add_up_across_worker_processes(tmp_path) -> None:
    """The same with ``--workers 2``: two processes, two group-commit writers, one database."""
    from fixtures_db import fresh_database_url
    from fixtures_server import new_server

    with fresh_database_url(tmp_path) as url:
        server = new_server(tmp_path, url, workers=2).start()
        try:
            async with open_kit(server) as two:
                project = await two.project()
                checks = [await two.check(project, slug=f"w{i}") for i in range(5)]
                paths: list[tuple[Check, str]] = []
                for i in range(400):
                    check = checks[0] if i % 4 == 0 else checks[i % len(checks)]  # one hot check
                    paths.append(
                        (check, f"/ping/{check.code}" if i % 2 else f"/ping/{project.ping_key}/{check.slug}")
                    )
                gate = asyncio.Semaphore(64)

                async def send(path: str) -> int:
                    async with gate:
                        # A new connection each time: the kernel spreads them over both workers.
                        return (await two.request("GET", path, headers={"Connection": "close"}))[0]

                codes = await asyncio.gather(*(send(path) for _, path in paths))
                assert codes == [200] * len(paths)
                for check in checks:
                    expected = sum(1 for c, _ in paths if c is check)
                    assert (await two.reload(check)).n_pings == expected
                    assert sorted(p.n for p in await two.pings(check)) == list(range(1, expected + 1))
        finally:
            server.stop()
