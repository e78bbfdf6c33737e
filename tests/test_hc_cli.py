"""``ztn hc create-project`` / ``create-channel``: the JSON contract, both database options, and safety
next to a running writer (real processes, real database of the backend under test)."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
from pathlib import Path

import pytest

from fixtures_db import backend
from ztn.domain.hc.keys import key_digest
from ztn.store.db import open_database
from ztn.store.hc_repo import HcStore

PROJECT_KEYS = ["id", "api_key", "api_key_readonly", "ping_key", "badge_key"]


def ztn(*args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "ztn.cli", "hc", *args],
        capture_output=True,
        text=True,
        check=check,
        timeout=60,
    )


def one_json_object(stdout: str) -> dict[str, object]:
    lines = stdout.strip().splitlines()
    assert len(lines) == 1, stdout
    return json.loads(lines[0])


async def read_back(url: str, project_id: str, api_key: str, ro_key: str):
    db = await open_database(url)
    try:
        store = HcStore(db)
        secret = await store.secret()
        rw = await store.project_by_key_digest(key_digest(secret, api_key))
        ro = await store.project_by_key_digest(key_digest(secret, ro_key))
        return rw, ro, await store.list_channels(project_id)
    finally:
        await db.close()


def test_create_project_and_channel_with_a_database_url(database_url: str) -> None:
    out = one_json_object(ztn("create-project", "--database-url", database_url, "--name", "ops").stdout)
    assert list(out) == PROJECT_KEYS
    assert str(out["api_key"]).startswith("hcw_") and len(str(out["api_key"])) == 32
    assert str(out["api_key_readonly"]).startswith("hcr_") and len(str(out["api_key_readonly"])) == 32
    assert len(str(out["ping_key"])) == 22 and len(str(out["badge_key"])) == 36

    args = ["--database-url", database_url, "--project", str(out["id"]), "--kind", "webhook"]
    channel = one_json_object(ztn("create-channel", *args, "--name", "hook", "--value", "http://h/x").stdout)
    assert list(channel) == ["id"]

    rw, ro, channels = asyncio.run(
        read_back(database_url, str(out["id"]), out["api_key"], out["api_key_readonly"])
    )
    assert rw is not None and ro is not None
    assert (rw[0].id, rw[1], ro[0].id, ro[1]) == (out["id"], False, out["id"], True)
    assert (rw[0].name, rw[0].ping_key, rw[0].badge_key, rw[0].check_limit) == (
        "ops",
        out["ping_key"],
        out["badge_key"],
        None,
    )
    assert [(c.id, c.name, c.kind) for c in channels] == [(channel["id"], "hook", "webhook")]
    assert json.loads(channels[0].value) == {"url_down": "http://h/x", "url_up": "http://h/x"}


@pytest.mark.skipif(backend() == "postgres", reason="--data-dir always means the data dir's SQLite file")
def test_create_project_with_a_data_dir_and_a_check_limit(tmp_path: Path) -> None:
    data = tmp_path / "data"
    out = one_json_object(
        ztn("create-project", "--data-dir", str(data), "--name", "d", "--check-limit", "3").stdout
    )
    assert (data / "ztn.db").exists()
    rw, _, _ = asyncio.run(
        read_back(f"sqlite:///{data / 'ztn.db'}", str(out["id"]), out["api_key"], out["api_key"])
    )
    assert rw is not None and rw[0].check_limit == 3


def test_unknown_project_and_bad_arguments_fail_without_output(database_url: str) -> None:
    args = ["--database-url", database_url, "--kind", "webhook", "--name", "n", "--value", "http://h"]
    result = ztn("create-channel", *args, "--project", "no-such-project", check=False)
    assert result.returncode == 1 and result.stdout == "" and "no-such-project" in result.stderr
    result = ztn(
        "create-project", "--database-url", database_url, "--name", "x", "--check-limit", "-1", check=False
    )
    assert result.returncode == 2 and result.stdout == ""
    result = ztn("create-project", "--database-url", database_url, check=False)  # --name is required
    assert result.returncode == 2 and result.stdout == ""


async def test_safe_next_to_a_running_writer_and_concurrent_runs(database_url: str) -> None:
    """While a "server" keeps writing pings, several CLI processes migrate and create concurrently."""
    from datetime import UTC, datetime

    from ztn.domain.hc.models import Check, PingInput
    from ztn.store.hc_repo import CheckRef

    db = await open_database(database_url)
    await db.migrate()
    store = HcStore(db)
    project = await store.create_project("srv", "rw", "rw", "ro", "ro", "pk", "bk")
    now = datetime.now(UTC)
    check = await store.insert_check(
        Check(0, "00000000-0000-4000-8000-000000000001", project.id, badge_key="b", created=now), None, None
    )

    def process(c, p):
        c.n_pings += 1
        return "success", None

    stop = asyncio.Event()

    async def serve() -> int:
        sent = 0
        while not stop.is_set():
            await asyncio.gather(
                *(
                    store.ping(CheckRef(code=check.code), PingInput("success", now), process)
                    for _ in range(20)
                )
            )
            sent += 20
        return sent

    server = asyncio.create_task(serve())
    try:
        runs = [
            asyncio.create_subprocess_exec(
                sys.executable,
                "-m",
                "ztn.cli",
                "hc",
                "create-project",
                "--database-url",
                database_url,
                "--name",
                f"cli{i}",
                stdout=asyncio.subprocess.PIPE,
                stderr=asyncio.subprocess.PIPE,
            )
            for i in range(3)
        ]
        procs = [await r for r in runs]
        outputs = [await p.communicate() for p in procs]
    finally:
        stop.set()
        sent = await server
    assert [p.returncode for p in procs] == [0, 0, 0], [e for _, e in outputs]
    ids = {one_json_object(out.decode())["id"] for out, _ in outputs}
    assert len(ids) == 3
    try:
        assert (await store.check_by_code(check.code)).n_pings == sent
        for project_id in ids:
            assert await store.project_by_id(project_id) is not None
    finally:
        await store.close()
        await db.close()
