"""``ztn alerts`` (the alert worker alone) and the wiring ``ztn serve`` uses to run it in-process.

Options reach ``Settings`` through ``Settings.extra`` (keys below), so a spawned ``serve`` worker
process gets them with the rest of its settings.

SMTP for e-mail channels comes from the environment: ``ZTN_SMTP_HOST`` (unset: e-mail channels
fail with an error row), ``ZTN_SMTP_PORT``, ``ZTN_SMTP_USERNAME``, ``ZTN_SMTP_PASSWORD``,
``ZTN_SMTP_TLS`` (none | starttls | ssl), ``ZTN_SMTP_FROM``.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import signal
from datetime import UTC, datetime

from ztn.config import Settings, env_default

log = logging.getLogger("ztn.alerts")

ALERTS = "alerts"  # "1" (default) runs the worker inside ``ztn serve``; "0" does not
ALLOW_PRIVATE = "alerts_allow_private"  # "1": webhooks may target private/loopback addresses
POLL_INTERVAL = "alerts_poll_interval"  # seconds between passes (default 2)
STOP_GRACE = 30.0  # seconds a stopping worker waits for deliveries in flight (their leases cover the rest)


def _truthy(value: str) -> bool:
    return value.lower() in ("1", "true", "yes", "on")


def add_options(p: argparse.ArgumentParser, in_serve: bool) -> None:
    if in_serve:
        p.add_argument(
            "--alerts",
            action=argparse.BooleanOptionalAction,
            default=_truthy(env_default("ALERTS", "true")),
            help="run the alert worker in this server (--no-alerts: run `ztn alerts` elsewhere)",
        )
    p.add_argument(
        "--alerts-allow-private",
        action=argparse.BooleanOptionalAction,
        default=_truthy(env_default("ALERTS_ALLOW_PRIVATE", "false")),
        help="let webhooks reach private and loopback addresses",
    )
    p.add_argument(
        "--alerts-poll-interval",
        type=float,
        default=float(env_default("ALERTS_POLL_INTERVAL", "2")),
        help="seconds between the worker's passes",
    )


def apply_options(args: argparse.Namespace, settings: Settings) -> None:
    settings.extra[ALERTS] = "1" if getattr(args, "alerts", True) else "0"
    settings.extra[ALLOW_PRIVATE] = "1" if args.alerts_allow_private else "0"
    settings.extra[POLL_INTERVAL] = str(args.alerts_poll_interval)


def alerts_enabled(settings: Settings) -> bool:
    return settings.extra.get(ALERTS, "1") == "1"


def smtp_from_env():
    from ztn.domain.hc.notify import SmtpSettings

    host = env_default("SMTP_HOST", "")
    if not host:
        return None
    return SmtpSettings(
        host=host,
        port=int(env_default("SMTP_PORT", "25")),
        username=env_default("SMTP_USERNAME", ""),
        password=env_default("SMTP_PASSWORD", ""),
        tls=env_default("SMTP_TLS", "none"),
        sender=env_default("SMTP_FROM", "healthchecks@localhost"),
    )


def notify_context(settings: Settings):
    """The transports' context: the site root and the check's v3 read-write JSON at send time."""
    from ztn.domain.hc.notify import NotifyContext
    from ztn.gateway.codec_json import JsonCodec
    from ztn.gateway.json_style import SNAKE_NULLS_ISO
    from ztn.services.healthchecks import converter

    codec = JsonCodec(SNAKE_NULLS_ISO)
    site_root = settings.external_url

    def check_json(check) -> bytes:
        return codec.encode(converter.check(check, False, 3, datetime.now(UTC), site_root))

    return NotifyContext(
        site_root=site_root,
        check_json=check_json,
        allow_private=settings.extra.get(ALLOW_PRIVATE) == "1",
        smtp=smtp_from_env(),
    )


def build_worker(settings: Settings, db, **kw):
    from ztn.domain.hc.alerts import AlertWorker
    from ztn.store.hc_alerts_repo import AlertStore

    kw.setdefault("poll_interval", float(settings.extra.get(POLL_INTERVAL, "2")))
    return AlertWorker(AlertStore(db), notify_context(settings), **kw)


async def stop_worker(worker, task: asyncio.Task[None], grace: float = STOP_GRACE) -> None:
    """Stop claiming, let deliveries in flight finish for up to ``grace`` seconds, then cancel (an
    unfinished flip keeps its lease and is taken over once it expires)."""
    worker.stop()
    try:
        await asyncio.wait_for(asyncio.shield(task), grace)
    except TimeoutError:
        log.warning("alert worker: deliveries still in flight after %.0f s; cancelled", grace)
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)


async def run_alone(settings: Settings) -> None:
    from ztn.store.db import open_database

    db = await open_database(settings.database_url)
    try:
        await db.migrate()
        worker = build_worker(settings, db)
        task = asyncio.create_task(worker.run(), name="ztn-alerts")
        stopping = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(sig, stopping.set)
        log.info("alert worker %s started (poll every %.1f s)", worker.owner, worker.poll_interval)
        done = asyncio.ensure_future(stopping.wait())
        await asyncio.wait({task, done}, return_when=asyncio.FIRST_COMPLETED)
        done.cancel()
        log.info("alert worker stopping: finishing deliveries in flight")
        await stop_worker(worker, task)
    finally:
        await db.close()


def run(settings: Settings) -> int:
    asyncio.run(run_alone(settings))
    return 0
