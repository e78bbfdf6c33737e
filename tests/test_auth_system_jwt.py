"""System-API auth: self-signed RS256 JWTs verified by SystemAuthMiddleware (spec §4.3, §4.5)."""

from __future__ import annotations

import base64
import json
import os
import stat
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import grpc
import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from google.protobuf import descriptor_pb2, descriptor_pool, message_factory

from ztn.auth.auth_option import auth_option
from ztn.auth.identity import current_identity
from ztn.auth.keys import (
    PRIVATE_KEY_FILE,
    PUBLIC_KEY_FILE,
    SYSTEM_USER_ID,
    ensure_system_key,
    mint_system_token,
    system_token_for_data_dir,
)
from ztn.auth.middleware import SystemAuthMiddleware
from ztn.auth.system_users import (
    SYSTEM_OWNER_VIEWER,
    Membership,
    SystemUser,
    load_system_users,
    normalize_external_url,
    parse_users_config,
)
from ztn.gateway.registry import MethodInfo, ServiceOptions

EXTERNAL_URL = "http://localhost:8080"
SERVICE = "zitadel.system.v1.SystemService"

# -- a test service in a private descriptor pool; methods carry auth_option as raw option bytes ----


def _auth_option_bytes(permission: str) -> bytes:
    inner = b"\x0a" + bytes([len(permission)]) + permission.encode()
    return b"\x82\xb5\x18" + bytes([len(inner)]) + inner  # field 50000, length-delimited


def _build_pool() -> descriptor_pool.DescriptorPool:
    file = descriptor_pb2.FileDescriptorProto(
        name="test_system_auth.proto", package="zitadel.system.v1", syntax="proto3"
    )
    file.message_type.add(name="Msg").field.add(
        name="text",
        number=1,
        type=descriptor_pb2.FieldDescriptorProto.TYPE_STRING,
        label=descriptor_pb2.FieldDescriptorProto.LABEL_OPTIONAL,
    )
    for service_name in ("SystemService", "OtherService"):
        svc = file.service.add(name=service_name)
        for name, permission in [
            ("Read", "system.instance.read"),
            ("Write", "system.instance.write"),
            ("Healthz", None),
            ("EmptyPermission", ""),
            ("AnyUser", "authenticated"),
        ]:
            msg = ".zitadel.system.v1.Msg"
            m = svc.method.add(name=name, input_type=msg, output_type=msg)
            if permission is not None:
                m.options.MergeFromString(_auth_option_bytes(permission))
    pool = descriptor_pool.DescriptorPool()
    pool.Add(file)
    return pool


POOL = _build_pool()
Msg = message_factory.GetMessageClass(POOL.FindMessageTypeByName("zitadel.system.v1.Msg"))


def method(name: str, service: str = SERVICE) -> MethodInfo:
    md = POOL.FindServiceByName(service).methods_by_name[name]

    async def unused(request: Any, context: Any) -> Any:
        raise AssertionError("not called")

    return MethodInfo(f"/{service}/{name}", md, Msg, Msg, ServiceOptions(), unused)


class FakeAbort(grpc.aio.AbortError):
    pass


class FakeContext:
    def __init__(self, metadata: tuple[tuple[str, str], ...] = ()) -> None:
        self._metadata = metadata
        self.code: grpc.StatusCode | None = None
        self.details = ""

    def invocation_metadata(self) -> tuple[tuple[str, str], ...]:
        return self._metadata

    async def abort(self, code: grpc.StatusCode, details: str = "") -> None:
        self.code, self.details = code, details
        raise FakeAbort()


async def echo(request: Any, context: Any) -> Any:
    identity = current_identity()
    return Msg(text=f"ok:{identity.user_id if identity else '-'}")


# -- keys and users -------------------------------------------------------------------------------

OWNER_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
VIEWER_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
OTHER_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)


def private_pem(key: rsa.RSAPrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


def public_pem(key: rsa.RSAPrivateKey) -> bytes:
    return key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )


USERS = {
    "owner": SystemUser("owner", OWNER_KEY.public_key()),
    "viewer": SystemUser("viewer", VIEWER_KEY.public_key(), (Membership(roles=(SYSTEM_OWNER_VIEWER,)),)),
}
MIDDLEWARE = SystemAuthMiddleware(USERS, EXTERNAL_URL + "/")


def token(user: str = "owner", key: rsa.RSAPrivateKey = OWNER_KEY, **claims: Any) -> str:
    now = int(time.time())
    payload = {"iss": user, "sub": user, "aud": [EXTERNAL_URL], "iat": now, "exp": now + 3600}
    payload.update(claims)
    return jwt.encode({k: v for k, v in payload.items() if v is not None}, key, algorithm="RS256")


async def call(name: str, authorization: str | None, service: str = SERVICE) -> FakeContext:
    metadata = (("authorization", authorization),) if authorization is not None else ()
    ctx = FakeContext(metadata)
    handler = MIDDLEWARE.wrap(method(name, service), echo)
    try:
        ctx.details = (await handler(Msg(), ctx)).text
        ctx.code = grpc.StatusCode.OK
    except FakeAbort:
        pass
    return ctx


async def expect(name: str, authorization: str | None, code: grpc.StatusCode, fragment: str) -> None:
    ctx = await call(name, authorization)
    assert ctx.code == code, (ctx.code, ctx.details)
    assert fragment in ctx.details, ctx.details


# -- the round trip ---------------------------------------------------------------------------


async def test_minted_token_passes_and_identity_is_visible_to_the_handler() -> None:
    minted = mint_system_token("owner", private_pem(OWNER_KEY), EXTERNAL_URL)
    await expect("Write", f"Bearer {minted}", grpc.StatusCode.OK, "ok:owner")
    assert current_identity() is None  # reset after the call


async def test_aud_with_trailing_slash_and_string_aud_are_accepted() -> None:
    await expect("Read", f"Bearer {token(aud=EXTERNAL_URL + '/')}", grpc.StatusCode.OK, "ok:owner")
    await expect("Read", f"Bearer {token(aud=EXTERNAL_URL)}", grpc.StatusCode.OK, "ok:owner")


async def test_lowercase_bearer_scheme_is_accepted() -> None:
    await expect("Read", f"bearer {token()}", grpc.StatusCode.OK, "ok:owner")


# -- methods that need no token ---------------------------------------------------------------


def test_methods_without_permission_or_other_services_are_not_wrapped() -> None:
    for name in ("Healthz", "EmptyPermission"):
        assert MIDDLEWARE.wrap(method(name), echo) is echo
    assert MIDDLEWARE.wrap(method("Write", "zitadel.system.v1.OtherService"), echo) is echo
    assert MIDDLEWARE.wrap(method("Write"), echo) is not echo


def test_auth_option_is_read_from_method_options() -> None:
    assert auth_option(method("Write").descriptor).permission == "system.instance.write"  # type: ignore[union-attr]
    assert auth_option(method("Healthz").descriptor) is None


async def test_authenticated_permission_accepts_any_valid_user() -> None:
    await expect("AnyUser", f"Bearer {token('viewer', VIEWER_KEY)}", grpc.StatusCode.OK, "ok:viewer")


# -- failures ---------------------------------------------------------------------------------

U = grpc.StatusCode.UNAUTHENTICATED
P = grpc.StatusCode.PERMISSION_DENIED


async def test_missing_header() -> None:
    await expect("Read", None, U, "auth header missing")
    ctx = await call("Read", None)
    assert ctx.details == "auth header missing"


async def test_not_bearer() -> None:
    await expect("Read", f"Basic {token()}", U, "Bearer")
    await expect("Read", "Bearer", U, "Bearer")


async def test_garbage_token() -> None:
    await expect("Read", "Bearer not.a.jwt", U, "not a well-formed JWT")


async def test_alg_none_is_rejected() -> None:
    now = int(time.time())
    claims = {"iss": "owner", "sub": "owner", "aud": [EXTERNAL_URL], "iat": now, "exp": now + 60}
    unsigned = jwt.encode(claims, None, algorithm="none")  # type: ignore[arg-type]
    await expect("Read", f"Bearer {unsigned}", U, "must be RS256")


async def test_hs256_signed_with_the_public_key_is_rejected() -> None:
    import hmac
    from hashlib import sha256

    # pyjwt refuses to HMAC with a PEM key, so forge the token by hand, as an attacker would.
    def b64(data: bytes) -> str:
        return base64.urlsafe_b64encode(data).rstrip(b"=").decode()

    now = int(time.time())
    header = b64(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
    body = b64(
        json.dumps(
            {"iss": "owner", "sub": "owner", "aud": [EXTERNAL_URL], "iat": now, "exp": now + 60}
        ).encode()
    )
    sig = b64(hmac.new(public_pem(OWNER_KEY), f"{header}.{body}".encode(), sha256).digest())
    await expect("Read", f"Bearer {header}.{body}.{sig}", U, "must be RS256")


async def test_wrong_key_gives_invalid_signature() -> None:
    await expect("Read", f"Bearer {token(key=OTHER_KEY)}", U, "invalid signature")


async def test_expired() -> None:
    now = int(time.time())
    await expect("Read", f"Bearer {token(iat=now - 120, exp=now - 60)}", U, "token has expired")


async def test_iat_too_old() -> None:
    now = int(time.time())
    await expect("Read", f"Bearer {token(iat=now - 3700, exp=now + 600)}", U, "too old")


async def test_iat_in_the_future() -> None:
    now = int(time.time())
    await expect("Read", f"Bearer {token(iat=now + 60, exp=now + 3600)}", U, "in the future")


async def test_missing_exp() -> None:
    await expect("Read", f"Bearer {token(exp=None)}", U, "exp missing")


@pytest.mark.parametrize(
    "aud",
    ["https://localhost:8080", "http://localhost", "http://localhost:8081", "http://127.0.0.1:8080", []],
)
async def test_wrong_audience(aud: Any) -> None:
    await expect("Read", f"Bearer {token(aud=aud)}", U, "invalid audience")
    ctx = await call("Read", f"Bearer {token(aud=aud)}")
    assert "APP-Zxfako" in ctx.details and EXTERNAL_URL in ctx.details


async def test_iss_must_equal_sub() -> None:
    await expect("Read", f"Bearer {token(iss='someone-else')}", U, "iss must equal sub")


async def test_unknown_user() -> None:
    await expect("Read", f"Bearer {token('nobody', OTHER_KEY)}", P, "Errors.User.UserIDWrong (AUTH-Bohd2)")


async def test_user_ids_are_case_sensitive_lowercase() -> None:
    await expect("Read", f"Bearer {token('OWNER')}", P, "AUTH-Bohd2")


async def test_viewer_can_read_but_not_write() -> None:
    await expect("Read", f"Bearer {token('viewer', VIEWER_KEY)}", grpc.StatusCode.OK, "ok:viewer")
    denied = "No matching permissions found (AUTH-5mWD2)"
    await expect("Write", f"Bearer {token('viewer', VIEWER_KEY)}", P, denied)


async def test_iam_membership_grants_no_system_permission() -> None:
    iam_only = SystemUser("iam", OTHER_KEY.public_key(), (Membership("IAM", ("IAM_OWNER",), "123"),))
    mw = SystemAuthMiddleware({"iam": iam_only}, EXTERNAL_URL)
    ctx = FakeContext((("authorization", f"Bearer {token('iam', OTHER_KEY)}"),))
    with pytest.raises(FakeAbort):
        await mw.wrap(method("Read"), echo)(Msg(), ctx)
    assert ctx.code == P


# -- over a real grpc.aio server ------------------------------------------------------------------


async def test_real_grpc_server_aborts_with_plain_status() -> None:
    handler = MIDDLEWARE.wrap(method("Write"), echo)
    server = grpc.aio.server()
    server.add_generic_rpc_handlers(
        (
            grpc.method_handlers_generic_handler(
                SERVICE,
                {
                    "Write": grpc.unary_unary_rpc_method_handler(
                        handler,
                        request_deserializer=Msg.FromString,
                        response_serializer=Msg.SerializeToString,
                    )
                },
            ),
        )
    )
    port = server.add_insecure_port("127.0.0.1:0")
    await server.start()
    try:
        async with grpc.aio.insecure_channel(f"127.0.0.1:{port}") as channel:
            rpc = channel.unary_unary(f"/{SERVICE}/Write", Msg.SerializeToString, Msg.FromString)
            with pytest.raises(grpc.aio.AioRpcError) as err:
                await rpc(Msg())
            assert err.value.code() == U and err.value.details() == "auth header missing"
            reply = await rpc(Msg(), metadata=(("authorization", f"Bearer {token()}"),))
            assert reply.text == "ok:owner"
            with pytest.raises(grpc.aio.AioRpcError) as err:
                await rpc(Msg(), metadata=(("authorization", f"Bearer {token(key=OTHER_KEY)}"),))
            assert err.value.code() == U and err.value.details() == "invalid signature"
    finally:
        await server.stop(None)


# -- key files and configuration ------------------------------------------------------------------


def test_system_key_is_created_once_with_mode_0600(tmp_path: Path) -> None:
    user_id, private_path = ensure_system_key(tmp_path / "data")
    assert user_id == SYSTEM_USER_ID and private_path.name == PRIVATE_KEY_FILE
    assert stat.S_IMODE(os.stat(private_path).st_mode) == 0o600
    first = private_path.read_bytes()
    assert ensure_system_key(tmp_path / "data") == (user_id, private_path)
    assert private_path.read_bytes() == first
    assert (tmp_path / "data" / PUBLIC_KEY_FILE).exists()
    assert [p.name for p in (tmp_path / "data").iterdir() if p.name.startswith(".")] == []


def test_concurrent_first_starts_agree_on_one_key(tmp_path: Path) -> None:
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(6) as pool:
        paths = list(pool.map(lambda _: ensure_system_key(tmp_path)[1], range(6)))
    assert len(set(paths)) == 1
    private = serialization.load_pem_private_key(paths[0].read_bytes(), password=None)
    assert public_pem(private) == (tmp_path / PUBLIC_KEY_FILE).read_bytes()  # type: ignore[arg-type]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([PRIVATE_KEY_FILE, PUBLIC_KEY_FILE])


async def test_data_dir_token_is_accepted_by_data_dir_users(tmp_path: Path) -> None:
    minted = system_token_for_data_dir(tmp_path, "http://LocalHost:8080/")
    users = load_system_users(tmp_path, env={})
    mw = SystemAuthMiddleware(users, EXTERNAL_URL)
    ctx = FakeContext((("authorization", f"Bearer {minted}"),))
    reply = await mw.wrap(method("Write"), echo)(Msg(), ctx)
    assert reply.text == f"ok:{SYSTEM_USER_ID}"


def test_users_from_file_and_env_with_base64_pem_and_lowercased_ids(tmp_path: Path) -> None:
    (tmp_path / "system-users.json").write_text(
        json.dumps(
            {
                "FileUser": {"keyData": base64.b64encode(public_pem(OWNER_KEY)).decode()},
            }
        )
    )
    env = {
        "ZTN_SYSTEM_API_USERS": json.dumps(
            {
                "envuser": {
                    "keyData": base64.b64encode(public_pem(VIEWER_KEY)).decode(),
                    "memberships": [{"memberType": "System", "roles": [SYSTEM_OWNER_VIEWER]}],
                },
            }
        )
    }
    users = load_system_users(tmp_path, env=env)
    assert set(users) == {SYSTEM_USER_ID, "fileuser", "envuser"}
    assert users["fileuser"].has_permission("system.instance.delete")
    assert users["envuser"].has_permission("system.instance.read")
    assert not users["envuser"].has_permission("system.instance.write")


def test_bad_key_config_names_the_user() -> None:
    with pytest.raises(ValueError, match="'broken'"):
        parse_users_config({"broken": {"keyData": base64.b64encode(b"not a pem").decode()}})


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://Example.com:443/", "https://example.com"),
        ("http://localhost:8080", "http://localhost:8080"),
        ("http://localhost:80", "http://localhost"),
        ("https://example.com:8443", "https://example.com:8443"),
    ],
)
def test_normalize_external_url(url: str, expected: str) -> None:
    assert normalize_external_url(url) == expected


def _certificate_pem(key: rsa.RSAPrivateKey, not_before: datetime, not_after: datetime) -> bytes:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes
    from cryptography.x509.oid import NameOID

    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "cert-user")])
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(1)
        .not_valid_before(not_before)
        .not_valid_after(not_after)
        .sign(key, hashes.SHA256())
    )
    return cert.public_bytes(serialization.Encoding.PEM)


async def test_certificate_keys_enforce_their_validity_period() -> None:
    now = datetime.now(UTC)
    valid = _certificate_pem(OTHER_KEY, now - timedelta(days=1), now + timedelta(days=1))
    expired = _certificate_pem(OTHER_KEY, now - timedelta(days=2), now - timedelta(days=1))
    for pem, expected in [(valid, grpc.StatusCode.OK), (expired, U)]:
        users = parse_users_config({"cert-user": {"keyData": base64.b64encode(pem).decode()}})
        mw = SystemAuthMiddleware(users, EXTERNAL_URL)
        ctx = FakeContext((("authorization", f"Bearer {token('cert-user', OTHER_KEY)}"),))
        try:
            await mw.wrap(method("Read"), echo)(Msg(), ctx)
            ctx.code = grpc.StatusCode.OK
        except FakeAbort:
            assert "certificate" in ctx.details
        assert ctx.code == expected
