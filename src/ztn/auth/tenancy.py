"""Tenancy + authentication for the Management API and the Instance service (spec §4.1, §4.2, §4.4, §4.5).

Per call, in ZITADEL's interceptor order (the first failure decides the error):

1. instance: the first non-empty configured instance-host header (default ``x-zitadel-instance-host``),
   then, only with ``trust_forwarded``, ``forwarded`` / ``x-zitadel-forwarded`` (``host=`` of the first
   element) and ``x-forwarded-host``, then the ``host`` metadata the HTTP doors set from the Host
   header; port stripped, lowercased, matched against the instance's domains. A public host
   (``x-zitadel-public-host``) that differs must be a trusted domain. Instance v2/v2beta requests with
   ``instance_id`` set address that instance instead; single-instance mode (``default_instance_id``)
   skips host matching. Failure: NOT_FOUND ``QUERY-1kIjX`` / ``QUERY-IuGh1``.
2. authentication: ``authorization: Bearer <PAT>`` of the instance, or a System API JWT (a JWT-shaped
   token is verified as one when a verifier is configured). UNAUTHENTICATED ``auth header missing``
   (plain status) or ``Errors.Token.Invalid (AUTH-7fs1e)``.
3. org: ``x-zitadel-orgid``, else the user's home org; unknown: PERMISSION_DENIED ``AUTH-Bs7Ds``.
4. permission of the RPC (v1 ``zitadel.v1.auth_option``, v2 ``protoc_gen_zitadel.v2.options``):
   PERMISSION_DENIED ``AUTH-5mWD2`` / ``AUTH-3jknH``.

Everything per method (permission, check-field and instance-id getters) is decided once at wrap
time; methods without a declared permission (Healthz) are returned unwrapped. The servicer sees the
caller through :func:`ztn.auth.caller.current_caller`. The resolved caller is memoised in the store's
snapshot cache (``domain/access.py``), which any commit empties: at once in the committing process
and through ``PRAGMA data_version`` (SQLite) or LISTEN/NOTIFY (PostgreSQL) in the others; a token's
expiry is re-checked on every call.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Collection, Iterable
from typing import Any

import grpc
from google.protobuf.descriptor import Descriptor
from google.protobuf.message import Message

from ztn.auth.auth_option import auth_option
from ztn.auth.auth_option_v2 import auth_option_v2
from ztn.auth.caller import reset_caller, set_caller
from ztn.auth.system_users import AuthError, SystemTokenVerifier, SystemUser, bearer_token
from ztn.domain.access import Access, InstanceNotFound, Requirement, Target
from ztn.domain.errors import DomainError
from ztn.gateway.registry import Handler, MethodInfo
from ztn.services.errors import status_for
from ztn.store.db import Database

MANAGEMENT_SERVICE = "zitadel.management.v1.ManagementService"
INSTANCE_V2_SERVICE = "zitadel.instance.v2.InstanceService"
INSTANCE_V2BETA_SERVICE = "zitadel.instance.v2beta.InstanceService"
DEFAULT_SERVICES = frozenset({MANAGEMENT_SERVICE, INSTANCE_V2_SERVICE, INSTANCE_V2BETA_SERVICE})
EXPLICIT_INSTANCE_SERVICES = frozenset({INSTANCE_V2_SERVICE, INSTANCE_V2BETA_SERVICE})
"""Services whose ``instance_id`` request field, when set, selects the instance (PR zitadel#10919)."""
INSTANCE_HOST_HEADERS = ("x-zitadel-instance-host",)
PUBLIC_HOST_HEADERS = ("x-zitadel-public-host",)
_FORWARDED_HEADERS = ("forwarded", "x-zitadel-forwarded")
HOST_KEY = "host"
ORG_HEADER = "x-zitadel-orgid"
_DETAILS_KEY = "grpc-status-details-bin"

Getter = Callable[[Message], Any]


class TenancyMiddleware:
    def __init__(
        self,
        access: Access | Database,
        services: Collection[str] = DEFAULT_SERVICES,
        instance_host_headers: Iterable[str] = INSTANCE_HOST_HEADERS,
        trust_forwarded: bool = False,
        default_instance_id: str | None = None,
        *,
        public_host_headers: Iterable[str] = PUBLIC_HOST_HEADERS,
        system_verifier: SystemTokenVerifier | None = None,
        external_domain: str = "",
    ) -> None:
        self.access = access if isinstance(access, Access) else Access(access)
        self.services = frozenset(services)
        self.instance_host_headers = tuple(h.strip().lower() for h in instance_host_headers if h.strip())
        self.public_host_headers = tuple(h.strip().lower() for h in public_host_headers if h.strip())
        self.trust_forwarded = trust_forwarded
        self.default_instance = (default_instance_id or "").strip()
        self.system_verifier = system_verifier
        self.external_domain = external_domain

    def wrap(self, method: MethodInfo, handler: Handler) -> Handler:
        if method.service_name not in self.services:
            return handler
        option = auth_option(method.descriptor) or auth_option_v2(method.descriptor)
        if option is None or not option.permission:
            return handler
        permission = option.permission
        request_type = method.descriptor.input_type
        check_getter = _check_field_getter(request_type, option.check_field_name)
        instance_getter = (
            _field_getter(request_type, "instance_id")
            if method.service_name in EXPLICIT_INSTANCE_SERVICES
            else None
        )
        resolve = self.access.resolve
        target_of = self._target
        credential_of = self._credential

        async def tenanted(request: Message, context: Any) -> Message:
            md = _metadata_dict(context.invocation_metadata())
            explicit = instance_getter(request) if instance_getter else ""
            target = target_of(md, explicit)
            check_value = None if check_getter is None else str(check_getter(request))
            requirement = Requirement(permission, check_value)
            try:
                caller = await resolve(target, credential_of(md), md.get(ORG_HEADER, "").strip(), requirement)
            except InstanceNotFound as e:
                await self._abort_instance(context, md, target, e)
                raise
            except DomainError as e:
                code, message, details = status_for(e)
                await context.abort(code, message, trailing_metadata=((_DETAILS_KEY, details),))
                raise
            except AuthError as e:
                await context.abort(grpc.StatusCode[e.kind.value], e.message)
                raise
            token = set_caller(caller)
            try:
                return await handler(request, context)
            finally:
                reset_caller(token)

        return tenanted

    # -- per call --------------------------------------------------------------------------------------

    def _target(self, md: dict[str, str], explicit_instance: str) -> Target:
        return Target(
            host=self._instance_host(md),
            public_host=_first_host(md, self.public_host_headers),
            instance_id=explicit_instance,
            default_instance=self.default_instance,
        )

    def _instance_host(self, md: dict[str, str]) -> str:
        host = _first_host(md, self.instance_host_headers)
        if not host and self.trust_forwarded:
            for name in _FORWARDED_HEADERS:
                host = strip_port(forwarded_host(md.get(name, "")))
                if host:
                    break
            else:
                host = strip_port(md.get("x-forwarded-host", "").split(",")[0])
        return host or strip_port(md.get(HOST_KEY, ""))

    def _credential(self, md: dict[str, str]) -> str | SystemUser | Exception:
        try:
            token = bearer_token(md.items())
        except AuthError as e:
            return e
        if self.system_verifier is not None and token.count(".") == 2:  # a JWT, never one of our PATs
            try:
                return self.system_verifier.verify(token)
            except AuthError as e:
                return e
        return token

    async def _abort_instance(
        self, context: Any, md: dict[str, str], target: Target, e: InstanceNotFound
    ) -> None:
        """ZITADEL's instance-interceptor message, plus the ErrorDetail every other error carries."""
        proto = md.get("x-forwarded-proto", "") or "http"
        origin = f"&{{{target.host or target.instance_id} {target.public_host} {proto}}}"
        message = (
            f"unable to set instance using origin {origin} (ExternalDomain is {self.external_domain}): "
            f"ID={e.id} Message={e.message}"
        )
        if e.parent:
            message += f" Parent=({e.parent})"
        _, _, details = status_for(e)
        await context.abort(grpc.StatusCode.NOT_FOUND, message, trailing_metadata=((_DETAILS_KEY, details),))


# -- helpers ---------------------------------------------------------------------------------------------


def _metadata_dict(metadata: Any) -> dict[str, str]:
    """Lowercase keys, first value wins, text values only (``-bin`` entries are never consulted)."""
    out: dict[str, str] = {}
    for key, value in metadata or ():
        key = key.lower()
        if key not in out and isinstance(value, str):
            out[key] = value
    return out


def _first_host(md: dict[str, str], names: tuple[str, ...]) -> str:
    for name in names:
        host = strip_port(md.get(name, ""))
        if host:
            return host
    return ""


def strip_port(host: str) -> str:
    """``Example.COM:8080`` -> ``example.com``; ``[::1]:8080`` -> ``::1``; bare IPv6 stays as is."""
    host = host.strip().lower()
    if host.startswith("["):
        end = host.find("]")
        return host[1:end] if end > 0 else host
    if host.count(":") == 1:
        return host.split(":", 1)[0]
    return host


def forwarded_host(value: str) -> str:
    """The ``host=`` of the first (oldest) element of an RFC 7239 ``Forwarded`` header."""
    first = value.split(",", 1)[0]
    for pair in first.split(";"):
        key, _, v = pair.strip().partition("=")
        if key.strip().lower() == "host":
            return v.strip().strip('"')
    return ""


def _field_getter(message: Descriptor, name: str) -> Getter | None:
    field = message.fields_by_name.get(name)
    if field is None or field.is_repeated or field.message_type is not None:
        return None
    return operator.attrgetter(name)


def _check_field_getter(message: Descriptor, go_name: str) -> Getter | None:
    """The getter of the request field named by ``check_field_name`` (a Go name: ``ProjectId`` = project_id).

    A declared but absent field yields a getter of "" so that project-scoped permissions fail closed.
    """
    if not go_name:
        return None
    for field in message.fields:
        if "".join(part[:1].upper() + part[1:] for part in field.name.split("_")) == go_name:
            return _field_getter(message, field.name) or (lambda _request: "")
    return lambda _request: ""
