"""The waiting list of a full day: customers join it, and a freed place is offered to the first in line."""

from datetime import date, datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from supply_service.appointments import messages
from supply_service.appointments.models import AppointmentKind, WaitingEntry
from supply_service.appointments.slots import bookable_days
from supply_service.core.access import require_office


def waiting_join(*, office, kind: AppointmentKind, day: date, name: str, phone: str, customer=None,
                 language: str = "", by=None) -> WaitingEntry:
    """Join the waiting list of a day (when it is full); the first in line is offered a freed place."""
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
    entry = WaitingEntry(office=office, kind=kind, date=day, name=name[:120], phone=phone[:40], customer=customer,
                         language=language or getattr(customer, "preferred_language", "") or "")
    entry._change_reason = "appointments.waiting_join"
    entry.save()
    return entry


def offer_freed(*, office, kind: AppointmentKind, day: date, freed: datetime, at: datetime) -> WaitingEntry | None:
    """A place of `day` became free: the first waiting customer for that office, kind and day is offered it."""
    if freed <= at:
        return None
    entry = (WaitingEntry.objects.select_for_update().select_related("kind")
             .filter(office=office, kind=kind, date=day, state=WaitingEntry.State.WAITING).order_by("created_at", "pk")
             .first())
    if entry is None:
        return None
    entry.state, entry.offered_at, entry.offered_slot = WaitingEntry.State.OFFERED, at, freed
    entry._change_reason = "appointments.waiting_offer"
    entry.save()
    messages.send_offer(entry, starts_at=freed, office=office)
    return entry
