"""The ticket page (summary, actions, clocks, callback, hand-over, chase, records, history) and the printable
e-ticket (电子工作传票)."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from supply_service.core.access import request_user
from supply_service.core.models import SlaClock
from supply_service.core.panels import panels_for
from supply_service.core.selectors import sla_clocks_for_subject, sla_signal
from supply_service.core.services.policy import policy_int
from supply_service.tickets.forms import PauseForm
from supply_service.tickets.models import BusinessExpansion, State, Ticket
from supply_service.tickets.selectors import ticket_actions_for
from supply_service.tickets.selectors_views import (
    channel_label,
    crew_for_office,
    hand_over_targets,
    kind_label,
    may_change,
    ticket_facts,
    ticket_history,
    ticket_records,
)
from supply_service.tickets.services import PAUSABLE
from supply_service.tickets.views.common import perm_name, ticket_for_viewer

TEXT_LABELS = {
    "cause": _("Cause of the fault"),
    "reason": _("Reason"),
    "handle": _("What was done"),
    "reply": _("Written reply"),
    "answer_it": _("Answer"),
}


def _actions(ticket: Ticket, user) -> list[dict]:
    """The steps this user may take now, as forms; system steps (taken by the software) are left out."""
    system = {t.name for t in ticket.get_all_state_transitions() if t.custom.get("system")}
    actions = []
    for action in ticket_actions_for(ticket=ticket, user=user):
        if action.name in system:
            continue
        actions.append({
            "name": action.name, "label": action.label, "form": action.form, "style": action.style,
            "text_label": TEXT_LABELS.get(action.name) or TEXT_LABELS.get(action.form) or _("Details"),
        })
    return actions


def _clocks(ticket: Ticket) -> list[dict]:
    now = timezone.now()
    return [{"clock": clock, "signal": sla_signal(clock, now=now)} for clock in sla_clocks_for_subject(subject=ticket)]


def _common(ticket: Ticket) -> dict:
    records = ticket_records(ticket=ticket)
    latest = records["callbacks"][-1] if records["callbacks"] else None
    return {
        "ticket": ticket,
        "kind_label": kind_label(ticket.KIND),
        "channel_label": channel_label(ticket.channel),
        "stages": ticket.stages if isinstance(ticket, BusinessExpansion) else None,
        "clocks": _clocks(ticket),
        "facts": ticket_facts(ticket=ticket),
        "history": ticket_history(ticket=ticket),
        "latest_callback": latest,
        **records,
    }


def _pause_panel(ticket: Ticket, user, can_change: bool, clocks: list[dict]) -> dict:
    """Pause (work waits on the customer) or resume, for the kinds whose work can wait and who may do it."""
    allowed = (can_change and type(ticket) in PAUSABLE and ticket.is_open and ticket.state != State.RESOLVED
               and user.has_perm(perm_name("pause", ticket)))
    states = {row["clock"].state for row in clocks}
    return {
        "show_pause": allowed and SlaClock.State.RUNNING in states,
        "show_resume": allowed and SlaClock.State.PAUSED in states,
        "pause_form": PauseForm() if allowed else None,
    }


@login_required
def ticket_detail(request: HttpRequest, number: str) -> HttpResponse:
    """Needs `tickets.view_<model>` of the ticket's kind. Staff of other offices read it but change nothing."""
    user = request_user(request)
    ticket = ticket_for_viewer(request, number)
    context = _common(ticket)
    can_change = may_change(user=user, ticket=ticket)
    actions = _actions(ticket, user) if can_change else []
    resolved = ticket.state == State.RESOLVED
    since = ticket.resolved_at
    show_callback = can_change and resolved and user.has_perm(perm_name("callback", ticket))
    may_chase = user.has_perm(perm_name("chase", ticket))
    show_hand_over = can_change and ticket.is_open and (user.pk == ticket.owner_id or may_chase)
    context.update({
        "can_change": can_change,
        "actions": actions,
        "crew": list(crew_for_office(office_id=ticket.office_id)) if any(a["form"] == "crew" for a in actions) else [],
        "show_callback": show_callback,
        "callback_attempts": sum(1 for c in context["callbacks"] if since is None or c.at >= since),
        "callback_max": policy_int("callback_max_attempts") if show_callback else None,
        "show_close_without_callback": can_change and resolved and user.has_perm(perm_name("close", ticket)),
        "show_hand_over": show_hand_over,
        "hand_over_targets": list(hand_over_targets(ticket=ticket)) if show_hand_over else [],
        "show_chase": can_change and ticket.is_open and may_chase,
        "show_customer_link": ticket.customer_id is not None and user.has_perm("customers.view_customer"),
        **_pause_panel(ticket, user, can_change, context["clocks"]),
        "panels": panels_for("ticket", request=request, ticket=ticket),  # e.g. appointments (core.panels)
    })
    return render(request, "tickets/ticket_detail.html", context)


@login_required
def ticket_print(request: HttpRequest, number: str) -> HttpResponse:
    """The printable e-ticket: a staff document with the customer's full name and phone."""
    ticket = ticket_for_viewer(request, number)
    context = _common(ticket)
    context["printed_at"] = timezone.now()
    context["handled_by"] = getattr(ticket, "crew", None) or ticket.owner
    return render(request, "tickets/ticket_print.html", context)
