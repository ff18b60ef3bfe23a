"""`core.together`: a page's independent reads sent together give exactly what each read gives alone — on SQLite
(one after the other) and on PostgreSQL (in one pipeline: one round trip), every statement counted and logged as
Django logs queries and passed through its execute wrappers; a part may read again after its first answer; a
failing statement raises Django's error and leaves the connection usable; DATABASE_PIPELINE=0 sends them one by
one. The same SELECT asked twice in a round runs once; a write is never merged."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import DatabaseError, connection, transaction
from django.db.models import IntegerField
from django.test.utils import CaptureQueriesContext

from supply_service.core import together
from supply_service.core.prepared import Bind, Read, prepared
from supply_service.core.together import fetch, fetch_all, gather, pipelining, run
from supply_service.customers.models import Bill, Customer
from tests.factories.customers import BillFactory, CustomerFactory

pytestmark = pytest.mark.django_db

_BILLS = prepared(lambda: Bill.objects.filter(customer_id=Bind("customer", IntegerField()))
                  .order_by("-period").values_list("period", "amount"))
_NAME = prepared(lambda: Customer.objects.filter(pk=Bind("pk", IntegerField())).values_list("name", flat=True))


@pytest.fixture
def two(office):
    first, second = CustomerFactory(office=office, name="甲"), CustomerFactory(office=office, name="乙")
    for month in (1, 2, 3):
        BillFactory(customer=first, period=date(2026, month, 1), amount=Decimal(f"1{month}.50"))
    BillFactory(customer=second, period=date(2026, 5, 1), amount=Decimal("99.00"))
    return first, second


def _bills_then_name(customer):
    """A part of two rounds: the name is read after the bills came back (as a dependent read would be)."""
    bills = yield _BILLS.read(customer=customer.pk)
    name, again = yield (_NAME.read(pk=customer.pk), None)
    assert again is None
    return {"bills": bills, "name": name[0]}


def _spy(monkeypatch) -> list:
    batches = []
    real = together._pipelined
    monkeypatch.setattr(together, "_pipelined", lambda connection, reads: batches.append(len(reads)) or real(
        connection, reads))
    return batches


def test_gathered_reads_answer_what_each_read_answers_alone(two, monkeypatch):
    first, second = two
    alone = {"a": _BILLS(customer=first.pk), "b": _BILLS(customer=second.pk), "n": _NAME(pk=second.pk)}
    assert alone["a"] == [(date(2026, 3, 1), Decimal("13.50")), (date(2026, 2, 1), Decimal("12.50")),
                          (date(2026, 1, 1), Decimal("11.50"))]
    batches = _spy(monkeypatch)
    statements = []

    def wrapper(execute, sql, params, many, context):
        statements.append(sql)
        return execute(sql, params, many, context)

    with CaptureQueriesContext(connection) as captured, connection.execute_wrapper(wrapper):
        found = gather({"a": _BILLS.read(customer=first.pk), "b": _BILLS.read(customer=second.pk).then(len),
                        "n": _NAME.read(pk=second.pk), "known": 42, "both": _bills_then_name(first)})
    assert found == {"a": alone["a"], "b": 1, "n": alone["n"], "known": 42,
                     "both": {"bills": alone["a"], "name": "甲"}}
    assert list(found) == ["a", "b", "n", "known", "both"]  # in the order asked
    # "a" and "both" first ask for the same bills: one statement, each making its own result of the rows
    assert len(captured) == 4 and len(statements) == 4  # every statement counted, logged and wrapped
    assert all(query["sql"] for query in captured.captured_queries)
    assert sum('"customers_bill"' in query["sql"] for query in captured.captured_queries) == 2
    if connection.vendor == "postgresql":
        assert pipelining(connection)
        assert batches == [3]  # the first round in one pipeline; the second round's single read alone
    else:
        assert batches == []  # no round trip to save: one after the other


def test_run_fetch_and_a_statement_without_rows(two):
    first, _second = two
    assert run(_bills_then_name(first)) == {"bills": _BILLS(customer=first.pk), "name": "甲"}
    assert run(7) == 7 and run(_NAME.read(pk=first.pk)) == ["甲"]
    table = connection.ops.quote_name(Customer._meta.db_table)
    column = connection.ops.quote_name("name")
    update = Read(f"UPDATE {table} SET {column} = %s WHERE id = %s", ["丁", first.pk])  # noqa: S608  (test)
    assert fetch_all([update, _NAME.read(pk=first.pk)]) == [None, ["丁"]]  # written, then read, in order
    assert fetch(_NAME.read(pk=first.pk).then(lambda names: names[0] * 2)) == "丁丁"


def test_the_same_write_twice_runs_twice(two):
    first, _second = two
    table = connection.ops.quote_name(Customer._meta.db_table)
    column = connection.ops.quote_name("name")
    append = Read(f"UPDATE {table} SET {column} = {column} || %s WHERE id = %s", ["!", first.pk])  # noqa: S608
    assert fetch_all([append, append, _NAME.read(pk=first.pk), _NAME.read(pk=first.pk).then(len)]) == [
        None, None, ["甲!!"], 1]


def test_a_part_yielding_something_else_is_refused(two):
    def wrong():
        yield "SELECT 1"

    with pytest.raises(TypeError, match="a Read or a tuple of Reads"):
        gather({"x": wrong()})


def test_a_failing_statement_raises_the_database_error_and_the_connection_goes_on(two):
    first, _second = two
    bad = Read("SELECT no_such_column FROM " + connection.ops.quote_name(Customer._meta.db_table), [])
    with pytest.raises(DatabaseError), transaction.atomic():
        fetch_all([_NAME.read(pk=first.pk), bad])
    assert fetch_all([_NAME.read(pk=first.pk), _BILLS.read(customer=first.pk).then(len)]) == [["甲"], 3]


def test_pipeline_off_sends_them_one_by_one(two, monkeypatch):
    first, second = two
    batches = _spy(monkeypatch)
    monkeypatch.setitem(connection.settings_dict, "PIPELINE_READS", False)
    assert not pipelining(connection)
    cursors = []
    real = together.hot_cursor
    monkeypatch.setattr(together, "hot_cursor", lambda connection: cursors.append(1) or real(connection))
    assert fetch_all([_NAME.read(pk=first.pk), _NAME.read(pk=second.pk), _BILLS.read(customer=second.pk).then(len)]) \
        == [["甲"], ["乙"], 1]
    assert batches == [] and cursors == [1]  # one after the other, through one cursor


@pytest.mark.postgresql
def test_on_postgresql_a_round_of_reads_is_one_round_trip(two, monkeypatch):
    """The statements of a round reach the server before the first answer is read — through libpq directly
    (`core.wire`: one pipeline, one sync) and, where that way declines, through psycopg's cursors in pipeline mode
    (the pipeline open while each is sent) — and the answers come back in order."""
    from supply_service.core import wire  # noqa: PLC0415

    first, second = two
    reads = [_NAME.read(pk=first.pk), _NAME.read(pk=second.pk), _BILLS.read(customer=second.pk)]
    expected = [["甲"], ["乙"], [(date(2026, 5, 1), Decimal("99.00"))]]
    sent = []
    real = wire._psycopg()["pipeline_communicate"]
    monkeypatch.setitem(wire._psycopg(), "pipeline_communicate",
                        lambda pgconn, commands: sent.append(len(commands)) or real(pgconn, commands))
    assert fetch_all(reads) == expected
    assert len(sent) == 1 and sent[0] >= 4  # one pipeline: three statements (and their preparing), one sync
    assert connection.connection.pgconn.pipeline_status == 0  # and the pipeline closed after

    monkeypatch.setattr(wire, "_psycopg", lambda: None)  # the way declines: psycopg's cursors
    raw = None
    seen = []

    def wrapper(execute, sql, params, many, context):
        nonlocal raw
        raw = connection.connection
        seen.append(raw.pgconn.pipeline_status)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(wrapper):
        assert fetch_all(reads) == expected
    assert len(seen) == 3 and all(status != 0 for status in seen)  # sent in pipeline mode (0: off)
    assert raw.pgconn.pipeline_status == 0
