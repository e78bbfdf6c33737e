"""REST door features for Python-web-style APIs, through the full HttpGateway on a real socket:
trailing-slash templates and append_slash redirects, per-service error formats and exact HttpError
answers, a per-service CORS policy, raw HttpBody request bodies, empty header values as metadata."""

from __future__ import annotations

import pytest
from aiohttp.test_utils import TestClient

from httprule_servicer import raw_request
from styled_servicer import STYLED, serve_styled, styled_registry
from ztn.gateway.json_style import SNAKE_NULLS_ISO
from ztn.gateway.pattern import TemplateError, parse_template
from ztn.gateway.registry import ServiceOptions
from ztn.gateway.routes import RouteNotFound, RouteTable

HTML = "text/html; charset=utf-8"
CORS_NAMES = ("Access-Control-Allow-Origin", "Access-Control-Allow-Headers", "Access-Control-Max-Age")


@pytest.fixture(scope="module")
async def client():
    async with serve_styled() as c:
        yield c


@pytest.fixture(scope="module")
async def plain():
    """The same service with the default error format, no CORS policy and no append_slash."""
    async with serve_styled(ServiceOptions(json_style=SNAKE_NULLS_ISO)) as c:
        yield c


async def call(client: TestClient, method: str, path: str, **kwargs):
    r = await raw_request(client, method, path, allow_redirects=False, **kwargs)
    return r, await r.read()


def methods(r) -> set[str]:
    return {m.strip() for m in r.headers["Access-Control-Allow-Methods"].split(",")}


def assert_service_cors(r, allowed: set[str]) -> None:
    assert r.headers["Access-Control-Allow-Origin"] == "*"
    assert r.headers["Access-Control-Allow-Headers"] == "X-Api-Key"
    assert r.headers["Access-Control-Max-Age"] == "600"
    assert methods(r) == allowed
    assert "Access-Control-Allow-Credentials" not in r.headers


def assert_no_cors(r) -> None:
    assert not [k for k in r.headers if k.lower().startswith("access-control-")]


# --- trailing slashes and redirects ----------------------------------------------------------------


async def test_a_trailing_slash_template_serves_the_path_with_its_slash(client) -> None:
    r, body = await call(client, "GET", "/styled/v1/items/?tag=a&tag=b")
    assert r.status == 200 and r.headers["Content-Type"] == "application/json"
    assert b'"tags":["a","b"]' in body


@pytest.mark.parametrize("method", ["GET", "POST", "DELETE", "PUT", "HEAD", "OPTIONS"])
async def test_the_path_without_its_slash_is_redirected_for_any_method(client, method) -> None:
    r, body = await call(client, method, "/styled/v1/items", data=b'{"x": 1}')
    assert r.status == 301 and body == b""
    assert r.headers["Location"] == "/styled/v1/items/"
    assert r.headers["Content-Type"] == HTML


async def test_the_redirect_keeps_the_raw_query(client) -> None:
    r, _ = await call(client, "GET", "/styled/v1/items?tag=a%20b&tag=c&since=")
    assert (r.status, r.headers["Location"]) == (301, "/styled/v1/items/?tag=a%20b&tag=c&since=")
    r, _ = await call(client, "GET", "/styled/v2/probe?x=1")
    assert (r.status, r.headers["Location"]) == (301, "/styled/v2/probe/?x=1")


@pytest.mark.parametrize("path", ["/styled/v1/items/x/", "/styled/v1/items/x/pause/", "/styled/v1/items//"])
async def test_an_extra_trailing_slash_is_a_plain_404(client, path) -> None:
    r, _ = await call(client, "GET", path)
    assert r.status == 404 and "Location" not in r.headers


async def test_a_path_that_has_no_route_even_with_a_slash_is_not_redirected(client) -> None:
    r, _ = await call(client, "GET", "/styled/v1/nothing")
    assert r.status == 404 and "Location" not in r.headers


async def test_without_append_slash_templates_are_still_strict_but_nothing_redirects(plain) -> None:
    r, _ = await call(plain, "GET", "/styled/v1/items")
    assert r.status == 404 and "Location" not in r.headers
    r, _ = await call(plain, "GET", "/styled/v1/items/")
    assert r.status == 200
    # Templates without a trailing "/" keep grpc-gateway's tolerance of one.
    r, body = await call(plain, "GET", "/styled/v1/items/x/")
    assert r.status == 200 and b'"name":"x"' in body


# --- errors ------------------------------------------------------------------------------------------


async def test_an_http_error_detail_is_answered_exactly_and_bare_skips_cors(client) -> None:
    r, body = await call(client, "GET", "/styled/v1/items/gone")
    assert (r.status, r.headers["Content-Type"], body) == (404, "text/html", b"<h1>NF</h1>")
    assert_no_cors(r)


async def test_an_http_error_detail_without_content_type_is_html_and_keeps_cors(client) -> None:
    r, body = await call(client, "GET", "/styled/v1/items/conflict")
    assert (r.status, r.headers["Content-Type"], body) == (409, HTML, b"not paused")
    assert_service_cors(r, {"GET", "POST", "DELETE", "OPTIONS"})


async def test_the_message_format_without_a_detail(client) -> None:
    r, body = await call(client, "GET", "/styled/v1/items/denied")
    assert (r.status, r.headers["Content-Type"]) == (401, "application/json")
    assert body == b'{"error":"wrong api key"}'
    assert "WWW-Authenticate" not in r.headers
    assert_service_cors(r, {"GET", "POST", "DELETE", "OPTIONS"})


async def test_gateway_errors_of_a_message_service_are_error_objects(client) -> None:
    r, body = await call(client, "GET", "/styled/v1/items/x", headers={"Grpc-Metadata-Blob-Bin": "!!!"})
    assert (r.status, r.headers["Content-Type"]) == (400, "application/json")
    assert body.startswith(b'{"error":"invalid base64')
    assert_service_cors(r, {"GET", "POST", "DELETE", "OPTIONS"})


async def test_a_405_of_a_message_service_is_empty_html_with_cors(client) -> None:
    r, body = await call(client, "DELETE", "/styled/v1/items/")
    assert (r.status, r.headers["Content-Type"], body) == (405, HTML, b"")
    assert r.headers["Allow"] == "GET, POST"
    assert_service_cors(r, {"GET", "POST", "OPTIONS"})
    r, body = await call(client, "GET", "/styled/v1/items/x/pause")
    assert (r.status, body) == (405, b"")
    assert_service_cors(r, {"POST", "OPTIONS"})


async def test_the_grpc_gateway_format_and_exact_details_whatever_the_format(plain) -> None:
    r, body = await call(plain, "GET", "/styled/v1/items/denied")
    assert r.status == 401 and await r.json() == {"code": 16, "message": "wrong api key", "details": []}
    r, body = await call(plain, "GET", "/styled/v1/items/gone")
    assert (r.status, r.headers["Content-Type"], body) == (404, "text/html", b"<h1>NF</h1>")
    r, body = await call(plain, "DELETE", "/styled/v1/items/")
    assert r.status == 405 and await r.json() == {"code": 12, "message": "Method Not Allowed", "details": []}
    assert_no_cors(r)


# --- CORS --------------------------------------------------------------------------------------------


async def test_success_responses_carry_the_service_cors_with_the_path_methods(client) -> None:
    r, _ = await call(client, "GET", "/styled/v1/items/")
    assert_service_cors(r, {"GET", "POST", "OPTIONS"})
    r, _ = await call(client, "POST", "/styled/v1/items/", data=b"x")
    assert r.status == 201
    assert_service_cors(r, {"GET", "POST", "OPTIONS"})
    r, _ = await call(client, "DELETE", "/styled/v1/items/abc")
    assert r.status == 200
    assert_service_cors(r, {"GET", "POST", "DELETE", "OPTIONS"})


async def test_options_is_204_without_a_call_or_auth_whatever_the_headers(client) -> None:
    for headers in ({}, {"Origin": "https://x.example", "Access-Control-Request-Method": "DELETE"}):
        r, body = await call(client, "OPTIONS", "/styled/v1/items/gone", headers=headers)
        assert (r.status, body) == (204, b"")  # "gone" would have answered 404 had it been called
        assert_service_cors(r, {"GET", "POST", "DELETE", "OPTIONS"})
    r, _ = await call(client, "OPTIONS", "/styled/v1/items/x/pause")
    assert r.status == 204
    assert_service_cors(r, {"POST", "OPTIONS"})


async def test_exempt_methods_get_no_cors_and_no_service_preflight(client) -> None:
    r, body = await call(client, "GET", "/styled/v1/probe/")
    assert (r.status, r.headers["Content-Type"], body) == (200, HTML, b"OK")
    assert_no_cors(r)
    r, body = await call(client, "POST", "/styled/v1/probe/")
    assert (r.status, body) == (405, b"")
    assert_no_cors(r)
    r, _ = await call(client, "OPTIONS", "/styled/v1/probe/")
    assert r.status == 405
    assert_no_cors(r)


async def test_the_service_policy_wins_over_the_server_wide_one() -> None:
    origin = "https://app.example.com"
    async with serve_styled(cors_origins=(origin,)) as c:
        preflight = {"Origin": origin, "Access-Control-Request-Method": "POST"}
        r, _ = await call(c, "OPTIONS", "/styled/v1/items/", headers=preflight)
        assert r.status == 204
        assert_service_cors(r, {"GET", "POST", "OPTIONS"})
        r, _ = await call(c, "GET", "/styled/v1/items/", headers={"Origin": origin})
        assert_service_cors(r, {"GET", "POST", "OPTIONS"})
        assert "Access-Control-Expose-Headers" not in r.headers
        # Exempt and bare answers fall back to the server-wide policy.
        r, _ = await call(c, "GET", "/styled/v1/probe/", headers={"Origin": origin})
        assert r.headers["Access-Control-Allow-Origin"] == origin
        r, _ = await call(c, "OPTIONS", "/styled/v1/probe/", headers=preflight)
        assert (r.status, r.headers["Access-Control-Allow-Origin"]) == (204, origin)
        r, _ = await call(c, "GET", "/styled/v1/items/gone", headers={"Origin": origin})
        assert r.headers["Access-Control-Allow-Origin"] == origin


async def test_x_http_code_still_sets_the_status(client) -> None:
    r, body = await call(client, "GET", "/styled/v1/items/created")
    assert r.status == 200 and b'"name":"existing"' in body
    assert_service_cors(r, {"GET", "POST", "DELETE", "OPTIONS"})


# --- raw HttpBody request bodies ---------------------------------------------------------------------


async def test_an_http_body_field_gets_the_raw_bytes_and_the_content_type(client) -> None:
    raw = b'{"name": "A", "api_key": null}'
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    r, _ = await call(client, "POST", "/styled/v1/items/", data=raw, headers=headers)
    out = await r.json()
    assert r.status == 201
    assert (out["name"], out["count"], out["note"]) == (raw.decode(), len(raw), headers["Content-Type"])


async def test_an_http_body_is_never_parsed(client) -> None:
    headers = {"Content-Type": "x/y"}
    r, _ = await call(client, "POST", "/styled/v1/items/x", data=b"\xff{not json", headers=headers)
    out = await r.json()
    assert (r.status, out["count"], out["note"]) == (200, 10, "x/y")


async def test_an_empty_body_leaves_the_http_body_unset(client) -> None:
    headers = {"Content-Type": "application/json"}
    r, _ = await call(client, "POST", "/styled/v1/items/x/pause", headers=headers)
    out = await r.json()
    assert r.status == 200 and out["count"] == 0 and "note" not in out


async def test_a_body_without_content_type_has_an_empty_one(client) -> None:
    r = await raw_request(client, "POST", "/styled/v1/items/", data=b"{}", skip_auto_headers=["Content-Type"])
    out = await r.json()
    assert (out["name"], out["note"]) == ("{}", "")


# --- query presence and metadata -----------------------------------------------------------------------


async def test_an_empty_query_value_sets_an_optional_field(client) -> None:
    r, _ = await call(client, "GET", "/styled/v1/items/?since=")
    first = (await r.json())["items"][0]
    assert (first["name"], first["note"]) == ("since", "")
    r, _ = await call(client, "GET", "/styled/v1/items/")
    assert (await r.json())["items"][0]["name"] == "no since"


@pytest.mark.parametrize("value", ["", "hcw_key"])
async def test_a_forwarded_header_keeps_its_value_even_empty(client, value) -> None:
    r, _ = await call(client, "GET", "/styled/v1/items/meta", headers={"X-Api-Key": value})
    assert f"x-api-key={value}" in (await r.json())["tags"]


async def test_an_absent_forwarded_header_is_no_metadata(client) -> None:
    r, _ = await call(client, "GET", "/styled/v1/items/meta")
    assert not [t for t in (await r.json())["tags"] if t.startswith("x-api-key")]


def test_unknown_error_formats_are_refused_at_start_up() -> None:
    with pytest.raises(ValueError, match="error format"):
        ServiceOptions(error_format="django")
    assert STYLED.error_format == "message"


# --- templates ---------------------------------------------------------------------------------------


def test_one_trailing_slash_is_allowed_in_a_template() -> None:
    t = parse_template("/api/{version}/checks/")
    assert t.trailing_slash and [s.text for s in t.segments] == ["api", "", "checks"]
    assert not parse_template("/api/{version}/checks").trailing_slash
    assert parse_template("/v1/{name=items/*}/").trailing_slash


@pytest.mark.parametrize(
    "template, reason",
    [
        ("/v1/items//", "empty segment"),
        ("/v1//items/", "empty segment"),
        ("/v1/**/", "cannot be followed"),
        ("/v1/items/:verb", "empty segment"),
        ("v1/items/", "start with '/'"),
    ],
)
def test_other_template_errors_are_kept(template, reason) -> None:
    with pytest.raises(TemplateError, match=reason):
        parse_template(template)


def test_route_lookup_is_strict_about_the_template_slash() -> None:
    table = RouteTable(styled_registry().methods.values())
    assert table.lookup("GET", "/styled/v1/items/").route.method.name == "ListItems"
    with pytest.raises(RouteNotFound):
        table.lookup("GET", "/styled/v1/items")
    with pytest.raises(RouteNotFound):
        table.lookup("GET", "/styled/v1/items/x/")  # append_slash services tolerate no extra slash
    assert [r.http_method for r in table.routes_on("/styled/v1/items/x")] == ["GET", "POST", "DELETE"]
    assert table.slash_redirect("/styled/v1/items") and not table.slash_redirect("/styled/v1/items/x")
