"""Staff pages: the plan, booking from free slots (and the waiting list), one appointment and its steps."""

from datetime import time

import pytest
from django.urls import reverse

from supply_service.appointments import services
from supply_service.appointments.models import Appointment, State, WaitingEntry
from supply_service.appointments.slots import local_dt
from tests.appointments.conftest import DAYS
from tests.factories.appointments import open_office
from tests.factories.customers import CustomerFactory

pytestmark = pytest.mark.django_db
DAY = DAYS[2]


@pytest.fixture
def meter(office, crew, frozen):
    return open_office(office=office, kind_code="meter_installation", people=[crew], days=DAYS,
                       starts_at=time(9, 0), ends_at=time(13, 0))


def book_many(office, kind, count, by, hours=(9, 10, 11, 12)):
    booked = []
    for hour in hours[:count]:
        booked.append(services.appointment_book(office=office, kind=kind, starts_at=local_dt(DAY, time(hour, 0)),
                                                channel="phone", by=by, customer=CustomerFactory(office=office)))
    return booked


@pytest.mark.parametrize("count", [1, 4])
def test_plan_lists_the_days_appointments_in_constant_queries(client, clerk, office, frozen,
                                                             django_assert_max_num_queries, count):
    business = open_office(office=office, kind_code="business", people=[clerk], days=DAYS, capacity=1,
                           ends_at=time(13, 0))
    booked = book_many(office, business, count, clerk)
    client.force_login(clerk)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("appointments:plan"), {"day": DAY.isoformat()})
    assert response.status_code == 200
    for appointment in booked:
        assert appointment.number in response.content.decode()


def test_plan_for_a_week_and_only_mine(client, crew, clerk, office, meter):
    [visit] = book_many(office, meter, 1, clerk)
    client.force_login(crew)
    page = client.get(reverse("appointments:plan"), {"day": DAYS[0].isoformat(), "days": 7, "mine": "on"})
    assert visit.number in page.content.decode()
    sheet = client.get(reverse("appointments:route"), {"day": DAY.isoformat()})
    assert visit.address in sheet.content.decode()


def test_staff_book_from_the_free_times(client, clerk, office, meter):
    customer = CustomerFactory(office=office)
    client.force_login(clerk)
    page = client.get(reverse("appointments:book"), {"kind": meter.pk, "day": DAY.isoformat(),
                                                     "account_number": customer.account_number})
    assert page.status_code == 200 and f'value="{DAY.isoformat()}T09:00"' in page.content.decode()
    response = client.post(reverse("appointments:book"), {
        "kind": meter.pk, "slot": f"{DAY.isoformat()}T09:00", "account_number": customer.account_number,
        "name": customer.name, "phone": customer.phone, "address": customer.address, "channel": "phone"})
    appointment = Appointment.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/{appointment.number}/")
    assert appointment.customer == customer and appointment.state == State.CONFIRMED


def test_booking_a_bad_or_full_time_shows_a_message_and_changes_nothing(client, clerk, office, meter):
    client.force_login(clerk)
    bad = client.post(reverse("appointments:book"), {"kind": meter.pk, "slot": "not-a-time", "name": "A",
                                                     "phone": "1", "channel": "phone"})
    assert bad.status_code == 400 and Appointment.objects.count() == 0
    book_many(office, meter, 1, clerk)
    full = client.post(reverse("appointments:book"), {"kind": meter.pk, "slot": f"{DAY.isoformat()}T09:00",
                                                      "name": "B", "phone": "139", "address": "x", "channel": "phone"})
    assert full.status_code == 400 and Appointment.objects.count() == 1


def test_a_full_day_offers_the_waiting_list(client, clerk, office, meter):
    book_many(office, meter, 2, clerk, hours=(9, 11))  # the one crew, with travel time: no room left that day
    client.force_login(clerk)
    page = client.get(reverse("appointments:book"), {"kind": meter.pk, "day": DAY.isoformat()})
    assert 'id="day-full"' in page.content.decode()
    client.post(reverse("appointments:book"), {"wait": "1", "kind": meter.pk, "day": DAY.isoformat(),
                                               "name": "王", "phone": "13900000009"})
    assert WaitingEntry.objects.filter(name="王").exists()


def test_the_crew_records_arrival_with_one_button(client, clerk, crew, office, meter):
    [visit] = book_many(office, meter, 1, clerk)
    client.force_login(crew)
    page = client.get(reverse("appointments:detail", args=[visit.number])).content.decode()
    assert 'id="step-arrive"' in page and "ap-big" in page
    client.post(reverse("appointments:step", args=[visit.number, "arrive"]))
    visit.refresh_from_db()
    assert visit.state == State.ARRIVED


def test_steps_with_bad_input_change_nothing(client, clerk, office, meter):
    [visit] = book_many(office, meter, 1, clerk)
    client.force_login(clerk)
    client.post(reverse("appointments:step", args=[visit.number, "cancel"]), {"cancel-reason": ""})
    client.post(reverse("appointments:step", args=[visit.number, "reschedule"]),
                {"reschedule-slot": "2026-13-01T09:00", "reschedule-reason": "x"})
    client.post(reverse("appointments:step", args=[visit.number, "arrive"]))  # the clerk may arrive too
    response = client.post(reverse("appointments:step", args=[visit.number, "nonsense"]))
    assert response.status_code == 404
    visit.refresh_from_db()
    assert visit.state == State.ARRIVED and visit.revision == 1


def test_reschedule_from_the_page(client, clerk, office, meter):
    [visit] = book_many(office, meter, 1, clerk)
    client.force_login(clerk)
    page = client.get(reverse("appointments:detail", args=[visit.number])).content.decode()
    assert 'id="reschedule-slots"' in page
    client.post(reverse("appointments:step", args=[visit.number, "reschedule"]),
                {"reschedule-slot": f"{DAY.isoformat()}T12:00", "reschedule-reason": "Customer asked"})
    visit.refresh_from_db()
    assert visit.starts_at == local_dt(DAY, time(12, 0)) and visit.reschedule_reason == "Customer asked"
    history = client.get(reverse("appointments:detail", args=[visit.number])).content.decode()
    assert f"{DAY.isoformat()} 12:00" in history and "+00:00" not in history  # local times in the history


def test_other_office_reads_but_gets_no_steps(client, clerk, outsider, office, meter):
    [visit] = book_many(office, meter, 1, clerk)
    client.force_login(outsider)
    page = client.get(reverse("appointments:detail", args=[visit.number])).content.decode()
    assert 'id="step-' not in page
    client.post(reverse("appointments:step", args=[visit.number, "cancel"]), {"cancel-reason": "x",
                                                                                 "cancel-party": "office"})
    visit.refresh_from_db()
    assert visit.state == State.CONFIRMED


def test_code_check_hook_for_the_counter(clerk, office, frozen):
    from supply_service.core import hooks

    business = open_office(office=office, kind_code="business", people=[clerk], days=DAYS)
    today = services.appointment_book(office=office, kind=business, starts_at=local_dt(DAYS[0], time(11, 0)),
                                      channel="phone", by=clerk, customer=CustomerFactory(office=office))
    assert hooks.emit("appointment_code_check", code=today.access_code, office=office) == [True]
    assert hooks.emit("appointment_code_check", code="nope", office=office) == [False]


@pytest.mark.parametrize("count", [1, 2])
def test_detail_and_book_pages_read_constant_queries(client, clerk, office, meter, django_assert_max_num_queries,
                                                     count):
    booked = book_many(office, meter, count, clerk, hours=(9, 11))
    client.force_login(clerk)
    with django_assert_max_num_queries(45):
        assert client.get(reverse("appointments:detail", args=[booked[0].number])).status_code == 200
    with django_assert_max_num_queries(20):
        assert client.get(reverse("appointments:book"), {"kind": meter.pk, "day": DAY.isoformat()}).status_code == 200


def test_plan_and_route_sheet_of_one_person(client, clerk, crew, office, meter):
    [visit] = book_many(office, meter, 1, clerk)
    client.force_login(clerk)
    plan = client.get(reverse("appointments:plan"), {"day": DAY.isoformat(), "person": crew.pk}).content.decode()
    assert visit.number in plan
    sheet = client.get(reverse("appointments:route"), {"day": DAY.isoformat(), "person": crew.pk}).content.decode()
    assert visit.number in sheet
    assert client.get(reverse("appointments:plan"), {"person": "x" * 40}).status_code == 200
