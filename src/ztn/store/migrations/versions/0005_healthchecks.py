"""Healthchecks-compatible monitoring: projects (API keys), channels, checks, pings and flips.

Revision ID: 0005_healthchecks
Revises: 0001
Create Date: 2026-12-04

A branch of its own off 0001 (``Database.migrate`` upgrades to every head): nothing here refers to
the ZITADEL tables.
"""

import sqlalchemy as sa
from alembic import op

revision = "0005_healthchecks"
down_revision = "0001"
branch_labels = None
depends_on = None

UUID = sa.String(36)
BIGID = sa.BigInteger().with_variant(sa.Integer, "sqlite")  # SQLite autoincrements INTEGER PRIMARY KEY only


def _ts(name: str, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def _fk(name: str, target: str, type_: sa.types.TypeEngine = UUID, **kw: object) -> sa.Column:
    return sa.Column(name, type_, sa.ForeignKey(target, ondelete="CASCADE"), nullable=False, **kw)


def upgrade() -> None:
    op.create_table(
        "hc_secrets",
        sa.Column("name", sa.String(64), primary_key=True),
        sa.Column("value", sa.Text, nullable=False),
    )
    op.create_table(
        "hc_projects",
        sa.Column("id", UUID, primary_key=True),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("api_key_prefix", sa.String(16), nullable=False),
        sa.Column("api_key_digest", sa.String(64), nullable=False, unique=True),
        sa.Column("api_key_ro_prefix", sa.String(16), nullable=False),
        sa.Column("api_key_ro_digest", sa.String(64), nullable=False, unique=True),
        sa.Column("ping_key", sa.String(64), nullable=False, unique=True),
        sa.Column("badge_key", sa.String(64), nullable=False, unique=True),
        sa.Column("check_limit", sa.Integer, nullable=True),
        sa.Column("ping_log_limit", sa.Integer, nullable=False),
        _ts("created"),
    )
    op.create_table(
        "hc_channels",
        sa.Column("id", UUID, primary_key=True),
        _fk("project_id", "hc_projects.id"),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("value", sa.Text, nullable=False),
        sa.Column("disabled", sa.Boolean, nullable=False),
        _ts("created"),
    )
    op.create_index("ix_hc_channels_project", "hc_channels", ["project_id", "created"])
    op.create_table(
        "hc_checks",
        sa.Column("id", BIGID, primary_key=True, autoincrement=True),
        sa.Column("code", UUID, nullable=False, unique=True),
        _fk("project_id", "hc_projects.id"),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("slug", sa.Text, nullable=False),
        sa.Column("tags", sa.Text, nullable=False),
        sa.Column("desc", sa.Text, nullable=False),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("timeout", sa.Integer, nullable=False),
        sa.Column("grace", sa.Integer, nullable=False),
        sa.Column("schedule", sa.Text, nullable=False),
        sa.Column("tz", sa.String(64), nullable=False),
        sa.Column("status", sa.String(8), nullable=False),
        sa.Column("n_pings", sa.Integer, nullable=False),
        _ts("last_ping", True),
        _ts("last_start", True),
        sa.Column("last_start_rid", UUID, nullable=True),
        sa.Column("last_duration", sa.Float, nullable=True),
        _ts("alert_after", True),
        sa.Column("manual_resume", sa.Boolean, nullable=False),
        sa.Column("methods", sa.String(30), nullable=False),
        sa.Column("start_kw", sa.Text, nullable=False),
        sa.Column("success_kw", sa.Text, nullable=False),
        sa.Column("failure_kw", sa.Text, nullable=False),
        sa.Column("filter_subject", sa.Boolean, nullable=False),
        sa.Column("filter_body", sa.Boolean, nullable=False),
        sa.Column("filter_http_body", sa.Boolean, nullable=False),
        sa.Column("filter_default_fail", sa.Boolean, nullable=False),
        sa.Column("badge_key", UUID, nullable=False, unique=True),
        _ts("created"),
    )
    op.create_index("ix_hc_checks_project_slug", "hc_checks", ["project_id", "slug"])
    op.create_index("ix_hc_checks_alert_after", "hc_checks", ["alert_after"])
    op.create_table(
        "hc_check_channels",
        _fk("check_id", "hc_checks.id", BIGID, primary_key=True),
        _fk("channel_id", "hc_channels.id", primary_key=True),
    )
    op.create_table(
        "hc_pings",
        sa.Column("id", BIGID, primary_key=True, autoincrement=True),
        _fk("check_id", "hc_checks.id", BIGID),
        sa.Column("n", sa.Integer, nullable=False),
        _ts("created"),
        sa.Column("kind", sa.String(8), nullable=False),
        sa.Column("scheme", sa.Text, nullable=False),
        sa.Column("remote_addr", sa.Text, nullable=True),
        sa.Column("method", sa.Text, nullable=False),
        sa.Column("ua", sa.Text, nullable=False),
        sa.Column("rid", UUID, nullable=True),
        sa.Column("exitstatus", sa.SmallInteger, nullable=True),
        sa.Column("body", sa.LargeBinary, nullable=True),
    )
    op.create_index("ix_hc_pings_check_n", "hc_pings", ["check_id", "n"])
    op.create_table(
        "hc_flips",
        sa.Column("id", BIGID, primary_key=True, autoincrement=True),
        _fk("check_id", "hc_checks.id", BIGID),
        _ts("created"),
        sa.Column("old_status", sa.String(8), nullable=False),
        sa.Column("new_status", sa.String(8), nullable=False),
        sa.Column("reason", sa.String(8), nullable=False),
        _ts("processed", True),
    )
    op.create_index("ix_hc_flips_check", "hc_flips", ["check_id", "id"])
    op.create_index("ix_hc_flips_processed", "hc_flips", ["processed"])


def downgrade() -> None:
    for table in ("hc_flips", "hc_pings", "hc_check_channels", "hc_checks", "hc_channels", "hc_projects"):
        op.drop_table(table)
    op.drop_table("hc_secrets")
