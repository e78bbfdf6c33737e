"""Plain aiohttp routes for the Healthchecks ping and public badge URLs (/ping/..., /badge/..., /b/...).

They are not RPCs: they are matched before the REST door and answered from the ping writer directly.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def build_plain_routes(store: Any, site_root: str, check_limit: int) -> list[tuple[str, str, Handler]]:
    """(method, path, handler) triples for HttpGateway.application(plain_routes=...)."""
    return []
