"""Project RPCs of zitadel.management.v1.ManagementService (a mixin of ``ManagementServicer``).

The tenancy middleware has checked the RPC's permission before these run; the caller's instance and
org in context scope every call.
"""

from __future__ import annotations

from typing import Any

from zitadel import management_pb2 as mgmt
from ztn.auth.caller import current_caller
from ztn.domain.project_models import OrgScope
from ztn.domain.projects import Projects
from ztn.services.management import projects_converter as conv
from ztn.services.system_converter import list_details, list_query, object_details


def org_scope() -> OrgScope:
    caller = current_caller()
    return OrgScope(caller.instance_id, caller.org_id)


class ProjectsMixin:
    projects: Projects

    async def GetProjectByID(
        self, request: mgmt.GetProjectByIDRequest, context: Any
    ) -> mgmt.GetProjectByIDResponse:
        project = await self.projects.get(org_scope(), request.id)
        return mgmt.GetProjectByIDResponse(project=conv.project(project))

    async def ListProjects(
        self, request: mgmt.ListProjectsRequest, context: Any
    ) -> mgmt.ListProjectsResponse:
        caller = current_caller()
        # A caller whose read permission is only project-scoped sees just those projects.
        only = None if caller.can("project.read") else sorted(caller.project_grants.get("project.read", ()))
        page = await self.projects.list(
            OrgScope(caller.instance_id, caller.org_id),
            list_query(request.query),
            conv.filters(request.queries),
            only,
        )
        return mgmt.ListProjectsResponse(
            details=list_details(page), result=[conv.project(p) for p in page.items]
        )

    async def AddProject(self, request: mgmt.AddProjectRequest, context: Any) -> mgmt.AddProjectResponse:
        project_id, details = await self.projects.add(org_scope(), conv.spec(request))
        return mgmt.AddProjectResponse(id=project_id, details=object_details(details))

    async def UpdateProject(
        self, request: mgmt.UpdateProjectRequest, context: Any
    ) -> mgmt.UpdateProjectResponse:
        details = await self.projects.update(org_scope(), request.id, conv.spec(request))
        return mgmt.UpdateProjectResponse(details=object_details(details))

    async def DeactivateProject(
        self, request: mgmt.DeactivateProjectRequest, context: Any
    ) -> mgmt.DeactivateProjectResponse:
        details = await self.projects.deactivate(org_scope(), request.id)
        return mgmt.DeactivateProjectResponse(details=object_details(details))

    async def ReactivateProject(
        self, request: mgmt.ReactivateProjectRequest, context: Any
    ) -> mgmt.ReactivateProjectResponse:
        details = await self.projects.reactivate(org_scope(), request.id)
        return mgmt.ReactivateProjectResponse(details=object_details(details))

    async def RemoveProject(
        self, request: mgmt.RemoveProjectRequest, context: Any
    ) -> mgmt.RemoveProjectResponse:
        details = await self.projects.remove(org_scope(), request.id)
        return mgmt.RemoveProjectResponse(details=object_details(details))
