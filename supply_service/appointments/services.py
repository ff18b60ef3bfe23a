"""Appointment use-cases (one transaction each). Staff services check the permission of the step and the office
rule; the customer's own services (kiosk, public page) check the customer's code and the change cut-off instead.

Every booking of a day locks that office's `BookingDay` row first (SELECT … FOR UPDATE), recomputes the slot and
only then writes: two bookings of one slot queue and the second one sees the first — a slot is never overbooked.
Every change of time or cancellation raises the appointment's `revision`: the reminders of older revisions are
superseded and the sweep sends only current ones."""

import secrets
from datetime import date, datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_fsm import TransitionNotAllowed, can_proceed, has_transition_perm

from supply_service.appointments import messages
from supply_service.appointments.holds import hold_freed as _offer_freed
from supply_service.appointments.locks import lock_day as _lock_day
from supply_service.appointments.locks import lock_days as _lock_days
from supply_service.appointments.models import (
    CHANGEABLE_STATES,
    Appointment,
    AppointmentKind,
    BookingDay,
    Party,
    Place,
    Reminder,
    State,
)
from supply_service.appointments.reminders import reminders_rebuild, reminders_send_due  # noqa: F401 (API)
from supply_service.appointments.slots import Slot, bookable_days, day_slots, find_slot
from supply_service.appointments.ticket_link import ticket_check
from supply_service.appointments.waiting import waiting_join  # noqa: F401 (API)
from supply_service.core.access import require_office, require_same_office
from supply_service.core.models import Callback, User
from supply_service.core.services.policy import policy_int
from supply_service.core.services.sla import sla_close_for_cancelled, sla_start, sla_stop
from supply_service.core.services.workitems import (
    callback_attempts,
    callback_record,
    workitem_prepare,
    workitem_record_no_callback,
)

ARRIVAL = "appointment_arrival"


def home_service_eligible(customer) -> bool:
    """Disabled customers and elderly customers with limited mobility (flags kept by the customers app; S10.3.5)."""
    return bool(customer is not None and (customer.is_disabled or customer.is_elderly_limited_mobility))


def _save(appointment: Appointment, reason: str, **kwargs) -> None:
    appointment._change_reason = reason
    appointment.save(**kwargs)


def _new_code() -> str:
    return f"{secrets.randbelow(10 ** 6):06d}"


def _check_when(starts_at: datetime, now: datetime) -> None:
    if starts_at <= now:
        raise ValidationError(_("Choose a time in the future."))
    if timezone.localtime(starts_at).date() not in bookable_days(today=timezone.localtime(now).date()):
        days = policy_int("appointment_booking_days")
        raise ValidationError(ngettext("Appointments can be booked up to %(days)s day ahead.",
                                       "Appointments can be booked up to %(days)s days ahead.", days) % {"days": days})


def _free_slot(*, office_id: int, kind: AppointmentKind, starts_at: datetime, home: bool, priority: bool,
               exclude_pk: int | None, now: datetime, exclude_hold: int | None = None) -> Slot:
    slot = find_slot(office=office_id, kind=kind, starts_at=starts_at, home=home, exclude_pk=exclude_pk, now=now,
                     exclude_hold=exclude_hold)
    if slot is None:
        raise ValidationError(_("This time is not offered for %(kind)s: choose one of the free times.") % {
            "kind": kind.display_name})
    if slot.free(priority=priority) < 1:
        raise ValidationError(_("This time is fully booked: choose another time or join the waiting list."))
    return slot


def _owner_for(office, slot: Slot, assignee_id: int | None):
    """Who owns a booking the customer made: the person who will serve it, else one on duty, else the office's
    customer manager."""
    for pk in [assignee_id, *slot.on_duty]:
        if pk:
            return User.objects.get(pk=pk)
    manager = office.customer_managers.order_by("pk").first()
    if manager is None:
        raise ValidationError(_("This office takes no appointments on line yet: please call or visit it."))
    return manager


def _start_clock(appointment: Appointment) -> None:
    if appointment.is_visit:
        sla_start(subject=appointment, commitment=ARRIVAL, at=appointment.starts_at, owner=appointment.assignee
                  or appointment.owner)


def appointment_book(*, office, kind: AppointmentKind, starts_at: datetime, channel: str, by=None, customer=None,
                     name: str = "", phone: str = "", email: str = "", language: str = "", address: str = "",
                     home: bool | None = None, note: str = "", ticket_number: str = "", confirm: bool = True,
                     at: datetime | None = None, hold_id: int | None = None) -> Appointment:
    """Book a place. `by` is the staff member booking for the customer (their permission and office are checked);
    None when the customer books at the kiosk or on the public page (the caller verified the customer). `home`:
    home service of an office kind for an eligible customer (defaults to eligibility). `hold_id`: the waiting-list
    hold this booking confirms (its place is this booking's, `holds.hold_confirm`)."""
    at = at or timezone.now()
    if by is not None:
        if not by.has_perm("appointments.add_appointment"):
            raise PermissionDenied
        require_office(by, office)
    if not kind.is_active:
        raise ValidationError(_("This kind of appointment is not offered."))
    eligible = home_service_eligible(customer)
    home = eligible and kind.home_service if home is None else bool(home)
    if home and not eligible:
        raise ValidationError(_("Home service is for disabled customers and elderly customers with limited "
                                "mobility."))
    if home and not kind.home_service and not kind.on_site:
        raise ValidationError(_("This kind of appointment cannot be done at home."))
    name = (name or getattr(customer, "name", "")).strip()
    phone = (phone or getattr(customer, "phone", "")).strip()
    address = (address or (getattr(customer, "address", "") if (kind.on_site or home) else "")).strip()
    if not name or not phone:
        raise ValidationError(_("Give the customer's name and phone number."))
    visit = kind.on_site or home
    if visit and not address:
        raise ValidationError(_("Give the address of the visit."))
    _check_when(starts_at, at)
    ticket_number = ticket_check(ticket_number=ticket_number, office=office)
    with transaction.atomic():
        _lock_day(office.pk, timezone.localtime(starts_at).date())
        slot = _free_slot(office_id=office.pk, kind=kind, starts_at=starts_at, home=home, priority=eligible,
                          exclude_pk=None, now=at, exclude_hold=hold_id)
        assignee_id = slot.free_people[0] if visit else None
        appointment = Appointment(
            office=office, channel=channel, kind=kind, customer=customer, starts_at=slot.starts_at,
            ends_at=slot.ends_at, place=Place.ON_SITE if visit else Place.OFFICE, address=address[:255],
            assignee_id=assignee_id, home_service=home or (eligible and visit), fee_waived=eligible,
            language=language or getattr(customer, "preferred_language", "") or "", email=email.strip()
            or getattr(customer, "email", ""), note=note.strip()[:255], ticket_number=ticket_number,
            customer_name=name[:120], customer_phone=phone[:40], account_number=getattr(customer, "account_number", ""),
            access_code=_new_code(),
        )
        appointment.owner = by or _owner_for(office, slot, assignee_id)
        workitem_prepare(item=appointment, by=appointment.owner, at=at)
        appointment.full_clean(exclude=["state", "number", "first_responder", "owner", "office", "customer", "kind",
                                        "assignee", "access_code"])
        _save(appointment, "appointments.book")
        if confirm:
            appointment.confirm(at=at)
            _save(appointment, "appointments.confirm")
        BookingDay.objects.filter(office_id=office.pk, date=timezone.localtime(starts_at).date()).update(
            bookings=F("bookings") + 1)
        _start_clock(appointment)
        _messages_after_change(appointment, at=at)
    return appointment


def _messages_after_change(appointment: Appointment, *, at: datetime) -> None:
    """The customer is told, and the reminders are rebuilt for the current revision."""
    if appointment.state in CHANGEABLE_STATES:
        messages.send_confirmation(appointment)
    elif appointment.state == State.CANCELLED:
        messages.send_cancelled(appointment)
    reminders_rebuild(appointment=appointment, at=at)


# --- changes of time and cancellation --------------------------------------------------------------------------

def _staff_step(appointment: Appointment, method_name: str, by) -> None:
    require_same_office(by, appointment)
    method = getattr(appointment, method_name)
    if not can_proceed(method):
        raise TransitionNotAllowed(_("This step is not possible in the appointment's present state."))
    if not has_transition_perm(method, by):
        raise PermissionDenied


def _reschedule(appointment: Appointment, *, starts_at: datetime, reason: str, at: datetime) -> Appointment:
    old_day = timezone.localtime(appointment.starts_at).date()
    old_start = appointment.starts_at
    with transaction.atomic():
        _lock_days(appointment.office_id, old_day, timezone.localtime(starts_at).date())
        locked = Appointment.objects.select_related("kind", "office", "customer").get(pk=appointment.pk)
        if locked.state not in CHANGEABLE_STATES:
            raise TransitionNotAllowed(_("This appointment can no longer be changed."))
        home = locked.is_visit and not locked.kind.on_site
        slot = _free_slot(office_id=locked.office_id, kind=locked.kind, starts_at=starts_at, home=home,
                          priority=locked.home_service, exclude_pk=locked.pk, now=at)
        assignee = None
        if locked.is_visit:
            keep = locked.assignee_id in slot.free_people
            assignee = User.objects.get(pk=locked.assignee_id if keep else slot.free_people[0])
        locked.reschedule(at=at, starts_at=slot.starts_at, ends_at=slot.ends_at, reason=reason[:255],
                          assignee=assignee)
        locked.revision += 1
        _save(locked, "appointments.reschedule")
        sla_close_for_cancelled(subject=locked, reason=_("Appointment rescheduled: %(reason)s") % {"reason": reason},
                                at=at)
        _start_clock(locked)
        _messages_after_change(locked, at=at)
        _offer_freed(office=locked.office, kind=locked.kind, day=old_day, freed=old_start, at=at)
    return locked


def appointment_reschedule(*, appointment: Appointment, by, starts_at: datetime, reason: str,
                           at: datetime | None = None) -> Appointment:
    """Staff move an appointment to another free slot, with the reason."""
    _staff_step(appointment, "reschedule", by)
    if not reason.strip():
        raise ValidationError(_("Give the reason for the change of time."))
    at = at or timezone.now()
    _check_when(starts_at, at)
    return _reschedule(appointment, starts_at=starts_at, reason=reason.strip(), at=at)


def _cancel(appointment: Appointment, *, party: str, reason: str, at: datetime) -> Appointment:
    day = timezone.localtime(appointment.starts_at).date()
    with transaction.atomic():
        _lock_day(appointment.office_id, day)
        locked = Appointment.objects.select_related("kind", "office").get(pk=appointment.pk)
        if not can_proceed(locked.cancel):
            raise TransitionNotAllowed(_("This appointment can no longer be cancelled."))
        locked.cancel(at=at, by_party=party, reason=reason[:255])
        locked.revision += 1
        _save(locked, "appointments.cancel")
        sla_close_for_cancelled(subject=locked, reason=_("Appointment cancelled: %(reason)s") % {"reason": reason},
                                at=at)
        _messages_after_change(locked, at=at)
        _offer_freed(office=locked.office, kind=locked.kind, day=day, freed=locked.starts_at, at=at)
    return locked


def appointment_cancel(*, appointment: Appointment, by, reason: str, party: str = Party.OFFICE,
                       at: datetime | None = None) -> Appointment:
    """Staff cancel, for the office or on the customer's request (`party`), with the reason."""
    _staff_step(appointment, "cancel", by)
    if not reason.strip():
        raise ValidationError(_("Give the reason for cancelling."))
    if party not in Party.values:
        raise ValidationError(_("Say who cancels."))
    return _cancel(appointment, party=party, reason=reason.strip(), at=at or timezone.now())


# --- the customer's own changes, with the code of the message ---------------------------------------------------

def appointment_get_by_code(*, number: str, code: str) -> Appointment:
    """The appointment whose number and code match (one message whichever is wrong: no probing)."""
    wrong = ValidationError(_("The number or the code is wrong."))
    appointment = (Appointment.objects.select_related("kind", "office").filter(number=number.strip().upper())
                   .first())
    if appointment is None or not secrets.compare_digest(appointment.access_code.encode(), code.strip().encode()):
        raise wrong
    return appointment


def _check_cutoff(appointment: Appointment, at: datetime) -> None:
    hours = policy_int("appointment_change_cutoff_hours")
    if appointment.state not in CHANGEABLE_STATES:
        raise ValidationError(_("This appointment can no longer be changed."))
    if at > appointment.starts_at - timedelta(hours=hours):
        raise ValidationError(ngettext(
            "Changes are possible up to %(hours)s hour before the appointment: please call the office.",
            "Changes are possible up to %(hours)s hours before the appointment: please call the office.",
            hours) % {"hours": hours})


def appointment_cancel_by_code(*, number: str, code: str, at: datetime | None = None) -> Appointment:
    at = at or timezone.now()
    appointment = appointment_get_by_code(number=number, code=code)
    _check_cutoff(appointment, at)
    return _cancel(appointment, party=Party.CUSTOMER, reason=_("Cancelled by the customer"), at=at)


def appointment_reschedule_by_code(*, number: str, code: str, starts_at: datetime,
                                   at: datetime | None = None) -> Appointment:
    at = at or timezone.now()
    appointment = appointment_get_by_code(number=number, code=code)
    _check_cutoff(appointment, at)
    _check_when(starts_at, at)
    return _reschedule(appointment, starts_at=starts_at, reason=_("Changed by the customer"), at=at)


# --- the visit or the counter appointment itself -----------------------------------------------------------------

def _step(appointment: Appointment, method_name: str, by, at: datetime | None, **data) -> Appointment:
    _staff_step(appointment, method_name, by)
    at = at or timezone.now()
    with transaction.atomic():
        getattr(appointment, method_name)(at=at, **data)
        _save(appointment, f"appointments.{method_name}")
    return appointment


def appointment_confirm(*, appointment: Appointment, by, at: datetime | None = None) -> Appointment:
    at = at or timezone.now()
    with transaction.atomic():
        _step(appointment, "confirm", by, at)
        messages.send_confirmation(appointment)
    return appointment


def appointment_set_off(*, appointment: Appointment, by, at: datetime | None = None) -> Appointment:
    if not appointment.is_visit:
        raise ValidationError(_("Only a visit has a way to go."))
    return _step(appointment, "set_off", by, at)


def appointment_arrive(*, appointment: Appointment, by, at: datetime | None = None) -> Appointment:
    """Arrival recorded (by the crew on a phone, or at the counter): a visit's arrival clock stops — met when
    early or inside the window, breached when late (S10.2.7)."""
    at = at or timezone.now()
    with transaction.atomic():
        _step(appointment, "arrive", by, at)
        if appointment.is_visit:
            sla_stop(subject=appointment, commitment=ARRIVAL, at=at)
        Reminder.objects.filter(appointment=appointment, state=Reminder.State.PENDING).update(
            state=Reminder.State.SUPERSEDED)
    return appointment


def appointment_serve(*, appointment: Appointment, by, at: datetime | None = None) -> Appointment:
    return _step(appointment, "serve", by, at)


def appointment_miss(*, appointment: Appointment, by, missed_by: str, reason: str,
                     at: datetime | None = None) -> Appointment:
    """A no-show, with who missed it. The customer missed: the arrival clock is waived with the reason. The office
    missed: the clock is stopped as breached (no arrival within the window)."""
    if missed_by not in Party.values:
        raise ValidationError(_("Say who missed the appointment."))
    if not reason.strip():
        raise ValidationError(_("Give the reason for the missed appointment."))
    at = at or timezone.now()
    with transaction.atomic():
        _step(appointment, "miss", by, at, missed_by=missed_by, reason=reason.strip())
        if missed_by == Party.CUSTOMER:
            sla_close_for_cancelled(subject=appointment, at=at, reason=_("Customer missed the appointment: "
                                                                         "%(reason)s") % {"reason": reason})
        elif appointment.is_visit:
            end = messages.window_end(appointment)
            sla_stop(subject=appointment, commitment=ARRIVAL, at=max(at, end + timedelta(seconds=1)))
        Reminder.objects.filter(appointment=appointment, state=Reminder.State.PENDING).update(
            state=Reminder.State.SUPERSEDED)
    return appointment


def appointment_callback(*, appointment: Appointment, by, outcome: str, note: str = "",
                         at: datetime | None = None) -> Appointment:
    """The callback after the appointment (S13.5): satisfied closes the loop; not satisfied reopens it (a new
    visit is agreed); unreachable after the policy's attempts closes with that reason."""
    require_same_office(by, appointment)
    if not by.has_perm("appointments.callback_appointment"):
        raise PermissionDenied
    at = at or timezone.now()
    with transaction.atomic():
        locked = Appointment.objects.select_for_update().get(pk=appointment.pk)
        if locked.state != State.DONE:
            raise ValidationError(_("Call back only after the appointment was served."))
        callback_record(item=locked, by=by, outcome=outcome, note=note, at=at)
        if outcome == Callback.Outcome.SATISFIED:
            locked.call_back(at=at)
            _save(locked, "appointments.call_back")
            locked.close(at=at)
            _save(locked, "appointments.close")
        elif outcome == Callback.Outcome.UNSATISFIED:
            locked.reopen(at=at)
            _save(locked, "appointments.reopen")
        elif callback_attempts(item=locked, since=locked.resolved_at) >= policy_int("callback_max_attempts"):
            workitem_record_no_callback(item=locked, reason=_("Customer unreachable for the callback"))
            locked.close(at=at)
            _save(locked, "appointments.close")
    appointment.refresh_from_db()
    return appointment


def appointment_close_without_callback(*, appointment: Appointment, by, reason: str, due: bool = True,
                                       at: datetime | None = None) -> Appointment:
    require_same_office(by, appointment)
    if not by.has_perm("appointments.close_appointment"):
        raise PermissionDenied
    with transaction.atomic():
        workitem_record_no_callback(item=appointment, reason=reason, due=due)
        return _step(appointment, "close", by, at)


def free_slots(*, office, kind: AppointmentKind, day: date, customer=None, home: bool | None = None) -> list[Slot]:
    """The slots of a day with a free place for this customer (home service and its priority places included)."""
    eligible = home_service_eligible(customer)
    home = eligible and kind.home_service if home is None else home
    return [s for s in day_slots(office=office, kind=kind, day=day, home=bool(home)) if s.free(priority=eligible)]
