"""Writes about customers: the query PIN, bill statuses, meter-reading schedules."""

from datetime import date, datetime, time

from django.contrib.auth.hashers import make_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Max, Sum, Window
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.utils import bulk_update_with_history

from supply_service.core.access import require_same_office
from supply_service.core.services.sla import sla_start, sla_stop
from supply_service.customers.models import Bill, Customer, Meter, MeterReading, Payment

PIN_LENGTH = 6
HOME_OFFICE_ONLY = gettext_lazy(
    "Only staff of the customer's home office may change the PIN or the contact details."
)


def require_home_office(user, customer: Customer) -> None:
    """The rule for sensitive changes to a customer (PIN, contact details): the customer's home office only."""
    require_same_office(user, customer, message=HOME_OFFICE_ONLY)


def validate_pin(pin: str) -> None:
    if len(pin) != PIN_LENGTH or not pin.isdigit():
        raise ValidationError(_("The query PIN is 6 digits."))
    if len(set(pin)) == 1 or pin in "0123456789" or pin in "9876543210":
        raise ValidationError(_("Choose a PIN that is not a run of the same or consecutive digits."))


def customer_set_pin(*, customer: Customer, pin: str, by) -> Customer:
    """Set or reset the kiosk query PIN at the counter. Stored hashed; the history records that it changed.

    A sensitive change: only staff of the customer's home office (or who act for every office) may make it —
    staff of other offices read the customer masked and take requests for them, nothing more."""
    if not by.has_perm("customers.reset_pin_customer"):
        raise PermissionDenied
    require_home_office(by, customer)
    validate_pin(pin)
    with transaction.atomic():
        customer.pin_hash = make_password(pin)
        customer.pin_set_at = timezone.now()
        customer._change_reason = "customers.pin_reset"
        customer.save(update_fields=["pin_hash", "pin_set_at"])
    return customer


def bill_statuses_refresh(*, customer_ids) -> int:
    """Mark bills paid oldest first while the customer's payments cover them (one query to read, bulk update)."""
    customer_ids = list(customer_ids)
    paid = dict(
        Payment.objects.filter(customer_id__in=customer_ids).values("customer").annotate(total=Sum("amount"))
        .values_list("customer", "total")
    )
    bills = (
        Bill.objects.filter(customer_id__in=customer_ids)
        .exclude(status=Bill.Status.CANCELLED)
        .annotate(running=Window(Sum("amount"), partition_by=[F("customer_id")], order_by=[F("period").asc()]))
    )
    changed = []
    for bill in bills:
        status = Bill.Status.PAID if bill.running <= paid.get(bill.customer_id, 0) else Bill.Status.ISSUED
        if bill.status != status:
            bill.status = status
            changed.append(bill)
    if changed:
        bulk_update_with_history(changed, Bill, ["status"], batch_size=1000,
                                 default_change_reason="customers.bill_status")
    return len(changed)


def _local(day: date, at: time) -> datetime:
    return timezone.make_aware(datetime.combine(day, at))


def reading_schedule(*, meter: Meter, scheduled_on: date) -> MeterReading:
    """Schedule a reading; its S10.2.3 clock runs for the scheduled day."""
    with transaction.atomic():
        reading, created = MeterReading.objects.get_or_create(meter=meter, scheduled_on=scheduled_on)
        if created:
            sla_start(subject=reading, commitment="meter_reading", at=_local(scheduled_on, time.min),
                      office=meter.customer.office)
    return reading


def reading_record(*, reading: MeterReading, read_on: date, value) -> MeterReading:
    """Record the actual reading; read later than scheduled breaks S10.2.3."""
    with transaction.atomic():
        reading.read_on = read_on
        reading.value = value
        reading._change_reason = "customers.reading_record"
        reading.save(update_fields=["read_on", "value"])
        sla_stop(subject=reading, commitment="meter_reading", at=_local(read_on, time(12, 0)))
    return reading


# --- Disconnection for arrears and reconnection (State Grid: reconnected within the `reconnection` commitment,
# 24 hours by default, after the arrears are paid) -----------------------------------------------------------------

RECONNECTION = "reconnection"


def customer_disconnect(*, customer: Customer, by, reason: str, at: datetime | None = None) -> Customer:
    """Record that supply was cut for arrears (the customer's home office; only while arrears are owed)."""
    from supply_service.customers.selectors import customer_get_with_arrears

    if not by.has_perm("customers.disconnect_customer"):
        raise PermissionDenied
    require_home_office(by, customer)
    if not reason.strip():
        raise ValidationError(_("Give the reason for the disconnection."))
    if customer.disconnected_at is not None:
        raise ValidationError(_("This customer is already disconnected."))
    if not customer_get_with_arrears(pk=customer.pk).arrears:
        raise ValidationError(_("Nothing is owed: supply is not cut for arrears."))
    with transaction.atomic():
        customer.disconnected_at = at or timezone.now()
        customer.disconnect_reason = reason.strip()[:255]
        customer._change_reason = "customers.disconnect"
        customer.save(update_fields=["disconnected_at", "disconnect_reason"])
    return customer


def customers_arrears_paid(*, customer_ids) -> int:
    """After payments are recorded: disconnected customers who now owe nothing get their reconnection clock, started
    at the payment that cleared the arrears (bulk: a few queries whatever the number). Returns the clocks started."""
    from supply_service.core.services.sla import sla_record_many
    from supply_service.customers.selectors import with_arrears

    cleared = list(
        with_arrears(Customer.objects.filter(pk__in=list(customer_ids), disconnected_at__isnull=False))
        .filter(arrears=0).select_related("office")
    )
    if not cleared:
        return 0
    paid_at = dict(
        Payment.objects.filter(customer__in=cleared).values("customer").annotate(last=Max("paid_at"))
        .values_list("customer", "last")
    )
    items = [(c, max(paid_at.get(c.pk) or c.disconnected_at, c.disconnected_at), None, c.office) for c in cleared]
    return sla_record_many(commitment=RECONNECTION, items=items)


def customer_reconnect(*, customer: Customer, by, at: datetime | None = None) -> Customer:
    """Supply is back: the disconnection ends and the reconnection clock stops (met or breached)."""
    if not by.has_perm("customers.disconnect_customer"):
        raise PermissionDenied
    require_home_office(by, customer)
    if customer.disconnected_at is None:
        raise ValidationError(_("This customer is not disconnected."))
    at = at or timezone.now()
    with transaction.atomic():
        customer.disconnected_at = None
        customer.disconnect_reason = ""
        customer._change_reason = "customers.reconnect"
        customer.save(update_fields=["disconnected_at", "disconnect_reason"])
        sla_stop(subject=customer, commitment=RECONNECTION, at=at)
    return customer


def payment_record(*, customer: Customer, amount, method, reference: str, by, paid_at: datetime | None = None):
    """One payment taken by staff (the counter); bills are marked paid and a disconnected customer who now owes
    nothing gets the reconnection clock."""
    if not by.has_perm("customers.add_payment"):
        raise PermissionDenied
    with transaction.atomic():
        payment = Payment(customer=customer, amount=amount, method=method, reference=reference,
                          paid_at=paid_at or timezone.now())
        payment.full_clean()
        payment._change_reason = "customers.payment_record"
        payment.save()
        bill_statuses_refresh(customer_ids=[customer.pk])
        customers_arrears_paid(customer_ids=[customer.pk])
    return payment
