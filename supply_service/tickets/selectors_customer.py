"""One customer's tickets for the customer page and the kiosk, cheaply: open ones from the kernel's open-work table
(indexed by customer), closed ones — only when fewer than `limit` are open — from one small UNION without clock
subqueries (a closed ticket has no running clock). Two queries at most, whatever the number of tickets."""

from django.db.models import DateTimeField, Value
from django.db.models.functions import Coalesce

from supply_service.core.models import OpenWork
from supply_service.core.selectors_work import FAR
from supply_service.tickets.models import FINAL_STATES, TICKET_KINDS

ROW_FIELDS = ["kind", "pk", "number", "state", "created_at", "due", "breached"]


def tickets_open_for_customer(*, customer_id: int, limit: int = 20, exclude_kinds: tuple[str, ...] = ()) -> list[dict]:
    """The customer's open tickets (soonest due first, then newest) as rows; one query on the open-work table."""
    keys = [key for key in TICKET_KINDS if key not in exclude_kinds]
    rows = (
        OpenWork.objects.filter(customer_id=customer_id, kind__in=keys)
        .annotate(due_sort=Coalesce("due_at", Value(FAR, output_field=DateTimeField())))
        .order_by("due_sort", "-created_at", "pk")
        .values_list("kind", "object_id", "number", "state", "created_at", "due_at", "breached")[:limit]
    )
    return [dict(zip(ROW_FIELDS, row, strict=True)) for row in rows]


def tickets_closed_for_customer(*, customer_id: int, limit: int) -> list[dict]:
    """The customer's closed or cancelled tickets of every kind, newest first; one UNION of plain queries."""
    if limit <= 0:
        return []
    parts = [
        model.objects.filter(customer_id=customer_id, state__in=FINAL_STATES)
        .annotate(kind=Value(key)).order_by().values_list("kind", "pk", "number", "state", "created_at")
        for key, model in TICKET_KINDS.items()
    ]
    union = parts[0].union(*parts[1:], all=True).order_by("-created_at")[:limit]
    return [dict(zip(ROW_FIELDS, (*row, None, False), strict=True)) for row in union]


def tickets_for_customer(*, customer, limit: int = 20) -> list[dict]:
    """The customer's tickets of every kind, open ones first (soonest due), then closed ones (newest): at most
    `limit` rows, two queries at most."""
    rows = tickets_open_for_customer(customer_id=customer.pk, limit=limit)
    return rows + tickets_closed_for_customer(customer_id=customer.pk, limit=limit - len(rows))
