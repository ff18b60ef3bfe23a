"""The work lists' statement written directly (`OpenWorkSqlRows`, issue 12) gives exactly the rows, order and count
of the ORM's conditions (`openwork_filtered`), for every combination of filters — on SQLite and PostgreSQL."""

import itertools
import random
from datetime import datetime, timedelta
from functools import reduce
from operator import or_

import pytest
from django.db.models import Count, Q
from django.utils import timezone

from supply_service.core import selectors_work
from supply_service.core.models import Chase, OpenWork
from supply_service.core.registry import kind_for_key, kinds
from supply_service.core.selectors_work import (  # noqa: I001
    DUE_ORDER,
    OpenWorkRows,
    OpenWorkSqlRows,
    WorkQuery,
    _as_list,
    _may_chase,
    _waiting_q,
    _where_sql,
    openwork_filtered,
    openwork_list,
    visible_q,
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
            clock_started_at=None if due is None else created,
            amber_at=None if due is None else due - (due - created) * selectors_work.AMBER_FRACTION,
            breached=rng.random() < 0.1,
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


@pytest.mark.parametrize("cap", [0, 1, 7, 60])
def test_a_capped_count_stops_at_the_cap_and_says_more(rows, office, agent, crew, manager, cap):
    now = rows
    more = exact = 0
    for query in _queries(office, agent, crew, manager):
        full = OpenWorkRows(openwork_filtered(query, now), now).count()
        capped = OpenWorkSqlRows(*_where_sql(query, now), now=now, cap=cap)
        assert capped.count() == min(full, cap) and capped.more == (full > cap), query
        more += capped.more
        exact += not capped.more
    assert more and exact  # both sides of the cap were met


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


# The home through the ORM, as `openwork_home` computed it before its statements were written: the reference.


def openwork_home_orm(*, user, now: datetime | None = None, limit: int = 25) -> dict:
    """`openwork_home` through the ORM: the reference the written statements are tested against."""
    now = now or timezone.now()
    keys = [kind.key for kind in kinds() if user.has_perm(
        f"{kind.model._meta.app_label}.view_{kind.model._meta.model_name}")]
    streams = [Q(owner=user), Q(assignee=user)]
    if user.office_id is not None:
        streams.append(Q(office_id=user.office_id) & _waiting_q(user, keys))
    mine = reduce(or_, streams)
    seen = visible_q(user)
    base = OpenWork.objects.filter(kind__in=keys).filter(seen).filter(mine)  # the filter is built once, for rows and counts
    # The first `limit` of each stream (mine, assigned to me, waiting for my role) walk their own due-order index;
    # the page is the first `limit` of those (ORed, no index serves the filter: every match would be sorted).
    firsts = reduce(or_, (
        Q(pk__in=OpenWork.objects.filter(kind__in=keys).filter(seen).filter(stream).order_by(*DUE_ORDER)
          .values("pk")[:limit])
        for stream in streams))
    rows = _as_list(OpenWork.objects.filter(firsts), now)[:limit]
    counts = dict(base.values("kind").annotate(n=Count("pk")).values_list("kind", "n"))
    cap = selectors_work.HOME_COUNT_CAP  # past it a kind shows "99+" and the total "more than"
    result = {
        "rows": rows,
        "total": sum(min(n, cap) for n in counts.values()),
        "more": any(n > cap for n in counts.values()),
        "counts": [{"kind": key, "label": kind_for_key(key).display_label, "count": min(counts[key], cap),
                    "more": counts[key] > cap} for key in keys if counts.get(key)],
        "office": None,
    }
    if user.office_id is not None and _may_chase(user):
        result["office"] = _office_summary(office_id=user.office_id, keys=keys, now=now, seen=seen)
    return result


def _office_summary(*, office_id, keys, now, seen: Q) -> dict:
    """Overdue and amber items of the office, and chases outstanding (on items still open)."""
    office = OpenWork.objects.filter(office_id=office_id, kind__in=keys).filter(seen)
    late = Q(breached=True) | Q(due_at__lt=now)
    running = Q(due_at__gte=now, breached=False)
    counts = office.aggregate(
        open=Count("pk"), overdue=Count("pk", filter=late), running=Count("pk", filter=running),
        # running items with less than a quarter of their time left (`amber_at` is kept on the row)
        amber=Count("pk", filter=running & Q(amber_at__lte=now)),
    )
    open_numbers = office.values("number")
    chases = Chase.objects.filter(item_number__in=open_numbers).count()
    return {**counts, "chases": chases}


def _home_equal(user, now):
    from supply_service.core.selectors_work import openwork_home  # noqa: PLC0415

    written, reference = openwork_home(user=user, now=now), openwork_home_orm(user=user, now=now)
    assert list(written["rows"]) == list(reference["rows"])
    assert written["counts"] == reference["counts"] and written["total"] == reference["total"]
    assert written["more"] == reference["more"]
    assert written["office"] == reference["office"]
    return written


def test_every_roles_home_equals_the_orm(rows, agent, crew, dispatcher, manager, clerk):
    now = rows
    for user in (agent, crew, dispatcher, manager, clerk):
        _home_equal(user, now)
    home = _home_equal(manager, now)
    assert home["office"] is not None and home["office"]["open"] > 0
    assert _home_equal(agent, now)["total"] > 0


def test_office_figures_of_a_manager_who_may_view_some_kinds(rows, office, manager):
    """The office figures are all open work less the kinds a reader may not view and the rows hidden from them: a
    chaser who may view only repairs and consultations reads exactly the ORM's figures over those."""
    from django.contrib.auth.models import Group, Permission

    from tests.factories.core import UserFactory

    group = Group.objects.create(name="repair chasers")
    codenames = ["use_workbench", "view_chase", "view_repairticket", "chase_repairticket", "view_consultation"]
    group.permissions.set(Permission.objects.filter(codename__in=codenames))
    chaser = UserFactory(username="repair-chaser", office=office)
    chaser.groups.add(group)
    OpenWork.objects.filter(pk__in=OpenWork.objects.filter(office=office, kind="repair").values("pk")[:5]).update(
        hidden_from_id=chaser.pk)
    for user in (chaser, manager):
        home = _home_equal(user, rows)
        assert home["office"]["open"] > 0
    figures = _home_equal(chaser, rows)["office"]
    everything = _home_equal(manager, rows)["office"]
    assert figures["open"] < everything["open"] and figures["amber"] <= everything["amber"]
    assert all(_home_equal(user, rows)["office"]["amber"] for user in (manager,))  # amber is exercised


@pytest.mark.parametrize("cap", [0, 1, 2, 3])
def test_home_counts_stop_at_the_cap_and_say_more(rows, agent, crew, dispatcher, manager, clerk, monkeypatch, cap):
    """Past the cap a kind's count is the cap and `more` (the page: "99+", "more than N items wait"): every role's
    home equals the ORM's full count capped the same way, whichever streams (mine, assigned, waiting) overlap."""
    monkeypatch.setattr(selectors_work, "HOME_COUNT_CAP", cap)
    capped = 0
    for user in (agent, crew, dispatcher, manager, clerk):
        home = _home_equal(user, rows)
        capped += home["more"]
    assert capped  # the data has more than `cap` items of a kind for someone: the cap is exercised


def test_home_counts_are_one_statement_whatever_the_kinds(rows, dispatcher, django_assert_num_queries):
    keys = [kind.key for kind in kinds()]
    dispatcher.get_all_permissions()  # the permission cache, read once per request by every page
    selectors_work.actionable_states_by_kind(user=dispatcher, keys=keys)
    with django_assert_num_queries(1):
        counts = selectors_work._home_counts(keys, *selectors_work._home_counts_statement(dispatcher, keys))
    assert counts and all(n > 0 for n in counts.values())


def test_limits_are_written_into_the_hot_statements_not_bound(rows, agent, dispatcher, manager, client):
    """A bound LIMIT or OFFSET lets PostgreSQL's generic plan of a prepared statement guess a tenth of the table: it
    chose a sequential scan of all open work for "mine" (0.6 → 3.8 ms a count at 10 000 open items). The homes' and
    the lists' statements write their limits in."""
    import re

    from django.db import connection
    from django.urls import reverse

    seen = []

    def collect(execute, sql, params, many, context):
        seen.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(collect):
        for user in (agent, dispatcher, manager):
            client.force_login(user)
            assert client.get(reverse("core:home")).status_code == 200
            for params in ({"scope": "mine"}, {"scope": "office"}, {"scope": "waiting"}, {"scope": "office", "page": "2"}):
                assert client.get(reverse("tickets:list"), params).status_code == 200
    statements = [sql for sql in seen if "core_openwork" in sql]
    assert len(statements) > 10 and any(re.search(r"LIMIT \d+ OFFSET \d+", sql) for sql in statements)
    assert not [sql for sql in statements if re.search(r"(LIMIT|OFFSET) %s", sql)]


def test_chases_outstanding_never_read_the_chases_themselves(manager):
    """The manager's figures count chases from the open-work rows (`chases`, kept per item): every chase ever made
    is history that only grows (20 000 of them made the home 12 ms slower when it read them)."""
    from supply_service.core.models import Chase

    keys = [kind.key for kind in kinds()]
    sql, _params = selectors_work._office_summary_statement(manager, keys)
    assert Chase._meta.db_table not in sql and "chases" in sql
