"""The per-office-and-day lock: every booking, change of time, hold and hold expiry of a day locks that office's
`BookingDay` row first (SELECT … FOR UPDATE), recomputes the slot inside the lock and only then writes."""

from datetime import date

from django.db import IntegrityError, transaction

from supply_service.appointments.models import BookingDay


def lock_day(office_id: int, day: date) -> BookingDay:
    try:
        with transaction.atomic():
            BookingDay.objects.get_or_create(office_id=office_id, date=day)
    except IntegrityError:
        pass  # created by a concurrent booking in the meantime
    return BookingDay.objects.select_for_update().get(office_id=office_id, date=day)


def lock_days(office_id: int, *days: date) -> None:
    for day in sorted(set(days)):  # always in date order: two changes across the same days never deadlock
        lock_day(office_id, day)
