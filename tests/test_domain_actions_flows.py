"""Actions v1 and flows rules on the backend under test: create/get/list/update/state/delete, every text
query method, org and instance isolation, the flow/trigger table, SetTriggerActions and ClearFlow."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
import sqlalchemy as sa

from fixtures_db import fresh_database_url
from ztn.domain import flows as f
from ztn.domain.actions import Actions
from ztn.domain.actions_models import (
    ActionIdFilter,
    ActionNameFilter,
    ActionSort,
    ActionSpec,
    ActionState,
    ActionStateFilter,
    OrgScope,
)
from ztn.domain.errors import DomainError, Kind
from ztn.domain.flows import Flows
from ztn.domain.ids import new_id
from ztn.domain.instances import InstanceConfig, Instances
from ztn.domain.models import ListQuery, MachineOwner, NewInstance, PatRequest, TextMethod
from ztn.store import accounts_repo
from ztn.store import models as m
from ztn.store.db import Database, open_database
from ztn.store.events import EventLog
from ztn.store.models import utcnow

SCRIPT = "function addClaims(ctx, api) { api.v1.claims.setClaim('a', 1) }"


@pytest.fixture(scope="module")
async def database(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Database]:
    """One database for the module (a fresh PostgreSQL database per test is slow); every test works in
    an instance of its own, so tests stay independent."""
    with fresh_database_url(tmp_path_factory.mktemp("actions")) as url:
        db = await open_database(url)
        await db.migrate()
        try:
            yield db
        finally:
            await db.close()


@pytest.fixture
def actions(database: Database) -> Actions:
    return Actions(database)


@pytest.fixture
def flows(database: Database) -> Flows:
    return Flows(database)


async def new_scope(database: Database) -> OrgScope:
    created = await Instances(database, InstanceConfig(base_domain="example.com")).create_instance(
        NewInstance(name=f"i-{new_id()}", owner=MachineOwner(user_name="sa", pat=PatRequest()))
    )
    return OrgScope(created.instance_id, created.org_id)


async def second_org(database: Database, scope: OrgScope) -> OrgScope:
    org_id = new_id()
    async with database.write() as conn:
        log = EventLog(conn, scope.instance_id, utcnow())
        await accounts_repo.insert_org(log, org_id, "second")
        await log.flush()
    return OrgScope(scope.instance_id, org_id)


@pytest.fixture
async def scope(database: Database) -> OrgScope:
    return await new_scope(database)


def spec(name: str = "addClaims", **kw: object) -> ActionSpec:
    return ActionSpec(name=name, script=kw.pop("script", SCRIPT), **kw)  # type: ignore[arg-type]


async def fails(coro: object, kind: Kind, error_id: str) -> DomainError:
    with pytest.raises(DomainError) as exc:
        await coro  # type: ignore[misc]
    assert (exc.value.kind, exc.value.id) == (kind, error_id), exc.value
    return exc.value


# --- actions -----------------------------------------------------------------------------------------


async def test_create_then_get_reports_active_action_with_add_details(
    actions: Actions, scope: OrgScope
) -> None:
    action_id, details = await actions.create_action(
        scope, spec(timeout=timedelta(seconds=10), allowed_to_fail=True)
    )
    assert details.sequence == 1 and details.creation_date and details.resource_owner == scope.org_id
    got = await actions.get_action(scope, action_id)
    assert (got.name, got.script, got.timeout, got.allowed_to_fail) == (
        "addClaims",
        SCRIPT,
        timedelta(seconds=10),
        True,
    )
    assert got.state == ActionState.ACTIVE and got.details.resource_owner == scope.org_id


async def test_unset_timeout_is_reported_as_the_20s_maximum(actions: Actions, scope: OrgScope) -> None:
    action_id, _ = await actions.create_action(scope, spec())
    got = await actions.get_action(scope, action_id)
    assert got.timeout == timedelta(0) and got.effective_timeout == timedelta(seconds=20)


async def test_create_rejects_empty_name_and_out_of_range_timeout(actions: Actions, scope: OrgScope) -> None:
    await fails(actions.create_action(scope, spec("")), Kind.INVALID_ARGUMENT, "COMMAND-eg2gf")
    too_long = spec(timeout=timedelta(seconds=21))
    await fails(actions.create_action(scope, too_long), Kind.INVALID_ARGUMENT, "COMMAND-eg2gf")


async def test_name_is_unique_per_org_but_not_across_orgs(
    actions: Actions, scope: OrgScope, database: Database
) -> None:
    await actions.create_action(scope, spec("dup"))
    await fails(actions.create_action(scope, spec("dup")), Kind.ALREADY_EXISTS, "V3-DKcAr")
    other = await second_org(database, scope)
    await actions.create_action(other, spec("dup"))


async def test_update_changes_fields_and_no_change_is_a_failed_precondition(
    actions: Actions, scope: OrgScope
) -> None:
    action_id, _ = await actions.create_action(scope, spec())
    details = await actions.update_action(scope, action_id, spec("renamed", timeout=timedelta(seconds=3)))
    assert details.sequence == 2 and details.change_date and details.creation_date is None
    got = await actions.get_action(scope, action_id)
    assert (got.name, got.timeout) == ("renamed", timedelta(seconds=3))
    same = spec("renamed", timeout=timedelta(seconds=3))
    await fails(actions.update_action(scope, action_id, same), Kind.FAILED_PRECONDITION, "ACTION-dg4t2")
    await fails(actions.update_action(scope, "404", same), Kind.NOT_FOUND, "COMMAND-Sfg2t")


async def test_update_to_a_taken_name_already_exists(actions: Actions, scope: OrgScope) -> None:
    await actions.create_action(scope, spec("a"))
    b, _ = await actions.create_action(scope, spec("b"))
    await fails(actions.update_action(scope, b, spec("a")), Kind.ALREADY_EXISTS, "V3-DKcAr")


async def test_deactivate_and_reactivate_check_the_state(actions: Actions, scope: OrgScope) -> None:
    action_id, _ = await actions.create_action(scope, spec())
    await fails(actions.reactivate_action(scope, action_id), Kind.FAILED_PRECONDITION, "COMMAND-J53zh")
    await actions.deactivate_action(scope, action_id)
    assert (await actions.get_action(scope, action_id)).state == ActionState.INACTIVE
    await fails(actions.deactivate_action(scope, action_id), Kind.FAILED_PRECONDITION, "COMMAND-Dgj92")
    details = await actions.reactivate_action(scope, action_id)
    assert details.sequence == 3
    assert (await actions.get_action(scope, action_id)).state == ActionState.ACTIVE
    await fails(actions.deactivate_action(scope, "404"), Kind.NOT_FOUND, "COMMAND-NRmhu")
    await fails(actions.reactivate_action(scope, "404"), Kind.NOT_FOUND, "COMMAND-Aa22g")
    await fails(actions.deactivate_action(scope, ""), Kind.INVALID_ARGUMENT, "COMMAND-DAhk5")


async def test_delete_removes_the_action(actions: Actions, scope: OrgScope) -> None:
    action_id, _ = await actions.create_action(scope, spec())
    await actions.delete_action(scope, action_id)
    await fails(actions.get_action(scope, action_id), Kind.NOT_FOUND, "QUERY-GEfnb")
    await fails(actions.delete_action(scope, action_id), Kind.NOT_FOUND, "COMMAND-Dgh4h")
    await actions.create_action(scope, spec())  # the name is free again


async def test_actions_of_other_orgs_and_instances_are_not_found(
    actions: Actions, scope: OrgScope, database: Database
) -> None:
    action_id, _ = await actions.create_action(scope, spec())
    for stranger in (await second_org(database, scope), await new_scope(database)):
        await fails(actions.get_action(stranger, action_id), Kind.NOT_FOUND, "QUERY-GEfnb")
        await fails(actions.deactivate_action(stranger, action_id), Kind.NOT_FOUND, "COMMAND-NRmhu")
        await fails(actions.delete_action(stranger, action_id), Kind.NOT_FOUND, "COMMAND-Dgh4h")
        assert (await actions.list_actions(stranger)).total == 0


async def test_list_paginates_in_creation_order_and_sorts_by_column(
    actions: Actions, scope: OrgScope
) -> None:
    ids = [(await actions.create_action(scope, spec(name)))[0] for name in ("b", "c", "a")]
    page = await actions.list_actions(scope, ListQuery(offset=1, limit=1))
    assert page.total == 3 and [a.id for a in page.items] == [ids[1]]
    assert page.processed_sequence == 1 and page.view_timestamp is not None
    by_name = await actions.list_actions(scope, ListQuery(asc=True), ActionSort.NAME)
    assert [a.name for a in by_name.items] == ["a", "b", "c"]
    by_name_desc = await actions.list_actions(scope, ListQuery(), ActionSort.NAME)
    assert [a.name for a in by_name_desc.items] == ["c", "b", "a"]
    await actions.deactivate_action(scope, ids[0])
    by_state = await actions.list_actions(scope, ListQuery(asc=True), ActionSort.STATE)
    assert by_state.items[0].id == ids[0]  # INACTIVE (1) before ACTIVE (2)


async def test_list_limit_above_maximum_is_rejected(actions: Actions, scope: OrgScope) -> None:
    await fails(actions.list_actions(scope, ListQuery(limit=1001)), Kind.INVALID_ARGUMENT, "QUERY-4M0fs")


@pytest.mark.parametrize(
    ("method", "value", "expected"),
    [
        (TextMethod.EQUALS, "AddClaims", {"AddClaims"}),
        (TextMethod.EQUALS, "addclaims", set()),
        (TextMethod.EQUALS_IGNORE_CASE, "addclaims", {"AddClaims"}),
        (TextMethod.STARTS_WITH, "Add", {"AddClaims", "Add_%x"}),
        (TextMethod.STARTS_WITH, "add", set()),
        (TextMethod.STARTS_WITH_IGNORE_CASE, "add", {"AddClaims", "Add_%x"}),
        (TextMethod.CONTAINS, "Claim", {"AddClaims", "removeClaim"}),
        (TextMethod.CONTAINS, "claim", set()),
        (TextMethod.CONTAINS, "_%", {"Add_%x"}),
        (TextMethod.CONTAINS, "*", set()),
        (TextMethod.CONTAINS_IGNORE_CASE, "CLAIM", {"AddClaims", "removeClaim"}),
        (TextMethod.ENDS_WITH, "Claim", {"removeClaim"}),
        (TextMethod.ENDS_WITH, "CLAIM", set()),
        (TextMethod.ENDS_WITH_IGNORE_CASE, "CLAIMS", {"AddClaims"}),
    ],
)
async def test_name_query_honours_every_text_method(
    actions: Actions, scope: OrgScope, method: TextMethod, value: str, expected: set[str]
) -> None:
    for name in ("AddClaims", "removeClaim", "Add_%x", "other"):
        await actions.create_action(scope, spec(name))
    page = await actions.list_actions(scope, filters=[ActionNameFilter(value, method)])
    assert {a.name for a in page.items} == expected and page.total == len(expected)


async def test_id_and_state_queries(actions: Actions, scope: OrgScope) -> None:
    a, _ = await actions.create_action(scope, spec("a"))
    b, _ = await actions.create_action(scope, spec("b"))
    await actions.deactivate_action(scope, b)
    assert [x.id for x in (await actions.list_actions(scope, filters=[ActionIdFilter(a)])).items] == [a]
    inactive = await actions.list_actions(scope, filters=[ActionStateFilter(ActionState.INACTIVE)])
    assert [x.id for x in inactive.items] == [b]
    assert (await actions.list_actions(scope, filters=[ActionStateFilter(0)])).total == 0


async def test_every_write_appends_an_event_with_the_rows_sequence(
    actions: Actions, scope: OrgScope, database: Database
) -> None:
    action_id, _ = await actions.create_action(scope, spec())
    await actions.update_action(scope, action_id, spec("x"))
    await actions.deactivate_action(scope, action_id)
    async with database.read() as conn:
        stmt = sa.select(m.events.c.sequence, m.events.c.event_type).where(
            m.events.c.aggregate_id == action_id
        )
        rows = (await conn.execute(stmt.order_by(m.events.c.sequence))).all()
    assert [tuple(r) for r in rows] == [(1, "action.added"), (2, "action.changed"), (3, "action.deactivated")]


# --- flow table --------------------------------------------------------------------------------------


def test_flow_types_are_listed_in_id_order_with_keys_and_names() -> None:
    types = Flows.list_flow_types()
    assert [(t.id, t.key) for t in types] == [
        ("1", "Action.Flow.Type.ExternalAuthentication"),
        ("2", "Action.Flow.Type.CustomiseToken"),
        ("3", "Action.Flow.Type.InternalAuthentication"),
        ("4", "Action.Flow.Type.CustomizeSAMLResponse"),
    ]
    assert types[1].name == "Complement Token"


@pytest.mark.parametrize(
    ("flow", "triggers"),
    [("1", ["1", "2", "3"]), ("2", ["4", "5"]), ("3", ["1", "2", "3"]), ("4", ["6"])],
)
def test_each_flow_lists_its_triggers(flow: str, triggers: list[str]) -> None:
    assert [t.id for t in Flows.list_trigger_types(flow)] == triggers


@pytest.mark.parametrize("flow", ["0", "5", "", "FLOW_TYPE_UNSPECIFIED", "external"])
def test_trigger_types_of_an_unknown_flow_are_not_found(flow: str) -> None:
    with pytest.raises(DomainError) as exc:
        Flows.list_trigger_types(flow)
    assert (exc.value.kind, exc.value.id) == (Kind.NOT_FOUND, "MANAG-P2OBk")


def test_legacy_enum_names_are_accepted() -> None:
    assert f.flow_type("FLOW_TYPE_EXTERNAL_AUTHENTICATION").id == "1"
    assert [
        f.trigger_type(n).id for n in ("TRIGGER_TYPE_POST_AUTHENTICATION", "TRIGGER_TYPE_PRE_CREATION")
    ] == [
        "1",
        "2",
    ]
    assert f.trigger_type("TRIGGER_TYPE_POST_CREATION").id == "3"
    assert f.trigger_type("TRIGGER_TYPE_PRE_USERINFO_CREATION") is f.UNSPECIFIED_TRIGGER


# --- flows per org -----------------------------------------------------------------------------------


async def test_empty_flow_is_returned_not_missing(flows: Flows, scope: OrgScope) -> None:
    flow = await flows.get_flow(scope, "2")
    assert flow.type.id == "2" and flow.trigger_actions == [] and flow.details.sequence == 0


async def test_set_trigger_actions_keeps_order_and_reports_it_in_get_flow(
    flows: Flows, actions: Actions, scope: OrgScope
) -> None:
    a, _ = await actions.create_action(scope, spec("a"))
    b, _ = await actions.create_action(scope, spec("b"))
    details = await flows.set_trigger_actions(scope, "2", "5", [b, a])
    assert details.creation_date and details.resource_owner == scope.org_id and details.sequence > 0
    await flows.set_trigger_actions(scope, "2", "4", [a])
    flow = await flows.get_flow(scope, "2")
    assert [(t.trigger.id, [x.name for x in t.actions]) for t in flow.trigger_actions] == [
        ("4", ["a"]),
        ("5", ["b", "a"]),
    ]
    assert flow.details.sequence == details.sequence + 1 and flow.details.resource_owner == scope.org_id
    assert (await flows.get_flow(scope, "1")).trigger_actions == []


async def test_legacy_names_address_the_same_flow_and_trigger(
    flows: Flows, actions: Actions, scope: OrgScope
) -> None:
    a, _ = await actions.create_action(scope, spec())
    await flows.set_trigger_actions(
        scope, "FLOW_TYPE_EXTERNAL_AUTHENTICATION", "TRIGGER_TYPE_PRE_CREATION", [a]
    )
    flow = await flows.get_flow(scope, "1")
    assert [(t.trigger.id, [x.id for x in t.actions]) for t in flow.trigger_actions] == [("2", [a])]


async def test_trigger_must_belong_to_the_flow(flows: Flows, actions: Actions, scope: OrgScope) -> None:
    a, _ = await actions.create_action(scope, spec())
    await fails(flows.set_trigger_actions(scope, "2", "1", [a]), Kind.INVALID_ARGUMENT, "COMMAND-Dfgh6")
    await fails(flows.set_trigger_actions(scope, "4", "5", [a]), Kind.INVALID_ARGUMENT, "COMMAND-Dfgh6")
    await fails(flows.set_trigger_actions(scope, "9", "1", [a]), Kind.INVALID_ARGUMENT, "COMMAND-Dfhj5")
    await fails(flows.set_trigger_actions(scope, "1", "x", [a]), Kind.INVALID_ARGUMENT, "COMMAND-Dfhj5")


async def test_actions_must_exist_in_the_org(
    flows: Flows, actions: Actions, scope: OrgScope, database: Database
) -> None:
    a, _ = await actions.create_action(scope, spec())
    other = await second_org(database, scope)
    foreign, _ = await actions.create_action(other, spec())
    await fails(
        flows.set_trigger_actions(scope, "1", "1", [foreign]), Kind.FAILED_PRECONDITION, "COMMAND-dg422"
    )
    await fails(flows.set_trigger_actions(scope, "1", "1", [a, a]), Kind.FAILED_PRECONDITION, "COMMAND-dg422")
    await fails(flows.set_trigger_actions(scope, "1", "1", []), Kind.FAILED_PRECONDITION, "COMMAND-Nfh52")
    await flows.set_trigger_actions(scope, "1", "1", [a])
    await fails(flows.set_trigger_actions(scope, "1", "1", [a]), Kind.FAILED_PRECONDITION, "COMMAND-Nfh52")
    assert (await flows.get_flow(other, "1")).trigger_actions == []


async def test_clear_flow_empties_only_that_flow(flows: Flows, actions: Actions, scope: OrgScope) -> None:
    a, _ = await actions.create_action(scope, spec())
    await flows.set_trigger_actions(scope, "1", "1", [a])
    await flows.set_trigger_actions(scope, "3", "1", [a])
    details = await flows.clear_flow(scope, "1")
    assert details.change_date and details.resource_owner == scope.org_id
    assert (await flows.get_flow(scope, "1")).trigger_actions == []
    assert len((await flows.get_flow(scope, "3")).trigger_actions) == 1
    await fails(flows.clear_flow(scope, "1"), Kind.FAILED_PRECONDITION, "COMMAND-DgGh3")
    await fails(flows.clear_flow(scope, "0"), Kind.INVALID_ARGUMENT, "COMMAND-Dfw2h")


async def test_deleting_an_action_takes_it_off_every_flow(
    flows: Flows, actions: Actions, scope: OrgScope, database: Database
) -> None:
    a, _ = await actions.create_action(scope, spec("a"))
    b, _ = await actions.create_action(scope, spec("b"))
    await flows.set_trigger_actions(scope, "1", "1", [a, b])
    await flows.set_trigger_actions(scope, "2", "5", [a])
    await actions.delete_action(scope, a)
    flow1 = await flows.get_flow(scope, "1")
    assert [[x.id for x in t.actions] for t in flow1.trigger_actions] == [[b]]
    assert (await flows.get_flow(scope, "2")).trigger_actions == []
    async with database.read() as conn:
        stmt = sa.select(m.events.c.event_type).where(
            m.events.c.aggregate_id == scope.org_id, m.events.c.event_type.like("%cascade%")
        )
        assert len((await conn.execute(stmt)).all()) == 2


async def test_flow_writes_are_org_events_with_gap_free_sequences(
    flows: Flows, actions: Actions, scope: OrgScope, database: Database
) -> None:
    a, _ = await actions.create_action(scope, spec())
    first = await flows.set_trigger_actions(scope, "1", "1", [a])
    second = await flows.clear_flow(scope, "1")
    assert second.sequence == first.sequence + 1
    async with database.read() as conn:
        org_seq = (
            await conn.execute(sa.select(m.orgs.c.sequence).where(m.orgs.c.id == scope.org_id))
        ).scalar()
    assert org_seq == second.sequence


async def test_removing_the_instance_removes_its_actions_and_flows(
    flows: Flows, actions: Actions, scope: OrgScope, database: Database
) -> None:
    a, _ = await actions.create_action(scope, spec())
    await flows.set_trigger_actions(scope, "1", "1", [a])
    await Instances(database, InstanceConfig(base_domain="example.com")).remove_instance(scope.instance_id)
    async with database.read() as conn:
        for table in ("actions", "actions_flow_triggers"):
            count = sa.text(f"SELECT count(*) FROM {table} WHERE instance_id = :i")
            assert (await conn.execute(count, {"i": scope.instance_id})).scalar() == 0
