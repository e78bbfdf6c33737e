"""Tables of actions v1 and org flows (SQLAlchemy Core), mirroring migration ``0004_actions_flows``.

An action is its own aggregate (its row carries its latest event ``sequence``). Flows are not: in ZITADEL
trigger actions are events of the org aggregate, so setting or clearing a flow bumps the org's sequence,
and each trigger row keeps the sequence and date of the event that last set it (GetFlow's details).
"""

from __future__ import annotations

import sqlalchemy as sa

from ztn.store.models import ID, UtcDateTime, metadata

actions = sa.Table(
    "actions",
    metadata,
    sa.Column("id", ID, primary_key=True),
    sa.Column("instance_id", ID, sa.ForeignKey("instances.id", ondelete="CASCADE"), nullable=False),
    sa.Column("org_id", ID, sa.ForeignKey("orgs.id", ondelete="CASCADE"), nullable=False),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("script", sa.Text, nullable=False),
    sa.Column("timeout_us", sa.BigInteger, nullable=False),  # microseconds (timedelta resolution)
    sa.Column("allowed_to_fail", sa.Boolean, nullable=False),
    sa.Column("state", sa.SmallInteger, nullable=False),  # zitadel.action.v1.ActionState values
    sa.Column("sequence", sa.BigInteger, nullable=False),
    sa.Column("creation_date", UtcDateTime, nullable=False),
    sa.Column("change_date", UtcDateTime, nullable=False),
    # ZITADEL's unique constraint "action_names": name + resource owner.
    sa.UniqueConstraint("org_id", "name", name="uq_actions_org_name"),
    sa.Index("ix_actions_instance_org", "instance_id", "org_id"),
)

actions_flow_triggers = sa.Table(
    "actions_flow_triggers",
    metadata,
    sa.Column("org_id", ID, sa.ForeignKey("orgs.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("flow_type", sa.SmallInteger, primary_key=True),
    sa.Column("trigger_type", sa.SmallInteger, primary_key=True),
    sa.Column("position", sa.SmallInteger, primary_key=True),  # order of the actions on the trigger
    sa.Column("action_id", ID, sa.ForeignKey("actions.id", ondelete="CASCADE"), nullable=False),
    sa.Column("instance_id", ID, sa.ForeignKey("instances.id", ondelete="CASCADE"), nullable=False),
    sa.Column("sequence", sa.BigInteger, nullable=False),  # the org event that set this trigger
    sa.Column("change_date", UtcDateTime, nullable=False),
    sa.Index("ix_actions_flow_triggers_action", "action_id"),
)
