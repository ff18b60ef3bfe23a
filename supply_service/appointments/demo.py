"""Demo data of the appointments app (`manage.py seed_demo`; idempotent): slot templates for every office and kind
(offices open every day, S10.1.1; on-site kinds on working days; the holiday kind on rest days), a rota of the
office's clerks and crews for the booking horizon, and a few booked appointments for tomorrow."""

from datetime import time, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from supply_service.appointments import seed
from supply_service.appointments.models import AppointmentKind, DayRule, DutyShift, SlotTemplate
from supply_service.appointments.slots import bookable_days
from supply_service.core.models import Office, Policy, User

HOURS = {DayRule.EVERY_DAY: [(time(9, 0), time(12, 0)), (time(14, 0), time(17, 0))],
         DayRule.WORKING_DAYS: [(time(9, 0), time(17, 0))], DayRule.HOLIDAYS: [(time(9, 0), time(12, 0))]}


def _rule(kind: AppointmentKind) -> str:
    if kind.code == "holiday_business":
        return DayRule.HOLIDAYS
    return DayRule.WORKING_DAYS if kind.on_site else DayRule.EVERY_DAY


def _templates(office, kinds) -> None:
    if SlotTemplate.objects.filter(office=office).exists():
        return
    for kind in kinds:
        rule = _rule(kind)
        for weekday in range(7):
            for start, end in HOURS[rule]:
                SlotTemplate.objects.create(office=office, kind=kind, weekday=weekday, days=rule, starts_at=start,
                                            ends_at=end, capacity=2, priority_reserve=0 if kind.on_site else 1)


def _rota(office, kinds) -> int:
    people = {role: list(User.objects.filter(office=office, is_active=True, groups__name=role).distinct())
              for role in ("counter_clerk", "field_crew")}
    made = 0
    for day in bookable_days():
        if DutyShift.objects.filter(office=office, date=day).exists():
            continue
        for role, persons in people.items():
            served = [k for k in kinds if k.serving_role == role]
            for person in persons:
                shift = DutyShift.objects.create(office=office, person=person, date=day, starts_at=time(8, 30),
                                                 ends_at=time(17, 30))
                shift.kinds.set(served)
                made += 1
    return made


def seed_demo_appointments(*, options: dict | None = None, stdout=None) -> dict:
    seed.seed_kinds(AppointmentKind)
    seed.seed_policies(Policy)
    kinds = list(AppointmentKind.objects.filter(is_active=True))
    result = {"shifts": 0, "appointments": 0}
    for office in Office.objects.filter(is_active=True):
        with transaction.atomic():
            _templates(office, kinds)
            result["shifts"] += _rota(office, kinds)
            result["appointments"] += _bookings(office, kinds)
    if stdout is not None:
        stdout.write(f"appointments: {result['shifts']} duty shifts, {result['appointments']} appointments")
    return result


def _bookings(office, kinds) -> int:
    """Two appointments tomorrow (a counter appointment and a meter installation) for the office's first
    customers, once."""
    from supply_service.appointments.models import Appointment
    from supply_service.appointments.services import appointment_book, free_slots
    from supply_service.customers.models import Customer

    if Appointment.objects.filter(office=office).exists():
        return 0
    tomorrow = timezone.localdate() + timedelta(days=1)
    customers = list(Customer.objects.filter(office=office, is_active=True).order_by("pk")[:2])
    made = 0
    for customer, code in zip(customers, ("business", "meter_installation"), strict=False):
        kind = next((k for k in kinds if k.code == code), None)
        slots = free_slots(office=office, kind=kind, day=tomorrow, customer=customer) if kind else []
        if not slots:
            continue
        try:
            appointment_book(office=office, kind=kind, starts_at=slots[0].starts_at, channel="phone",
                             customer=customer)
        except ValidationError:  # a demo customer without a phone: no appointment for them
            continue
        made += 1
    return made
