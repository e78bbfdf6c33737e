"""Alerts: flip claims with leases, per-channel notification rows, channel delivery stats.

Revision ID: 0006_hc_alerts
Revises: 0005_healthchecks
Create Date: 2026-12-04

Flips left unprocessed before this revision were never meant to reach a worker (there was none):
they are marked processed here, so the first worker does not replay old history.
"""

import sqlalchemy as sa
from alembic import op

revision = "0006_hc_alerts"
down_revision = "0005_healthchecks"
branch_labels = None
depends_on = None

UUID = sa.String(36)
BIGID = sa.BigInteger().with_variant(sa.Integer, "sqlite")


def _ts(name: str, nullable: bool = True) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    with op.batch_alter_table("hc_flips") as batch:
        batch.add_column(sa.Column("lease_owner", sa.String(64), nullable=True))
        batch.add_column(_ts("lease_until"))
    op.execute("UPDATE hc_flips SET processed = created WHERE processed IS NULL")
    with op.batch_alter_table("hc_channels") as batch:
        batch.add_column(_ts("last_notify"))
        batch.add_column(sa.Column("last_notify_duration", sa.Float, nullable=True))
        batch.add_column(sa.Column("last_error", sa.Text, nullable=True))
    op.create_table(
        "hc_notifications",
        sa.Column("id", BIGID, primary_key=True, autoincrement=True),
        sa.Column("flip_id", BIGID, sa.ForeignKey("hc_flips.id", ondelete="CASCADE"), nullable=False),
        sa.Column("check_id", BIGID, sa.ForeignKey("hc_checks.id", ondelete="CASCADE"), nullable=False),
        sa.Column("channel_id", UUID, sa.ForeignKey("hc_channels.id", ondelete="CASCADE"), nullable=False),
        sa.Column("check_status", sa.String(8), nullable=False),
        _ts("created", False),
        sa.Column("error", sa.Text, nullable=True),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("duration", sa.Float, nullable=True),
        sa.UniqueConstraint("flip_id", "channel_id", name="uq_hc_notifications_flip_channel"),
    )
    op.create_index("ix_hc_notifications_check", "hc_notifications", ["check_id", "id"])
    op.create_index("ix_hc_notifications_channel", "hc_notifications", ["channel_id"])


def downgrade() -> None:
    op.drop_table("hc_notifications")
    with op.batch_alter_table("hc_channels") as batch:
        for name in ("last_error", "last_notify_duration", "last_notify"):
            batch.drop_column(name)
    with op.batch_alter_table("hc_flips") as batch:
        batch.drop_column("lease_until")
        batch.drop_column("lease_owner")
