"""Reads of the open-work table: the work lists and home pages of every role, over every registered kind.

A constant number of queries whatever the number of items, kinds or closed items: the table holds open work only,
indexed by office/owner/assignee and due time."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import BooleanField, Case, Count, Q, QuerySet, Value, When
from django.utils import timezone

from supply_service.core.models import Chase, OpenWork
from supply_service.core.registry import kind_for_key, kinds

AMBER_FRACTION = 0.25


@dataclass(frozen=True)
class WorkQuery:
    """What a work list shows. `kinds`: the kinds the user may view (None: all); `waiting_for`: a user — items in a
    state where that user's role may act (the "waiting for my role" queue), limited to `office`."""

    office: object = None
    owner: object = None
    kinds: tuple[str, ...] | None = None
    kind: str = ""
    state: str = ""
    channel: str = ""
    overdue: bool = False
    query: str = ""
    customer_id: int | None = None
    waiting_for: object = None


def actionable_states_by_kind(*, user, keys=None) -> dict[str, list[str]]:
    """For each registered kind (of `keys`), the states where `user` may act — from the machines and permissions."""
    result = {}
    for kind in kinds():
        if keys is not None and kind.key not in keys:
            continue
        states = kind.actionable_states(user)
        if states:
            result[kind.key] = states
    return result


def _waiting_q(user, keys) -> Q:
    """Items in a state where the user's role may act; an item assigned to someone else (a crew) is theirs."""
    states = actionable_states_by_kind(user=user, keys=keys)
    if not states:
        return Q(pk__in=[])
    by_state = Q()
    for key, wanted in states.items():
        by_state |= Q(kind=key, state__in=wanted)
    return by_state & (Q(assignee__isnull=True) | Q(assignee=user))


def openwork_list(*, query: WorkQuery, now: datetime | None = None) -> QuerySet:
    """Open work as list rows (dicts), soonest due first, then newest. One query (plus the paginator's count)."""
    now = now or timezone.now()
    qs = OpenWork.objects.all()
    if query.kinds is not None and set(query.kinds) != {kind.key for kind in kinds()}:
        qs = qs.filter(kind__in=list(query.kinds))  # only when some kind is hidden: keeps the due-order index usable
    if query.office is not None:
        qs = qs.filter(office=query.office)
    if query.owner is not None:
        qs = qs.filter(Q(owner=query.owner) | Q(assignee=query.owner))
    if query.waiting_for is not None:
        qs = qs.filter(_waiting_q(query.waiting_for, query.kinds))
    if query.customer_id is not None:
        qs = qs.filter(customer_id=query.customer_id)
    if query.kind:
        qs = qs.filter(kind=query.kind)
    if query.state:
        qs = qs.filter(state=query.state)
    if query.channel:
        qs = qs.filter(channel=query.channel)
    if query.overdue:
        qs = qs.filter(Q(breached=True) | Q(due_at__lt=now))
    if query.query:
        text = query.query.strip()
        qs = qs.filter(Q(number__iexact=text) | Q(account_number=text) | Q(customer_phone__contains=text)
                       | Q(customer_name__icontains=text))
    return _as_list(qs, now)


def _as_list(qs: QuerySet, now: datetime) -> QuerySet:
    """Open-work rows as the lists show them: owner and office joined, late flag, soonest due first, then newest."""
    return (
        qs.select_related("office", "owner")
        .annotate(
            late=Case(When(Q(breached=True) | Q(due_at__lt=now), then=Value(True)), default=Value(False),
                      output_field=BooleanField()),
        )
        .order_by("due_sort", "-created_at", "pk")  # due_sort: indexed with office, owner and assignee
    )


def openwork_row(work: OpenWork) -> dict:
    """A row of `openwork_list` as the list templates read it."""
    owner = work.owner
    return {
        "kind": work.kind, "pk": work.object_id, "number": work.number, "state": work.state,
        "channel": work.channel, "office__name": work.office.name, "customer_name": work.customer_name,
        "account_number": work.account_number, "customer_phone": work.customer_phone,
        "created_at": work.created_at, "owner__username": owner.username if owner else "",
        "owner__first_name": owner.first_name if owner else "", "owner__last_name": owner.last_name if owner else "",
        "due": work.due_at, "clock_started": work.clock_started_at, "amber_at": work.amber_at,
        "breached": getattr(work, "late", work.breached), "paused": work.paused,
    }


def row_signal(row: dict, *, now: datetime | None = None) -> str:
    """green / amber (a quarter of the time left) / red (overdue) / grey (no running clock) for a list row."""
    now = now or timezone.now()
    if row["breached"]:
        return "red"
    due, started = row["due"], row["clock_started"]
    if due is None or started is None:
        return "grey"
    total = (due - started).total_seconds()
    if total > 0 and (due - now).total_seconds() / total < AMBER_FRACTION:
        return "amber"
    return "green"


def openwork_home(*, user, now: datetime | None = None, limit: int = 25) -> dict:
    """What waits for `user` now — owned by or assigned to them, or in a state where their role may act in their
    office — soonest due first, with counts per kind; for managers (who chase) the office's overdue and amber items
    and the chases outstanding. A constant number of queries."""
    now = now or timezone.now()
    keys = [kind.key for kind in kinds() if user.has_perm(
        f"{kind.model._meta.app_label}.view_{kind.model._meta.model_name}")]
    mine = Q(owner=user) | Q(assignee=user)
    if user.office_id is not None:
        mine |= Q(office_id=user.office_id) & _waiting_q(user, keys)
    base = OpenWork.objects.filter(kind__in=keys).filter(mine)  # the filter is built once, for rows and counts
    rows = [openwork_row(w) for w in _as_list(base, now)[:limit]]
    counts = dict(base.values("kind").annotate(n=Count("pk")).values_list("kind", "n"))
    result = {
        "rows": rows,
        "total": sum(counts.values()),
        "counts": [{"kind": key, "label": kind_for_key(key).display_label, "count": counts[key]}
                   for key in keys if counts.get(key)],
        "office": None,
    }
    if user.office_id is not None and _may_chase(user):
        result["office"] = _office_summary(office_id=user.office_id, keys=keys, now=now)
    return result


def _may_chase(user) -> bool:
    return user.has_perm("core.view_chase") and any(
        user.has_perm(f"{k.model._meta.app_label}.chase_{k.model._meta.model_name}") for k in kinds())


def _office_summary(*, office_id, keys, now) -> dict:
    """Overdue and amber items of the office, and chases outstanding (on items still open)."""
    office = OpenWork.objects.filter(office_id=office_id, kind__in=keys)
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
