"""Projects of an org: the rules behind the Management API's project RPCs.

Every read and write is confined to the caller's instance and org (``OrgScope``); a project of another
org or instance is simply not found. Removing a project removes its applications in the same transaction.
"""

from __future__ import annotations

from collections.abc import Sequence

from ztn.domain import lists
from ztn.domain.errors import already_exists, invalid_argument, not_found, precondition_failed
from ztn.domain.ids import new_id
from ztn.domain.models import ListQuery, ObjectDetails, Page
from ztn.domain.project_models import OrgScope, Project, ProjectFilter, ProjectSpec, ProjectState
from ztn.store import projects_repo as repo
from ztn.store.db import Database
from ztn.store.errors import UniqueViolation
from ztn.store.events import EventLog
from ztn.store.models import utcnow


def project_not_found() -> Exception:
    return not_found("PROJECT-3M9sd", "Project not found")


def _project_exists() -> Exception:
    return already_exists("V3-DKcYh", "Project already exists on organization")


class Projects:
    def __init__(self, db: Database, max_list_limit: int = lists.MAX_LIMIT) -> None:
        self.db = db
        self.max_list_limit = max_list_limit

    async def get(self, scope: OrgScope, project_id: str) -> Project:
        async with self.db.read() as conn:
            project = await repo.get_project(conn, scope, project_id)
        if project is None:
            raise project_not_found()
        return project

    async def list(
        self,
        scope: OrgScope,
        query: ListQuery | None = None,
        filters: Sequence[ProjectFilter] = (),
        only_ids: Sequence[str] | None = None,
    ) -> Page[Project]:
        """``only_ids`` restricts the list (callers whose read permission is project-scoped)."""
        query, limit = lists.checked(query, self.max_list_limit)
        async with self.db.read() as conn:
            items, total, top = await repo.list_projects(conn, scope, filters, only_ids, query, limit)
        return Page(items, total, processed_sequence=top, view_timestamp=utcnow())

    async def add(self, scope: OrgScope, spec: ProjectSpec) -> tuple[str, ObjectDetails]:
        spec = _checked(spec)
        project_id = new_id()
        try:
            async with self.db.write() as conn:
                log = EventLog(conn, scope.instance_id, utcnow())
                seq = await repo.insert_project(log, scope, project_id, spec)
                await log.flush()
        except UniqueViolation as exc:
            raise _project_exists() from exc
        return project_id, ObjectDetails(seq, log.now, None, scope.org_id)

    async def update(self, scope: OrgScope, project_id: str, spec: ProjectSpec) -> ObjectDetails:
        spec = _checked(spec)
        try:
            async with self.db.write() as conn:
                log = EventLog(conn, scope.instance_id, utcnow())
                current = await repo.lock_project(log, scope, project_id)
                if current is None:
                    raise project_not_found()
                if _spec_of(current) == spec:
                    raise precondition_failed("COMMAND-2M0fs", "No changes")
                seq = await repo.update_project(log, project_id, spec)
                await log.flush()
        except UniqueViolation as exc:
            raise _project_exists() from exc
        return ObjectDetails(seq, None, log.now, scope.org_id)

    async def deactivate(self, scope: OrgScope, project_id: str) -> ObjectDetails:
        return await self._set_state(scope, project_id, ProjectState.INACTIVE)

    async def reactivate(self, scope: OrgScope, project_id: str) -> ObjectDetails:
        return await self._set_state(scope, project_id, ProjectState.ACTIVE)

    async def remove(self, scope: OrgScope, project_id: str) -> ObjectDetails:
        async with self.db.write() as conn:
            log = EventLog(conn, scope.instance_id, utcnow())
            if await repo.lock_project(log, scope, project_id) is None:
                raise project_not_found()
            seq = await repo.delete_project(log, project_id)
            await log.flush()
        return ObjectDetails(seq, None, log.now, scope.org_id)

    async def _set_state(self, scope: OrgScope, project_id: str, state: ProjectState) -> ObjectDetails:
        async with self.db.write() as conn:
            log = EventLog(conn, scope.instance_id, utcnow())
            current = await repo.lock_project(log, scope, project_id)
            if current is None:
                raise project_not_found()
            if current.state == state:
                if state == ProjectState.INACTIVE:
                    raise precondition_failed("COMMAND-mki55", "Project is not active")
                raise precondition_failed("COMMAND-5M9bs", "Project is not deactivated")
            seq = await repo.set_project_state(log, project_id, state)
            await log.flush()
        return ObjectDetails(seq, None, log.now, scope.org_id)


def _checked(spec: ProjectSpec) -> ProjectSpec:
    name = spec.name.strip()
    if not name:
        raise invalid_argument("PROJECT-Mf9sd", "Project name must not be empty")
    return ProjectSpec(
        name, spec.role_assertion, spec.role_check, spec.has_project_check, spec.private_labeling
    )


def _spec_of(p: Project) -> ProjectSpec:
    return ProjectSpec(p.name, p.role_assertion, p.role_check, p.has_project_check, p.private_labeling)
