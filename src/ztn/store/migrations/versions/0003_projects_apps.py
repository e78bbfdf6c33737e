"""Projects and their applications (OIDC, API, SAML).

Revision ID: 0003_projects_apps
Revises: 0001
Create Date: 2025-01-03
"""

import sqlalchemy as sa
from alembic import op

revision = "0003_projects_apps"
down_revision = "0001"
branch_labels = None
depends_on = None

ID = sa.String(32)


def _ts(name: str) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=False)


def _fk(name: str, table: str) -> sa.Column:
    return sa.Column(name, ID, sa.ForeignKey(f"{table}.id", ondelete="CASCADE"), nullable=False)


def upgrade() -> None:
    op.create_table(
        "projects",
        sa.Column("id", ID, primary_key=True),
        _fk("instance_id", "instances"),
        _fk("org_id", "orgs"),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("name_lower", sa.String(200), nullable=False),
        sa.Column("state", sa.SmallInteger, nullable=False),
        sa.Column("role_assertion", sa.Boolean, nullable=False),
        sa.Column("role_check", sa.Boolean, nullable=False),
        sa.Column("has_project_check", sa.Boolean, nullable=False),
        sa.Column("private_labeling", sa.SmallInteger, nullable=False),
        sa.Column("sequence", sa.BigInteger, nullable=False),
        _ts("creation_date"),
        _ts("change_date"),
        sa.UniqueConstraint("org_id", "name", name="uq_projects_org_name"),
    )
    op.create_index("ix_projects_instance_org", "projects", ["instance_id", "org_id", "id"])
    op.create_table(
        "projects_apps",
        sa.Column("id", ID, primary_key=True),
        _fk("instance_id", "instances"),
        _fk("org_id", "orgs"),
        _fk("project_id", "projects"),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("name_lower", sa.String(200), nullable=False),
        sa.Column("state", sa.SmallInteger, nullable=False),
        sa.Column("kind", sa.String(8), nullable=False),
        sa.Column("client_id", sa.String(300)),
        sa.Column("secret_hash", sa.String(100)),
        sa.Column("config", sa.JSON, nullable=False),
        sa.Column("sequence", sa.BigInteger, nullable=False),
        _ts("creation_date"),
        _ts("change_date"),
        sa.UniqueConstraint("project_id", "name", name="uq_projects_apps_project_name"),
        sa.UniqueConstraint("instance_id", "client_id", name="uq_projects_apps_client_id"),
    )
    op.create_index("ix_projects_apps_project", "projects_apps", ["project_id", "id"])


def downgrade() -> None:
    op.drop_table("projects_apps")
    op.drop_table("projects")
