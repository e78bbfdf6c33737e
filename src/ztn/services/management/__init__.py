"""zitadel.management.v1.ManagementService, composed of one mixin per resource family.

Each mixin maps messages <-> domain calls for its RPCs; the rules live in ``ztn.domain``. The tenancy
middleware resolves instance, caller, org and permission before any of them runs.
"""

from __future__ import annotations

from typing import Any

from zitadel import management_pb2 as mgmt
from zitadel import management_pb2_grpc
from ztn.domain.actions import Actions
from ztn.domain.apps import Apps
from ztn.domain.flows import Flows
from ztn.domain.projects import Projects
from ztn.services.management.actions import ActionsMixin
from ztn.services.management.apps import AppsMixin
from ztn.services.management.flows import FlowsMixin
from ztn.services.management.projects import ProjectsMixin
from ztn.store.db import Database


class ManagementServicer(
    ProjectsMixin, AppsMixin, ActionsMixin, FlowsMixin, management_pb2_grpc.ManagementServiceServicer
):
    def __init__(self, db: Database) -> None:
        self.projects = Projects(db)
        self.apps = Apps(db)
        self.actions = Actions(db)
        self.flows = Flows(db)

    async def Healthz(self, request: mgmt.HealthzRequest, context: Any) -> mgmt.HealthzResponse:
        return mgmt.HealthzResponse()
