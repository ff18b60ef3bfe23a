"""The counter desk for a customer served without a queue number (walk-in, S10.2.1: serve, time, finish), moved
here from tickets (issue 15). The CounterTransaction model, its services, forms and selectors stay in tickets with
the model; this app owns the page. Thin views: one permission, reads through selectors, one service per action."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from supply_service.core.selectors import commitments_by_code
from supply_service.core.web import refusal_message, service_errors_to_form
from supply_service.tickets.forms_counter import CounterFinishForm, CounterStartForm
from supply_service.tickets.models import CounterTransaction
from supply_service.tickets.selectors_counter import (
    counter_open_for,
    counter_today,
    counter_today_summary,
    counter_transaction_get,
)
from supply_service.tickets.services import counter_finish, counter_start
from supply_service.tickets.views_counter import clock_status, duration_text

COUNTER_PERMISSION = "tickets.serve_countertransaction"
COUNTER_COMMITMENTS = {
    CounterTransaction.Kind.FEE_RESIDENTIAL: "counter_fee_residential",
    CounterTransaction.Kind.OTHER: "counter_business",
}
TODAY_PAGE = 25


def _kind_limits(limits) -> dict:
    return {kind: limits[code].display_limit for kind, code in COUNTER_COMMITMENTS.items() if code in limits}


def _desk_page(request: HttpRequest, start_form: CounterStartForm | None = None, status: int = 200) -> HttpResponse:
    now = timezone.now()
    limits = commitments_by_code(COUNTER_COMMITMENTS.values())
    kind_limits = _kind_limits(limits)
    page = Paginator(counter_today(clerk=request.user, now=now), TODAY_PAGE).get_page(request.GET.get("page"))
    rows = [
        {
            "record": record,
            "duration": duration_text(record.finished_at - record.started_at) if record.finished_at else "",
            "status": clock_status(record.clock_state, record.clock_due, finished=record.finished_at is not None,
                                   now=now),
            "limit": kind_limits.get(record.kind, ""),
        }
        for record in page.object_list
    ]
    context = {
        "start_form": start_form or CounterStartForm(limits=kind_limits),
        "finish_form": CounterFinishForm(),
        "open_records": [
            {"record": r, "limit": kind_limits.get(r.kind, ""),
             "status": clock_status(r.clock_state, r.clock_due, finished=False, now=now)}
            for r in counter_open_for(clerk=request.user)
        ],
        "page": page,
        "rows": rows,
        "summary": counter_today_summary(clerk=request.user, now=now),
        "limits": [limits[code] for code in COUNTER_COMMITMENTS.values() if code in limits],
        "now": now,
    }
    return render(request, "counter/desk.html", context, status=status)


@login_required
@permission_required(COUNTER_PERMISSION, raise_exception=True)
def desk(request: HttpRequest) -> HttpResponse:
    """The clerk's counter: start serving a customer, the running timer, finish, today's transactions."""
    if request.method != "POST":
        return _desk_page(request)
    form = CounterStartForm(request.POST, limits=_kind_limits(commitments_by_code(COUNTER_COMMITMENTS.values())))
    if form.is_valid():
        try:  # the service refuses a second open transaction (checked under a lock)
            record = counter_start(clerk=request.user, kind=form.cleaned_data["kind"],
                                   customer=form.cleaned_data.get("customer"))
        except ValidationError as exc:
            service_errors_to_form(form, exc)
        else:
            messages.success(request, _("Serving started: %(number)s.") % {"number": record.number})
            return redirect("counter:desk")
    return _desk_page(request, start_form=form, status=400)


@require_POST
@login_required
@permission_required(COUNTER_PERMISSION, raise_exception=True)
def desk_finish(request: HttpRequest, number: str) -> HttpResponse:
    """The customer is served: stop the clock (met or breached)."""
    record = counter_transaction_get(number=number)
    if record is None:
        raise Http404
    form = CounterFinishForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(form.errors.get("note", [])))
        return redirect("counter:desk")
    try:
        counter_finish(record=record, by=request.user, note=form.cleaned_data["note"])  # another's: 403
    except ValidationError as exc:
        messages.error(request, refusal_message(exc))
    else:
        messages.success(request, _("%(number)s finished.") % {"number": record.number})
    return redirect("counter:desk")
