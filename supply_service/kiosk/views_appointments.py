"""Kiosk: the verified customer books an appointment (S9.4) — kind, day, a free time as big buttons — and sees
the number and the code for changes. Home service (S10.3.5) is offered to eligible customers. The kiosk writes
through the appointments app's services; the customer always comes from the session."""

from datetime import date

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from supply_service.appointments import forms as appointment_forms
from supply_service.appointments import selectors as appointment_selectors
from supply_service.appointments import services as appointment_services
from supply_service.appointments.slots import bookable_days
from supply_service.core.models import Channel
from supply_service.core.web import REFUSALS, refusal_message
from supply_service.kiosk import access
from supply_service.kiosk.views import _render, _terminal_language, _terminal_office

DAYS_SHOWN = 7


def _choice(request: HttpRequest, kinds: list) -> tuple:
    kind = next((k for k in kinds if str(k.pk) == request.GET.get("kind", "")), None)
    days = bookable_days()[:DAYS_SHOWN]
    try:
        day = date.fromisoformat(request.GET.get("day", ""))
    except ValueError:
        day = None
    return kind, days, day if day in days else None


@never_cache
@require_http_methods(["GET", "POST"])
@_terminal_language
@access.verified_required
def book(request: HttpRequest, *, customer_pk: int, idle_seconds: int) -> HttpResponse:
    customer = appointment_selectors.customer_by_pk(pk=customer_pk)
    if customer is None:
        access.end_session(request)
        return _render(request, "kiosk/appointment_book.html", {"error": ""}, title="appointments", status=404)
    office = _terminal_office(request) or customer.office
    kinds = appointment_selectors.kinds_offered()
    kind, days, day = _choice(request, kinds)
    context = {"kinds": kinds, "kind": kind, "days": days, "day": day, "customer": customer,
               "eligible": appointment_services.home_service_eligible(customer),
               "mine": appointment_selectors.appointments_for_customer(customer_id=customer.pk, limit=5)}
    status = 200
    if request.method == "POST":
        form = appointment_forms.CustomerBookForm(request.POST)
        if form.is_valid():
            try:
                booked = appointment_services.appointment_book(
                    office=office, kind=form.cleaned_data["kind"], starts_at=form.cleaned_data["slot"],
                    channel=Channel.KIOSK, customer=customer, language=request.LANGUAGE_CODE)
            except REFUSALS as exc:
                context["error"] = refusal_message(exc)
            else:
                return _render(request, "kiosk/appointment_book.html", {**context, "booked": booked},
                               title="appointments", idle_seconds=idle_seconds, verified=True)
        else:
            context["error"] = " ".join(str(e) for errors in form.errors.values() for e in errors)
        status = 400
    if kind is not None and day is not None:
        context["slots"] = appointment_services.free_slots(office=office, kind=kind, day=day, customer=customer)
    context["today"] = timezone.localdate()
    return _render(request, "kiosk/appointment_book.html", context, title="appointments", idle_seconds=idle_seconds,
                   verified=True, status=status)
