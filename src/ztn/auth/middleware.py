"""System-API authentication as a gateway middleware (ZITADEL §4.3): self-signed RS256 JWTs.

Decided once per method at start-up: methods of other services, and methods without an
``auth_option`` permission (Healthz), are returned unwrapped and cost nothing per call. Guarded
methods verify the bearer token, check the method's permission against the user's roles and
expose the caller through :func:`ztn.auth.identity.current_identity` while the handler runs.

Rejections abort with a plain status (code + message, no details), as ZITADEL's interceptor does.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Collection, Mapping
from typing import Any

import grpc
from google.protobuf.message import Message

from ztn.auth.auth_option import auth_option
from ztn.auth.identity import Identity, reset_identity, set_identity
from ztn.auth.system_users import AuthError, SystemTokenVerifier, SystemUser, authorize, bearer_token
from ztn.gateway.registry import Handler, MethodInfo

SYSTEM_SERVICE = "zitadel.system.v1.SystemService"


class SystemAuthMiddleware:
    def __init__(
        self,
        users: Mapping[str, SystemUser],
        external_url: str,
        services: Collection[str] = frozenset({SYSTEM_SERVICE}),
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.verifier = SystemTokenVerifier(users, external_url, clock)
        self.services = frozenset(services)

    def wrap(self, method: MethodInfo, handler: Handler) -> Handler:
        if method.service_name not in self.services:
            return handler
        option = auth_option(method.descriptor)
        if option is None or not option.permission:
            return handler
        permission = option.permission
        verifier = self.verifier

        async def guarded(request: Message, context: Any) -> Message:
            try:
                user = verifier.verify(bearer_token(context.invocation_metadata()))
                authorize(user, permission)
            except AuthError as e:
                await context.abort(grpc.StatusCode[e.kind.value], e.message)
                raise  # unreachable: abort raises AbortError; keeps type checkers honest
            token = set_identity(Identity(user.user_id, "system", user.permissions))
            try:
                return await handler(request, context)
            finally:
                reset_identity(token)

        return guarded
