"""Table of an instance's trusted domains (public hosts allowed next to its routing domains).

Unlike ``instance_domains`` a trusted domain is not globally unique: several instances may trust
the same public host. The Alembic revision ``0002`` is the source of truth for the schema.
"""

from __future__ import annotations

import sqlalchemy as sa

from ztn.store.models import ID, UtcDateTime, metadata

instance_trusted_domains = sa.Table(
    "instance_trusted_domains",
    metadata,
    sa.Column("instance_id", ID, sa.ForeignKey("instances.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("domain", sa.String(253), primary_key=True),  # always lowercase
    sa.Column("sequence", sa.BigInteger, nullable=False),
    sa.Column("creation_date", UtcDateTime, nullable=False),
)
