"""Intake: one form per kind of ticket, fast at a counter (keyboard first), from any channel (S9.1–S9.3)."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_fsm import TransitionNotAllowed

from supply_service.core.models import Channel
from supply_service.core.roles import default_channel
from supply_service.core.selectors import commitments_by_code
from supply_service.core.web import service_errors_to_form
from supply_service.outages.selectors import active_notice_for
from supply_service.tickets import services
from supply_service.tickets.forms import INTAKE_FORMS, TicketIntakeForm
from supply_service.tickets.models import TICKET_KINDS, Consultation
from supply_service.tickets.selectors_views import kind_label, kinds_user_may
from supply_service.tickets.views.common import perm_name

# (help text, the commitment whose limit it names) — the limit is read from the Commitment table.
KIND_HELP = {
    "repair": (gettext_lazy("No power, a fault on the line: the crew is on site within %(limit)s."), "repair_arrival"),
    "expansion": (gettext_lazy("New connection, capacity increase, change of use."), ""),
    "meter_fault": (gettext_lazy("The meter stopped, runs fast, is broken: handled within %(limit)s."), "meter_fault"),
    "bill_query": (gettext_lazy("A written question about a bill: written reply within %(limit)s."),
                   "bill_query_reply"),
    "consultation": (gettext_lazy("Policy, technical or information question; a service application; a suggestion."),
                     ""),
}


def _help(kind: str, limits: dict[str, str]) -> str:
    text, code = KIND_HELP[kind]
    return str(text) % {"limit": limits.get(code, "")} if code else str(text)


def _limits() -> dict[str, str]:
    codes = [code for _text, code in KIND_HELP.values() if code]
    return {code: c.display_limit for code, c in commitments_by_code(codes).items()}


def _account_from(request: HttpRequest) -> str:
    account = request.GET.get("account", "")
    return account if len(account) == 10 and account.isdigit() else ""


def _channel_from(request: HttpRequest) -> str:
    channel = request.GET.get("channel", "")
    return channel if channel in Channel.values else ""


@login_required
def ticket_new(request: HttpRequest) -> HttpResponse:
    """The kinds this user may take in, as big links (needs `tickets.add_<model>` of at least one kind)."""
    kinds = kinds_user_may(user=request.user, verb="add")
    if not kinds:
        raise PermissionDenied
    channel = _channel_from(request)
    limits = _limits()
    choices = [{"kind": kind, "label": kind_label(kind), "help": _help(kind, limits)} for kind in kinds]
    query = urlencode({k: v for k, v in {"channel": channel, "account": _account_from(request)}.items() if v})
    return render(request, "tickets/ticket_new.html", {"kinds": choices, "channel": channel, "form": None,
                                                       "query": query})



def _create(request: HttpRequest, form: TicketIntakeForm, model) -> object | None:
    """Create the ticket through its service (one transaction); a refusal goes onto the form, nothing is saved."""
    answer = form.cleaned_data["answer"] if model is Consultation and form.cleaned_data["answered_at_once"] else ""
    try:
        ticket = services.ticket_create_from_intake(model=model, by=request.user, answer=answer,
                                                    **form.ticket_fields())
    except ValidationError as exc:
        service_errors_to_form(form, exc)
    except (PermissionDenied, TransitionNotAllowed):
        form.add_error(None, _("You may not take in this ticket that way: nothing was saved."))
    else:
        messages.success(request, _("Ticket %(number)s was created.") % {"number": ticket.number})
        if getattr(ticket, "outage_ref", ""):
            messages.info(request, _("Linked to the known outage %(number)s.") % {"number": ticket.outage_ref})
        return ticket
    return None


@login_required
def ticket_new_kind(request: HttpRequest, kind: str) -> HttpResponse:
    """Take in one ticket of `kind` (needs `tickets.add_<model>`); bad input changes nothing."""
    form_class = INTAKE_FORMS.get(kind)
    if form_class is None:
        raise Http404
    model = TICKET_KINDS[kind]
    if not request.user.has_perm(perm_name("add", model)):
        raise PermissionDenied
    known_outage = None
    if request.method == "POST":
        form = form_class(request.POST)
        status = 400
        if form.is_valid() and "lookup" in request.POST:
            status = 200  # the clerk looked the customer up: show the known outage, save nothing yet
            if kind == "repair" and form.customer is not None:
                known_outage = active_notice_for(customer=form.customer)
            if known_outage is None:
                messages.info(request, _("No known outage covers this customer."))
        elif form.is_valid():
            ticket = _create(request, form, model)  # the service links a known outage itself
            if ticket is not None:
                return redirect("tickets:detail", number=ticket.number)
    else:
        form = form_class(initial={"channel": _channel_from(request) or default_channel(request.user),
                                   "account_number": _account_from(request)})
        status = 200
    context = {"form": form, "kind": kind, "kind_label": kind_label(kind), "help": _help(kind, _limits()),
               "known_outage": known_outage}
    return render(request, "tickets/ticket_new.html", context, status=status)
