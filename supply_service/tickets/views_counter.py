"""The 95598 desk (S10.2.6: record calls, make tickets, import) and the clock helpers the counter desk shares (the
counter desk itself moved to the counter app: supply_service/counter/views_desk.py, issue 15).

Thin views: each names one permission, reads through `selectors_counter` and calls one service (which checks the
permission and locks what it changes); bad input comes back as form errors (status 400) and saves nothing. Lists
are paginated and read a constant number of queries.
"""

from datetime import datetime, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from supply_service.core.models import SlaClock
from supply_service.core.selectors import commitments_by_code
from supply_service.core.web import service_errors_to_form
from supply_service.tickets.forms_counter import CallImportForm, CallRecordForm, CallTicketForm
from supply_service.tickets.imports_calls import import_calls
from supply_service.tickets.selectors_counter import call_get, office_calls
from supply_service.tickets.services import call_create_ticket, call_record_create

CALL_PERMISSION = "tickets.take_callrecord"
CALL_COMMITMENT = "call_answer"
CALLS_PAGE = 20


# --- presentation helpers ------------------------------------------------------------------------------------------


def clock_status(state: str | None, due: datetime | None, *, finished: bool, now: datetime) -> str:
    """met / breached / waived for a settled clock; running, or overdue once past the due time, for an open one."""
    if state in (SlaClock.State.MET, SlaClock.State.BREACHED, SlaClock.State.WAIVED):
        return state
    if not finished and due is not None and now >= due:
        return "overdue"
    return "running" if state else "none"


def duration_text(value: timedelta | None) -> str:
    """12:05 (minutes:seconds) or 1:02:05 (hours:minutes:seconds)."""
    if value is None:
        return ""
    seconds = max(0, int(value.total_seconds()))
    hours, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{seconds:02d}" if hours else f"{minutes}:{seconds:02d}"


def _ticket_url(number: str) -> str:
    try:
        return reverse("tickets:detail", args=[number])
    except NoReverseMatch:
        return f"/tickets/{number}/"


# --- 95598 calls ---------------------------------------------------------------------------------------------------


def _calls_page(request: HttpRequest, record_form: CallRecordForm | None = None, status: int = 200) -> HttpResponse:
    now = timezone.now()
    page = Paginator(office_calls(office=request.user.office), CALLS_PAGE).get_page(request.GET.get("page"))
    rows = [
        {
            "call": call,
            "status": clock_status(call.clock_state, call.clock_due, finished=True, now=now),
            "ticket_form": None if call.ticket_number else CallTicketForm(prefix=f"call-{call.pk}"),
            "ticket_url": _ticket_url(call.ticket_number) if call.ticket_number else "",
        }
        for call in page.object_list
    ]
    initial = {"rang_at": timezone.localtime(now).replace(microsecond=0, tzinfo=None)}
    context = {
        "record_form": record_form or CallRecordForm(initial=initial),
        "page": page,
        "rows": rows,
        "limit": commitments_by_code([CALL_COMMITMENT]).get(CALL_COMMITMENT),
    }
    return render(request, "desk/calls.html", context, status=status)


@login_required
@permission_required(CALL_PERMISSION, raise_exception=True)
def calls(request: HttpRequest) -> HttpResponse:
    """Record a 95598 call (its answering clock settles from the ring time) and list the office's calls."""
    if request.method != "POST":
        return _calls_page(request)
    form = CallRecordForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            call = call_record_create(
                agent=request.user, rang_at=data["rang_at"], ring_seconds=data["ring_seconds"],
                caller_phone=data["caller_phone"], customer=data.get("customer"), note=data["note"],
            )
        except ValidationError as exc:
            service_errors_to_form(form, exc)
        else:
            messages.success(request, _("Call %(number)s recorded.") % {"number": call.number})
            return redirect("desk:calls")
    return _calls_page(request, record_form=form, status=400)


@login_required
@permission_required(CALL_PERMISSION, raise_exception=True)
def call_ticket(request: HttpRequest, number: str) -> HttpResponse:
    """One step from a call to a ticket; then the ticket's page."""
    call = call_get(number=number)
    if call is None or call.office_id != request.user.office_id:
        raise Http404
    posted = request.method == "POST"
    form = CallTicketForm(request.POST if posted else None, prefix=f"call-{call.pk}")
    status = 200
    if posted:
        status = 400
        if form.is_valid():
            try:  # the service locks the call: two agents cannot both make a ticket of it
                ticket = call_create_ticket(call=call, model=form.model, by=request.user,
                                            request=form.cleaned_data["request"], **form.ticket_fields())
            except PermissionDenied:
                form.add_error("kind", _("You may not create this kind of ticket."))
            except ValidationError as exc:
                service_errors_to_form(form, exc)
            else:
                messages.success(request, _("Ticket %(number)s created from call %(call)s.") % {
                    "number": ticket.number, "call": call.number})
                return redirect(_ticket_url(ticket.number))
    if call.ticket_number and status == 200:
        return redirect(_ticket_url(call.ticket_number))
    return render(request, "desk/call_ticket.html", {"call": call, "form": form}, status=status)


@login_required
@permission_required(CALL_PERMISSION, raise_exception=True)
def calls_import(request: HttpRequest) -> HttpResponse:
    """Upload call records from the telephone system: all or nothing, every bad line reported."""
    posted = request.method == "POST"
    form = CallImportForm(request.POST if posted else None, request.FILES if posted else None)
    result = None
    status = 200
    if posted:
        status = 400
        if form.is_valid():
            upload = form.cleaned_data["file"]
            result = import_calls(upload, filename=upload.name, user=request.user)
            if result.ok:
                messages.success(request, _("Imported: %(created)s new, %(unchanged)s already recorded.") % {
                    "created": result.created, "unchanged": result.unchanged})
                return redirect("desk:calls")
    return render(request, "desk/calls_import.html", {"form": form, "result": result}, status=status)
