"""Fee collection at the window: the payment form beside the customer being served, the printable receipt, the
manager's reversal and the cash-up of chosen days per clerk, window and method."""

from datetime import datetime, time

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from supply_service.core.web import form_errors_to_messages, run_service
from supply_service.counter import selectors, services_pay
from supply_service.counter.forms import CashUpForm, PaymentForm, ReverseForm
from supply_service.counter.models import QueueTicket
from supply_service.customers.selectors import customer_get_with_arrears


def payment_context(request: HttpRequest, current: QueueTicket | None, form: PaymentForm | None = None) -> dict:
    """The payment form when the customer being served has an account (amount due = the arrears)."""
    if current is None or current.state != QueueTicket.State.SERVING or not current.transaction_id:
        return {}
    customer = current.transaction.customer
    if customer is None:
        return {"payment_needs_customer": True}
    customer = customer_get_with_arrears(pk=customer.pk)
    return {
        "pay_customer": customer,
        "pay_form": form or PaymentForm(initial={"amount": customer.arrears or None}),
        "receipts": selectors.receipts_for_ticket(ticket=current),
    }


@require_POST
@login_required
@permission_required(services_pay.PAY_PERMISSION, raise_exception=True)
def pay(request: HttpRequest, pk: int, tpk: int) -> HttpResponse:
    window = selectors.window_get(pk=pk)
    ticket = selectors.ticket_get(pk=tpk)
    if window is None or ticket is None or ticket.window_id != window.pk or window.office_id != request.user.office_id:
        raise Http404
    form = PaymentForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("counter:window", pk=window.pk)
    data = form.cleaned_data
    try:
        receipt = services_pay.payment_take(ticket=ticket, by=request.user, amount=data["amount"],
                                            tender=data["tender"], tendered=data.get("tendered"))
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("counter:window", pk=window.pk)
    messages.success(request, _("Payment taken: receipt %(number)s.") % {"number": receipt.number})
    return redirect("counter:receipt", number=receipt.number)


def _receipt_or_404(request: HttpRequest, number: str):
    receipt = selectors.receipt_get(number=number)
    if receipt is None or receipt.office_id != request.user.office_id:
        raise Http404
    return receipt


@login_required
@permission_required("counter.view_receipt", raise_exception=True)
def receipt(request: HttpRequest, number: str) -> HttpResponse:
    """The printable receipt (and, for a manager, the reversal form)."""
    found = _receipt_or_404(request, number)
    customer = customer_get_with_arrears(pk=found.customer_id)
    return render(request, "counter/receipt.html", {
        "receipt": found, "arrears_now": customer.arrears, "reverse_form": ReverseForm()})


@require_POST
@login_required
@permission_required(services_pay.REVERSE_PERMISSION, raise_exception=True)
def receipt_reverse(request: HttpRequest, number: str) -> HttpResponse:
    found = _receipt_or_404(request, number)
    form = ReverseForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    elif run_service(request, lambda: services_pay.receipt_reverse(receipt=found, by=request.user,
                                                                   reason=form.cleaned_data["reason"])):
        messages.success(request, _("Payment %(number)s reversed.") % {"number": found.number})
    return redirect("counter:receipt", number=found.number)


@login_required
@permission_required("counter.view_receipt", raise_exception=True)
def cashup(request: HttpRequest) -> HttpResponse:
    """The office's cash-up over the chosen days (today by default): totals per clerk, window and method, each
    clerk's totals per method, and the reversals — against the receipts, in a constant number of queries."""
    office = request.user.office
    form = CashUpForm(request.GET or None)
    today = timezone.localdate()
    valid = form.is_valid() if request.GET else True
    data = form.cleaned_data if request.GET and valid else {}
    first, last = data.get("start") or data.get("end") or today, data.get("end") or data.get("start") or today
    if not valid:
        form_errors_to_messages(request, form)
    start = selectors.today_bounds(timezone.make_aware(datetime.combine(first, time(12))))[0]
    end = selectors.today_bounds(timezone.make_aware(datetime.combine(last, time(12))))[1]
    rows = selectors.cash_up(office=office, start=start, end=end) if office and valid else []
    return render(request, "counter/cashup.html", {
        "rows": rows, "clerks": selectors.cash_up_by_clerk(rows), "first": first, "last": last, "office": office,
        "reversals": selectors.receipts_reversed(office=office, start=start, end=end) if rows else [],
        "form": form if request.GET else CashUpForm(initial={"start": first, "end": last}),
    }, status=200 if valid else 400)
