"""Healthchecks-compatible monitoring: projects (API keys), channels, checks, pings and flips.

Revision ID: 0005_healthchecks
Revises: 0001
Create Date: 2026-12-04
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


def upgrade() -> None:
    op.create_table(
        "hc_secrets",
        sa.Column("name", sa.String(64), primary_key=True),
        sa.Column("value", sa.String(200), nullable=False),
    )
    op.create_table(
        "hc_projects",
        sa.Column("id", UUID, primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("api_key_prefix", sa.String(8), nullable=False),
        sa.Column("api_key_digest", sa.String(64), nullable=False, unique=True),
        sa.Column("api_key_ro_prefix", sa.String(8), nullable=False),
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
        sa.Column("project_id", UUID, sa.ForeignKey("hc_projects.id", ondelete="CASCADE"), nullable=False),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("value", sa.Text, nullable=False),
        sa.Column("disabled", sa.Boolean, nullable=False),
        _ts("created"),
    )
    op.create_index("ix_hc_channels_project", "hc_channels", ["project_id", "created"])
    op.create_table(
        "hc_checks",
        sa.Column("id", BIGID, primary_key=True, autoincrement=True),
        sa.Column("code", UUID, nullable=False, unique=True),
        sa.Column("project_id", UUID, sa.ForeignKey("hc_projects.id", ondelete="CASCADE"), nullable=False),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("slug", sa.String(100), nullable=False),
        sa.Column("tags", sa.Text, nullable=False),
        sa.Column("desc", sa.Text, nullable=False),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("timeout", sa.Integer, nullable=False),
        sa.Column("grace", sa.Integer, nullable=False),
        sa.Column("schedule", sa.String(100), nullable=False),
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
        sa.Column("start_kw", sa.String(200), nullable=False),
        sa.Column("success_kw", sa.String(200), nullable=False),
        sa.Column("failure_kw", sa.String(200), nullable=False),
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
        sa.Column("check_id", BIGID, sa.ForeignKey("hc_checks.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("channel_id", UUID, sa.ForeignKey("hc_channels.id", ondelete="CASCADE"), primary_key=True),
    )
    op.create_table(
        "hc_pings",
        sa.Column("id", BIGID, primary_key=True, autoincrement=True),
        sa.Column("check_id", BIGID, sa.ForeignKey("hc_checks.id", ondelete="CASCADE"), nullable=False),
        sa.Column("n", sa.Integer, nullable=False),
        _ts("created"),
        sa.Column("kind", sa.String(8), nullable=False),
        sa.Column("scheme", sa.String(10), nullable=False),
        sa.Column("remote_addr", sa.String(64), nullable=True),
        sa.Column("method", sa.String(10), nullable=False),
        sa.Column("ua", sa.String(200), nullable=False),
        sa.Column("rid", UUID, nullable=True),
        sa.Column("exitstatus", sa.SmallInteger, nullable=True),
        sa.Column("body", sa.LargeBinary, nullable=True),
    )
    op.create_index("ix_hc_pings_check_n", "hc_pings", ["check_id", "n"])
    op.create_table(
        "hc_flips",
        sa.Column("id", BIGID, primary_key=True, autoincrement=True),
        sa.Column("check_id", BIGID, sa.ForeignKey("hc_checks.id", ondelete="CASCADE"), nullable=False),
        _ts("created"),
        sa.Column("old_status", sa.String(8), nullable=False),
        sa.Column("new_status", sa.String(8), nullable=False),
        sa.Column("reason", sa.String(8), nullable=False),
        _ts("processed", True),
    )
    op.create_index("ix_hc_flips_check", "hc_flips", ["check_id", "id"])
    op.create_index("ix_hc_flips_processed", "hc_flips", ["processed"])


def downgrade() -> None:
    for table in (
        "hc_flips",
        "hc_pings",
        "hc_check_channels",
        "hc_checks",
        "hc_channels",
        "hc_projects",
        "hc_secrets",
    ):
        op.drop_table(table)
