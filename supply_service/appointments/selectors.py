"""Reads of the appointment pages and of other apps (customer page, dashboard): constant queries per page."""

import functools
from datetime import date, datetime, timedelta
from typing import NamedTuple

from django.db.models import IntegerField, QuerySet
from django.utils.translation import gettext

from supply_service.appointments.models import Appointment, AppointmentKind, WaitingEntry
from supply_service.appointments.slots import day_bounds
from supply_service.core.prepared import Bind, Read, fetch, prepared
from supply_service.customers.models import Customer


def appointment_get_by_number(*, number: str) -> Appointment | None:
    return (Appointment.objects.select_related("kind", "office", "customer", "assignee", "owner")
            .filter(number=number).first())


def appointment_plan(*, office_id: int | None, day: date, days: int = 1, person_id: int | None = None
                     ) -> QuerySet[Appointment]:
    """The appointments of an office (or of one person) over `days` days from `day`, by time: the day/week plan."""
    start, _end = day_bounds(day)
    _start, end = day_bounds(day + timedelta(days=max(days, 1) - 1))
    qs = Appointment.objects.select_related("kind", "assignee").filter(starts_at__gte=start, starts_at__lt=end)
    if office_id is not None:
        qs = qs.filter(office_id=office_id)
    if person_id is not None:
        qs = qs.filter(assignee_id=person_id)
    return qs.order_by("starts_at", "pk")


def route_sheet(*, person_id: int, day: date) -> list[Appointment]:
    """A crew member's visits of a day, in order (the printable route sheet)."""
    return list(appointment_plan(office_id=None, day=day, person_id=person_id).filter(place="on_site")
                .exclude(state__in=("cancelled",)))


@functools.cache
def _for_customer(limit: int):
    return prepared(lambda: Appointment.objects.select_related("kind")
                    .filter(customer_id=Bind("customer", IntegerField())).order_by("-starts_at")[:limit])


class CustomerAppointmentRow(NamedTuple):
    """An appointment as the staff customer page lists it: a tuple, no model instances (issue 12)."""

    number: str
    kind_name: str  # the kind's stored name (an English msgid): `kind_label()` in the active language
    starts_at: datetime
    state: str

    def kind_label(self) -> str:
        return gettext(self.kind_name)


@functools.cache
def _rows_for_customer(limit: int):
    return prepared(lambda: Appointment.objects.filter(customer_id=Bind("customer", IntegerField()))
                    .order_by("-starts_at").values_list("number", "kind__name", "starts_at", "state")[:limit])


def appointment_rows_for_customer(*, customer_id: int, limit: int = 10) -> list[CustomerAppointmentRow]:
    """`appointments_for_customer` as the customer page's rows (one statement, compiled once)."""
    return fetch(appointment_rows_read(customer_id=customer_id, limit=limit))


def appointment_rows_read(*, customer_id: int, limit: int = 10) -> Read:
    return _rows_for_customer(limit).read(customer=customer_id).then(_appointment_rows)


def _appointment_rows(rows) -> list[CustomerAppointmentRow]:
    return list(map(CustomerAppointmentRow._make, rows))


def appointments_for_customer(*, customer_id: int, limit: int = 10) -> list[Appointment]:
    """The customer's latest appointments, newest first (one statement per limit, compiled once: core.prepared)."""
    return _for_customer(limit)(customer=customer_id)


def waiting_for_office(*, office_id: int | None) -> QuerySet[WaitingEntry]:
    qs = WaitingEntry.objects.select_related("kind").filter(state=WaitingEntry.State.WAITING)
    if office_id is not None:
        qs = qs.filter(office_id=office_id)
    return qs.order_by("date", "created_at", "pk")


def kinds_offered() -> list[AppointmentKind]:
    return list(AppointmentKind.objects.filter(is_active=True))


def customer_by_account(*, account_number: str) -> Customer | None:
    if not account_number:
        return None
    return Customer.objects.filter(account_number=account_number.strip(), is_active=True).first()


def customer_by_pk(*, pk: int) -> Customer | None:
    return Customer.objects.filter(pk=pk, is_active=True).first()


def appointment_code_valid_today(*, code: str, office, today: date | None = None) -> bool:
    """The counter's number printer asks (core hook `appointment_code_check`): is `code` — an appointment's number
    or the code of its message — an appointment at the office today that still holds its place?"""
    from django.db.models import Q
    from django.utils import timezone

    code = (code or "").strip()
    if not code or office is None:
        return False
    start, end = day_bounds(today or timezone.localdate())
    return Appointment.objects.filter(Q(number=code.upper()) | Q(access_code=code), office=office,
                                      starts_at__gte=start, starts_at__lt=end,
                                      state__in=("requested", "confirmed")).exists()


def kind_by_code(*, code: str) -> AppointmentKind | None:
    return AppointmentKind.objects.filter(code=code, is_active=True).first() if code else None
