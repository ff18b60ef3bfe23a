"""A freed place is **held** for the first customer on the waiting list (policy `appointment_hold_minutes`).

When a booking is cancelled or moved and someone waits for that office, kind and day, the place is held for the
first in line: the slot arithmetic counts the hold as taken (`slots._bookings`), so nobody else can book it
meanwhile; the SMS says until when and gives a code. The customer confirms with the phone and that code
(`hold_confirm`) → an appointment in that place. A hold not confirmed in time expires (`holds_expire`, the
`appointment-holds` schedule) and the place passes to the next in line, or back to everyone.

Every step runs under the office-day lock (`locks.lock_day`) that bookings take: a hold, its confirmation, its
expiry and an ordinary booking of that day queue behind one another."""

import secrets
from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from supply_service.appointments import messages
from supply_service.appointments.locks import lock_day
from supply_service.appointments.models import Appointment, AppointmentKind, Place, WaitingEntry
from supply_service.appointments.slots import find_slot
from supply_service.core.services.policy import policy_int

HELD = WaitingEntry.State.HELD


def hold_freed(*, office, kind: AppointmentKind, day: date, freed: datetime, at: datetime) -> WaitingEntry | None:
    """A place of `day` at `freed` became free (the caller holds the day's lock): hold it for the first waiting
    customer of that office, kind and day — when the place really is free for them."""
    from supply_service.appointments.services import home_service_eligible

    if freed <= at:
        return None
    entry = (WaitingEntry.objects.select_for_update(of=("self",)).select_related("kind", "customer")
             .filter(office=office, kind=kind, date=day, state=WaitingEntry.State.WAITING)
             .order_by("created_at", "pk").first())
    if entry is None:
        return None
    eligible = home_service_eligible(entry.customer)
    home = eligible and kind.home_service
    slot = find_slot(office=office.pk, kind=kind, starts_at=freed, home=home, now=at)
    if slot is None or slot.free(priority=eligible) < 1:
        return None
    visit = kind.on_site or home
    entry.state, entry.offered_at, entry.offered_slot = HELD, at, slot.starts_at
    entry.hold_until = min(at + timedelta(minutes=policy_int("appointment_hold_minutes")), slot.starts_at)
    entry.hold_ends_at = slot.ends_at
    entry.hold_place = Place.ON_SITE if visit else Place.OFFICE
    entry.hold_assignee_id = slot.free_people[0] if visit else None
    entry.hold_home_service = bool(eligible and visit)
    entry.hold_code, entry.hold_attempts = f"{secrets.randbelow(10 ** 6):06d}", 0
    entry._change_reason = "appointments.waiting_hold"
    entry.save()
    messages.send_hold(entry, office=office)
    return entry


def _held_for(phone: str, code: str, at: datetime) -> WaitingEntry:
    """The live hold of this phone whose code matches (one message whichever is wrong); wrong codes are counted and
    the policy's number of them ends the chance to confirm on line."""
    wrong = ValidationError(_("The phone number or the code is wrong, or no place is held for you any more."))
    phone, code = phone.strip()[:40], code.strip()[:12]
    entry = (WaitingEntry.objects.filter(phone=phone, state=HELD, hold_until__gt=at).order_by("-offered_at", "-pk")
             .first())
    if entry is None or not code:
        raise wrong
    if entry.hold_attempts >= policy_int("appointment_code_attempts"):
        raise ValidationError(_("Too many wrong codes: please call the office."))
    if not secrets.compare_digest(entry.hold_code.encode(), code.encode()):
        WaitingEntry.objects.filter(pk=entry.pk).update(hold_attempts=F("hold_attempts") + 1)
        raise wrong
    return entry


def hold_confirm(*, phone: str, code: str, channel: str = "web", at: datetime | None = None) -> Appointment:
    """The customer confirms the place held for them (phone + the code of the SMS): it becomes their appointment."""
    from supply_service.appointments.services import appointment_book

    at = at or timezone.now()
    entry = _held_for(phone, code, at)
    with transaction.atomic():
        lock_day(entry.office_id, entry.date)
        locked = (WaitingEntry.objects.select_for_update(of=("self",)).select_related("office", "kind", "customer")
                  .get(pk=entry.pk))
        if locked.state != HELD or locked.hold_until <= at:
            raise ValidationError(_("The time to confirm the held place has passed."))
        appointment = appointment_book(
            office=locked.office, kind=locked.kind, starts_at=locked.offered_slot, channel=channel,
            customer=locked.customer, name=locked.name, phone=locked.phone, language=locked.language,
            address=locked.address, home=locked.hold_home_service and not locked.kind.on_site, at=at,
            hold_id=locked.pk)
        locked.state, locked.appointment = WaitingEntry.State.BOOKED, appointment
        locked._change_reason = "appointments.waiting_hold_confirm"
        locked.save()
    return appointment


def holds_expire(*, now: datetime | None = None, limit: int = 200) -> int:
    """Holds not confirmed in time expire; each place passes to the next in line (or back to everyone). One
    transaction per hold, under the day's lock. Returns the number of holds expired."""
    now = now or timezone.now()
    due = list(WaitingEntry.objects.filter(state=HELD, hold_until__lte=now).order_by("hold_until", "pk")
               .values_list("pk", "office_id", "date")[:limit])
    expired = 0
    for pk, office_id, day in due:
        with transaction.atomic():
            lock_day(office_id, day)
            entry = WaitingEntry.objects.select_for_update(of=("self",)).select_related("office", "kind").get(pk=pk)
            if entry.state != HELD or entry.hold_until > now:
                continue  # confirmed (or changed) meanwhile
            entry.state = WaitingEntry.State.EXPIRED
            entry._change_reason = "appointments.waiting_hold_expired"
            entry.save()
            expired += 1
            hold_freed(office=entry.office, kind=entry.kind, day=day, freed=entry.offered_slot, at=now)
    return expired
