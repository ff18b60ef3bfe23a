"""Fee collection at the window: the payment against the customer's arrears (bills marked paid oldest first and the
reconnection clock started by `customers.services.payment_record`), a receipt from a daily sequence, change for
cash; a reversal (manager, reason) adds a negative payment — nothing is deleted. The S10.3.4 guard on switching
counter payment methods off."""

from datetime import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from supply_service.core.access import require_office
from supply_service.core.services.policy import policy_int
from supply_service.core.services.workitems import workitem_number_next
from supply_service.counter.models import QueueTicket, Receipt, Tender
from supply_service.customers.selectors import customer_get_with_arrears
from supply_service.customers.services import payment_record

PAY_PERMISSION = "counter.add_receipt"
REVERSE_PERMISSION = "counter.reverse_receipt"
CENT = Decimal("0.01")


def _change(*, tender: Tender, amount: Decimal, tendered: Decimal | None) -> tuple[Decimal, Decimal]:
    if not tender.is_cash:
        return amount, Decimal("0.00")
    if tendered is None or tendered < amount:
        raise ValidationError({"tendered": _("The cash handed over is less than the amount.")})
    return tendered, (tendered - amount).quantize(CENT)


def payment_take(*, ticket: QueueTicket, by, amount: Decimal, tender: Tender, tendered: Decimal | None = None,
                 at: datetime | None = None) -> Receipt:
    """Take a payment from the customer being served at the window: one transaction (payment, bills, receipt)."""
    if not by.has_perm(PAY_PERMISSION):
        raise PermissionDenied
    require_office(by, ticket.office)
    amount = Decimal(amount).quantize(CENT)
    if amount <= 0:
        raise ValidationError({"amount": _("The amount must be more than zero.")})
    if not tender.is_active:
        raise ValidationError({"tender": _("This payment method is not offered now.")})
    tendered, change = _change(tender=tender, amount=amount, tendered=tendered)
    at = at or timezone.now()
    with transaction.atomic():
        ticket = QueueTicket.objects.select_for_update(of=("self",)).select_related("transaction").get(pk=ticket.pk)
        if ticket.state != QueueTicket.State.SERVING or ticket.clerk_id != by.pk:
            raise ValidationError(_("Take payments only from the customer you are serving."))
        customer = ticket.transaction.customer if ticket.transaction else None
        if customer is None:
            raise ValidationError(_("Enter the customer's account number when you start serving."))
        before = customer_get_with_arrears(pk=customer.pk).arrears
        number = workitem_number_next(prefix=Receipt.NUMBER_PREFIX, at=at)
        payment = payment_record(customer=customer, amount=amount, method=tender.payment_method, reference=number,
                                 by=by, paid_at=at)
        receipt = Receipt(number=number, office=ticket.office, window_id=ticket.window_id, clerk=by,
                          customer=customer, payment=payment, tender=tender, amount=amount, tendered=tendered,
                          change=change, arrears_before=before, ticket=ticket, issued_at=at)
        receipt._change_reason = "counter.payment_take"
        receipt.save()
    return receipt


def receipt_reverse(*, receipt: Receipt, by, reason: str, at: datetime | None = None) -> Receipt:
    """A manager reverses a counter payment with a reason: a negative payment is added and the bills are marked
    again; the receipt stays, marked reversed."""
    if not by.has_perm(REVERSE_PERMISSION):
        raise PermissionDenied
    require_office(by, receipt.office)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for the reversal.")})
    at = at or timezone.now()
    with transaction.atomic():
        receipt = Receipt.objects.select_for_update(of=("self",)).select_related("customer", "tender").get(pk=receipt.pk)
        if receipt.reversed_at is not None:
            raise ValidationError(_("This payment was reversed already."))
        back = payment_record(customer=receipt.customer, amount=-receipt.amount,
                              method=receipt.tender.payment_method, reference=f"{receipt.number}-R", by=by,
                              paid_at=at)
        receipt.reversed_at, receipt.reversed_by, receipt.reversal_reason = at, by, reason[:255]
        receipt.reversal_payment = back
        receipt._change_reason = "counter.receipt_reverse"
        receipt.save(update_fields=["reversed_at", "reversed_by", "reversal_reason", "reversal_payment"])
    return receipt


def tender_set_active(*, tender: Tender, by, active: bool) -> Tender:
    """Offer or withdraw a counter payment method; never fewer than the policy's minimum (S10.3.4: three)."""
    if not by.has_perm("counter.change_tender"):
        raise PermissionDenied
    with transaction.atomic():
        offered = list(Tender.objects.select_for_update().filter(is_active=True).values_list("pk", flat=True))
        minimum = policy_int("payment_methods_min")
        if not active and tender.pk in offered and len(offered) - 1 < minimum:
            raise ValidationError(_("At least %(count)s payment methods must stay offered (S10.3.4).") % {
                "count": minimum})
        tender.is_active = active
        tender._change_reason = "counter.tender_set_active"
        tender.save(update_fields=["is_active"])
    return tender
