"""``ztn hc``: provisioning for the monitoring API (projects and channels), a contract other tools
script against. Each command migrates first and uses plain transactions, so it is safe to run while
servers are serving the same database.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from pathlib import Path

from ztn.config import Settings, env_default
from ztn.domain.hc import keys
from ztn.domain.hc.models import Channel
from ztn.store.db import open_database
from ztn.store.hc_repo import HcStore

CHANNEL_KINDS = ("webhook", "email")


def add_parser(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p_hc = sub.add_parser("hc", help="monitoring (Healthchecks API) provisioning")
    hc_sub = p_hc.add_subparsers(dest="hc_command", required=True)

    project = hc_sub.add_parser("create-project", help="create a project; prints its keys as JSON")
    _database(project)
    project.add_argument("--name", required=True)
    project.add_argument("--check-limit", type=int, default=None, help="default: the server-wide limit")

    channel = hc_sub.add_parser("create-channel", help="create an integration; prints its id as JSON")
    _database(channel)
    channel.add_argument("--project", required=True, help="project id")
    channel.add_argument("--kind", required=True, choices=CHANNEL_KINDS)
    channel.add_argument("--name", required=True)
    channel.add_argument("--value", required=True, help="webhook URL or e-mail address")


def _database(p: argparse.ArgumentParser) -> None:
    group = p.add_mutually_exclusive_group()
    group.add_argument("--data-dir", default=env_default("DATA_DIR", "./data"))
    group.add_argument("--database-url", default=env_default("DATABASE_URL", ""))


def run(args: argparse.Namespace) -> int:
    settings = Settings(data_dir=Path(args.data_dir or "./data"), database_url=args.database_url or "")
    if not args.database_url:
        settings.data_dir.mkdir(parents=True, exist_ok=True)
    if args.hc_command == "create-project":
        result = asyncio.run(_create_project(settings.database_url, args.name, args.check_limit))
    else:
        result = asyncio.run(_create_channel(settings.database_url, args))
    if result is None:
        return 1
    print(json.dumps(result))
    return 0


async def _create_project(database_url: str, name: str, check_limit: int | None) -> dict[str, str]:
    db = await open_database(database_url)
    try:
        await db.migrate()
        store = HcStore(db)
        secret = await store.secret()
        rw, ro = keys.new_api_key(False), keys.new_api_key(True)
        project = await store.create_project(
            keys.new_uuid(),
            name,
            (
                keys.key_prefix(rw),
                keys.key_digest(secret, rw),
                keys.key_prefix(ro),
                keys.key_digest(secret, ro),
            ),
            keys.new_ping_key(),
            keys.new_uuid(),
            check_limit,
        )
    finally:
        await db.close()
    return {
        "id": project.id,
        "api_key": rw,
        "api_key_readonly": ro,
        "ping_key": project.ping_key,
        "badge_key": project.badge_key,
    }


async def _create_channel(database_url: str, args: argparse.Namespace) -> dict[str, str] | None:
    db = await open_database(database_url)
    try:
        await db.migrate()
        store = HcStore(db)
        if await store.project_by("id", args.project) is None:
            print(f"no project with id {args.project!r}", file=sys.stderr)
            return None
        value = (
            json.dumps({"url_down": args.value, "url_up": args.value})
            if args.kind == "webhook"
            else args.value
        )
        channel = await store.create_channel(
            Channel(keys.new_uuid(), args.project, args.name, args.kind, value)
        )
    finally:
        await db.close()
    return {"id": channel.id}
