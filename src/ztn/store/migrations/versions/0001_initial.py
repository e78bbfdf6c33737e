"""Initial schema: instances, domains, orgs, users, PATs, machine keys, memberships, events.

Revision ID: 0001
Revises:
Create Date: 2025-01-01
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

ID = sa.String(32)


def _ts(name: str, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def _fk_instance() -> sa.Column:
    return sa.Column("instance_id", ID, sa.ForeignKey("instances.id", ondelete="CASCADE"), nullable=False)


def upgrade() -> None:
    op.create_table(
        "instances",
        sa.Column("id", ID, primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("default_language", sa.String(10), nullable=False),
        sa.Column("sequence", sa.BigInteger, nullable=False),
        _ts("creation_date"),
        _ts("change_date"),
    )
    op.create_table(
        "instance_domains",
        sa.Column("domain", sa.String(253), primary_key=True),
        _fk_instance(),
        sa.Column("is_primary", sa.Boolean, nullable=False),
        sa.Column("is_generated", sa.Boolean, nullable=False),
        sa.Column("sequence", sa.BigInteger, nullable=False),
        _ts("creation_date"),
        _ts("change_date"),
    )
    op.create_index("ix_instance_domains_instance", "instance_domains", ["instance_id"])
    op.create_table(
        "orgs",
        sa.Column("id", ID, primary_key=True),
        _fk_instance(),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("sequence", sa.BigInteger, nullable=False),
        _ts("creation_date"),
        _ts("change_date"),
    )
    op.create_index("ix_orgs_instance", "orgs", ["instance_id"])
    op.create_table(
        "users",
        sa.Column("id", ID, primary_key=True),
        _fk_instance(),
        sa.Column("org_id", ID, sa.ForeignKey("orgs.id", ondelete="CASCADE"), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("user_name", sa.String(200), nullable=False),
        sa.Column("email", sa.String(200)),
        sa.Column("email_verified", sa.Boolean, nullable=False),
        sa.Column("first_name", sa.String(200)),
        sa.Column("last_name", sa.String(200)),
        sa.Column("preferred_language", sa.String(10)),
        sa.Column("password_hash", sa.String(300)),
        sa.Column("password_change_required", sa.Boolean, nullable=False),
        sa.Column("machine_name", sa.String(200)),
        sa.Column("sequence", sa.BigInteger, nullable=False),
        _ts("creation_date"),
        _ts("change_date"),
        sa.UniqueConstraint("instance_id", "user_name", name="uq_users_instance_user_name"),
    )
    op.create_table(
        "personal_access_tokens",
        sa.Column("id", ID, primary_key=True),
        _fk_instance(),
        sa.Column("user_id", ID, sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("scopes", sa.JSON, nullable=False),
        _ts("expiration", nullable=True),
        _ts("creation_date"),
    )
    op.create_index("ix_pats_user", "personal_access_tokens", ["user_id"])
    op.create_table(
        "machine_keys",
        sa.Column("id", ID, primary_key=True),
        _fk_instance(),
        sa.Column("user_id", ID, sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
        sa.Column("key_type", sa.Integer, nullable=False),
        sa.Column("public_key", sa.Text, nullable=False),
        _ts("expiration", nullable=True),
        _ts("creation_date"),
    )
    op.create_index("ix_machine_keys_user", "machine_keys", ["user_id"])
    op.create_table(
        "memberships",
        sa.Column("level", sa.String(16), primary_key=True),
        sa.Column("aggregate_id", ID, primary_key=True),
        sa.Column("user_id", ID, sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
        _fk_instance(),
        sa.Column("roles", sa.JSON, nullable=False),
        sa.Column("sequence", sa.BigInteger, nullable=False),
        _ts("creation_date"),
        _ts("change_date"),
    )
    op.create_index("ix_memberships_user", "memberships", ["user_id"])
    op.create_index("ix_memberships_instance", "memberships", ["instance_id"])
    op.create_table(
        "events",
        sa.Column("aggregate_id", ID, primary_key=True),
        sa.Column("sequence", sa.BigInteger, primary_key=True),
        sa.Column("aggregate_type", sa.String(32), nullable=False),
        sa.Column("event_type", sa.String(64), nullable=False),
        sa.Column("instance_id", ID, nullable=False),
        _ts("created_at"),
        sa.Column("payload", sa.JSON, nullable=False),
    )
    op.create_index("ix_events_instance", "events", ["instance_id"])


def downgrade() -> None:
    for table in (
        "events",
        "memberships",
        "machine_keys",
        "personal_access_tokens",
        "users",
        "orgs",
        "instance_domains",
        "instances",
    ):
        op.drop_table(table)
