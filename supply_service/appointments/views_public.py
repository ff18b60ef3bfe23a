"""The public booking page (no login): the customer proves a phone with an SMS code — an account's phone on file,
or the phone of a new applicant with a name — chooses a kind, a day and a free time, and gets the number and the
code for changes. Cancel or change with that code up to the policy's cut-off; the .ics of an appointment."""

import hashlib
import secrets
from datetime import timedelta

from django import forms as django_forms
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from supply_service.appointments import forms, holds, messages, selectors, services
from supply_service.appointments.slots import bookable_days
from supply_service.core.models import Channel, Office, Outbox
from supply_service.core.services.outbox import outbox_enqueue
from supply_service.core.services.policy import policy_int
from supply_service.core.web import REFUSALS, refusal_message
from supply_service.customers.selectors import mask_phone

PENDING, VERIFIED = "appointments_public_pending", "appointments_public_verified"


class OfficeField(django_forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class PublicSearchForm(forms.SearchForm):
    office = OfficeField(queryset=Office.objects.filter(is_active=True).order_by("name"), label=gettext_lazy("Office"),
                         empty_label=None)
    account_number = None


def _hash(code: str) -> str:
    return hashlib.sha256(code.encode()).hexdigest()


def verified(request: HttpRequest) -> dict | None:
    data = request.session.get(VERIFIED)
    if not data or data.get("until", 0) < timezone.now().timestamp():
        return None
    return data


@never_cache
@require_POST
def send_code(request: HttpRequest) -> HttpResponse:
    """Step 1: send a code by SMS to the account's phone on file, or to a new applicant's phone."""
    form = forms.PhoneCodeForm(request.POST)
    if not form.is_valid():
        return render(request, "appointments/public_book.html", {"code_form": form}, status=400)
    data = form.cleaned_data
    customer = selectors.customer_by_account(account_number=data["account_number"])
    if data["account_number"] and (customer is None or not customer.phone):
        form.add_error("account_number", _("No customer with a mobile phone has this account number."))
        return render(request, "appointments/public_book.html", {"code_form": form}, status=400)
    phone = customer.phone if customer else data["phone"].strip()
    minutes = policy_int("appointment_code_minutes")
    if _codes_sent(phone, minutes) >= policy_int("appointment_code_attempts"):
        form.add_error(None, ngettext("Too many codes were sent to this phone: try again in %(minutes)s minute.",
                                      "Too many codes were sent to this phone: try again in %(minutes)s minutes.",
                                      minutes) % {"minutes": minutes})
        return render(request, "appointments/public_book.html", {"code_form": form}, status=429)
    code = f"{secrets.randbelow(10 ** 6):06d}"
    request.session[PENDING] = {
        "hash": _hash(code), "phone": phone, "name": customer.name if customer else data["name"].strip(),
        "customer": customer.pk if customer else None, "attempts": 0,
        "until": (timezone.now() + timedelta(minutes=minutes)).timestamp()}
    outbox_enqueue(key=f"appointment-code:{secrets.token_hex(8)}", channel="sms", recipient=phone,
                   body=_("Your code for booking an appointment: %(code)s") % {"code": code})
    return render(request, "appointments/public_book.html", {
        "enter_code": forms.CodeForm(), "phone": mask_phone(phone)})


def _codes_sent(phone: str, minutes: int) -> int:
    """Codes sent to a phone in the last `minutes` (no SMS flood, whoever asks: the outbox is the record)."""
    since = timezone.now() - timedelta(minutes=minutes)
    return Outbox.objects.filter(recipient=phone, idempotency_key__startswith="appointment-code:",
                                 created_at__gte=since).count()


def _check_code(request: HttpRequest) -> str:
    pending = request.session.get(PENDING)
    form = forms.CodeForm(request.POST)
    if not pending or pending["until"] < timezone.now().timestamp():
        return _("The code has expired: ask for a new one.")
    if pending["attempts"] >= policy_int("appointment_code_attempts"):
        return _("Too many wrong codes: ask for a new one.")
    if not form.is_valid() or not secrets.compare_digest(pending["hash"], _hash(form.cleaned_data["code"].strip())):
        pending["attempts"] += 1
        request.session[PENDING] = pending
        return _("The code is wrong.")
    request.session.pop(PENDING)
    request.session[VERIFIED] = {"phone": pending["phone"], "name": pending["name"], "customer": pending["customer"],
                                 "until": (timezone.now() + timedelta(minutes=policy_int(
                                     "appointment_code_minutes"))).timestamp()}
    return ""


@never_cache
@require_http_methods(["GET", "POST"])
def book(request: HttpRequest) -> HttpResponse:
    """Code entry, then kind, office and day → free times → booked."""
    if request.method == "POST" and "code" in request.POST:
        error = _check_code(request)
        if error:
            return render(request, "appointments/public_book.html", {"enter_code": forms.CodeForm(), "error": error},
                          status=400)
        return redirect("public_appointments:book")
    who = verified(request)
    if who is None:
        return render(request, "appointments/public_book.html", {"code_form": forms.PhoneCodeForm()})
    customer = selectors.customer_by_pk(pk=who["customer"]) if who["customer"] else None
    if request.method == "POST":
        return _book_post(request, who, customer)
    return render(request, "appointments/public_book.html", _choose_context(request, customer))


def _choose_context(request: HttpRequest, customer) -> dict:
    initial = {"day": timezone.localdate(), "office": getattr(customer, "office_id", None)}
    search = PublicSearchForm(request.GET or None, initial=initial)
    context = {"search": search, "customer": customer, "slots": None}
    if search.is_bound and search.is_valid():
        data = search.cleaned_data
        if data["day"] not in bookable_days():
            search.add_error("day", _("Choose a day that can be booked."))
            return context
        context.update(kind=data["kind"], day=data["day"], office=data["office"],
                       eligible=services.home_service_eligible(customer),
                       slots=services.free_slots(office=data["office"], kind=data["kind"], day=data["day"],
                                                 customer=customer),
                       form=forms.CustomerBookForm(initial={"kind": data["kind"].pk,
                                                            "address": getattr(customer, "address", "")}))
    return context


def _book_post(request: HttpRequest, who: dict, customer) -> HttpResponse:
    form = forms.CustomerBookForm(request.POST)
    office_id = request.POST.get("office", "")
    office = Office.objects.filter(pk=office_id if office_id.isdigit() and len(office_id) < 10 else None,
                                   is_active=True).first()
    error = ""
    if form.is_valid() and office is not None:
        data = form.cleaned_data
        try:
            appointment = services.appointment_book(
                office=office, kind=data["kind"], starts_at=data["slot"], channel=Channel.WEB, customer=customer,
                name=who["name"], phone=who["phone"], email=data["email"], address=data["address"],
                language=request.LANGUAGE_CODE, confirm=customer is not None)
        except REFUSALS as exc:
            error = refusal_message(exc)
        else:
            return render(request, "appointments/public_booked.html", {"a": appointment})
    else:
        error = " ".join(str(e) for errors in form.errors.values() for e in errors) or _("Choose an office.")
    context = _choose_context(request, customer)
    context["error"] = error
    return render(request, "appointments/public_book.html", context, status=400)


@never_cache
@require_http_methods(["GET", "POST"])
def manage(request: HttpRequest) -> HttpResponse:
    """Number + code: see the appointment, cancel it, or move it to a free time (up to the cut-off)."""
    form = forms.ManageForm(request.POST or None, initial={"number": request.GET.get("number", "")[:24]})
    if request.method != "POST":
        return render(request, "appointments/public_manage.html", {"form": form})
    if not form.is_valid():
        return render(request, "appointments/public_manage.html", {"form": form}, status=400)
    data = form.cleaned_data
    try:
        appointment = _manage_action(data)
    except REFUSALS as exc:
        return render(request, "appointments/public_manage.html", {"form": form, "error": refusal_message(exc)},
                      status=400)
    return render(request, "appointments/public_manage.html", {
        "form": form, "a": appointment, "done": data["action"] in ("cancel", "reschedule"),
        "slots": _reschedule_slots(appointment),
        "cutoff_hours": policy_int("appointment_change_cutoff_hours")})


def _manage_action(data: dict):
    number, code = data["number"], data["code"]
    if data["action"] == "cancel":
        return services.appointment_cancel_by_code(number=number, code=code)
    if data["action"] == "reschedule":
        if data["slot"] is None:
            raise django_forms.ValidationError(_("Choose one of the free times."))
        return services.appointment_reschedule_by_code(number=number, code=code, starts_at=data["slot"])
    return services.appointment_get_by_code(number=number, code=code)


def _reschedule_slots(appointment) -> list:
    if appointment.state not in ("requested", "confirmed"):
        return []
    today = timezone.localdate()
    slots = []
    for offset in range(3):
        slots += services.free_slots(office=appointment.office, kind=appointment.kind,
                                     day=max(timezone.localtime(appointment.starts_at).date(), today)
                                     + timedelta(days=offset), customer=appointment.customer,
                                     home=appointment.is_visit and not appointment.kind.on_site)
    return slots[:40]


@never_cache
@require_http_methods(["GET", "POST"])
def hold(request: HttpRequest) -> HttpResponse:
    """The first on the waiting list confirms the place held for them (phone + the code of the SMS)."""
    form = forms.HoldConfirmForm(request.POST or None, initial={"phone": request.GET.get("phone", "")[:40]})
    if request.method != "POST":
        return render(request, "appointments/public_hold.html", {"form": form})
    if not form.is_valid():
        return render(request, "appointments/public_hold.html", {"form": form}, status=400)
    try:
        appointment = holds.hold_confirm(phone=form.cleaned_data["phone"], code=form.cleaned_data["code"])
    except REFUSALS as exc:
        return render(request, "appointments/public_hold.html", {"form": form, "error": refusal_message(exc)},
                      status=400)
    return render(request, "appointments/public_booked.html", {"a": appointment})


def ics(request: HttpRequest, number: str, code: str) -> HttpResponse:
    try:
        appointment = services.appointment_get_by_code(number=number, code=code)
    except REFUSALS:
        raise Http404 from None
    response = HttpResponse(messages.ics_document(appointment), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{appointment.number}.ics"'
    return response
