"""Reads of tickets: one ticket by number, the work list across every kind (one SQL UNION), the actions a user
may take now."""

import functools
from dataclasses import dataclass
from datetime import datetime

from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, DateTimeField, Exists, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from supply_service.core.models import SlaClock
from supply_service.core.prepared import Bind, prepared
from supply_service.core.selectors_work import row_signal  # noqa: F401  (re-exported for the list views)
from supply_service.tickets.models import FINAL_STATES, KIND_BY_PREFIX, TICKET_KINDS, RepairTicket, Ticket

LIST_FIELDS = [
    "kind", "pk", "number", "state", "channel", "office__name", "customer_name", "account_number", "customer_phone",
    "created_at", "owner__username", "owner__first_name", "owner__last_name", "due", "clock_started", "breached",
    "due_sort",
]


def ticket_get(*, number: str) -> Ticket:
    """A ticket by its number (the prefix names the kind). Raises <Model>.DoesNotExist / LookupError."""
    model = KIND_BY_PREFIX.get(number.split("-", 1)[0].upper())
    if model is None:
        raise LookupError(number)
    found = _by_number(model)(number=number.upper())
    if not found:
        raise model.DoesNotExist(number)
    return found[0]


@functools.cache
def _by_number(model):
    """One kind's ticket by number with the people and places its page shows (compiled once: core.prepared)."""
    related = ["office", "customer", "owner", "first_responder"]
    if model is RepairTicket:
        related.append("crew")
    return prepared(lambda: model.objects.select_related(*related).filter(number=Bind("number", CharField()))[:2])


def _open_clocks(content_type) -> QuerySet[SlaClock]:
    return SlaClock.objects.filter(
        content_type=content_type, object_id=OuterRef("pk"), stopped_at__isnull=True,
    ).exclude(state=SlaClock.State.WAIVED)


@dataclass(frozen=True)
class WorkFilters:
    owner: object = None
    office: object = None
    kind: str = ""
    state: str = ""
    channel: str = ""
    overdue: bool = False
    include_closed: bool = False
    query: str = ""
    customer: object = None
    states_by_kind: dict | None = None  # only these states of these kinds (the "waiting for me" queue)


def ticket_work_list(*, filters: WorkFilters, now: datetime | None = None) -> QuerySet:
    """Tickets of every kind as rows (dicts), soonest due first, in one UNION query."""
    now = now or timezone.now()
    far = datetime(9999, 12, 31, tzinfo=now.tzinfo)
    parts = []
    kinds = [filters.kind] if filters.kind in TICKET_KINDS else list(TICKET_KINDS)
    if filters.states_by_kind is not None:
        kinds = [kind for kind in kinds if filters.states_by_kind.get(kind)] or kinds[:1]
    content_types = ContentType.objects.get_for_models(*TICKET_KINDS.values())  # one query at most, then cached
    for kind in kinds:
        model = TICKET_KINDS[kind]
        clocks = _open_clocks(content_types[model]).order_by("due_at")
        qs = model.objects.all()
        if filters.owner is not None:
            qs = qs.filter(owner=filters.owner)
        if filters.office is not None:
            qs = qs.filter(office=filters.office)
        if filters.customer is not None:
            qs = qs.filter(customer=filters.customer)
        if filters.state:
            qs = qs.filter(state=filters.state)
        if filters.states_by_kind is not None:
            qs = qs.filter(state__in=filters.states_by_kind.get(kind, []))
        if filters.channel:
            qs = qs.filter(channel=filters.channel)
        if not filters.include_closed:
            qs = qs.exclude(state__in=FINAL_STATES)
        if filters.query:
            text = filters.query.strip()
            qs = qs.filter(
                Q(number__iexact=text) | Q(account_number=text) | Q(customer_phone__contains=text)
                | Q(customer_name__icontains=text)
            )
        qs = qs.annotate(
            kind=Value(kind),
            due=Subquery(clocks.values("due_at")[:1], output_field=DateTimeField()),
            clock_started=Subquery(clocks.values("started_at")[:1], output_field=DateTimeField()),
            breached=Exists(_open_clocks(content_types[model]).filter(Q(state=SlaClock.State.BREACHED) | Q(due_at__lt=now))),
        ).annotate(due_sort=Coalesce("due", Value(far, output_field=DateTimeField())))
        if filters.overdue:
            qs = qs.filter(breached=True)
        parts.append(qs.order_by().values(*LIST_FIELDS))
    union = parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]
    return union.order_by("due_sort", "-created_at")


@dataclass(frozen=True)
class Action:
    name: str
    label: str
    form: str
    style: str


def ticket_actions_for(*, ticket: Ticket, user) -> list[Action]:
    """The transitions this user may take now, in the machine's declared order (without the callback ones,
    which the callback panel offers)."""
    order = {name: index for index, name in enumerate(type(ticket).__dict__)}
    actions = [
        Action(t.name, str(t.custom.get("label", t.name)), t.custom.get("form", ""), t.custom.get("style", ""))
        for t in ticket.get_available_user_state_transitions(user)
        if t.name not in ("call_back", "reopen") and not t.custom.get("system")
    ]
    return sorted(actions, key=lambda a: (a.name == "cancel", order.get(a.name, 99), a.name))


def tickets_for_customer(*, customer, limit: int = 20) -> list[dict]:
    """The customer's tickets of every kind, open ones first (for the customer page and the kiosk): open ones from
    the open-work table, closed ones from one small UNION — see `selectors_customer` (two queries at most)."""
    from supply_service.tickets.selectors_customer import tickets_for_customer as from_open_work

    return from_open_work(customer=customer, limit=limit)


def repairs_linked_to_outage(*, notice_number: str) -> QuerySet:
    """Repair calls linked to an outage notice, oldest first (the notice page's panel)."""
    return RepairTicket.objects.filter(outage_ref=notice_number).order_by("created_at", "pk")


def ticket_callback_rate(*, office=None, start: datetime | None = None, end: datetime | None = None):
    """Callback rate (S13.5) over every kind, against its target (the `callback_rate` commitment): tickets resolved
    in [start, end) — of an office, if given — that needed a callback (see `core.selectors.callback_rate`), and of
    those the ones whose customer was reached. One aggregate query per kind and one for the target."""
    from supply_service.core.selectors import RateVsTarget, callback_rate, commitment_target

    met = missed = 0
    for model in TICKET_KINDS.values():
        items = model.objects.filter(resolved_at__isnull=False)
        if office is not None:
            items = items.filter(office=office)
        if start is not None:
            items = items.filter(resolved_at__gte=start)
        if end is not None:
            items = items.filter(resolved_at__lt=end)
        rate = callback_rate(items=items)
        met, missed = met + rate.met, missed + rate.breached
    return RateVsTarget(met=met, total=met + missed, target=commitment_target(code="callback_rate"))


QUEUE_SKIPPED = {"cancel", "reopen", "call_back"}  # open to many roles at any time: not a sign that work waits


def actionable_states(*, user) -> dict[str, list[str]]:
    """For each kind, the states in which this user may take a step (from the machines and the user's permissions):
    the "waiting for me" queue of dispatchers, crews, agents … No query beyond the user's permission cache."""
    result: dict[str, list[str]] = {}
    for kind, model in TICKET_KINDS.items():
        probe = model()
        states: set[str] = set()
        for transition in model._meta.get_field("state").get_all_transitions(model):
            if transition.name in QUEUE_SKIPPED or transition.custom.get("system"):
                continue
            permission = transition.permission
            allowed = permission(probe, user) if callable(permission) else (not permission or user.has_perm(permission))
            if allowed:
                states.add(transition.source)
        if states:
            result[kind] = sorted(states)
    return result
