"""Project messages <-> domain values, so the servicer stays thin."""

from __future__ import annotations

from collections.abc import Iterable

from zitadel import management_pb2 as mgmt
from zitadel import project_pb2
from ztn.domain import project_models as pm
from ztn.domain.models import TextMethod
from ztn.services.system_converter import object_details


def spec(req: mgmt.AddProjectRequest | mgmt.UpdateProjectRequest) -> pm.ProjectSpec:
    return pm.ProjectSpec(
        name=req.name,
        role_assertion=req.project_role_assertion,
        role_check=req.project_role_check,
        has_project_check=req.has_project_check,
        private_labeling=req.private_labeling_setting,
    )


def filters(queries: Iterable[project_pb2.ProjectQuery]) -> list[pm.ProjectFilter]:
    out: list[pm.ProjectFilter] = []
    for q in queries:
        kind = q.WhichOneof("query")
        if kind == "name_query":
            out.append(pm.NameFilter(q.name_query.name, TextMethod(q.name_query.method)))
        elif kind == "project_resource_owner_query":
            out.append(pm.ResourceOwnerFilter(q.project_resource_owner_query.resource_owner))
    return out


def project(value: pm.Project) -> project_pb2.Project:
    return project_pb2.Project(
        id=value.id,
        details=object_details(value.details),
        name=value.name,
        state=int(value.state),
        project_role_assertion=value.role_assertion,
        project_role_check=value.role_check,
        has_project_check=value.has_project_check,
        private_labeling_setting=value.private_labeling,
    )
