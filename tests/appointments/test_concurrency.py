"""Two bookings of the last place at the same moment never overbook (the per-office-and-day row lock)."""

import threading
from datetime import time

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from supply_service.appointments import services
from supply_service.appointments.models import Appointment
from supply_service.appointments.slots import local_dt
from tests.appointments.conftest import DAYS
from tests.factories.appointments import open_office
from tests.factories.customers import CustomerFactory


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_two_concurrent_bookings_of_the_last_place_never_overbook(office, clerk, agent, frozen):
    business = open_office(office=office, kind_code="business", people=[clerk], days=DAYS)
    customers = [CustomerFactory(office=office), CustomerFactory(office=office)]
    starts_at = local_dt(DAYS[2], time(9, 0))
    barrier = threading.Barrier(2, timeout=20)
    results: list = []

    def attempt(index: int) -> None:
        try:
            barrier.wait()
            services.appointment_book(office=office, kind=business, starts_at=starts_at, channel="phone",
                                      by=[clerk, agent][index], customer=customers[index])
            results.append("booked")
        except ValidationError:
            results.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads)
    assert sorted(results) == ["booked", "refused"]
    assert Appointment.objects.filter(starts_at=starts_at).count() == 1
