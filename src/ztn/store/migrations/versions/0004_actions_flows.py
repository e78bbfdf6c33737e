"""Actions v1 and org flows (trigger actions).

Revision ID: 0004_actions_flows
Revises: 0001
Create Date: 2025-01-04
"""

import sqlalchemy as sa
from alembic import op

revision = "0004_actions_flows"
down_revision = "0001"
branch_labels = None
depends_on = None

ID = sa.String(32)


def _ts(name: str) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=False)


def upgrade() -> None:
    op.create_table(
        "actions",
        sa.Column("id", ID, primary_key=True),
        sa.Column("instance_id", ID, sa.ForeignKey("instances.id", ondelete="CASCADE"), nullable=False),
        sa.Column("org_id", ID, sa.ForeignKey("orgs.id", ondelete="CASCADE"), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("script", sa.Text, nullable=False),
        sa.Column("timeout_us", sa.BigInteger, nullable=False),
        sa.Column("allowed_to_fail", sa.Boolean, nullable=False),
        sa.Column("state", sa.SmallInteger, nullable=False),
        sa.Column("sequence", sa.BigInteger, nullable=False),
        _ts("creation_date"),
        _ts("change_date"),
        sa.UniqueConstraint("org_id", "name", name="uq_actions_org_name"),
    )
    op.create_index("ix_actions_instance_org", "actions", ["instance_id", "org_id"])
    op.create_table(
        "actions_flow_triggers",
        sa.Column("org_id", ID, sa.ForeignKey("orgs.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("flow_type", sa.SmallInteger, primary_key=True),
        sa.Column("trigger_type", sa.SmallInteger, primary_key=True),
        sa.Column("position", sa.SmallInteger, primary_key=True),
        sa.Column("action_id", ID, sa.ForeignKey("actions.id", ondelete="CASCADE"), nullable=False),
        sa.Column("instance_id", ID, sa.ForeignKey("instances.id", ondelete="CASCADE"), nullable=False),
        sa.Column("sequence", sa.BigInteger, nullable=False),
        _ts("change_date"),
    )
    op.create_index("ix_actions_flow_triggers_action", "actions_flow_triggers", ["action_id"])


def downgrade() -> None:
    op.drop_table("actions_flow_triggers")
    op.drop_table("actions")
