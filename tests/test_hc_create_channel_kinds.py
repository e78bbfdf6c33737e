"""``ztn hc create-channel --kind email|webhook``: the stored value formats the transports read."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys

import pytest

from ztn.domain.hc import email, webhook
from ztn.store.db import open_database
from ztn.store.hc_repo import HcStore


def ztn(*args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "ztn.cli", "hc", *args],
        capture_output=True,
        text=True,
        check=check,
        timeout=60,
    )


async def stored_values(url: str, project_id: str) -> dict[str, tuple[str, str]]:
    db = await open_database(url)
    try:
        return {c.name: (c.kind, c.value) for c in await HcStore(db).list_channels(project_id)}
    finally:
        await db.close()


@pytest.fixture
def project(database_url: str) -> list[str]:
    out = json.loads(ztn("create-project", "--database-url", database_url, "--name", "kinds").stdout)
    return ["--database-url", database_url, "--project", out["id"]]


def test_kinds_and_their_values(project: list[str], database_url: str) -> None:
    ztn("create-channel", *project, "--kind", "email", "--name", "mail", "--value", "ops@example.com")
    ztn("create-channel", *project, "--kind", "webhook", "--name", "simple", "--value", "http://h/x")
    ztn(
        "create-channel", *project, "--kind", "webhook", "--name", "full",
        "--url-down", "https://h/down?n=$NAME", "--method-down", "post",
        "--body-down", '{"name": $NAME_JSON}', "--headers-down", '{"X-Token": "t"}',
        "--url-up", "https://h/up",
    )
    literal = '{"url_down": "http://h/d", "url_up": ""}'
    ztn("create-channel", *project, "--kind", "webhook", "--name", "json", "--value", literal)
    values = asyncio.run(stored_values(database_url, project[-1]))

    assert values["mail"] == ("email", "ops@example.com")
    assert email.parse_config(values["mail"][1]).address == "ops@example.com"
    assert values["simple"][0] == "webhook"
    assert json.loads(values["simple"][1]) == {"url_down": "http://h/x", "url_up": "http://h/x"}
    assert values["json"] == ("webhook", literal)
    assert webhook.is_noop(values["json"][1], "up") and not webhook.is_noop(values["json"][1], "down")

    full = webhook.parse_config(values["full"][1])
    body = '{"name": $NAME_JSON}'
    assert full.down == webhook.Spec("https://h/down?n=$NAME", "POST", body, {"X-Token": "t"})
    assert full.up == webhook.Spec("https://h/up")


@pytest.mark.parametrize(
    "args, message",
    [
        (["--kind", "email", "--value", "not-an-address"], "not an e-mail address"),
        (["--kind", "email"], "--kind email needs --value"),
        (["--kind", "email", "--value", "a@b.c", "--url-down", "http://h/"], "are for --kind webhook"),
        (["--kind", "webhook"], "needs --url-down/--url-up or --value"),
        (["--kind", "webhook", "--value", "http://h/", "--url-up", "http://h/"], "not both"),
        (["--kind", "webhook", "--value", "ftp://h/"], "http:// or https://"),
        (["--kind", "webhook", "--url-down", "http://h/", "--headers-down", "{x"], "is not JSON"),
        (["--kind", "webhook", "--url-down", "http://h/", "--headers-down", '{"X": 1}'], "headers-down"),
        (["--kind", "webhook", "--body-up", "b"], "needs --url-down or --url-up"),
    ],
)
def test_invalid_options_fail_without_output(project: list[str], args: list[str], message: str) -> None:
    result = ztn("create-channel", *project, "--name", "bad", *args, check=False)
    assert result.returncode == 1 and result.stdout == ""
    assert message in result.stderr


def test_bad_method_is_an_argument_error(project: list[str]) -> None:
    args = ["--kind", "webhook", "--name", "m", "--url-down", "http://h/", "--method-down", "DELETE"]
    result = ztn("create-channel", *project, *args, check=False)
    assert result.returncode == 2 and result.stdout == ""
