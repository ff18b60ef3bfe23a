"""The work lists' statement written directly (`OpenWorkSqlRows`, issue 12) gives exactly the rows, order and count
of the ORM's conditions (`openwork_filtered`), for every combination of filters — on SQLite and PostgreSQL."""

import itertools
import random
from datetime import timedelta

import pytest
from django.utils import timezone

from supply_service.core.models import OpenWork
from supply_service.core.registry import kinds
from supply_service.core.selectors_work import (
    OpenWorkRows,
    OpenWorkSqlRows,
    WorkQuery,
    _where_sql,
    openwork_filtered,
    openwork_list,
)

pytestmark = pytest.mark.django_db

STATES = ["received", "dispatched", "resolved", "called_back", "in_progress"]
CHANNELS = ["counter", "phone", "web", ""]


@pytest.fixture
def rows(office, other_office, agent, crew, dispatcher, manager):
    rng = random.Random(12)
    now = timezone.now()
    keys = [kind.key for kind in kinds()]
    people = [agent, crew, dispatcher, manager, None]
    made = []
    for n in range(240):
        due = None if rng.random() < 0.2 else now + timedelta(minutes=rng.randint(-600, 6000))
        created = now - timedelta(minutes=rng.randint(0, 5000))
        made.append(OpenWork(
            kind=rng.choice(keys), object_id=10_000 + n, number=f"ZZ-20261202-{n}", state=rng.choice(STATES),
            office=rng.choice([office, office, other_office]), owner=rng.choice(people),
            assignee=rng.choice([None, None, crew, agent]), customer_id=rng.choice([None, 1, 2]),
            channel=rng.choice(CHANNELS), customer_name="张三", account_number="0100000001",
            customer_phone="13800000000", created_at=created, due_at=due,
            due_sort=due or OpenWork._meta.get_field("due_sort").default,
            clock_started_at=None if due is None else created, amber_at=None, breached=rng.random() < 0.1,
            paused=rng.random() < 0.1, view_permission=rng.choice(["", "", "", "complaints.view_report_identity"]),
            hidden_from_id=rng.choice([None, None, None, manager.pk, agent.pk]),
        ))
    OpenWork.objects.bulk_create(made)
    return now


def _queries(office, agent, crew, manager):
    keys = tuple(kind.key for kind in kinds())
    for viewer, scope, kind, state, channel, overdue, limited in itertools.product(
            (agent, manager), ("office", "owner", "waiting"), ("", keys[0]), ("", "received"), ("", "phone"),
            (False, True), (False, True)):
        yield WorkQuery(
            office=office if scope in ("office", "waiting") else None, owner=crew if scope == "owner" else None,
            kinds=keys[:3] if limited else None, kind=kind, state=state, channel=channel, overdue=overdue,
            waiting_for=viewer if scope == "waiting" else None, viewer=viewer)
    yield WorkQuery(customer_id=1, viewer=agent)
    yield WorkQuery(office=office, kinds=(), viewer=agent)


def test_the_written_statement_equals_the_orm(rows, office, agent, crew, manager):
    now = rows
    compared = 0
    for query in _queries(office, agent, crew, manager):
        orm = OpenWorkRows(openwork_filtered(query, now), now)
        sql = OpenWorkSqlRows(*_where_sql(query, now), now=now)
        assert sql.count() == orm.count(), query
        assert sql[0:25] == orm[0:25], query
        assert sql[25:50] == orm[25:50], query
        assert list(sql) == list(orm), query
        compared += sql.count()
    assert compared > 500  # the combinations found rows, not only empty lists


def test_the_list_uses_the_statement_and_a_search_the_orm(office, agent):
    assert isinstance(openwork_list(query=WorkQuery(office=office, viewer=agent)), OpenWorkSqlRows)
    assert isinstance(openwork_list(query=WorkQuery(office=office, viewer=agent, query="张")), OpenWorkRows)


def test_a_row_reads_as_the_orm_row(rows, office, agent):
    now = rows
    query = WorkQuery(office=office, viewer=agent)
    first = OpenWorkSqlRows(*_where_sql(query, now), now=now)[0]
    reference = OpenWorkRows(openwork_filtered(query, now), now)[0]
    assert first == reference
    assert first["created_at"].tzinfo is not None and isinstance(first["breached"], bool)
    with pytest.raises(IndexError):
        OpenWorkSqlRows(*_where_sql(query, now), now=now)[10_000]


def _home_equal(user, now):
    from supply_service.core.selectors_work import openwork_home, openwork_home_orm  # noqa: PLC0415

    written, reference = openwork_home(user=user, now=now), openwork_home_orm(user=user, now=now)
    assert list(written["rows"]) == list(reference["rows"])
    assert written["counts"] == reference["counts"] and written["total"] == reference["total"]
    assert written["office"] == reference["office"]
    return written


def test_every_roles_home_equals_the_orm(rows, agent, crew, dispatcher, manager, clerk):
    now = rows
    for user in (agent, crew, dispatcher, manager, clerk):
        _home_equal(user, now)
    home = _home_equal(manager, now)
    assert home["office"] is not None and home["office"]["open"] > 0
    assert _home_equal(agent, now)["total"] > 0
