"""Rules shared by every v1 list: the limit cap and offset bounds."""

from __future__ import annotations

from ztn.domain.errors import invalid_argument
from ztn.domain.models import ListQuery

MAX_LIMIT = 1000
_MAX_OFFSET = 2**62  # beyond any real table; keeps SQL OFFSET inside int64


def checked(query: ListQuery | None, max_limit: int = MAX_LIMIT) -> tuple[ListQuery, int]:
    """The query with its offset bounded, and the effective limit (0 means the maximum).

    A limit above the maximum is rejected, as recent ZITADEL does (``QUERY-4M0fs``).
    """
    query = query or ListQuery()
    if query.limit > max_limit:
        raise invalid_argument("QUERY-4M0fs", "Limit exceeds default limit")
    limit = query.limit or max_limit
    if query.offset > _MAX_OFFSET or query.offset < 0:
        query = ListQuery(offset=min(max(query.offset, 0), _MAX_OFFSET), limit=query.limit, asc=query.asc)
    return query, limit
