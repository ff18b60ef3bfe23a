"""Reads of tickets: one ticket by number, closed tickets found by a search (one SQL UNION over the kinds), the
actions a user may take now."""

import functools
from dataclasses import dataclass
from datetime import datetime

from django.db.models import CharField, Q, QuerySet, Value

from supply_service.core.prepared import Bind, prepared
from supply_service.core.selectors_work import row_signal  # noqa: F401  (re-exported for the list views)
from supply_service.tickets.models import FINAL_STATES, KIND_BY_PREFIX, TICKET_KINDS, RepairTicket, Ticket


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


def closed_tickets_by_identifier(*, filters: WorkFilters, kinds: list[str]) -> QuerySet | None:
    """Closed and cancelled tickets of `kinds` in the filters' scope whose number, account number or phone number
    is exactly the search text, newest first, as list rows (values of CLOSED_FIELDS) —
    one UNION, each part read through the number, account and phone indexes, so the cost follows the matches, not
    the years of closed tickets (issue 12: a fragment search read every ticket of the scope, 26 → 118 ms from
    10 000 to 1 000 000 tickets). None when nothing closed can match (an overdue filter, a state: the list offers
    open states only)."""
    text = filters.query.strip()
    if not text or filters.overdue or filters.state:
        return None
    identifier = Q(number__in=sorted({text, text.upper()})) | Q(account_number=text) | Q(customer_phone=text)
    parts = []
    for kind in ([filters.kind] if filters.kind else kinds):
        qs = TICKET_KINDS[kind].objects.filter(identifier, state__in=list(FINAL_STATES))
        if filters.owner is not None:
            qs = qs.filter(owner=filters.owner)
        if filters.office is not None:
            qs = qs.filter(office=filters.office)
        if filters.customer is not None:
            qs = qs.filter(customer=filters.customer)
        if filters.channel:
            qs = qs.filter(channel=filters.channel)
        parts.append(qs.annotate(kind=Value(kind)).order_by().values(*CLOSED_FIELDS))
    if not parts:
        return None
    union = parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]
    return union.order_by("-created_at", "-pk")


# What a closed ticket's row reads (the list's other fields are those of an item without a running clock).
CLOSED_FIELDS = [
    "kind", "pk", "number", "state", "channel", "office__name", "customer_name", "account_number", "customer_phone",
    "created_at", "owner__username", "owner__first_name", "owner__last_name",
]


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
