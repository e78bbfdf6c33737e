"""Table definitions (SQLAlchemy Core). The Alembic migrations are the source of truth for the schema;
these mirror them for building queries.

Aggregates (instances, orgs, users) carry their latest event ``sequence`` on the row, so reads never
scan ``events``; every write appends to ``events`` in the same transaction (see ``store.events``).
"""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.types import TypeDecorator


class UtcDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC datetimes on every backend (SQLite has no zone: store naive UTC there)."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: sa.Dialect) -> datetime | None:
        if value is None:
            return None
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: sa.Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


ID = sa.String(32)
metadata = sa.MetaData()

instances = sa.Table(
    "instances",
    metadata,
    sa.Column("id", ID, primary_key=True),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("default_language", sa.String(10), nullable=False),
    sa.Column("sequence", sa.BigInteger, nullable=False),
    sa.Column("creation_date", UtcDateTime, nullable=False),
    sa.Column("change_date", UtcDateTime, nullable=False),
)

instance_domains = sa.Table(
    "instance_domains",
    metadata,
    # Globally unique: a host routes to exactly one instance. Always stored lowercase.
    sa.Column("domain", sa.String(253), primary_key=True),
    sa.Column("instance_id", ID, sa.ForeignKey("instances.id", ondelete="CASCADE"), nullable=False),
    sa.Column("is_primary", sa.Boolean, nullable=False),
    sa.Column("is_generated", sa.Boolean, nullable=False),
    sa.Column("sequence", sa.BigInteger, nullable=False),
    sa.Column("creation_date", UtcDateTime, nullable=False),
    sa.Column("change_date", UtcDateTime, nullable=False),
    sa.Index("ix_instance_domains_instance", "instance_id"),
)

orgs = sa.Table(
    "orgs",
    metadata,
    sa.Column("id", ID, primary_key=True),
    sa.Column("instance_id", ID, sa.ForeignKey("instances.id", ondelete="CASCADE"), nullable=False),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("sequence", sa.BigInteger, nullable=False),
    sa.Column("creation_date", UtcDateTime, nullable=False),
    sa.Column("change_date", UtcDateTime, nullable=False),
    sa.Index("ix_orgs_instance", "instance_id"),
)

users = sa.Table(
    "users",
    metadata,
    sa.Column("id", ID, primary_key=True),
    sa.Column("instance_id", ID, sa.ForeignKey("instances.id", ondelete="CASCADE"), nullable=False),
    sa.Column("org_id", ID, sa.ForeignKey("orgs.id", ondelete="CASCADE"), nullable=False),
    sa.Column("kind", sa.String(16), nullable=False),  # "human" | "machine"
    sa.Column("user_name", sa.String(200), nullable=False),
    sa.Column("email", sa.String(200)),
    sa.Column("email_verified", sa.Boolean, nullable=False, default=False),
    sa.Column("first_name", sa.String(200)),
    sa.Column("last_name", sa.String(200)),
    sa.Column("preferred_language", sa.String(10)),
    sa.Column("password_hash", sa.String(300)),
    sa.Column("password_change_required", sa.Boolean, nullable=False, default=False),
    sa.Column("machine_name", sa.String(200)),
    sa.Column("sequence", sa.BigInteger, nullable=False),
    sa.Column("creation_date", UtcDateTime, nullable=False),
    sa.Column("change_date", UtcDateTime, nullable=False),
    sa.UniqueConstraint("instance_id", "user_name", name="uq_users_instance_user_name"),
)

personal_access_tokens = sa.Table(
    "personal_access_tokens",
    metadata,
    sa.Column("id", ID, primary_key=True),
    sa.Column("instance_id", ID, sa.ForeignKey("instances.id", ondelete="CASCADE"), nullable=False),
    sa.Column("user_id", ID, sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    # SHA-256 (hex) of the token; the token itself is shown once and never stored.
    sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
    sa.Column("scopes", sa.JSON, nullable=False),
    sa.Column("expiration", UtcDateTime),  # NULL: never expires
    sa.Column("creation_date", UtcDateTime, nullable=False),
    sa.Index("ix_pats_user", "user_id"),
)

machine_keys = sa.Table(
    "machine_keys",
    metadata,
    sa.Column("id", ID, primary_key=True),
    sa.Column("instance_id", ID, sa.ForeignKey("instances.id", ondelete="CASCADE"), nullable=False),
    sa.Column("user_id", ID, sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    sa.Column("key_type", sa.Integer, nullable=False),
    sa.Column("public_key", sa.Text, nullable=False),  # PEM (PKIX); the private half is only returned
    sa.Column("expiration", UtcDateTime),
    sa.Column("creation_date", UtcDateTime, nullable=False),
    sa.Index("ix_machine_keys_user", "user_id"),
)

memberships = sa.Table(
    "memberships",
    metadata,
    sa.Column("level", sa.String(16), primary_key=True),  # "iam" | "org" | "project"
    sa.Column("aggregate_id", ID, primary_key=True),  # instance, org or project id
    sa.Column("user_id", ID, sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("instance_id", ID, sa.ForeignKey("instances.id", ondelete="CASCADE"), nullable=False),
    sa.Column("roles", sa.JSON, nullable=False),
    sa.Column("sequence", sa.BigInteger, nullable=False),
    sa.Column("creation_date", UtcDateTime, nullable=False),
    sa.Column("change_date", UtcDateTime, nullable=False),
    sa.Index("ix_memberships_user", "user_id"),
    sa.Index("ix_memberships_instance", "instance_id"),
)

events = sa.Table(
    "events",
    metadata,
    # (aggregate_id, sequence) is the primary key: a real, gap-free sequence per aggregate.
    sa.Column("aggregate_id", ID, primary_key=True),
    sa.Column("sequence", sa.BigInteger, primary_key=True),
    sa.Column("aggregate_type", sa.String(32), nullable=False),
    sa.Column("event_type", sa.String(64), nullable=False),
    sa.Column("instance_id", ID, nullable=False),  # no FK: history outlives a removed instance
    sa.Column("created_at", UtcDateTime, nullable=False),
    sa.Column("payload", sa.JSON, nullable=False),
    sa.Index("ix_events_instance", "instance_id"),
)


def utcnow() -> datetime:
    return datetime.now(UTC)
