"""POST endpoints of the ticket page. Each checks that the user may change the ticket and that its state is the
one the user saw, calls one service, and goes back to the ticket page with a message. Never a 500."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from supply_service.core.concurrency import seen_state_matches
from supply_service.core.models import Callback
from supply_service.core.services.policy import policy_int
from supply_service.core.web import CONCURRENT_MESSAGE, form_errors_to_messages, run_service
from supply_service.tickets import services
from supply_service.tickets.forms import ActionForm, CallbackForm, ChaseForm, HandOverForm, NoCallbackForm, PauseForm
from supply_service.tickets.models import Ticket
from supply_service.tickets.selectors_views import crew_for_office, hand_over_targets, may_change
from supply_service.tickets.views.common import ticket_for_viewer

HIDDEN_STEPS = {"call_back", "reopen"}  # taken through the callback panel


def _refused(request: HttpRequest, ticket: Ticket, *, check_state: bool = True) -> bool:
    """True (with a message) when the user may not change this ticket or its state moved since the page was drawn."""
    if not may_change(user=request.user, ticket=ticket):
        messages.error(request, _("This ticket belongs to another office: you can read it but not change it."))
        return True
    if check_state and not seen_state_matches(request.POST, ticket):
        messages.error(request, CONCURRENT_MESSAGE)
        return True
    return False


def _back(ticket: Ticket) -> HttpResponse:
    return redirect("tickets:detail", number=ticket.number)


@require_POST
@login_required
def ticket_do(request: HttpRequest, number: str, action: str) -> HttpResponse:
    """One step of the ticket's machine (`services.ticket_transition`, or `ticket_cancel` for cancel)."""
    ticket = ticket_for_viewer(request, number)
    if _refused(request, ticket):
        return _back(ticket)
    transitions = {t.name: t for t in ticket.get_all_state_transitions()}
    transition = transitions.get(action)
    if transition is None or action in HIDDEN_STEPS or transition.custom.get("system"):
        messages.error(request, _("That is not a step of this ticket."))
        return _back(ticket)
    form = ActionForm(request.POST, form_kind=transition.custom.get("form", ""),
                      crew_queryset=crew_for_office(office_id=ticket.office_id))
    if not form.is_valid():
        form_errors_to_messages(request, form)
        return _back(ticket)
    data = form.step_data()
    if action == "cancel":
        done = run_service(request, lambda: services.ticket_cancel(ticket=ticket, by=request.user, reason=data["reason"]))
    else:
        done = run_service(request, lambda: services.ticket_transition(ticket=ticket, action=action, by=request.user,
                                                                       **data))
    if done:
        messages.success(request, _("Done: %(step)s.") % {"step": transition.custom.get("label", action)})
    return _back(ticket)


@require_POST
@login_required
def ticket_callback(request: HttpRequest, number: str) -> HttpResponse:
    """Record a callback (S13.5): satisfied, not satisfied (reopens), unreachable (closes after the policy's
    number of attempts)."""
    ticket = ticket_for_viewer(request, number)
    if _refused(request, ticket):
        return _back(ticket)
    form = CallbackForm(request.POST)
    if not form.is_valid():
        form_errors_to_messages(request, form)
        return _back(ticket)
    outcome = form.cleaned_data["outcome"]
    done = run_service(request, lambda: services.ticket_callback(
        ticket=ticket, by=request.user, outcome=outcome, note=form.cleaned_data["note"]))
    if done:
        if outcome == Callback.Outcome.SATISFIED:
            messages.success(request, _("Callback recorded: the customer is satisfied. The ticket can be closed."))
        elif outcome == Callback.Outcome.UNSATISFIED:
            messages.warning(request, _("Callback recorded: the customer is not satisfied, the ticket was reopened."))
        elif ticket.state == "closed":
            messages.warning(request, _("Callback attempt recorded: the customer could not be reached after the "
                                        "last allowed attempt, the ticket was closed with that reason."))
        else:
            messages.info(request, _("Callback attempt recorded: the customer could not be reached (at most "
                                     "%(max)s attempts).") % {"max": policy_int("callback_max_attempts")})
    return _back(ticket)


@require_POST
@login_required
def ticket_close_without_callback(request: HttpRequest, number: str) -> HttpResponse:
    ticket = ticket_for_viewer(request, number)
    if _refused(request, ticket):
        return _back(ticket)
    form = NoCallbackForm(request.POST)
    if not form.is_valid():
        form_errors_to_messages(request, form)
        return _back(ticket)
    if run_service(request, lambda: services.ticket_close_without_callback(
            ticket=ticket, by=request.user, reason=form.cleaned_data["reason"], due=form.callback_due)):
        messages.success(request, _("The ticket was closed without a callback; the reason is recorded."))
    return _back(ticket)


@require_POST
@login_required
def ticket_hand_over(request: HttpRequest, number: str) -> HttpResponse:
    """Hand the ticket to another active staff member of its office, with a reason (S10.3.3)."""
    ticket = ticket_for_viewer(request, number)
    if _refused(request, ticket):
        return _back(ticket)
    form = HandOverForm(request.POST, targets=hand_over_targets(ticket=ticket))
    if not form.is_valid():
        form_errors_to_messages(request, form)
        return _back(ticket)
    to_user = form.cleaned_data["to_user"]
    if run_service(request, lambda: services.ticket_hand_over(
            ticket=ticket, to_user=to_user, by=request.user, reason=form.cleaned_data["reason"])):
        messages.success(request, _("The ticket was handed over to %(user)s.") % {"user": to_user})
    return _back(ticket)


@require_POST
@login_required
def ticket_chase(request: HttpRequest, number: str) -> HttpResponse:
    """A manager chases (督办) the ticket; the owner is told (S13.4). Needs `tickets.chase_<model>`."""
    ticket = ticket_for_viewer(request, number)
    if _refused(request, ticket, check_state=False):
        return _back(ticket)
    form = ChaseForm(request.POST)
    if not form.is_valid():
        form_errors_to_messages(request, form)
        return _back(ticket)
    if run_service(request, lambda: services.ticket_chase(ticket=ticket, by=request.user,
                                                          note=form.cleaned_data["note"])):
        messages.success(request, _("The chase was recorded and the owner told."))
    return _back(ticket)


@require_POST
@login_required
def ticket_pause(request: HttpRequest, number: str) -> HttpResponse:
    """The work waits on the customer: the ticket's running clocks pause with the reason."""
    ticket = ticket_for_viewer(request, number)
    if _refused(request, ticket):
        return _back(ticket)
    form = PauseForm(request.POST)
    if not form.is_valid():
        form_errors_to_messages(request, form)
        return _back(ticket)
    if run_service(request, lambda: services.ticket_pause_clocks(ticket=ticket, by=request.user,
                                                                 reason=form.reason)):
        messages.success(request, _("The clocks are paused while the work waits for the customer."))
    return _back(ticket)


@require_POST
@login_required
def ticket_resume(request: HttpRequest, number: str) -> HttpResponse:
    """The customer has done their part: the paused clocks run again."""
    ticket = ticket_for_viewer(request, number)
    if _refused(request, ticket):
        return _back(ticket)
    if run_service(request, lambda: services.ticket_resume_clocks(ticket=ticket, by=request.user)):
        messages.success(request, _("The clocks run again; their deadlines moved by the pause."))
    return _back(ticket)
