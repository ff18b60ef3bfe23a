"""Staff appointment pages: the day/week plan, booking from the free slots, one appointment with its steps (a
phone-sized "Arrived" button for the crew), the waiting list and a crew's printable route sheet. Every view names
its permission; the services check the step's permission, its state and the office rule."""

from datetime import datetime, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from supply_service.appointments import forms, selectors, services
from supply_service.appointments.models import Appointment, State
from supply_service.appointments.slots import bookable_days
from supply_service.core.access import may_act_on
from supply_service.core.history import history_timeline
from supply_service.core.selectors import sla_clocks_for_subject, sla_signal
from supply_service.core.web import form_errors_to_messages, paginate, run_service

PAGE_SIZE = 50
STEP_FORMS = {"reschedule": forms.RescheduleForm, "cancel": forms.CancelForm, "miss": forms.MissForm,
              "callback": forms.CallbackForm, "close_without_callback": forms.NoCallbackForm}
STEP_ORDER = ["confirm", "set_off", "arrive", "serve", "callback", "close_without_callback", "reschedule", "miss",
              "cancel"]
HISTORY_LABELS = {"appointments.book": gettext_lazy("Booked"), "appointments.confirm": gettext_lazy("Confirmed"),
                  "appointments.reschedule": gettext_lazy("Rescheduled"), "appointments.arrive": gettext_lazy("Arrived"),
                  "appointments.cancel": gettext_lazy("Cancelled"), "appointments.serve": gettext_lazy("Served"),
                  "appointments.close": gettext_lazy("Closed"), "appointments.miss": gettext_lazy("Missed")}
HISTORY_FIELDS = ["state", "starts_at", "assignee", "reschedule_reason", "cancel_reason", "missed_by", "arrived_at"]


def _get(number: str) -> Appointment:
    appointment = selectors.appointment_get_by_number(number=number)
    if appointment is None:
        raise Http404
    return appointment


@require_GET
@login_required
@permission_required("appointments.view_appointment", raise_exception=True)
def day_plan(request: HttpRequest) -> HttpResponse:
    """The office's appointments of a day or a week (or only the user's own), by time."""
    office_id = request.user.office_id
    data = forms.PlanForm(request.GET or None, office_id=office_id).valid_data()
    person = request.user.pk if data["mine"] else getattr(data["person"], "pk", None)
    qs = selectors.appointment_plan(office_id=None if person else office_id, day=data["day"], days=data["days"],
                                    person_id=person)
    return render(request, "appointments/appointment_plan.html", {
        "form": forms.PlanForm(initial=data, office_id=office_id), "pager": paginate(request, qs, per_page=PAGE_SIZE),
        "data": data, "person": person,
        "previous": data["day"] - timedelta(days=data["days"]), "next": data["day"] + timedelta(days=data["days"]),
        "can_book": request.user.has_perm("appointments.add_appointment"),
    })


@require_GET
@login_required
@permission_required("appointments.view_appointment", raise_exception=True)
def route_sheet(request: HttpRequest) -> HttpResponse:
    """A crew member's visits of a day with addresses and arrival windows, to print: the user's own, or those of a
    person of the user's office (`person`)."""
    data = forms.PlanForm(request.GET or None, office_id=request.user.office_id).valid_data()
    person = data["person"] or request.user
    visits = selectors.route_sheet(person_id=person.pk, day=data["day"])
    return render(request, "appointments/route_sheet.html", {"visits": visits, "day": data["day"], "person": person})


def _search_data(request: HttpRequest):
    """The GET data of the search; a link from a ticket names the kind by its code (`kind_code`)."""
    data = request.GET
    code = data.get("kind_code", "")[:40]
    if code and "kind" not in data:
        kind = selectors.kind_by_code(code=code)
        if kind is not None:
            data = data.copy()
            data.update({"kind": str(kind.pk), "day": data.get("day") or timezone.localdate().isoformat()})
    return data if "kind" in data else None


def _search(request: HttpRequest) -> tuple[forms.SearchForm, dict]:
    initial = {"day": timezone.localdate(), "account_number": request.GET.get("account_number", "")[:20]}
    search = forms.SearchForm(_search_data(request), initial=initial)
    ticket_number = request.GET.get("ticket", "")[:24]
    context = {"search": search, "slots": None, "ticket_number": ticket_number}
    if search.is_bound and search.is_valid():
        data = search.cleaned_data
        customer = selectors.customer_by_account(account_number=data["account_number"])
        if data["account_number"] and customer is None:
            search.add_error("account_number", _("No customer has this account number."))
            return search, context
        office = request.user.office
        if office is None or data["day"] not in bookable_days():
            search.add_error("day", _("Choose a day that can be booked."))
            return search, context
        context.update(customer=customer, kind=data["kind"], day=data["day"],
                       eligible=services.home_service_eligible(customer),
                       slots=services.free_slots(office=office, kind=data["kind"], day=data["day"], customer=customer))
        initial = {"kind": data["kind"].pk, "account_number": data["account_number"],
                   "name": getattr(customer, "name", ""), "phone": getattr(customer, "phone", ""),
                   "address": getattr(customer, "address", "") if data["kind"].on_site else "",
                   "ticket_number": ticket_number}
        context["form"] = forms.BookForm(initial={**initial, "home": context["eligible"]})
        context["wait_form"] = forms.WaitForm(initial={**initial, "day": data["day"]})
    return search, context


@login_required
@permission_required("appointments.add_appointment", raise_exception=True)
def book(request: HttpRequest) -> HttpResponse:
    """Book for a customer: kind and day → the free times → the customer's details; a full day offers the
    waiting list."""
    search, context = _search(request)
    status = 200 if not search.errors else 400
    if request.method == "POST":
        if request.POST.get("wait"):
            return _join_waiting(request)
        form = forms.BookForm(request.POST)
        booked = []
        if form.is_valid():
            data = form.cleaned_data
            customer = selectors.customer_by_account(account_number=data["account_number"])
            ok = run_service(request, lambda: booked.append(services.appointment_book(
                office=request.user.office, by=request.user, kind=data["kind"], starts_at=data["slot"],
                channel=data["channel"], customer=customer, name=data["name"], phone=data["phone"],
                email=data["email"], address=data["address"], home=data["home"], note=data["note"],
                ticket_number=data["ticket_number"])))
            if ok:
                messages.success(request, _("Appointment %(number)s booked.") % {"number": booked[0].number})
                return redirect("appointments:detail", number=booked[0].number)
        else:
            form_errors_to_messages(request, form)
        context["form"] = form
        status = 400
    return render(request, "appointments/appointment_book.html", context, status=status)


def _join_waiting(request: HttpRequest) -> HttpResponse:
    form = forms.WaitForm(request.POST)
    if not form.is_valid():
        form_errors_to_messages(request, form)
        return redirect("appointments:book")
    data = form.cleaned_data
    customer = selectors.customer_by_account(account_number=data["account_number"])
    if run_service(request, lambda: services.waiting_join(
            office=request.user.office, kind=data["kind"], day=data["day"], name=data["name"], phone=data["phone"],
            customer=customer, by=request.user)):
        messages.success(request, _("Added to the waiting list."))
    return redirect("appointments:waiting")


@require_GET
@login_required
@permission_required("appointments.view_appointment", raise_exception=True)
def waiting_list(request: HttpRequest) -> HttpResponse:
    qs = selectors.waiting_for_office(office_id=request.user.office_id)
    return render(request, "appointments/waiting_list.html", {"pager": paginate(request, qs, per_page=PAGE_SIZE)})


def _steps(appointment: Appointment, user) -> list[dict]:
    names = {t.name for t in appointment.get_available_user_state_transitions(user)}
    if "call_back" in names or (appointment.state == State.DONE and user.has_perm(
            "appointments.callback_appointment")):
        names |= {"callback"}
    if appointment.state == State.DONE and user.has_perm("appointments.close_appointment"):
        names |= {"close_without_callback"}
    names -= {"call_back", "reopen", "close"}
    if not appointment.is_visit:
        names.discard("set_off")
    steps = []
    for name in sorted(names, key=lambda n: STEP_ORDER.index(n) if n in STEP_ORDER else 99):
        form_class = STEP_FORMS.get(name)
        steps.append({"name": name, "form": form_class(prefix=name) if form_class else None})
    return steps


def _display(field, value, users) -> str:
    """A stored value of the history in words: local times, choices by their label, people by name."""
    if value in (None, ""):
        return "—"
    if isinstance(value, datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    return str(users.get(value, value))


@require_GET
@login_required
@permission_required("appointments.view_appointment", raise_exception=True)
def detail(request: HttpRequest, number: str) -> HttpResponse:
    appointment = _get(number)
    now = timezone.now()
    may_change = may_act_on(request.user, appointment)
    steps = _steps(appointment, request.user) if may_change else []
    reschedule_slots = []
    if any(s["name"] == "reschedule" for s in steps):
        day = max(timezone.localtime(appointment.starts_at).date(), timezone.localdate())
        for offset in range(3):
            reschedule_slots += services.free_slots(office=appointment.office, kind=appointment.kind,
                                                    day=day + timedelta(days=offset), customer=appointment.customer,
                                                    home=appointment.is_visit and not appointment.kind.on_site)
    history = history_timeline(obj=appointment, labels=HISTORY_LABELS, display=_display, created_label=_("Booked"),
                               changed_label=_("Changed"), included_fields=HISTORY_FIELDS)
    return render(request, "appointments/appointment_detail.html", {
        "a": appointment, "steps": steps, "may_change": may_change, "reschedule_slots": reschedule_slots[:60],
        "clocks": [{"clock": c, "signal": sla_signal(c, now=now)} for c in sla_clocks_for_subject(subject=appointment)],
        "history": history,
    })


ACTIONS = {
    "confirm": lambda a, user, data: services.appointment_confirm(appointment=a, by=user),
    "set_off": lambda a, user, data: services.appointment_set_off(appointment=a, by=user),
    "arrive": lambda a, user, data: services.appointment_arrive(appointment=a, by=user),
    "serve": lambda a, user, data: services.appointment_serve(appointment=a, by=user),
    "reschedule": lambda a, user, data: services.appointment_reschedule(
        appointment=a, by=user, starts_at=data["slot"], reason=data["reason"]),
    "cancel": lambda a, user, data: services.appointment_cancel(appointment=a, by=user, reason=data["reason"],
                                                                party=data["party"]),
    "miss": lambda a, user, data: services.appointment_miss(appointment=a, by=user, missed_by=data["missed_by"],
                                                            reason=data["reason"]),
    "callback": lambda a, user, data: services.appointment_callback(appointment=a, by=user, outcome=data["outcome"],
                                                                    note=data["note"]),
    "close_without_callback": lambda a, user, data: services.appointment_close_without_callback(
        appointment=a, by=user, reason=data["reason"]),
}


@require_POST
@login_required
@permission_required("appointments.view_appointment", raise_exception=True)
def step(request: HttpRequest, number: str, action: str) -> HttpResponse:
    """One step of the appointment (the service decides whether this user may take it now)."""
    appointment = _get(number)
    if action not in ACTIONS:
        raise Http404
    data = {}
    form_class = STEP_FORMS.get(action)
    if form_class is not None:
        form = form_class(request.POST, prefix=action)
        if not form.is_valid():
            form_errors_to_messages(request, form)
            return redirect("appointments:detail", number=number)
        data = form.cleaned_data
    if run_service(request, lambda: ACTIONS[action](appointment, request.user, data)):
        messages.success(request, _("Saved."))
    return redirect("appointments:detail", number=number)
