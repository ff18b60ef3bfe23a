"""One customer's tickets for the customer page and the kiosk, cheaply: open ones from the kernel's open-work table
(indexed by customer), closed ones from one small UNION without clock subqueries (a closed ticket has no running
clock). One statement for both (the customer page), one for the open ones alone (the kiosk), whatever the number of
tickets."""

import functools
import re
from datetime import UTC, datetime

from django.db import connection
from django.db.models import IntegerField
from django.utils import timezone

from supply_service.core.models import OpenWork
from supply_service.core.prepared import Bind, Read, fetch, prepared
from supply_service.tickets.models import FINAL_STATES, TICKET_KINDS

ROW_FIELDS = ["kind", "pk", "number", "state", "created_at", "due", "breached"]


def tickets_open_for_customer(*, customer_id: int, limit: int = 20, exclude_kinds: tuple[str, ...] = ()) -> list[dict]:
    """The customer's open tickets (soonest due first, then newest) as rows; one query on the open-work table."""
    return fetch(tickets_open_for_customer_read(customer_id=customer_id, limit=limit, exclude_kinds=exclude_kinds))


def tickets_open_for_customer_read(*, customer_id: int, limit: int = 20, exclude_kinds: tuple[str, ...] = ()) -> Read:
    return _open_for(tuple(key for key in TICKET_KINDS if key not in exclude_kinds), limit).read(
        customer=customer_id).then(_open_rows)


def _open_rows(rows) -> list[dict]:
    return [dict(zip(ROW_FIELDS, row, strict=True)) for row in rows]


@functools.cache
def _open_for(keys: tuple[str, ...], limit: int):
    """The statement for one set of kinds and one limit, compiled once per process (core.prepared)."""
    return prepared(lambda: OpenWork.objects.filter(customer_id=Bind("customer", IntegerField()), kind__in=keys)
                    .order_by("due_sort", "-created_at", "pk")
                    .values_list("kind", "object_id", "number", "state", "created_at", "due_at", "breached")[:limit])


@functools.cache
def _closed_sql() -> str:
    """One UNION ALL over every kind's table (the same WorkItem columns), written once per process: building and
    compiling five ORM querysets per page view cost more than running them."""
    final = ", ".join(["%s"] * len(FINAL_STATES))
    # Table names come from the models, each kind's key (a registry key, [a-z_]) is written as a literal (a bound
    # value in the select list has no type for a prepared statement); every other value is a parameter.
    select = ("SELECT '{kind}' AS kind, id, number, state, created_at FROM {table} "
              "WHERE customer_id = %s AND state IN ({final})")
    parts = []
    for key, model in TICKET_KINDS.items():
        if not re.fullmatch(r"[a-z_]+", key):
            raise ValueError(f"ticket kind {key!r}: a registry key is [a-z_]")
        parts.append(select.format(kind=key, table=connection.ops.quote_name(model._meta.db_table), final=final))
    return " UNION ALL ".join(parts) + " ORDER BY created_at DESC LIMIT %s"


def _aware(value):
    """SQLite returns the timestamp as text; PostgreSQL as an aware datetime."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if timezone.is_naive(value):
        value = timezone.make_aware(value, UTC)
    return value


def tickets_for_customer(*, customer, limit: int = 20) -> list[dict]:
    """The customer's tickets of every kind, open ones first (soonest due, newest), then closed ones (newest): at
    most `limit` rows, in one statement — the open-work table's rows and the closed UNION under one ORDER BY (on
    PostgreSQL a round trip costs as much as either read)."""
    return fetch(tickets_for_customer_read(customer=customer, limit=limit)) if limit > 0 else []


def tickets_for_customer_read(*, customer, limit: int = 20) -> Read:
    """`tickets_for_customer` as a read to send with a page's others (`core.together`; prepared on PostgreSQL:
    every parameter is compared with a column or is a LIMIT); `limit` > 0."""
    params: list = [customer.pk, *TICKET_KINDS, limit]
    for _key in TICKET_KINDS:
        params += [customer.pk, *[str(state) for state in FINAL_STATES]]
    return Read(_all_sql(), [*params, limit, limit], _ticket_rows)


def _ticket_rows(rows) -> list[dict]:
    return [dict(zip(ROW_FIELDS, (kind, pk, number, state, _aware(created), _aware(due) if due is not None else None,
                                  bool(breached)), strict=True))
            for _group, kind, pk, number, state, created, due, breached, _sort, _id in rows]


@functools.cache
def _all_sql() -> str:
    """The customer's open tickets (as `tickets_open_for_customer` reads them) and closed ones (`_closed_sql`) in one
    statement, written once per process."""
    meta, q = OpenWork._meta, connection.ops.quote_name

    def col(name: str) -> str:
        return q(meta.get_field(name).column)

    kinds = ", ".join(["%s"] * len(TICKET_KINDS))
    open_part = (
        f"SELECT 0 AS grp, {col('kind')} AS kind, {col('object_id')} AS pk, {col('number')} AS number, "  # noqa: S608
        f"{col('state')} AS state, {col('created_at')} AS created_at, {col('due_at')} AS due, "
        f"{col('breached')} AS breached, {col('due_sort')} AS sort_due, {col('id')} AS row_id "
        f"FROM {q(meta.db_table)} WHERE {col('customer_id')} = %s AND {col('kind')} IN ({kinds}) "
        f"ORDER BY {col('due_sort')}, {col('created_at')} DESC, {col('id')} LIMIT %s")
    closed_part = ("SELECT 1, closed.kind, closed.id, closed.number, closed.state, closed.created_at, "  # noqa: S608
                   f"NULL, NULL, NULL, NULL FROM ({_closed_sql()}) closed")
    return (f"SELECT * FROM ({open_part}) open_rows UNION ALL {closed_part} "  # noqa: S608
            "ORDER BY grp, sort_due, created_at DESC, row_id LIMIT %s")
