"""The data dir's own system user: an RSA key pair created at first start, and tokens signed with it.

``ztn system-token --data-dir DIR`` prints a token from :func:`system_token_for_data_dir`, so an
operator can call the System API without preparing keys by hand. Other clients can be given the
public key file (``system-key.pub.pem``) to configure the same user elsewhere.
"""

from __future__ import annotations

import os
import secrets
import time
from pathlib import Path

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from ztn.auth.system_users import normalize_external_url

SYSTEM_USER_ID = "ztn-system"
PRIVATE_KEY_FILE = "system-key.pem"
PUBLIC_KEY_FILE = "system-key.pub.pem"


def ensure_system_key(data_dir: str | os.PathLike[str]) -> tuple[str, Path]:
    """Create the system user's key pair unless it exists; returns ``(user_id, private_key_path)``.

    Safe when several processes start at once: each writes a complete temp file and hard-links it
    into place, which fails if another process got there first, so exactly one key wins and nobody
    ever reads a half-written file.
    """
    directory = Path(data_dir)
    directory.mkdir(parents=True, exist_ok=True)
    private_path = directory / PRIVATE_KEY_FILE
    if not private_path.exists():
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        pem = key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
        tmp = directory / f".{PRIVATE_KEY_FILE}.{os.getpid()}.{secrets.token_hex(4)}"
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(pem)
                f.flush()
                os.fsync(f.fileno())
            try:
                os.link(tmp, private_path)
            except FileExistsError:
                pass  # another process won the race; its key is the one
        finally:
            tmp.unlink(missing_ok=True)
    _write_public_key(directory, private_path)
    return SYSTEM_USER_ID, private_path


def _write_public_key(directory: Path, private_path: Path) -> None:
    """(Re)derive the public key file from the private key; replaced atomically, content is deterministic."""
    public_path = directory / PUBLIC_KEY_FILE
    private = serialization.load_pem_private_key(private_path.read_bytes(), password=None)
    pem = private.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    if public_path.exists() and public_path.read_bytes() == pem:
        return
    tmp = directory / f".{PUBLIC_KEY_FILE}.{os.getpid()}.{secrets.token_hex(4)}"
    tmp.write_bytes(pem)
    os.replace(tmp, public_path)


def mint_system_token(
    user_id: str,
    private_key_pem: bytes | str,
    audience: str,
    lifetime: int = 3600,
    now: float | None = None,
) -> str:
    """A self-signed system-API JWT: ``iss`` = ``sub`` = user id, ``aud`` = [audience], RS256."""
    issued = int(time.time() if now is None else now)
    key = serialization.load_pem_private_key(
        private_key_pem.encode() if isinstance(private_key_pem, str) else private_key_pem, password=None
    )
    claims = {"iss": user_id, "sub": user_id, "aud": [audience], "iat": issued, "exp": issued + lifetime}
    return jwt.encode(claims, key, algorithm="RS256")  # type: ignore[arg-type]


def system_token_for_data_dir(data_dir: str | os.PathLike[str], external_url: str) -> str:
    """A fresh one-hour token for the data dir's system user, addressed to ``external_url``."""
    user_id, private_path = ensure_system_key(data_dir)
    return mint_system_token(user_id, private_path.read_bytes(), normalize_external_url(external_url))
