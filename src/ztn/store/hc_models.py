"""Monitoring tables (SQLAlchemy Core), mirroring migration 0005_healthchecks."""

from __future__ import annotations

import sqlalchemy as sa

from ztn.store.models import UtcDateTime, metadata

UUID = sa.String(36)
BIGID = sa.BigInteger().with_variant(sa.Integer, "sqlite")


def _ts(name: str, nullable: bool = False) -> sa.Column:
    return sa.Column(name, UtcDateTime(), nullable=nullable)


hc_secrets = sa.Table(
    "hc_secrets",
    metadata,
    sa.Column("name", sa.String(64), primary_key=True),
    sa.Column("value", sa.String(200), nullable=False),
)

hc_projects = sa.Table(
    "hc_projects",
    metadata,
    sa.Column("id", UUID, primary_key=True),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("api_key_prefix", sa.String(8), nullable=False),
    sa.Column("api_key_digest", sa.String(64), nullable=False),
    sa.Column("api_key_ro_prefix", sa.String(8), nullable=False),
    sa.Column("api_key_ro_digest", sa.String(64), nullable=False),
    sa.Column("ping_key", sa.String(64), nullable=False),
    sa.Column("badge_key", sa.String(64), nullable=False),
    sa.Column("check_limit", sa.Integer, nullable=True),
    sa.Column("ping_log_limit", sa.Integer, nullable=False),
    _ts("created"),
)

hc_channels = sa.Table(
    "hc_channels",
    metadata,
    sa.Column("id", UUID, primary_key=True),
    sa.Column("project_id", UUID, nullable=False),
    sa.Column("name", sa.String(100), nullable=False),
    sa.Column("kind", sa.String(20), nullable=False),
    sa.Column("value", sa.Text, nullable=False),
    sa.Column("disabled", sa.Boolean, nullable=False),
    _ts("created"),
)

hc_checks = sa.Table(
    "hc_checks",
    metadata,
    sa.Column("id", BIGID, primary_key=True, autoincrement=True),
    sa.Column("code", UUID, nullable=False),
    sa.Column("project_id", UUID, nullable=False),
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
    sa.Column("badge_key", UUID, nullable=False),
    _ts("created"),
)

hc_check_channels = sa.Table(
    "hc_check_channels",
    metadata,
    sa.Column("check_id", BIGID, primary_key=True),
    sa.Column("channel_id", UUID, primary_key=True),
)

hc_pings = sa.Table(
    "hc_pings",
    metadata,
    sa.Column("id", BIGID, primary_key=True, autoincrement=True),
    sa.Column("check_id", BIGID, nullable=False),
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

hc_flips = sa.Table(
    "hc_flips",
    metadata,
    sa.Column("id", BIGID, primary_key=True, autoincrement=True),
    sa.Column("check_id", BIGID, nullable=False),
    _ts("created"),
    sa.Column("old_status", sa.String(8), nullable=False),
    sa.Column("new_status", sa.String(8), nullable=False),
    sa.Column("reason", sa.String(8), nullable=False),
    _ts("processed", True),
)

# Columns a Check carries, in the order of domain.hc.models.Check (minus channel_ids).
CHECK_COLUMNS = tuple(c.name for c in hc_checks.columns)
MUTABLE_CHECK_COLUMNS = tuple(c for c in CHECK_COLUMNS if c not in ("id", "code", "project_id", "created"))
