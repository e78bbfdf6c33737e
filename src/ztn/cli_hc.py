"""``ztn hc ...``: set up Healthchecks projects and channels (the API cannot create either).

Each command migrates first (serialised across processes, a no-op when up to date) and then writes in
plain transactions, so it is safe while servers run on the same database. The result is ONE JSON
object on stdout; errors go to stderr with exit status 1.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from pathlib import Path
from typing import Any

from ztn.config import Settings, env_default


def add_parser(sub: Any) -> None:
    """Register ``hc`` and its commands on the top-level subparsers of ``ztn``."""
    hc = sub.add_parser("hc", help="Healthchecks API: create projects (API keys) and notification channels")
    commands = hc.add_subparsers(dest="hc_command", required=True)

    p = commands.add_parser(
        "create-project",
        help='create a project; prints {"id", "api_key", "api_key_readonly", "ping_key", "badge_key"}',
    )
    _database_args(p)
    p.add_argument("--name", required=True)
    p.add_argument("--check-limit", type=_non_negative, default=None, help="default: the server-wide limit")

    p = commands.add_parser("create-channel", help='add a notification channel; prints {"id"}')
    _database_args(p)
    p.add_argument("--project", required=True, help="project id (from create-project)")
    p.add_argument("--kind", required=True, help="webhook, email, ...")
    p.add_argument("--name", required=True)
    p.add_argument(
        "--value",
        help="e-mail address; webhook URL (a GET for down and up) or webhook JSON; other kinds: as stored",
    )
    hook = p.add_argument_group("webhook (instead of --value)", "placeholders: $CODE $STATUS $NOW $NAME ...")
    for d in ("down", "up"):
        hook.add_argument(f"--url-{d}", default="", help=f"URL requested when a check goes {d}")
        hook.add_argument(f"--method-{d}", default="GET", type=str.upper, choices=["GET", "POST", "PUT"])
        hook.add_argument(f"--body-{d}", default="", help="request body (POST/PUT only)")
        hook.add_argument(f"--headers-{d}", default="", help='JSON object, e.g. {"X-Token": "..."}')


def run(args: argparse.Namespace) -> int:
    url = Settings(data_dir=Path(args.data_dir), database_url=args.database_url).database_url
    try:
        result = asyncio.run(_run(args, url))
    except CliError as exc:
        print(f"ztn hc {args.hc_command}: {exc}", file=sys.stderr)
        return 1
    print(json.dumps(result))
    return 0


class CliError(Exception):
    pass


async def _run(args: argparse.Namespace, url: str) -> dict[str, Any]:
    from ztn.store.db import open_database
    from ztn.store.hc_repo import HcStore

    value = channel_value(args) if args.hc_command == "create-channel" else ""
    if url.startswith("sqlite"):
        Path(args.data_dir).mkdir(parents=True, exist_ok=True)
    db = await open_database(url)
    try:
        await db.migrate()
        store = HcStore(db)
        if args.hc_command == "create-project":
            return await create_project(store, args.name, args.check_limit)
        return await create_channel(store, args.project, args.kind, args.name, value)
    finally:
        await db.close()


async def create_project(store: Any, name: str, check_limit: int | None = None) -> dict[str, str]:
    """A project with fresh keys; the API keys are shown once (only their digests are stored)."""
    from ztn.domain.hc.keys import key_digest, key_prefix, new_api_key, new_ping_key, new_uuid

    secret = await store.secret()
    api_key, ro_key = new_api_key(read_only=False), new_api_key(read_only=True)
    project = await store.create_project(
        name,
        key_digest(secret, api_key),
        key_prefix(api_key),
        key_digest(secret, ro_key),
        key_prefix(ro_key),
        new_ping_key(),
        new_uuid(),
        check_limit,
    )
    return {
        "id": project.id,
        "api_key": api_key,
        "api_key_readonly": ro_key,
        "ping_key": project.ping_key,
        "badge_key": project.badge_key,
    }


async def create_channel(store: Any, project_id: str, kind: str, name: str, value: str) -> dict[str, str]:
    if await store.project_by_id(project_id) is None:
        raise CliError(f"no project {project_id!r}")
    if kind == "webhook" and not value.lstrip().startswith("{"):
        # A bare URL: the same GET for both directions, stored as the webhook configuration object.
        value = json.dumps({"url_down": value, "url_up": value})
    channel = await store.create_channel(project_id, kind, name, value)
    return {"id": channel.id}


_HOOK_OPTIONS = ("url", "method", "body", "headers")


def channel_value(args: argparse.Namespace) -> str:
    """The stored value for ``create-channel`` from ``--value`` or the webhook options, validated."""
    from ztn.domain.hc import email, webhook

    structured = any(
        getattr(args, f"{opt}_{d}") not in ("", "GET") for opt in _HOOK_OPTIONS for d in ("down", "up")
    )
    if structured and args.kind != "webhook":
        raise CliError("--url-*, --method-*, --body-* and --headers-* are for --kind webhook")
    if structured and args.value is not None:
        raise CliError("give either --value or the webhook options, not both")
    if args.kind == "webhook":
        if structured:
            return webhook_value_from_options(args)
        if not args.value:
            raise CliError("--kind webhook needs --url-down/--url-up or --value")
        try:
            webhook.parse_config(args.value)
        except webhook.ConfigError as exc:
            raise CliError(str(exc)) from None
        return args.value
    if args.value is None:
        raise CliError(f"--kind {args.kind} needs --value")
    if args.kind == "email":
        try:
            email.parse_config(args.value)
        except email.ConfigError as exc:
            raise CliError(str(exc)) from None
    return args.value


def webhook_value_from_options(args: argparse.Namespace) -> str:
    from ztn.domain.hc import webhook

    raw: dict[str, Any] = {}
    for d in ("down", "up"):
        headers_text = getattr(args, f"headers_{d}")
        try:
            headers = json.loads(headers_text) if headers_text else {}
        except ValueError as exc:
            raise CliError(f"--headers-{d} is not JSON: {exc}") from None
        raw.update(
            {
                f"url_{d}": getattr(args, f"url_{d}"),
                f"method_{d}": getattr(args, f"method_{d}"),
                f"body_{d}": getattr(args, f"body_{d}"),
                f"headers_{d}": headers,
            }
        )
    try:
        config = webhook.parse_config(json.dumps(raw))
    except webhook.ConfigError as exc:
        raise CliError(str(exc).replace("_down", "-down").replace("_up", "-up")) from None
    if not config.down.url and not config.up.url:
        raise CliError("a webhook needs --url-down or --url-up")
    return config.to_value()


def _database_args(p: argparse.ArgumentParser) -> None:
    group = p.add_mutually_exclusive_group()
    group.add_argument("--data-dir", default=env_default("DATA_DIR", "./data"), help="as for ztn serve")
    group.add_argument(
        "--database-url",
        default=env_default("DATABASE_URL", ""),
        help="default: the SQLite file in the data dir; postgresql://... for PostgreSQL",
    )


def _non_negative(value: str) -> int:
    number = int(value)
    if number < 0:
        raise argparse.ArgumentTypeError("must be >= 0")
    return number
