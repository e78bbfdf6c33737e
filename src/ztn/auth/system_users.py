"""System-API users (ZITADEL ``SystemAPIUsers``) and the verification of their self-signed JWTs.

A system user is a user id plus an RSA public key (or X.509 certificate) and memberships. The
client signs its own token: RS256, ``iss`` = ``sub`` = user id, ``aud`` containing the server's
external URL, ``exp`` in the future, ``iat`` at most one hour old (spec §4.3). Keys are parsed once
at load time; verifying a token is a dict lookup plus one signature check.

Errors are transport-free :class:`AuthError` values; the middleware turns them into gRPC aborts.
"""

from __future__ import annotations

import base64
import binascii
import json
import os
import time
from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import jwt
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPublicKey

from ztn.domain.errors import Kind

SYSTEM_OWNER = "SYSTEM_OWNER"
SYSTEM_OWNER_VIEWER = "SYSTEM_OWNER_VIEWER"
AUTHENTICATED = "authenticated"
"""The permission every valid token holds (older ZITADEL snapshots guard all system RPCs with it)."""

_READ_PERMISSIONS = frozenset(
    {
        "system.instance.read",
        "system.domain.read",
        "system.debug.read",
        "system.feature.read",
        "system.iam.member.read",
    }
)
_WRITE_PERMISSIONS = frozenset(
    {
        "system.instance.write",
        "system.instance.delete",
        "system.domain.write",
        "system.domain.delete",
        "system.debug.write",
        "system.debug.delete",
        "system.quota.write",
        "system.quota.delete",
        "system.feature.write",
        "system.limits.write",
        "system.limits.delete",
    }
)
ROLE_PERMISSIONS: Mapping[str, frozenset[str]] = {
    SYSTEM_OWNER: _READ_PERMISSIONS | _WRITE_PERMISSIONS,
    SYSTEM_OWNER_VIEWER: _READ_PERMISSIONS,
}
"""ZITADEL's ``SystemAuthZ.RolePermissionMappings`` (spec §4.5)."""

MAX_IAT_AGE = 3600.0
CLOCK_OFFSET = 1.0
VERIFIED_CACHE_SIZE = 10_000
"""Tokens whose signature check is remembered (per process); a token is ~1 KB."""
USERS_ENV = "ZTN_SYSTEM_API_USERS"
USERS_FILE = "system-users.json"


class AuthError(Exception):
    """A rejected call: ``kind`` is UNAUTHENTICATED or PERMISSION_DENIED; ``message`` goes to the client."""

    def __init__(self, kind: Kind, message: str) -> None:
        super().__init__(message)
        self.kind = kind
        self.message = message


def _unauthenticated(message: str) -> AuthError:
    return AuthError(Kind.UNAUTHENTICATED, message)


@dataclass(frozen=True)
class Membership:
    member_type: str = "System"
    """``System``, ``IAM`` (aggregate_id = instance id) or ``Organization`` (aggregate_id = org id)."""
    roles: tuple[str, ...] = (SYSTEM_OWNER,)
    aggregate_id: str = ""


@dataclass(frozen=True)
class SystemUser:
    user_id: str
    public_key: RSAPublicKey
    memberships: tuple[Membership, ...] = (Membership(),)
    not_before: datetime | None = None
    not_after: datetime | None = None
    """Validity of the X.509 certificate the key came from, if any."""
    permissions: frozenset[str] = field(init=False)
    """System-level permissions; IAM/Organization memberships grant nothing on the System API."""

    def __post_init__(self) -> None:
        perms: set[str] = set()
        for m in self.memberships:
            if m.member_type == "System":
                for role in m.roles:
                    perms |= ROLE_PERMISSIONS.get(role, frozenset())
        object.__setattr__(self, "permissions", frozenset(perms))

    def has_permission(self, permission: str) -> bool:
        return permission == AUTHENTICATED or permission in self.permissions


# -- configuration ----------------------------------------------------------------------------


def parse_public_key(data: bytes) -> tuple[RSAPublicKey, datetime | None, datetime | None]:
    """A PEM public key (PKIX or PKCS#1) or X.509 certificate -> (key, not_before, not_after)."""
    data = data.replace(b"\r\n", b"\n").strip() + b"\n"
    if b"CERTIFICATE" in data:
        cert = x509.load_pem_x509_certificate(data)
        key: Any = cert.public_key()
        not_before, not_after = cert.not_valid_before_utc, cert.not_valid_after_utc
    else:
        key = serialization.load_pem_public_key(data)
        not_before = not_after = None
    if not isinstance(key, RSAPublicKey):
        raise ValueError("system user keys must be RSA keys")
    return key, not_before, not_after


def _key_bytes(user_id: str, entry: Mapping[str, Any], base_dir: Path | None) -> bytes:
    key_data = entry.get("keyData") or entry.get("KeyData")
    path = entry.get("path") or entry.get("Path")
    if key_data:
        raw = key_data.encode() if isinstance(key_data, str) else bytes(key_data)
        if b"-----BEGIN" in raw:  # tolerate a raw PEM where ZITADEL wants base64 of it
            return raw
        try:
            return base64.b64decode(raw, validate=False)
        except binascii.Error as e:
            raise ValueError(f"system user {user_id!r}: keyData is not base64 of a PEM") from e
    if path:
        p = Path(path)
        return (p if p.is_absolute() or base_dir is None else base_dir / p).read_bytes()
    raise ValueError(f"system user {user_id!r}: needs keyData or path")


def parse_users_config(config: Mapping[str, Any], base_dir: Path | None = None) -> dict[str, SystemUser]:
    """``{user_id: {"keyData"|"path": ..., "memberships": [{"memberType", "roles", "aggregateId"}]}}``.

    User ids are lowercased, as ZITADEL's config loader does, so token subjects must be lowercase.
    """
    users: dict[str, SystemUser] = {}
    for raw_id, entry in config.items():
        user_id = raw_id.lower()
        try:
            key, not_before, not_after = parse_public_key(_key_bytes(user_id, entry, base_dir))
        except ValueError as e:
            raise ValueError(f"system user {user_id!r}: {e}") from e
        memberships = tuple(
            Membership(
                member_type=m.get("memberType") or m.get("MemberType") or "System",
                roles=tuple(m.get("roles") or m.get("Roles") or ()),
                aggregate_id=m.get("aggregateId") or m.get("AggregateID") or "",
            )
            for m in (entry.get("memberships") or entry.get("Memberships") or ())
        ) or (Membership(),)
        users[user_id] = SystemUser(user_id, key, memberships, not_before, not_after)
    return users


def load_system_users(
    data_dir: str | os.PathLike[str], env: Mapping[str, str] | None = None
) -> dict[str, SystemUser]:
    """The data dir's own system user (created at first start, SYSTEM_OWNER), then ``system-users.json``
    in the data dir, then the ``ZTN_SYSTEM_API_USERS`` JSON env var; later sources win per user id."""
    from ztn.auth.keys import ensure_system_key  # keys imports this module's helpers

    env = os.environ if env is None else env
    data_dir = Path(data_dir)
    user_id, private_path = ensure_system_key(data_dir)
    private = serialization.load_pem_private_key(private_path.read_bytes(), password=None)
    users = {user_id: SystemUser(user_id, private.public_key())}  # type: ignore[arg-type]
    file = data_dir / USERS_FILE
    if file.exists():
        users.update(parse_users_config(json.loads(file.read_text()), base_dir=data_dir))
    if env.get(USERS_ENV):
        users.update(parse_users_config(json.loads(env[USERS_ENV]), base_dir=data_dir))
    return users


def normalize_external_url(url: str) -> str:
    """``scheme://host[:port]`` with lowercase scheme and host, no default port, no trailing slash."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"external URL must be http(s)://host[:port], got {url!r}")
    host = parts.hostname.lower()
    if ":" in host:
        host = f"[{host}]"
    port = parts.port
    default = 443 if scheme == "https" else 80
    netloc = host if port in (None, default) else f"{host}:{port}"
    path = parts.path.rstrip("/")
    return f"{scheme}://{netloc}{path}"


# -- verification -----------------------------------------------------------------------------


def bearer_token(metadata: Any) -> str:
    """The token of the ``authorization: Bearer <token>`` metadata entry."""
    value: str | bytes | None = None
    for key, v in metadata or ():
        if key.lower() == "authorization":
            value = v
            break
    if not value:
        raise _unauthenticated("auth header missing")
    if isinstance(value, bytes):
        value = value.decode("latin-1")
    scheme, _, token = value.strip().partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise _unauthenticated("invalid auth header: expected 'Bearer <token>'")
    return token.strip()


class SystemTokenVerifier:
    """Verifies system-user JWTs; remembers tokens that passed so a client reusing its token (the
    normal case: one token per hour) pays the RS256 check once, not on every call.

    The cache is keyed by the exact token string, so a hit is the same header, claims and signature
    already verified against the same (immutable) user table; only the time checks depend on the
    moment, and they run again on every hit: a cached token stops working at ``exp`` or one hour
    after ``iat``, exactly like an uncached one. Failures are never cached. Bounded LRU.
    """

    def __init__(
        self,
        users: Mapping[str, SystemUser],
        external_url: str,
        clock: Callable[[], float] = time.time,
        cache_size: int = VERIFIED_CACHE_SIZE,
    ) -> None:
        self._users = dict(users)
        self.audience = normalize_external_url(external_url)
        self._clock = clock
        self._cache_size = cache_size
        self._verified: OrderedDict[str, tuple[SystemUser, Mapping[str, Any]]] = OrderedDict()

    def verify(self, token: str) -> SystemUser:
        """The user whose key signed ``token``; raises :class:`AuthError` naming the failed check."""
        hit = self._verified.get(token)
        if hit is not None:
            user, claims = hit
            try:
                self._check_times(claims, user)
            except AuthError:
                del self._verified[token]  # expired (or too old) for good: stop holding it
                raise
            self._verified.move_to_end(token)
            return user
        user, claims = self._verify_uncached(token)
        self._verified[token] = (user, claims)
        if len(self._verified) > self._cache_size:
            self._verified.popitem(last=False)
        return user

    def _verify_uncached(self, token: str) -> tuple[SystemUser, Mapping[str, Any]]:
        try:
            header = jwt.get_unverified_header(token)
            claims = jwt.decode(token, options={"verify_signature": False})
        except jwt.PyJWTError as e:
            raise _unauthenticated("invalid token: not a well-formed JWT") from e
        if header.get("alg") != "RS256":
            raise _unauthenticated(f"invalid token: alg {header.get('alg')!r} not allowed, must be RS256")
        sub, iss = claims.get("sub"), claims.get("iss")
        if not isinstance(sub, str) or not sub:
            raise _unauthenticated("invalid token: sub missing")
        if iss != sub:
            raise _unauthenticated("invalid issuer: iss must equal sub (the system user id)")
        user = self._users.get(sub)
        if user is None:
            raise AuthError(Kind.PERMISSION_DENIED, "Errors.User.UserIDWrong (AUTH-Bohd2)")
        self._check_audience(claims.get("aud"))
        try:
            # Only the signature: the claims get the explicit checks below, with clear messages.
            jwt.decode(
                token,
                user.public_key,
                algorithms=["RS256"],
                options={
                    "verify_exp": False,
                    "verify_iat": False,
                    "verify_nbf": False,
                    "verify_aud": False,
                    "verify_iss": False,
                },
            )
        except jwt.InvalidSignatureError as e:
            raise _unauthenticated("invalid signature") from e
        except jwt.PyJWTError as e:
            raise _unauthenticated(f"invalid token: {e}") from e
        self._check_times(claims, user)
        return user, claims

    def _check_audience(self, aud: Any) -> None:
        audiences = [aud] if isinstance(aud, str) else aud if isinstance(aud, list) else []
        if not any(isinstance(a, str) and a.rstrip("/") == self.audience for a in audiences):
            raise _unauthenticated(f"invalid audience, aud must contain {self.audience!r} (APP-Zxfako)")

    def _check_times(self, claims: Mapping[str, Any], user: SystemUser) -> None:
        now = self._clock()
        exp, iat = claims.get("exp"), claims.get("iat")
        if not _is_number(exp):
            raise _unauthenticated("invalid token: exp missing")
        if exp <= now - CLOCK_OFFSET:
            raise _unauthenticated("token has expired (exp)")
        if not _is_number(iat):
            raise _unauthenticated("invalid token: iat missing")
        if iat > now + CLOCK_OFFSET:
            raise _unauthenticated("issuedAt of token is in the future (iat)")
        if iat < now - MAX_IAT_AGE:
            raise _unauthenticated("issuedAt of token is too old, max 1h (iat)")
        if user.not_before is None and user.not_after is None:
            return
        moment = datetime.fromtimestamp(now, UTC)
        if (user.not_before and moment < user.not_before) or (user.not_after and moment > user.not_after):
            raise _unauthenticated("certificate of system user is not valid now")


def _is_number(v: Any) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool)


def authorize(user: SystemUser, permission: str) -> None:
    if not user.has_permission(permission):
        raise AuthError(Kind.PERMISSION_DENIED, "No matching permissions found (AUTH-5mWD2)")
