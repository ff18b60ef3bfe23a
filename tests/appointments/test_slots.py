"""Slot arithmetic (S9.4, S10.1.1): templates × calendar (holidays and make-up days) × exceptions × rota × travel."""

from datetime import UTC, date, datetime, time

import pytest
from django.utils import timezone

from supply_service.appointments.models import SlotException
from supply_service.appointments.services import appointment_book, free_slots
from supply_service.appointments.slots import day_slots, local_dt
from tests.appointments.conftest import DAYS, TODAY
from tests.factories.appointments import open_office
from tests.factories.customers import CustomerFactory

pytestmark = pytest.mark.django_db


def starts(slots) -> list[str]:
    return [timezone.localtime(s.starts_at).strftime("%H:%M") for s in slots]


def test_slots_of_a_template_have_the_kinds_duration_and_open_every_day_S10_1_1(office, clerk, frozen):
    business = open_office(office=office, kind_code="business", people=[clerk], days=DAYS)
    sunday = date(2026, 10, 4)
    assert starts(day_slots(office=office, kind=business, day=sunday)) == [
        "09:00", "09:30", "10:00", "10:30", "11:00", "11:30"]


def test_past_slots_of_today_are_not_offered(office, clerk, frozen):
    business = open_office(office=office, kind_code="business", people=[clerk], days=DAYS)
    assert starts(day_slots(office=office, kind=business, day=TODAY))[0] == "09:30"


def test_capacity_follows_the_rota(office, clerk, agent, frozen):
    business = open_office(office=office, kind_code="business", people=[clerk], days=DAYS[:1], capacity=3)
    assert {s.capacity for s in day_slots(office=office, kind=business, day=TODAY)} == {1}
    assert day_slots(office=office, kind=business, day=DAYS[1])[0].capacity == 0  # nobody on duty
    assert free_slots(office=office, kind=business, day=DAYS[1]) == []


def test_working_day_templates_follow_holidays_and_make_up_days(office, crew, frozen):
    meter = open_office(office=office, kind_code="meter_installation", people=[crew], days=DAYS, rule="working_days")
    assert day_slots(office=office, kind=meter, day=date(2026, 9, 30))  # Wednesday
    assert day_slots(office=office, kind=meter, day=date(2026, 10, 1)) == []  # National Day (Thursday)
    assert day_slots(office=office, kind=meter, day=date(2026, 10, 10))  # Saturday, a make-up working day
    assert day_slots(office=office, kind=meter, day=date(2026, 10, 11)) == []  # Sunday


def test_holiday_business_is_offered_on_rest_days_only(office, clerk, frozen):
    holiday = open_office(office=office, kind_code="holiday_business", people=[clerk], days=DAYS, rule="holidays")
    assert day_slots(office=office, kind=holiday, day=date(2026, 10, 1))
    assert day_slots(office=office, kind=holiday, day=date(2026, 9, 30)) == []
    assert day_slots(office=office, kind=holiday, day=date(2026, 10, 10)) == []


def test_an_exception_closes_or_lowers_a_day(office, clerk, agent, frozen):
    business = open_office(office=office, kind_code="business", people=[clerk, agent], days=DAYS, capacity=2)
    SlotException.objects.create(office=office, date=DAYS[1], capacity=0, reason="Training")
    SlotException.objects.create(office=office, date=DAYS[2], kind=business, capacity=1, reason="Half staff")
    assert day_slots(office=office, kind=business, day=DAYS[1]) == []
    assert {s.capacity for s in day_slots(office=office, kind=business, day=DAYS[2])} == {1}
    assert {s.capacity for s in day_slots(office=office, kind=business, day=DAYS[3])} == {2}


def test_a_crews_visits_leave_travel_time_between_them(office, crew, frozen):
    meter = open_office(office=office, kind_code="meter_installation", people=[crew], days=DAYS,
                        starts_at=time(9, 0), ends_at=time(13, 0), capacity=2)
    day = DAYS[1]
    customer = CustomerFactory(office=office)
    appointment_book(office=office, kind=meter, starts_at=local_dt(day, time(10, 0)), channel="phone",
                     customer=customer)
    free = {starts([s])[0]: s.free() for s in day_slots(office=office, kind=meter, day=day)}
    # 10:00–11:00 booked; the policy's 30 minutes of travel block 09:00–10:00 and 11:00–12:00 for the one crew.
    assert free == {"09:00": 0, "10:00": 0, "11:00": 0, "12:00": 1}


def test_places_held_for_home_service_S10_3_5(office, clerk, agent, frozen):
    business = open_office(office=office, kind_code="business", people=[clerk, agent], days=DAYS, capacity=2,
                           reserve=1)
    slot = day_slots(office=office, kind=business, day=DAYS[1])[0]
    assert slot.free() == 1 and slot.free(priority=True) == 2
    ordinary = CustomerFactory(office=office)
    appointment_book(office=office, kind=business, starts_at=slot.starts_at, channel="phone", customer=ordinary)
    slot = day_slots(office=office, kind=business, day=DAYS[1])[0]
    assert slot.free() == 0 and slot.free(priority=True) == 1


def test_slot_times_are_local(office, clerk, frozen):
    business = open_office(office=office, kind_code="business", people=[clerk], days=DAYS)
    first = day_slots(office=office, kind=business, day=DAYS[1])[0]
    assert first.starts_at == datetime(2026, 9, 30, 1, 0, tzinfo=UTC)


def test_held_places_never_take_the_last_place_S10_3_5(office, clerk, frozen):
    business = open_office(office=office, kind_code="business", people=[clerk], days=DAYS, capacity=2, reserve=1)
    slot = day_slots(office=office, kind=business, day=DAYS[1])[0]
    assert slot.capacity == 1 and slot.free() == 1  # one clerk on duty: the one place is open to everyone
