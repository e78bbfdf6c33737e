"""``ztn serve`` and admin commands.

``serve`` prepares the data dir and database once (keys, migrations, first-start bootstrap), then
runs the server in this process, or in N worker processes that share both ports through an
explicit SO_REUSEPORT. SIGTERM/SIGINT stop accepting new calls and drain in-flight ones.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import multiprocessing
import multiprocessing.connection
import os
import signal
import sys
from pathlib import Path

from ztn import cli_alerts, cli_hc
from ztn.config import Settings, env_default

log = logging.getLogger("ztn")


def _settings(args: argparse.Namespace) -> Settings:
    return Settings(
        data_dir=Path(args.data_dir),
        http=args.http,
        grpc=args.grpc,
        external_url=args.external_url,
        database_url=args.database_url,
        workers=args.workers,
        cors_origins=tuple(o.strip() for o in args.cors_origins.split(",") if o.strip()),
        log_level=args.log_level,
        access_log=args.access_log,
        instance_host_headers=tuple(h.strip() for h in args.instance_host_headers.split(",") if h.strip()),
        trust_forwarded=args.trust_forwarded,
        default_instance=args.default_instance,
        hc_check_limit=args.hc_check_limit,
    )


async def prepare(settings: Settings) -> str | None:
    """Keys, migrations and the first instance; returns the admin PAT when this start created it."""
    from ztn.auth.keys import ensure_system_key
    from ztn.domain.bootstrap import bootstrap_first_instance
    from ztn.domain.instances import InstanceConfig, Instances
    from ztn.store.db import open_database

    settings.data_dir.mkdir(parents=True, exist_ok=True)
    ensure_system_key(settings.data_dir)
    db = await open_database(settings.database_url)
    try:
        await db.migrate()
        instances = Instances(db, InstanceConfig(base_domain=settings.external_host))
        result = await bootstrap_first_instance(instances, settings.external_host)
    finally:
        await db.close()
    if result is None:
        return None
    pat_path = settings.data_dir / "admin.pat"
    fd = os.open(pat_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as f:
        f.write(result.pat + "\n")
    log.info(
        "first start: instance %s on %s; admin PAT written to %s", result.instance_id, result.domain, pat_path
    )
    return result.pat


async def _serve(settings: Settings, reuse_port: bool) -> None:
    from ztn.server import Server

    server = Server(settings, reuse_port=reuse_port)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    await server.start()
    await stop.wait()
    log.info("shutting down: draining in-flight calls")
    await server.stop()


def _run(coro) -> None:
    try:
        import uvloop

        uvloop.run(coro)
    except ImportError:
        asyncio.run(coro)


def _worker(settings: Settings) -> None:
    _configure_logging(settings.log_level, settings.access_log)
    _run(_serve(settings, reuse_port=True))


def serve(settings: Settings) -> int:
    asyncio.run(prepare(settings))
    if settings.workers <= 1:
        _run(_serve(settings, reuse_port=False))
        return 0
    ctx = multiprocessing.get_context("spawn")
    workers = [
        ctx.Process(target=_worker, args=(settings,), name=f"ztn-worker-{i}") for i in range(settings.workers)
    ]
    for w in workers:
        w.start()

    stopping = False

    def stop_all(signum=None, frame=None):
        nonlocal stopping
        stopping = True
        for w in workers:
            if w.is_alive() and w.pid:
                os.kill(w.pid, signal.SIGTERM)

    signal.signal(signal.SIGTERM, stop_all)
    signal.signal(signal.SIGINT, stop_all)
    code = 0
    running = list(workers)
    while running:
        for sentinel in multiprocessing.connection.wait([w.sentinel for w in running]):
            worker = next(w for w in running if w.sentinel == sentinel)
            worker.join()
            running.remove(worker)
            # A worker still starting when SIGTERM arrives dies of the signal itself: that is a clean stop.
            clean = worker.exitcode == 0 or (stopping and worker.exitcode == -signal.SIGTERM)
            if not clean:
                code = code or 1
                if not stopping:
                    log.error("%s exited with %s: stopping the other workers", worker.name, worker.exitcode)
                    stop_all()
    return code


def system_token(args: argparse.Namespace) -> int:
    from ztn.auth.keys import system_token_for_data_dir

    settings = _settings(args)
    print(system_token_for_data_dir(settings.data_dir, settings.external_url))
    return 0


def _configure_logging(level: str, access_log: bool = False) -> None:
    logging.basicConfig(level=level.upper(), format="%(asctime)s %(levelname)s %(name)s %(message)s")
    logging.getLogger("alembic").setLevel(logging.WARNING)
    # The per-call access log is opt-in, independent of --log-level.
    logging.getLogger("ztn.access").setLevel(logging.INFO if access_log else logging.WARNING)


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument("--data-dir", default=env_default("DATA_DIR", "./data"))
    p.add_argument("--http", default=env_default("HTTP", "127.0.0.1:8080"), help="HTTP listen HOST:PORT")
    p.add_argument(
        "--grpc", default=env_default("GRPC", "127.0.0.1:8081"), help="native gRPC listen HOST:PORT"
    )
    p.add_argument(
        "--external-url",
        default=env_default("EXTERNAL_URL", ""),
        help="public URL of the server (default http://localhost:<http port>)",
    )
    p.add_argument(
        "--database-url",
        default=env_default("DATABASE_URL", ""),
        help="default: SQLite file in the data dir; postgresql://... for PostgreSQL",
    )
    p.add_argument("--workers", type=int, default=int(env_default("WORKERS", "1")))
    p.add_argument(
        "--cors-origins",
        default=env_default("CORS_ORIGINS", "*"),
        help="comma-separated allowed browser origins, * for any",
    )
    p.add_argument("--log-level", default=env_default("LOG_LEVEL", "INFO"))
    p.add_argument(
        "--access-log",
        action=argparse.BooleanOptionalAction,
        default=env_default("ACCESS_LOG", "false").lower() in ("1", "true", "yes"),
        help="log every call (method, status, duration, peer) on the ztn.access logger at INFO",
    )
    p.add_argument(
        "--instance-host-headers",
        default=env_default("INSTANCE_HOST_HEADERS", "x-zitadel-instance-host"),
        help="comma-separated headers naming the instance host, tried before Host",
    )
    p.add_argument(
        "--trust-forwarded",
        action=argparse.BooleanOptionalAction,
        default=env_default("TRUST_FORWARDED", "false").lower() in ("1", "true", "yes"),
        help="take the instance host from Forwarded / X-Forwarded-Host (behind a trusted proxy)",
    )
    p.add_argument(
        "--hc-check-limit",
        type=int,
        default=int(env_default("HC_CHECK_LIMIT", "20")),
        help="checks per monitoring project unless the project sets its own limit",
    )
    p.add_argument(
        "--default-instance",
        default=env_default("DEFAULT_INSTANCE", ""),
        help="single-instance mode: id or domain of the instance every request goes to",
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="ztn")
    sub = parser.add_subparsers(dest="command", required=True)
    p_serve = sub.add_parser("serve", help="run the server")
    _common(p_serve)
    cli_alerts.add_options(p_serve, in_serve=True)
    p_alerts = sub.add_parser("alerts", help="run the alert worker alone (no ports)")
    _common(p_alerts)
    cli_alerts.add_options(p_alerts, in_serve=False)
    p_token = sub.add_parser(
        "system-token", help="print a fresh System API JWT for the data dir's system user"
    )
    _common(p_token)
    cli_hc.add_parser(sub)
    args = parser.parse_args(argv)
    if args.command == "hc":
        return cli_hc.run(args)
    _configure_logging(args.log_level, args.access_log)
    try:
        settings = _settings(args)
    except ValueError as exc:
        parser.error(str(exc))
    if args.command in ("serve", "alerts"):
        cli_alerts.apply_options(args, settings)
    if args.command == "serve":
        return serve(settings)
    if args.command == "alerts":
        return cli_alerts.run(settings)
    return system_token(args)


if __name__ == "__main__":
    sys.exit(main())
