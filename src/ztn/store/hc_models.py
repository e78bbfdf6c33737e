"""Monitoring tables (SQLAlchemy Core), mirroring migration 0005_healthchecks.

Text the outside world controls (a ping's method, scheme, remote address, user agent; a slug that
auto-provisioning turns into a name) is ``Text``: PostgreSQL enforces VARCHAR lengths, and one odd
header must never fail a whole batch of pings. Lengths the API validates stay short.
"""

from __future__ import annotations

import sqlalchemy as sa

from ztn.store.models import UtcDateTime, metadata

UUID = sa.String(36)
BIGID = sa.BigInteger().with_variant(sa.Integer, "sqlite")  # SQLite autoincrements INTEGER PRIMARY KEY only


def _ts(name: str, nullable: bool = False) -> sa.Column:
    return sa.Column(name, UtcDateTime(), nullable=nullable)


hc_secrets = sa.Table(
    "hc_secrets",
    metadata,
    sa.Column("name", sa.String(64), primary_key=True),
    sa.Column("value", sa.Text, nullable=False),
)

hc_projects = sa.Table(
    "hc_projects",
    metadata,
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

hc_channels = sa.Table(
    "hc_channels",
    metadata,
    sa.Column("id", UUID, primary_key=True),
    sa.Column("project_id", UUID, sa.ForeignKey("hc_projects.id", ondelete="CASCADE"), nullable=False),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("kind", sa.String(32), nullable=False),
    sa.Column("value", sa.Text, nullable=False),
    sa.Column("disabled", sa.Boolean, nullable=False),
    _ts("created"),
    sa.Index("ix_hc_channels_project", "project_id", "created"),
)

# Column order = field order of domain.hc.models.Check (minus channel_ids): rows become Check(*row).
hc_checks = sa.Table(
    "hc_checks",
    metadata,
    sa.Column("id", BIGID, primary_key=True, autoincrement=True),
    sa.Column("code", UUID, nullable=False, unique=True),
    sa.Column("project_id", UUID, sa.ForeignKey("hc_projects.id", ondelete="CASCADE"), nullable=False),
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
    sa.Index("ix_hc_checks_project_slug", "project_id", "slug"),
    sa.Index("ix_hc_checks_alert_after", "alert_after"),
)

hc_check_channels = sa.Table(
    "hc_check_channels",
    metadata,
    sa.Column("check_id", BIGID, sa.ForeignKey("hc_checks.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("channel_id", UUID, sa.ForeignKey("hc_channels.id", ondelete="CASCADE"), primary_key=True),
)

hc_pings = sa.Table(
    "hc_pings",
    metadata,
    sa.Column("id", BIGID, primary_key=True, autoincrement=True),
    sa.Column("check_id", BIGID, sa.ForeignKey("hc_checks.id", ondelete="CASCADE"), nullable=False),
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
    sa.Index("ix_hc_pings_check_n", "check_id", "n"),
)

hc_flips = sa.Table(
    "hc_flips",
    metadata,
    sa.Column("id", BIGID, primary_key=True, autoincrement=True),
    sa.Column("check_id", BIGID, sa.ForeignKey("hc_checks.id", ondelete="CASCADE"), nullable=False),
    _ts("created"),
    sa.Column("old_status", sa.String(8), nullable=False),
    sa.Column("new_status", sa.String(8), nullable=False),
    sa.Column("reason", sa.String(8), nullable=False),
    _ts("processed", True),
    sa.Index("ix_hc_flips_check", "check_id", "id"),
    sa.Index("ix_hc_flips_processed", "processed"),
)

CHECK_COLUMNS = tuple(c.name for c in hc_checks.columns)
MUTABLE_CHECK_COLUMNS = tuple(c for c in CHECK_COLUMNS if c not in ("id", "code", "project_id", "created"))
PING_COLUMNS = (
    "status",
    "n_pings",
    "last_ping",
    "last_start",
    "last_start_rid",
    "last_duration",
    "alert_after",
)
"""What a ping may change on its check (spec §4.6); the other columns belong to API updates."""
