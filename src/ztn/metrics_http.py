"""The ``/metrics`` route: this process's metrics in the Prometheus text format (0.0.4).

Counters and histograms are per process (see ``ztn.metrics``); the checks-by-status gauge is read
from the store at scrape time, so it is the same whichever worker process answers.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from aiohttp import web

from ztn import metrics
from ztn.domain.hc.models import DOWN, NEW, PAUSED, UP
from ztn.store.db import Database
from ztn.store.hc_stats import checks_by_status

log = logging.getLogger("ztn.metrics")

_STATUSES = (NEW, UP, DOWN, PAUSED)  # always exposed, 0 when no check has them


def metrics_handler(
    db: Database | None, registry: metrics.Registry = metrics.REGISTRY
) -> Callable[[web.Request], Awaitable[web.Response]]:
    async def handle(request: web.Request) -> web.Response:
        if db is not None:
            try:
                counts = await checks_by_status(db)
            except Exception as exc:  # a scrape still answers with what the process knows
                log.warning("checks by status unavailable: %s", exc)
                metrics.CHECKS.clear()
            else:
                values = dict.fromkeys(_STATUSES, 0) | counts
                metrics.CHECKS.replace({(status,): n for status, n in values.items()})
        return web.Response(body=registry.render().encode(), headers={"Content-Type": metrics.CONTENT_TYPE})

    return handle
