"""`core.wire`: hot reads sent through libpq directly give what psycopg's cursors give, share psycopg's cache of
prepared statements (and its clearing on a ROLLBACK, its limit), begin a transaction as psycopg does, pass Django's
execute wrappers and log, raise a failing statement's error with the connection left usable — and step aside where
they cannot (SQLite has none of this; tests/core/test_together.py and test_prepared.py hold the answers on both)."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import DatabaseError, connection, connections, transaction
from django.db.models import IntegerField
from django.test.utils import CaptureQueriesContext

from supply_service.core import wire
from supply_service.core.prepared import Bind, Read, hot_cursor, prepared
from supply_service.core.together import fetch, fetch_all
from supply_service.customers.models import Bill, Customer
from tests.factories.customers import BillFactory, CustomerFactory

pytestmark = [pytest.mark.postgresql, pytest.mark.django_db]

_BILLS = prepared(lambda: Bill.objects.filter(customer_id=Bind("customer", IntegerField()))
                  .order_by("-period").values_list("period", "amount", "due_date", "status"))
_NAME = prepared(lambda: Customer.objects.filter(pk=Bind("pk", IntegerField())).values_list("name", flat=True))


@pytest.fixture
def customer(office):
    customer = CustomerFactory(office=office, name="甲")
    for month in (1, 2, 3):
        BillFactory(customer=customer, period=date(2026, month, 1), amount=Decimal(f"1{month}.50"))
    return customer


def _server_statements() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        return [row[0] for row in cursor.fetchall()]


def _through_cursors(read: Read):
    with hot_cursor(connection) as cursor:
        cursor.execute(read.sql, read.params)
        return cursor.fetchall()


def test_the_rows_are_a_cursors_rows_every_type(customer):
    """Dates, decimals, text, booleans, NULL, timestamps and JSON text read as psycopg's cursor reads them."""
    read = Read("SELECT %s::int + 1, %s::numeric(12,2), %s::text, %s::date, NULL::int, true, now() - now(), "
                "'2026-12-04 08:46:30.5+00'::timestamptz, '{\"a\": [1, 2]}'::jsonb, 'ئۇيغۇر བོད་'::text",
                [41, Decimal("12.50"), "丙", date(2026, 12, 4)])
    answer = wire.rows(connection, [read])
    assert answer == [_through_cursors(read)]
    row = answer[0][0]
    assert row[:4] == (42, Decimal("12.50"), "丙", date(2026, 12, 4)) and row[4] is None and row[5] is True
    assert row[8] == '{"a": [1, 2]}'  # JSON as text, as Django's JSONField expects
    assert wire.rows(connection, [_BILLS.read(customer=customer.pk)]) == [_through_cursors(
        _BILLS.read(customer=customer.pk))]


def test_one_cache_of_prepared_statements_with_psycopgs_cursors(customer):
    """A statement prepared by one way is used by the other (one server statement); psycopg's ROLLBACK clearing
    (a DEALLOCATE ALL) is followed: the next read prepares it again and answers."""
    read = _NAME.read(pk=customer.pk)
    assert fetch(read) == ["甲"]
    assert _through_cursors(read) == [("甲",)]
    assert sum('"customers_customer"."name"' in sql for sql in _server_statements()) == 1
    with pytest.raises(DatabaseError), transaction.atomic():  # a savepoint rolled back: psycopg clears its cache
        fetch(Read("SELECT 1/0", []))
    assert fetch(read) == ["甲"]
    assert sum('"customers_customer"."name"' in sql for sql in _server_statements()) == 1


def test_past_psycopgs_limit_the_least_used_statements_are_deallocated(customer):
    raw = connection.connection
    limit = raw.prepared_max
    raw.prepared_max = 2
    try:
        reads = [Read(f"SELECT %s::int + {n}", [1]) for n in range(5)]
        for n, read in enumerate(reads):
            assert fetch(read) == [(1 + n,)]
        assert fetch_all(reads) == [[(1 + n,)] for n in range(5)]
        assert len([sql for sql in _server_statements() if "::int +" in sql]) <= 2
    finally:
        raw.prepared_max = limit


def test_wrappers_see_every_statement_and_the_log_has_its_values(customer):
    seen = []

    def wrapper(execute, sql, params, many, context):
        seen.append((sql, tuple(params), context["connection"] is connections["default"]))
        return execute(sql, params, many, context)

    with CaptureQueriesContext(connection) as captured, connection.execute_wrapper(wrapper):
        assert fetch_all([_NAME.read(pk=customer.pk), Read("SELECT %s::text || 'x'", ["丙"])]) == [["甲"], [("丙x",)]]
    assert [s[1] for s in seen] == [(customer.pk,), ("丙",)] and all(s[2] for s in seen)
    assert len(captured) == 2
    assert str(customer.pk) in captured.captured_queries[0]["sql"] and "'丙'" in captured.captured_queries[1]["sql"]


def test_a_failing_statement_in_the_middle_raises_and_the_connection_goes_on(customer):
    with pytest.raises(DatabaseError, match="division by zero"), transaction.atomic():
        fetch_all([_NAME.read(pk=customer.pk), Read("SELECT 1/%s", [0]), _BILLS.read(customer=customer.pk)])
    assert connection.connection.pgconn.pipeline_status == 0
    assert fetch_all([_NAME.read(pk=customer.pk), Read("SELECT 1/%s", [1])]) == [["甲"], [(1,)]]


def test_a_bad_number_of_values_is_refused_before_anything_is_sent(customer):
    """Nothing of the round is sent; a new statement before the bad one, which psycopg's manager was told is being
    prepared, is forgotten — the next time it is prepared and answers (not "prepared statement … does not exist")."""
    new = Read("SELECT %s::int * 3", [7])
    with pytest.raises(Exception, match="placeholder"):
        wire.rows(connection, [new, Read("SELECT %s", [])])
    assert not any("* 3" in sql for sql in _server_statements())
    assert fetch(new) == [(21,)] and fetch(Read("SELECT %s::int", [7])) == [(7,)]


def test_a_wrapper_refusing_a_statement_leaves_the_cache_as_it_was(customer):
    def refuse(execute, sql, params, many, context):
        if "* 5" in sql:
            raise PermissionError("not this one")
        return execute(sql, params, many, context)

    first = Read("SELECT %s::int * 4", [2])
    with pytest.raises(PermissionError), connection.execute_wrapper(refuse):
        fetch_all([first, Read("SELECT %s::int * 5", [2])])
    assert fetch_all([first, _NAME.read(pk=customer.pk)]) == [[(8,)], ["甲"]]


@pytest.mark.django_db(transaction=True)
def test_a_transactions_first_statement_begins_it_as_psycopg_does(office):
    """In an atomic block nothing has run yet: the reads are preceded by psycopg's BEGIN — what follows is in the
    same transaction (a row written after them is rolled back with it)."""
    from psycopg import pq  # noqa: PLC0415

    sent = []
    real = wire._psycopg()["pipeline_communicate"]
    wire._psycopg()["pipeline_communicate"] = lambda pgconn, commands: sent.append(1) or real(pgconn, commands)
    try:
        with transaction.atomic():
            assert connection.connection.pgconn.transaction_status == pq.TransactionStatus.IDLE
            assert fetch(Read("SELECT %s::int", [1])) == [(1,)]
            assert sent == [1]  # through libpq directly, not declined
            assert connection.connection.pgconn.transaction_status == pq.TransactionStatus.INTRANS
            CustomerFactory(office=office, name="丁")
            transaction.set_rollback(True)
    finally:
        wire._psycopg()["pipeline_communicate"] = real
    assert not Customer.objects.filter(name="丁").exists()


def test_where_psycopgs_parts_are_missing_the_cursors_answer(customer, monkeypatch):
    monkeypatch.setattr(wire, "_psycopg", lambda: None)
    assert wire.rows(connection, [_NAME.read(pk=customer.pk)]) is None
    assert fetch(_NAME.read(pk=customer.pk)) == ["甲"]
    assert fetch_all([_NAME.read(pk=customer.pk), _BILLS.read(customer=customer.pk).then(len)]) == [["甲"], 3]


def test_a_closed_connection_is_not_kept_alive_by_its_transformer():
    """The transformer refers to its connection: kept on the connection, both go when Django closes it (a weak map
    from connection to transformer kept every connection Django ever closed)."""
    import gc  # noqa: PLC0415
    import weakref  # noqa: PLC0415

    other = connections.create_connection("default")
    try:
        assert wire.rows(other, [Read("SELECT %s::int", [5])]) == [[(5,)]]
        gone = weakref.ref(other.connection)
        assert getattr(other.connection, wire._TRANSFORMER) is not None
    finally:
        other.close()
    gc.collect()
    assert gone() is None
