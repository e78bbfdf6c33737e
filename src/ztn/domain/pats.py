"""Personal access tokens: who a bearer token belongs to."""

from __future__ import annotations

from ztn.domain.credentials import pat_hash
from ztn.domain.models import PatOwner
from ztn.store import accounts_repo
from ztn.store.db import Database
from ztn.store.models import utcnow


async def verify_pat(db: Database, token: str) -> PatOwner | None:
    """The owner of a valid, unexpired PAT; None for unknown or expired tokens (no reason given)."""
    if not token:
        return None
    async with db.read() as conn:
        record = await accounts_repo.find_pat(conn, pat_hash(token))
    if record is None or (record.expiration is not None and record.expiration <= utcnow()):
        return None
    return PatOwner(record.instance_id, record.user_id, record.org_id)
