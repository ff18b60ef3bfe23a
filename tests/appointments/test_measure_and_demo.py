"""The arrival measure (S10.2.7) in the kernel's registry, and the demo seeder."""

from datetime import time, timedelta

import pytest
from django.utils import timezone

from supply_service.appointments import services
from supply_service.appointments.demo import seed_demo_appointments
from supply_service.appointments.models import Appointment, DutyShift, SlotTemplate
from supply_service.appointments.slots import local_dt
from supply_service.core.measures import measures
from tests.appointments.conftest import DAYS
from tests.factories.appointments import open_office
from tests.factories.customers import CustomerFactory

pytestmark = pytest.mark.django_db


def test_arrival_measure_counts_met_and_breached_visits_S10_2_7(office, clerk, crew, frozen):
    meter = open_office(office=office, kind_code="meter_installation", people=[crew], days=DAYS,
                        starts_at=time(9, 0), ends_at=time(17, 0))
    visits = [services.appointment_book(office=office, kind=meter, starts_at=local_dt(DAYS[1], time(hour, 0)),
                                        channel="phone", by=clerk, customer=CustomerFactory(office=office))
              for hour in (9, 12, 15)]
    services.appointment_arrive(appointment=visits[0], by=crew, at=visits[0].starts_at + timedelta(minutes=10))
    services.appointment_arrive(appointment=visits[1], by=crew, at=visits[1].starts_at + timedelta(minutes=90))
    services.appointment_cancel(appointment=visits[2], by=clerk, reason="Customer asked", party="customer")
    measure = {m.key: m for m in measures()}["appointment_arrival_in_window"]
    result = measure(office=office, start=local_dt(DAYS[0], time(0, 0)), end=local_dt(DAYS[3], time(0, 0)))
    assert (result.numerator, result.denominator) == (1, 2)
    assert result.value == 50 and result.passed is False
    assert "S10.2.7" in measure.requirements


def test_demo_seeder_is_idempotent(office, clerk, crew, frozen):
    CustomerFactory(office=office)
    first = seed_demo_appointments(options={})
    templates, shifts = SlotTemplate.objects.count(), DutyShift.objects.count()
    assert templates and shifts and first["appointments"] >= 1
    seed_demo_appointments(options={})
    assert (SlotTemplate.objects.count(), DutyShift.objects.count()) == (templates, shifts)
    assert Appointment.objects.filter(starts_at__date__gte=timezone.localdate()).exists()
