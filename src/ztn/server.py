"""One server process: the native gRPC port and the HTTP port, sharing one registry and one database.

Start-up order: database (migrated by the CLI before workers start), registry (services and the
middleware chain, decided once), gRPC server (+ health, reflection), HTTP gateway, health monitor.
Stop: health goes NOT_SERVING, both servers stop accepting and drain in-flight calls, then the
database closes.
"""

from __future__ import annotations

import asyncio
import gc
import logging
from importlib.metadata import version

import grpc
import orjson
from aiohttp import web
from grpc_health.v1 import health, health_pb2, health_pb2_grpc

from zitadel import management_pb2_grpc, system_pb2_grpc
from zitadel.instance.v2 import instance_service_pb2_grpc as instance_v2_grpc
from zitadel.instance.v2beta import instance_service_pb2_grpc as instance_v2beta_grpc
from ztn import cli_alerts
from ztn.auth.middleware import SystemAuthMiddleware
from ztn.auth.system_users import SystemTokenVerifier, load_system_users
from ztn.auth.tenancy import TenancyMiddleware
from ztn.config import Settings
from ztn.domain.hc.checks import HcApi
from ztn.domain.hc.pinging import HcPings
from ztn.domain.instances import InstanceConfig, Instances
from ztn.domain.trusted_domains import TrustedDomains
from ztn.gateway.app import HttpGateway
from ztn.gateway.cors import RestCors
from ztn.gateway.json_style import CANONICAL, SNAKE_NULLS_ISO
from ztn.gateway.metadata import HeaderRules
from ztn.gateway.openapi import build_openapi
from ztn.gateway.recovery import RecoveryMiddleware
from ztn.gateway.reflection import enable_reflection
from ztn.gateway.registry import Registry, ServiceOptions
from ztn.gateway.request_metrics import RequestMetricsMiddleware
from ztn.gateway.validation import ValidationMiddleware
from ztn.healthchecks.v3 import healthchecks_pb2_grpc
from ztn.metrics_http import metrics_handler
from ztn.services.errors import DomainErrorMiddleware
from ztn.services.healthchecks.ping_routes import build_plain_routes
from ztn.services.healthchecks.servicer import HealthchecksServicer
from ztn.services.instance_v2 import InstanceV2Servicer
from ztn.services.instance_v2beta import InstanceV2BetaServicer
from ztn.services.management import ManagementServicer
from ztn.services.system import SystemServicer
from ztn.store.db import Database, open_database
from ztn.store.hc_repo import HcStore

log = logging.getLogger("ztn.server")

HEALTH_INTERVAL = 2.0
# ZITADEL forwards every x-zitadel-* header from the REST gateway into gRPC metadata.
# The Healthchecks API authenticates with X-Api-Key.
FORWARDED_HEADERS = HeaderRules(
    forward_names=frozenset({"forwarded", "x-forwarded-proto", "x-api-key"}), forward_prefixes=("x-zitadel-",)
)
HEALTHCHECKS_REST = ServiceOptions(
    json_style=SNAKE_NULLS_ISO,
    append_slash=True,
    error_format="message",
    cors=RestCors(
        allow_origin="*", allow_headers="X-Api-Key", max_age=600, exempt_methods=frozenset({"GetStatus"})
    ),
)


def build_registry(
    settings: Settings, db: Database, hc_store: HcStore | None = None, hc_pings: HcPings | None = None
) -> Registry:
    """Every service and the one middleware chain all doors share (outermost first)."""
    system_users = load_system_users(settings.data_dir)
    registry = Registry(
        [
            RequestMetricsMiddleware(),
            RecoveryMiddleware(),
            SystemAuthMiddleware(system_users, settings.external_url),
            TenancyMiddleware(
                db,
                instance_host_headers=settings.instance_host_headers,
                trust_forwarded=settings.trust_forwarded,
                default_instance_id=settings.default_instance or None,
                system_verifier=SystemTokenVerifier(system_users, settings.external_url),
                external_domain=settings.external_host,
            ),
            ValidationMiddleware(),
            DomainErrorMiddleware(),
        ]
    )
    instances = Instances(db, InstanceConfig(base_domain=settings.external_host))
    registry.add(
        system_pb2_grpc.add_SystemServiceServicer_to_server,
        SystemServicer(instances),
        ServiceOptions(rest_prefix="/system/v1", json_style=CANONICAL),
    )
    # Instance service: v2 has no REST bindings; v2beta's bindings are full paths (no prefix).
    trusted = TrustedDomains(db)
    registry.add(
        instance_v2_grpc.add_InstanceServiceServicer_to_server,
        InstanceV2Servicer(instances, trusted),
        ServiceOptions(json_style=CANONICAL),
    )
    registry.add(
        instance_v2beta_grpc.add_InstanceServiceServicer_to_server,
        InstanceV2BetaServicer(instances, trusted),
        ServiceOptions(json_style=CANONICAL),
    )
    registry.add(
        management_pb2_grpc.add_ManagementServiceServicer_to_server,
        ManagementServicer(db),
        ServiceOptions(rest_prefix="/management/v1", json_style=CANONICAL),
    )
    hc_store = hc_store or HcStore(db)
    hc_pings = hc_pings or HcPings(hc_store, settings.hc_check_limit)
    hc_api = HcApi(hc_store, settings.external_url, settings.hc_check_limit)
    registry.add(
        healthchecks_pb2_grpc.add_HealthchecksServiceServicer_to_server,
        HealthchecksServicer(hc_api, hc_pings),
        HEALTHCHECKS_REST,
    )
    return registry


class Server:
    def __init__(self, settings: Settings, reuse_port: bool = False) -> None:
        self.settings = settings
        self.reuse_port = reuse_port
        self.db: Database | None = None
        self.hc_store: HcStore | None = None
        self.grpc_server: grpc.aio.Server | None = None
        self.runner: web.AppRunner | None = None
        self.health = health.aio.HealthServicer()
        self._monitor: asyncio.Task[None] | None = None
        self.alerts = None  # the in-process alert worker (cli_alerts), unless --no-alerts
        self._alerts_task: asyncio.Task[None] | None = None
        self._serving: bool | None = None

    async def start(self) -> None:
        settings = self.settings
        self.db = await open_database(settings.database_url)
        self.hc_store = HcStore(self.db)
        # One HcPings for the ping URLs and the gRPC Ping RPC (it caches ping key -> project).
        hc_pings = HcPings(self.hc_store, settings.hc_check_limit)
        registry = build_registry(settings, self.db, self.hc_store, hc_pings)

        # SO_REUSEPORT only when several workers share the ports on purpose: otherwise a second
        # server on the same port must fail loudly instead of silently taking half the traffic.
        self.grpc_server = grpc.aio.server(options=[("grpc.so_reuseport", 1 if self.reuse_port else 0)])
        registry.attach(self.grpc_server)
        health_pb2_grpc.add_HealthServicer_to_server(self.health, self.grpc_server)
        enable_reflection(self.grpc_server, [*registry.services, health.SERVICE_NAME])
        host, port = settings.grpc_address
        self.grpc_server.add_insecure_port(f"{host}:{port}")
        await self.grpc_server.start()

        gateway = HttpGateway(registry, FORWARDED_HEADERS, settings.cors_origins)
        app = gateway.application(
            plain_routes=[
                ("GET", "/healthz", self.healthz),
                ("GET", "/openapi.json", self._openapi_handler(gateway)),
                ("GET", "/metrics", metrics_handler(self.db)),
                *build_plain_routes(self.hc_store, hc_pings),
            ]
        )
        self.runner = web.AppRunner(
            app, access_log=None, shutdown_timeout=settings.shutdown_grace, handle_signals=False
        )
        await self.runner.setup()
        host, port = settings.http_address
        site = web.TCPSite(self.runner, host, port, reuse_port=self.reuse_port or None, backlog=1024)
        await site.start()

        self._services = ["", *registry.services]
        await self._set_serving(await self.db.ping())
        self._monitor = asyncio.create_task(self._watch_database())
        if cli_alerts.alerts_enabled(settings):
            self.alerts = cli_alerts.build_worker(settings, self.db)
            self._alerts_task = asyncio.create_task(self.alerts.run(), name="ztn-alerts")
        # Everything built so far (modules, descriptors, the registry) lives as long as the process:
        # keep it out of the collector's full passes, which otherwise walk ~100k objects (~10-20 ms)
        # whenever large responses (1,000 checks) churn enough objects to trigger one.
        gc.collect()
        gc.freeze()
        log.info(
            "serving http=%s grpc=%s external_url=%s", settings.http, settings.grpc, settings.external_url
        )

    async def stop(self) -> None:
        if self._monitor:
            self._monitor.cancel()
        await self.health.enter_graceful_shutdown()
        grace = self.settings.shutdown_grace
        stops = []
        if self.grpc_server:
            stops.append(self.grpc_server.stop(grace))
        if self.runner:
            stops.append(self.runner.cleanup())
        if self._alerts_task is not None:
            stops.append(cli_alerts.stop_worker(self.alerts, self._alerts_task, grace))
        await asyncio.gather(*stops, return_exceptions=True)
        if self.hc_store is not None:
            await self.hc_store.close()  # pings already queued are written before the database closes
        if self.db:
            await self.db.close()

    # -- health ------------------------------------------------------------------------------------
    async def _set_serving(self, serving: bool) -> None:
        if serving == self._serving:
            return
        self._serving = serving
        status = (
            health_pb2.HealthCheckResponse.SERVING if serving else health_pb2.HealthCheckResponse.NOT_SERVING
        )
        for name in self._services:
            await self.health.set(name, status)
        if not serving:
            log.warning("database unreachable: health is NOT_SERVING")

    async def _watch_database(self) -> None:
        assert self.db is not None
        while True:
            await asyncio.sleep(HEALTH_INTERVAL)
            try:
                await self._set_serving(await self.db.ping())
            except Exception:  # the monitor must outlive any single failure
                log.exception("health monitor failed")

    async def healthz(self, request: web.Request) -> web.Response:
        assert self.db is not None
        serving = await self.db.ping()
        await self._set_serving(serving)
        if serving:
            return web.Response(body=b"{}", content_type="application/json")
        body = {"code": 14, "message": "database unreachable"}
        return web.Response(status=503, body=orjson.dumps(body), content_type="application/json")

    def _openapi_handler(self, gateway: HttpGateway):
        document = orjson.dumps(build_openapi(gateway.rest.table.routes, title="ztn", version=version("ztn")))

        async def openapi(request: web.Request) -> web.Response:
            return web.Response(body=document, content_type="application/json")

        return openapi
