"""One customer's tickets for the customer page and the kiosk, cheaply: open ones from the kernel's open-work table
(indexed by customer), closed ones — only when fewer than `limit` are open — from one small UNION without clock
subqueries (a closed ticket has no running clock). Two queries at most, whatever the number of tickets."""

import functools
from datetime import UTC, datetime

from django.db import connection
from django.db.models import IntegerField
from django.utils import timezone

from supply_service.core.models import OpenWork
from supply_service.core.prepared import Bind, prepared
from supply_service.tickets.models import FINAL_STATES, TICKET_KINDS

ROW_FIELDS = ["kind", "pk", "number", "state", "created_at", "due", "breached"]


def tickets_open_for_customer(*, customer_id: int, limit: int = 20, exclude_kinds: tuple[str, ...] = ()) -> list[dict]:
    """The customer's open tickets (soonest due first, then newest) as rows; one query on the open-work table."""
    rows = _open_for(tuple(key for key in TICKET_KINDS if key not in exclude_kinds), limit)(customer=customer_id)
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
    # Table names come from the models; every value is a parameter.
    select = "SELECT %s AS kind, id, number, state, created_at FROM {table} WHERE customer_id = %s AND state IN ({final})"
    parts = [select.format(table=connection.ops.quote_name(model._meta.db_table), final=final)
             for model in TICKET_KINDS.values()]
    return " UNION ALL ".join(parts) + " ORDER BY created_at DESC LIMIT %s"


def tickets_closed_for_customer(*, customer_id: int, limit: int) -> list[dict]:
    """The customer's closed or cancelled tickets of every kind, newest first; one query (a UNION ALL of plain
    indexed per-kind reads, no clock subqueries: a closed ticket has no running clock)."""
    if limit <= 0:
        return []
    params: list = []
    for key in TICKET_KINDS:
        params += [key, customer_id, *[str(state) for state in FINAL_STATES]]
    with connection.cursor() as cursor:
        cursor.execute(_closed_sql(), [*params, limit])
        rows = cursor.fetchall()
    created = OpenWork._meta.get_field("created_at")
    return [dict(zip(ROW_FIELDS, (kind, pk, number, state, created.to_python(_aware(at)), None, False), strict=True))
            for kind, pk, number, state, at in rows]


def _aware(value):
    """SQLite returns the timestamp as text; PostgreSQL as an aware datetime."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if timezone.is_naive(value):
        value = timezone.make_aware(value, UTC)
    return value


def tickets_for_customer(*, customer, limit: int = 20) -> list[dict]:
    """The customer's tickets of every kind, open ones first (soonest due), then closed ones (newest): at most
    `limit` rows, two queries at most."""
    rows = tickets_open_for_customer(customer_id=customer.pk, limit=limit)
    return rows + tickets_closed_for_customer(customer_id=customer.pk, limit=limit - len(rows))
