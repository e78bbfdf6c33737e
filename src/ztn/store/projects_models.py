"""Tables of projects and their applications (SQLAlchemy Core), mirroring migration ``0003_projects_apps``.

Projects and applications are aggregates of their own: each row carries its latest event ``sequence``.
An application keeps its org (the project's resource owner) so that every read is one indexed query
scoped by instance and org, without a join.
"""

from __future__ import annotations

import sqlalchemy as sa

from ztn.store.models import ID, UtcDateTime, metadata

projects = sa.Table(
    "projects",
    metadata,
    sa.Column("id", ID, primary_key=True),
    sa.Column("instance_id", ID, sa.ForeignKey("instances.id", ondelete="CASCADE"), nullable=False),
    sa.Column("org_id", ID, sa.ForeignKey("orgs.id", ondelete="CASCADE"), nullable=False),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("name_lower", sa.String(200), nullable=False),  # for the *_IGNORE_CASE text queries
    sa.Column("state", sa.SmallInteger, nullable=False),  # zitadel.project.v1.ProjectState values
    sa.Column("role_assertion", sa.Boolean, nullable=False),
    sa.Column("role_check", sa.Boolean, nullable=False),
    sa.Column("has_project_check", sa.Boolean, nullable=False),
    sa.Column("private_labeling", sa.SmallInteger, nullable=False),
    sa.Column("sequence", sa.BigInteger, nullable=False),
    sa.Column("creation_date", UtcDateTime, nullable=False),
    sa.Column("change_date", UtcDateTime, nullable=False),
    # ZITADEL's unique constraint "project_names": name + resource owner.
    sa.UniqueConstraint("org_id", "name", name="uq_projects_org_name"),
    sa.Index("ix_projects_instance_org", "instance_id", "org_id", "id"),
)

projects_apps = sa.Table(
    "projects_apps",
    metadata,
    sa.Column("id", ID, primary_key=True),
    sa.Column("instance_id", ID, sa.ForeignKey("instances.id", ondelete="CASCADE"), nullable=False),
    sa.Column("org_id", ID, sa.ForeignKey("orgs.id", ondelete="CASCADE"), nullable=False),
    sa.Column("project_id", ID, sa.ForeignKey("projects.id", ondelete="CASCADE"), nullable=False),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("name_lower", sa.String(200), nullable=False),
    sa.Column("state", sa.SmallInteger, nullable=False),  # zitadel.app.v1.AppState values
    sa.Column("kind", sa.String(8), nullable=False),  # "oidc" | "api" | "saml"
    sa.Column("client_id", sa.String(300)),  # NULL for SAML apps
    sa.Column("secret_hash", sa.String(100)),  # the secret itself is shown once, never stored
    sa.Column("config", sa.JSON, nullable=False),  # the kind's settings (see store.projects_repo)
    sa.Column("sequence", sa.BigInteger, nullable=False),
    sa.Column("creation_date", UtcDateTime, nullable=False),
    sa.Column("change_date", UtcDateTime, nullable=False),
    # ZITADEL's unique constraint "appname": name + project.
    sa.UniqueConstraint("project_id", "name", name="uq_projects_apps_project_name"),
    sa.UniqueConstraint("instance_id", "client_id", name="uq_projects_apps_client_id"),
    # ListApps: WHERE project_id = ? ORDER BY id LIMIT/OFFSET, and its count, from this index alone.
    sa.Index("ix_projects_apps_project", "project_id", "id"),
)
