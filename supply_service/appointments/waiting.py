"""The waiting list of a full day: customers join it; a freed place is held for the first in line (`holds`)."""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from supply_service.appointments.models import AppointmentKind, WaitingEntry
from supply_service.appointments.slots import bookable_days
from supply_service.core.access import require_office


def waiting_join(*, office, kind: AppointmentKind, day: date, name: str, phone: str, customer=None,
                 language: str = "", address: str = "", by=None) -> WaitingEntry:
    """Join the waiting list of a day (when it is full); a freed place is held for the first in line. `address`:
    where a visit would go (defaults to the customer's address)."""
    if by is not None:
        if not by.has_perm("appointments.add_appointment"):
            raise PermissionDenied
        require_office(by, office)
    name, phone = (name or getattr(customer, "name", "")).strip(), (phone or getattr(customer, "phone", "")).strip()
    if not name or not phone:
        raise ValidationError(_("Give the customer's name and phone number."))
    if day not in bookable_days():
        raise ValidationError(_("Choose a day that can be booked."))
    if WaitingEntry.objects.filter(office=office, kind=kind, date=day, phone=phone,
                                   state=WaitingEntry.State.WAITING).exists():
        raise ValidationError(_("This phone number is already on the waiting list for that day."))
    address = (address or getattr(customer, "address", "") or "").strip()[:255]
    entry = WaitingEntry(office=office, kind=kind, date=day, name=name[:120], phone=phone[:40], customer=customer,
                         address=address, language=language or getattr(customer, "preferred_language", "") or "")
    entry._change_reason = "appointments.waiting_join"
    entry.save()
    return entry
