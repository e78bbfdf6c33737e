"""Actions v1: the org's JavaScript snippets that flows run. Rules and error ids follow ZITADEL's
``command/action.go`` and ``query/action.go``.

Every call is scoped to one org of one instance (``OrgScope``); an action of another org or instance
is "not found". Each write runs in one transaction that also appends its events.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

from ztn.domain import lists
from ztn.domain.actions_models import (
    MAX_TIMEOUT,
    Action,
    ActionFilter,
    ActionSort,
    ActionSpec,
    ActionState,
    OrgScope,
)
from ztn.domain.errors import DomainError, already_exists, invalid_argument, not_found, precondition_failed
from ztn.domain.ids import new_id
from ztn.domain.models import ListQuery, ObjectDetails, Page
from ztn.store import actions_repo
from ztn.store.db import Database
from ztn.store.errors import UniqueViolation
from ztn.store.events import EventLog
from ztn.store.models import utcnow

_NOT_FOUND = "Action not found"


def _checked(spec: ActionSpec, error_id: str) -> ActionSpec:
    """ZITADEL requires a name; the API's PGV rules bound the rest, repeated here for other callers."""
    if not spec.name or not timedelta(0) <= spec.timeout <= MAX_TIMEOUT:
        raise invalid_argument(error_id, "Action is invalid")
    return spec


def _name_taken() -> DomainError:
    # ZITADEL's unique constraint "action_names" (name + resource owner), raised by the eventstore.
    return already_exists("V3-DKcAr", "Action already exists")


class Actions:
    def __init__(self, db: Database, max_list_limit: int = lists.MAX_LIMIT) -> None:
        self.db = db
        self.max_list_limit = max_list_limit

    # --- reads ---------------------------------------------------------------------------------------

    async def get_action(self, scope: OrgScope, action_id: str) -> Action:
        async with self.db.read() as conn:
            action = await actions_repo.get_action(conn, scope, action_id)
        if action is None:
            raise not_found("QUERY-GEfnb", _NOT_FOUND)
        return action

    async def list_actions(
        self,
        scope: OrgScope,
        query: ListQuery | None = None,
        sort: ActionSort = ActionSort.UNSPECIFIED,
        filters: Sequence[ActionFilter] = (),
    ) -> Page[Action]:
        """Always restricted to the org in context (ZITADEL adds the resource-owner query itself)."""
        query, limit = lists.checked(query, self.max_list_limit)
        async with self.db.read() as conn:
            items, total = await actions_repo.list_actions(conn, scope, filters, sort, query, limit)
            sequence = await actions_repo.latest_sequence(conn, scope)
        return Page(items, total, processed_sequence=sequence, view_timestamp=utcnow())

    # --- writes --------------------------------------------------------------------------------------

    async def create_action(self, scope: OrgScope, spec: ActionSpec) -> tuple[str, ObjectDetails]:
        _checked(spec, "COMMAND-eg2gf")
        action_id = new_id()
        try:
            async with self.db.write() as conn:
                log = EventLog(conn, scope.instance_id, utcnow())
                seq = await actions_repo.insert_action(log, scope, action_id, spec)
                await log.flush()
        except UniqueViolation as exc:
            raise _name_taken() from exc
        return action_id, ObjectDetails(seq, log.now, None, scope.org_id)

    async def update_action(self, scope: OrgScope, action_id: str, spec: ActionSpec) -> ObjectDetails:
        if not action_id:
            raise invalid_argument("COMMAND-Df2f3", "Action is invalid")
        _checked(spec, "COMMAND-Df2f3")
        try:
            async with self.db.write() as conn:
                log = EventLog(conn, scope.instance_id, utcnow())
                existing = await actions_repo.lock_action(log, scope, action_id)
                if existing is None:
                    raise not_found("COMMAND-Sfg2t", _NOT_FOUND)
                changes = _changes(existing, spec)
                if not changes:
                    raise precondition_failed("ACTION-dg4t2", "No changes")
                seq = await actions_repo.change_action(log, action_id, changes)
                await log.flush()
        except UniqueViolation as exc:
            raise _name_taken() from exc
        return ObjectDetails(seq, None, log.now, scope.org_id)

    async def deactivate_action(self, scope: OrgScope, action_id: str) -> ObjectDetails:
        return await self._set_state(
            scope, action_id, ActionState.INACTIVE, ("COMMAND-DAhk5", "COMMAND-NRmhu", "COMMAND-Dgj92")
        )

    async def reactivate_action(self, scope: OrgScope, action_id: str) -> ObjectDetails:
        return await self._set_state(
            scope, action_id, ActionState.ACTIVE, ("COMMAND-BNm56", "COMMAND-Aa22g", "COMMAND-J53zh")
        )

    async def delete_action(self, scope: OrgScope, action_id: str) -> ObjectDetails:
        """Removes the action and takes it off every flow of the org, in one transaction."""
        if not action_id:
            raise invalid_argument("COMMAND-Gfg3g", "ID missing")
        async with self.db.write() as conn:
            log = EventLog(conn, scope.instance_id, utcnow())
            # Org before action: the same lock order as SetTriggerActions, so the two never deadlock.
            await actions_repo.lock_org(log, scope)
            existing = await actions_repo.lock_action(log, scope, action_id)
            if existing is None:
                raise not_found("COMMAND-Dgh4h", _NOT_FOUND)
            seq = await actions_repo.delete_action(log, scope, existing)
            await log.flush()
        return ObjectDetails(seq, None, log.now, scope.org_id)

    async def _set_state(
        self, scope: OrgScope, action_id: str, target: ActionState, ids: tuple[str, str, str]
    ) -> ObjectDetails:
        missing_id, not_found_id, wrong_state_id = ids
        if not action_id:
            raise invalid_argument(missing_id, "ID missing")
        async with self.db.write() as conn:
            log = EventLog(conn, scope.instance_id, utcnow())
            existing = await actions_repo.lock_action(log, scope, action_id)
            if existing is None:
                raise not_found(not_found_id, _NOT_FOUND)
            if existing.state == target:
                text = "Action is not active" if target == ActionState.INACTIVE else "Action is not inactive"
                raise precondition_failed(wrong_state_id, text)
            seq = await actions_repo.set_action_state(log, action_id, target)
            await log.flush()
        return ObjectDetails(seq, None, log.now, scope.org_id)


def _changes(existing: Action, spec: ActionSpec) -> dict[str, object]:
    """The fields that differ (ZITADEL compares the stored timeout, not the reported 20s default)."""
    current = ActionSpec(existing.name, existing.script, existing.timeout, existing.allowed_to_fail)
    return {
        field: getattr(spec, field)
        for field in ("name", "script", "timeout", "allowed_to_fail")
        if getattr(current, field) != getattr(spec, field)
    }
