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


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_a_held_place_confirmed_while_it_expires_is_never_given_twice(office, clerk, agent, frozen):
    """The customer confirms the held place at the moment the sweep expires it (and would pass it on): both take
    the office-day lock, so the place ends up either booked by the first or held for the next — never both."""
    import re
    from datetime import timedelta

    from supply_service.appointments import holds
    from supply_service.appointments.models import WaitingEntry
    from supply_service.appointments.slots import find_slot
    from supply_service.core.models import Outbox

    business = open_office(office=office, kind_code="business", people=[clerk], days=DAYS)
    starts_at = local_dt(DAYS[2], time(9, 0))
    taken = services.appointment_book(office=office, kind=business, starts_at=starts_at, channel="phone", by=clerk,
                                      customer=CustomerFactory(office=office))
    for n in (1, 2):
        services.waiting_join(office=office, kind=business, day=DAYS[2], name=f"W{n}", phone=f"1390000000{n}",
                              language="en", by=clerk)
    services.appointment_cancel(appointment=taken, by=clerk, reason="x")
    first = WaitingEntry.objects.get(phone="13900000001")
    code = re.search(r"code (\d{6})", Outbox.objects.get(recipient="13900000001").body).group(1)
    barrier = threading.Barrier(2, timeout=20)
    results: list = []

    def confirm() -> None:
        try:
            barrier.wait()
            holds.hold_confirm(phone="13900000001", code=code, at=first.hold_until - timedelta(seconds=1))
            results.append("booked")
        except ValidationError:
            results.append("refused")
        finally:
            connection.close()

    def sweep() -> None:
        try:
            barrier.wait()
            results.append(f"expired:{holds.holds_expire(now=first.hold_until)}")
        finally:
            connection.close()

    threads = [threading.Thread(target=confirm), threading.Thread(target=sweep)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads)
    assert sorted(results) in (["booked", "expired:0"], ["expired:1", "refused"])
    booked = Appointment.objects.filter(starts_at=starts_at, state="confirmed").count()
    held = WaitingEntry.objects.filter(state=WaitingEntry.State.HELD).count()
    assert booked + held == 1
    assert find_slot(office=office, kind=business, starts_at=starts_at, now=first.hold_until).free() == 0
