"""Secrets handed out once: personal access tokens, machine key files, password hashes."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
from datetime import UTC, datetime

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

# ZITADEL issues PATs with these scopes, whatever the request says.
PAT_SCOPES = ["openid", "urn:zitadel:iam:user:metadata", "urn:zitadel:iam:user:resourceowner"]
# What a key file says when the request sets no expiration (ZITADEL's default).
NO_EXPIRY_TEXT = "9999-01-01T00:00:00Z"
_SCRYPT = {"n": 2**14, "r": 8, "p": 1}


def new_pat() -> str:
    """A random, URL-safe opaque token (64 characters)."""
    return secrets.token_urlsafe(48)


def pat_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def hash_password(password: str) -> str:
    """scrypt with a random salt: ``scrypt$n$r$p$salt$hash`` (base64). CPU-bound: call in a thread."""
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, dklen=32, **_SCRYPT)
    b64 = base64.b64encode
    return f"scrypt${_SCRYPT['n']}${_SCRYPT['r']}${_SCRYPT['p']}${b64(salt).decode()}${b64(digest).decode()}"


def check_password(password: str, encoded: str) -> bool:
    _, n, r, p, salt, digest = encoded.split("$")
    got = hashlib.scrypt(
        password.encode(), salt=base64.b64decode(salt), n=int(n), r=int(r), p=int(p), dklen=32
    )
    return hmac.compare_digest(got, base64.b64decode(digest))


def new_machine_key(key_id: str, user_id: str, expiration: datetime | None) -> tuple[bytes, str]:
    """A fresh RSA key: (JSON key file for the client, public PEM to keep). CPU-bound: run in a thread."""
    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private_pem = private.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.TraditionalOpenSSL,
        serialization.NoEncryption(),
    ).decode()
    public_pem = (
        private.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )
    key_file = {
        "type": "serviceaccount",
        "keyId": key_id,
        "key": private_pem,
        "expirationDate": _rfc3339(expiration) if expiration else NO_EXPIRY_TEXT,
        "userId": user_id,
    }
    return json.dumps(key_file).encode(), public_pem


def _rfc3339(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
