"""Trusted domains of an instance (the ``x-zitadel-public-host`` check).

Revision ID: 0002_trusted_domains
Revises: 0001
Create Date: 2025-01-02
"""

import sqlalchemy as sa
from alembic import op

revision = "0002_trusted_domains"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "instance_trusted_domains",
        sa.Column(
            "instance_id",
            sa.String(32),
            sa.ForeignKey("instances.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("domain", sa.String(253), primary_key=True),
        sa.Column("sequence", sa.BigInteger, nullable=False),
        sa.Column("creation_date", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("instance_trusted_domains")
