"""Reads of the open-work table: the work lists and home pages of every role, over every registered kind.

A constant number of queries whatever the number of items, kinds or closed items: the table holds open work only,
indexed by office/owner/assignee and due time."""

from dataclasses import dataclass
from datetime import datetime
from functools import reduce
from operator import or_

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from supply_service.core.models import Chase, Office, OpenWork
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
    viewer: object = None  # the user reading the list: rows the item's kind hides from them are left out


def visible_q(user) -> Q:
    """The rows of the open-work table `user` may see beyond the kinds' view permissions: not hidden from them (the
    staff member a complaint is about) and, where an item needs an extra permission (a whistleblowing report), only
    with it. Built from the user's permission cache: no query."""
    if user is None:
        return Q()
    granted = sorted(user.get_all_permissions())
    return ~Q(hidden_from_id=user.pk) & (Q(view_permission="") | Q(view_permission__in=granted))


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


def openwork_list(*, query: WorkQuery, now: datetime | None = None) -> "OpenWorkRows":
    """Open work as list rows (values of `ROW_VALUES`; `openwork_row` names them), soonest due first, then newest.
    One query (plus the paginator's count)."""
    now = now or timezone.now()
    qs = OpenWork.objects.filter(visible_q(query.viewer))
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


DUE_ORDER = ("due_sort", "-created_at", "pk")  # soonest due, then newest: the open-work indexes' order

# The row as the list templates read it: key in the row -> field of `_as_list`'s values.
ROW_VALUES = {
    "kind": "kind", "pk": "object_id", "number": "number", "state": "state", "channel": "channel",
    "office__name": "office_name", "customer_name": "customer_name", "account_number": "account_number",
    "customer_phone": "customer_phone", "created_at": "created_at", "owner__username": "owner__username",
    "owner__first_name": "owner__first_name", "owner__last_name": "owner__last_name", "due": "due_at",
    "clock_started": "clock_started_at", "amber_at": "amber_at", "breached": "breached", "paused": "paused",
}


class OpenWorkRows:
    """`openwork_list`'s answer: sliced, the rows (plain values, no model built, as `openwork_row` names them);
    `count()` counts the filtered table alone, without the joins of the rows (the paginator's COUNT stays an index
    count). Soonest due first, then newest: the order of the (office|owner|assignee, due_sort, -created_at, id)
    indexes, so a page is an index walk, not a sort of the office's open work."""

    ordered = True

    def __init__(self, filtered: QuerySet, now: datetime):
        self._filtered = filtered
        self._now = now
        # The office's name by a scalar subquery, not a join: joined, SQLite scans the offices first and sorts every
        # open row of the office instead of walking the office's or the owner's index.
        office_name = Subquery(Office.objects.filter(pk=OuterRef("office_id")).values("name")[:1])
        self._rows = (filtered.annotate(office_name=office_name).order_by(*DUE_ORDER)
                      .values(*ROW_VALUES.values()))

    def count(self) -> int:
        return self._filtered.count()

    def __getitem__(self, key):
        if isinstance(key, slice):
            return [openwork_row(values, now=self._now) for values in self._rows[key]]
        return openwork_row(self._rows[key], now=self._now)

    def __len__(self) -> int:
        return self.count()

    def __iter__(self):
        return (openwork_row(values, now=self._now) for values in self._rows)


def _as_list(qs: QuerySet, now: datetime) -> OpenWorkRows:
    return OpenWorkRows(qs, now)


def openwork_row(values: dict, *, now: datetime) -> dict:
    """A row of `openwork_list` (its values) as the list templates read it; late: breached or past due."""
    row = {key: values[field] for key, field in ROW_VALUES.items()}
    for name in ("owner__username", "owner__first_name", "owner__last_name"):
        row[name] = row[name] or ""
    row["breached"] = row["breached"] or (row["due"] is not None and row["due"] < now)
    return row


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
    result = {
        "rows": rows,
        "total": sum(counts.values()),
        "counts": [{"kind": key, "label": kind_for_key(key).display_label, "count": counts[key]}
                   for key in keys if counts.get(key)],
        "office": None,
    }
    if user.office_id is not None and _may_chase(user):
        result["office"] = _office_summary(office_id=user.office_id, keys=keys, now=now, seen=seen)
    return result


def _may_chase(user) -> bool:
    return user.has_perm("core.view_chase") and any(
        user.has_perm(f"{k.model._meta.app_label}.chase_{k.model._meta.model_name}") for k in kinds())


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
