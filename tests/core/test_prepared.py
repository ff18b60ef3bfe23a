"""`core.prepared`: a statement the ORM compiles once, bound per call, answers exactly what the queryset answers —
every row shape, dates and times, select_related and annotations, a second call with other values — on SQLite and
PostgreSQL; what it cannot take is refused, not answered wrongly."""

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.db.models import CharField, Count, DateField, DateTimeField, F, IntegerField, Q
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from supply_service.core import wire
from supply_service.core.models import Policy
from supply_service.core.prepared import Bind, prepared
from supply_service.customers.models import Bill, Customer, Payment
from tests.factories.customers import BillFactory, CustomerFactory, PaymentFactory

pytestmark = pytest.mark.django_db

AT = datetime(2026, 11, 30, 23, 30, tzinfo=timezone.get_fixed_timezone(480))


@pytest.fixture
def people(office, other_office):
    first = CustomerFactory(office=office, name="甲")
    second = CustomerFactory(office=office, name="乙")
    third = CustomerFactory(office=other_office, name="丙")
    for n, customer in enumerate([first, second, third]):
        for month in range(1, 7):
            BillFactory(customer=customer, period=date(2026, month, 1), amount=Decimal(f"{10 * (n + 1)}.{month:02d}"),
                        status=Bill.Status.PAID if month % 2 else Bill.Status.ISSUED)
        PaymentFactory(customer=customer, amount=Decimal("5.50"), paid_at=AT - timedelta(hours=n))
    return first, second, third


_BILLS = prepared(lambda: Bill.objects.select_related("customer", "customer__office")
                  .filter(customer_id=Bind("customer", IntegerField()), period__gte=Bind("since", DateField()))
                  .annotate(twice=F("amount") * 2).order_by("-period"))


def test_model_rows_with_select_related_and_annotations_equal_the_querysets(people):
    for customer in people:
        for since in (date(2026, 1, 1), date(2026, 4, 1), date(2027, 1, 1)):
            got = _BILLS(customer=customer.pk, since=since)
            want = list(Bill.objects.select_related("customer", "customer__office")
                        .filter(customer_id=customer.pk, period__gte=since).annotate(twice=F("amount") * 2)
                        .order_by("-period"))
            assert [b.pk for b in got] == [b.pk for b in want]
            assert [(b.period, b.amount, b.status, b.twice) for b in got] == \
                   [(b.period, b.amount, b.status, b.twice) for b in want]
            # related rows came in the same statement
            with CaptureQueriesContext(connection) as queries:
                assert {b.customer.office.code for b in got} <= {customer.office.code}
            assert len(queries) == 0
            assert all(b._state.db == "default" and not b._state.adding for b in got)


_SINCE = prepared(lambda: Payment.objects.filter(paid_at__gte=Bind("at", DateTimeField()))
                  .order_by("paid_at").values("customer_id", "paid_at", "amount"))
_COUNTS = prepared(lambda: Bill.objects.filter(status=Bind("status", CharField())).values("customer__office_id")
                   .annotate(n=Count("pk")).order_by("customer__office_id").values_list("customer__office_id", "n"))
_NAMES = prepared(lambda: Customer.objects.filter(Q(office_id=Bind("office", IntegerField())) | Q(name="丙"))
                  .order_by("pk").values_list("name", flat=True))


def test_values_tuples_and_flat_rows_equal_the_querysets(people, office, other_office):
    for at in (AT - timedelta(hours=1, minutes=1), AT, AT + timedelta(seconds=1)):
        assert _SINCE(at=at) == list(Payment.objects.filter(paid_at__gte=at).order_by("paid_at")
                                     .values("customer_id", "paid_at", "amount"))
    got = _SINCE(at=AT - timedelta(days=1))
    assert [type(row["paid_at"]) for row in got] == [datetime] * 3 and all(row["paid_at"].tzinfo for row in got)
    for status in (Bill.Status.PAID, Bill.Status.ISSUED, Bill.Status.CANCELLED):
        assert _COUNTS(status=status) == list(
            Bill.objects.filter(status=status).values("customer__office_id").annotate(n=Count("pk"))
            .order_by("customer__office_id").values_list("customer__office_id", "n"))
    assert _NAMES(office=office.pk) == ["甲", "乙", "丙"]
    assert _NAMES(office=other_office.pk) == ["丙"]


def test_a_statement_is_built_once_and_only_bound_afterwards(people):
    built = []

    def build():
        built.append(1)
        return Customer.objects.filter(pk=Bind("pk", IntegerField())).values_list("name", flat=True)

    statement = prepared(build)
    with CaptureQueriesContext(connection) as queries:
        assert [statement(pk=c.pk) for c in people] == [["甲"], ["乙"], ["丙"]]
    assert len(built) == 1 and len(queries) == 3
    with translation.override("en"):  # kept per language: a translated literal is part of the statement
        statement(pk=people[0].pk)
    assert len(built) == 2


def test_wrong_values_are_refused():
    with pytest.raises(TypeError):
        _NAMES(officee=1)
    with pytest.raises(TypeError):
        _NAMES()


def test_what_it_cannot_answer_is_refused_when_built(people):
    with pytest.raises(ValueError, match="prefetch_related"):
        prepared(lambda: Customer.objects.prefetch_related("bills"))()
    with pytest.raises(ValueError, match="related manager"):
        prepared(lambda: people[0].bills.all())()
    with pytest.raises(ValueError, match="not supported"):
        prepared(lambda: Customer.objects.values_list("name", named=True))()


def test_a_paged_statement_gives_the_paginators_page_for_every_page_asked(people):
    from supply_service.core.prepared import PagedStatement

    for n in range(7):  # 8 payments of the first customer, one day apart
        PaymentFactory(customer=people[0], amount=Decimal(n), paid_at=AT - timedelta(days=n + 1))
    mine = Payment.objects.filter(customer_id=Bind("customer", IntegerField())).order_by("-paid_at", "-pk")
    shapes = {  # model rows (the total an attribute), values() dicts (a key), values_list() tuples (the last column)
        "model": (lambda qs: qs.select_related("method"), lambda row: row.pk),
        "values": (lambda qs: qs.values("pk", "amount"), lambda row: (row["pk"], row["amount"])),
        "values_list": (lambda qs: qs.values_list("pk", "amount", "method__name_zh_hans"), lambda row: row),
    }
    for shape, (shaped, key) in shapes.items():
        paged = PagedStatement(lambda shaped=shaped: shaped(mine), per_page=3)
        for customer in (*people, CustomerFactory()):
            _pages_alike(paged, shaped(Payment.objects.filter(customer=customer).order_by("-paid_at", "-pk")),
                         customer, key, shape)


def _pages_alike(paged, reference, customer, key, shape):
    from django.core.paginator import Paginator

    for asked in (None, "", "1", "2", "3", "4", "0", "-2", "x", "2.0", 2.0, 2.5, "999"):
        want = Paginator(reference, 3).get_page(asked)
        with CaptureQueriesContext(connection) as queries:
            got = paged.page(asked, customer=customer.pk)
        assert (got.number, got.paginator.count, got.paginator.num_pages, [key(p) for p in got]) == \
               (want.number, want.paginator.count, want.paginator.num_pages, [key(p) for p in want]), (shape, asked)
        if shape != "model":  # the total is read, not left in a dict or tuple row
            assert [len(p) for p in got] == [len(p) for p in want], (shape, asked)
        # one statement for a page that exists; a page past the end reads the first to learn the total
        exists = str(asked) in {str(n) for n in want.paginator.page_range} or asked in (None, "", "x", "2.0", 2.5)
        assert len(queries) == 1 if exists else len(queries) <= 3, asked


_POLICY_VALUE = prepared(lambda: Policy.objects.filter(
    code=Bind("code", CharField())).values_list("value", flat=True))


def _server_prepared() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        return [row[0] for row in cursor.fetchall()]


def test_a_hot_statement_is_counted_and_logged_and_on_postgresql_planned_once_per_connection():
    from supply_service.core.prepared import hot_cursor  # noqa: PLC0415

    with CaptureQueriesContext(connection) as captured:
        first = _POLICY_VALUE(code="kiosk_idle_seconds")
        assert _POLICY_VALUE(code="kiosk_idle_seconds") == first and first
        assert _POLICY_VALUE(code="no-such-policy") == []
    assert len(captured) == 3 and all('"core_policy"' in q["sql"] for q in captured.captured_queries)
    with CaptureQueriesContext(connection) as captured, hot_cursor(connection) as cursor:
        cursor.execute("SELECT 1 + %s", [41])  # any statement through it: the result unchanged, counted
        assert cursor.fetchone() == (42,)
    assert len(captured) == 1
    if connection.vendor != "postgresql":
        return  # elsewhere the hot cursor is Django's own (above: counted and logged like any other)
    assert connection.settings_dict["PREPARE_HOT_STATEMENTS"]  # on by default (DATABASE_PREPARED_STATEMENTS)
    assert sum('"core_policy"' in statement for statement in _server_prepared()) == 1  # one plan, three runs
    assert sum("SELECT 1 +" in statement for statement in _server_prepared()) == 1
    connection.settings_dict["PREPARE_HOT_STATEMENTS"] = False
    try:
        with hot_cursor(connection) as cursor:
            cursor.execute("SELECT 2 + %s", [40])
            assert cursor.fetchone() == (42,)
        assert not any("SELECT 2 +" in statement for statement in _server_prepared())  # off: Django's own cursor
    finally:
        connection.settings_dict["PREPARE_HOT_STATEMENTS"] = True


def test_a_long_hot_statement_runs_and_on_postgresql_is_converted_once_and_planned_generically(monkeypatch):
    """A statement over 4 kB through the hot cursor gives its answer on every database. On PostgreSQL psycopg parses
    such a statement for its placeholders on every execution (it remembers short ones only): the hot cursor remembers
    long ones too — parsed once; and the connection plans prepared statements once (DATABASE_PG_GENERIC_PLANS)."""
    from supply_service.core import prepared as module  # noqa: PLC0415

    parsed = []
    if connection.vendor == "postgresql":
        from psycopg import _queries  # noqa: PLC0415

        real = _queries._query2pg_nocache
        monkeypatch.setattr(wire, "_CONVERTED", {})
        monkeypatch.setattr(_queries, "_query2pg_nocache", lambda *a: parsed.append(1) or real(*a))
        # the class was made with the function psycopg had then: make it anew with the counting one
        monkeypatch.setattr(module, "_PREPARING_CURSORS", {})
    long = "SELECT " + " + ".join(["%s"] * 300) + " + 0 AS " + "x" * 4000
    assert len(long) > 4096
    for n in range(3):
        with module.hot_cursor(connection) as cursor:
            cursor.execute(long, [n] * 300)
            assert cursor.fetchone() == (300 * n,)
    if connection.vendor != "postgresql":
        assert not parsed  # elsewhere the hot cursor is Django's own: nothing of psycopg's is involved
        return
    assert len(parsed) == 1
    with connection.cursor() as cursor:
        cursor.execute("SHOW plan_cache_mode")
        assert cursor.fetchone() == ("force_generic_plan",)


def test_the_hot_cursor_runs_statements_even_if_psycopgs_internals_move(monkeypatch):
    """psycopg's private converter is used where it fits; should a psycopg release change it, the hot cursor turns
    its memory off and lets psycopg convert — statements still run (and on SQLite the hot cursor is Django's own)."""
    from supply_service.core import prepared as module  # noqa: PLC0415

    if connection.vendor == "postgresql":
        from psycopg import _queries  # noqa: PLC0415

        def moved(*args):
            raise TypeError("a changed signature")

        monkeypatch.setattr(wire, "_CONVERTED", {})
        monkeypatch.setattr(module, "_CONVERTING", [True])
        monkeypatch.setattr(_queries, "_query2pg_nocache", moved)
        monkeypatch.setattr(module, "_PREPARING_CURSORS", {})
    with module.hot_cursor(connection) as cursor:
        cursor.execute("SELECT %s + 1", [41])  # short: psycopg's own (cached) converter still works
        assert cursor.fetchone() == (42,)
    turned_off = not module._CONVERTING[0]
    assert turned_off == (connection.vendor == "postgresql")  # where it was tried and failed
    with module.hot_cursor(connection) as cursor:
        cursor.execute("SELECT %s + 2", [40])
        assert cursor.fetchone() == (42,)


def test_the_hot_cursor_keeps_the_statement_text_only_for_a_query_log():
    """On PostgreSQL a prepared statement's text with its values is made again only when the connection logs its
    queries (DEBUG, the tests' counts: `connection.queries` shows it); otherwise it is not made (a second conversion
    of every statement, issue 12). Everywhere the statement runs and `has_rows` tells a SELECT from an UPDATE."""
    from django.test.utils import CaptureQueriesContext  # noqa: PLC0415

    from supply_service.core import prepared as module  # noqa: PLC0415

    with module.hot_cursor(connection) as cursor:
        cursor.execute("SELECT %s + 1", [41])
        assert module.has_rows(cursor) and cursor.fetchone() == (42,)
        if connection.vendor == "postgresql":
            assert not connection.queries_logged and cursor.cursor._query is None
    with CaptureQueriesContext(connection) as captured, module.hot_cursor(connection) as cursor:
        cursor.execute("SELECT %s + 2", [40])
        assert cursor.fetchone() == (42,)
    assert "+ 2" in captured.captured_queries[-1]["sql"]  # the log has the statement (PostgreSQL: with $1)
    with module.hot_cursor(connection) as cursor:
        cursor.execute("UPDATE core_policy SET value = value WHERE code = %s", ["none-such"])
        assert not module.has_rows(cursor)


def test_union_all_of_sliced_querysets_gives_each_members_rows(people):
    """`UnionAll`: each member ordered and sliced as it is (Django refuses sliced union members on SQLite), its
    `Bind`s bound in order — what the ids of the two querysets, each listed alone, give."""
    from supply_service.core.prepared import UnionAll

    for n in range(5):
        PaymentFactory(customer=people[0], amount=Decimal(n), paid_at=AT - timedelta(days=n + 1))
    mine = Payment.objects.filter(customer_id=Bind("customer", IntegerField()))
    newest = mine.order_by("-paid_at", "-pk").values("pk")[:2]
    smallest = mine.order_by("amount", "pk").values("pk")[:3]
    statement = prepared(lambda: Payment.objects.filter(pk__in=UnionAll(newest, smallest)).order_by("pk")
                         .values_list("pk", flat=True))
    for customer in (*people, CustomerFactory()):
        want = sorted({*[p["pk"] for p in Payment.objects.filter(customer=customer).order_by("-paid_at", "-pk")
                         .values("pk")[:2]],
                       *[p["pk"] for p in Payment.objects.filter(customer=customer).order_by("amount", "pk")
                         .values("pk")[:3]]})
        assert statement(customer=customer.pk) == want
    assert len(statement(customer=people[0].pk)) == 4  # 2 newest + 3 smallest, one in both: the rows once


def test_the_sqlite_backend_rewrites_a_statements_placeholders_once():
    """settings.py selects `supply_service.core.sqlite3` for SQLite: Django's backend remembering the `%s` → `?`
    rewrite per statement text; answers unchanged (a literal `%%` stays a `%`)."""
    if connection.vendor != "sqlite":
        assert connection.settings_dict["ENGINE"] == "supply_service.core.postgresql"  # its own test file
        return
    from django.db import connections

    from supply_service.core.sqlite3 import base

    assert isinstance(connections["default"], base.DatabaseWrapper)
    sql = "SELECT %s || '%%' || %s, 'x%%s'"
    for _ in range(2):
        with connection.cursor() as cursor:
            cursor.execute(sql, ["a", "b"])
            assert cursor.fetchone() == ("a%b", "x%s")
    assert base._QMARK[sql] == "SELECT ? || '%' || ?, 'x%s'"
