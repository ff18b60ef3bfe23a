"""Reads the workbench pages need on top of `selectors.py`: the kinds a user may see, the work list limited to
them, the people a ticket can go to, and the history timeline with what changed in each step."""

from datetime import datetime

from django.contrib.auth import get_user_model
from django.db import models
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from supply_service.core.access import may_act_on
from supply_service.core.history import HistoryEntry, history_timeline
from supply_service.core.models import Callback, Channel, Chase, HandOver
from supply_service.core.roles import FIELD_CREW
from supply_service.core.selectors import item_records
from supply_service.core.selectors_work import OpenWorkRows, WorkQuery, openwork_list
from supply_service.customers.models import Customer
from supply_service.customers.selectors import mask_name, mask_phone
from supply_service.tickets.models import TICKET_KINDS, State, Ticket
from supply_service.tickets.selectors import WorkFilters, closed_tickets_by_identifier, row_signal

User = get_user_model()

# --- kinds and labels ---------------------------------------------------------------------------------------------


def kinds_user_may(*, user, verb: str) -> list[str]:
    """The ticket kinds (keys of TICKET_KINDS) for which the user holds `tickets.<verb>_<model>`."""
    return [kind for kind, model in TICKET_KINDS.items() if user.has_perm(f"tickets.{verb}_{model._meta.model_name}")]


def kind_label(kind: str) -> str:
    return capfirst(str(TICKET_KINDS[kind]._meta.verbose_name))


def state_label(kind: str, state: str) -> str:
    """The state as the kind names it (a repair's `resolved` reads "Repaired")."""
    model = TICKET_KINDS.get(kind)
    if model is not None and state in model.STATE_LABELS:
        return str(model.STATE_LABELS[state])
    try:
        return str(State(state).label)
    except ValueError:
        return state


def channel_label(channel: str) -> str:
    try:
        return str(Channel(channel).label)
    except ValueError:
        return channel


# --- the work list ----------------------------------------------------------------------------------------------


def work_list_for(*, filters: WorkFilters, kinds: list[str], viewer, now: datetime | None = None,
                  waiting_for=None) -> QuerySet | OpenWorkRows:
    """The work list limited to the kinds the user may view, soonest due first. Open work comes from the kernel's
    open-work table (cost independent of closed tickets and of the number of kinds). A search (`include_closed`)
    finds open work by any fragment of number, account, phone or name, then closed tickets (newest first) by their
    exact number, account number or phone number — decision (issue 12): a fragment over years of closed tickets
    cannot be read from an index; the customer page lists all of a customer's tickets, closed too."""
    query = WorkQuery(
        office=filters.office, owner=filters.owner, kinds=tuple(kinds), kind=filters.kind, state=filters.state,
        channel=filters.channel, overdue=filters.overdue, query=filters.query,
        customer_id=getattr(filters.customer, "pk", None), waiting_for=waiting_for, viewer=viewer,
    )
    open_work = openwork_list(query=query, now=now)
    if not filters.include_closed or waiting_for is not None or not kinds:
        return open_work
    closed = closed_tickets_by_identifier(filters=filters, kinds=kinds)
    return open_work if closed is None else ChainedRows(open_work, closed)


class ChainedRows:
    """Rows of two sources one after the other for the Paginator — the open work (soonest due first), then closed
    tickets (newest first: an item without a running clock sorts after every due one) — each counted once and read
    only for the slice that falls in it."""

    ordered = True

    def __init__(self, first, second: QuerySet) -> None:
        self._first, self._second = first, second
        self._counts: tuple[int, int] | None = None

    @property
    def more(self) -> bool:
        return getattr(self._first, "more", False)

    def count(self) -> int:
        if self._counts is None:
            self._counts = (self._first.count(), self._second.count())
        return sum(self._counts)

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, key):
        if not isinstance(key, slice) or key.step not in (None, 1):
            raise TypeError("ChainedRows takes plain slices")
        self.count()
        first_count = self._counts[0]
        start, stop = key.start or 0, self.count() if key.stop is None else key.stop
        rows = list(self._first[start:min(stop, first_count)]) if start < first_count else []
        if stop > first_count and self._counts[1]:
            rows += [_closed_row(values) for values in
                     self._second[max(start - first_count, 0):stop - first_count]]
        return rows


def _closed_row(values: dict) -> dict:
    """A closed ticket as a list row (the keys of an open-work row: no clock, not late)."""
    return {**values, "owner__username": values["owner__username"] or "",
            "owner__first_name": values["owner__first_name"] or "",
            "owner__last_name": values["owner__last_name"] or "",
            "due": None, "clock_started": None, "amber_at": None, "breached": False, "paused": False}


def work_rows(rows, *, now: datetime | None = None) -> list[dict]:
    """List rows for the template: labels, masked customer, the signal (no query per row; each label translated
    once per list)."""
    now = now or timezone.now()
    labels = {}

    def label(function, *args) -> str:
        key = (function, *args)
        if key not in labels:
            labels[key] = function(*args)
        return labels[key]

    return [{
        **row,
        "kind_label": label(kind_label, row["kind"]),
        "state_label": label(state_label, row["kind"], row["state"]),
        "channel_label": label(channel_label, row["channel"]),
        "masked_name": mask_name(row["customer_name"] or ""),
        "masked_phone": mask_phone(row["customer_phone"] or ""),
        "signal": row_signal(row, now=now),
    } for row in rows]


# --- people -------------------------------------------------------------------------------------------------------


def customer_by_account(*, account_number: str) -> Customer | None:
    return Customer.objects.filter(account_number=account_number).first()


def crew_for_office(*, office_id) -> QuerySet:
    """Active members of the field crew of an office (for "dispatch a crew")."""
    return (
        User.objects.filter(is_active=True, office_id=office_id, groups__name=FIELD_CREW)
        .distinct().order_by("username")
    )


def hand_over_targets(*, ticket: Ticket) -> QuerySet:
    """Active staff (anyone holding a role) of the ticket's office, except its present owner."""
    return (
        User.objects.filter(is_active=True, office_id=ticket.office_id, groups__isnull=False)
        .exclude(pk=ticket.owner_id).distinct().order_by("username")
    )


def may_change(*, user, ticket: Ticket) -> bool:
    """Staff change only their own office's tickets; others may read them (a customer may ask anywhere).
    The kernel's office rule — the one the services enforce."""
    return may_act_on(user, ticket)


# --- records of the loop --------------------------------------------------------------------------------------


def ticket_records(*, ticket: Ticket) -> dict[str, list]:
    """Callbacks, hand-overs and chases of the ticket (three queries)."""
    return {
        "callbacks": item_records(Callback, item=ticket, related=("by",)),
        "hand_overs": item_records(HandOver, item=ticket, related=("from_user", "to_user")),
        "chases": item_records(Chase, item=ticket, related=("by",)),
    }


# --- facts of a ticket -------------------------------------------------------------------------------------

KIND_FACTS = {
    "repair": ["fault_address", "outage_ref", "crew", "dispatched_at", "arrived_at", "cause", "cause_removed_at",
               "repaired_at"],
    "expansion": ["business_type", "applicant_class", "capacity_kva", "site_address", "meter_number"],
    "meter_fault": ["meter_number", "started_at", "handling"],
    "bill_query": ["bill_period", "reply_text", "replied_at"],
    "consultation": ["topic", "answer"],
}
LOOP_FACTS = ["resolved_at", "called_back_at", "closed_at", "reopened", "no_callback_reason", "cancel_reason",
              "cancelled_at"]


def ticket_facts(*, ticket: Ticket) -> list[tuple[str, str, str]]:
    """(field name, label, shown value) of the kind's own fields and of the loop, leaving out empty ones."""
    facts = []
    for name in KIND_FACTS.get(ticket.KIND, []) + LOOP_FACTS:
        model_field = type(ticket)._meta.get_field(name)
        value = getattr(ticket, name)
        if value in (None, "", 0):
            continue
        if name == "bill_period":
            shown = date_format(value, "Y-m")
        elif isinstance(model_field, models.ForeignKey):
            shown = str(value)
        else:
            shown = _display(ticket, model_field, value, {})
        facts.append((name, str(model_field.verbose_name), shown))
    return facts


# --- the history timeline ---------------------------------------------------------------------------------------


def step_labels(ticket: Ticket) -> dict[str, str]:
    """History change reasons -> what happened, in words."""
    labels = {
        "tickets.create": _("Ticket received"),
        "tickets.call_back": _("Called back: satisfied"),
        "tickets.reopen": _("Reopened after an unsatisfied callback"),
        "core.hand_over": _("Handed over"),
        "core.no_callback": _("Reason for no callback recorded"),
        "tickets.pause": _("Clocks paused: waiting for the customer"),
        "tickets.resume": _("Clocks resumed"),
        "tickets.link_outage": _("Linked to a known outage"),
        "tickets.restore_by_outage": _("Supply restored by the outage work"),
        "tickets.cancel": _("Cancelled"),
        "tickets.close": _("Closed"),
    }
    for transition in ticket.get_all_state_transitions():
        labels.setdefault(f"tickets.{transition.name}", str(transition.custom.get("label", transition.name)))
    return labels


def _display(ticket: Ticket, model_field, value, users: dict) -> str:
    if value is None or value == "":
        return "—"
    if model_field.name == "state":
        return state_label(ticket.KIND, value)
    if isinstance(model_field, models.ForeignKey):
        if model_field.related_model is User:
            return str(users.get(value, f"#{value}"))
        related = getattr(ticket, model_field.name, None)
        return str(related) if related is not None and related.pk == value else f"#{value}"
    if model_field.flatchoices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, datetime):
        return date_format(timezone.localtime(value), "Y-m-d H:i")
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    return str(value)


def ticket_history(*, ticket: Ticket) -> list[HistoryEntry]:
    """Every historical record of the ticket, oldest first, with the fields each one changed (from → to).
    One query for the records (with their users) and at most one for the users named in changes."""
    return history_timeline(
        obj=ticket, labels=step_labels(ticket), created_label=_("Created"), changed_label=_("Changed"),
        display=lambda model_field, value, users: _display(ticket, model_field, value, users),
        creator=lambda: ticket.first_responder,  # created outside a request (a command, a test): the receiver
    )
